// deno-lint-ignore-file no-explicit-any
/**
 * k8s/base/tenant_routing.vrl executed by the real VRL runtime (the `vrl`
 * crate Vector embeds), through tests/vrl_runner. Optional: build the runner
 * with `bash scripts/build_vrl_runner.sh` (or point VRL_RUNNER at it);
 * without it these tests are reported as ignored (unless REQUIRE_VRL_RUNNER=1,
 * as in CI), and the static checks in vector_config_test.ts still run.
 */
import assert from "node:assert/strict";
import { isValidSegment, parseObjectKey } from "../src/notification/parse_key.ts";
import { logLine } from "../scripts/loggen/log_line.ts";
import { Random } from "../scripts/loggen/random.ts";
import { collectedRecord, makePod, routedRecord } from "../scripts/loggen/records.ts";

const PROGRAM = new URL("../k8s/base/tenant_routing.vrl", import.meta.url).pathname;
const CACHE = Deno.env.get("XDG_CACHE_HOME") || `${Deno.env.get("HOME")}/.cache`;
const RUNNER = Deno.env.get("VRL_RUNNER") || `${CACHE}/multi-tenant-logging/vrl-runner/release/vrl_runner`;
const runnerBuilt = (() => {
  try {
    return Deno.statSync(RUNNER).isFile;
  } catch {
    return false;
  }
})();
// In CI (`.ci/run` builds the runner) a missing runner is a failure, not a skip.
const ignore = !runnerBuilt && Deno.env.get("REQUIRE_VRL_RUNNER") !== "1";

interface Outcome {
  result: "ok" | "abort" | "error";
  event?: Record<string, any>;
  message?: string;
}

/**
 * Runs the program over `events` with only CLUSTER_ID set as on the agents,
 * plus ALLOWED_CUSTOMER_IDS when `allowedCustomerIds` is given.
 */
async function route(events: unknown[], clusterId = "env-cluster", allowedCustomerIds?: string): Promise<Outcome[]> {
  const file = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(file, JSON.stringify(events));
    const out = await new Deno.Command(RUNNER, {
      args: [PROGRAM, file],
      env: {
        CLUSTER_ID: clusterId,
        ...(allowedCustomerIds === undefined ? {} : { ALLOWED_CUSTOMER_IDS: allowedCustomerIds }),
      },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    assert.equal(stderr.trim(), "", "the program compiles without warnings");
    return new TextDecoder().decode(out.stdout).trim().split("\n").map((l) => JSON.parse(l));
  } finally {
    await Deno.remove(file);
  }
}

function event(kubernetes: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    message: "GET /orders 200",
    timestamp: "2026-01-01T00:00:00Z",
    kubernetes: { pod_namespace: "shop", pod_name: "api-7f9c8d6b5-x2k9p", container_name: "api", ...kubernetes },
    ...extra,
  };
}
const ANNOTATIONS = {
  "customer-id": "acme",
  "cluster-id": "prod-1",
  application: "checkout",
  environment: "production",
};
const routing = (e: Record<string, any>) => [e.customer_id, e.cluster_id, e.application, e.pod_name, e.environment];

Deno.test({
  name: "VRL runtime: tenant pods are routed by their annotations, with the documented fallbacks",
  ignore,
  async fn() {
    const cases: [string, Record<string, unknown>, string[]][] = [
      [
        "all annotations (a pod's cluster-id is ignored: the cluster is the agent's)",
        { pod_annotations: ANNOTATIONS },
        [
          "acme",
          "env-cluster",
          "checkout",
          "api-7f9c8d6b5-x2k9p",
          "production",
        ],
      ],
      [
        "cluster from CLUSTER_ID, app from app.kubernetes.io/name",
        {
          pod_annotations: { "customer-id": "acme" },
          pod_labels: { "app.kubernetes.io/name": "shop-api", app: "old" },
        },
        ["acme", "env-cluster", "shop-api", "api-7f9c8d6b5-x2k9p", "unknown"],
      ],
      [
        "app from label app",
        { pod_annotations: { "customer-id": "acme" }, pod_labels: { app: "legacy" } },
        ["acme", "env-cluster", "legacy", "api-7f9c8d6b5-x2k9p", "unknown"],
      ],
      [
        "app from the container name",
        { pod_annotations: { "customer-id": "acme" }, container_name: "sidecar" },
        ["acme", "env-cluster", "sidecar", "api-7f9c8d6b5-x2k9p", "unknown"],
      ],
      [
        "sanitized segments",
        {
          pod_annotations: { ...ANNOTATIONS, application: "日本", environment: ".." },
          pod_name: "p".repeat(200),
        },
        ["acme", "env-cluster", "__", "p".repeat(128), "unknown"],
      ],
    ];
    const results = await route(cases.map(([, k]) => event(k)));
    const [odd] = await route([event({ pod_annotations: ANNOTATIONS })], "prod/eu 1");
    assert.equal(odd!.event!.cluster_id, "prod_eu_1", "an odd CLUSTER_ID is made a valid key segment");
    for (const [i, [name, , expected]] of cases.entries()) {
      const r = results[i];
      assert.equal(r!.result, "ok", name);
      assert.deepEqual(routing(r!.event!), expected, name);
      assert.equal("pod_annotations" in r!.event!.kubernetes, false, `${name}: annotations are dropped`);
      assert.equal(r!.event!.message, "GET /orders 200");
      const e = r!.event!;
      parseObjectKey(`${e.customer_id}/${e.cluster_id}/${e.application}/${e.pod_name}/20260101-000000-x.json.gz`);
    }
  },
});

Deno.test({
  name: "VRL runtime: system namespaces, unannotated pods and invalid tenant ids are dropped",
  ignore,
  async fn() {
    const dropped = [
      event({}),
      event({ pod_annotations: { team: "x" } }),
      event({ pod_annotations: { "customer-id": 5 } }),
      event({ pod_annotations: ANNOTATIONS, pod_namespace: "kube-system" }),
      event({ pod_annotations: ANNOTATIONS, pod_namespace: "kube-node-lease" }),
      event({ pod_annotations: ANNOTATIONS, pod_namespace: "openshift-monitoring" }),
      { message: "no kubernetes metadata" },
      ...["a/b", "..", ".", "x".repeat(129), "acme corp", ""].map((id) =>
        event({ pod_annotations: { ...ANNOTATIONS, "customer-id": id } })
      ),
    ];
    assert.deepEqual((await route(dropped)).map((r) => r.result), dropped.map(() => "abort"));
  },
});

Deno.test({
  name:
    "VRL runtime: a cluster's allow-list (ALLOWED_CUSTOMER_IDS) admits only its tenants; empty or absent admits any",
  ignore,
  async fn() {
    const tenants = ["acme", "globex", "initech", "acm", "acme2", "ACME"];
    const events = tenants.map((id) => event({ pod_annotations: { ...ANNOTATIONS, "customer-id": id } }));
    const results = (allowed?: string) => route(events, "env-cluster", allowed).then((r) => r.map((o) => o.result));
    assert.deepEqual(await results(" acme, globex ,"), ["ok", "ok", "abort", "abort", "abort", "abort"]);
    assert.deepEqual(await results("initech"), ["abort", "abort", "ok", "abort", "abort", "abort"]);
    for (const any of [undefined, "", " , "]) {
      assert.deepEqual(await results(any), tenants.map(() => "ok"), JSON.stringify(any));
    }
    // The admitted tenant is still routed by its annotation only; a line claiming another tenant changes nothing.
    const claim = JSON.stringify({ customer_id: "globex" });
    const [r] = await route(
      [event({ pod_annotations: ANNOTATIONS }, { customer_id: "globex", message: claim })],
      "c",
      "acme",
    );
    assert.equal(r!.result, "ok");
    assert.equal(r!.event!.customer_id, "acme");
  },
});

Deno.test({
  name: "VRL runtime: every drop says why (the reason the agent's drop counter is tagged with)",
  ignore,
  async fn() {
    const cases: [string, unknown][] = [
      ["system_namespace", event({ pod_annotations: ANNOTATIONS, pod_namespace: "kube-system" })],
      ["system_namespace", event({ pod_annotations: ANNOTATIONS, pod_namespace: "openshift-monitoring" })],
      ["system_namespace", { message: "no kubernetes metadata" }],
      ["no_tenant", event({ pod_annotations: { team: "x" } })],
      ["no_tenant", event({ pod_annotations: { "customer-id": 5 } })],
      ["invalid_customer_id", event({ pod_annotations: { ...ANNOTATIONS, "customer-id": "a/b" } })],
      ["invalid_customer_id", event({ pod_annotations: { ...ANNOTATIONS, "customer-id": ".." } })],
    ];
    const results = await route(cases.map(([, e]) => e));
    assert.ok(
      results.every((r) => r.result !== "abort" || r.message !== undefined),
      "the VRL runner predates abort messages: rebuild it with bash scripts/build_vrl_runner.sh",
    );
    assert.deepEqual(results.map((r) => [r.result, r.message]), cases.map(([reason]) => ["abort", reason]));
    const [notAllowed] = await route([event({ pod_annotations: ANNOTATIONS })], "c", "globex");
    assert.deepEqual([notAllowed!.result, notAllowed!.message], ["abort", "tenant_not_allowed"]);
  },
});

Deno.test({
  name: "VRL runtime: a log line cannot route itself to another tenant",
  ignore,
  async fn() {
    const claim = { customer_id: "victim", cluster_id: "c", application: "a", pod_name: "p", environment: "e" };
    const message = JSON.stringify({ ...claim, kubernetes: { pod_annotations: { "customer-id": "victim" } } });
    const [r] = await route([event({ pod_annotations: ANNOTATIONS }, { ...claim, message })]);
    assert.equal(r!.result, "ok");
    assert.deepEqual(routing(r!.event!), ["acme", "env-cluster", "checkout", "api-7f9c8d6b5-x2k9p", "production"]);
    assert.equal(r!.event!.message, message, "the line is delivered as written, not parsed");
  },
});

Deno.test({
  name: "VRL runtime: any annotation value yields valid key segments; a tenant id is kept exactly or dropped",
  ignore,
  async fn() {
    const random = new Random(2026);
    const alphabet = ["a", "Z", "0", ".", "_", "-", "/", " ", "é", "日", "😀", "%", "\n", ".."];
    const fuzz = () =>
      Array.from({ length: random.pick([0, 1, 2, 5, 40, 130, 300]) }, () => random.pick(alphabet)).join("");
    const values = Array.from({ length: 300 }, fuzz);
    const events = values.map((v, i) =>
      event({
        pod_annotations: { "customer-id": i % 3 === 0 ? v : "acme", "cluster-id": v, application: v, environment: v },
        pod_name: v,
      })
    );
    const results = await route(events, "");
    for (const [i, r] of results.entries()) {
      const customer = i % 3 === 0 ? values[i] : "acme";
      if (!isValidSegment(customer!)) {
        assert.equal(r.result, "abort", JSON.stringify(values[i]));
        continue;
      }
      assert.equal(r.result, "ok", JSON.stringify(values[i]));
      assert.equal(r.event!.customer_id, customer);
      for (const segment of routing(r.event!)) assert.ok(isValidSegment(segment), JSON.stringify(segment));
    }
  },
});

Deno.test({
  name: "VRL runtime: the generator's stdout records become exactly its S3-mode records",
  ignore,
  async fn() {
    const random = new Random(9);
    const pods = ["prod-1", "staging-1", "dev"].map((clusterId, i) =>
      makePod({ customerId: `tenant-0${i}`, clusterId, application: ["api", "web", "worker"][i]! }, random)
    );
    for (const pod of pods) {
      const inputs: unknown[] = [];
      const expected: unknown[] = [];
      for (const format of ["json", "klog", "mixed"] as const) {
        const time = new Date(Date.UTC(2026, 0, 1, 0, 0, random.int(0, 59)));
        const { line } = logLine(format, { time, bytes: random.int(100, 300), random });
        inputs.push(collectedRecord(pod, line, { time }));
        expected.push(routedRecord(pod, line, { time }));
      }
      // Each pod's agent runs with its own cluster's CLUSTER_ID.
      const results = await route(inputs, pod.clusterId);
      assert.deepEqual(results.map((r) => r.event), expected);
    }
  },
});
