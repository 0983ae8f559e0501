import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
import type { MessageView } from "./describe_message.ts";
import { dlqStats, formatDuration } from "./dlq_stats.ts";

const view = (age: number | undefined, tenants: (string | undefined)[], receives = 6): MessageView => ({
  message_id: `m-${age}`,
  sent_at: age === undefined ? undefined : new Date(Date.UTC(2026, 0, 31) - age * 1000).toISOString(),
  age_seconds: age,
  receive_count: receives,
  objects: tenants.map((tenant) => ({ bucket: "b", key: "k", tenant, ref: { bucket: "b", key: "k" } })),
  other: [],
});

const ATTRIBUTES = {
  QueueArn: "arn:aws:sqs:eu-west-1:123456789012:dlq",
  ApproximateNumberOfMessages: "12",
  ApproximateNumberOfMessagesNotVisible: "1",
  ApproximateNumberOfMessagesDelayed: "0",
  MessageRetentionPeriod: "1209600",
};

Deno.test("counts from the attributes; ages, expiry and tenants from the sample (a lower bound when partial)", () => {
  const s = dlqStats("https://q/dlq", ATTRIBUTES, {
    sample: [view(7200, ["acme", "acme"]), view(60, ["globex"], 9), view(3600, [undefined])],
    moveTasks: [],
  });
  deepEqual([s.visible, s.in_flight, s.delayed, s.retention_seconds], [12, 1, 0, 1_209_600]);
  deepEqual(s.sample, {
    messages: 3,
    complete: false,
    oldest_sent_at: "2026-01-30T22:00:00.000Z",
    oldest_age_seconds: 7200,
    newest_age_seconds: 60,
    expires_in_seconds: 1_209_600 - 7200,
    tenants: { "(no tenant)": 1, acme: 1, globex: 1 },
    max_receive_count: 9,
  });
  equal(
    dlqStats("u", { ApproximateNumberOfMessages: "1" }, { sample: [view(5, ["a"])], moveTasks: [] }).sample?.complete,
    true,
  );
  equal(dlqStats("u", ATTRIBUTES, { moveTasks: [] }).sample, undefined);
});

Deno.test("durations read as a person would say them", () => {
  deepEqual(
    [0, 42, 725, 3 * 3600 + 240, 2 * 86_400 + 3 * 3600 + 59, 86_400].map(formatDuration),
    ["0 s", "42 s", "12 min 5 s", "3 h 4 min", "2 d 3 h", "1 d"],
  );
});
