/**
 * moto in server mode (`moto_server`, from PyPI `moto[server]`) on 127.0.0.1
 * and a free port: the local AWS of the test suite (`deno task test`) and of
 * `deno task demo`. MOTO_SERVER_BIN names another executable.
 *
 * @module
 */

/** A running moto server. */
export interface MotoServer {
  readonly url: string;
  readonly process: Deno.ChildProcess;
}

/** Options of {@link spawnMoto}. */
export interface MotoOptions {
  /** Extra environment of the moto process (e.g. INITIAL_NO_AUTH_ACTION_COUNT). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Starts `moto_server` on a free port; resolves once it listens. */
export async function spawnMoto(options: MotoOptions = {}): Promise<MotoServer> {
  const bin = Deno.env.get("MOTO_SERVER_BIN") ?? "moto_server";
  let process: Deno.ChildProcess;
  try {
    process = new Deno.Command(bin, {
      args: ["-H", "127.0.0.1", "-p", "0"],
      ...(options.env ? { env: { ...options.env } } : {}),
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).spawn();
  } catch (err) {
    throw new Error(
      `cannot start ${bin} (${err instanceof Error ? err.message : err}); install it with: pip install "moto[server]"` +
        ` (or run scripts/setup.sh)`,
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
          if (m?.[1]) {
            clearTimeout(timer);
            seen = "done";
            resolve(m[1]);
          }
        }
      }
    };
    watch(process.stdout).catch(() => {});
    watch(process.stderr).catch(() => {});
    process.status.then((s) => {
      clearTimeout(timer);
      reject(new Error(`moto_server exited with ${s.code}`));
    });
  });
  return { url, process };
}

/** Stops `server` (SIGTERM) and waits for it; tolerates one that is gone already. */
export async function stopMoto(server: MotoServer): Promise<void> {
  try {
    server.process.kill("SIGTERM");
  } catch { /* already gone */ }
  await server.process.status;
}
