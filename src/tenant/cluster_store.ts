/**
 * The cluster registry (`CLUSTER_TABLE`, DESIGN 1.6): one GetItem per
 * cluster, the item validated on its own. A missing item and an invalid one
 * are answers (the cluster is refused), not errors; only a failed read
 * throws, classified like every AWS error.
 *
 * @module
 */
import { type DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { classifyAwsError } from "../aws/classify_error.ts";
import { ProcessingError } from "../errors.ts";
import type { ClusterLookup } from "./cluster.ts";
import { validateCluster } from "./validate_cluster.ts";

/** Looks a cluster up in the registry. */
export interface ClusterStore {
  /**
   * What the registry holds for `clusterId` (an unregistered or invalid cluster is an answer, not an error).
   * @throws {ProcessingError} when the registry cannot be read (classified: throttling is retryable).
   */
  get(clusterId: string): Promise<ClusterLookup>;
}

/** The lookup an item (or its absence) amounts to (pure). */
function clusterFromItem(clusterId: string, item: Record<string, unknown> | undefined): ClusterLookup {
  if (!item) return { kind: "unregistered", clusterId };
  const result = validateCluster(item);
  if (!result.ok) return { kind: "invalid", clusterId, problems: result.problems };
  if (result.cluster.clusterId !== clusterId) {
    return { kind: "invalid", clusterId, problems: [`cluster_id "${result.cluster.clusterId}" is not the key`] };
  }
  return { kind: "registered", cluster: result.cluster };
}

/** {@link ClusterStore} reading `CLUSTER_TABLE` (key `cluster_id`). */
export class DynamoClusterStore implements ClusterStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;

  constructor(client: DynamoDBClient, table: string) {
    this.#client = client;
    this.#table = table;
  }

  /** The table's name. */
  get table(): string {
    return this.#table;
  }

  async get(clusterId: string): Promise<ClusterLookup> {
    return clusterFromItem(clusterId, await this.item(clusterId));
  }

  /**
   * The raw (unmarshalled, unvalidated) item of `clusterId`, or undefined when there is none.
   * @throws {ProcessingError} naming the cluster and table, classified like every AWS error.
   */
  async item(clusterId: string): Promise<Record<string, unknown> | undefined> {
    try {
      const out = await this.#client.send(
        new GetItemCommand({ TableName: this.#table, Key: { cluster_id: { S: clusterId } } }),
      );
      return out.Item ? unmarshall(out.Item) : undefined;
    } catch (err) {
      const { failureClass, code } = classifyAwsError(err);
      throw new ProcessingError(
        failureClass,
        code,
        `Cannot read cluster "${clusterId}" from table ${this.#table}: ${code}`,
        { cause: err },
      );
    }
  }
}
