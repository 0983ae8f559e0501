/**
 * Common SDK client settings: region, the optional local endpoint, timeouts,
 * and the SDK's own retry count. Every client is built from here.
 *
 * @module
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

export type { AwsCredentialIdentity, AwsCredentialIdentityProvider };

/** What every client needs. */
export interface ClientSettings {
  readonly region: string;
  readonly endpointUrl?: string;
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** SDK attempts including the first; 1 when the caller retries itself. */
  readonly maxAttempts?: number;
}

/** Connection and request timeouts (ms): a hung socket must not hold a message. */
export const CONNECTION_TIMEOUT_MS = 3_000;
export const REQUEST_TIMEOUT_MS = 30_000;

/** SDK client configuration for `settings` (S3 uses path-style against a custom endpoint). */
export function clientConfig(settings: ClientSettings) {
  return {
    region: settings.region,
    ...(settings.endpointUrl ? { endpoint: settings.endpointUrl, forcePathStyle: true } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    maxAttempts: settings.maxAttempts ?? 3,
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
    },
  };
}
