/**
 * The two links of the notification chain that moto's CloudFormation does
 * not create (it skips AWS::SNS::Subscription and the bucket's
 * NotificationConfiguration), made through the API as core.yaml and sqs.yaml
 * declare them: the central bucket's ObjectCreated notifications → the SNS
 * topic, and the topic → the SQS queue (an SNS envelope per message, not raw).
 * Used by the tests' queue chain and by `deno task demo`.
 *
 * @module
 */
import { PutBucketNotificationConfigurationCommand, type S3Client } from "@aws-sdk/client-s3";
import { type SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";

/** What to connect. */
export interface NotificationChain {
  readonly bucket: string;
  readonly topicArn: string;
  readonly queueArn: string;
  /** Only keys ending with this (core.yaml: `.gz`); absent = every key. */
  readonly keySuffix?: string;
}

/** Subscribes the queue to the topic, then points the bucket's ObjectCreated notifications at the topic. */
export async function connectBucketToQueue(s3: S3Client, sns: SNSClient, chain: NotificationChain): Promise<void> {
  await sns.send(
    new SubscribeCommand({
      TopicArn: chain.topicArn,
      Protocol: "sqs",
      Endpoint: chain.queueArn,
      Attributes: { RawMessageDelivery: "false" },
    }),
  );
  const filter = chain.keySuffix === undefined
    ? {}
    : { Filter: { Key: { FilterRules: [{ Name: "suffix" as const, Value: chain.keySuffix }] } } };
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: chain.bucket,
      NotificationConfiguration: {
        TopicConfigurations: [{ TopicArn: chain.topicArn, Events: ["s3:ObjectCreated:*"], ...filter }],
      },
    }),
  );
}
