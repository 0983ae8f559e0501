// deno-lint-ignore-file no-explicit-any
/**
 * The Kubernetes manifests under k8s/: every kustomization renders offline,
 * validates against the Kubernetes schemas (kubernetes-validate, strict), and
 * says what the design needs (non-root, read-only RBAC, probes on the right
 * ports, the Vector configuration mounted where it expects itself).
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { loadConfig } from "../src/config.ts";
import {
  findKustomizations,
  kustomizationProblems,
  kustomizeBuild,
  type Manifest,
  parseManifests,
  pick,
  runTool,
} from "./support/kustomize.ts";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const BASE = `${ROOT}/k8s/base`;
const OVERLAY = `${ROOT}/k8s/overlays/example-cluster`;
const PROCESSOR = `${ROOT}/k8s/processor`;
/** Oldest and newest Kubernetes versions the manifests must validate against. */
const K8S_VERSIONS = ["1.28.0", "1.37.0"];

const rendered = new Map<string, Promise<string>>();
function render(dir: string): Promise<string> {
  if (!rendered.has(dir)) rendered.set(dir, kustomizeBuild(dir));
  return rendered.get(dir)!;
}

async function validate(yamlText: string, version: string) {
  const file = await Deno.makeTempFile({ suffix: ".yaml" });
  try {
    await Deno.writeTextFile(file, yamlText);
    return await runTool("kubernetes-validate", ["--strict", "--quiet", "-k", version, file]);
  } finally {
    await Deno.remove(file);
  }
}

function podSpec(workload: Manifest): any {
  return (workload as any).spec.template.spec;
}

Deno.test("every kustomization under k8s/ is covered here and refers only to files that exist", async () => {
  const found = await findKustomizations(`${ROOT}/k8s`);
  assert.deepEqual(found, [BASE, PROCESSOR, OVERLAY].sort());
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
  const result = await validate(text, K8S_VERSIONS[0]);
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
  for (const key of [...keys, "cluster_id"]) assert.ok(params.data[key], `vector-params lacks ${key}`);
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
  assert.equal(vector.livenessProbe.httpGet.port, vector.readinessProbe.httpGet.port);
});

Deno.test("the processor runs the SQS worker, probed on its --listen port, non-root with a read-only root", async () => {
  const manifests = parseManifests(await render(PROCESSOR));
  const deployment = pick(manifests, "Deployment", "log-processor") as any;
  const spec = podSpec(deployment);
  const [c] = spec.containers;
  const args: string[] = c.args;
  assert.equal(args[args.indexOf("--mode") + 1], "sqs");
  const listen = args[args.indexOf("--listen") + 1];
  assert.match(listen, /^0\.0\.0\.0:\d+$/);
  const port = c.ports.find((p: any) => p.containerPort === Number(listen.split(":")[1]));
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
