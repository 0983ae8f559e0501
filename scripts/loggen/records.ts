/**
 * Vector-shaped records: what the `kubernetes_logs` source emits for a pod's
 * log line (with the pod's annotations, as vector-local-test.yaml reads them
 * on stdin), and what our agents write to the central bucket after
 * tenant_routing.vrl (annotations dropped, routing fields added; DESIGN 1.2).
 * Keys are in alphabetical order, as Vector's JSON encoder writes them.
 *
 * @module
 */
import type { Random } from "./random.ts";

/** Everything the records say about the pod that wrote a line. */
export interface Pod {
  readonly customerId: string;
  readonly clusterId: string;
  readonly application: string;
  readonly podName: string;
  readonly namespace: string;
  readonly environment: string;
  readonly uid: string;
  readonly node: string;
  readonly templateHash: string;
  readonly containerId: string;
  readonly ip: string;
}

/** What a pod identity is built from; the rest is random (seeded). */
export interface PodSpec {
  readonly customerId: string;
  readonly clusterId: string;
  readonly application: string;
  /** Default: `<application>-<hash>-<suffix>` as a Deployment names its pods. */
  readonly podName?: string;
  /** Default: the application. */
  readonly namespace?: string;
  /** Default: derived from the cluster id (`prod…` → production, `stag…` → staging, else development). */
  readonly environment?: string;
}

/** A pod identity for `spec`. */
export function makePod(spec: PodSpec, random: Random): Pod {
  const templateHash = random.nameSuffix(10);
  const environment = spec.environment ??
    (/^prod/.test(spec.clusterId) ? "production" : /^stag/.test(spec.clusterId) ? "staging" : "development");
  return {
    customerId: spec.customerId,
    clusterId: spec.clusterId,
    application: spec.application,
    podName: spec.podName ?? `${spec.application}-${templateHash}-${random.nameSuffix(5)}`,
    namespace: spec.namespace ?? spec.application,
    environment,
    uid: random.uuid(),
    node: `ip-10-0-${random.int(0, 255)}-${random.int(1, 254)}.ec2.internal`,
    templateHash,
    containerId: `containerd://${random.hex(64)}`,
    ip: `10.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`,
  };
}

/** The `kubernetes` metadata object; `annotations` only before tenant_routing.vrl drops them. */
function metadata(pod: Pod, annotations?: Record<string, string>): Record<string, unknown> {
  return {
    container_id: pod.containerId,
    container_image: `registry.example.com/${pod.application}:1.4.2`,
    container_name: pod.application,
    namespace_labels: { "kubernetes.io/metadata.name": pod.namespace },
    ...(annotations ? { pod_annotations: annotations } : {}),
    pod_ip: pod.ip,
    pod_labels: { "app.kubernetes.io/name": pod.application, "pod-template-hash": pod.templateHash },
    pod_name: pod.podName,
    pod_namespace: pod.namespace,
    pod_node_name: pod.node,
    pod_owner: `ReplicaSet/${pod.application}-${pod.templateHash}`,
    pod_uid: pod.uid,
  };
}

function file(pod: Pod): string {
  return `/var/log/pods/${pod.namespace}_${pod.podName}_${pod.uid}/${pod.application}/0.log`;
}

/** When a record was written, and to which stream of the container (default `stdout`). */
export interface RecordTime {
  readonly time: Date;
  readonly stream?: "stdout" | "stderr";
}

/** A record as `kubernetes_logs` emits it, annotations included (input of tenant_routing.vrl). */
export function collectedRecord(
  pod: Pod,
  message: string,
  { time, stream = "stdout" }: RecordTime,
): Record<string, unknown> {
  const annotations = {
    application: pod.application,
    "cluster-id": pod.clusterId,
    "customer-id": pod.customerId,
    environment: pod.environment,
  };
  return {
    file: file(pod),
    kubernetes: metadata(pod, annotations),
    message,
    source_type: "kubernetes_logs",
    stream,
    timestamp: time.toISOString(),
  };
}

/** A record as our agents write it to the central bucket (output of tenant_routing.vrl). */
export function routedRecord(
  pod: Pod,
  message: string,
  { time, stream = "stdout" }: RecordTime,
): Record<string, unknown> {
  return {
    application: pod.application,
    cluster_id: pod.clusterId,
    customer_id: pod.customerId,
    environment: pod.environment,
    file: file(pod),
    kubernetes: metadata(pod),
    message,
    pod_name: pod.podName,
    source_type: "kubernetes_logs",
    stream,
    timestamp: time.toISOString(),
  };
}
