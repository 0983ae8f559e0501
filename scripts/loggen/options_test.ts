import assert from "node:assert/strict";
import { UsageError } from "../../src/errors.ts";
import { names, parseOptions, type S3Options, type StdoutOptions } from "./options.ts";

const seed = () => 99;

Deno.test("stdout mode is the default, with the seed's defaults", () => {
  const o = parseOptions([], {}, seed) as StdoutOptions;
  assert.equal(o.mode, "stdout");
  assert.equal(o.seed, 99);
  assert.equal(o.format, "mixed");
  assert.deepEqual([o.totalBatches, o.minBatchSize, o.maxBatchSize], [10, 1, 50]);
  assert.deepEqual([o.customerId, o.clusterId, o.application, o.podName], ["acme", "local-1", "api", undefined]);
});

Deno.test("stdout flags are read", () => {
  const o = parseOptions(
    "--total-batches 0 --min-batch-size 5 --max-batch-size 5 --min-sleep 0 --max-sleep 0.5 --format klog --customer-id t1 --cluster-id c1 --application web --pod-name web-1 --min-message-size 100 --max-message-size 100 --seed 3"
      .split(" "),
  ) as StdoutOptions;
  assert.deepEqual(
    [o.totalBatches, o.minBatchSize, o.maxBatchSize, o.minSleep, o.maxSleep, o.format, o.seed],
    [0, 5, 5, 0, 0.5, "klog", 3],
  );
  assert.deepEqual([o.customerId, o.clusterId, o.application, o.podName], ["t1", "c1", "web", "web-1"]);
});

Deno.test("s3 mode builds the fleet's names", () => {
  const o = parseOptions(["--s3", "--tenants", "2", "--apps", "9", "--time", "2026-01-01T00:00:00Z"], {
    CENTRAL_BUCKET: "central",
  }, seed) as S3Options;
  assert.equal(o.bucket, "central");
  assert.deepEqual(o.tenantIds, ["tenant-01", "tenant-02"]);
  assert.deepEqual(o.appNames, [
    "api",
    "web",
    "worker",
    "billing",
    "auth",
    "search",
    "checkout",
    "notifications",
    "app-09",
  ]);
  assert.equal(o.time, Date.parse("2026-01-01T00:00:00Z"));
  const explicit = parseOptions([
    "--s3",
    "--bucket",
    "b",
    "--tenant-ids",
    "acme, globex",
    "--app-names",
    "x",
  ]) as S3Options;
  assert.deepEqual([explicit.tenantIds, explicit.appNames], [["acme", "globex"], ["x"]]);
  assert.deepEqual(names(3, "cluster", ["prod-1"]), ["prod-1", "cluster-02", "cluster-03"]);
  assert.deepEqual(o.clusterIds, ["prod-1"], "one cluster by default");
  const clusters = (args: string) =>
    (parseOptions(["--s3", "--bucket", "b", ...args.split(" ")]) as S3Options).clusterIds;
  assert.deepEqual(clusters("--clusters 3"), ["prod-1", "staging-1", "cluster-03"]);
  assert.deepEqual(clusters("--cluster-ids edge-1,edge-2"), ["edge-1", "edge-2"]);
  assert.throws(() => clusters("--clusters 2 --cluster-ids a"), /give --clusters or --cluster-ids, not both/);
  assert.throws(() => clusters("--cluster-ids a/b"), UsageError);
});

Deno.test("mistakes are usage errors naming the flag", () => {
  const cases: [string[], RegExp][] = [
    [["--total-batches", "x"], /--total-batches must be a whole number/],
    [["--min-batch-size", "9", "--max-batch-size", "3"], /--min-batch-size \(9\) must not exceed --max-batch-size/],
    [["--min-sleep=-1"], /--min-sleep must be a number of seconds/],
    [["--min-message-size", "20"], /--min-message-size must be between 100/],
    [["--format", "xml"], /--format must be one of json, iso, logfmt, klog, go, mixed/],
    [["--customer-id", "a/b"], /--customer-id "a\/b" must be 1-128 characters/],
    [["--bucket", "b"], /--bucket needs --s3/],
    [["--s3"], /--bucket \(or CENTRAL_BUCKET\) is required/],
    [["--s3", "--bucket", "b", "--tenants", "2", "--tenant-ids", "a"], /not both/],
    [["--s3", "--bucket", "b", "--tenant-ids", "a,a"], /duplicate/],
    [["--s3", "--bucket", "b", "--tenant-ids", "..,a"], /--tenant-ids "\.\." must be/],
    [["--s3", "--bucket", "b", "--total-batches", "1"], /--total-batches is for stdout mode/],
    [["--s3", "--bucket", "b", "--time", "yesterday"], /--time must be an ISO 8601 time/],
    [["--nope"], /nope/],
  ];
  for (const [args, message] of cases) {
    assert.throws(
      () => parseOptions(args, {}, seed),
      (e) => e instanceof UsageError && message.test(e.message),
      args.join(" "),
    );
  }
});
