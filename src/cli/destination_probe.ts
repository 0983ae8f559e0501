/**
 * {@link VerifyProbes} over the processor's own role chain and destination
 * clients: the same credentials and clients a delivery uses, so a green
 * `tenants verify` means the processor can get there too.
 *
 * @module
 */
import { DescribeLogStreamsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { classifyAwsError } from "../aws/classify_error.ts";
import { type DestinationClients, roleTargetOf } from "../aws/destination_clients.ts";
import type { RoleChain } from "../aws/role_chain.ts";
import type { Delivery } from "../tenant/delivery.ts";
import type { VerifyProbes } from "./verify_delivery.ts";

function failure(what: string, err: unknown): Error {
  const { code } = classifyAwsError(err);
  const detail = err instanceof Error && err.message ? `: ${err.message}` : "";
  return new Error(`${what} failed with ${code}${detail}`, { cause: err });
}

/** Checks the destination with the customer role: describe the log group, or list the bucket prefix. */
export async function probeDestination(delivery: Delivery, clients: DestinationClients): Promise<string> {
  const where = delivery.region ? ` in ${delivery.region}` : "";
  if (delivery.type === "cloudwatch") {
    try {
      const out = await clients.logs(delivery).send(
        new DescribeLogStreamsCommand({ logGroupName: delivery.logGroupName, limit: 1 }),
      );
      const streams = out.logStreams?.length ? "has log streams" : "has no log streams yet";
      return `log group ${delivery.logGroupName}${where} exists and ${streams}`;
    } catch (err) {
      if (classifyAwsError(err).code === "ResourceNotFoundException") {
        return `log group ${delivery.logGroupName}${where} does not exist yet; the processor creates it ` +
          `on the first delivery (the customer role may create groups under its prefix)`;
      }
      throw failure(`DescribeLogStreams on ${delivery.logGroupName}${where}`, err);
    }
  }
  // ListObjectsV2 on the prefix instead of HeadBucket: the customer stack grants s3:ListBucket
  // only for the delivery's prefix, which HeadBucket (no prefix) would not pass.
  try {
    await clients.s3(delivery).send(
      new ListObjectsV2Command({ Bucket: delivery.bucketName, Prefix: delivery.bucketPrefix, MaxKeys: 1 }),
    );
    return `bucket ${delivery.bucketName}${where} is reachable under prefix "${delivery.bucketPrefix}"`;
  } catch (err) {
    if (classifyAwsError(err).code === "NoSuchBucket") {
      throw new Error(`bucket ${delivery.bucketName}${where} does not exist`, { cause: err });
    }
    throw failure(`ListObjectsV2 on s3://${delivery.bucketName}/${delivery.bucketPrefix}`, err);
  }
}

/** Probes walking `roles` and `clients`. */
export function sdkProbes(roles: RoleChain, clients: DestinationClients, centralRoleArn: string): VerifyProbes {
  return {
    centralRoleArn,
    assumeCentral: async () => {
      await roles.central();
    },
    assumeCustomer: async (d) => {
      await roles.customer(roleTargetOf(d));
    },
    probeDestination: (d) => probeDestination(d, clients),
  };
}
