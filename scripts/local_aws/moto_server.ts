/**
 * moto in server mode (`moto_server`, from PyPI `moto[server]`) on 127.0.0.1
 * and a free port: the local AWS of the test suite (`deno task test`) and of
 * `deno task demo`. MOTO_SERVER_BIN names another executable.
 *
 * @module
 */
import { awaitOutput } from "./server_output.ts";

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
  const url = await awaitOutput(process, /Running on (http:\/\/127\.0\.0\.1:\d+)/, {
    name: "moto_server",
    timeoutMs: 30_000,
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
