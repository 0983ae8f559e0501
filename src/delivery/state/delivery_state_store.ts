/**
 * The DynamoDB edge of the delivery state: one consistent GetItem to recall,
 * one UpdateItem to remember (`ADD` to the completed set, so concurrent
 * writers merge; `SET` of the progress map). Errors are classified like every
 * AWS call.
 *
 * @module
 */
import { type DynamoDBClient, GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { wrapAwsError } from "../../aws/classify_error.ts";
import { type DeliveryState, expiryOf, TTL_ATTRIBUTE } from "./delivery_state.ts";

/**
 * Where the pipeline remembers how far deliveries got. Both methods throw a
 * classified `ProcessingError` when the table cannot be reached; the
 * pipeline logs it and delivers from the start again (at least once).
 */
export interface DeliveryStateStore {
  /** What is known for `pk` (nothing when unknown). */
  recall(pk: string): Promise<DeliveryState>;
  /** Adds `state`'s completions to what is known for `pk`, sets its progress and pushes its expiry out. */
  remember(pk: string, state: DeliveryState, nowMs: number): Promise<void>;
}

/** The part of an SDK client the store uses (a recording fake in tests). */
export type DynamoSender = Pick<DynamoDBClient, "send">;

/** {@link DeliveryStateStore} on the `DELIVERY_STATE_TABLE` table. */
export class DynamoDeliveryStateStore implements DeliveryStateStore {
  readonly #client: DynamoSender;
  readonly #table: string;
  readonly #ttlSeconds: number;

  /** `table` is the `DELIVERY_STATE_TABLE`; items expire `ttlSeconds` after their last write. */
  constructor(client: DynamoSender, options: { readonly table: string; readonly ttlSeconds: number }) {
    this.#client = client;
    this.#table = options.table;
    this.#ttlSeconds = options.ttlSeconds;
  }

  async recall(pk: string): Promise<DeliveryState> {
    const out = await this.#call("GetItem", pk, () =>
      this.#client.send(
        new GetItemCommand({
          TableName: this.#table,
          Key: { pk: { S: pk } },
          ConsistentRead: true,
          ProjectionExpression: "completed, #progress",
          ExpressionAttributeNames: { "#progress": "progress" },
        }),
      ));
    const progress = new Map<string, number>();
    for (const [id, value] of Object.entries(out.Item?.progress?.M ?? {})) {
      const n = Number(value.N);
      if (Number.isSafeInteger(n) && n > 0) progress.set(id, n);
    }
    return { completed: new Set(out.Item?.completed?.SS ?? []), progress };
  }

  async remember(pk: string, state: DeliveryState, nowMs: number): Promise<void> {
    const progress = Object.fromEntries([...state.progress].map(([id, n]) => [id, { N: String(n) }]));
    const add = state.completed.size > 0 ? " ADD completed :ids" : "";
    await this.#call("UpdateItem", pk, () =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: { pk: { S: pk } },
          UpdateExpression: `SET #progress = :progress, #ttl = :ttl, updated_at = :now${add}`,
          ExpressionAttributeNames: { "#progress": "progress", "#ttl": TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ":progress": { M: progress },
            ":ttl": { N: String(expiryOf(nowMs, this.#ttlSeconds)) },
            ":now": { S: new Date(nowMs).toISOString() },
            ...(add ? { ":ids": { SS: [...state.completed].sort() } } : {}),
          },
        }),
      ));
  }

  async #call<T>(operation: string, pk: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw wrapAwsError(
        err,
        ({ code }) =>
          `${operation} on delivery-state table ${this.#table} for ${JSON.stringify(pk)} failed with ${code}`,
      );
    }
  }
}
