/**
 * The composition root: real SDK clients from the configuration, wired into
 * the pure pipeline. Every run mode builds one and keeps it for its lifetime,
 * so credentials, clients and the tenant cache are reused.
 *
 * @module
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { clientConfig, type ClientSettings } from "../aws/client_config.ts";
import { DestinationClients, roleTargetOf } from "../aws/destination_clients.ts";
import { RoleChain } from "../aws/role_chain.ts";
import { StsRoleAssumer } from "../aws/sts_role_assumer.ts";
import type { Config } from "../config.ts";
import { CloudWatchSink } from "../delivery/cloudwatch/cloudwatch_sink.ts";
import { SdkLogsWriter } from "../delivery/cloudwatch/logs_writer.ts";
import type { SinkFactory } from "../delivery/sink.ts";
import { permanent } from "../errors.ts";
import { S3ObjectSource } from "../ingest/object_source.ts";
import type { Logger } from "../telemetry/logger.ts";
import { CachedTenantStore } from "../tenant/cached_tenant_store.ts";
import { DynamoTenantStore } from "../tenant/tenant_store.ts";
import { type MessageResult, processMessage } from "./process_message.ts";
import type { PipelineDeps } from "./process_object.ts";

/** A wired pipeline and what it owns. */
export interface Pipeline {
  readonly config: Config;
  readonly deps: PipelineDeps;
  readonly settings: ClientSettings;
  readonly roles: RoleChain;
  processBody(body: string): Promise<MessageResult>;
  /** Closes every client. */
  close(): void;
}

/** Builds the production pipeline for `config`. */
export function createPipeline(config: Config, logger: Logger): Pipeline {
  const settings: ClientSettings = { region: config.region, endpointUrl: config.endpointUrl };
  const s3 = new S3Client(clientConfig(settings));
  const dynamo = new DynamoDBClient(clientConfig(settings));
  const roles = new RoleChain(new StsRoleAssumer(settings), config.centralRoleArn);
  const destinations = new DestinationClients(settings, roles);
  const retry = {
    retries: config.retryAttempts,
    baseDelayMs: config.retryBaseDelayMs,
    maxDelayMs: config.retryMaxDelayMs,
  };
  const sinkFor: SinkFactory = (delivery, object) => {
    switch (delivery.type) {
      case "cloudwatch":
        return new CloudWatchSink(delivery, object.path, new SdkLogsWriter(destinations.logs(delivery)), {
          maxBatchSize: config.maxBatchSize,
          retry,
          logger,
          onCredentialsExpired: () => {
            roles.invalidate(roleTargetOf(delivery));
            destinations.forget(delivery);
          },
        });
      default:
        throw permanent("UnsupportedDelivery", `delivery type "${delivery.type}" is not supported`);
    }
  };
  const deps: PipelineDeps = {
    tenants: new CachedTenantStore(new DynamoTenantStore(dynamo, config.tenantTable), config.tenantCacheTtlMs),
    source: new S3ObjectSource(s3),
    sinkFor,
    logger,
  };
  return {
    config,
    deps,
    settings,
    roles,
    processBody: (body) => processMessage(body, deps),
    close() {
      s3.destroy();
      dynamo.destroy();
      destinations.destroy();
    },
  };
}
