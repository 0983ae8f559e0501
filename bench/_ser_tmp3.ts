import { CloudWatchLogsClient, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { PutLogEventsJsonProtocol } from "../src/delivery/cloudwatch/put_log_events_protocol.ts";
import { vectorNdjson } from "./vector_data.ts";
import { Session } from "node:inspector/promises";
import { summarizeProfile } from "./inspector.ts";
const lines = [...vectorNdjson(8_000_000)].join("").split("\n").filter(Boolean).slice(0, 4000);
const events = lines.map((l) => {
  const r = JSON.parse(l);
  return { timestamp: Date.parse(r.timestamp), message: r.message };
});
const input = { logGroupName: "/acme/k8s", logStreamName: "prod-1/api/api-7f9", logEvents: events };
const cl = new CloudWatchLogsClient({
  region: "us-east-1",
  endpoint: "http://127.0.0.1:1",
  credentials: { accessKeyId: "a", secretAccessKey: "b" },
  maxAttempts: 1,
  protocol: Deno.args[0] ? undefined : PutLogEventsJsonProtocol,
});
cl.middlewareStack.add(() => async () => {
  throw new Error("stop");
}, { step: "finalizeRequest", priority: "low" } as never);
for (let i = 0; i < 5; i++) await cl.send(new PutLogEventsCommand(input)).catch(() => {});
const s = new Session();
s.connect();
await s.post("Profiler.enable");
await s.post("Profiler.setSamplingInterval", { interval: 200 });
await s.post("Profiler.start");
for (let i = 0; i < 100; i++) await cl.send(new PutLogEventsCommand(input)).catch(() => {});
const { profile } = await s.post("Profiler.stop") as any;
const sum = summarizeProfile(profile, 15);
for (const t of sum.top) console.log(t.pct, t.fn);
console.log("--");
for (const t of sum.inclusive.slice(0, 30)) console.log(t.pct, t.fn);
