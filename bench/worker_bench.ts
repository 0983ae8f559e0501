/**
 * Benchmark of the run modes against moto, through the recording proxy:
 * the SQS worker's end-to-end rate (objects/s and events/s at CONCURRENCY
 * 1, 4 and 16, backlog kept small because moto slows with deep queues), the
 * Lambda mode's per-invocation overhead for a batch of 10 small objects with
 * warm caches, and AWS calls per object in the steady state. Everything runs
 * in this process with the production pipeline (createPipeline). SQS is moto's
 * or, with `--sqs elasticmq`, ElasticMQ's behind a recording proxy of its own
 * (AWS_ENDPOINT_URL_SQS; everything else stays on moto): moto's ReceiveMessage
 * takes 0.25–0.5 s on a queue of a hundred messages, which bounds the fairness
 * figure (docs/run-modes.md).
 *
 * `deno run -A bench/worker_bench.ts [--sqs moto|elasticmq]` prints JSON.
 *
 * @module
 */
import { CreateQueueCommand, DeleteQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import {
  clientSettings,
  type Config,
  DEFAULT_RETRY_VISIBILITY_BASE_SECONDS,
  DEFAULT_RETRY_VISIBILITY_MAX_SECONDS,
  loadConfig,
} from "../src/config.ts";
import { createPipeline, type Pipeline } from "../src/pipeline/create_pipeline.ts";
import { mapConcurrent } from "../src/pipeline/map_concurrent.ts";
import { lambdaHandler } from "../src/runtime/lambda_handler.ts";
import { HttpRuntimeApi, runRuntimeLoop } from "../src/runtime/lambda_runtime.ts";
import { lambdaTelemetry } from "../src/runtime/run_lambda.ts";
import { SqsQueue } from "../src/runtime/sqs_queue.ts";
import { SqsWorker } from "../src/runtime/sqs_worker.ts";
import type { VisibilityBackoff } from "../src/runtime/visibility_backoff.ts";
import { silentLogger } from "../src/telemetry/logger.ts";
import { METRICS, Metrics } from "../src/telemetry/metrics.ts";
import {
  cloudWatchItem,
  encodeObject,
  type LocalAws,
  newCustomer,
  objectKey,
  processorEnv,
  putObject,
  putTenantItem,
  REGION,
  registerCluster,
  snsBody,
  startLocalAws,
  uniq,
  vectorRecord,
} from "../tests/support/fixtures.ts";
import { sendBodies, sqsEvent } from "../tests/support/queue_chain.ts";
import { RuntimeApiServer } from "../tests/support/runtime_api_server.ts";
import { AwsProxy, type Call } from "../tests/support/aws_proxy.ts";
import { CENTRAL_ACCOUNT } from "../tests/support/fixtures.ts";
import { motoClientConfig } from "../scripts/local_aws/account_clients.ts";
import { commandLine } from "../scripts/command_line.ts";
import {
  ELASTICMQ_INSTALL,
  elasticMqHome,
  type ElasticMqServer,
  installedElasticMq,
  spawnElasticMq,
  stopElasticMq,
} from "../scripts/local_aws/elasticmq_server.ts";
import { checkSqsCompat } from "../scripts/local_aws/sqs_compat_check.ts";

/** Objects per measured worker round; events per object; pods (streams) they spread over. */
const ROUND_OBJECTS = 100;
const EVENTS_PER_OBJECT = 500;
const PODS = 4;
const LAMBDA_BATCH = 10;
const LAMBDA_EVENTS_PER_OBJECT = 20;
const LAMBDA_ROUNDS = 20;

/** Which SQS serves the worker bench. */
export type SqsChoice = "moto" | "elasticmq";
/** The SQS emulators the bench can run on (which one runs: {@link sqsChoice}). */
export const SQS_CHOICES: readonly SqsChoice[] = ["elasticmq", "moto"];

/** The SQS side of the bench: what serves it, its URL for the bench's own calls, the proxy the worker's calls cross. */
interface SqsSide {
  readonly server: string;
  readonly endpoint: string;
  readonly proxy: AwsProxy;
  close(): Promise<void>;
}

interface Fixture {
  readonly aws: LocalAws;
  readonly tenantId: string;
  readonly env: Record<string, string>;
  readonly sqs: SqsSide;
}

/** ElasticMQ behind a recording proxy of its own, checked against the worker's calls first. */
async function elasticMqSide(): Promise<SqsSide> {
  const server: ElasticMqServer = await spawnElasticMq({ region: REGION, accountId: CENTRAL_ACCOUNT });
  try {
    await checkSqsCompat(server.url, CENTRAL_ACCOUNT);
    const proxy = await AwsProxy.start(server.url, { keepBodies: false });
    return {
      server: server.version,
      endpoint: server.url,
      proxy,
      async close() {
        await proxy.close();
        await stopElasticMq(server);
      },
    };
  } catch (err) {
    await stopElasticMq(server);
    throw err;
  }
}

async function fixture(sqsChoice: SqsChoice): Promise<Fixture> {
  const aws = await startLocalAws();
  const customer = newCustomer(aws);
  await putTenantItem(aws, cloudWatchItem(customer));
  await registerCluster(aws, [customer]);
  const sqs: SqsSide = sqsChoice === "elasticmq"
    ? await elasticMqSide()
    : { server: "moto", endpoint: aws.moto, proxy: aws.proxy, close: () => Promise.resolve() };
  const env = processorEnv(aws, {
    LOG_LEVEL: "error",
    ...(sqs.proxy === aws.proxy ? {} : { AWS_ENDPOINT_URL_SQS: sqs.proxy.url }),
  });
  // The SDK's default credential chain reads these from the process environment.
  for (const k of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"]) Deno.env.set(k, env[k] ?? "");
  return { aws, tenantId: customer.tenantId, env, sqs };
}

/** Forgets the calls of both proxies (one when SQS is moto). */
function resetProxies(f: Fixture): void {
  f.aws.proxy.reset();
  if (f.sqs.proxy !== f.aws.proxy) f.sqs.proxy.reset();
}

/** Calls per operation at both proxies. */
function allCounts(f: Fixture): Record<string, number> {
  const out = f.aws.proxy.counts();
  if (f.sqs.proxy !== f.aws.proxy) {
    for (const [op, n] of Object.entries(f.sqs.proxy.counts())) out[op] = (out[op] ?? 0) + n;
  }
  return out;
}

/** Puts `n` objects of `events` Vector records each; returns their SQS bodies. */
async function putObjects(f: Fixture, n: number, events: number): Promise<string[]> {
  const bodies: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = objectKey(f.tenantId, "api", `api-${i % PODS}`);
    const now = Date.now();
    const records = Array.from(
      { length: events },
      (_, j) =>
        vectorRecord(
          `GET /api/v1/orders/${j} 200 ${j % 97}ms user=${(i * 7919 + j) % 10_000} trace=${crypto.randomUUID()}`,
          new Date(now - (events - j)).toISOString(),
        ),
    );
    await putObject(f.aws, key, encodeObject(records));
    bodies.push(snsBody(f.aws.bucket, key));
  }
  return bodies;
}

const perObject = (counts: Record<string, number>, n: number) =>
  Object.fromEntries(
    Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)).map(([op, c]) => [op, Number((c / n).toFixed(2))]),
  );

/**
 * One worker round: `bodies` enqueued, worker runs until `goal` of them (all by default) are delivered and
 * deleted; `secondsToGoal` is the time until then, `seconds` includes the shutdown.
 */
async function workerRound(
  { pipeline, config }: { pipeline: Pipeline; config: Config },
  sqs: SQSClient,
  bodies: string[],
  concurrency: number,
  options: { goal?: number; queueUrl?: string; tenantMaxInFlight?: number; retryVisibility?: VisibilityBackoff } = {},
) {
  const goal = options.goal ?? bodies.length;
  const metrics = new Metrics();
  const queueUrl = options.queueUrl ?? config.queueUrl!;
  const queue = new SqsQueue(queueUrl, clientSettings(config));
  const worker = new SqsWorker({
    queue,
    processBody: pipeline.processBody,
    concurrency,
    tenantMaxInFlight: options.tenantMaxInFlight,
    waitTimeSeconds: 1,
    visibilityTimeoutSeconds: 60,
    retryVisibility: options.retryVisibility ?? { baseSeconds: 0, maxSeconds: 1 },
    graceMs: 30_000,
    queueRetry: { retries: 3, baseDelayMs: 10, maxDelayMs: 100 },
    metrics,
    logger: silentLogger,
  });
  await sendBodies(sqs, queueUrl, bodies);
  const start = performance.now();
  const running = worker.run();
  const done = () =>
    metrics.value(METRICS.apiCalls, { operation: "DeleteMessageBatch" }) > 0 &&
    metrics.value(METRICS.messages, { outcome: "delivered" }) === goal;
  while (!done()) await new Promise((r) => setTimeout(r, 5));
  const goalAt = performance.now();
  const secondsToGoal = (goalAt - start) / 1000;
  worker.stop();
  await running;
  const seconds = (performance.now() - start) / 1000;
  queue.destroy();
  const failed = goal - metrics.value(METRICS.messages, { outcome: "delivered" });
  if (failed) throw new Error(`${failed} messages not delivered`);
  return {
    seconds,
    secondsToGoal,
    startedAt: start,
    goalAt,
    events: metrics.value(METRICS.eventsDelivered, { type: "cloudwatch" }),
    deferred: metrics.value(METRICS.messagesDeferred),
  };
}

/** Worker rate at each concurrency, and AWS calls per object in the steady state. */
export async function workerBench(f: Fixture) {
  const sqs = new SQSClient(motoClientConfig(f.sqs.endpoint, REGION));
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniq("bench") }))).QueueUrl!;
  const config = loadConfig({ ...f.env, SQS_QUEUE_URL: queueUrl }, "sqs");
  const pipeline = createPipeline(config, silentLogger);
  // Warm-up: streams exist, credentials and the tenant are cached.
  await workerRound({ pipeline, config }, sqs, await putObjects(f, PODS * 2, 10), 4);
  const rates = [];
  let calls: Record<string, number> = {};
  for (const concurrency of [1, 4, 16]) {
    const bodies = await putObjects(f, ROUND_OBJECTS, EVENTS_PER_OBJECT);
    resetProxies(f);
    const { seconds, events } = await workerRound({ pipeline, config }, sqs, bodies, concurrency);
    if (concurrency === 4) calls = perObject(allCounts(f), bodies.length);
    rates.push({
      concurrency,
      objects: bodies.length,
      objects_per_s: Number((bodies.length / seconds).toFixed(1)),
      events_per_s: Math.round(events / seconds),
    });
  }
  const backlog = await backlogCalls(f, { pipeline, config }, sqs);
  const fairness = await fairnessRatio(f, { pipeline, config }, sqs);
  pipeline.close();
  sqs.destroy();
  return { sqs: f.sqs.server, rates, calls_per_object_steady_state: calls, backlog, fairness };
}

/** Quiet tenants and their objects each, for the fairness figure; the noisy tenant has 10× the objects of each. */
const QUIET_TENANTS = 4;
const QUIET_OBJECTS_EACH = 10;
const NOISY_FACTOR = 10;
/** Events per object of the fairness figure (about 2 MB of NDJSON, a Vector batch of a busy pod). */
const FAIR_EVENTS_PER_OBJECT = 10_000;
/** Alone / with the noisy tenant, alternately, this many times; the ratio is of the summed times. */
const FAIR_REPEATS = 2;

/** `lists` merged as if each were spread evenly over the same time (the order messages arrive in). */
const interleave = (...lists: string[][]) =>
  lists.flatMap((l) => l.map((body, i) => ({ body, at: (i + 0.5) / l.length })))
    .sort((a, b) => a.at - b.at).map((x) => x.body);

/**
 * The quiet tenants' delivery rate with a noisy tenant present (throttled on every PutLogEvents, 10× the
 * objects of each, all queued interleaved as they would arrive) against the same objects alone, on a queue
 * of its own, at CONCURRENCY 4 with the default TENANT_MAX_IN_FLIGHT.
 */
async function fairnessRatio(f: Fixture, round: { pipeline: Pipeline; config: Config }, sqs: SQSClient) {
  const tenantMaxInFlight = round.config.tenantMaxInFlight;
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniq("bench-fair") }))).QueueUrl!;
  const quietLists: string[][] = [];
  const quietIds: string[] = [];
  const warmUp: string[] = [];
  for (let t = 0; t < QUIET_TENANTS; t++) {
    const c = newCustomer(f.aws);
    quietIds.push(c.tenantId);
    await putTenantItem(f.aws, cloudWatchItem(c));
    quietLists.push(await putObjects({ ...f, tenantId: c.tenantId }, QUIET_OBJECTS_EACH, FAIR_EVENTS_PER_OBJECT));
    warmUp.push(...await putObjects({ ...f, tenantId: c.tenantId }, PODS, 10));
  }
  const quiet = interleave(...quietLists);
  const noisy = newCustomer(f.aws);
  await putTenantItem(f.aws, cloudWatchItem(noisy));
  await registerCluster(f.aws, [noisy, ...quietIds]);
  const noisyBodies = await putObjects(
    { ...f, tenantId: noisy.tenantId },
    QUIET_OBJECTS_EACH * NOISY_FACTOR,
    FAIR_EVENTS_PER_OBJECT,
  );
  const mixed = interleave(noisyBodies, ...quietLists);
  // The production retry backoff: a throttled message stays away for seconds, not at once back at the head.
  const retryVisibility = {
    baseSeconds: DEFAULT_RETRY_VISIBILITY_BASE_SECONDS,
    maxSeconds: DEFAULT_RETRY_VISIBILITY_MAX_SECONDS,
  };
  const options = { goal: quiet.length, tenantMaxInFlight, retryVisibility };
  const concurrency = 4;
  await workerRound(round, sqs, warmUp, concurrency, { queueUrl }); // streams and credentials exist
  const throttleNoisy = () =>
    f.aws.proxy.inject({
      operation: "PutLogEvents",
      status: 400,
      code: "ThrottlingException",
      match: (c) => c.put?.group === noisy.logGroup,
    });
  const seconds = { alone: 0, present: 0 };
  const ratios: number[] = [];
  const receives = { alone: [] as number[], present: [] as number[] };
  const receiveMs = { alone: [] as number[], present: [] as number[] };
  let deferred = 0;
  let noisyTries = 0;
  for (let r = 0; r < FAIR_REPEATS; r++) {
    resetProxies(f);
    const alone = await workerRound(round, sqs, quiet, concurrency, { ...options, queueUrl });
    const aloneReceives = receivesUntilGoal(f.sqs.proxy.calls, alone);
    receives.alone.push(aloneReceives.length);
    receiveMs.alone.push(...aloneReceives);
    // A queue of its own: the noisy messages left over must not reach the next round.
    const mixedQueue = (await sqs.send(new CreateQueueCommand({ QueueName: uniq("bench-fair") }))).QueueUrl!;
    resetProxies(f);
    throttleNoisy();
    const present = await workerRound(round, sqs, mixed, concurrency, { ...options, queueUrl: mixedQueue });
    noisyTries += f.aws.proxy.count("PutLogEvents", (c) => c.put?.group === noisy.logGroup);
    const presentReceives = receivesUntilGoal(f.sqs.proxy.calls, present);
    receives.present.push(presentReceives.length);
    receiveMs.present.push(...presentReceives);
    resetProxies(f);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: mixedQueue }));
    seconds.alone += alone.secondsToGoal;
    seconds.present += present.secondsToGoal;
    ratios.push(Number((alone.secondsToGoal / present.secondsToGoal).toFixed(2)));
    deferred += present.deferred;
  }
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  const rate = (s: number) => Number((quiet.length * FAIR_REPEATS / s).toFixed(1));
  return {
    concurrency,
    tenant_max_in_flight: tenantMaxInFlight,
    quiet_tenants: QUIET_TENANTS,
    quiet_objects: quiet.length,
    noisy_objects: noisyBodies.length,
    events_per_object: FAIR_EVENTS_PER_OBJECT,
    repeats: FAIR_REPEATS,
    quiet_objects_per_s_alone: rate(seconds.alone),
    quiet_objects_per_s_with_noisy: rate(seconds.present),
    ratio: Number((seconds.alone / seconds.present).toFixed(2)),
    ratio_per_repeat: ratios,
    noisy_put_log_events_refused: noisyTries,
    noisy_messages_deferred: deferred,
    receives_to_goal: { alone: receives.alone, with_noisy: receives.present },
    receive_message_ms: { alone: latency(receiveMs.alone), with_noisy: latency(receiveMs.present) },
  };
}

/** How long each ReceiveMessage of a round took at the SQS proxy (ms), those answered before its goal. */
function receivesUntilGoal(calls: readonly Call[], round: { startedAt: number; goalAt: number }): number[] {
  return calls.filter((c) =>
    c.operation === "ReceiveMessage" && c.answeredAt !== undefined && c.receivedAt >= round.startedAt &&
    c.answeredAt <= round.goalAt
  ).map((c) => c.answeredAt! - c.receivedAt);
}

/** Median and p90 of `xs` (ms), one decimal. */
const latency = (xs: number[]) => ({ median: ms(median(xs)), p90: ms(p90(xs)) });

/** The SQS operations the worker makes. */
const SQS_OPERATIONS = ["ReceiveMessage", "DeleteMessageBatch", "ChangeMessageVisibilityBatch"];
/** Small objects queued at once for the SQS-calls figure. */
const BACKLOG_OBJECTS = 500;

/** SQS calls per object while the worker drains a backlog of small (1-event) objects. */
async function backlogCalls(f: Fixture, round: { pipeline: Pipeline; config: Config }, sqs: SQSClient) {
  const bodies = await putObjects(f, BACKLOG_OBJECTS, 1);
  const out = [];
  for (const concurrency of [4, 16]) {
    resetProxies(f);
    await workerRound(round, sqs, bodies, concurrency);
    const counts = Object.fromEntries(SQS_OPERATIONS.map((op) => [op, f.sqs.proxy.count(op)]));
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    out.push({
      concurrency,
      objects: bodies.length,
      sqs_calls_per_object: Number((total / bodies.length).toFixed(3)),
      by_operation: perObject(counts, bodies.length),
    });
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * q) - 1)] ?? NaN;
const p95 = (xs: number[]) => quantile(xs, 0.95);
const p90 = (xs: number[]) => quantile(xs, 0.9);
const ms = (x: number) => Number(x.toFixed(1));

/** Lambda: invocation latency for 10 small objects (warm) against processing the same bodies directly. */
export async function lambdaBench(f: Fixture) {
  const server = await RuntimeApiServer.start();
  const config = loadConfig({ ...f.env, AWS_LAMBDA_RUNTIME_API: server.host }, "lambda");
  const pipeline = createPipeline(config, silentLogger);
  const stop = new AbortController();
  const handler = lambdaHandler({
    processBody: pipeline.processBody,
    concurrency: config.concurrency,
    deadlineMarginMs: config.lambdaDeadlineMarginMs,
    logger: silentLogger,
    emit: () => {},
    telemetry: lambdaTelemetry(config),
  });
  const loop = runRuntimeLoop(new HttpRuntimeApi(server.host), handler, {
    logger: silentLogger,
    signal: stop.signal,
  });
  const invokeMs: number[] = [];
  const directMs: number[] = [];
  for (let round = -3; round < LAMBDA_ROUNDS; round++) {
    const bodies = await putObjects(f, LAMBDA_BATCH * 2, LAMBDA_EVENTS_PER_OBJECT);
    const viaLambda = bodies.slice(0, LAMBDA_BATCH);
    const direct = bodies.slice(LAMBDA_BATCH);
    let t = performance.now();
    const reply = await server.invoke(sqsEvent(viaLambda));
    const lambdaTime = performance.now() - t;
    if ((reply.body as { batchItemFailures: unknown[] }).batchItemFailures.length) throw new Error("lambda failures");
    t = performance.now();
    await mapConcurrent(direct, (b) => pipeline.processBody(b), { limit: config.concurrency });
    const directTime = performance.now() - t;
    if (round >= 0) {
      invokeMs.push(lambdaTime);
      directMs.push(directTime);
    }
  }
  resetProxies(f);
  await server.invoke(sqsEvent(await putObjects(f, LAMBDA_BATCH, LAMBDA_EVENTS_PER_OBJECT).then((b) => b)));
  const calls = perObject(f.aws.proxy.counts(), LAMBDA_BATCH);
  stop.abort();
  await server.close();
  await loop;
  pipeline.close();
  return {
    batch: LAMBDA_BATCH,
    events_per_object: LAMBDA_EVENTS_PER_OBJECT,
    invocation_ms: { median: ms(median(invokeMs)), p95: ms(p95(invokeMs)) },
    same_batch_without_runtime_ms: { median: ms(median(directMs)), p95: ms(p95(directMs)) },
    runtime_overhead_ms_median: ms(median(invokeMs) - median(directMs)),
    calls_per_object_warm: calls,
  };
}

/** Runs both benchmarks, SQS served by `sqs`; returns a report. */
export async function runWorkerBench({ sqs }: { sqs: SqsChoice }) {
  const f = await fixture(sqs);
  try {
    return { worker: await workerBench(f), lambda: await lambdaBench(f) };
  } finally {
    await f.sqs.close();
    await f.aws.close();
  }
}

/** The `--sqs` option of this bench and of `deno task bench`, and its help line. */
export const SQS_OPTION = { sqs: { type: "string" as const } };
export const SQS_USAGE = `  --sqs moto|elasticmq
                which SQS serves the worker bench (default: ElasticMQ when installed,
                else moto); everything else is moto. ElasticMQ: bash
                scripts/local_aws/install_elasticmq.sh (or scripts/setup.sh
                --with-elasticmq), Java 17+ and Maven; moto's slow ReceiveMessage
                bounds the fairness figure (docs/run-modes.md)`;

/** The SQS a bench run uses, and what to tell the user about the choice. */
export interface SqsDecision {
  readonly sqs: SqsChoice;
  /** Said on stderr before the run: moto was taken because ElasticMQ is not installed. */
  readonly note?: string;
}

/**
 * The `--sqs` value of parsed flags (ElasticMQ installed in `home` or not), or
 * a one-line error, said before anything runs: an unknown emulator, or
 * `--sqs elasticmq` without ElasticMQ. Without `--sqs`, ElasticMQ when it is
 * installed, else moto with a note saying what that costs the fairness figure.
 */
export function sqsChoice(value: unknown, home = elasticMqHome()): SqsDecision | { error: string } {
  if (value === undefined) {
    if (installedElasticMq(home)) return { sqs: "elasticmq" };
    return {
      sqs: "moto",
      note: `SQS on moto: ElasticMQ is not installed in ${home} (${ELASTICMQ_INSTALL}); moto's slow ReceiveMessage ` +
        "bounds the fairness figure (docs/run-modes.md)",
    };
  }
  if (!SQS_CHOICES.includes(value as SqsChoice)) {
    return { error: `--sqs must be one of ${SQS_CHOICES.join(", ")} (got ${JSON.stringify(value)})` };
  }
  if (value === "elasticmq" && !installedElasticMq(home)) {
    return { error: `ElasticMQ is not installed in ${home}: run ${ELASTICMQ_INSTALL}, or pass --sqs moto` };
  }
  return { sqs: value as SqsChoice };
}

const USAGE = `Usage: deno run -A bench/worker_bench.ts [--sqs moto|elasticmq]

The run modes' benchmark (worker rates, calls per object, fairness, Lambda
overhead) in this process; prints JSON (docs/run-modes.md). moto is started
unless MOTO_ENDPOINT is set.

${SQS_USAGE}
  --help        this text`;

if (import.meta.main) {
  const name = "bench/worker_bench.ts";
  const parsed = commandLine(Deno.args, { name, options: SQS_OPTION, usage: USAGE });
  if ("exit" in parsed) Deno.exit(parsed.exit);
  const choice = sqsChoice(parsed.values.sqs);
  if ("error" in choice) {
    console.error(`${name}: ${choice.error}`);
    Deno.exit(2);
  }
  if (choice.note) console.error(`${name}: ${choice.note}`);
  console.log(JSON.stringify(await runWorkerBench({ sqs: choice.sqs }), null, 2));
}
