/**
 * AWS naming rules the processor checks before it calls AWS: role ARNs,
 * regions, ExternalIds, S3 bucket names, CloudWatch log group names, SQS
 * queue URLs and DynamoDB table names. A leaf (pure, no imports): the
 * configuration, the tenant-item validation and `scripts/deploy` share it.
 *
 * @module
 */

/** An IAM role ARN in any partition. */
export const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/;
/** A region name such as `eu-west-1` or `us-gov-west-1`. */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
/** An STS ExternalId: 2-1224 characters. */
export const EXTERNAL_ID_PATTERN = /^[\w+=,.@:\/-]{2,1224}$/;
/** The characters and length of a CloudWatch Logs group name. */
export const LOG_GROUP_PATTERN = /^[.\-_/#A-Za-z0-9]{1,512}$/;
/** The characters and length of an S3 bucket name (see {@link bucketNameProblem} for the rest). */
export const BUCKET_NAME_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** An SQS queue URL (`…/<account>/<name>`, FIFO included). */
export const QUEUE_URL_PATTERN = /^https?:\/\/\S+\/\d{12}\/[\w-]{1,80}(\.fifo)?$/;
/** A DynamoDB table name. */
export const TABLE_NAME_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;
/** An IAM role's unique id, as IAM reports it (`RoleId`) and S3 events name it (`AWS:<RoleId>:<session>`). */
export const ROLE_ID_PATTERN = /^AROA[A-Z0-9]{12,124}$/;

/** The account id (12 digits) of an ARN such as a role's; undefined when it names none. */
export function arnAccount(arn: string): string | undefined {
  const account = arn.split(":")[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/**
 * What is wrong with an S3 bucket name, or undefined when it is valid.
 *
 * @example
 * ```ts
 * bucketNameProblem("my-logs"); // undefined
 * bucketNameProblem("10.0.0.1"); // "must not look like an IP address"
 * ```
 */
export function bucketNameProblem(name: string): string | undefined {
  if (!BUCKET_NAME_PATTERN.test(name)) {
    return "must be 3-63 characters of a-z 0-9 . - starting and ending with a letter or digit";
  }
  if (name.includes("..")) return "must not contain two adjacent periods";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "must not look like an IP address";
  return undefined;
}

/** What is wrong with a CloudWatch Logs group name, or undefined when it is valid. */
export function logGroupNameProblem(name: string): string | undefined {
  if (!LOG_GROUP_PATTERN.test(name)) {
    return "must be 1-512 characters of a-z A-Z 0-9 . _ - / #";
  }
  if (name.startsWith("aws/")) return 'must not start with "aws/" (reserved by AWS)';
  return undefined;
}
