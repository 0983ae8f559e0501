/**
 * The local AWS for tests: moto in server mode on 127.0.0.1 and a free port
 * (scripts/local_aws/moto_server.ts).
 * `deno task test` starts one for the whole run and passes MOTO_ENDPOINT;
 * a test file run on its own starts its own, killed when the process ends.
 *
 * @module
 */
import { spawnMoto } from "../../scripts/local_aws/moto_server.ts";

let started: Promise<string> | undefined;

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
