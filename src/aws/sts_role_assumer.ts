/**
 * {@link RoleAssumer} over STS. A denied AssumeRole names the role and is
 * permanent; throttling and outages are retryable.
 *
 * @module
 */
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { wrapAwsError } from "./classify_error.ts";
import { type AwsCredentialIdentity, clientConfig, type ClientSettings } from "./client_config.ts";
import type { AssumeRoleInput, RoleAssumer, SessionCredentials } from "./role_chain.ts";

/** Assumes roles with STS in the processor's region. */
export class StsRoleAssumer implements RoleAssumer {
  readonly #base: STSClient;
  #chained?: { accessKeyId: string; client: STSClient };

  readonly #settings: ClientSettings;

  constructor(settings: ClientSettings) {
    this.#settings = settings;
    this.#base = new STSClient(clientConfig(settings, "STS"));
  }

  #clientFor(as?: AwsCredentialIdentity): STSClient {
    if (!as) return this.#base;
    if (this.#chained?.accessKeyId !== as.accessKeyId) {
      this.#chained = {
        accessKeyId: as.accessKeyId,
        client: new STSClient(clientConfig({ ...this.#settings, credentials: as }, "STS")),
      };
    }
    return this.#chained.client;
  }

  async assumeRole(input: AssumeRoleInput, as?: AwsCredentialIdentity): Promise<SessionCredentials> {
    try {
      const out = await this.#clientFor(as).send(
        new AssumeRoleCommand({
          RoleArn: input.roleArn,
          RoleSessionName: input.sessionName,
          ExternalId: input.externalId,
          DurationSeconds: input.durationSeconds,
        }),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
        throw new Error("AssumeRole returned no credentials");
      }
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration,
      };
    } catch (err) {
      const withId = input.externalId ? " (with ExternalId)" : "";
      throw wrapAwsError(
        err,
        ({ code, message }) => `Cannot assume role ${input.roleArn}${withId}: ${code}${message ? `: ${message}` : ""}`,
      );
    }
  }
}
