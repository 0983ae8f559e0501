/**
 * The SQS calls of the DLQ tools (`log-processor dlq`), behind one narrow
 * interface, and its SDK implementation over any client with `send` (a
 * recording fake in unit tests, the real SQSClient against moto or AWS).
 * Batch calls take any number of entries and send them ten at a time;
 * per-entry failures are returned, not thrown.
 *
 * @module
 */
import {
  CancelMessageMoveTaskCommand,
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { chunks, type EntryFailure, failures, type QueueEntry, SQS_BATCH_LIMIT } from "../runtime/sqs_queue.ts";
import { queueArnParts } from "./queue_names.ts";

export type { EntryFailure, QueueEntry };

/** A message as the DLQ tools see it. */
export interface DlqMessage extends QueueEntry {
  readonly body: string;
  /** How often SQS has handed it out (the source queue's receives, then every peek of the DLQ). */
  readonly receiveCount: number;
  /** SentTimestamp (ms): when it was first sent to the source queue; a DLQ move keeps it. */
  readonly sentAt?: number;
  /** ApproximateFirstReceiveTimestamp (ms). */
  readonly firstReceivedAt?: number;
  /** Message attributes, copied on a redrive. */
  readonly attributes: Readonly<Record<string, MessageAttributeValue>>;
}

/** A message movement task (StartMessageMoveTask) as ListMessageMoveTasks reports it. */
export interface MoveTask {
  readonly status: string;
  /** Only while RUNNING. */
  readonly taskHandle?: string;
  readonly sourceArn?: string;
  readonly destinationArn?: string;
  readonly maxPerSecond?: number;
  readonly moved: number;
  readonly toMove?: number;
  readonly failureReason?: string;
  readonly startedAt?: number;
}

/** Receive options: `visibilityTimeoutSeconds` hides what was received for that long. */
export interface ReceiveOptions {
  readonly maxMessages: number;
  readonly visibilityTimeoutSeconds: number;
  readonly waitTimeSeconds: number;
}

/** What the DLQ tools ask of SQS. */
export interface QueueAdmin {
  attributes(queueUrl: string): Promise<Record<string, string>>;
  /** The URL of the queue `arn` names (GetQueueUrl with its owner account). */
  urlOf(arn: string): Promise<string>;
  /** URLs of the queues whose redrive policy names `dlqUrl`. */
  deadLetterSources(dlqUrl: string): Promise<string[]>;
  receive(queueUrl: string, options: ReceiveOptions): Promise<DlqMessage[]>;
  changeVisibility(queueUrl: string, entries: readonly QueueEntry[], seconds: number): Promise<EntryFailure[]>;
  /** Sends copies (body and attributes); returns the ids of the messages sent and the refused entries. */
  send(queueUrl: string, messages: readonly DlqMessage[]): Promise<{ sent: string[]; failed: EntryFailure[] }>;
  delete(queueUrl: string, entries: readonly QueueEntry[]): Promise<EntryFailure[]>;
  /** Starts moving the messages of `sourceArn`; resolves to the task handle. */
  startMoveTask(task: { sourceArn: string; destinationArn?: string; maxPerSecond?: number }): Promise<string>;
  /** The most recent move tasks of `sourceArn`, newest first. */
  listMoveTasks(sourceArn: string): Promise<MoveTask[]>;
  /** Cancels a running task; resolves to the messages moved so far. */
  cancelMoveTask(taskHandle: string): Promise<number>;
}

/** The one method of an SQS client the adapter uses. */
export type SqsSend = Pick<SQSClient, "send">;

const timestamp = (v: string | undefined) => (v && Number.isFinite(Number(v)) ? Number(v) : undefined);

/** {@link QueueAdmin} over an SQS client. */
export class SdkQueueAdmin implements QueueAdmin {
  readonly #sqs: SqsSend;

  constructor(sqs: SqsSend) {
    this.#sqs = sqs;
  }

  async attributes(queueUrl: string): Promise<Record<string, string>> {
    const out = await this.#sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["All"] }));
    return out.Attributes ?? {};
  }

  async urlOf(arn: string): Promise<string> {
    const { account, name } = queueArnParts(arn);
    const out = await this.#sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }));
    if (!out.QueueUrl) throw new Error(`GetQueueUrl returned no URL for ${arn}`);
    return out.QueueUrl;
  }

  async deadLetterSources(dlqUrl: string): Promise<string[]> {
    const urls: string[] = [];
    let NextToken: string | undefined;
    do {
      const out = await this.#sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlqUrl, NextToken }));
      urls.push(...(out.queueUrls ?? []));
      NextToken = out.NextToken;
    } while (NextToken);
    return urls;
  }

  async receive(queueUrl: string, options: ReceiveOptions): Promise<DlqMessage[]> {
    const out = await this.#sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.max(1, Math.min(SQS_BATCH_LIMIT, options.maxMessages)),
        VisibilityTimeout: options.visibilityTimeoutSeconds,
        WaitTimeSeconds: options.waitTimeSeconds,
        MessageSystemAttributeNames: ["ApproximateReceiveCount", "SentTimestamp", "ApproximateFirstReceiveTimestamp"],
        MessageAttributeNames: ["All"],
      }),
    );
    return (out.Messages ?? []).flatMap((m) =>
      m.MessageId && m.ReceiptHandle
        ? [{
          messageId: m.MessageId,
          receiptHandle: m.ReceiptHandle,
          body: m.Body ?? "",
          receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1) || 1,
          sentAt: timestamp(m.Attributes?.SentTimestamp),
          firstReceivedAt: timestamp(m.Attributes?.ApproximateFirstReceiveTimestamp),
          attributes: m.MessageAttributes ?? {},
        }]
        : []
    );
  }

  async changeVisibility(queueUrl: string, entries: readonly QueueEntry[], seconds: number): Promise<EntryFailure[]> {
    const out: EntryFailure[] = [];
    for (const chunk of chunks(entries)) {
      const res = await this.#sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((e, i) => ({ Id: String(i), ReceiptHandle: e.receiptHandle, VisibilityTimeout: seconds })),
        }),
      );
      out.push(...failures(chunk, res.Failed));
    }
    return out;
  }

  async send(queueUrl: string, messages: readonly DlqMessage[]): Promise<{ sent: string[]; failed: EntryFailure[] }> {
    const sent: string[] = [];
    const failed: EntryFailure[] = [];
    for (const chunk of chunks(messages)) {
      const res = await this.#sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((m, i) => ({
            Id: String(i),
            MessageBody: m.body,
            ...(Object.keys(m.attributes).length > 0 ? { MessageAttributes: m.attributes } : {}),
          })),
        }),
      );
      const refused = failures(chunk, res.Failed);
      failed.push(...refused);
      for (const ok of res.Successful ?? []) {
        const m = chunk[Number(ok.Id)];
        if (m) sent.push(m.messageId);
      }
    }
    return { sent, failed };
  }

  async delete(queueUrl: string, entries: readonly QueueEntry[]): Promise<EntryFailure[]> {
    const out: EntryFailure[] = [];
    for (const chunk of chunks(entries)) {
      const res = await this.#sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((e, i) => ({ Id: String(i), ReceiptHandle: e.receiptHandle })),
        }),
      );
      out.push(...failures(chunk, res.Failed));
    }
    return out;
  }

  async startMoveTask(task: { sourceArn: string; destinationArn?: string; maxPerSecond?: number }): Promise<string> {
    const out = await this.#sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: task.sourceArn,
        ...(task.destinationArn ? { DestinationArn: task.destinationArn } : {}),
        ...(task.maxPerSecond ? { MaxNumberOfMessagesPerSecond: task.maxPerSecond } : {}),
      }),
    );
    if (!out.TaskHandle) throw new Error("StartMessageMoveTask returned no task handle");
    return out.TaskHandle;
  }

  async listMoveTasks(sourceArn: string): Promise<MoveTask[]> {
    const out = await this.#sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 10 }));
    return (out.Results ?? []).map((r) => ({
      status: r.Status ?? "UNKNOWN",
      taskHandle: r.TaskHandle,
      sourceArn: r.SourceArn,
      destinationArn: r.DestinationArn,
      maxPerSecond: r.MaxNumberOfMessagesPerSecond,
      moved: r.ApproximateNumberOfMessagesMoved ?? 0,
      toMove: r.ApproximateNumberOfMessagesToMove,
      failureReason: r.FailureReason,
      startedAt: r.StartedTimestamp,
    }));
  }

  async cancelMoveTask(taskHandle: string): Promise<number> {
    const out = await this.#sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: taskHandle }));
    return out.ApproximateNumberOfMessagesMoved ?? 0;
  }
}
