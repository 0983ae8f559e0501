// deno-lint-ignore-file no-explicit-any
/**
 * The security and availability posture of both workloads (issue 15, item 7):
 * NetworkPolicies that admit only what each needs (never the node's instance
 * metadata), topology spread of the processor's replicas, a priority class
 * for the agent, a service-account token only where the Kubernetes API is
 * used, distinct readiness and liveness probes, the optional ServiceMonitor,
 * and kube-score clean except for findings justified in a comment.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import {
  K8S_VERSIONS,
  kubernetesValidate,
  kustomizeBuild,
  kustomizeWith,
  type Manifest,
  parseManifests,
  pick,
  runGoTool,
} from "./support/kustomize.ts";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const OVERLAY = `${ROOT}/k8s/overlays/example-cluster`;
const PROCESSOR = `${ROOT}/k8s/processor`;
const SERVICE_MONITOR = `${PROCESSOR}/components/servicemonitor`;

const agent = kustomizeBuild(OVERLAY).then(parseManifests);
const processor = kustomizeBuild(PROCESSOR).then(parseManifests);
const podSpec = (w: Manifest): any => (w as any).spec.template.spec;
const podLabels = (w: Manifest): Record<string, string> => (w as any).spec.template.metadata.labels;

/** Whether the IPv4 `address` lies in `cidr`. */
function inCidr(address: string, cidr: string): boolean {
  if (address.includes(":") !== cidr.includes(":")) return false;
  if (address.includes(":")) return cidr === "::/0" || cidr === `${address}/128`;
  const n = (ip: string) => ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
  const [base, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  return Math.floor(n(address) / size) === Math.floor(n(base ?? "") / size);
}

/** Whether an egress rule lets the pod reach `address` on TCP `port`. */
function admits(rule: any, address: string, port: number): boolean {
  const portOk = !rule.ports || rule.ports.some((p: any) => p.port === port && (p.protocol ?? "TCP") === "TCP");
  const peerOk = !rule.to || rule.to.some((peer: any) =>
    peer.ipBlock && inCidr(address, peer.ipBlock.cidr) &&
    !(peer.ipBlock.except ?? []).some((e: string) => inCidr(address, e))
  );
  return portOk && peerOk;
}

const IMDS = ["169.254.169.254", "fd00:ec2::254"];

for (
  const [name, manifests, kind, ports] of [
    ["agent", agent, "DaemonSet", [8686, 9598]],
    ["processor", processor, "Deployment", [9090]],
  ] as const
) {
  Deno.test(`the ${name}'s NetworkPolicy admits only its probe and metrics ports in, DNS and HTTPS out, never instance metadata`, async () => {
    const all = await manifests;
    const workload = all.find((m) => m.kind === kind)!;
    const policy = pick(all, "NetworkPolicy") as any;
    assert.equal(policy.metadata.namespace, workload.metadata.namespace);
    for (const [k, v] of Object.entries(policy.spec.podSelector.matchLabels)) assert.equal(podLabels(workload)[k], v);
    assert.deepEqual(policy.spec.policyTypes, ["Ingress", "Egress"]);
    // In: the probe and metrics ports only (every declared container port), by number or by port name.
    const [container] = podSpec(workload).containers;
    const ingressPorts = policy.spec.ingress.flatMap((r: any) => r.ports.map((p: any) => p.port));
    const resolved = ingressPorts.map((p: any) =>
      typeof p === "number" ? p : container.ports.find((cp: any) => cp.name === p)?.containerPort
    );
    assert.deepEqual(resolved, [...ports]);
    assert.deepEqual(container.ports.map((p: any) => p.containerPort).sort(), [...ports].sort());
    // Out: DNS anywhere, HTTPS to public addresses, never the instance metadata service.
    const egress = policy.spec.egress;
    assert.ok(egress.some((r: any) => !r.to && r.ports.some((p: any) => p.port === 53 && p.protocol === "UDP")));
    assert.ok(egress.some((r: any) => admits(r, "52.95.110.1", 443)), "HTTPS to AWS");
    for (const address of IMDS) {
      for (const port of [80, 443]) {
        assert.ok(!egress.some((r: any) => admits(r, address, port)), `${address}:${port} is reachable`);
      }
    }
    assert.ok(!egress.some((r: any) => admits(r, "10.0.0.5", 5432)), "nothing else");
  });
}

Deno.test("the agent may reach the Kubernetes API on 443 and 6443; the processor has no API token at all", async () => {
  const policy = pick(await agent, "NetworkPolicy") as any;
  for (const port of [443, 6443]) assert.ok(policy.spec.egress.some((r: any) => admits(r, "10.100.0.1", port)));
  // kubernetes_logs uses the ServiceAccount token; the processor never calls the API.
  const vectorConfig = parse(await Deno.readTextFile(`${ROOT}/k8s/base/vector.yaml`));
  assert.ok(Object.values(vectorConfig.sources).some((s: any) => s.type === "kubernetes_logs"));
  assert.equal((pick(await agent, "ServiceAccount", "vector") as any).automountServiceAccountToken, true);
  const deployment = pick(await processor, "Deployment", "log-processor");
  assert.equal(podSpec(deployment).automountServiceAccountToken, false);
  assert.equal((pick(await processor, "ServiceAccount", "log-processor") as any).automountServiceAccountToken, false);
});

Deno.test("the processor's replicas spread over zones, then nodes, softly", async () => {
  const deployment = pick(await processor, "Deployment", "log-processor");
  const spread = podSpec(deployment).topologySpreadConstraints;
  assert.deepEqual(spread.map((c: any) => c.topologyKey), ["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
  for (const c of spread) {
    assert.equal(c.maxSkew, 1);
    assert.equal(c.whenUnsatisfiable, "ScheduleAnyway", "a single-zone cluster still runs every replica");
    for (const [k, v] of Object.entries(c.labelSelector.matchLabels)) assert.equal(podLabels(deployment)[k], v);
  }
});

Deno.test("the agent has its own priority class: above workloads, below the node's system daemons", async () => {
  const all = await agent;
  const spec = podSpec(pick(all, "DaemonSet", "vector"));
  const priority = pick(all, "PriorityClass", spec.priorityClassName) as any;
  assert.equal(priority.metadata.name, spec.priorityClassName);
  assert.ok(priority.value > 0 && priority.value < 2_000_000_000, String(priority.value));
  assert.equal(priority.globalDefault, false);
  assert.equal(priority.preemptionPolicy, "PreemptLowerPriority");
});

Deno.test("readiness and liveness probes differ in both workloads (liveness never follows a dependency)", async () => {
  for (const [all, kind] of [[await agent, "DaemonSet"], [await processor, "Deployment"]] as const) {
    const [c] = podSpec(all.find((m) => m.kind === kind)!).containers;
    assert.notDeepEqual(c.livenessProbe, c.readinessProbe);
    const handler = (p: any) => JSON.stringify(p.httpGet ?? p.tcpSocket ?? p.exec);
    assert.notEqual(handler(c.livenessProbe), handler(c.readinessProbe), `${kind}: same probe handler`);
  }
});

Deno.test("the optional ServiceMonitor scrapes the processor Service's metrics port and renders with it", async () => {
  const text = await kustomizeWith([PROCESSOR], [SERVICE_MONITOR]);
  const all = parseManifests(text);
  const monitor = pick(all, "ServiceMonitor", "log-processor") as any;
  const service = pick(all, "Service", "log-processor") as any;
  assert.equal(monitor.metadata.namespace, service.metadata.namespace);
  assert.deepEqual(monitor.spec.namespaceSelector.matchNames, [service.metadata.namespace]);
  for (const [k, v] of Object.entries(monitor.spec.selector.matchLabels)) assert.equal(service.metadata.labels[k], v);
  assert.deepEqual(monitor.spec.endpoints.map((e: any) => [e.port, e.path]), [[
    service.spec.ports[0].name,
    "/metrics",
  ]]);
  assert.ok(!(await processor).some((m) => m.kind === "ServiceMonitor"), "optional: not in the plain kustomization");
  for (const version of K8S_VERSIONS) {
    const result = await kubernetesValidate(text, version);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    // The CRD has no schema here: everything else is validated, the ServiceMonitor is checked above.
    assert.match(result.stdout + result.stderr, /Couldn't find schema for kind ServiceMonitor/);
  }
});

Deno.test("kube-score finds nothing but what a comment beside the workload justifies", async () => {
  for (
    const [dir, file] of [[OVERLAY, "k8s/base/daemonset.yaml"], [PROCESSOR, "k8s/processor/deployment.yaml"]] as const
  ) {
    const run = await runGoTool("kube-score", ["score", "--output-format", "ci", "-"], await kustomizeBuild(dir));
    const findings = run.stdout.split("\n").filter((l) => /^\[(WARNING|CRITICAL)\]/.test(l));
    assert.deepEqual(findings, [], `${dir}:\n${run.stdout}`);
    const source = await Deno.readTextFile(`${ROOT}/${file}`);
    const ignored = source.match(/kube-score\/ignore: (\S+)/)?.[1]?.split(",") ?? [];
    for (const check of ignored) {
      assert.match(source, new RegExp(`^# - ${check}: \\S`, "m"), `${file}: ignoring ${check} without a reason`);
    }
  }
});
