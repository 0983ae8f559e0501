/**
 * Why a dead-lettered object failed, re-derived now: SQS keeps no failure
 * reason with a message, and the processor's log line for the key is the only
 * record of the last attempt. What can be checked cheaply is checked, in the
 * order the processor goes: the bucket, the key, the object (HeadObject), the
 * cluster registry (may this writer write this key? the message still names
 * the writer), the tenant's deliveries (its tenant-table items), and which
 * deliveries already
 * succeeded on an earlier receive (the delivery-state table). What that leaves
 * is a failure at the destination, which only the logs or `tenants verify`
 * can tell.
 *
 * @module
 */
import { classifyAwsError } from "../aws/classify_error.ts";
import { stateKey } from "../delivery/state/delivery_state.ts";
import type { DeliveryStateStore } from "../delivery/state/delivery_state_store.ts";
import { errorMessage } from "../errors.ts";
import { keyLayoutProblem } from "../notification/parse_key.ts";
import type { ObjectRef } from "../notification/parse_notification.ts";
import { routeObject } from "../pipeline/route_object.ts";
import type { TenantStore } from "../tenant/tenant_store.ts";
import type { ClusterStore } from "../tenant/cluster_store.ts";

/** What a redrive would do with the object now. */
export type Verdict =
  /** The same permanent error again (`code`): fix the cause or drop the message; redriving cannot help. */
  | "fails_again"
  /** The processor would skip it (unknown tenant, no enabled delivery, application not allowed) and delete the message undelivered. */
  | "skipped"
  /** Key, object and tenant are fine now: the last attempt failed at delivery; a redrive retries it. */
  | "retry"
  /** Not everything could be checked (no tenant table configured, or a check failed). */
  | "unknown";

/** The diagnosis of one object (snake_case fields: it is printed). */
export interface Diagnosis {
  readonly verdict: Verdict;
  readonly code?: string;
  readonly reason: string;
  /** The deliveries it would go to now. */
  readonly deliveries?: string[];
  /** Delivery ids that succeeded on an earlier receive: a redrive does not repeat them. */
  readonly completed?: string[];
}

/** HeadObject on the central bucket: the object's ETag, or undefined when it no longer exists. */
export interface ObjectProbe {
  head(bucket: string, key: string, versionId?: string): Promise<{ eTag?: string } | undefined>;
}

/** What the diagnosis may consult; each is optional and skipped (and said so) when absent. */
export interface DiagnosisDeps {
  readonly tenants?: TenantStore;
  /** The cluster registry (CLUSTER_TABLE): a refused writer fails again until the registry changes. */
  readonly clusters?: ClusterStore;
  readonly objects?: ObjectProbe;
  readonly deliveryState?: DeliveryStateStore;
  readonly centralBucket?: string;
}

const failsAgain = (code: string, reason: string): Diagnosis => ({ verdict: "fails_again", code, reason });

/** Diagnoses one object of a dead-lettered message. Never throws. */
export async function diagnoseObject(ref: ObjectRef, deps: DiagnosisDeps): Promise<Diagnosis> {
  if (deps.centralBucket !== undefined && ref.bucket !== deps.centralBucket) {
    return failsAgain("UnexpectedBucket", `bucket "${ref.bucket}" is not the central bucket "${deps.centralBucket}"`);
  }
  const keyProblem = keyLayoutProblem(ref.key);
  if (keyProblem) return failsAgain("InvalidKey", `Object key ${JSON.stringify(ref.key)} ${keyProblem}`);
  let eTag = ref.eTag;
  if (deps.objects) {
    try {
      const head = await deps.objects.head(ref.bucket, ref.key, ref.versionId);
      if (!head) {
        return failsAgain(
          "NoSuchKey",
          `s3://${ref.bucket}/${ref.key} does not exist (any more: deleted, or expired by the bucket's lifecycle)`,
        );
      }
      eTag = head.eTag ?? eTag;
    } catch (err) {
      return {
        verdict: "unknown",
        code: classifyAwsError(err).code,
        reason: `cannot check the object: ${errorMessage(err)}`,
      };
    }
  }
  if (!deps.tenants) {
    return { verdict: "unknown", reason: "tenant not checked: TENANT_CONFIG_TABLE is not set" };
  }
  const route = await routeObject(
    ref.key,
    deps.tenants,
    deps.clusters ? { registry: { clusters: deps.clusters, ref } } : {},
  );
  if (route.action === "invalid") return failsAgain(route.code ?? "InvalidConfig", route.reason ?? "invalid");
  if (route.action === "refuse") {
    return failsAgain(
      "WriterNotAllowed",
      `${route.reason}; a redrive is refused again unless the registry changes (log-processor clusters get ` +
        `--cluster …), and an object its cluster may not write is not to be delivered`,
    );
  }
  if (route.action === "skip") return { verdict: "skipped", reason: route.reason ?? "nothing to deliver" };
  const completed = await completedDeliveries(ref, eTag, deps.deliveryState);
  const pending = (route.delivery_ids ?? []).filter((id) => !completed?.includes(id));
  const earlier = completed?.length
    ? `; ${completed.join(", ")} succeeded on an earlier receive and will not be repeated, ${
      pending.join(", ") || "nothing"
    } is left`
    : "";
  return {
    verdict: "retry",
    reason:
      `key, object and tenant configuration are fine now: the last attempt failed at delivery (customer role or ` +
      `ExternalId, the destination, throttling)${earlier}; \`log-processor tenants verify --tenant ${route.tenant}\` ` +
      `checks the role chain, and the processor's log line for this key has the error` +
      (deps.clusters ? "" : " (the cluster registry was not checked: CLUSTER_TABLE is not set)"),
    deliveries: route.deliveries,
    ...(completed ? { completed } : {}),
  };
}

async function completedDeliveries(
  ref: ObjectRef,
  eTag: string | undefined,
  store: DeliveryStateStore | undefined,
): Promise<string[] | undefined> {
  const pk = store ? stateKey(ref.bucket, ref.key, eTag) : undefined;
  if (!store || !pk) return undefined;
  try {
    return [...(await store.recall(pk)).completed].sort();
  } catch {
    return undefined;
  }
}
