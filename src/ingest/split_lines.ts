/**
 * Splits a UTF-8 byte stream into lines (LF or CRLF), yielding them in arrays
 * (one per input chunk) so the per-line cost stays low. A line longer than
 * `maxLineChars` is dropped and counted instead of growing memory without end.
 *
 * @module
 */

/** Longest line kept; longer ones are dropped (8 Mi characters). */
export const MAX_LINE_CHARS = 8 * 1024 * 1024;

/** Counters the splitter keeps while it runs. */
export interface SplitStats {
  /** Lines dropped because they exceeded the maximum length. */
  oversized: number;
}

/** Yields the lines of `chunks` in batches; blank lines are yielded as "". */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
  stats: SplitStats = { oversized: 0 },
  maxLineChars = MAX_LINE_CHARS,
): AsyncGenerator<string[]> {
  const decoder = new TextDecoder("utf-8");
  let carry = "";
  let dropping = false;
  // The carry may still end in the CR of a CRLF split across chunks.
  const carryLimit = maxLineChars + 1;
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text === "") continue;
    const parts = text.split("\n");
    const last = parts.pop()!;
    if (parts.length === 0) {
      if (dropping) continue;
      carry += last;
      if (carry.length > carryLimit) {
        stats.oversized++;
        carry = "";
        dropping = true;
      }
      continue;
    }
    // The first part ends the line carried over (or the one being dropped).
    const start = dropping ? 1 : 0;
    if (!dropping) parts[0] = carry + parts[0];
    dropping = false;
    carry = last;
    const lines: string[] = [];
    for (let i = start; i < parts.length; i++) {
      const part = parts[i]!;
      const line = part.endsWith("\r") ? part.slice(0, -1) : part;
      // A whole line may arrive inside one chunk: judge it here, not only the carry.
      if (line.length > maxLineChars) stats.oversized++;
      else lines.push(line);
    }
    if (carry.length > carryLimit) {
      stats.oversized++;
      carry = "";
      dropping = true;
    }
    if (lines.length > 0) yield lines;
  }
  if (dropping) return;
  const tail = carry + decoder.decode();
  const line = tail.endsWith("\r") ? tail.slice(0, -1) : tail;
  if (line.length > maxLineChars) stats.oversized++;
  else if (tail !== "") yield [line];
}
