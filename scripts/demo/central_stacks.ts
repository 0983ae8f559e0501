/**
 * The central account of the demo: the core and SQS stacks deployed by
 * `cloudformation/deploy.sh` (the operator's command, pointed at moto with
 * AWS_ENDPOINT_URL), then the two links moto's CloudFormation does not make
 * (bucket notification → SNS topic → SQS queue) wired through the API.
 *
 * @module
 */
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { motoClientConfig } from "../local_aws/account_clients.ts";
import { connectBucketToQueue } from "../local_aws/notification_chain.ts";
import { DEMO_ENVIRONMENT } from "./demo_plan.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** The deploy command the demo runs (relative to the repository root). */
export const DEPLOY_ARGS = ["--include-sqs", "--environment", DEMO_ENVIRONMENT, "--poll-seconds", "1", "--json"];

/** What the demo needs of the central stacks. */
export interface Central {
  readonly bucket: string;
  readonly tenantTable: string;
  readonly clusterTable: string;
  readonly deliveryStateTable: string;
  readonly centralRoleArn: string;
  readonly topicArn: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly deadLetterQueueUrl: string;
}

/** Runs `cloudformation/deploy.sh` with `env` only (plus PATH/HOME); the stacks' outputs. */
export async function deployCentralStacks(env: Record<string, string>): Promise<Central> {
  const out = await new Deno.Command("bash", {
    args: [`${ROOT}cloudformation/deploy.sh`, ...DEPLOY_ARGS],
    env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "", ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  if (out.code !== 0) {
    throw new Error(`cloudformation/deploy.sh exited with ${out.code}:\n${dec.decode(out.stderr).trim()}`);
  }
  const { core, sqs } = JSON.parse(dec.decode(out.stdout));
  return {
    bucket: core.BucketName,
    tenantTable: core.TenantTableName,
    clusterTable: core.ClusterTableName,
    deliveryStateTable: core.DeliveryStateTableName,
    centralRoleArn: core.CentralLogDistributionRoleArn,
    topicArn: core.TopicArn,
    queueUrl: sqs.QueueUrl,
    queueArn: sqs.QueueArn,
    deadLetterQueueUrl: sqs.DeadLetterQueueUrl,
  };
}

/** Bucket notifications (`.gz` keys, as core.yaml) → the topic → the queue (as sqs.yaml subscribes it). */
export async function wireNotifications(endpoint: string, region: string, central: Central): Promise<void> {
  const s3 = new S3Client(motoClientConfig(endpoint, region));
  const sns = new SNSClient(motoClientConfig(endpoint, region));
  try {
    await connectBucketToQueue(s3, sns, {
      bucket: central.bucket,
      topicArn: central.topicArn,
      queueArn: central.queueArn,
      keySuffix: ".gz",
    });
  } finally {
    s3.destroy();
    sns.destroy();
  }
}
