/**
 * The command-line contract of the repository's scripts (`deno task compile`,
 * `package:lambda`, `demo`, `bench`, `test`, the Vector local runner): `--help`
 * prints the usage and exits 0; an unknown flag, a missing value or a stray
 * argument is one line on stderr naming it, exit 2; never a stack trace.
 *
 * @module
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";

/** Where a command writes (swappable in tests). */
export interface CommandIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const consoleIo: CommandIo = { out: (t) => console.log(t), err: (t) => console.error(t) };

/** Exit status of a command-line mistake. */
export const USAGE_EXIT = 2;

/** The one-line message of any thrown value (never its stack). */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? `${err.message || err.name}` : String(err);
  return text.split("\n").map((l) => l.trim()).filter(Boolean).join(" ");
}

/** A command's name, its flags, its `--help` text and where it writes. */
export interface CommandSpec<O extends ParseArgsOptionsConfig> {
  /** As the user types it (`deno task compile`); starts every error line. */
  readonly name: string;
  readonly options: O;
  readonly usage: string;
  /** Default: the console. */
  readonly io?: CommandIo;
}

/**
 * Parses `args`: the flag values, or the exit status when the command is done
 * (help printed: 0; a mistake reported: 2). `help` is always accepted.
 */
export function commandLine<O extends ParseArgsOptionsConfig>(
  args: string[],
  { name, options, usage, io = consoleIo }: CommandSpec<O>,
): { values: Record<string, string | boolean | string[] | undefined> } | { exit: number } {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    const all = { ...options, help: { type: "boolean" as const, short: "h" } };
    values = { ...parseArgs({ args, options: all, allowPositionals: false }).values };
  } catch (err) {
    io.err(`${name}: ${oneLine(err)} (${name} --help lists the options)`);
    return { exit: USAGE_EXIT };
  }
  if (values.help) {
    io.out(usage);
    return { exit: 0 };
  }
  return { values };
}
