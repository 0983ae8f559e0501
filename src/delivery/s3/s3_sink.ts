/**
 * Delivers one object into the customer's bucket at
 * `<bucket_prefix><cluster_id>/<application>/<pod_name>/<file name>`, as gzip
 * NDJSON of the raw lines Vector wrote (nothing added). Streamed: lines are
 * compressed as they arrive and sent in multipart parts of `partSizeBytes`,
 * or in one PutObject when the object is smaller than a part. The same object
 * always gets the same key, so a retry overwrites instead of duplicating; a
 * failed multipart upload is aborted, so no partial object ever appears.
 *
 * @module
 */
import { classifyAwsError, type OnCredentialsExpired } from "../../aws/classify_error.ts";
import { type RetryPolicy, withRetry } from "../../aws/retry.ts";
import { permanent, ProcessingError } from "../../errors.ts";
import type { RecordChunk } from "../../ingest/read_records.ts";
import type { Logger } from "../../telemetry/logger.ts";
import type { S3Delivery } from "../../tenant/delivery.ts";
import type { DeliveryReport } from "../../results.ts";
import { bump, deliveryReport, type DeliverySink, type ObjectContext, reportFailure } from "../sink.ts";
import { destinationKey } from "./destination_key.ts";
import { GzipBuffer } from "./gzip_buffer.ts";
import type { ObjectHeaders, ObjectLocation, ObjectWriter, UploadedPart } from "./object_writer.ts";

/** Headers of every delivered object. */
export const DELIVERED_OBJECT_HEADERS: ObjectHeaders = {
  contentType: "application/x-ndjson",
  contentEncoding: "gzip",
};
/** S3 accepts at most this many parts per upload. */
export const MAX_PARTS = 10_000;

/** What an S3 sink writes through, and the settings shared by every S3 sink. */
export interface S3SinkOptions {
  /** S3, bound to the delivery's customer role and region. */
  readonly writer: ObjectWriter;
  /** Compressed bytes per multipart part (≥ 5 MiB against real S3). */
  readonly partSizeBytes: number;
  readonly retry: RetryPolicy;
  readonly logger: Logger;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called when AWS says the credentials expired, so the next attempt starts from fresh ones. */
  readonly onCredentialsExpired?: OnCredentialsExpired;
}

/** The S3 {@link DeliverySink} of one delivery for one object. */
export class S3Sink implements DeliverySink {
  readonly #report: DeliveryReport;
  readonly #key: string;
  readonly #object: ObjectLocation;
  readonly #gzip = new GzipBuffer();
  readonly #parts: UploadedPart[] = [];
  #uploadId?: string;
  #events = 0;
  #bytes = 0;
  #failure?: unknown;

  /** Throws a permanent `InvalidConfig` error when the destination is the bucket the object came from. */
  readonly #delivery: S3Delivery;
  readonly #writer: ObjectWriter;
  readonly #options: S3SinkOptions;

  constructor(delivery: S3Delivery, object: ObjectContext, options: S3SinkOptions) {
    this.#delivery = delivery;
    this.#writer = options.writer;
    this.#options = options;
    if (delivery.bucketName === object.ref.bucket) {
      throw permanent(
        "InvalidConfig",
        `delivery "${delivery.deliveryId}" of tenant "${delivery.tenantId}" targets the central bucket ` +
          `${delivery.bucketName}; delivering there would loop on its own notifications`,
      );
    }
    this.#key = destinationKey(delivery, object.path);
    this.#object = { bucket: delivery.bucketName, key: this.#key };
    this.#report = deliveryReport(delivery, `s3://${delivery.bucketName}/${this.#key}`);
  }

  async write(chunk: RecordChunk): Promise<void> {
    if (this.#failure !== undefined || chunk.lines.length === 0) return;
    try {
      const text = chunk.lines.join("\n") + "\n";
      this.#bytes += await this.#gzip.write(text);
      this.#events += chunk.lines.length;
      if (this.#gzip.size >= this.#options.partSizeBytes) await this.#uploadPart(this.#gzip.take());
    } catch (err) {
      await this.#fail(err);
    }
  }

  async finish(): Promise<DeliveryReport> {
    if (this.#failure !== undefined) return this.#finalReport();
    if (this.#events === 0) {
      this.#gzip.destroy();
      return this.#finalReport();
    }
    try {
      await this.#gzip.end();
      const rest = this.#gzip.take();
      if (this.#uploadId === undefined) {
        await this.#retrying("PutObject", () => this.#writer.putObject(this.#object, rest, DELIVERED_OBJECT_HEADERS));
      } else {
        await this.#uploadPart(rest);
        const upload = { ...this.#object, uploadId: this.#uploadId };
        await this.#retrying(
          "CompleteMultipartUpload",
          () => this.#writer.completeMultipartUpload(upload, this.#parts),
        );
        this.#uploadId = undefined;
      }
      this.#report.events_delivered = this.#events;
      this.#report.bytes_delivered = this.#bytes;
    } catch (err) {
      await this.#fail(err);
    }
    return this.#finalReport();
  }

  async abort(reason: string): Promise<DeliveryReport> {
    await this.#fail(new ProcessingError("permanent", "Aborted", reason));
    return this.#finalReport();
  }

  /** Remembers the first failure, frees the compressor and aborts a started upload (best effort). */
  async #fail(err: unknown): Promise<void> {
    this.#failure ??= err;
    this.#gzip.destroy();
    const uploadId = this.#uploadId;
    if (uploadId === undefined) return;
    this.#uploadId = undefined;
    const upload = { ...this.#object, uploadId };
    try {
      await this.#retrying("AbortMultipartUpload", () => this.#writer.abortMultipartUpload(upload));
    } catch (abortErr) {
      this.#options.logger.warn("cannot abort multipart upload; a bucket lifecycle rule must clean it up", {
        bucket: upload.bucket,
        key: upload.key,
        code: classifyAwsError(abortErr).code,
      });
    }
  }

  async #uploadPart(body: Uint8Array): Promise<void> {
    if (this.#uploadId === undefined) {
      this.#uploadId = await this.#retrying(
        "CreateMultipartUpload",
        () => this.#writer.createMultipartUpload(this.#object, DELIVERED_OBJECT_HEADERS),
      );
    }
    const upload = { ...this.#object, uploadId: this.#uploadId };
    const partNumber = this.#parts.length + 1;
    if (partNumber > MAX_PARTS) {
      throw permanent("ObjectTooLarge", `more than ${MAX_PARTS} parts of ${this.#options.partSizeBytes} bytes`);
    }
    const eTag = await this.#retrying(
      "UploadPart",
      () => this.#writer.uploadPart(upload, { partNumber, body }),
    );
    this.#parts.push({ partNumber, eTag });
  }

  #retrying<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    const where = `s3://${this.#delivery.bucketName}/${this.#key}`;
    return withRetry(
      () => {
        bump(this.#report.api_calls, operation);
        return fn();
      },
      this.#options.retry,
      {
        what: `${operation} to ${where}`,
        sleep: this.#options.sleep,
        onCredentialsExpired: this.#options.onCredentialsExpired,
        onRetry: (attempt, delayMs, err) => {
          const { code } = classifyAwsError(err);
          this.#options.logger.warn(`retrying ${operation}`, { attempt, delayMs, code, destination: where });
        },
      },
    );
  }

  #finalReport(): DeliveryReport {
    return reportFailure(this.#report, this.#failure);
  }
}
