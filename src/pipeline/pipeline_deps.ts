/**
 * What processing an object or a message needs: the outside world passed in
 * ({@link PipelineDeps}) and what the caller knows about the message
 * ({@link MessageContext}).
 *
 * @module
 */
import type { SinkFactory } from "../delivery/sink.ts";
import type { DeliveryStateStore } from "../delivery/state/delivery_state_store.ts";
import type { ObjectSource } from "../ingest/object_source.ts";
import type { Logger } from "../telemetry/logger.ts";
import type { ClusterStore } from "../tenant/cluster_store.ts";
import type { TenantStore } from "../tenant/tenant_store.ts";

/** What processing needs from the outside world. */
export interface PipelineDeps {
  readonly tenants: TenantStore;
  /** The cluster registry (`CLUSTER_TABLE`): every object's cluster and writer are checked against it. */
  readonly clusters: ClusterStore;
  /** Refuse objects whose notification names no writer (`REQUIRE_WRITER_IDENTITY`). */
  readonly requireWriterIdentity?: boolean;
  readonly source: ObjectSource;
  readonly sinkFor: SinkFactory;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Remembers completed deliveries of failed objects (`DELIVERY_STATE_TABLE`); absent = off. */
  readonly deliveryState?: DeliveryStateStore;
  /** `CENTRAL_BUCKET`: when set, objects of any other bucket are refused. */
  readonly centralBucket?: string;
}

/** What the caller knows about the message being processed. */
export interface MessageContext {
  /**
   * SQS `ApproximateReceiveCount`; above 1 the delivery state is consulted so
   * deliveries that succeeded before are not repeated. Unknown = first receive.
   */
  readonly receiveCount?: number;
  /**
   * Aborted when the caller gives up (Lambda deadline, worker grace period
   * over): reading stops at the next chunk and the object ends retryable, so
   * a message already handed back is not delivered a second time meanwhile.
   */
  readonly signal?: AbortSignal;
}
