/**
 * What every delivery type provides at the edge, beside its pure spec
 * (`src/tenant/delivery_type.ts`): the sink that delivers an object, and the
 * probe `tenants verify` uses to reach the destination. Listed per type in
 * `destinations.ts`.
 *
 * @module
 */
import { classifyAwsError, type OnCredentialsExpired } from "../aws/classify_error.ts";
import type { DestinationClients } from "../aws/destination_clients.ts";
import type { RetryPolicy } from "../aws/retry.ts";
import type { RoleChain } from "../aws/role_chain.ts";
import type { Logger } from "../telemetry/logger.ts";
import type { Delivery } from "../tenant/delivery.ts";
import type { DeliverySink, ObjectContext } from "./sink.ts";

/** What delivers CloudWatch batches: the SDK in-process, or a Vector subprocess. */
export type CloudWatchEngine = "native" | "vector";
export const CLOUDWATCH_ENGINES: readonly CloudWatchEngine[] = ["native", "vector"];

/** What building sinks takes: one set per pipeline, shared by every delivery. */
export interface SinkDeps {
  /** SDK clients acting as each delivery's customer role. */
  readonly clients: DestinationClients;
  readonly roles: RoleChain;
  readonly retry: RetryPolicy;
  readonly logger: Logger;
  /** The processor's region (deliveries without their own) and the optional local endpoint. */
  readonly region: string;
  readonly endpointUrl?: string;
  /** CloudWatch: events per PutLogEvents call. */
  readonly maxBatchSize: number;
  readonly cloudWatchEngine: CloudWatchEngine;
  /** CloudWatch with the `vector` engine: the executable and how long one run may take. */
  readonly vector: { readonly bin: string; readonly timeoutMs: number };
  /** S3: compressed bytes per multipart part. */
  readonly s3PartSizeBytes: number;
}

/** One delivery's sink context: the shared deps and the callback bound to this delivery. */
export interface SinkContext extends SinkDeps {
  /** Drops this delivery's cached credentials and clients. */
  readonly onCredentialsExpired: OnCredentialsExpired;
}

/** The edge of one delivery type. */
export interface Destination<D extends Delivery> {
  /**
   * Builds the sink of `delivery` for one object.
   *
   * @throws {ProcessingError} when the delivery cannot take this object (a permanent `InvalidConfig`).
   */
  sink(delivery: D, object: ObjectContext, context: SinkContext): DeliverySink;
  /**
   * Reaches the destination with the customer role, reading nothing; resolves
   * to what was found.
   *
   * @throws {Error} naming the call and its AWS error code when the destination cannot be reached.
   */
  probe(delivery: D, clients: DestinationClients): Promise<string>;
}

/** The error of a failed probe call: `<what> failed with <code>: <message>`. */
export function probeFailure(what: string, err: unknown): Error {
  const { code } = classifyAwsError(err);
  const detail = err instanceof Error && err.message ? `: ${err.message}` : "";
  return new Error(`${what} failed with ${code}${detail}`, { cause: err });
}
