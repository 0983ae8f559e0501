// deno-lint-ignore-file no-explicit-any
/**
 * The OpenShift overlay (k8s/overlays/openshift, issue 15 item 6): it renders
 * and validates against the Kubernetes schemas (the SecurityContextConstraints
 * has none there, so its fields are checked here), the SCC is the least the
 * agent needs, it admits the rendered DaemonSet's pod, and the host's log
 * paths are mounted read-only.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { K8S_VERSIONS, kubernetesValidate, kustomizeBuild, parseManifests, pick } from "./support/kustomize.ts";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const OPENSHIFT = `${ROOT}/k8s/overlays/openshift`;
const text = kustomizeBuild(OPENSHIFT);
const manifests = text.then(parseManifests);

/** Every field of security.openshift.io/v1 SecurityContextConstraints (openshift/api). */
const SCC_FIELDS = [
  "allowHostDirVolumePlugin",
  "allowHostIPC",
  "allowHostNetwork",
  "allowHostPID",
  "allowHostPorts",
  "allowPrivilegeEscalation",
  "allowPrivilegedContainer",
  "allowedCapabilities",
  "allowedFlexVolumes",
  "allowedUnsafeSysctls",
  "apiVersion",
  "defaultAddCapabilities",
  "defaultAllowPrivilegeEscalation",
  "forbiddenSysctls",
  "fsGroup",
  "groups",
  "kind",
  "metadata",
  "priority",
  "readOnlyRootFilesystem",
  "requiredDropCapabilities",
  "runAsUser",
  "seLinuxContext",
  "seccompProfiles",
  "supplementalGroups",
  "userNamespaceLevel",
  "users",
  "volumes",
];
const STRATEGIES: Record<string, string[]> = {
  runAsUser: ["MustRunAs", "MustRunAsRange", "MustRunAsNonRoot", "RunAsAny"],
  seLinuxContext: ["MustRunAs", "RunAsAny"],
  fsGroup: ["MustRunAs", "RunAsAny"],
  supplementalGroups: ["MustRunAs", "RunAsAny"],
};

/** The SCC volume type of a pod volume (`configMap`, `hostPath`, …). */
const volumeType = (v: any) => Object.keys(v).find((k) => k !== "name")!;

Deno.test("the OpenShift overlay renders and validates against Kubernetes (the SCC has no schema there)", async () => {
  for (const version of K8S_VERSIONS) {
    const result = await kubernetesValidate(await text, version);
    assert.equal(result.code, 0, `${version}:\n${result.stdout}${result.stderr}`);
    assert.match(result.stdout + result.stderr, /Couldn't find schema for kind SecurityContextConstraints/);
  }
});

Deno.test("the SCC has only SecurityContextConstraints fields and valid strategies", async () => {
  const scc = pick(await manifests, "SecurityContextConstraints") as any;
  assert.equal(scc.apiVersion, "security.openshift.io/v1");
  assert.deepEqual(Object.keys(scc).filter((k) => !SCC_FIELDS.includes(k)), []);
  for (const [field, types] of Object.entries(STRATEGIES)) {
    assert.ok(types.includes(scc[field]?.type), `${field}.type ${scc[field]?.type}`);
  }
  assert.equal(scc.metadata.namespace, undefined, "SCCs are cluster-scoped");
});

Deno.test("the SCC is least privilege: no privileged, host namespaces, escalation, capabilities or sysctls", async () => {
  const scc = pick(await manifests, "SecurityContextConstraints") as any;
  for (const f of ["allowPrivilegedContainer", "allowPrivilegeEscalation", "defaultAllowPrivilegeEscalation"]) {
    assert.equal(scc[f], false, f);
  }
  for (const f of ["allowHostNetwork", "allowHostPID", "allowHostIPC", "allowHostPorts"]) {
    assert.equal(scc[f], false, f);
  }
  assert.equal(scc.readOnlyRootFilesystem, true);
  assert.deepEqual(scc.requiredDropCapabilities, ["ALL"]);
  assert.deepEqual(scc.allowedCapabilities, []);
  assert.deepEqual(scc.defaultAddCapabilities, []);
  assert.deepEqual(scc.forbiddenSysctls, ["*"]);
  assert.equal(scc.allowedUnsafeSysctls, undefined);
  assert.deepEqual(scc.seccompProfiles, ["runtime/default"]);
  assert.deepEqual([scc.users, scc.groups], [[], []], "granted through RBAC only");
  assert.deepEqual(scc.runAsUser, { type: "MustRunAs", uid: 0 });
  assert.deepEqual(scc.seLinuxContext, { type: "MustRunAs", seLinuxOptions: { type: "spc_t" } });
  // Volumes: exactly the types the pod uses, plus the projected ServiceAccount token.
  const pod = (pick(await manifests, "DaemonSet", "vector") as any).spec.template.spec;
  const used = new Set(pod.volumes.map(volumeType));
  used.add("projected");
  assert.deepEqual([...scc.volumes].sort(), [...used].sort());
  assert.equal(scc.allowHostDirVolumePlugin, used.has("hostPath"));
});

Deno.test("the SCC admits the rendered pod, and only the agent's ServiceAccount may use it", async () => {
  const all = await manifests;
  const scc = pick(all, "SecurityContextConstraints") as any;
  const ds = pick(all, "DaemonSet", "vector") as any;
  const pod = ds.spec.template.spec;
  assert.ok(!pod.hostNetwork && !pod.hostPID && !pod.hostIPC);
  assert.equal(pod.initContainers, undefined, "no root init container with capabilities");
  for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
    const sc = { ...pod.securityContext, ...c.securityContext };
    assert.equal(sc.runAsUser, scc.runAsUser.uid, `${c.name} runAsUser`);
    assert.equal(sc.seLinuxOptions?.type, scc.seLinuxContext.seLinuxOptions.type, `${c.name} SELinux type`);
    assert.equal(sc.privileged ?? false, false);
    assert.equal(sc.allowPrivilegeEscalation, false);
    assert.equal(sc.readOnlyRootFilesystem, true);
    assert.deepEqual(sc.capabilities, { drop: ["ALL"] });
    assert.equal(sc.seccompProfile?.type ?? pod.securityContext.seccompProfile?.type, "RuntimeDefault");
    for (const p of c.ports ?? []) assert.equal(p.hostPort, undefined);
  }
  // RBAC: `use` of this SCC by name, bound in the agent's namespace to its ServiceAccount only.
  const role = pick(all, "ClusterRole", "vector-agent-scc") as any;
  assert.deepEqual(role.rules, [{
    apiGroups: ["security.openshift.io"],
    resources: ["securitycontextconstraints"],
    resourceNames: [scc.metadata.name],
    verbs: ["use"],
  }]);
  const binding = pick(all, "RoleBinding", "vector-agent-scc") as any;
  assert.equal(binding.metadata.namespace, ds.metadata.namespace);
  assert.deepEqual(binding.roleRef, {
    apiGroup: "rbac.authorization.k8s.io",
    kind: "ClusterRole",
    name: role.metadata.name,
  });
  assert.deepEqual(binding.subjects, [{
    kind: "ServiceAccount",
    name: pod.serviceAccountName,
    namespace: ds.metadata.namespace,
  }]);
  assert.ok(!all.some((m: any) => m.kind === "ClusterRoleBinding" && m.roleRef.name === role.metadata.name));
});

Deno.test("host paths: the node's logs read-only, and only Vector's own data_dir writable", async () => {
  const all = await manifests;
  const pod = (pick(all, "DaemonSet", "vector") as any).spec.template.spec;
  const [vector] = pod.containers;
  const config = parse(
    (all.find((m: any) => m.kind === "ConfigMap" && m.data?.["vector.yaml"]) as any).data["vector.yaml"],
  );
  const writable: string[] = [];
  for (const v of pod.volumes.filter((v: any) => v.hostPath)) {
    const mount = vector.volumeMounts.find((m: any) => m.name === v.name);
    if (!mount.readOnly) writable.push(v.hostPath.path);
  }
  assert.deepEqual(writable, [config.data_dir]);
  const logs = pod.volumes.find((v: any) => v.hostPath?.path === "/var/log/pods");
  assert.equal(vector.volumeMounts.find((m: any) => m.name === logs.name).readOnly, true);
  // The namespace keeps its explicit Pod Security level instead of OpenShift's computed one.
  const ns = pick(all, "Namespace", "vector") as any;
  assert.equal(ns.metadata.labels["security.openshift.io/scc.podSecurityLabelSync"], "false");
  assert.equal(ns.metadata.labels["pod-security.kubernetes.io/enforce"], "privileged");
  // Its per-cluster values are complete, like the EKS example's.
  const params = pick(all, "ConfigMap", "vector-params") as any;
  for (const key of ["bucket", "region", "writer_role_arn", "cluster_id"]) assert.ok(params.data[key], key);
});
