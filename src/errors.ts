/**
 * The few domain errors callers branch on. Each names what was wrong and keeps
 * its cause; the class decides what happens to the SQS message (DESIGN 1.5).
 *
 * @module
 */

/** How a failure affects the message that carried it. */
export type FailureClass = "retryable" | "permanent";

/** Invalid configuration found at start; the message names the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
  /** The environment variable or flag that was wrong. */
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.variable = variable;
  }
}

/** A mistake in a command line (processor subcommands and the scripts): the message names the flag; exit status 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A failure carrying its class, so callers never guess from message text. */
export class ProcessingError extends Error {
  override name = "ProcessingError";
  readonly failureClass: FailureClass;
  /** Short machine-readable code, e.g. `InvalidKey`, `AccessDenied`, `Throttling`. */
  readonly code: string;
  constructor(
    failureClass: FailureClass,
    code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.failureClass = failureClass;
    this.code = code;
  }
}

/** Shorthand for a failure that will not go away by retrying. */
export function permanent(
  code: string,
  message: string,
  cause?: unknown,
): ProcessingError {
  return new ProcessingError("permanent", code, message, { cause });
}

/** Shorthand for a failure that a later attempt may get past. */
export function retryable(
  code: string,
  message: string,
  cause?: unknown,
): ProcessingError {
  return new ProcessingError("retryable", code, message, { cause });
}

/** Message text of any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
