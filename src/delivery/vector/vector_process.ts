/**
 * One `vector` subprocess: its configuration written to a private temporary
 * directory, events streamed to its stdin, stderr kept (bounded) for the
 * outcome, a timeout that kills it, and the directory removed afterwards.
 * Credentials go only into the child's environment, which is built from
 * scratch (nothing of the processor's own environment is inherited but PATH).
 *
 * @module
 */
import { scrub, vectorErrorLines, type VectorExit } from "./vector_outcome.ts";

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

/** How a run ended, with Vector's ERROR lines (scrubbed) and its stderr tail (scrubbed). */
export interface VectorRun {
  readonly exit: VectorExit;
  readonly errorLines: string[];
  readonly stderrTail: string;
  /** The run's temporary directory (already removed). */
  readonly dir: string;
}

/** Bytes of stderr kept for error lines and the tail. */
export const MAX_STDERR_BYTES = 256 * 1024;
const encoder = new TextEncoder();

/** Command-line arguments for a config file at `path`. */
export function vectorArgs(path: string, timeoutMs: number): string[] {
  return [
    "--config",
    path,
    "--log-format",
    "json",
    "--color",
    "never",
    "--graceful-shutdown-limit-secs",
    String(Math.max(1, Math.floor(timeoutMs / 1000))),
  ];
}

/** A running Vector; call {@link finish} or {@link kill} exactly once. */
export class VectorProcess {
  #stderr = "";
  #timedOut = false;
  #done?: Promise<VectorRun>;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #stderrDone: Promise<void>;

  private constructor(
    private readonly child: Deno.ChildProcess,
    private readonly dir: string,
    private readonly options: VectorProcessOptions,
  ) {
    this.#writer = child.stdin.getWriter();
    this.#stderrDone = this.#readStderr().catch(() => {});
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
    }, options.timeoutMs);
  }

  /** Writes the configuration and starts Vector; when it cannot start, returns the failed run instead. */
  static async start(options: VectorProcessOptions): Promise<VectorProcess | VectorRun> {
    const dir = await Deno.makeTempDir({ prefix: "log-processor-vector-" });
    const path = `${dir}/vector.json`;
    try {
      await Deno.writeTextFile(path, JSON.stringify(options.config(dir), null, 2), { mode: 0o600 });
      const child = new Deno.Command(options.bin, {
        args: vectorArgs(path, options.timeoutMs),
        env: { PATH: Deno.env.get("PATH") ?? "/usr/local/bin:/usr/bin:/bin", ...options.env },
        clearEnv: true,
        cwd: dir,
        stdin: "piped",
        stdout: "null",
        stderr: "piped",
      }).spawn();
      return new VectorProcess(child, dir, options);
    } catch (err) {
      await removeDir(dir);
      const message = err instanceof Error ? err.message : String(err);
      return { exit: { code: null, timedOut: false, spawnError: message }, errorLines: [], stderrTail: "", dir };
    }
  }

  async #readStderr(): Promise<void> {
    const decoder = new TextDecoder();
    for await (const chunk of this.child.stderr) {
      this.#stderr += decoder.decode(chunk, { stream: true });
      if (this.#stderr.length > MAX_STDERR_BYTES) this.#stderr = this.#stderr.slice(-MAX_STDERR_BYTES / 2);
    }
  }

  /** Streams `text` to Vector's stdin; rejects when Vector is gone. */
  async write(text: string): Promise<void> {
    await this.#writer.write(encoder.encode(text));
  }

  /** Closes stdin and waits for Vector to deliver and exit (or be killed by the timeout). */
  finish(): Promise<VectorRun> {
    this.#done ??= (async () => {
      await this.#writer.close().catch(() => {});
      return await this.#collect();
    })();
    return this.#done;
  }

  /** Kills Vector now (the object could not be read to the end). */
  kill(): Promise<VectorRun> {
    this.#done ??= (async () => {
      try {
        this.child.kill("SIGKILL");
      } catch { /* already gone */ }
      await this.#writer.abort().catch(() => {});
      return await this.#collect();
    })();
    return this.#done;
  }

  async #collect(): Promise<VectorRun> {
    try {
      const status = await this.child.status;
      await this.#stderrDone;
      const stderr = scrub(this.#stderr, this.options.secrets);
      return {
        exit: { code: status.signal ? null : status.code, signal: status.signal, timedOut: this.#timedOut },
        errorLines: vectorErrorLines(stderr),
        stderrTail: stderr.slice(-4096),
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
