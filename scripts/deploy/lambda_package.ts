/**
 * The Lambda zip in S3: a local zip is uploaded under a key holding its
 * SHA-256 (a new build is a new key, so CloudFormation updates the function's
 * code), into an artifact bucket that must exist or is created on request; an
 * `s3://` package is passed with its version id when the bucket is
 * versioned. The S3 client is passed in.
 *
 * @module
 */
import {
  CreateBucketCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { UsageError } from "../../src/errors.ts";
import type { LambdaCode } from "./deploy_args.ts";

/** Hex characters of the SHA-256 kept in the key (64 bits: no two builds collide in practice). */
export const KEY_HASH_CHARS = 16;

type S3Code = Extract<LambdaCode, { kind: "s3" }>;
type FileCode = Extract<LambdaCode, { kind: "file" }>;

/** The content-addressed key of a local zip: `<prefix><name>-<sha256 prefix>.zip` (pure). */
export function packageKey(keyPrefix: string, path: string, sha256: string): string {
  const name = path.split("/").pop()!.replace(/\.zip$/, "");
  return `${keyPrefix}${name}-${sha256.slice(0, KEY_HASH_CHARS)}.zip`;
}

/** Hex SHA-256 of `bytes`. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Reads and hashes a local zip: the `s3` package it becomes. */
export async function hashLocalPackage(code: FileCode): Promise<S3Code> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(code.path);
  } catch (err) {
    throw new UsageError(`--lambda-package ${code.path}: ${err instanceof Error ? err.message : err}`);
  }
  const sha256 = await sha256Hex(bytes);
  return {
    kind: "s3",
    bucket: code.bucket,
    key: packageKey(code.keyPrefix, code.path, sha256),
    upload: { path: code.path, sha256 },
  };
}

/** What is in S3 already. */
export interface PackageState {
  readonly bucketExists: boolean;
  readonly objectExists: boolean;
  readonly version?: string;
}

function status(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function describe(err: unknown): string {
  return err instanceof Error
    ? `${err.name}${err.message && err.message !== err.name ? `: ${err.message}` : ""}`
    : String(err);
}

/** Looks at the package's bucket and object (read-only: the dry run uses it too). */
export async function inspectPackage(s3: S3Client, code: S3Code): Promise<PackageState> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: code.bucket }));
  } catch (err) {
    if (status(err) === 404) return { bucketExists: false, objectExists: false };
    throw new Error(`cannot use bucket "${code.bucket}": ${describe(err)}`);
  }
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: code.bucket, Key: code.key }));
    const version = head.VersionId && head.VersionId !== "null" ? head.VersionId : undefined;
    return { bucketExists: true, objectExists: true, ...(version ? { version } : {}) };
  } catch (err) {
    if (status(err) === 404) return { bucketExists: true, objectExists: false };
    throw new Error(`cannot read s3://${code.bucket}/${code.key}: ${describe(err)}`);
  }
}

/** Options of {@link preparePackage}. */
export interface PrepareOptions {
  readonly region: string;
  readonly createBucket: boolean;
  readonly log: (line: string) => void;
}

/**
 * Makes the package deployable: the bucket exists (created when asked), a
 * local zip is uploaded unless that exact build is there already, and the
 * object's version id is attached when the bucket keeps versions.
 */
export async function preparePackage(s3: S3Client, code: S3Code, options: PrepareOptions): Promise<S3Code> {
  let state = await inspectPackage(s3, code);
  if (!state.bucketExists) {
    if (!code.upload || !options.createBucket) {
      throw new Error(
        `bucket "${code.bucket}" does not exist in ${options.region}` +
          (code.upload ? ": create it, or add --create-artifact-bucket" : ""),
      );
    }
    options.log(`creating artifact bucket ${code.bucket} (private) in ${options.region}`);
    await s3.send(
      new CreateBucketCommand({
        Bucket: code.bucket,
        ...(options.region === "us-east-1"
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: options.region as "eu-west-1" } }),
      }),
    );
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: code.bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    state = { bucketExists: true, objectExists: false };
  }
  if (code.upload && !state.objectExists) {
    options.log(`uploading ${code.upload.path} to s3://${code.bucket}/${code.key}`);
    const put = await s3.send(
      new PutObjectCommand({ Bucket: code.bucket, Key: code.key, Body: await Deno.readFile(code.upload.path) }),
    );
    const version = put.VersionId && put.VersionId !== "null" ? put.VersionId : undefined;
    return { ...code, ...(version ? { version } : {}) };
  }
  if (code.upload) options.log(`s3://${code.bucket}/${code.key} holds this build already; not uploading it again`);
  if (!state.objectExists) throw new Error(`s3://${code.bucket}/${code.key} does not exist`);
  if (!code.upload && !state.version) {
    options.log(
      `warning: s3://${code.bucket}/${code.key} has no version id (bucket not versioned): a new build under the ` +
        `same key will not update the function; use a new key per build, or give the local zip`,
    );
  }
  return { ...code, ...(state.version ? { version: state.version } : {}) };
}
