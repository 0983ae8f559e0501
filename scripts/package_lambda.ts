/**
 * `deno task package:lambda`: the Lambda custom-runtime package, a zip whose
 * only entry is `bootstrap` (mode 0755): the compiled `log-processor` binary,
 * which runs the Lambda mode when AWS_LAMBDA_RUNTIME_API is set.
 *
 * Options: `--binary <path>` (default dist/log-processor, compiled first with
 * `deno task compile` when missing), `--output <zip>` (default
 * dist/log-processor-lambda.zip).
 *
 * @module
 */
import { zipSync } from "fflate";
import { commandLine } from "./command_line.ts";
import { compile, DEFAULT_OUTPUT as DEFAULT_BINARY } from "./compile.ts";

export const DEFAULT_ZIP = "dist/log-processor-lambda.zip";
/** Unix "made by" host in the zip's central directory, so the mode below is honoured. */
const UNIX = 3;
const REGULAR_FILE_0755 = 0o100755;
const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

/** The zip bytes holding `binary` as an executable `bootstrap` (pure). */
export function lambdaZip(binary: Uint8Array, mtime = new Date("2020-01-01T00:00:00Z")): Uint8Array {
  return zipSync({ bootstrap: [binary, { os: UNIX, attrs: REGULAR_FILE_0755 << 16, mtime, level: 6 }] });
}

/** True when `bytes` start like a Linux executable. */
export function isElf(bytes: Uint8Array): boolean {
  return ELF_MAGIC.every((b, i) => bytes[i] === b);
}

/** Packages `binary` into `output`; resolves to the exit status. */
export async function packageLambda(binary: string, output: string, compileWhenMissing: boolean): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(binary);
  } catch {
    if (!compileWhenMissing) {
      console.error(`package:lambda: ${binary} does not exist`);
      return 2;
    }
    console.error(`package:lambda: ${binary} is missing; compiling it first`);
    const status = await compile({ output: binary, target: Deno.env.get("COMPILE_TARGET") || undefined });
    if (status !== 0) return status;
    bytes = await Deno.readFile(binary);
  }
  if (!isElf(bytes)) {
    console.error(`package:lambda: warning: ${binary} is not a Linux ELF executable; Lambda will not run it`);
  }
  await Deno.mkdir(output.split("/").slice(0, -1).join("/") || ".", { recursive: true });
  await Deno.writeFile(output, lambdaZip(bytes));
  console.error(`package:lambda: wrote ${output} (bootstrap = ${binary}, ${bytes.length} bytes)`);
  return 0;
}

export const PACKAGE_USAGE = `Usage: deno task package:lambda [--binary PATH] [--output ZIP]

The Lambda custom-runtime package: a zip whose only entry is bootstrap (mode
0755), the compiled log-processor.

  --binary PATH   the binary to package (default ${DEFAULT_BINARY}, compiled first with
                  deno task compile when missing; COMPILE_TARGET applies)
  --output ZIP    where to write the zip (default ${DEFAULT_ZIP})
  --help          this text`;

if (import.meta.main) {
  const parsed = commandLine(Deno.args, {
    name: "deno task package:lambda",
    options: { binary: { type: "string" }, output: { type: "string" } },
    usage: PACKAGE_USAGE,
  });
  if ("exit" in parsed) Deno.exit(parsed.exit);
  const values = parsed.values as { binary?: string; output?: string };
  Deno.exit(await packageLambda(values.binary ?? DEFAULT_BINARY, values.output ?? DEFAULT_ZIP, !values.binary));
}
