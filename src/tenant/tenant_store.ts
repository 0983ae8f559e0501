/**
 * Tenant configuration from DynamoDB: one Query per tenant (all its delivery
 * items), each item validated on its own.
 *
 * @module
 */
import { type DynamoDBClient, paginateQuery } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { wrapAwsError } from "../aws/classify_error.ts";
import type { Delivery, InvalidDelivery, TenantConfig } from "./delivery.ts";
import { validateDelivery, type ValidationContext } from "./validate_delivery.ts";

/** Looks a tenant up; a tenant without items has no deliveries. */
export interface TenantStore {
  /**
   * Every delivery item of `tenantId`, each validated on its own.
   *
   * @throws {ProcessingError} when the table cannot be read (its class from the AWS error).
   */
  get(tenantId: string): Promise<TenantConfig>;
}

/** Builds a tenant's configuration from raw items (pure). */
export function tenantFromItems(
  tenantId: string,
  items: readonly Record<string, unknown>[],
  context: ValidationContext = {},
): TenantConfig {
  const deliveries: Delivery[] = [];
  const invalid: InvalidDelivery[] = [];
  for (const item of items) {
    const result = validateDelivery(item, context);
    if (result.ok) deliveries.push(result.delivery);
    else invalid.push(result.invalid);
  }
  return { tenantId, deliveries, invalid };
}

/** {@link TenantStore} reading the `TENANT_CONFIG_TABLE` table. */
export class DynamoTenantStore implements TenantStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #context: ValidationContext;

  constructor(
    client: DynamoDBClient,
    table: string,
    context: ValidationContext = {},
  ) {
    this.#client = client;
    this.#table = table;
    this.#context = context;
  }

  async get(tenantId: string): Promise<TenantConfig> {
    return tenantFromItems(tenantId, await this.items(tenantId), this.#context);
  }

  /** The raw (unmarshalled, unvalidated) items of `tenantId`. */
  async items(tenantId: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    try {
      const pages = paginateQuery({ client: this.#client }, {
        TableName: this.#table,
        KeyConditionExpression: "tenant_id = :t",
        ExpressionAttributeValues: { ":t": { S: tenantId } },
      });
      for await (const page of pages) {
        for (const item of page.Items ?? []) items.push(unmarshall(item));
      }
    } catch (err) {
      throw wrapAwsError(err, ({ code }) => `Cannot read tenant "${tenantId}" from table ${this.#table}: ${code}`);
    }
    return items;
  }
}
