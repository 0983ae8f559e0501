/**
 * Reads a byte stream as text lines, bounded: a line longer than
 * `maxLineChars` is passed on as its head only and the rest of it skipped, so
 * a child process that never prints a newline cannot grow our memory.
 *
 * @module
 */

/** Calls `onLine` with every line of `stream` (without its newline); resolves when the stream ends or breaks. */
export async function readLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
  maxLineChars: number,
): Promise<void> {
  let pending = "";
  let skipping = false; // inside an overlong line whose head was passed on already
  try {
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      pending += text;
      let nl: number;
      while ((nl = pending.indexOf("\n")) >= 0) {
        if (!skipping) onLine(pending.slice(0, nl));
        skipping = false;
        pending = pending.slice(nl + 1);
      }
      if (pending.length > maxLineChars) {
        if (!skipping) onLine(pending.slice(0, maxLineChars));
        skipping = true;
        pending = "";
      }
    }
  } catch { /* the stream broke with its process: what was read counts */ }
  if (pending !== "" && !skipping) onLine(pending);
}
