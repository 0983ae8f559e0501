/**
 * The role chain: the processor's own credentials → the central log
 * distribution role → the delivery's customer role (with its ExternalId).
 * Credentials are cached per role in memory until shortly before they expire
 * and concurrent callers share one AssumeRole call. Nothing is written anywhere.
 *
 * @module
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "./client_config.ts";

/** Temporary credentials with their expiry. */
export interface SessionCredentials extends AwsCredentialIdentity {
  readonly expiration: Date;
}

/** One AssumeRole request. */
export interface AssumeRoleInput {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly externalId?: string;
  readonly durationSeconds: number;
}

/** Narrow STS edge: assume `input.roleArn` acting as `as` (undefined: the processor itself). */
export interface RoleAssumer {
  assumeRole(input: AssumeRoleInput, as?: AwsCredentialIdentity): Promise<SessionCredentials>;
}

/** A customer role to act as. */
export interface RoleTarget {
  readonly roleArn: string;
  readonly externalId: string;
  readonly sessionName: string;
}

/** Chained role sessions last at most one hour. */
const SESSION_SECONDS = 3600;
/** Refresh credentials this long before they expire. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;
const MAX_SESSION_NAME = 64;

/** A session name AWS accepts (`[\w+=,.@-]`, ≤ 64), readable in the customer's CloudTrail. */
export function sessionName(...parts: string[]): string {
  return parts.join("-").replace(/[^\w+=,.@-]/g, "_").slice(0, MAX_SESSION_NAME);
}

interface Entry {
  promise: Promise<SessionCredentials>;
  expiresAt: number;
}

/** Caches credentials per role and walks the chain on demand. */
export class RoleChain {
  readonly #cache = new Map<string, Entry>();
  readonly #now: () => number;

  readonly #assumer: RoleAssumer;
  readonly #centralRoleArn: string;

  constructor(
    assumer: RoleAssumer,
    centralRoleArn: string,
    options: { now?: () => number } = {},
  ) {
    this.#assumer = assumer;
    this.#centralRoleArn = centralRoleArn;
    this.#now = options.now ?? Date.now;
  }

  /** Credentials of the central log distribution role. */
  central(): Promise<SessionCredentials> {
    return this.#cached(`central\n${this.#centralRoleArn}`, () =>
      this.#assumer.assumeRole({
        roleArn: this.#centralRoleArn,
        sessionName: sessionName("log-processor"),
        durationSeconds: SESSION_SECONDS,
      }));
  }

  /** Credentials of a customer role, assumed from the central role. */
  customer(target: RoleTarget): Promise<SessionCredentials> {
    const key = `customer\n${target.roleArn}\n${target.externalId}\n${target.sessionName}`;
    return this.#cached(key, async () =>
      this.#assumer.assumeRole(
        {
          roleArn: target.roleArn,
          sessionName: target.sessionName,
          externalId: target.externalId,
          durationSeconds: SESSION_SECONDS,
        },
        await this.central(),
      ));
  }

  /** An SDK credential provider for `target` that always serves from the cache. */
  provider(target: RoleTarget): AwsCredentialIdentityProvider {
    return () => this.customer(target);
  }

  /** Forgets cached credentials of `target` (after an ExpiredToken, say). */
  invalidate(target?: RoleTarget): void {
    if (!target) return this.#cache.clear();
    this.#cache.delete(`customer\n${target.roleArn}\n${target.externalId}\n${target.sessionName}`);
  }

  #cached(key: string, load: () => Promise<SessionCredentials>): Promise<SessionCredentials> {
    const hit = this.#cache.get(key);
    if (hit && hit.expiresAt - REFRESH_MARGIN_MS > this.#now()) return hit.promise;
    const entry: Entry = { promise: load(), expiresAt: Number.POSITIVE_INFINITY };
    this.#cache.set(key, entry);
    entry.promise.then(
      (creds) => entry.expiresAt = creds.expiration.getTime(),
      () => {
        if (this.#cache.get(key) === entry) this.#cache.delete(key);
      },
    );
    return entry.promise;
  }
}
