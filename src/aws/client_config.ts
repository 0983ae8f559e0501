/**
 * Common SDK client settings: region, endpoint, timeouts and the SDK's own
 * retry count. Every client is built from here, for its service: the endpoint
 * follows the SDK's rule (AWS_ENDPOINT_URL_<SERVICE> over AWS_ENDPOINT_URL,
 * see configured_endpoint.ts), and S3 uses path-style addressing against a
 * custom endpoint (local emulators).
 *
 * @module
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { configuredEndpoint, type ServiceId } from "./configured_endpoint.ts";

export type { AwsCredentialIdentity, AwsCredentialIdentityProvider };

/** What every client needs. */
export interface ClientSettings {
  readonly region: string;
  /** One endpoint for every service; it overrides the endpoint variables (tests use it). */
  readonly endpointUrl?: string;
  /** The endpoint variables in force (`endpointSettings` of src/config.ts); none: the SDK's defaults. */
  readonly endpoints?: Readonly<Record<string, string>>;
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** SDK attempts including the first; 1 when the caller retries itself. */
  readonly maxAttempts?: number;
}

/** Connection and request timeouts (ms): a hung socket must not hold a message. */
export const CONNECTION_TIMEOUT_MS = 3_000;
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * SDK client configuration of `service` for `settings`. A custom endpoint is
 * used for every call (for SQS too, whatever host the queue URL names).
 */
export function clientConfig(settings: ClientSettings, service: ServiceId) {
  const endpoint = settings.endpointUrl ?? configuredEndpoint(settings.endpoints ?? {}, service);
  return {
    region: settings.region,
    ...(endpoint ? { endpoint, ...(service === "S3" ? { forcePathStyle: true } : {}) } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    maxAttempts: settings.maxAttempts ?? 3,
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
    },
  };
}
