/**
 * Writes, lists and removes tenant-table items for the `tenants` command.
 * Reads of one tenant go through {@link DynamoTenantStore} (the processor's
 * own query); this adds what only an operator does.
 *
 * @module
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  paginateScan,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { classifyAwsError } from "../aws/classify_error.ts";
import { DynamoTenantStore } from "../tenant/tenant_store.ts";

/** A delivery that exists already (and `--replace` was not given). */
export class ItemExistsError extends Error {
  override name = "ItemExistsError";
}

/** An operator-facing error for a failed table call; `variable` names the setting behind `table`. */
export function tableError(
  err: unknown,
  call: { readonly table: string; readonly what: string; readonly variable?: string },
): Error {
  const { table, what, variable = "TENANT_CONFIG_TABLE" } = call;
  const { code } = classifyAwsError(err);
  const detail = err instanceof Error && err.message ? `: ${err.message}` : "";
  const hint = code === "ResourceNotFoundException" ? ` (does ${variable} name the right table and region?)` : "";
  return new Error(`Cannot ${what} table ${table}: ${code}${detail}${hint}`, { cause: err });
}

/** The tenant table, as an operator edits it. */
export class TenantTable {
  readonly #store: DynamoTenantStore;

  readonly #client: DynamoDBClient;

  constructor(client: DynamoDBClient, readonly name: string) {
    this.#client = client;
    this.#store = new DynamoTenantStore(client, name);
  }

  /** Raw items of one tenant. */
  items(tenantId: string): Promise<Record<string, unknown>[]> {
    return this.#store.items(tenantId);
  }

  /** Every item of the table (a Scan; operators only). */
  async *all(): AsyncGenerator<Record<string, unknown>> {
    try {
      for await (const page of paginateScan({ client: this.#client }, { TableName: this.name })) {
        for (const item of page.Items ?? []) yield unmarshall(item);
      }
    } catch (err) {
      throw tableError(err, { table: this.name, what: "scan" });
    }
  }

  /** Writes `item`; unless `replace`, fails with {@link ItemExistsError} when the delivery exists. */
  async put(item: Record<string, unknown>, replace: boolean): Promise<void> {
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.name,
          Item: marshall(item, { removeUndefinedValues: true }),
          ...(replace ? {} : { ConditionExpression: "attribute_not_exists(tenant_id)" }),
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        throw new ItemExistsError(
          `delivery "${item.delivery_id}" of tenant "${item.tenant_id}" exists already; ` +
            `add --replace to overwrite it (its ExternalId is kept unless you give --external-id)`,
        );
      }
      throw tableError(err, { table: this.name, what: "write to" });
    }
  }

  /** Removes one delivery; resolves to the removed item, or undefined when there was none. */
  async remove(tenantId: string, deliveryId: string): Promise<Record<string, unknown> | undefined> {
    try {
      const out = await this.#client.send(
        new DeleteItemCommand({
          TableName: this.name,
          Key: marshall({ tenant_id: tenantId, delivery_id: deliveryId }),
          ReturnValues: "ALL_OLD",
        }),
      );
      return out.Attributes ? unmarshall(out.Attributes) : undefined;
    } catch (err) {
      throw tableError(err, { table: this.name, what: "delete from" });
    }
  }
}
