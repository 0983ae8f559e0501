/**
 * {@link RoleAssumer} over STS. A denied AssumeRole names the role and is
 * permanent; throttling and outages are retryable.
 *
 * @module
 */
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { classifyAwsError } from "./classify_error.ts";
import { type AwsCredentialIdentity, clientConfig, type ClientSettings } from "./client_config.ts";
import type { AssumeRoleInput, RoleAssumer, SessionCredentials } from "./role_chain.ts";
import { ProcessingError } from "../errors.ts";

/** Assumes roles with STS in the processor's region. */
export class StsRoleAssumer implements RoleAssumer {
  readonly #base: STSClient;
  #chained?: { accessKeyId: string; client: STSClient };

  constructor(private readonly settings: ClientSettings) {
    this.#base = new STSClient(clientConfig(settings));
  }

  #clientFor(as?: AwsCredentialIdentity): STSClient {
    if (!as) return this.#base;
    if (this.#chained?.accessKeyId !== as.accessKeyId) {
      this.#chained = {
        accessKeyId: as.accessKeyId,
        client: new STSClient(clientConfig({ ...this.settings, credentials: as })),
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
      const { failureClass, code } = classifyAwsError(err);
      const detail = err instanceof Error && err.message ? `: ${err.message}` : "";
      throw new ProcessingError(
        failureClass,
        code,
        `Cannot assume role ${input.roleArn}${input.externalId ? " (with ExternalId)" : ""}: ${code}${detail}`,
        { cause: err },
      );
    }
  }
}
