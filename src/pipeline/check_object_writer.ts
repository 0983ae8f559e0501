/**
 * The pipeline's registry step (DESIGN 1.6): look the key's cluster up and
 * decide, with {@link checkWriter}, whether this writer may have written this
 * object. A refusal is logged as a security event; a failed lookup throws
 * (classified, usually retryable) so the object is tried again.
 *
 * @module
 */
import type { TenantPath } from "../notification/parse_key.ts";
import type { ObjectRef } from "../notification/parse_notification.ts";
import type { Logger } from "../telemetry/logger.ts";
import { checkWriter, type RefusalReason } from "../tenant/check_writer.ts";
import type { ClusterStore } from "../tenant/cluster_store.ts";

/** Why an object's writer was refused. */
export interface WriterRefusal {
  readonly reason: RefusalReason;
  readonly message: string;
}

/** What the step needs. */
export interface WriterCheckDeps {
  readonly clusters: ClusterStore;
  /** Refuse objects whose notification names no writer (`REQUIRE_WRITER_IDENTITY`). */
  readonly requireWriterIdentity?: boolean;
  /** When given, each refusal is logged as a security event (the processor; not dry runs). */
  readonly logger?: Logger;
}

/** The refusal of `ref`'s writer, or undefined when the object may be delivered. */
export async function writerRefusal(
  object: { readonly ref: ObjectRef; readonly path: TenantPath },
  deps: WriterCheckDeps,
): Promise<WriterRefusal | undefined> {
  const { ref, path } = object;
  const lookup = await deps.clusters.get(path.clusterId);
  const verdict = checkWriter({
    path,
    lookup,
    identity: {
      ...(ref.principalId !== undefined ? { principalId: ref.principalId } : {}),
      ...(ref.requester !== undefined ? { requester: ref.requester } : {}),
    },
    requireIdentity: deps.requireWriterIdentity ?? false,
  });
  if (verdict.ok) return undefined;
  deps.logger?.warn("write refused: the object's writer may not write it (nothing is delivered)", {
    bucket: ref.bucket,
    key: ref.key,
    tenant: path.customerId,
    cluster: path.clusterId,
    refused: verdict.reason,
    principal_id: ref.principalId,
    requester: ref.requester,
    reason: verdict.message,
  });
  return { reason: verdict.reason, message: verdict.message };
}
