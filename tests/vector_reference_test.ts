/**
 * The repository's copies of the shared Vector reference
 * (tests/testdata/vector-reference/) match ../shared/vector-reference beside
 * the checkout, where the team keeps it; and the stand-in has every observed
 * fault to replay.
 */
import assert from "node:assert/strict";
import { OBSERVED_DIR, observedFaults } from "./support/vector_reference.ts";
import { EXTRA_VECTOR_OPTIONS, SHARED_VECTOR_OPTIONS } from "./support/vector_options.ts";

const SHARED = new URL("../../shared/vector-reference/", import.meta.url);
const sharedPresent = (() => {
  try {
    return Deno.statSync(SHARED).isDirectory;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "observed-0.58.0 is a byte-for-byte copy of the shared observations",
  // A clean clone on its own has no shared folder beside it; the copy is then all there is.
  ignore: !sharedPresent,
  fn: () => {
    const shared = new URL("observed-0.58.0/", SHARED);
    const names = (dir: URL) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(names(OBSERVED_DIR), names(shared));
    for (const name of names(shared)) {
      assert.deepEqual(Deno.readFileSync(new URL(name, OBSERVED_DIR)), Deno.readFileSync(new URL(name, shared)), name);
    }
  },
});

Deno.test({
  name: "options.json holds the shared option names",
  ignore: !sharedPresent,
  fn: () => {
    assert.deepEqual(SHARED_VECTOR_OPTIONS, JSON.parse(Deno.readTextFileSync(new URL("options.json", SHARED))));
  },
});

Deno.test("options-extra.json only adds components the shared reference lacks", () => {
  const overlap = Object.keys(EXTRA_VECTOR_OPTIONS).filter((type) => type in SHARED_VECTOR_OPTIONS);
  assert.deepEqual(overlap, []);
  assert.deepEqual(Object.keys(EXTRA_VECTOR_OPTIONS).sort(), [
    "console",
    "internal_metrics",
    "log_to_metric",
    "prometheus_exporter",
  ]);
});

Deno.test("every observed fault has Vector's stdout and an exit status; Vector exited 0 after dropping events", () => {
  const faults = observedFaults();
  assert.deepEqual(faults.map((f) => f.name), [
    "CreateLogStream-AccessDeniedException",
    "PutLogEvents-AccessDeniedException",
    "PutLogEvents-ServiceUnavailableException",
    "PutLogEvents-ThrottlingException",
  ]);
  for (const fault of faults) {
    assert.equal(fault.exit, 0, fault.name);
    const lines = fault.stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.ok(lines.some((l) => l.level === "ERROR" && l.message === "Events dropped"), fault.name);
    assert.ok(lines.some((l) => String(l.error).includes(`code: Some("${fault.code}")`)), fault.name);
  }
});
