/**
 * Object keys arrive in S3 notifications form-encoded: `+` stands for a space,
 * everything else is percent-encoded (a `/` may arrive as `%2F`).
 *
 * @module
 */

/** Decodes a notification key; throws `URIError` on a malformed escape. */
export function decodeS3Key(raw: string): string {
  return decodeURIComponent(raw.replaceAll("+", " "));
}
