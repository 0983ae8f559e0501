/**
 * One `vector` subprocess: its configuration written to a private temporary
 * directory, events streamed to its stdin, stdout and stderr read line by line
 * into a {@link VectorOutput} (Vector's logs are on stdout, the sink's
 * confirmation counters on stderr), a timeout that kills it, and the directory
 * removed afterwards. Credentials go only into the child's environment, which
 * is built from scratch (nothing of the processor's own environment is
 * inherited but PATH).
 *
 * Vector does not exit by itself with the engine's configuration (its
 * `internal_metrics` source never ends): {@link VectorProcess.finish} closes
 * stdin, waits until the sink's counters account for every event fed (sent
 * or dropped), then stops Vector with SIGTERM.
 *
 * @module
 */
import { scrub, type VectorExit, type VectorRunResult } from "./vector_outcome.ts";
import { MAX_LINE_CHARS, VectorOutput } from "./vector_output.ts";
import { readLines } from "./read_lines.ts";

/** How to run one Vector process. */
export interface VectorProcessOptions {
  readonly bin: string;
  /** Builds the configuration once the run's directory (its `data_dir`) exists. */
  readonly config: (dir: string) => Record<string, unknown>;
  /** The child's whole environment besides PATH (credentials, region). */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Values scrubbed from everything read back from the child. */
  readonly secrets: readonly string[];
}

/** How a run ended and what it confirmed; error lines scrubbed of the secrets. */
export interface VectorRun extends VectorRunResult {
  /** The run's temporary directory (already removed). */
  readonly dir: string;
}

/**
 * Vector's own limit for a graceful shutdown. The engine stops Vector only
 * once nothing is left in flight (every event confirmed sent or dropped), so
 * a clean stop takes well under a second; this bounds a stuck one.
 */
export const SHUTDOWN_LIMIT_SECS = 10;
/** Extra time after SIGTERM before SIGKILL, beyond Vector's own limit. */
const STOP_MARGIN_MS = 5000;
/** Characters of one output line read at most (its head is kept, the rest skipped). */
const MAX_PENDING_CHARS = 4 * MAX_LINE_CHARS;
const encoder = new TextEncoder();

/** Command-line arguments for a config file at `path`. */
function vectorArgs(path: string): string[] {
  return [
    "--config",
    path,
    "--log-format",
    "json",
    "--color",
    "never",
    "--graceful-shutdown-limit-secs",
    String(SHUTDOWN_LIMIT_SECS),
  ];
}

/** A running Vector; call {@link finish} or {@link kill} exactly once. */
export class VectorProcess {
  readonly #output = new VectorOutput();
  #fed = 0;
  #timedOut = false;
  #exited = false;
  #wake?: () => void;
  #done?: Promise<VectorRun>;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #reading: Promise<unknown>;

  private constructor(
    private readonly child: Deno.ChildProcess,
    private readonly dir: string,
    private readonly options: VectorProcessOptions,
  ) {
    this.#writer = child.stdin.getWriter();
    // Vector's logs (stdout) and the sink's counters (stderr) alike, scrubbed; each line may settle finish().
    const take = (line: string) => {
      this.#output.line(scrub(line, options.secrets));
      this.#wake?.();
    };
    this.#reading = Promise.all([
      readLines(child.stdout, take, MAX_PENDING_CHARS),
      readLines(child.stderr, take, MAX_PENDING_CHARS),
    ]);
    child.status.then(() => {
      this.#exited = true;
      this.#wake?.();
    });
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#signal("SIGKILL");
    }, options.timeoutMs);
  }

  /** Writes the configuration and starts Vector; when it cannot start, returns the failed run instead. */
  static async start(options: VectorProcessOptions): Promise<VectorProcess | VectorRun> {
    const dir = await Deno.makeTempDir({ prefix: "log-processor-vector-" });
    const path = `${dir}/vector.json`;
    try {
      await Deno.writeTextFile(path, JSON.stringify(options.config(dir), null, 2), { mode: 0o600 });
      const child = new Deno.Command(options.bin, {
        args: vectorArgs(path),
        env: { PATH: Deno.env.get("PATH") ?? "/usr/local/bin:/usr/bin:/bin", ...options.env },
        clearEnv: true,
        cwd: dir,
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      return new VectorProcess(child, dir, options);
    } catch (err) {
      await removeDir(dir);
      const message = err instanceof Error ? err.message : String(err);
      return {
        exit: { code: null, timedOut: false, spawnError: message },
        fed: 0,
        sent: 0,
        discarded: 0,
        errorLines: [],
        awsErrors: [],
        dir,
      };
    }
  }

  /** Streams `text` (holding `events` events) to Vector's stdin; rejects when Vector is gone. */
  async write(text: string, events: number): Promise<void> {
    await this.#writer.write(encoder.encode(text));
    this.#fed += events;
  }

  /**
   * Closes stdin, waits until the sink has accounted for every event fed
   * (confirmed sent or dropped) or Vector exits or the timeout kills it, then
   * stops Vector (SIGTERM; SIGKILL if it does not stop in time). With nothing
   * fed it waits for Vector to exit (or the timeout).
   */
  finish(): Promise<VectorRun> {
    this.#done ??= (async () => {
      await this.#writer.close().catch(() => {});
      // Nothing fed (its stdin broke at once): nothing to confirm, so it can only have exited or be stuck.
      while (!this.#exited && (this.#fed === 0 || this.#output.sent + this.#output.discarded < this.#fed)) {
        await new Promise<void>((resolve) => this.#wake = resolve);
      }
      if (!this.#exited) {
        this.#signal("SIGTERM");
        const stop = setTimeout(() => this.#signal("SIGKILL"), SHUTDOWN_LIMIT_SECS * 1000 + STOP_MARGIN_MS);
        await this.child.status.finally(() => clearTimeout(stop));
      }
      return await this.#collect();
    })();
    return this.#done;
  }

  /** Kills Vector now (the object could not be read to the end). */
  kill(): Promise<VectorRun> {
    this.#done ??= (async () => {
      this.#signal("SIGKILL");
      await this.#writer.abort().catch(() => {});
      return await this.#collect();
    })();
    return this.#done;
  }

  #signal(signal: Deno.Signal): void {
    try {
      this.child.kill(signal);
    } catch { /* already gone */ }
  }

  async #collect(): Promise<VectorRun> {
    try {
      const status = await this.child.status;
      await this.#reading;
      const out = this.#output;
      const exit: VectorExit = {
        code: status.signal ? null : status.code,
        signal: status.signal,
        timedOut: this.#timedOut,
      };
      return {
        exit,
        fed: this.#fed,
        sent: out.sent,
        discarded: out.discarded,
        errorLines: [...out.errorLines],
        awsErrors: [...out.awsErrors],
        ...(out.lastWarning === undefined ? {} : { lastWarning: out.lastWarning }),
        dir: this.dir,
      };
    } finally {
      clearTimeout(this.#timer);
      await removeDir(this.dir);
    }
  }
}

async function removeDir(dir: string): Promise<void> {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
