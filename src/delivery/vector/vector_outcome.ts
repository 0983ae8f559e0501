/**
 * How a Vector run ends up as a delivery outcome. Vector exits 0 even when
 * its sink dropped events, so its ERROR log lines decide too. Pure.
 *
 * - could not start (binary missing): permanent `VectorNotFound`
 * - killed by our timeout: retryable `VectorTimeout`
 * - exit 78 (configuration error): permanent `VectorConfigError`
 * - other non-zero exit or a signal: retryable `VectorFailed`
 * - exit 0 with ERROR lines: permanent when they name an authorization or
 *   validation error (AccessDenied…), else retryable `VectorDeliveryFailed`
 *
 * @module
 */
import { permanent, type ProcessingError, retryable } from "../../errors.ts";

/** How the process ended. */
export interface VectorExit {
  readonly code: number | null;
  readonly signal?: string | null;
  readonly timedOut: boolean;
  /** Set when the process could not be started at all. */
  readonly spawnError?: string;
}

/** Vector's exit code for an invalid configuration (sysexits EX_CONFIG). */
export const EXIT_CONFIG = 78;

/** AWS error codes in Vector's error lines that a retry will not fix. */
const PERMANENT_CODE =
  /\b(?:AccessDenied|UnauthorizedOperation|NotAuthorized|InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch|InvalidParameter|ResourceNotFound)\w*/;
/** Vector's own wording for problems a retry will not fix. */
const PERMANENT_TEXT = /message size|Configuration error|template/i;

/** Replaces each secret in `text` (credentials must never reach a log or result). */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.replaceAll(s, "[redacted]");
  return out;
}

/**
 * The ERROR lines of Vector's stderr as short texts. Understands
 * `--log-format json` lines (`level`, `message`/`fields.message`, `error`) and
 * falls back to text lines containing ` ERROR `.
 */
export function vectorErrorLines(stderr: string): string[] {
  const out: string[] = [];
  for (const line of stderr.split("\n")) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    let parsed: Record<string, unknown> | undefined;
    if (trimmed.startsWith("{")) {
      try {
        parsed = JSON.parse(trimmed);
      } catch { /* not JSON: treat as text */ }
    }
    if (parsed) {
      if (String(parsed.level ?? "").toUpperCase() !== "ERROR") continue;
      const fields = (parsed.fields ?? {}) as Record<string, unknown>;
      const parts = [parsed.message ?? fields.message, parsed.error ?? fields.error, parsed.reason ?? fields.reason]
        .filter((v) => v !== undefined && v !== null)
        .map(String);
      out.push(parts.length > 0 ? parts.join(": ") : trimmed);
    } else if (/\bERROR\b/.test(trimmed)) out.push(trimmed);
  }
  return out;
}

/** The failure of a run, or undefined when Vector delivered everything. */
export function vectorFailure(exit: VectorExit, errorLines: readonly string[]): ProcessingError | undefined {
  const detail = errorLines.length > 0 ? `: ${errorLines.slice(0, 3).join(" | ")}` : "";
  if (exit.spawnError !== undefined) {
    return permanent("VectorNotFound", `cannot start vector: ${exit.spawnError}`);
  }
  if (exit.timedOut) return retryable("VectorTimeout", `vector did not finish in time and was killed${detail}`);
  if (exit.code === EXIT_CONFIG) return permanent("VectorConfigError", `vector rejected its configuration${detail}`);
  if (exit.code !== 0) {
    const how = exit.code === null ? `was killed by ${exit.signal ?? "a signal"}` : `exited with ${exit.code}`;
    return retryable("VectorFailed", `vector ${how}${detail}`);
  }
  if (errorLines.length === 0) return undefined;
  const text = errorLines.join("\n");
  const code = text.match(PERMANENT_CODE)?.[0] ?? (PERMANENT_TEXT.test(text) ? "VectorDeliveryFailed" : undefined);
  if (!code) return retryable("VectorDeliveryFailed", `vector could not deliver${detail}`);
  return permanent(code, `vector could not deliver${detail}`);
}
