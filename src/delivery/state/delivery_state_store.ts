/**
 * The DynamoDB edge of the delivery state: one consistent GetItem to recall,
 * one UpdateItem (`ADD` to a string set, so concurrent writers merge) to
 * remember. Errors are classified like every AWS call.
 *
 * @module
 */
import { type DynamoDBClient, GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { wrapAwsError } from "../../aws/classify_error.ts";
import { expiryOf, TTL_ATTRIBUTE } from "./delivery_state.ts";

/**
 * Where the pipeline remembers completed deliveries. Both methods throw a
 * classified `ProcessingError` when the table cannot be reached; the
 * pipeline logs it and delivers everywhere again (at least once).
 */
export interface DeliveryStateStore {
  /** Delivery ids completed for `pk` (empty when unknown). */
  completed(pk: string): Promise<ReadonlySet<string>>;
  /** Adds `deliveryIds` to what is completed for `pk` and pushes its expiry out. */
  remember(pk: string, deliveryIds: readonly string[], nowMs: number): Promise<void>;
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

  async completed(pk: string): Promise<ReadonlySet<string>> {
    const out = await this.#call("GetItem", pk, () =>
      this.#client.send(
        new GetItemCommand({
          TableName: this.#table,
          Key: { pk: { S: pk } },
          ConsistentRead: true,
          ProjectionExpression: "completed",
        }),
      ));
    return new Set(out.Item?.completed?.SS ?? []);
  }

  async remember(pk: string, deliveryIds: readonly string[], nowMs: number): Promise<void> {
    if (deliveryIds.length === 0) return;
    await this.#call("UpdateItem", pk, () =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: { pk: { S: pk } },
          UpdateExpression: "ADD completed :ids SET #ttl = :ttl, updated_at = :now",
          ExpressionAttributeNames: { "#ttl": TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ":ids": { SS: [...deliveryIds] },
            ":ttl": { N: String(expiryOf(nowMs, this.#ttlSeconds)) },
            ":now": { S: new Date(nowMs).toISOString() },
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
