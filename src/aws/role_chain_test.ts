import {
  deepStrictEqual as deepEqual,
  match,
  notStrictEqual as notEqual,
  ok,
  rejects,
  strictEqual as equal,
} from "node:assert/strict";
import { permanent } from "../errors.ts";
import { cloudWatchDelivery, fakeClock } from "../../tests/support/fakes.ts";
import type { AwsCredentialIdentity } from "./client_config.ts";
import { roleTargetOf } from "./destination_clients.ts";
import {
  type AssumeRoleInput,
  type RoleAssumer,
  RoleChain,
  type RoleTarget,
  type SessionCredentials,
  sessionName,
} from "./role_chain.ts";

const CENTRAL = "arn:aws:iam::123456789012:role/central-log-distribution";
const TARGET: RoleTarget = {
  roleArn: "arn:aws:iam::210987654321:role/log-delivery",
  externalId: "ext-acme",
  sessionName: "log-processor-acme-cloudwatch",
};
const HOUR = 3_600_000;
/** What the chain promises: one-hour sessions, renewed five minutes before they expire. */
const SESSION_SECONDS = 3600;
const REFRESH_MARGIN_MS = 5 * 60_000;

interface Call {
  input: AssumeRoleInput;
  as?: string;
}

/** Records AssumeRole calls; credentials are named after the role and a counter; optional gate and faults. */
class FakeAssumer implements RoleAssumer {
  readonly calls: Call[] = [];
  readonly failures: unknown[] = [];
  gate?: Promise<void>;
  #n = 0;
  readonly #now: () => number;
  readonly #lifetimeMs: number;

  constructor(now: () => number, lifetimeMs = HOUR) {
    this.#now = now;
    this.#lifetimeMs = lifetimeMs;
  }

  async assumeRole(input: AssumeRoleInput, as?: AwsCredentialIdentity): Promise<SessionCredentials> {
    this.calls.push({ input, as: as?.accessKeyId });
    await this.gate;
    if (this.failures.length > 0) throw this.failures.shift();
    const id = `${input.roleArn.split("/").pop()}#${++this.#n}`;
    return {
      accessKeyId: id,
      secretAccessKey: `secret-${id}`,
      sessionToken: `token-${id}`,
      expiration: new Date(this.#now() + this.#lifetimeMs),
    };
  }
}

function setup(lifetimeMs = HOUR) {
  const clock = fakeClock();
  const assumer = new FakeAssumer(clock.now, lifetimeMs);
  const chain = new RoleChain(assumer, CENTRAL, { now: clock.now });
  return { clock, assumer, chain };
}

Deno.test("the chain assumes the central role, then the customer role as the central role with its ExternalId", async () => {
  const { assumer, chain } = setup();
  const creds = await chain.customer(TARGET);
  deepEqual(assumer.calls, [
    { input: { roleArn: CENTRAL, sessionName: "log-processor", durationSeconds: SESSION_SECONDS }, as: undefined },
    {
      input: {
        roleArn: TARGET.roleArn,
        sessionName: TARGET.sessionName,
        externalId: "ext-acme",
        durationSeconds: SESSION_SECONDS,
      },
      as: "central-log-distribution#1",
    },
  ]);
  equal(creds.accessKeyId, "log-delivery#2");
});

Deno.test("credentials are cached until the refresh margin before expiry", async () => {
  const { clock, assumer, chain } = setup();
  const first = await chain.customer(TARGET);
  clock.advance(HOUR - REFRESH_MARGIN_MS - 1);
  equal(await chain.customer(TARGET), first);
  equal(assumer.calls.length, 2);
  clock.advance(1);
  const second = await chain.customer(TARGET);
  notEqual(second.accessKeyId, first.accessKeyId);
  // Both central and customer sessions expired together: both renewed, the customer as the new central session.
  deepEqual(assumer.calls.slice(2).map((c) => [c.input.roleArn, c.as]), [
    [CENTRAL, undefined],
    [TARGET.roleArn, "central-log-distribution#3"],
  ]);
});

Deno.test("central and customer sessions are each renewed on their own schedule", async () => {
  const clock = fakeClock();
  const assumer = new FakeAssumer(clock.now);
  const chain = new RoleChain(assumer, CENTRAL, { now: clock.now });
  await chain.central();
  clock.advance(30 * 60_000);
  await chain.customer(TARGET); // customer expires 30 min after central
  clock.advance(HOUR - REFRESH_MARGIN_MS - 30 * 60_000); // central due, customer not
  await chain.customer(TARGET);
  equal(assumer.calls.length, 2, "customer still cached");
  clock.advance(30 * 60_000);
  await chain.customer(TARGET);
  deepEqual(assumer.calls.slice(2).map((c) => c.input.roleArn), [CENTRAL, TARGET.roleArn]);
});

Deno.test("each target is cached on its own; the central session is shared", async () => {
  const { assumer, chain } = setup();
  const other = { ...TARGET, roleArn: "arn:aws:iam::333333333333:role/log-delivery", externalId: "ext-other" };
  await chain.customer(TARGET);
  await chain.customer(other);
  await chain.customer({ ...TARGET, externalId: "ext-changed" });
  deepEqual(assumer.calls.map((c) => c.input.roleArn), [CENTRAL, TARGET.roleArn, other.roleArn, TARGET.roleArn]);
  deepEqual(assumer.calls.slice(1).map((c) => c.input.externalId), ["ext-acme", "ext-other", "ext-changed"]);
});

Deno.test("concurrent callers share one AssumeRole call per role", async () => {
  const { assumer, chain } = setup();
  let open!: () => void;
  assumer.gate = new Promise((r) => open = r);
  const pending: Promise<AwsCredentialIdentity>[] = Array.from({ length: 10 }, () => chain.customer(TARGET));
  const provider = chain.provider(TARGET);
  pending.push(provider());
  await Promise.resolve();
  open();
  const all = await Promise.all(pending);
  equal(new Set(all.map((c) => c.accessKeyId)).size, 1);
  equal(assumer.calls.length, 2);
});

Deno.test("failures are not cached: the next call tries again", async () => {
  const { assumer, chain } = setup();
  const denied = permanent("AccessDenied", "Cannot assume role: AccessDenied");
  assumer.failures.push(denied);
  await rejects(chain.customer(TARGET), (err) => err === denied);
  const creds = await chain.customer(TARGET);
  match(creds.accessKeyId, /^log-delivery#/);
  // The failed central call was retried too.
  deepEqual(assumer.calls.map((c) => c.input.roleArn), [CENTRAL, CENTRAL, TARGET.roleArn]);
});

Deno.test("a failed customer AssumeRole keeps the central session cached", async () => {
  const { assumer, chain } = setup();
  await chain.central();
  assumer.failures.push(new Error("throttled"));
  await rejects(chain.customer(TARGET));
  await chain.customer(TARGET);
  deepEqual(assumer.calls.map((c) => c.input.roleArn), [CENTRAL, TARGET.roleArn, TARGET.roleArn]);
});

Deno.test("invalidate forgets one target, or everything", async () => {
  const { assumer, chain } = setup();
  await chain.customer(TARGET);
  chain.invalidate(TARGET);
  await chain.customer(TARGET);
  equal(assumer.calls.length, 3, "only the customer role again");
  chain.invalidate();
  await chain.customer(TARGET);
  equal(assumer.calls.length, 5);
});

Deno.test("the provider serves cached customer credentials with their expiration", async () => {
  const { clock, assumer, chain } = setup();
  const provider = chain.provider(TARGET);
  const a = await provider();
  const b = await provider();
  equal(a, b);
  equal(assumer.calls.length, 2);
  equal(a.expiration?.getTime(), clock.now() + HOUR);
});

Deno.test("session names are ≤ 64 characters of [\\w+=,.@-]", () => {
  equal(sessionName("log-processor"), "log-processor");
  equal(sessionName("log-processor", "acme", "cloudwatch"), "log-processor-acme-cloudwatch");
  equal(sessionName("a b/c:d"), "a_b_c_d");
  const long = sessionName("log-processor", "t".repeat(128), "d".repeat(64));
  equal(long.length, 64);
  for (const name of [long, sessionName("x", "日志", "a*b?c"), sessionName("e@x.com", "k=v,w+1")]) {
    ok(/^[\w+=,.@-]{1,64}$/.test(name), name);
  }
});

Deno.test("a delivery's session name names the processor, tenant and delivery", () => {
  const target = roleTargetOf(cloudWatchDelivery({ tenantId: "acme", deliveryId: "archive" }));
  equal(target.sessionName, "log-processor-acme-archive");
  equal(target.externalId, "acme-external-id-1");
  const longTenant = roleTargetOf(cloudWatchDelivery({ tenantId: "t".repeat(128) }));
  ok(longTenant.sessionName.length <= 64);
  ok(longTenant.sessionName.startsWith("log-processor-ttt"));
});
