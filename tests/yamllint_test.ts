/**
 * Every YAML file this repository ships for the collector side (k8s/, the
 * Vector configurations, .yamllint itself) passes `yamllint --strict` with the
 * repository's .yamllint.
 */
import assert from "node:assert/strict";
import { runTool } from "./support/kustomize.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const TARGETS = ["k8s", "vector-local-test.yaml", ".yamllint"];

Deno.test("yamllint --strict passes on k8s/ and the Vector configurations", async () => {
  const result = await runTool("yamllint", ["--strict", "-f", "parsable", ...TARGETS], ROOT);
  assert.equal(result.code, 0, result.stdout + result.stderr);
});

Deno.test("yamllint with the repository's rules rejects a badly formatted file (the check can fail)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/bad.yaml`, "a:   1\nb: yes\nkey: value  \nlist:\n- x\n-   y\n");
    const result = await runTool("yamllint", [
      "--strict",
      "-f",
      "parsable",
      "-c",
      `${ROOT}.yamllint`,
      `${dir}/bad.yaml`,
    ]);
    assert.notEqual(result.code, 0);
    for (const rule of ["colons", "truthy", "trailing-spaces"]) {
      assert.match(result.stdout, new RegExp(`\\(${rule}\\)`));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
