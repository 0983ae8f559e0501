/**
 * `log-processor dlq stats|peek|redrive` against moto: messages reach the DLQ
 * through the real chain (bucket notification → SNS → SQS → redrive policy),
 * and every command is run as a subprocess, as an operator runs it. moto has
 * no StartMessageMoveTask, so `redrive` here takes the receive → send →
 * delete path (the move-task path is checked against a recording fake client
 * in src/cli/dlq_command_test.ts).
 */
import { deepStrictEqual as deepEqual, match, ok, strictEqual as equal } from "node:assert/strict";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import {
  awsTest,
  cloudWatchItem,
  createDeliveryStateTable,
  encodeObject,
  type LocalAws,
  newCustomer,
  objectKey,
  processorEnv,
  putTenantItem,
  registerCluster,
  runProcessor,
  s3Item,
  uniq,
  vectorRecord,
} from "./support/fixtures.ts";
import { eventually, type QueueChain, queueCounts, startQueueChain } from "./support/queue_chain.ts";

/** The queue name at the end of a queue URL (the emulator's and AWS's URLs differ before it). */
const queueNameOfUrl = (url: string) => url.replace(/\/+$/, "").split("/").at(-1) ?? url;

/** Bodies of `queueUrl` without hiding them (visibility 0). */
async function bodiesOf(chain: QueueChain, queueUrl: string, expected: number): Promise<string[]> {
  return await eventually(`${expected} messages in ${queueUrl}`, async () => {
    const out = await chain.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 1,
      }),
    );
    const bodies = (out.Messages ?? []).map((m) => m.Body ?? "").sort();
    return bodies.length === expected ? bodies : undefined;
  });
}

/** Receives from the source queue until every message has moved to the DLQ (maxReceiveCount 1). */
async function deadLetterAll(chain: QueueChain, expected: number): Promise<void> {
  await eventually(`${expected} messages in the DLQ`, async () => {
    await chain.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: chain.queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
    );
    const dlq = await queueCounts(chain, chain.dlqUrl);
    return dlq.visible === expected ? true : undefined;
  });
}

async function putCentral(aws: LocalAws, key: string): Promise<string> {
  const out = await aws.s3.send(
    new PutObjectCommand({ Bucket: aws.bucket, Key: key, Body: encodeObject([vectorRecord("line")]) }),
  );
  return out.ETag!;
}

awsTest(
  "dlq stats, peek and redrive: counts, decoded messages with their diagnosis, nothing consumed, redrive back",
  async (aws) => {
    const chain = await startQueueChain(aws, { maxReceiveCount: 1 });
    try {
      const stateTable = await createDeliveryStateTable(aws);
      const c = newCustomer(aws);
      await putTenantItem(aws, cloudWatchItem(c));
      await putTenantItem(aws, s3Item(c, "customer-archive"));
      const deliverable = objectKey(c.tenantId);
      const badKey = `${uniq("no-tenant-layout")}.json.gz`;
      const unknown = objectKey(uniq("stranger"));
      const gone = objectKey(c.tenantId, "web");
      await registerCluster(aws, [c, unknown.split("/")[0]!]);
      const eTag = await putCentral(aws, deliverable);
      for (const key of [badKey, unknown, gone]) await putCentral(aws, key);
      await aws.s3.send(new DeleteObjectCommand({ Bucket: aws.bucket, Key: gone }));
      // The CloudWatch delivery of `deliverable` succeeded on an earlier receive; its archive delivery did not.
      await aws.dynamo.send(
        new PutItemCommand({
          TableName: stateTable,
          Item: {
            pk: { S: `${aws.bucket}/${deliverable}#${eTag.replaceAll('"', "")}` },
            completed: { SS: ["cloudwatch"] },
            ttl: { N: String(Math.floor(Date.now() / 1000) + 3600) },
          },
        }),
      );
      // Four object messages plus the s3:TestEvent S3 sent when the notification was set up.
      await deadLetterAll(chain, 5);
      const before = await bodiesOf(chain, chain.dlqUrl, 5);
      const env = processorEnv(aws, {
        SQS_QUEUE_URL: chain.queueUrl,
        CENTRAL_BUCKET: aws.bucket,
        DELIVERY_STATE_TABLE: stateTable,
      });
      const dlq = (...args: string[]) => runProcessor(["dlq", ...args], env);
      const untouched = async (what: string) =>
        deepEqual(await queueCounts(chain, chain.dlqUrl), { visible: 5, inFlight: 0 }, `${what} consumed nothing`);

      // stats: the DLQ found through the queue's redrive policy.
      const stats = await dlq("stats", "--json");
      equal(stats.code, 0, stats.stderr);
      const s = JSON.parse(stats.stdout);
      equal(queueNameOfUrl(s.queue_url), queueNameOfUrl(chain.dlqUrl));
      deepEqual([s.visible, s.in_flight, s.delayed], [5, 0, 0]);
      deepEqual(s.source_queues.map(queueNameOfUrl), [queueNameOfUrl(chain.queueUrl)]);
      deepEqual([s.sample.messages, s.sample.complete], [5, true]);
      deepEqual(s.sample.tenants, { "(no tenant)": 1, [c.tenantId]: 2, [unknown.split("/")[0]!]: 1 });
      ok(s.sample.oldest_age_seconds >= 0 && s.sample.oldest_age_seconds < 600, String(s.sample.oldest_age_seconds));
      equal(s.sample.expires_in_seconds, s.retention_seconds - s.sample.oldest_age_seconds);
      deepEqual(s.move_tasks, { unavailable: "ListMessageMoveTasks is not available at this endpoint" });
      await untouched("stats");
      const human = await dlq("stats");
      match(human.stdout, /messages +5 visible, 0 in flight, 0 delayed/);
      match(human.stdout, /\[every visible message\]/);

      // peek: one JSON line per message, each object decoded and diagnosed.
      const peek = await dlq("peek", "--json");
      equal(peek.code, 0, peek.stderr);
      const lines = peek.stdout.trim().split("\n").map((l) => JSON.parse(l));
      equal(lines.length, 5);
      // deno-lint-ignore no-explicit-any
      const byKey = new Map<string, any>(
        lines.flatMap((l) => l.objects.map((o: { key: string }) => [o.key, { ...o, line: l }])),
      );
      const diagnosis = (key: string) => byKey.get(key)?.diagnosis;
      deepEqual(
        [diagnosis(deliverable).verdict, diagnosis(deliverable).completed, diagnosis(deliverable).deliveries.sort()],
        ["retry", ["cloudwatch"], [`cloudwatch:${c.logGroup}`, "s3://customer-archive/"].sort()],
      );
      match(diagnosis(deliverable).reason, /cloudwatch succeeded on an earlier receive .*archive is left/);
      match(diagnosis(deliverable).reason, new RegExp(`tenants verify --tenant ${c.tenantId}`));
      deepEqual([diagnosis(badKey).verdict, diagnosis(badKey).code], ["fails_again", "InvalidKey"]);
      equal(byKey.get(badKey)?.tenant, undefined);
      deepEqual([diagnosis(unknown).verdict, diagnosis(unknown).reason], [
        "skipped",
        `unknown tenant "${unknown.split("/")[0]}"`,
      ]);
      deepEqual([diagnosis(gone).verdict, diagnosis(gone).code], ["fails_again", "NoSuchKey"]);
      equal(byKey.get(deliverable)?.tenant, c.tenantId);
      ok(byKey.get(deliverable)!.line.receive_count >= 2, "the source queue's receive and the DLQ peeks count");
      deepEqual(lines.filter((l) => l.objects.length === 0).map((l) => l.other), [[{
        kind: "skip",
        reason: "s3:TestEvent",
      }]]);
      await untouched("peek");
      const peekText = await dlq("peek", "--limit", "2", "--no-diagnose");
      equal(peekText.code, 0, peekText.stderr);
      equal(peekText.stdout.match(/^\[\d\] /gm)?.length, 2);
      await untouched("peek --no-diagnose");

      // A redrive that cannot send deletes nothing.
      const nowhere = chain.queueUrl.replace(/[^/]+$/, uniq("missing-queue"));
      const refused = await dlq("redrive", "--method", "copy", "--to", nowhere, "--json");
      equal(refused.code, 1, refused.stdout + refused.stderr);
      const r0 = JSON.parse(refused.stdout);
      deepEqual([r0.moved, r0.stopped_early], [0, true]);
      await untouched("a redrive whose sends fail");
      const forced = await dlq("redrive", "--method", "move-task", "--json");
      equal(forced.code, 1, "no fallback when the move task is asked for");
      await untouched("a refused move task");

      // Dry run, then two messages, then the rest (StartMessageMoveTask is missing: receive → send → delete).
      const dry = await dlq("redrive", "--dry-run", "--json");
      equal(dry.code, 0, dry.stderr);
      deepEqual([JSON.parse(dry.stdout).dry_run, JSON.parse(dry.stdout).messages_visible], [true, 5]);
      await untouched("redrive --dry-run");
      const two = await dlq("redrive", "--max-messages", "2", "--json");
      equal(two.code, 0, two.stderr);
      deepEqual([JSON.parse(two.stdout).method, JSON.parse(two.stdout).moved], ["copy", 2]);
      deepEqual(await queueCounts(chain, chain.dlqUrl), { visible: 3, inFlight: 0 });
      const rest = await dlq("redrive", "--max-per-second", "100", "--json");
      equal(rest.code, 0, rest.stderr);
      match(rest.stderr, /StartMessageMoveTask is not available at this endpoint.*falling back/);
      deepEqual([JSON.parse(rest.stdout).moved, JSON.parse(rest.stdout).send_failed], [3, 0]);
      deepEqual(await queueCounts(chain, chain.dlqUrl), { visible: 0, inFlight: 0 });
      deepEqual(await bodiesOf(chain, chain.queueUrl, 5), before, "the same bodies are back in the source queue");
    } finally {
      chain.close();
    }
  },
);

awsTest("dlq: AWS errors exit 1 with a JSON error; a queue without a DLQ is a usage error", async (aws) => {
  const chain = await startQueueChain(aws, { maxReceiveCount: 1 });
  try {
    const env = processorEnv(aws);
    const missing = chain.dlqUrl.replace(/[^/]+$/, uniq("no-such-queue"));
    const r = await runProcessor(["dlq", "stats", "--dlq", missing, "--json"], env);
    equal(r.code, 1, r.stdout + r.stderr);
    const error = JSON.parse(r.stderr.trim().split("\n").at(-1)!);
    equal(error.command, "dlq stats");
    match(error.code, /NonExistentQueue|QueueDoesNotExist/);
    const noDlq = await runProcessor(["dlq", "peek", "--queue", chain.dlqUrl], env);
    equal(noDlq.code, 2);
    match(noDlq.stderr, /dlq peek: queue .* has no redrive policy \(no DLQ\); give --dlq URL/);
    const none = await runProcessor(["dlq", "stats"], env);
    equal(none.code, 2);
    match(none.stderr, /give --dlq URL, or --queue URL \/ SQS_QUEUE_URL/);
  } finally {
    chain.close();
  }
});
