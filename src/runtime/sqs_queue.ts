/**
 * The narrow SQS edge the worker uses, and its SDK implementation. Batch
 * calls take any number of entries and send them ten at a time; per-entry
 * failures are returned, not thrown.
 *
 * @module
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { clientConfig, type ClientSettings } from "../aws/client_config.ts";

/** A received message. */
export interface QueueMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  /** How often SQS has handed this message out, this time included. */
  readonly receiveCount: number;
}

/** One entry of a batch call. */
export interface QueueEntry {
  readonly messageId: string;
  readonly receiptHandle: string;
}

/** One entry of a visibility change; its own `visibilityTimeoutSeconds`, when set, wins over the call's. */
export interface VisibilityEntry extends QueueEntry {
  readonly visibilityTimeoutSeconds?: number;
}

/** An entry SQS refused. */
export interface EntryFailure {
  readonly messageId: string;
  readonly code: string;
  readonly message: string;
}

/** What the worker needs from SQS. */
export interface QueueClient {
  receive(options: { maxMessages: number; waitTimeSeconds: number; visibilityTimeoutSeconds: number }): Promise<
    QueueMessage[]
  >;
  deleteBatch(entries: readonly QueueEntry[]): Promise<EntryFailure[]>;
  changeVisibilityBatch(entries: readonly VisibilityEntry[], visibilityTimeoutSeconds: number): Promise<EntryFailure[]>;
}

/** SQS batch calls take at most ten entries. */
export const SQS_BATCH_LIMIT = 10;
const LONG_POLL_MARGIN_MS = 10_000;

/** `items` in batches of at most `size` (SQS batch calls take ten). */
export function chunks<T>(items: readonly T[], size = SQS_BATCH_LIMIT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** An SQS client for `settings`; a long poll holds the request up to 20 s, so it gets room beyond the request timeout. */
function sqsClient(settings: ClientSettings): SQSClient {
  const config = clientConfig(settings, "SQS");
  return new SQSClient({
    ...config,
    requestHandler: {
      ...config.requestHandler,
      requestTimeout: config.requestHandler.requestTimeout + LONG_POLL_MARGIN_MS,
    },
  });
}

type Failed = { Id?: string; Code?: string; Message?: string }[] | undefined;

/** The entries of `chunk` a batch call refused (its `Failed` list, whose ids are the chunk's indexes). */
export function failures(chunk: readonly QueueEntry[], failed: Failed): EntryFailure[] {
  return (failed ?? []).map((f) => ({
    messageId: chunk[Number(f.Id)]?.messageId ?? String(f.Id),
    code: f.Code ?? "Unknown",
    message: f.Message ?? "",
  }));
}

/** The part of an SDK client the queue uses (a recording fake in tests). */
export type SqsSender = Pick<SQSClient, "send" | "destroy">;

/** {@link QueueClient} over the SDK, for one queue URL. */
export class SqsQueue implements QueueClient {
  readonly #client: SqsSender;

  readonly #queueUrl: string;

  /** A queue reached with `client`, or with a client built from `settings`. */
  constructor(queueUrl: string, via: ClientSettings | { readonly client: SqsSender }) {
    this.#queueUrl = queueUrl;
    this.#client = "client" in via ? via.client : sqsClient(via);
  }

  async receive(
    options: { maxMessages: number; waitTimeSeconds: number; visibilityTimeoutSeconds: number },
  ): Promise<QueueMessage[]> {
    const out = await this.#client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.#queueUrl,
        MaxNumberOfMessages: Math.max(1, Math.min(SQS_BATCH_LIMIT, options.maxMessages)),
        WaitTimeSeconds: options.waitTimeSeconds,
        VisibilityTimeout: options.visibilityTimeoutSeconds,
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      }),
    );
    return (out.Messages ?? []).flatMap((m) =>
      m.MessageId && m.ReceiptHandle
        ? [{
          messageId: m.MessageId,
          receiptHandle: m.ReceiptHandle,
          body: m.Body ?? "",
          receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1) || 1,
        }]
        : []
    );
  }

  async deleteBatch(entries: readonly QueueEntry[]): Promise<EntryFailure[]> {
    const out: EntryFailure[] = [];
    for (const chunk of chunks(entries)) {
      const res = await this.#client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.#queueUrl,
          Entries: chunk.map((e, i) => ({ Id: String(i), ReceiptHandle: e.receiptHandle })),
        }),
      );
      out.push(...failures(chunk, res.Failed));
    }
    return out;
  }

  async changeVisibilityBatch(entries: readonly VisibilityEntry[], visibilityTimeoutSeconds: number) {
    const out: EntryFailure[] = [];
    for (const chunk of chunks(entries)) {
      const res = await this.#client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.#queueUrl,
          Entries: chunk.map((e, i) => ({
            Id: String(i),
            ReceiptHandle: e.receiptHandle,
            VisibilityTimeout: e.visibilityTimeoutSeconds ?? visibilityTimeoutSeconds,
          })),
        }),
      );
      out.push(...failures(chunk, res.Failed));
    }
    return out;
  }

  /** Closes connections. */
  destroy(): void {
    this.#client.destroy();
  }
}
