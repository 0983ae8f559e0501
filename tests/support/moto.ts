/**
 * The local AWS for tests: moto in server mode on 127.0.0.1 and a free port.
 * `deno task test` starts one for the whole run and passes MOTO_ENDPOINT;
 * a test file run on its own starts its own, killed when the process ends.
 *
 * @module
 */

let started: Promise<string> | undefined;

/** Starts `moto_server` on a free port; resolves to its URL and a stop function. */
export async function spawnMoto(): Promise<{ url: string; process: Deno.ChildProcess }> {
  const bin = Deno.env.get("MOTO_SERVER_BIN") ?? "moto_server";
  let process: Deno.ChildProcess;
  try {
    process = new Deno.Command(bin, {
      args: ["-H", "127.0.0.1", "-p", "0"],
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).spawn();
  } catch (err) {
    throw new Error(
      `cannot start ${bin} (${err instanceof Error ? err.message : err}); install it with: pip install "moto[server]"`,
    );
  }
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("moto_server did not start within 30 s")), 30_000);
    const decoder = new TextDecoder();
    const watch = async (stream: ReadableStream<Uint8Array>) => {
      let seen = "";
      for await (const chunk of stream) {
        if (seen !== "done") {
          seen += decoder.decode(chunk);
          const m = seen.match(/Running on (http:\/\/127\.0\.0\.1:\d+)/);
          if (m) {
            clearTimeout(timer);
            seen = "done";
            resolve(m[1]);
          }
        }
      }
    };
    watch(process.stdout).catch(() => {});
    watch(process.stderr).catch(() => {});
    process.status.then((s) => reject(new Error(`moto_server exited with ${s.code}`)));
  });
  return { url, process };
}

/** The URL of a running moto; starts one for this process when none is given. */
export function motoEndpoint(): Promise<string> {
  const given = Deno.env.get("MOTO_ENDPOINT");
  if (given) return Promise.resolve(given);
  started ??= spawnMoto().then(({ url, process }) => {
    process.unref();
    globalThis.addEventListener("unload", () => {
      try {
        process.kill("SIGKILL");
      } catch { /* already gone */ }
    });
    return url;
  });
  return started;
}
