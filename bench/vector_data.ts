/**
 * Deterministic Vector-shaped NDJSON for benchmarks: what our Vector agents
 * write for a typical Kubernetes pod (message, timestamp, routing fields,
 * kubernetes metadata), with messages of varied length.
 *
 * @module
 */

/** A small seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ("request handled user order payment latency cache miss upstream retry timeout connection " +
  "accepted rejected queue worker started finished span trace db query rows status ok error warn").split(" ");

/** Yields NDJSON text blocks of about `blockBytes` until `totalBytes` have been produced. */
export function* vectorNdjson(totalBytes: number, options: { seed?: number; now?: number; blockBytes?: number } = {}) {
  const random = prng(options.seed ?? 42);
  const now = options.now ?? Date.now();
  const blockBytes = options.blockBytes ?? 1 << 20;
  let produced = 0;
  let i = 0;
  while (produced < totalBytes) {
    let block = "";
    while (block.length < blockBytes) {
      const words = 8 + Math.floor(random() * 40);
      let message = `${new Date(now - 600_000 + i).toISOString()} INFO`;
      for (let w = 0; w < words; w++) message += " " + WORDS[Math.floor(random() * WORDS.length)];
      message += ` id=${i}`;
      block += JSON.stringify({
        file: `/var/log/pods/shop_api-7f9_0/api/0.log`,
        kubernetes: {
          container_name: "api",
          namespace_labels: { "kubernetes.io/metadata.name": "shop" },
          pod_labels: { app: "api", "pod-template-hash": "7f9" },
          pod_name: "api-7f9",
          pod_namespace: "shop",
          pod_node_name: "ip-10-0-1-23.ec2.internal",
        },
        message,
        source_type: "kubernetes_logs",
        stream: "stdout",
        timestamp: new Date(now - 600_000 + i).toISOString(),
        customer_id: "acme",
        cluster_id: "prod-1",
        application: "api",
        pod_name: "api-7f9",
        environment: "production",
      }) + "\n";
      i++;
    }
    produced += block.length;
    yield block;
  }
}
