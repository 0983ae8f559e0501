/**
 * SDK clients acting as a customer role, one per (role, ExternalId, region),
 * kept for the life of the process so connections and credentials are reused.
 *
 * @module
 */
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { S3Client } from "@aws-sdk/client-s3";
import { PutLogEventsJsonProtocol } from "./put_log_events_protocol.ts";
import { clientConfig, type ClientSettings } from "./client_config.ts";
import { type RoleChain, type RoleTarget, sessionName } from "./role_chain.ts";

/**
 * What reaching a customer destination takes: the customer role, its
 * ExternalId, the region, and the names the session is called after (a
 * tenant delivery has all of these).
 */
export interface CustomerDestination {
  readonly tenantId: string;
  readonly deliveryId: string;
  readonly roleArn: string;
  readonly externalId: string;
  /** Undefined: the processor's region. */
  readonly region?: string;
}

/** The role target of a destination, with a session name readable in the customer's CloudTrail. */
export function roleTargetOf(delivery: CustomerDestination): RoleTarget {
  return {
    roleArn: delivery.roleArn,
    externalId: delivery.externalId,
    sessionName: sessionName("log-processor", delivery.tenantId, delivery.deliveryId),
  };
}

/** Caches destination clients per customer role and region. */
export class DestinationClients {
  readonly #logs = new Map<string, CloudWatchLogsClient>();
  readonly #s3 = new Map<string, S3Client>();

  readonly #base: ClientSettings;
  readonly #roles: RoleChain;

  constructor(
    base: ClientSettings,
    roles: RoleChain,
  ) {
    this.#base = base;
    this.#roles = roles;
  }

  #settings(delivery: CustomerDestination, maxAttempts: number): [string, ClientSettings] {
    const target = roleTargetOf(delivery);
    const region = delivery.region ?? this.#base.region;
    const key = `${target.roleArn}\n${target.externalId}\n${target.sessionName}\n${region}`;
    return [key, { ...this.#base, region, credentials: this.#roles.provider(target), maxAttempts }];
  }

  /** CloudWatch Logs client for `delivery` (the caller retries, so the SDK does not). */
  logs(delivery: CustomerDestination): CloudWatchLogsClient {
    const [key, settings] = this.#settings(delivery, 1);
    let client = this.#logs.get(key);
    if (!client) {
      client = new CloudWatchLogsClient({
        ...clientConfig(settings, "CloudWatch Logs"),
        protocol: PutLogEventsJsonProtocol,
      });
      this.#logs.set(key, client);
    }
    return client;
  }

  /** S3 client for `delivery` (the S3 sink retries, so the SDK does not). */
  s3(delivery: CustomerDestination): S3Client {
    const [key, settings] = this.#settings(delivery, 1);
    let client = this.#s3.get(key);
    if (!client) this.#s3.set(key, client = new S3Client(clientConfig(settings, "S3")));
    return client;
  }

  /** Drops the clients of `delivery` (after expired credentials), so the next use starts afresh. */
  forget(delivery: CustomerDestination): void {
    const [key] = this.#settings(delivery, 1);
    this.#logs.get(key)?.destroy();
    this.#s3.get(key)?.destroy();
    this.#logs.delete(key);
    this.#s3.delete(key);
  }

  /** Closes every client's connections. */
  destroy(): void {
    for (const c of this.#logs.values()) c.destroy();
    for (const c of this.#s3.values()) c.destroy();
    this.#logs.clear();
    this.#s3.clear();
  }
}
