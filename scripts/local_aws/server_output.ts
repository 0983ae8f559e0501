/**
 * Waiting for a local server (moto, ElasticMQ) to say where it listens: its
 * stdout and stderr are read to the end (so the pipes never fill) and the first
 * match of a pattern resolves.
 *
 * @module
 */

/**
 * Resolves with the first capture of `pattern` in `process`'s output; rejects
 * when the process exits first or `timeoutMs` passes. Both streams must be piped.
 */
export function awaitOutput(
  process: Deno.ChildProcess,
  pattern: RegExp,
  { name, timeoutMs }: { name: string; timeoutMs: number },
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    let found = false;
    const watch = async (stream: ReadableStream<Uint8Array>) => {
      const decoder = new TextDecoder();
      let seen = "";
      for await (const chunk of stream) {
        if (found) continue; // read on, so the pipe never fills
        seen += decoder.decode(chunk, { stream: true });
        const m = seen.match(pattern);
        if (m?.[1]) {
          found = true;
          clearTimeout(timer);
          resolve(m[1]);
        }
      }
    };
    watch(process.stdout).catch(() => {});
    watch(process.stderr).catch(() => {});
    process.status.then((s) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${s.code}`));
    });
  });
}
