import assert from "node:assert/strict";
import { type DeployOptions, parseDeployArgs, UsageError } from "./deploy_args.ts";

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
    key: "mtl/prod/log-processor-lambda.zip",
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
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseDeployArgs(args, env), (err) => err instanceof UsageError && message.test(err.message));
  }
  assert.throws(() => parseDeployArgs([], {}), /--region is required/);
});

Deno.test("parameter flags and --parameter reach the right stack", () => {
  const o = options(
    "--vector-oidc-provider-arn",
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
      VectorOidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
      ObjectExpirationDays: "14",
    },
    sqs: { MaxReceiveCount: "3" },
    lambda: { MemorySize: "1024" },
  });
});
