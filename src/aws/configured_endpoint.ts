/**
 * The AWS SDKs' rule for configured endpoints, from the environment
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html):
 * `AWS_ENDPOINT_URL_<SERVICE>` wins over `AWS_ENDPOINT_URL`, and
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` turns both off. Every client
 * gets the endpoint this rule picks from the configuration's environment
 * (not only the process's: tests run many configurations in one process),
 * and the Vector engine's configuration the CloudWatch Logs one. With no
 * endpoint variable set, the SDK is left to its own resolution (the
 * profile's `endpoint_url`, then the service's default). Pure.
 *
 * @module
 */

type Env = Readonly<Record<string, string | undefined>>;

/** The environment variable of `serviceId` (the SDK's service id, e.g. "CloudWatch Logs" → AWS_ENDPOINT_URL_CLOUDWATCH_LOGS). */
export function endpointVariable(serviceId: string): string {
  return ["AWS_ENDPOINT_URL", ...serviceId.split(" ").map((w) => w.toUpperCase())].join("_");
}

/** The endpoint the SDK would use for `serviceId` from `env`, or undefined for the service's default. */
export function configuredEndpoint(env: Env, serviceId: string): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.trim().toLowerCase() === "true") return undefined;
  return env[endpointVariable(serviceId)]?.trim() || env.AWS_ENDPOINT_URL?.trim() || undefined;
}

/** The SDK service ids of the clients this project builds. */
export type ServiceId = "CloudFormation" | "CloudWatch Logs" | "DynamoDB" | "IAM" | "S3" | "SQS" | "STS";

/** The variables of `env` the rule reads (endpoint variables and the ignore switch), for {@link configuredEndpoint} later. */
export function endpointEnv(env: Env): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const k of [...endpointVariables(env), "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]) {
    const v = env[k]?.trim();
    if (v) out[k] = v;
  }
  return Object.freeze(out);
}

/** Every `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` variable set in `env`. */
export function endpointVariables(env: Env): string[] {
  return Object.keys(env).filter((k) => /^AWS_ENDPOINT_URL(_[A-Z0-9_]+)?$/.test(k) && env[k]?.trim()).sort();
}
