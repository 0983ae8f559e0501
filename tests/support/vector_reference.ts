/**
 * What a real Vector 0.58.0 printed when CloudWatch Logs refused its calls
 * (`tests/testdata/vector-reference/observed-0.58.0/`, a verbatim copy of the
 * shared reference): per fault its stdout, byte for byte, and its exit status.
 * The stand-in (fake_vector.ts) replays these; the engine's tests run against
 * every one of them.
 *
 * @module
 */

/** The folder of the observed runs. */
export const OBSERVED_DIR = new URL("../testdata/vector-reference/observed-0.58.0/", import.meta.url);

/** One observed run: CloudWatch answered every `operation` call with `code`. */
export interface ObservedFault {
  /** `<operation>-<code>`, the files' common name. */
  readonly name: string;
  readonly operation: string;
  readonly code: string;
  /** Vector's stdout, verbatim (one JSON log line per line). */
  readonly stdout: string;
  readonly exit: number;
}

/** Every observed run, sorted by name. */
export function observedFaults(dir: URL = OBSERVED_DIR): ObservedFault[] {
  const names = [...Deno.readDirSync(dir)]
    .map((e) => e.name.match(/^(\w+)-(\w+)\.stdout\.jsonl$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .sort((a, b) => a[0].localeCompare(b[0]));
  return names.map(([, operation = "", code = ""]) => {
    const name = `${operation}-${code}`;
    return {
      name,
      operation,
      code,
      stdout: Deno.readTextFileSync(new URL(`${name}.stdout.jsonl`, dir)),
      exit: Number(Deno.readTextFileSync(new URL(`${name}.exit`, dir)).trim()),
    };
  });
}

/** The observed run `name` (`PutLogEvents-AccessDeniedException`), if there is one. */
export function observedFault(name: string): ObservedFault | undefined {
  return observedFaults().find((f) => f.name === name);
}
