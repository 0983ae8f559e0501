/**
 * The local AWS for tests: moto in server mode on 127.0.0.1 and a free port
 * (scripts/local_aws/moto_server.ts).
 * `deno task test` starts one for the whole run and passes MOTO_ENDPOINT;
 * a test file run on its own starts its own, killed when the process ends.
 *
 * @module
 */
import { spawnMoto, stopMoto } from "../../scripts/local_aws/moto_server.ts";

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

/** A moto process of its own that can be switched to enforcing IAM on every request. */
export interface IamEnforcingMoto {
  readonly url: string;
  /**
   * From now on moto checks every request's signature and IAM policies
   * (`INITIAL_NO_AUTH_ACTION_COUNT` set to 0 through `/moto-api/reset-auth`).
   * Until then it lets everything through, so the setup needs no credentials.
   */
  enforce(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a separate moto for an IAM enforcement test: the setting is global
 * to a moto process, so the shared one must never have it.
 */
export async function startIamEnforcingMoto(): Promise<IamEnforcingMoto> {
  const server = await spawnMoto({ env: { INITIAL_NO_AUTH_ACTION_COUNT: "inf" } });
  return {
    url: server.url,
    async enforce() {
      const res = await fetch(`${server.url}/moto-api/reset-auth`, { method: "POST", body: "0" });
      const body = await res.text();
      if (!res.ok) throw new Error(`moto did not switch IAM enforcement on: ${res.status} ${body}`);
    },
    stop: () => stopMoto(server),
  };
}
