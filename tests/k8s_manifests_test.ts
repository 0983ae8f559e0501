// deno-lint-ignore-file no-explicit-any
/**
 * The Kubernetes manifests under k8s/: every kustomization renders offline,
 * validates against the Kubernetes schemas (kubernetes-validate, strict), and
 * says what the design needs (non-root, read-only RBAC, probes on the right
 * ports, the Vector configuration mounted where it expects itself).
 */
import assert from "node:assert/strict";
import { parse, stringify } from "yaml";
import { parseEnvText } from "../scripts/deploy/env_files.ts";
import { loadConfig } from "../src/config.ts";
import {
  findKustomizations,
  K8S_VERSIONS,
  kubernetesValidate,
  kustomizationProblems,
  kustomizeBuild,
  kustomizeWith,
  type Manifest,
  parseManifests,
  pick,
  runTool,
} from "./support/kustomize.ts";
import { loadTemplate } from "./support/tools.ts";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const BASE = `${ROOT}/k8s/base`;
const OVERLAY = `${ROOT}/k8s/overlays/example-cluster`;
const PROCESSOR = `${ROOT}/k8s/processor`;
const KEDA = `${PROCESSOR}/components/keda`;
const HPA = `${PROCESSOR}/components/hpa`;
const SERVICE_MONITOR = `${PROCESSOR}/components/servicemonitor`;
const GRAFANA = `${PROCESSOR}/components/grafana-dashboard`;
const KEDA_SCHEMAS = `${ROOT}/tests/testdata/keda`;

const OPENSHIFT = `${ROOT}/k8s/overlays/openshift`;
const rendered = new Map<string, Promise<string>>();
function render(dir: string): Promise<string> {
  if (!rendered.has(dir)) rendered.set(dir, kustomizeBuild(dir));
  return rendered.get(dir)!;
}

const validate = kubernetesValidate;

function podSpec(workload: Manifest): any {
  return (workload as any).spec.template.spec;
}

Deno.test("every kustomization under k8s/ is covered here and refers only to files that exist", async () => {
  const found = await findKustomizations(`${ROOT}/k8s`);
  assert.deepEqual(found, [BASE, PROCESSOR, GRAFANA, HPA, KEDA, SERVICE_MONITOR, OVERLAY, OPENSHIFT].sort());
  for (const dir of found) assert.deepEqual(await kustomizationProblems(dir), [], dir);
});

Deno.test("kustomizationProblems reports missing files and remote bases", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/kustomization.yaml`,
      "resources: [present.yaml, missing.yaml, https://github.com/x/y]\n" +
        "patches: [{path: nope.yaml}]\nconfigMapGenerator: [{name: c, files: [key=absent.txt]}]\n",
    );
    await Deno.writeTextFile(`${dir}/present.yaml`, "kind: ConfigMap\n");
    const problems = (await kustomizationProblems(dir)).join("\n");
    for (const ref of ["missing.yaml does not exist", "https://github.com/x/y is remote", "nope.yaml", "absent.txt"]) {
      assert.match(problems, new RegExp(ref.replaceAll(".", "\\.").replaceAll("/", "\\/")));
    }
    assert.doesNotMatch(problems, /present\.yaml/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

for (const dir of [BASE, OVERLAY, PROCESSOR]) {
  const name = dir.slice(ROOT.length + 1);
  Deno.test(`${name} renders and validates against Kubernetes ${K8S_VERSIONS.join(" and ")} (strict)`, async () => {
    const text = await render(dir);
    assert.ok(parseManifests(text).length >= 5, `${name} rendered too few objects`);
    for (const version of K8S_VERSIONS) {
      const result = await validate(text, version);
      assert.equal(result.code, 0, `${name} against ${version}:\n${result.stdout}${result.stderr}`);
    }
  });
}

Deno.test("kubernetes-validate rejects a misspelled field (the validation can fail)", async () => {
  const text = (await render(PROCESSOR)).replace("terminationGracePeriodSeconds:", "terminationGracePeriodSecond:");
  const result = await validate(text, K8S_VERSIONS[0]!);
  assert.notEqual(result.code, 0);
  assert.match(result.stdout + result.stderr, /terminationGracePeriodSecond/);
});

Deno.test("the agent runs as non-root without capabilities; only the chown init container is root", async () => {
  const spec = podSpec(pick(parseManifests(await render(OVERLAY)), "DaemonSet", "vector"));
  assert.equal(spec.securityContext.runAsNonRoot, true);
  const [vector] = spec.containers;
  assert.equal(vector.securityContext.runAsNonRoot, true);
  assert.notEqual(vector.securityContext.runAsUser, 0);
  assert.equal(vector.securityContext.runAsGroup, 0, "group 0 reads the runtime's 0640 root:root log files");
  assert.equal(vector.securityContext.allowPrivilegeEscalation, false);
  assert.equal(vector.securityContext.readOnlyRootFilesystem, true);
  assert.deepEqual(vector.securityContext.capabilities, { drop: ["ALL"] });
  const [init] = spec.initContainers;
  assert.equal(init.securityContext.runAsUser, 0);
  assert.deepEqual(init.securityContext.capabilities, { drop: ["ALL"], add: ["CHOWN", "FOWNER"] });
  assert.deepEqual(init.command, ["chown", "-R", `${vector.securityContext.runAsUser}:0`, "/var/lib/vector"]);
  for (const c of [...spec.containers, ...spec.initContainers]) {
    for (const kind of ["requests", "limits"]) {
      assert.ok(c.resources?.[kind]?.cpu && c.resources[kind].memory, `${c.name} lacks ${kind}`);
    }
  }
  const logs = spec.volumes.find((v: any) => v.hostPath?.path === "/var/log/pods");
  assert.equal(vector.volumeMounts.find((m: any) => m.name === logs.name).readOnly, true);
});

Deno.test("the agent's RBAC only reads pods, namespaces and nodes", async () => {
  const manifests = parseManifests(await render(OVERLAY));
  const role = pick(manifests, "ClusterRole", "vector") as any;
  assert.deepEqual(role.rules, [{
    apiGroups: [""],
    resources: ["pods", "namespaces", "nodes"],
    verbs: ["get", "list", "watch"],
  }]);
  const binding = pick(manifests, "ClusterRoleBinding", "vector") as any;
  assert.equal(binding.roleRef.name, role.metadata.name);
  const sa = pick(manifests, "ServiceAccount", "vector");
  assert.deepEqual(binding.subjects, [{
    kind: "ServiceAccount",
    name: sa.metadata.name,
    namespace: sa.metadata.namespace,
  }]);
  assert.equal(podSpec(pick(manifests, "DaemonSet", "vector")).serviceAccountName, sa.metadata.name);
});

Deno.test("the agent mounts its Vector configuration, params and data where vector.yaml expects them", async () => {
  const manifests = parseManifests(await render(OVERLAY));
  const spec = podSpec(pick(manifests, "DaemonSet", "vector"));
  const [vector] = spec.containers;
  const mountOf = (volume: (v: any) => boolean) => {
    const v = spec.volumes.find(volume);
    assert.ok(v, "volume missing");
    return { volume: v, path: vector.volumeMounts.find((m: any) => m.name === v.name)?.mountPath };
  };
  const configMaps = manifests.filter((m) => m.kind === "ConfigMap") as any[];
  const configMap = configMaps.find((m) => "vector.yaml" in m.data);
  const params = configMaps.find((m) => m.metadata.name.startsWith("vector-params"));
  const config = mountOf((v) => v.configMap?.name === configMap.metadata.name);
  const paramsMount = mountOf((v) => v.configMap?.name === params.metadata.name);

  // The deployed files are the repository's files.
  assert.equal(configMap.data["vector.yaml"], await Deno.readTextFile(`${BASE}/vector.yaml`));
  assert.equal(configMap.data["tenant_routing.vrl"], await Deno.readTextFile(`${BASE}/tenant_routing.vrl`));
  const vectorConfig = parse(configMap.data["vector.yaml"]);
  assert.deepEqual(vector.args, ["--config", `${config.path}/vector.yaml`]);
  assert.equal(vectorConfig.transforms.tenant_routing.file, `${config.path}/tenant_routing.vrl`);

  // Data dir (checkpoints + disk buffer) persists on the node.
  const data = mountOf((v) => v.hostPath?.path === vectorConfig.data_dir);
  assert.equal(data.path, vectorConfig.data_dir);

  // Every SECRET[params.<key>] has its key; CLUSTER_ID and AWS_REGION come from the same map.
  assert.equal(vectorConfig.secret.params.path, paramsMount.path);
  const keys = [...configMap.data["vector.yaml"].matchAll(/SECRET\[params\.([\w.-]+)\]/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(keys)].sort(), ["bucket", "region", "writer_role_arn"]);
  for (const key of [...keys, "cluster_id"]) assert.ok(params.data[key!], `vector-params lacks ${key}`);
  const env = Object.fromEntries(vector.env.map((e: any) => [e.name, e]));
  assert.equal(env.CLUSTER_ID.valueFrom.configMapKeyRef.name, params.metadata.name);
  // The tenant allow-list comes from the same map and may be absent (any tenant).
  assert.deepEqual(env.ALLOWED_CUSTOMER_IDS.valueFrom.configMapKeyRef, {
    name: params.metadata.name,
    key: "allowed_customer_ids",
    optional: true,
  });
  assert.ok("allowed_customer_ids" in params.data, "the example overlay shows the allow-list");
  assert.equal(env.VECTOR_SELF_NODE_NAME.valueFrom.fieldRef.fieldPath, "spec.nodeName");

  // Probes hit Vector's API port.
  const apiPort = Number(vectorConfig.api.address.split(":").at(-1));
  const port = vector.ports.find((p: any) => p.name === vector.readinessProbe.httpGet.port);
  assert.equal(port.containerPort, apiPort);
  assert.equal(vector.readinessProbe.httpGet.path, "/health");
  assert.equal(vector.livenessProbe.tcpSocket.port, vector.readinessProbe.httpGet.port);
});

Deno.test("the processor runs the SQS worker, probed on its --listen port, non-root with a read-only root", async () => {
  const manifests = parseManifests(await render(PROCESSOR));
  const deployment = pick(manifests, "Deployment", "log-processor") as any;
  const spec = podSpec(deployment);
  const [c] = spec.containers;
  const args: string[] = c.args;
  assert.equal(args[args.indexOf("--mode") + 1], "sqs");
  const listen = args[args.indexOf("--listen") + 1];
  assert.match(listen!, /^0\.0\.0\.0:\d+$/);
  const port = c.ports.find((p: any) => p.containerPort === Number(listen!.split(":")[1]));
  assert.ok(port, `no container port for ${listen}`);
  // Liveness only asks whether the process answers; readiness follows the worker's health (SQS included).
  assert.equal(c.livenessProbe.httpGet.path, "/livez");
  assert.equal(c.readinessProbe.httpGet.path, "/healthz");
  for (const probe of [c.livenessProbe, c.readinessProbe]) assert.equal(probe.httpGet.port, port.name);
  const service = pick(manifests, "Service", "log-processor") as any;
  assert.equal(service.spec.ports[0].targetPort, port.name);
  assert.equal(deployment.spec.template.metadata.annotations["prometheus.io/port"], String(port.containerPort));
  assert.equal(spec.securityContext.runAsNonRoot, true);
  assert.equal(c.securityContext.readOnlyRootFilesystem, true);
  assert.equal(c.securityContext.allowPrivilegeEscalation, false);
  assert.deepEqual(c.securityContext.capabilities, { drop: ["ALL"] });
  for (const kind of ["requests", "limits"]) assert.ok(c.resources[kind].cpu && c.resources[kind].memory);
});

Deno.test("the processor's environment is a valid sqs-mode configuration of documented variables", async () => {
  const manifests = parseManifests(await render(PROCESSOR));
  const [c] = podSpec(pick(manifests, "Deployment", "log-processor")).containers;
  const name = c.envFrom[0].configMapRef.name;
  const env: Record<string, string> = (pick(manifests, "ConfigMap", name) as any).data;
  const config = loadConfig(env, "sqs");
  assert.equal(config.mode, "sqs");
  assert.ok(config.queueUrl);
  // A clean shutdown (a pending long poll, then the grace period) ends before the kubelet's SIGKILL.
  const grace = podSpec(pick(manifests, "Deployment", "log-processor")).terminationGracePeriodSeconds;
  assert.ok(
    config.shutdownGraceMs / 1000 + config.sqsWaitTimeSeconds < grace,
    `SHUTDOWN_GRACE_SECONDS ${config.shutdownGraceMs / 1000} + SQS_WAIT_TIME_SECONDS ${config.sqsWaitTimeSeconds} ` +
      `must stay below terminationGracePeriodSeconds ${grace}`,
  );
  // Every variable is one the processor reads (a typo would be silently ignored).
  const source = await Deno.readTextFile(`${ROOT}/src/config.ts`);
  const known = new Set([...source.matchAll(/(?:env\.|\(\s*env,\s*")([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]));
  assert.ok(known.has("TENANT_CONFIG_TABLE") && known.has("EXECUTION_MODE"), "config.ts scan found too little");
  assert.deepEqual(Object.keys(env).filter((k) => !known.has(k)), []);
});

/** The processor with `component` enabled, as an overlay would enable it. */
function renderProcessorWith(component: string): Promise<string> {
  return kustomizeWith([PROCESSOR], [component]);
}

/** Validates custom resources against the vendored KEDA CRDs (tests/support/validate_crd.py). */
async function validateKeda(objects: Manifest[]) {
  const file = await Deno.makeTempFile({ suffix: ".yaml" });
  try {
    await Deno.writeTextFile(file, objects.map((o) => stringify(o)).join("---\n"));
    const crds = [`${KEDA_SCHEMAS}/keda.sh_scaledobjects.yaml`, `${KEDA_SCHEMAS}/keda.sh_triggerauthentications.yaml`];
    return await runTool("python3", [`${ROOT}/tests/support/validate_crd.py`, ...crds, "--", file]);
  } finally {
    await Deno.remove(file);
  }
}

const isKeda = (m: Manifest) => String((m as any).apiVersion).startsWith("keda.sh/");

for (const component of [KEDA, HPA]) {
  const name = component.slice(ROOT.length + 1);
  Deno.test(`k8s/processor with ${name} renders and validates (core schemas strict; KEDA objects against KEDA's CRDs)`, async () => {
    const manifests = parseManifests(await renderProcessorWith(component));
    const core = manifests.filter((m) => !isKeda(m));
    for (const version of K8S_VERSIONS) {
      const result = await validate(core.map((m) => stringify(m)).join("---\n"), version);
      assert.equal(result.code, 0, `${name} against ${version}:\n${result.stdout}${result.stderr}`);
    }
    const keda = manifests.filter(isKeda);
    if (component === KEDA) {
      assert.deepEqual(keda.map((m) => m.kind).sort(), ["ScaledObject", "TriggerAuthentication"]);
      const result = await validateKeda(keda);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.equal(result.stdout.trim().split("\n").filter((l) => l.endsWith(": valid")).length, 2, result.stdout);
    } else {
      assert.deepEqual(keda, []);
      pick(manifests, "HorizontalPodAutoscaler", "log-processor");
    }
    // The autoscaler owns the replica count; everything lands in the processor's namespace.
    assert.equal((pick(manifests, "Deployment", "log-processor") as any).spec.replicas, undefined);
    for (const m of manifests.filter((m) => m.kind !== "Namespace")) {
      assert.equal(m.metadata.namespace, "log-processor");
    }
  });
}

Deno.test("k8s/processor with components/grafana-dashboard adds the dashboard as a sidecar-labelled ConfigMap", async () => {
  const manifests = parseManifests(await renderProcessorWith(GRAFANA));
  for (const version of K8S_VERSIONS) {
    const result = await validate(manifests.map((m) => stringify(m)).join("---\n"), version);
    assert.equal(result.code, 0, `against ${version}:\n${result.stdout}${result.stderr}`);
  }
  const map = pick(manifests, "ConfigMap", "log-processor-dashboard") as any;
  assert.equal(map.metadata.namespace, "log-processor");
  assert.equal(map.metadata.labels.grafana_dashboard, "1");
  assert.equal(map.data["log-processor.json"], await Deno.readTextFile(`${GRAFANA}/log-processor.json`));
  // The rest of the processor is unchanged.
  assert.equal((pick(manifests, "Deployment", "log-processor") as any).spec.replicas, 2);
});

Deno.test("the KEDA CRD check rejects a misspelled field, a non-string trigger value and an unknown provider", async () => {
  const manifests = parseManifests(await renderProcessorWith(KEDA)).filter(isKeda) as any[];
  const scaled = manifests.find((m) => m.kind === "ScaledObject");
  scaled.spec.maxReplicaCounts = scaled.spec.maxReplicaCount;
  scaled.spec.triggers[0].metadata.queueLength = 8;
  manifests.find((m) => m.kind === "TriggerAuthentication").spec.podIdentity.provider = "amazon";
  const result = await validateKeda(manifests);
  assert.equal(result.code, 1);
  assert.match(result.stdout, /ScaledObject\/log-processor: spec: .*'maxReplicaCounts' was unexpected/);
  assert.match(result.stdout, /spec\.triggers\.0\.metadata\.queueLength: 8 is not of type 'string'/);
  assert.match(result.stdout, /TriggerAuthentication\/log-processor-aws: spec\.podIdentity\.provider: 'amazon'/);
});

/** The processor's rendered environment (processor.env) and its configuration. */
function processorConfig(manifests: Manifest[]) {
  const [c] = podSpec(pick(manifests, "Deployment", "log-processor")).containers;
  const env: Record<string, string> = (pick(manifests, "ConfigMap", c.envFrom[0].configMapRef.name) as any).data;
  const config = loadConfig(env, "sqs");
  return { config, queueName: config.queueUrl!.split("/").at(-1)! };
}

Deno.test("KEDA scales the worker's Deployment on its own queue, with the keys KEDA's scalers read", async () => {
  const manifests = parseManifests(await renderProcessorWith(KEDA));
  const { config, queueName } = processorConfig(manifests);
  const scaled = pick(manifests, "ScaledObject", "log-processor") as any;
  const auth = pick(manifests, "TriggerAuthentication", "log-processor") as any;
  assert.equal(scaled.spec.scaleTargetRef.name, pick(manifests, "Deployment", "log-processor").metadata.name);
  assert.equal(auth.spec.podIdentity.provider, "aws");
  // KEDA's CEL rule (not evaluated by the schema check): minReplicaCount <= maxReplicaCount.
  assert.ok(scaled.spec.minReplicaCount <= scaled.spec.maxReplicaCount);
  const known: Record<string, { required: string[]; optional: string[] }> = JSON.parse(
    await Deno.readTextFile(`${KEDA_SCHEMAS}/trigger_metadata.json`),
  );
  const triggers = Object.fromEntries(scaled.spec.triggers.map((t: any) => [t.type, t]));
  assert.deepEqual(Object.keys(triggers).sort(), ["aws-cloudwatch", "aws-sqs-queue"]);
  for (const t of scaled.spec.triggers) {
    assert.equal(t.authenticationRef.name, auth.metadata.name);
    const keys = Object.keys(t.metadata);
    const { required, optional } = known[t.type]!;
    assert.deepEqual(keys.filter((k) => !required.includes(k) && !optional.includes(k)), [], `${t.type}: unknown keys`);
    assert.deepEqual(required.filter((k) => !keys.includes(k)), [], `${t.type}: missing keys`);
    assert.equal(t.metadata.awsRegion, config.region);
  }
  const depth = triggers["aws-sqs-queue"].metadata;
  assert.equal(depth.queueURL, config.queueUrl);
  // Backoff-delayed retries are "in flight" to SQS: counting them would add replicas that cannot help.
  assert.equal(depth.scaleOnInFlight, "false");
  assert.ok(Number(depth.queueLength) >= config.concurrency, "queueLength is per replica: at least CONCURRENCY");
  const age = triggers["aws-cloudwatch"];
  assert.equal(age.metricType, "Value");
  assert.deepEqual(
    [age.metadata.namespace, age.metadata.metricName, age.metadata.dimensionName, age.metadata.dimensionValue],
    ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", queueName],
  );
});

Deno.test("the plain HPA follows the same queue and policy as the KEDA component", async () => {
  const manifests = parseManifests(await renderProcessorWith(HPA));
  const { config, queueName } = processorConfig(manifests);
  const hpa = pick(manifests, "HorizontalPodAutoscaler", "log-processor") as any;
  assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name: "log-processor" });
  const metrics = Object.fromEntries(hpa.spec.metrics.map((m: any) => [m.external.metric.name, m.external]));
  assert.deepEqual(Object.keys(metrics).sort(), ["sqs_messages_visible", "sqs_oldest_message_age_seconds"]);
  for (const m of Object.values(metrics) as any[]) {
    assert.deepEqual(m.metric.selector.matchLabels, { queue_name: queueName });
  }
  const scaled = pick(parseManifests(await renderProcessorWith(KEDA)), "ScaledObject", "log-processor") as any;
  const triggers = Object.fromEntries(scaled.spec.triggers.map((t: any) => [t.type, t.metadata]));
  assert.equal(metrics.sqs_messages_visible.target.averageValue, triggers["aws-sqs-queue"].queueLength);
  assert.ok(Number(metrics.sqs_messages_visible.target.averageValue) >= config.concurrency);
  assert.equal(metrics.sqs_oldest_message_age_seconds.target.value, triggers["aws-cloudwatch"].targetMetricValue);
  assert.deepEqual(
    [hpa.spec.minReplicas, hpa.spec.maxReplicas, hpa.spec.behavior],
    [
      scaled.spec.minReplicaCount,
      scaled.spec.maxReplicaCount,
      scaled.spec.advanced.horizontalPodAutoscalerConfig.behavior,
    ],
  );
});

Deno.test("the agent's shutdown limit, grace period, request timeout and batch timeout agree", async () => {
  const manifests = parseManifests(await render(OVERLAY));
  const spec = podSpec(pick(manifests, "DaemonSet", "vector"));
  const [vector] = spec.containers;
  const configMap = (manifests.filter((m) => m.kind === "ConfigMap") as any[]).find((m) => "vector.yaml" in m.data);
  const sink = parse(configMap.data["vector.yaml"]).sinks.central_bucket;
  const env = Object.fromEntries(vector.env.map((e: any) => [e.name, e.value]));
  const limit = Number(env.VECTOR_GRACEFUL_SHUTDOWN_LIMIT_SECS);
  const grace = spec.terminationGracePeriodSeconds;
  assert.ok(Number.isInteger(limit) && limit > 0, "VECTOR_GRACEFUL_SHUTDOWN_LIMIT_SECS is set on the agent");
  assert.ok(
    !vector.args.some((a: string) => /graceful-shutdown-limit/.test(a)),
    "no command-line flag overrides the env",
  );
  // Vector stops itself (and closes its disk buffer) before the kubelet's SIGKILL.
  assert.ok(limit + 10 <= grace, `shutdown limit ${limit} s + 10 s must fit in terminationGracePeriodSeconds ${grace}`);
  // An upload in flight at SIGTERM ends (or times out) before Vector kills its components.
  assert.ok(
    sink.request.timeout_secs < limit,
    `request timeout ${sink.request.timeout_secs} s < shutdown limit ${limit} s`,
  );
  // The open batches are left in the disk buffer on purpose: waiting for them would take the whole batch timeout.
  assert.ok(limit < sink.batch.timeout_secs, `shutdown limit ${limit} s < batch timeout ${sink.batch.timeout_secs} s`);
  assert.equal(sink.buffer.type, "disk", "what is not uploaded at shutdown must survive it");
});

Deno.test("the agent's Prometheus exporter is on a declared container port, announced to scrapers", async () => {
  const manifests = parseManifests(await render(OVERLAY));
  const daemonSet = pick(manifests, "DaemonSet", "vector") as any;
  const [vector] = podSpec(daemonSet).containers;
  const configMap = (manifests.filter((m) => m.kind === "ConfigMap") as any[]).find((m) => "vector.yaml" in m.data);
  const sinks = Object.values(parse(configMap.data["vector.yaml"]).sinks) as any[];
  const exporter = sinks.find((s) => s.type === "prometheus_exporter");
  const port = Number(exporter.address.split(":").at(-1));
  const declared = vector.ports.find((p: any) => p.containerPort === port);
  assert.equal(declared?.name, "metrics");
  const annotations = daemonSet.spec.template.metadata.annotations;
  assert.equal(annotations["prometheus.io/port"], String(port));
  assert.equal(annotations["prometheus.io/scrape"], "true");
  assert.equal(annotations["prometheus.io/path"], "/metrics");
});

Deno.test("the examples name what deploy.sh --environment prod --region eu-west-1 creates in account 123456789012", async () => {
  const core = await loadTemplate(`${ROOT}/cloudformation/core.yaml`);
  const sqs = await loadTemplate(`${ROOT}/cloudformation/sqs.yaml`);
  const vars: Record<string, string> = {
    Project: "mtl",
    Environment: "prod",
    "AWS::AccountId": "123456789012",
    "AWS::Region": "eu-west-1",
  };
  const sub = (v: any): string => {
    const text = typeof v["Fn::Sub"] === "string" ? v["Fn::Sub"] : v["Fn::If"][1]["Fn::Sub"];
    return text.replace(/\$\{([\w:]+)\}/g, (_: string, k: string) => vars[k] ?? `<${k}>`);
  };
  const role = (id: string) => `arn:aws:iam::123456789012:role/${sub(core.Resources[id].Properties.RoleName)}`;
  const env = (path: string) => parseEnvText(Deno.readTextFileSync(`${ROOT}/${path}`));
  const processor = env("k8s/processor/processor.env");
  assert.deepEqual(
    [
      processor.TENANT_CONFIG_TABLE,
      processor.CLUSTER_TABLE,
      processor.DELIVERY_STATE_TABLE,
      processor.CENTRAL_BUCKET,
      processor.CENTRAL_LOG_DISTRIBUTION_ROLE_ARN,
      processor.SQS_QUEUE_URL,
      processor.AWS_REGION,
      processor.POWERTOOLS_SERVICE_NAME,
    ],
    [
      sub(core.Resources.TenantTable.Properties.TableName),
      sub(core.Resources.ClusterTable.Properties.TableName),
      sub(core.Resources.DeliveryStateTable.Properties.TableName),
      sub(core.Resources.LogBucket.Properties.BucketName),
      role("CentralLogDistributionRole"),
      `https://sqs.eu-west-1.amazonaws.com/123456789012/${sub(sqs.Resources.Queue.Properties.QueueName)}`,
      "eu-west-1",
      sub(sqs.Outputs.ServiceName.Value["Fn::If"][2]),
    ],
  );
  assert.deepEqual(env("k8s/processor/aws-identity.env"), { processor_role_arn: role("ProcessorRole") });
  for (const overlay of ["example-cluster", "openshift"]) {
    assert.deepEqual(env(`k8s/overlays/${overlay}/central.env`), {
      bucket: processor.CENTRAL_BUCKET,
      region: "eu-west-1",
    });
  }
  const sa = pick(parseManifests(await render(PROCESSOR)), "ServiceAccount", "log-processor") as any;
  assert.equal(sa.metadata.annotations["eks.amazonaws.com/role-arn"], role("ProcessorRole"));
});
