/**
 * Writes lines on stdout synchronously, all of them in one go (a partial
 * write is continued), so EMF documents never interleave with one another
 * and the caller knows they left. The Lambda runtime and the SQS worker
 * write their EMF this way; their logs go to stderr.
 *
 * @module
 */
const encoder = new TextEncoder();

/** A synchronous writer (`Deno.stdout` by default). */
export interface SyncWriter {
  writeSync(bytes: Uint8Array): number;
}

/** Writes `lines`, each ended by a newline, to `out`; nothing for no lines. Throws what the write throws. */
export function writeLinesSync(lines: readonly string[], out: SyncWriter = Deno.stdout): void {
  if (lines.length === 0) return;
  const bytes = encoder.encode(lines.join("\n") + "\n");
  let written = 0;
  while (written < bytes.length) written += out.writeSync(bytes.subarray(written));
}
