/**
 * Rows of cells as aligned text columns, for terminal output (`tenants list`,
 * the demo's report). Pure.
 *
 * @module
 */

/**
 * One line per row, columns two spaces apart and padded to their widest cell;
 * the columns in `alignRight` (indexes, e.g. counts) are right-aligned.
 * Trailing spaces are trimmed.
 */
export function textTable(rows: readonly (readonly string[])[], alignRight: readonly number[] = []): string[] {
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(...rows.map((r) => [...(r[c] ?? "")].length)));
  return rows.map((r) =>
    widths.map((w, c) => {
      const cell = r[c] ?? "";
      const pad = " ".repeat(w - [...cell].length);
      return alignRight.includes(c) ? pad + cell : cell + pad;
    }).join("  ").trimEnd()
  );
}
