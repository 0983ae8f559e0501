/**
 * The one shape of an error under `--json`, for every command that offers
 * it (tenants, dlq, deploy.sh): one JSON object on stderr,
 * `{"error": "<message>", "code": "<UsageError|ConfigError|NotFound|AWS code>", "command": "<command>"}`,
 * while stdout carries only results. Pure.
 *
 * @module
 */

/** The JSON error line. */
export function jsonErrorLine(message: string, code: string, command: string): string {
  return JSON.stringify({ error: message, code, command });
}
