// deno-lint-ignore-file no-explicit-any
/**
 * The Vector configurations (k8s/base/vector.yaml, vector-local-test.yaml) and
 * their shared routing program (k8s/base/tenant_routing.vrl): only options
 * Vector documents, the pipeline shape, the object layout of DESIGN 1.1, and
 * the routing guarantee (no log line can route itself to another tenant).
 * There is no Vector binary or VRL interpreter here, so the program is
 * checked statically and its validation regexes are run in JavaScript.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { ROUTING_FIELDS } from "../src/ingest/parse_record.ts";
import { isValidSegment, parseObjectKey } from "../src/notification/parse_key.ts";
import { unknownVectorOptions } from "./support/vector_options.ts";
import { routingViolations, vrlAssignments, vrlStatements } from "./support/vrl_routing.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const read = (path: string) => Deno.readTextFileSync(`${ROOT}${path}`);
const agent = parse(read("k8s/base/vector.yaml"));
const local = parse(read("vector-local-test.yaml"));
const PROGRAM = read("k8s/base/tenant_routing.vrl");
const CONFIGS: [string, any][] = [["k8s/base/vector.yaml", agent], ["vector-local-test.yaml", local]];
const KEY_PREFIX = "{{ customer_id }}/{{ cluster_id }}/{{ application }}/{{ pod_name }}/";

/** The object key Vector's aws_s3 sink writes for `event` (template fields, strftime, uuid, extension). */
function renderKey(sink: any, event: Record<string, string>, at: Date, uuid: string): string {
  const prefix = sink.key_prefix.replace(/\{\{\s*(\w+)\s*\}\}/g, (_: string, f: string) => {
    if (!(f in event)) throw new Error(`template field ${f} missing`);
    return event[f];
  });
  const pad = (n: number) => String(n).padStart(2, "0");
  const parts: Record<string, string> = {
    Y: String(at.getUTCFullYear()),
    m: pad(at.getUTCMonth() + 1),
    d: pad(at.getUTCDate()),
    H: pad(at.getUTCHours()),
    M: pad(at.getUTCMinutes()),
    S: pad(at.getUTCSeconds()),
  };
  const time = sink.filename_time_format.replace(/%(.)/g, (_: string, c: string) => {
    if (!(c in parts)) throw new Error(`strftime %${c} not emulated`);
    return parts[c];
  });
  return `${prefix}${time}${sink.filename_append_uuid ? `-${uuid}` : ""}.${sink.filename_extension}`;
}

for (const [name, config] of CONFIGS) {
  Deno.test(`${name} names only options Vector documents`, () => {
    assert.deepEqual(unknownVectorOptions(config), []);
  });

  Deno.test(`${name}: every log reaches the bucket only through the routing program`, () => {
    const logSources = Object.entries(config.sources).filter(([, s]: [string, any]) => s.type !== "internal_metrics");
    const remaps = Object.entries(config.transforms).filter(([, t]: [string, any]) => t.type === "remap");
    assert.equal(remaps.length, 1, "one routing program");
    const [routingId, routing] = (remaps as [string, any][])[0]!;
    assert.deepEqual(routing.inputs, logSources.map(([id]) => id));
    assert.equal(routing.drop_on_abort, true);
    assert.equal(routing.drop_on_error, true, "an event the program fails on must not pass on unrouted");
    assert.equal(routing.source, undefined, "the program lives in tenant_routing.vrl only");
    assert.match(routing.file, /(^|\/)tenant_routing\.vrl$/);
    const buckets = Object.values(config.sinks).filter((s: any) => s.type === "aws_s3") as any[];
    assert.equal(buckets.length, 1);
    // The bucket reads the program's routed output only: not its `dropped` output, nor anything else.
    assert.deepEqual(buckets[0].inputs, [routingId]);
  });

  Deno.test(`${name} writes gzip NDJSON under the DESIGN 1.1 layout`, () => {
    const [sink] = Object.values(config.sinks) as any[];
    assert.equal(sink.type, "aws_s3");
    assert.equal(sink.key_prefix, KEY_PREFIX);
    assert.equal(sink.compression, "gzip");
    assert.deepEqual(sink.encoding, { codec: "json" });
    assert.deepEqual(sink.framing, { method: "newline_delimited" });
    const fields = [...sink.key_prefix.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]);
    assert.deepEqual(fields, ["customer_id", "cluster_id", "application", "pod_name"]);
    for (const f of fields) assert.ok(ROUTING_FIELDS.includes(f), `${f} is not a processor routing field`);
    const uuid = crypto.randomUUID();
    const event = { customer_id: "acme", cluster_id: "prod-1", application: "api", pod_name: "api-7f9c-x2k9p" };
    const key = renderKey(sink, event, new Date("2026-03-04T05:06:07Z"), uuid);
    assert.equal(key, `acme/prod-1/api/api-7f9c-x2k9p/20260304-050607-${uuid}.json.gz`);
    assert.deepEqual(parseObjectKey(key), {
      customerId: "acme",
      clusterId: "prod-1",
      application: "api",
      podName: "api-7f9c-x2k9p",
      fileName: `20260304-050607-${uuid}.json.gz`,
    });
  });
}

Deno.test("the agent collects pod logs and ships with the writer role, a disk buffer and 10 MB / 5 min batches", () => {
  const source = agent.sources.pod_logs;
  assert.equal(source.type, "kubernetes_logs");
  for (const ns of ["kube-system", "kube-public", "kube-node-lease"]) {
    assert.match(source.extra_field_selector, new RegExp(`metadata\\.namespace!=${ns}(,|$)`));
  }
  const sink = agent.sinks.central_bucket;
  assert.match(sink.auth.assume_role, /\S/);
  assert.deepEqual(sink.batch, { max_bytes: 10_000_000, timeout_secs: 300 });
  assert.equal(sink.buffer.type, "disk");
  assert.equal(sink.buffer.when_full, "block", "a full buffer must apply back-pressure, not drop");
  assert.ok(sink.buffer.max_size >= 268_435_488, "Vector's minimum disk buffer size");
  // kubernetes_logs cannot take end-to-end acknowledgements: the config must not claim them (Vector would only warn).
  assert.equal(sink.acknowledgements, undefined);
  assert.equal(agent.api.enabled, true);
  assert.doesNotMatch(read("k8s/base/vector.yaml"), /\$\{?\w/, "the agent must not depend on env interpolation");
});

Deno.test("the local test config reads the same program and honours a configurable endpoint", () => {
  const routing = Object.values(local.transforms)[0] as any;
  assert.equal(read(routing.file), PROGRAM);
  const [source] = Object.values(local.sources) as any[];
  assert.equal(source.type, "stdin");
  assert.equal(source.decoding.codec, "json");
  const sink = local.sinks.central_bucket;
  assert.match(sink.endpoint, /^\$\{AWS_ENDPOINT_URL:-http:\/\/127\.0\.0\.1:\d+\}$/);
  assert.match(sink.bucket, /^\$\{CENTRAL_BUCKET:\?/);
  assert.equal(sink.force_path_style, true);
  assert.equal(sink.acknowledgements, undefined, "the stdin source cannot take acknowledgements");
  for (const option of ["key_prefix", "filename_time_format", "filename_append_uuid", "filename_extension"]) {
    assert.equal(sink[option], agent.sinks.central_bucket[option], option);
  }
});

Deno.test("the local test config assumes the central writer role from S3_WRITER_ROLE_ARN, as the agents do", () => {
  const sink = local.sinks.central_bucket;
  assert.match(sink.auth.assume_role, /^\$\{S3_WRITER_ROLE_ARN:\?.+\}$/);
  assert.match(sink.auth.session_name, /\S/);
  assert.ok(agent.sinks.central_bucket.auth.assume_role, "the agent assumes its role too");
});

Deno.test("routing fields are assigned last, from pod metadata only (tenant_routing.vrl)", () => {
  assert.deepEqual(routingViolations(PROGRAM, ROUTING_FIELDS), []);
  const statements = vrlStatements(PROGRAM).map((s) => s.text.trim());
  assert.deepEqual(statements.slice(-ROUTING_FIELDS.length), ROUTING_FIELDS.map((f) => `.${f} = ${f}`));
  assert.doesNotMatch(PROGRAM.replace(/#.*$/gm, ""), /\.message|parse_|decode_/, "the log line is never parsed");
});

Deno.test("tenant metadata comes from the pod's annotations, with the documented fallbacks", () => {
  const sources = (variable: string) =>
    vrlAssignments(PROGRAM).filter((a) => a.targets.includes(variable)).map((a) => a.expression.split("\n")[0]);
  assert.deepEqual(sources("customer_id"), ['string(.kubernetes.pod_annotations."customer-id") ?? ""']);
  // The cluster is the agent's own, never a pod's claim (its writer role may write only its own cluster_id).
  assert.deepEqual(sources("cluster_id")[0], 'get_env_var("CLUSTER_ID") ?? ""');
  assert.doesNotMatch(PROGRAM.replace(/#.*$/gm, ""), /cluster-id/, "no pod annotation names the cluster");
  assert.deepEqual(sources("application").slice(0, 4), [
    'string(.kubernetes.pod_annotations.application) ?? ""',
    'string(.kubernetes.pod_labels."app.kubernetes.io/name") ?? ""',
    'string(.kubernetes.pod_labels.app) ?? ""',
    'string(.kubernetes.container_name) ?? ""',
  ]);
  assert.equal(sources("pod_name")[0], 'string(.kubernetes.pod_name) ?? ""');
  assert.equal(sources("environment")[0], 'string(.kubernetes.pod_annotations.environment) ?? ""');
});

Deno.test("pods without a tenant annotation and system namespaces are dropped", () => {
  const statements = vrlStatements(PROGRAM).map((s) => s.text);
  const drops = statements.filter((s) => /\babort\b/.test(s.replace(/#.*$/gm, "")));
  const namespaceDrop = drops.find((s) => s.startsWith("if namespace"));
  assert.ok(namespaceDrop, "no namespace drop");
  for (const ns of ['"kube-system"', '"kube-public"', '"kube-node-lease"', 'starts_with(namespace, "openshift-")']) {
    assert.ok(namespaceDrop.includes(ns), ns);
  }
  assert.ok(drops.some((s) => /^if customer_id == "" \{/.test(s)), "no drop for a missing customer-id");
});

// The program's validation regexes, run in JavaScript (Rust's \A and \z are JS's ^ and $).
function vrlRegex(pattern: string): RegExp {
  return new RegExp(pattern.replace(/^\\A/, "^").replace(/\\z$/, "$"), "u");
}
const CUSTOMER_CHECK = vrlRegex(PROGRAM.match(/!match\(customer_id, r'([^']+)'\)/)![1]!);
const SAMPLES = [
  "acme",
  "a",
  "A.b_c-9",
  ".",
  "..",
  "...",
  "",
  "a/b",
  "../x",
  "a b",
  "é",
  "tenant\n",
  "x".repeat(128),
  "x".repeat(129),
  "日本",
  "a%2Fb",
  "😀x",
  "-",
];

Deno.test("a customer-id is accepted exactly when it is a valid key segment, never repaired", () => {
  const accepts = (v: string) => CUSTOMER_CHECK.test(v) && v !== "." && v !== "..";
  for (const v of SAMPLES) assert.equal(accepts(v), isValidSegment(v), JSON.stringify(v));
  const check = vrlStatements(PROGRAM).find((s) => s.text.startsWith("if !match(customer_id,"))!.text;
  assert.match(check, /\|\| customer_id == "\." \|\| customer_id == "\.\." \{[^}]*\babort "invalid_customer_id"\s*\}$/);
  // Assigned once, from the annotation: never rewritten into something valid.
  assert.equal(vrlAssignments(PROGRAM).filter((a) => a.targets.includes("customer_id")).length, 1);
});

Deno.test("cluster_id, application, pod_name and environment always become valid key segments", () => {
  for (const variable of ["cluster_id", "application", "pod_name", "environment"]) {
    const statements = vrlStatements(PROGRAM).map((s) => s.text.trim());
    const pattern = new RegExp(`^${variable} = truncate\\(replace\\(${variable}, r'([^']+)', "_"\\), (\\d+)\\)$`);
    const sanitizeAt = statements.findIndex((s) => pattern.test(s));
    assert.ok(sanitizeAt >= 0, `${variable} is not sanitized`);
    const [, cls, limit] = statements[sanitizeAt]!.match(pattern)!;
    const fallback = statements[sanitizeAt + 1];
    const fb = fallback!.match(
      new RegExp(
        `^if ${variable} == "" \\|\\| ${variable} == "\\." \\|\\| ${variable} == "\\.\\." \\{\\s*${variable} = "([^"]+)"\\s*\\}$`,
      ),
    );
    assert.ok(fb, `${variable} has no fallback right after its sanitizing: ${fallback}`);
    const sanitize = (v: string) => {
      const out = [...v.replace(new RegExp(cls!, "gu"), "_")].slice(0, Number(limit)).join("");
      return out === "" || out === "." || out === ".." ? fb[1] : out;
    };
    for (const v of SAMPLES) {
      assert.ok(isValidSegment(sanitize(v)!), `${variable} ${JSON.stringify(v)} -> ${sanitize(v)}`);
    }
    assert.equal(sanitize("prod-eu-1"), "prod-eu-1", "valid values stay as they are");
    // Nothing reassigns it between the sanitizing and the routing assignment.
    const later = vrlAssignments(PROGRAM).filter((a) => a.targets.includes(variable) && a.statement > sanitizeAt + 1);
    assert.deepEqual(later, []);
  }
});

Deno.test("a cluster's allow-list of tenants (ALLOWED_CUSTOMER_IDS) drops every other customer-id, with a warning", () => {
  const statements = vrlStatements(PROGRAM).map((s) => s.text.trim());
  const read = statements.findIndex((s) => s.includes('get_env_var("ALLOWED_CUSTOMER_IDS")'));
  assert.ok(read >= 0, "the allow-list is not read");
  assert.equal(
    statements[read],
    String.raw`allowed_customer_ids = replace(get_env_var("ALLOWED_CUSTOMER_IDS") ?? "", r'\s', "")`,
  );
  const check = statements[read + 1];
  assert.match(
    check!,
    /^if replace\(allowed_customer_ids, ",", ""\) != "" && !includes\(split\(allowed_customer_ids, ","\), customer_id\) \{/,
  );
  assert.match(check!, /\{\s*log\(.*, level: "warn", rate_limit_secs: 60\)\s*abort "tenant_not_allowed"\s*\}$/);
  // Checked after the tenant id is validated and before anything else is derived from the pod.
  const validated = statements.findIndex((s) => s.startsWith("if !match(customer_id,"));
  assert.ok(validated >= 0 && validated < read, "the allow-list must follow the customer-id validation");
  assert.equal(vrlAssignments(PROGRAM).filter((a) => a.targets.includes("allowed_customer_ids")).length, 1);
});

/** The reasons tenant_routing.vrl gives its drops (`abort "<reason>"`), as documented. */
const DROP_REASONS = ["system_namespace", "no_tenant", "invalid_customer_id", "tenant_not_allowed"];

Deno.test("every drop of the routing program names its reason, and the reasons are the documented ones", () => {
  const code = PROGRAM.replace(/#.*$/gm, "");
  const aborts = [...code.matchAll(/\babort\b( "(\w+)")?/g)];
  assert.ok(aborts.length >= DROP_REASONS.length);
  assert.deepEqual(aborts.filter((m) => m[2] === undefined).map((m) => m[0]), [], "an abort without a reason");
  assert.deepEqual([...new Set(aborts.map((m) => m[2]))].sort(), [...DROP_REASONS].sort());
  const docs = read("docs/collector.md");
  for (const reason of DROP_REASONS) {
    assert.ok(docs.includes(`\`${reason}\``), `docs/collector.md explains ${reason}`);
    assert.ok(read("k8s/base/vector.yaml").includes(reason), `vector.yaml names ${reason}`);
  }
});

Deno.test("the agent counts dropped lines per reason and exports them with its own metrics for Prometheus", () => {
  const routing = agent.transforms.tenant_routing;
  assert.equal(routing.reroute_dropped, true, "dropped lines leave through tenant_routing.dropped");
  const consumers = Object.entries(agent.transforms).filter(([, t]: [string, any]) =>
    t.inputs.includes("tenant_routing.dropped")
  ) as [string, any][];
  assert.equal(consumers.length, 1, "one consumer of the dropped lines");
  const [counterId, counter] = consumers[0]!;
  assert.equal(counter.type, "log_to_metric");
  assert.deepEqual(counter.inputs, ["tenant_routing.dropped"]);
  assert.deepEqual(counter.metrics, [{
    type: "counter",
    field: "message", // every kubernetes_logs event has one: each dropped line counts once
    name: "tenant_routing_dropped_lines_total",
    // remap's reroute_dropped puts the abort message here (Vector's remap.rs, annotate_dropped)
    tags: { reason: "{{ metadata.dropped.message }}" },
  }]);
  const exporters = Object.values(agent.sinks).filter((s: any) => s.type === "prometheus_exporter") as any[];
  assert.equal(exporters.length, 1);
  const internal = Object.entries(agent.sources).filter(([, s]: [string, any]) => s.type === "internal_metrics");
  assert.deepEqual([...exporters[0].inputs].sort(), [...internal.map(([id]) => id), counterId].sort());
  assert.match(exporters[0].address, /^0\.0\.0\.0:\d+$/);
  // Dropped lines and metrics go nowhere else: not into the bucket, not into another sink.
  for (const [id, sink] of Object.entries(agent.sinks) as [string, any][]) {
    if (sink.type === "prometheus_exporter") continue;
    assert.ok(!sink.inputs.some((i: string) => i === counterId || i.startsWith("tenant_routing.")), id);
  }
});
