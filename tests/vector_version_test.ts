/**
 * One Vector version (src/delivery/vector/vector_version.ts) everywhere: the
 * agents' image (kustomization and the rendered DaemonSet), the processor
 * image's bundled binary (Containerfile), and every version the docs and
 * configurations name. A minimum they state ("Vector >= 0.57") must be met by
 * the pin.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { VECTOR_IMAGE_VARIANT, VECTOR_VERSION } from "../src/delivery/vector/vector_version.ts";
import { kustomizeBuild, parseManifests, pick } from "./support/kustomize.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const read = (path: string) => Deno.readTextFileSync(`${ROOT}${path}`);
const IMAGE = /(?:^|[\s"'/])timberio\/vector(?=[:\s"']|$)/;

/** Text files a user reads or deploys (not lock files, test data or the shared design copy). */
function referenceFiles(): string[] {
  const out: string[] = ["Containerfile", "README.md", "vector-local-test.yaml"];
  for (const dir of ["docs", "k8s/base", "k8s/overlays/example-cluster", "k8s/processor"]) {
    for (const e of Deno.readDirSync(`${ROOT}${dir}`)) {
      if (e.isFile && /\.(md|ya?ml|vrl|env)$/.test(e.name) && e.name !== "DESIGN.md") out.push(`${dir}/${e.name}`);
    }
  }
  return out.sort();
}

const older = (a: string, b: string) => {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++) if ((x![i] ?? 0) !== (y![i] ?? 0)) return (x![i] ?? 0) < (y![i] ?? 0);
  return false;
};

Deno.test("the Containerfile bundles the pinned Vector", () => {
  const text = read("Containerfile");
  assert.deepEqual([...text.matchAll(/^ARG VECTOR_VERSION=(\S+)$/gm)].map((m) => m[1]), [VECTOR_VERSION]);
  const from = text.split("\n").filter((l) => /^FROM\s/.test(l) && IMAGE.test(l));
  assert.equal(from.length, 1, "one stage takes the vector binary");
  assert.match(from[0]!, new RegExp(`timberio/vector:\\$\\{VECTOR_VERSION\\}-${VECTOR_IMAGE_VARIANT}\\b`));
});

Deno.test("the agents run the pinned Vector (kustomization and the rendered DaemonSet)", async () => {
  const kustomization = parse(read("k8s/base/kustomization.yaml"));
  const images = kustomization.images.filter((i: { name: string }) => IMAGE.test(i.name));
  assert.deepEqual(images.map((i: { newTag: string }) => i.newTag), [`${VECTOR_VERSION}-${VECTOR_IMAGE_VARIANT}`]);
  const rendered = parseManifests(await kustomizeBuild(`${ROOT}k8s/overlays/example-cluster`));
  // deno-lint-ignore no-explicit-any
  const [vector] = (pick(rendered, "DaemonSet", "vector") as any).spec.template.spec.containers;
  assert.match(
    vector.image,
    new RegExp(`timberio/vector:${VECTOR_VERSION.replaceAll(".", "\\.")}-${VECTOR_IMAGE_VARIANT}$`),
  );
});

Deno.test("every Vector version the docs and configurations name is the pinned one; minimums are met", () => {
  const named: string[] = [];
  for (const file of referenceFiles()) {
    const text = read(file);
    for (const m of text.matchAll(/timberio\/vector:(\d+\.\d+\.\d+)/g)) named.push(`${file}: ${m[1]}`);
    for (const m of text.matchAll(/\bVector (\d+\.\d+\.\d+)\b/g)) named.push(`${file}: ${m[1]}`);
    for (const m of text.matchAll(/\bVector (?:>=|≥) ?(\d+\.\d+(?:\.\d+)?)/g)) {
      assert.ok(!older(VECTOR_VERSION, m[1]!), `${file} asks for Vector >= ${m[1]}, the pin is ${VECTOR_VERSION}`);
    }
  }
  const wrong = named.filter((n) => !n.endsWith(`: ${VECTOR_VERSION}`));
  assert.deepEqual(wrong, [], `pinned: ${VECTOR_VERSION}`);
  assert.ok(named.some((n) => n.startsWith("docs/collector.md")), "the collector docs name the version");
  assert.ok(named.some((n) => n.startsWith("docs/deploying.md")), "the deploy docs name the bundled version");
});
