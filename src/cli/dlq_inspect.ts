/**
 * `dlq stats` and `dlq peek`: what is in the dead-letter queue, and why, as
 * far as that can be told now. Neither consumes a message.
 *
 * @module
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { classifyAwsError } from "../aws/classify_error.ts";
import { clientConfig } from "../aws/client_config.ts";
import {
  DEFAULT_CLUSTER_CACHE_TTL_SECONDS,
  DEFAULT_DELIVERY_STATE_TTL_DAYS,
  DEFAULT_TENANT_CACHE_TTL_SECONDS,
  validationContext,
} from "../config.ts";
import { DynamoDeliveryStateStore } from "../delivery/state/delivery_state_store.ts";
import { describeMessage } from "../dlq/describe_message.ts";
import { diagnoseObject, type DiagnosisDeps } from "../dlq/diagnose_object.ts";
import { type DlqStats, dlqStats } from "../dlq/dlq_stats.ts";
import { peekMessages } from "../dlq/peek_messages.ts";
import { isUnsupportedOperation } from "../dlq/redrive_task.ts";
import { S3ObjectProbe } from "../dlq/s3_object_probe.ts";
import { CachedTenantStore } from "../tenant/cached_tenant_store.ts";
import { DynamoTenantStore } from "../tenant/tenant_store.ts";
import { CachedClusterStore } from "../tenant/cached_cluster_store.ts";
import { DynamoClusterStore } from "../tenant/cluster_store.ts";
import { type DlqContext, numberFlag, resolveQueues } from "./dlq_context.ts";
import { formatPeekLine, formatStats, type PeekLine } from "./dlq_output.ts";

/** Recent move tasks of the DLQ, or why they cannot be listed (an emulator without the API, a denied call). */
export async function moveTasksOf(ctx: DlqContext, arn: string | undefined): Promise<DlqStats["move_tasks"]> {
  if (!arn) return { unavailable: "the queue has no QueueArn attribute" };
  try {
    return await ctx.admin.listMoveTasks(arn);
  } catch (err) {
    return {
      unavailable: isUnsupportedOperation(err)
        ? "ListMessageMoveTasks is not available at this endpoint"
        : `ListMessageMoveTasks failed: ${classifyAwsError(err).code}`,
    };
  }
}

/** Warns on stderr about messages a peek could not make visible again. */
function reportRestoreFailures(ctx: DlqContext, failures: readonly { messageId: string; code: string }[]): void {
  if (failures.length === 0) return;
  ctx.io.err(
    `dlq: ${failures.length} message(s) could not be made visible again (${failures[0]!.code}); ` +
      "they reappear when the 30 s hold ends",
  );
}

/** `dlq stats`. */
export async function statsDlq(ctx: DlqContext): Promise<number> {
  const sampleSize = numberFlag(ctx.values, "sample", { min: 0, max: 1000, fallback: 10 })!;
  const { dlqUrl, dlqAttributes } = await resolveQueues(ctx);
  const peek = sampleSize > 0 ? await peekMessages(ctx.admin, dlqUrl, { limit: sampleSize }) : undefined;
  if (peek) reportRestoreFailures(ctx, peek.restoreFailures);
  const now = Date.now();
  const sources = await ctx.admin.deadLetterSources(dlqUrl).catch(() => undefined);
  const stats = dlqStats(dlqUrl, dlqAttributes, {
    sample: peek?.messages.map((m) => describeMessage(m, now)),
    sourceQueues: sources,
    moveTasks: await moveTasksOf(ctx, dlqAttributes.QueueArn),
  });
  ctx.print(stats, () => formatStats(stats));
  return 0;
}

/** The checks peek's diagnosis can make with this configuration, and what closes them. */
function diagnosisDeps(ctx: DlqContext): { deps: DiagnosisDeps; close: () => void } {
  const { config, settings } = ctx;
  const s3 = new S3Client(clientConfig(settings, "S3"));
  const dynamo = config.tenantTable || config.deliveryStateTable || config.clusterTable
    ? new DynamoDBClient(clientConfig(settings, "DynamoDB"))
    : undefined;
  const deps: DiagnosisDeps = {
    objects: new S3ObjectProbe(s3),
    centralBucket: config.centralBucket,
    ...(dynamo && config.tenantTable
      ? {
        tenants: new CachedTenantStore(
          new DynamoTenantStore(dynamo, config.tenantTable, validationContext(config)),
          { ttlMs: DEFAULT_TENANT_CACHE_TTL_SECONDS * 1000 },
        ),
      }
      : {}),
    ...(dynamo && config.clusterTable
      ? {
        clusters: new CachedClusterStore(new DynamoClusterStore(dynamo, config.clusterTable), {
          ttlMs: DEFAULT_CLUSTER_CACHE_TTL_SECONDS * 1000,
        }),
      }
      : {}),
    ...(dynamo && config.deliveryStateTable
      ? {
        deliveryState: new DynamoDeliveryStateStore(dynamo, {
          table: config.deliveryStateTable,
          ttlSeconds: DEFAULT_DELIVERY_STATE_TTL_DAYS * 86_400,
        }),
      }
      : {}),
  };
  return {
    deps,
    close: () => {
      s3.destroy();
      dynamo?.destroy();
    },
  };
}

/** `dlq peek`. */
export async function peekDlq(ctx: DlqContext): Promise<number> {
  const limit = numberFlag(ctx.values, "limit", { min: 1, max: 1000, fallback: 10 })!;
  const { dlqUrl } = await resolveQueues(ctx);
  const peek = await peekMessages(ctx.admin, dlqUrl, { limit });
  reportRestoreFailures(ctx, peek.restoreFailures);
  const diagnose = ctx.values["no-diagnose"] !== true;
  const { deps, close } = diagnose ? diagnosisDeps(ctx) : { deps: {}, close: () => {} };
  const now = Date.now();
  try {
    let index = 0;
    for (const message of peek.messages) {
      const view = describeMessage(message, now);
      const objects = [];
      for (const { ref, ...object } of view.objects) {
        objects.push(diagnose ? { ...object, diagnosis: await diagnoseObject(ref, deps) } : object);
      }
      const line: PeekLine = { ...view, objects };
      const at = ++index;
      ctx.print(line, () => formatPeekLine(line, at));
    }
  } finally {
    close();
  }
  if (peek.messages.length === 0 && !ctx.values.json) ctx.io.out(`no visible messages in ${dlqUrl}`);
  return 0;
}
