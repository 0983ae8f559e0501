/**
 * The narrow S3 edge the S3 sink writes through (single PutObject or a
 * multipart upload), and its SDK implementation.
 *
 * @module
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";

/** The headers every delivered object carries. */
export interface ObjectHeaders {
  readonly contentType: string;
  readonly contentEncoding: string;
}

/** Where an object goes. */
export interface ObjectLocation {
  readonly bucket: string;
  readonly key: string;
}

/** A started multipart upload: where it goes and its upload id. */
export interface MultipartUpload extends ObjectLocation {
  readonly uploadId: string;
}

/** One part to upload: its number (from 1) and bytes. */
export interface UploadPart {
  readonly partNumber: number;
  readonly body: Uint8Array;
}

/** One uploaded part, as CompleteMultipartUpload needs it. */
export interface UploadedPart {
  readonly partNumber: number;
  readonly eTag: string;
}

/** What the S3 sink needs from S3 (already bound to the customer's role and region). */
export interface ObjectWriter {
  putObject(object: ObjectLocation, body: Uint8Array, headers: ObjectHeaders): Promise<void>;
  /** Starts a multipart upload; resolves to its upload id. */
  createMultipartUpload(object: ObjectLocation, headers: ObjectHeaders): Promise<string>;
  /** Uploads one part; resolves to its ETag. */
  uploadPart(upload: MultipartUpload, part: UploadPart): Promise<string>;
  completeMultipartUpload(upload: MultipartUpload, parts: readonly UploadedPart[]): Promise<void>;
  abortMultipartUpload(upload: MultipartUpload): Promise<void>;
}

/** {@link ObjectWriter} over an SDK client. */
export class SdkObjectWriter implements ObjectWriter {
  readonly #client: S3Client;

  constructor(client: S3Client) {
    this.#client = client;
  }

  async putObject({ bucket, key }: ObjectLocation, body: Uint8Array, headers: ObjectHeaders) {
    await this.#client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentLength: body.length,
        ContentType: headers.contentType,
        ContentEncoding: headers.contentEncoding,
      }),
    );
  }

  async createMultipartUpload({ bucket, key }: ObjectLocation, headers: ObjectHeaders) {
    const out = await this.#client.send(
      new CreateMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        ContentType: headers.contentType,
        ContentEncoding: headers.contentEncoding,
      }),
    );
    if (!out.UploadId) throw new Error(`CreateMultipartUpload for s3://${bucket}/${key} returned no UploadId`);
    return out.UploadId;
  }

  async uploadPart({ bucket, key, uploadId }: MultipartUpload, { partNumber, body }: UploadPart) {
    const out = await this.#client.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        PartNumber: partNumber,
        Body: body,
        ContentLength: body.length,
      }),
    );
    if (!out.ETag) throw new Error(`UploadPart ${partNumber} of s3://${bucket}/${key} returned no ETag`);
    return out.ETag;
  }

  async completeMultipartUpload({ bucket, key, uploadId }: MultipartUpload, parts: readonly UploadedPart[]) {
    await this.#client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.eTag })) },
      }),
    );
  }

  async abortMultipartUpload({ bucket, key, uploadId }: MultipartUpload) {
    await this.#client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
  }
}
