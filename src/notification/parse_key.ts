/**
 * The central bucket's key layout (DESIGN 1.1):
 * `<customer_id>/<cluster_id>/<application>/<pod_name>/<file name>`.
 *
 * @module
 */
import { permanent } from "../errors.ts";

/** The routing segments of a key; `customerId` is the tenant id. */
export interface TenantPath {
  readonly customerId: string;
  readonly clusterId: string;
  readonly application: string;
  readonly podName: string;
  readonly fileName: string;
}

/** One routing segment: 1–128 of `[A-Za-z0-9._-]`, not `.` or `..`. */
export const SEGMENT_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
const SEGMENT_NAMES = ["customer_id", "cluster_id", "application", "pod_name"] as const;
const MAX_FILE_NAME = 255;

/** True when `value` is a valid routing segment. */
export function isValidSegment(value: string): boolean {
  return SEGMENT_PATTERN.test(value) && value !== "." && value !== "..";
}

/** Why `key` breaks the layout, or undefined when it fits. */
export function keyLayoutProblem(key: string): string | undefined {
  const parts = key.split("/");
  if (parts.length !== 5) {
    return `has ${parts.length - 1} "/" separators; expected customer_id/cluster_id/application/pod_name/file`;
  }
  for (const [i, name] of SEGMENT_NAMES.entries()) {
    const segment = parts[i] ?? "";
    if (!isValidSegment(segment)) {
      return `${name} "${segment}" must be 1-128 characters of A-Z a-z 0-9 . _ - (not "." or "..")`;
    }
  }
  const file = parts[4] ?? "";
  if (file === "" || file === "." || file === ".." || file.length > MAX_FILE_NAME) {
    return `file name "${file}" must be 1-${MAX_FILE_NAME} characters and not "." or ".."`;
  }
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(file)) return `file name contains control characters`;
  return undefined;
}

/**
 * Parses a decoded key (DESIGN 1.1).
 *
 * @throws {ProcessingError} a permanent `InvalidKey` error naming the key and what is wrong with it.
 */
export function parseObjectKey(key: string): TenantPath {
  const problem = keyLayoutProblem(key);
  if (problem) throw permanent("InvalidKey", `Object key ${JSON.stringify(key)} ${problem}`);
  // keyLayoutProblem checked there are exactly five parts.
  const [customerId = "", clusterId = "", application = "", podName = "", fileName = ""] = key.split("/");
  return { customerId, clusterId, application, podName, fileName };
}
