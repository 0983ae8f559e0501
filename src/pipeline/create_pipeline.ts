/**
 * The composition root: real SDK clients from the configuration, wired into
 * the pure pipeline. Every run mode builds one and keeps it for its lifetime,
 * so credentials, clients and the tenant cache are reused.
 *
 * @module
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { clientConfig } from "../aws/client_config.ts";
import { configuredEndpoint } from "../aws/configured_endpoint.ts";
import { DestinationClients } from "../aws/destination_clients.ts";
import { RoleChain } from "../aws/role_chain.ts";
import { StsRoleAssumer } from "../aws/sts_role_assumer.ts";
import { clientSettings, type Config, validationContext } from "../config.ts";
import { sinkFactory } from "../delivery/destinations.ts";
import { DynamoDeliveryStateStore } from "../delivery/state/delivery_state_store.ts";
import { S3ProgressTagger } from "../delivery/state/progress_tag.ts";
import { S3ObjectSource } from "../ingest/object_source.ts";
import type { Logger } from "../telemetry/logger.ts";
import { CachedClusterStore } from "../tenant/cached_cluster_store.ts";
import { CachedTenantStore } from "../tenant/cached_tenant_store.ts";
import { type ClusterStore, DynamoClusterStore } from "../tenant/cluster_store.ts";
import { DynamoTenantStore, type TenantStore } from "../tenant/tenant_store.ts";
import type { ObjectRef } from "../notification/parse_notification.ts";
import type { MessageResult, ObjectResult } from "../results.ts";
import { processMessage } from "./process_message.ts";
import { processObject } from "./process_object.ts";
import type { MessageContext, PipelineDeps } from "./pipeline_deps.ts";

/** A wired pipeline: what the run modes and replay call. It owns its clients, credentials and caches. */
export interface Pipeline {
  /** Processes one SQS body; pass the SQS receive count so a retry finds its progress even on an untagged object. */
  processBody(body: string, context?: MessageContext): Promise<MessageResult>;
  /** Processes one object of the central bucket (replay). */
  processObject(ref: ObjectRef, context?: MessageContext): Promise<ObjectResult>;
  /** The tenant configurations, through the pipeline's cache (replay's dry run). */
  readonly tenants: TenantStore;
  /** The cluster registry, through the pipeline's cache (replay's dry run). */
  readonly clusters: ClusterStore;
  /** Closes every client. */
  close(): void;
}

/**
 * Builds the production pipeline for `config`: SDK clients, the role chain,
 * the cached tenant store and one sink per delivery type. Keep it for the
 * life of the process (credentials, clients and the tenant cache are reused)
 * and `close()` it at the end.
 *
 * @example
 * ```ts
 * const pipeline = createPipeline(loadConfig(env, "manual"), createLogger("info"));
 * try {
 *   const result = await pipeline.processBody(snsEnvelopeText, { receiveCount: 1 });
 *   console.log(result.outcome, result.objects.map((o) => o.reason));
 * } finally {
 *   pipeline.close();
 * }
 * ```
 */
export function createPipeline(config: Config, logger: Logger): Pipeline {
  const settings = clientSettings(config);
  const s3 = new S3Client(clientConfig(settings, "S3"));
  const dynamo = new DynamoDBClient(clientConfig(settings, "DynamoDB"));
  const roles = new RoleChain(new StsRoleAssumer(settings), config.centralRoleArn);
  const destinations = new DestinationClients(settings, roles);
  const retry = {
    retries: config.retryAttempts,
    baseDelayMs: config.retryBaseDelayMs,
    maxDelayMs: config.retryMaxDelayMs,
  };
  const sinkFor = sinkFactory({
    clients: destinations,
    roles,
    retry,
    logger,
    region: config.region,
    endpointUrl: configuredEndpoint(config.endpoints, "CloudWatch Logs"),
    maxBatchSize: config.maxBatchSize,
    cloudWatchEngine: config.cloudWatchEngine,
    vector: { bin: config.vectorBin, timeoutMs: config.vectorTimeoutMs },
    s3PartSizeBytes: config.s3PartSizeBytes,
  });
  const deps: PipelineDeps = {
    tenants: new CachedTenantStore(
      new DynamoTenantStore(dynamo, config.tenantTable, validationContext(config)),
      { ttlMs: config.tenantCacheTtlMs },
    ),
    clusters: new CachedClusterStore(new DynamoClusterStore(dynamo, config.clusterTable), {
      ttlMs: config.clusterCacheTtlMs,
    }),
    requireWriterIdentity: config.requireWriterIdentity,
    source: new S3ObjectSource(s3),
    sinkFor,
    logger,
    centralBucket: config.centralBucket,
    readLimits: {
      maxBytes: config.maxObjectBytes,
      maxLines: config.maxObjectLines,
      names: { bytes: "MAX_OBJECT_MB", lines: "MAX_OBJECT_LINES" },
    },
    ...(config.deliveryStateTable
      ? {
        deliveryState: new DynamoDeliveryStateStore(dynamo, {
          table: config.deliveryStateTable,
          ttlSeconds: config.deliveryStateTtlSeconds,
        }),
        progressTagger: new S3ProgressTagger(s3),
        checkpoint: { everyMs: config.progressCheckpointMs, everyEvents: config.progressCheckpointEvents },
      }
      : {}),
  };
  return {
    processBody: (body, context) => processMessage(body, deps, context),
    processObject: (ref, context) => processObject(ref, deps, context),
    tenants: deps.tenants,
    clusters: deps.clusters,
    close() {
      s3.destroy();
      dynamo.destroy();
      destinations.destroy();
    },
  };
}
