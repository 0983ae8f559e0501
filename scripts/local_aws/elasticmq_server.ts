/**
 * ElasticMQ (an SQS-compatible server on the JVM, from Maven Central) on
 * 127.0.0.1 and a free port, for the benches that want an SQS faster than
 * moto's (`bench/worker_bench.ts --sqs elasticmq`). Installed by
 * `scripts/local_aws/install_elasticmq.sh` (or `scripts/setup.sh --with-elasticmq`)
 * into ELASTICMQ_HOME, default `~/.cache/multi-tenant-logging/elasticmq`;
 * JAVA_BIN names another java. No test needs it.
 *
 * @module
 */
import { awaitOutput } from "./server_output.ts";

/** A running ElasticMQ. */
export interface ElasticMqServer {
  readonly url: string;
  /** `elasticmq <version>`, from the installed jar. */
  readonly version: string;
  readonly process: Deno.ChildProcess;
  /** The generated configuration file (removed by {@link stopElasticMq}). */
  readonly configFile: string;
}

/** Options of {@link spawnElasticMq}: the region and account its queue URLs and ARNs carry. */
export interface ElasticMqOptions {
  readonly region?: string;
  readonly accountId?: string;
}

/** How to install ElasticMQ, as error messages say it. */
export const ELASTICMQ_INSTALL = "bash scripts/local_aws/install_elasticmq.sh (Java 17+ and Maven)";

/** Where the jars are. */
export function elasticMqHome(): string {
  const cache = Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME") ?? "."}/.cache`;
  return Deno.env.get("ELASTICMQ_HOME") ?? `${cache}/multi-tenant-logging/elasticmq`;
}

/** The installed version (from `elasticmq-server_2.13-<version>.jar`), or undefined when none is installed. */
export function installedElasticMq(home = elasticMqHome()): string | undefined {
  try {
    for (const entry of Deno.readDirSync(home)) {
      const m = entry.name.match(/^elasticmq-server_2\.13-(.+)\.jar$/);
      if (m?.[1]) return m[1];
    }
  } catch { /* no such directory */ }
  return undefined;
}

/**
 * The server's configuration (HOCON): SQS on 127.0.0.1 and a port the OS picks, queue URLs naming the
 * address it bound (generate-node-address), the stats endpoint off, SQS's own limits enforced.
 */
export function elasticMqConfig({ region = "us-east-1", accountId = "000000000000" }: ElasticMqOptions = {}): string {
  return [
    'include classpath("application.conf")',
    'node-address { protocol = "http", host = "127.0.0.1", port = 0, context-path = "" }',
    'rest-sqs { enabled = true, bind-port = 0, bind-hostname = "127.0.0.1", sqs-limits = strict }',
    "rest-stats { enabled = false }",
    "generate-node-address = true",
    `aws { region = ${JSON.stringify(region)}, accountId = ${JSON.stringify(accountId)} }`,
    "",
  ].join("\n");
}

/** Starts ElasticMQ; resolves once it listens (a few seconds: the JVM starts). */
export async function spawnElasticMq(options: ElasticMqOptions = {}): Promise<ElasticMqServer> {
  const home = elasticMqHome();
  const version = installedElasticMq(home);
  if (!version) {
    throw new Error(`ElasticMQ is not installed in ${home}: run ${ELASTICMQ_INSTALL}`);
  }
  const configFile = await Deno.makeTempFile({ prefix: "elasticmq-", suffix: ".conf" });
  await Deno.writeTextFile(configFile, elasticMqConfig(options));
  const java = Deno.env.get("JAVA_BIN") ?? "java";
  let process: Deno.ChildProcess;
  try {
    process = new Deno.Command(java, {
      args: [`-Dconfig.file=${configFile}`, "-cp", `${home}/*`, "org.elasticmq.server.Main"],
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).spawn();
  } catch (err) {
    await Deno.remove(configFile).catch(() => {});
    throw new Error(`cannot start ${java} (${err instanceof Error ? err.message : err}); ElasticMQ needs Java 17+`);
  }
  try {
    const url = await awaitOutput(process, /visible server address (http:\/\/127\.0\.0\.1:\d+)/, {
      name: "ElasticMQ",
      timeoutMs: 60_000,
    });
    return { url, version: `elasticmq ${version}`, process, configFile };
  } catch (err) {
    await stopElasticMq({ url: "", version, process, configFile });
    throw err;
  }
}

/** Stops `server` (SIGTERM) and waits for it; tolerates one that is gone already. */
export async function stopElasticMq(server: ElasticMqServer): Promise<void> {
  try {
    server.process.kill("SIGTERM");
  } catch { /* already gone */ }
  await server.process.status;
  await Deno.remove(server.configFile).catch(() => {});
}
