/**
 * docs/DESIGN.md is the repository's copy of the shared design contracts
 * (../shared/DESIGN.md beside the checkout, where the team keeps it). The
 * copy must not drift: contracts change only through the shared document.
 */
import assert from "node:assert/strict";

const copy = new URL("../docs/DESIGN.md", import.meta.url);
const shared = new URL("../../shared/DESIGN.md", import.meta.url);

function readIfPresent(url: URL): string | undefined {
  try {
    return Deno.readTextFileSync(url);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
}

Deno.test({
  name: "docs/DESIGN.md is identical to the shared design document",
  // A clean clone on its own has no shared folder beside it; the copy is then all there is.
  ignore: readIfPresent(shared) === undefined,
  fn: () => {
    assert.equal(readIfPresent(copy), readIfPresent(shared));
  },
});

Deno.test("docs/DESIGN.md holds the contracts the code relies on", () => {
  const text = readIfPresent(copy) ?? "";
  for (
    const heading of ["### 1.1 Object keys", "### 1.2 Objects", "### 1.3 Tenant configuration", "### 1.5 Outcomes"]
  ) {
    assert.ok(text.includes(heading), heading);
  }
});
