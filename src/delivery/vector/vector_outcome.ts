/**
 * How a Vector run ends up as a delivery outcome. Success is proven, never
 * inferred: Vector exits 0 after dropping events (and logs that to stdout),
 * so a run delivered only when the sink's own `component_sent_events_total`
 * confirms every event fed to it. Anything less is a failure, classified by
 * the AWS error code in Vector's error lines exactly as the native engine
 * classifies the same error (src/aws/classify_error.ts). Pure.
 *
 * - could not start (binary missing): permanent `VectorNotFound`
 * - every event confirmed sent: delivered (whatever the exit status)
 * - exit 78 (configuration error): permanent `VectorConfigError`
 * - an AWS error code in the error lines: its class and code
 *   (`AccessDeniedException` permanent; `ThrottlingException`,
 *   `ServiceUnavailableException`, expired credentials retryable)
 * - killed by our timeout: retryable `VectorTimeout`
 * - other non-zero exit or a signal: retryable `VectorFailed`
 * - error lines naming a problem a retry cannot fix (message size, template):
 *   permanent `VectorDeliveryFailed`
 * - events dropped or errors without an AWS code (network, retries
 *   exhausted): retryable `VectorDeliveryFailed`
 * - silence (fewer confirmed than fed, nothing said why): retryable
 *   `VectorUnconfirmed`
 *
 * @module
 */
import { classifyAwsError, isExpiredCredentials } from "../../aws/classify_error.ts";
import { permanent, ProcessingError, retryable } from "../../errors.ts";
import type { VectorAwsError } from "./vector_output.ts";

/** How the process ended. */
export interface VectorExit {
  readonly code: number | null;
  readonly signal?: string | null;
  readonly timedOut: boolean;
  /** Set when the process could not be started at all. */
  readonly spawnError?: string;
}

/** What one run amounted to: how it ended, what was fed, what the sink confirmed, what Vector said. */
export interface VectorRunResult {
  readonly exit: VectorExit;
  /** Events written to Vector's stdin. */
  readonly fed: number;
  /** Events the sink confirmed sent (its `component_sent_events_total`). */
  readonly sent: number;
  /** Events the sink dropped. */
  readonly discarded: number;
  readonly errorLines: readonly string[];
  readonly awsErrors: readonly VectorAwsError[];
  readonly lastWarning?: string;
}

/** Vector's exit code for an invalid configuration (sysexits EX_CONFIG). */
export const EXIT_CONFIG = 78;

/** Vector's own wording for problems a retry will not fix. */
const PERMANENT_TEXT = /message size|too large|template/i;

/** Replaces each secret in `text` (credentials must never reach a log or result). */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.replaceAll(s, "[redacted]");
  return out;
}

/** The class and code of Vector's AWS errors: permanent if any is, else the first retryable one. */
export function classifyVectorAwsErrors(errors: readonly VectorAwsError[]): ProcessingError | undefined {
  let first: ProcessingError | undefined;
  for (const error of errors) {
    const c = classifyAwsError({
      name: error.code ?? `HTTP${error.status}`,
      $metadata: error.status === undefined ? undefined : { httpStatusCode: error.status },
    });
    const found = new ProcessingError(c.failureClass, c.code, c.code);
    if (found.failureClass === "permanent") return found;
    first ??= found;
  }
  return first;
}

/** True when Vector was refused for expired credentials (the next run must start from fresh ones). */
export function credentialsExpired(run: Pick<VectorRunResult, "awsErrors">): boolean {
  return run.awsErrors.some((e) => isExpiredCredentials(e.code ?? ""));
}

/** The failure of a run, or undefined when the sink confirmed every event fed to it. */
export function vectorFailure(run: VectorRunResult): ProcessingError | undefined {
  const { exit } = run;
  if (exit.spawnError !== undefined) return permanent("VectorNotFound", `cannot start vector: ${exit.spawnError}`);
  if (run.sent >= run.fed) return undefined;
  const counts = `confirmed ${run.sent} of ${run.fed} events sent` +
    (run.discarded > 0 ? `, ${run.discarded} dropped` : "");
  const lines = run.errorLines.length > 0 ? run.errorLines : run.lastWarning ? [run.lastWarning] : [];
  const detail = lines.length > 0 ? `: ${lines.slice(0, 3).join(" | ")}` : "";
  if (exit.code === EXIT_CONFIG) return permanent("VectorConfigError", `vector rejected its configuration${detail}`);
  const aws = classifyVectorAwsErrors(run.awsErrors);
  if (aws) return new ProcessingError(aws.failureClass, aws.code, `vector could not deliver (${counts})${detail}`);
  if (exit.timedOut) {
    return retryable("VectorTimeout", `vector did not finish in time and was killed (${counts})${detail}`);
  }
  if (exit.code !== 0) {
    const how = exit.code === null ? `was killed by ${exit.signal ?? "a signal"}` : `exited with ${exit.code}`;
    return retryable("VectorFailed", `vector ${how} (${counts})${detail}`);
  }
  if (run.errorLines.length > 0 || run.discarded > 0) {
    const text = run.errorLines.join("\n");
    const make = PERMANENT_TEXT.test(text) ? permanent : retryable;
    return make("VectorDeliveryFailed", `vector could not deliver (${counts})${detail}`);
  }
  return retryable("VectorUnconfirmed", `vector did not confirm its deliveries (${counts})${detail}`);
}
