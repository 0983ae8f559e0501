import assert from "node:assert/strict";
import { UsageError } from "../../src/errors.ts";
import { type DeployOptions, parseDeployArgs } from "./deploy_args.ts";

const env = { AWS_REGION: "eu-west-1" };
function options(...args: string[]): DeployOptions {
  const parsed = parseDeployArgs(args, env);
  assert.ok(!parsed.help);
  return parsed.options;
}

Deno.test("defaults: core stack only, named after project and environment, region from AWS_REGION", () => {
  const o = options();
  assert.deepEqual(
    [o.project, o.environment, o.region, o.stackName, o.includeSqs, o.includeLambda, o.dryRun, o.validateOnly],
    ["mtl", "dev", "eu-west-1", "mtl-dev", false, false, false, false],
  );
  assert.equal(o.lambdaTimeoutSeconds, 300);
  assert.deepEqual(parseDeployArgs(["--help"], env), { help: true });
});

Deno.test("--include-lambda implies SQS and needs exactly one code source", () => {
  const image = options("--include-lambda", "--ecr-image-uri", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/lp:1.2");
  assert.equal(image.includeSqs, true);
  assert.deepEqual(image.lambdaCode, {
    kind: "image",
    imageUri: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/lp:1.2",
  });
  const zip = options("--include-lambda", "--lambda-package", "s3://code-bucket/builds/lp.zip");
  assert.deepEqual(zip.lambdaCode, { kind: "s3", bucket: "code-bucket", key: "builds/lp.zip" });
  const local = options(
    "--include-lambda",
    "--lambda-package",
    "dist/log-processor-lambda.zip",
    "--artifact-bucket",
    "artifacts-1",
    "--environment",
    "prod",
  );
  assert.deepEqual(local.lambdaCode, {
    kind: "file",
    path: "dist/log-processor-lambda.zip",
    bucket: "artifacts-1",
    keyPrefix: "mtl/prod/",
  });
});

Deno.test("mistakes name their flag", () => {
  const cases: [string[], RegExp][] = [
    [["--include-lambda"], /--include-lambda needs --ecr-image-uri or --lambda-package/],
    [["--include-lambda", "--ecr-image-uri", "nginx:latest"], /--ecr-image-uri: "nginx:latest" is not an ECR image/],
    [["--include-lambda", "--lambda-package", "x.zip"], /needs --artifact-bucket/],
    [["--include-lambda", "--lambda-package", "s3://b/x.tar"], /expected s3:\/\/bucket\/key.zip/],
    [["--ecr-image-uri", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/lp:1"], /only apply with --include-lambda/],
    [["--environment", "Prod"], /--environment: "Prod"/],
    [["--region", "europe"], /--region: "europe" is not a region name/],
    [["--lambda-timeout", "901"], /--lambda-timeout: must be between 10 and 900/],
    [["--parameter", "nope"], /--parameter: expected STACK.Key=Value/],
    [["--bogus"], /Unknown option '--bogus'/],
    [["--create-artifact-bucket"], /--create-artifact-bucket only applies with a local --lambda-package/],
    [["--artifact-bucket", "b-1"], /--artifact-bucket only applies with a local --lambda-package/],
    [["--overlay", "x"], /--processor-dir and --overlay only apply with --write-env/],
    [["--write-env", "--validate-only"], /--write-env writes what a deploy made/],
    [["--dry-run", "--validate-only"], /either --dry-run or --validate-only/],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseDeployArgs(args, env), (err) => err instanceof UsageError && message.test(err.message));
  }
  assert.throws(
    () => parseDeployArgs([], { AWS_PROFILE: "ops" }),
    /--region is required \(or set AWS_REGION, or a region in AWS profile "ops"\)/,
  );
});

Deno.test("parameter flags and --parameter reach the right stack", () => {
  const o = options(
    "--processor-oidc-provider-arn",
    "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
    "--max-receive-count",
    "3",
    "--parameter",
    "lambda.MemorySize=1024",
    "--parameter",
    "core.ObjectExpirationDays=14",
  );
  assert.deepEqual(o.parameters, {
    core: {
      ProcessorOidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
      ObjectExpirationDays: "14",
    },
    sqs: { MaxReceiveCount: "3" },
    lambda: { MemorySize: "1024" },
  });
});

Deno.test("the event source mapping's batch window and maximum concurrency reach the Lambda stack, checked", () => {
  const lambda = (...args: string[]) => options(...args).parameters.lambda;
  assert.deepEqual(lambda("--max-concurrency", "50", "--batching-window", "5", "--batch-size", "100"), {
    MaximumConcurrency: "50",
    MaximumBatchingWindowInSeconds: "5",
    BatchSize: "100",
  });
  assert.deepEqual(lambda("--parameter", "lambda.MaximumConcurrency=1000"), { MaximumConcurrency: "1000" });
  const cases: [string[], RegExp][] = [
    [["--max-concurrency", "1"], /--max-concurrency: must be between 2 and 1000, got 1/],
    [["--max-concurrency", "1001"], /--max-concurrency: must be between 2 and 1000, got 1001/],
    [["--parameter", "lambda.MaximumConcurrency=0"], /--max-concurrency: must be between 2 and 1000, got 0/],
    [["--batching-window", "301"], /--batching-window: must be between 0 and 300, got 301/],
    [["--batching-window", "1.5"], /--batching-window: must be a whole number, got "1.5"/],
    [["--batch-size", "0"], /--batch-size: must be between 1 and 10000, got 0/],
    [["--batch-size", "11"], /--batch-size 11: more than 10 messages .* needs --batching-window of at least 1/],
    [["--batch-size", "11", "--batching-window", "0"], /needs --batching-window of at least 1/],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseDeployArgs(args, env), (err) => err instanceof UsageError && message.test(err.message));
  }
  assert.equal(lambda("--batch-size", "11", "--batching-window", "1").BatchSize, "11");
});

Deno.test("the region: --region, else AWS_REGION, else AWS_DEFAULT_REGION, else the profile's", () => {
  const region = (args: string[], e: Record<string, string>, profileRegion?: string) => {
    const parsed = parseDeployArgs(args, e, { profileRegion });
    assert.ok(!parsed.help);
    return parsed.options.region;
  };
  assert.equal(region(["--region", "us-east-2"], { AWS_REGION: "eu-west-1" }, "ap-south-1"), "us-east-2");
  assert.equal(region([], { AWS_REGION: "eu-west-1", AWS_DEFAULT_REGION: "eu-west-2" }, "ap-south-1"), "eu-west-1");
  assert.equal(region([], { AWS_DEFAULT_REGION: "eu-west-2" }, "ap-south-1"), "eu-west-2");
  assert.equal(region([], {}, "ap-south-1"), "ap-south-1");
});

Deno.test("--write-env writes into this repository's k8s/ unless told otherwise", () => {
  const o = options("--write-env");
  assert.match(o.writeEnv!.processorDir, /\/k8s\/processor$/);
  assert.match(o.writeEnv!.overlayDir, /\/k8s\/overlays\/example-cluster$/);
  assert.deepEqual(options("--write-env", "--processor-dir", "p", "--overlay", "o").writeEnv, {
    processorDir: "p",
    overlayDir: "o",
  });
  assert.equal(options().writeEnv, undefined);
});
