import { deepStrictEqual } from "node:assert/strict";
import { textTable } from "./text_table.ts";

Deno.test("textTable pads columns to their widest cell, right-aligns the asked ones, trims line ends", () => {
  deepStrictEqual(
    textTable([["TENANT", "OBJECTS", "NOTE"], ["acme", "18", ""], ["globex-long", "4", "skipped"]], [1]),
    [
      "TENANT       OBJECTS  NOTE",
      "acme              18",
      "globex-long        4  skipped",
    ],
  );
});

Deno.test("textTable counts characters, not UTF-16 units, and tolerates short rows", () => {
  deepStrictEqual(textTable([["→ é", "x"], ["ab"]]), ["→ é  x", "ab"]);
  deepStrictEqual(textTable([]), []);
});
