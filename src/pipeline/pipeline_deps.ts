/**
 * What processing an object or a message needs: the outside world passed in
 * ({@link PipelineDeps}) and what the caller knows about the message
 * ({@link MessageContext}).
 *
 * @module
 */
import type { SinkFactory } from "../delivery/sink.ts";
import type { DeliveryStateStore } from "../delivery/state/delivery_state_store.ts";
import type { ProgressTagger } from "../delivery/state/progress_tag.ts";
import type { ObjectSource } from "../ingest/object_source.ts";
import type { ReadLimits } from "../ingest/read_records.ts";
import type { CheckpointPolicy } from "./delivery_memory.ts";
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
  /** Remembers how far deliveries got (`DELIVERY_STATE_TABLE`); absent = off. */
  readonly deliveryState?: DeliveryStateStore;
  /** Tags central objects whose progress is stored, so any later message finds it; absent: only a later receive does. */
  readonly progressTagger?: ProgressTagger;
  /** When a long object writes its progress while running; absent: only when an attempt ends. */
  readonly checkpoint?: CheckpointPolicy;
  /** Caps on one object (`MAX_OBJECT_MB`, `MAX_OBJECT_LINES`); absent: none. */
  readonly readLimits?: ReadLimits;
  /** `CENTRAL_BUCKET`: when set, objects of any other bucket are refused. */
  readonly centralBucket?: string;
}

/** What the caller knows about the message being processed. */
export interface MessageContext {
  /**
   * SQS `ApproximateReceiveCount`; above 1 the delivery state is consulted
   * even for an object without its progress tag. Unknown = first receive.
   */
  readonly receiveCount?: number;
  /** Start every delivery from the first event whatever is stored (`replay` without `--resume`). */
  readonly ignoreProgress?: boolean;
  /**
   * Aborted when the caller gives up (Lambda deadline, worker grace period
   * over): reading stops at the next chunk and the object ends retryable, so
   * a message already handed back is not delivered a second time meanwhile.
   */
  readonly signal?: AbortSignal;
}
