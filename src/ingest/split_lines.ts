/**
 * Splits a UTF-8 byte stream into lines (LF or CRLF), yielding them in arrays
 * (one per input chunk) so the per-line cost stays low. A line longer than
 * `maxLineChars` is cut instead of growing memory without end: its head is
 * kept, the rest is counted as it streams by and discarded.
 *
 * @module
 */

/** Longest line kept whole (8 Mi characters); a longer one is cut. */
export const MAX_LINE_CHARS = 8 * 1024 * 1024;

/** What the splitter reports while it runs. */
export interface SplitStats {
  /**
   * The full UTF-8 size of every line that was cut, in the order the cut
   * lines are yielded. A cut line is yielded as its first `maxLineChars + 1`
   * characters, longer than any line kept whole, so a reader tells it apart
   * with one length check.
   */
  readonly cutBytes: number[];
}

const encoder = new TextEncoder();
/** UTF-8 bytes of `text` (only for the rare cut lines, so encoding is fine). */
const bytesOf = (text: string) => encoder.encode(text).length;
const withoutCr = (line: string) => line.endsWith("\r") ? line.slice(0, -1) : line;

/** A line being cut: its head, the bytes of it seen so far, and whether they end in a CR (maybe of a CRLF). */
interface Cut {
  readonly head: string;
  bytes: number;
  cr: boolean;
}

/** Adds `text` to the line being cut. */
function more(cut: Cut, text: string): void {
  if (text === "") return;
  cut.bytes += bytesOf(text);
  cut.cr = text.endsWith("\r");
}

/** Yields the lines of `chunks` in batches; blank lines are yielded as "". */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
  stats: SplitStats = { cutBytes: [] },
  maxLineChars = MAX_LINE_CHARS,
): AsyncGenerator<string[]> {
  const decoder = new TextDecoder("utf-8");
  const keep = maxLineChars + 1;
  const startCut = (text: string): Cut => ({
    head: text.slice(0, keep),
    bytes: bytesOf(text),
    cr: text.endsWith("\r"),
  });
  const endCut = (cut: Cut, last: string): string => {
    more(cut, last);
    // The line's end may be the CR of its CRLF, which is not part of the line.
    stats.cutBytes.push(cut.bytes - (cut.cr ? 1 : 0));
    return cut.head;
  };
  /** A whole line (its CRLF's CR already gone) that is too long. */
  const cutWhole = (line: string): string => {
    stats.cutBytes.push(bytesOf(line));
    return line.slice(0, keep);
  };
  let carry = "";
  let cut: Cut | undefined;
  // The carry may still end in the CR of a CRLF split across chunks.
  const carryLimit = maxLineChars + 1;
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text === "") continue;
    const parts = text.split("\n");
    const last = parts.pop()!;
    if (parts.length === 0) {
      if (cut) more(cut, last);
      else if ((carry += last).length > carryLimit) [cut, carry] = [startCut(carry), ""];
      continue;
    }
    const lines: string[] = [];
    // The first part ends the line carried over (or the one being cut).
    if (cut) {
      lines.push(endCut(cut, parts[0]!));
      cut = undefined;
    } else parts[0] = carry + parts[0];
    for (let i = lines.length; i < parts.length; i++) {
      const line = withoutCr(parts[i]!);
      // A whole line may arrive inside one chunk: judge it here, not only the carry.
      if (line.length > maxLineChars) lines.push(cutWhole(line));
      else lines.push(line);
    }
    carry = last;
    if (carry.length > carryLimit) [cut, carry] = [startCut(carry), ""];
    if (lines.length > 0) yield lines;
  }
  const tail = carry + decoder.decode();
  if (cut) yield [endCut(cut, tail)];
  else if (tail !== "") {
    const line = withoutCr(tail);
    yield [line.length > maxLineChars ? cutWhole(line) : line];
  }
}
