/**
 * The AWS SDKs' rule for configured endpoints
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html):
 * `AWS_ENDPOINT_URL_<SERVICE>` wins over `AWS_ENDPOINT_URL`, and
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` turns both off. It applies to the
 * endpoint variables src/config.ts selected from the environment (not only
 * the process's: tests run many configurations in one process); every client
 * gets the endpoint this picks, and the Vector engine's configuration the
 * CloudWatch Logs one. With no endpoint variable set, the SDK is left to its
 * own resolution (the profile's `endpoint_url`, then the service's default).
 * Pure.
 *
 * @module
 */

/** The endpoint variables in force, by name (`endpointSettings` of src/config.ts). */
export type Endpoints = Readonly<Record<string, string | undefined>>;

const GLOBAL = "AWS_ENDPOINT_URL";
const IGNORE = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";

/** The environment variable of `serviceId` (the SDK's service id, e.g. "CloudWatch Logs" → AWS_ENDPOINT_URL_CLOUDWATCH_LOGS). */
function endpointVariable(serviceId: string): string {
  return [GLOBAL, ...serviceId.split(" ").map((w) => w.toUpperCase())].join("_");
}

/** The endpoint the SDK would use for `serviceId` given `endpoints`, or undefined for the service's default. */
export function configuredEndpoint(endpoints: Endpoints, serviceId: string): string | undefined {
  if (endpoints[IGNORE]?.trim().toLowerCase() === "true") return undefined;
  return endpoints[endpointVariable(serviceId)]?.trim() || endpoints[GLOBAL]?.trim() || undefined;
}

/** The names the rule reads: every endpoint variable present among `names`, and the switch. */
export function endpointNames(names: readonly string[]): string[] {
  return [...names.filter((k) => /^AWS_ENDPOINT_URL(_[A-Z0-9_]+)?$/.test(k)).sort(), IGNORE];
}

/** The SDK service ids of the clients this project builds. */
export type ServiceId = "CloudFormation" | "CloudWatch Logs" | "DynamoDB" | "IAM" | "S3" | "SQS" | "STS";
