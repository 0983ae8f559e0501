/**
 * Reads and writes the cluster registry (`CLUSTER_TABLE`) for the
 * `clusters` command. Reads of one cluster go through
 * {@link DynamoClusterStore} (the processor's own GetItem); this adds what
 * only an operator does.
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
import { DynamoClusterStore } from "../tenant/cluster_store.ts";
import { validateCluster } from "../tenant/validate_cluster.ts";
import { ItemExistsError, tableError } from "./tenant_table.ts";

/** The cluster registry, as an operator edits it. */
export class ClusterTable {
  readonly #client: DynamoDBClient;
  readonly #store: DynamoClusterStore;
  readonly name: string;

  constructor(client: DynamoDBClient, name: string) {
    this.#client = client;
    this.#store = new DynamoClusterStore(client, name);
    this.name = name;
  }

  /** The raw item of `clusterId`, or undefined. */
  async item(clusterId: string): Promise<Record<string, unknown> | undefined> {
    try {
      return await this.#store.item(clusterId);
    } catch (err) {
      throw tableError(err instanceof Error && err.cause ? err.cause : err, {
        table: this.name,
        what: "read from",
        variable: "CLUSTER_TABLE",
      });
    }
  }

  /** Every item (a Scan; operators only). */
  async *all(): AsyncGenerator<Record<string, unknown>> {
    try {
      for await (const page of paginateScan({ client: this.#client }, { TableName: this.name })) {
        for (const item of page.Items ?? []) yield unmarshall(item);
      }
    } catch (err) {
      throw tableError(err, { table: this.name, what: "scan", variable: "CLUSTER_TABLE" });
    }
  }

  /** Tenant id → the valid registered clusters that list it, sorted (a Scan; operators only). */
  async clustersByTenant(): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for await (const item of this.all()) {
      const result = validateCluster(item);
      if (!result.ok) continue;
      for (const t of result.cluster.tenants) out.set(t, [...(out.get(t) ?? []), result.cluster.clusterId].sort());
    }
    return out;
  }

  /** Writes `item`; unless `replace`, fails with {@link ItemExistsError} when the cluster is registered. */
  async put(item: Record<string, unknown>, replace: boolean): Promise<void> {
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.name,
          Item: marshall(item, { removeUndefinedValues: true }),
          ...(replace ? {} : { ConditionExpression: "attribute_not_exists(cluster_id)" }),
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        throw new ItemExistsError(`cluster "${item.cluster_id}" is registered already; add --replace to change it`);
      }
      throw tableError(err, { table: this.name, what: "write to", variable: "CLUSTER_TABLE" });
    }
  }

  /** Removes a cluster; resolves to the removed item, or undefined when there was none. */
  async remove(clusterId: string): Promise<Record<string, unknown> | undefined> {
    try {
      const out = await this.#client.send(
        new DeleteItemCommand({
          TableName: this.name,
          Key: marshall({ cluster_id: clusterId }),
          ReturnValues: "ALL_OLD",
        }),
      );
      return out.Attributes ? unmarshall(out.Attributes) : undefined;
    } catch (err) {
      throw tableError(err, { table: this.name, what: "delete from", variable: "CLUSTER_TABLE" });
    }
  }
}
