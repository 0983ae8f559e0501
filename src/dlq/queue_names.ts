/**
 * Names of SQS queues: ARN parts and the dead-letter target of a redrive
 * policy. Pure.
 *
 * @module
 */

/** The parts of `arn:<partition>:sqs:<region>:<account>:<name>`. */
export interface QueueArnParts {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly name: string;
}

const QUEUE_ARN = /^arn:(aws[a-z-]*):sqs:([a-z0-9-]+):(\d{12}):([\w-]{1,80}(?:\.fifo)?)$/;

/** Splits a queue ARN; throws naming the value when it is not one. */
export function queueArnParts(arn: string): QueueArnParts {
  const m = arn.match(QUEUE_ARN);
  if (!m) throw new Error(`"${arn}" is not an SQS queue ARN`);
  return { partition: m[1]!, region: m[2]!, account: m[3]!, name: m[4]! };
}

/**
 * The DLQ ARN in a queue's `RedrivePolicy` attribute, or undefined when the
 * queue has none. Throws when the policy is not the JSON SQS writes.
 */
export function redriveTargetArn(attributes: Readonly<Record<string, string>>): string | undefined {
  const raw = attributes.RedrivePolicy;
  if (!raw) return undefined;
  let policy: unknown;
  try {
    policy = JSON.parse(raw);
  } catch {
    throw new Error(`RedrivePolicy is not JSON: ${raw}`);
  }
  const target = (policy as { deadLetterTargetArn?: unknown } | null)?.deadLetterTargetArn;
  if (typeof target !== "string") throw new Error(`RedrivePolicy has no deadLetterTargetArn: ${raw}`);
  return target;
}
