/**
 * The edge of the `cloudwatch` delivery type: its sink (the native engine,
 * or Vector with `CLOUDWATCH_ENGINE=vector`) and its probe (DescribeLogStreams).
 *
 * @module
 */
import { DescribeLogStreamsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { classifyAwsError } from "../../aws/classify_error.ts";
import { roleTargetOf } from "../../aws/destination_clients.ts";
import type { CloudWatchDelivery } from "../../tenant/delivery.ts";
import { type Destination, probeFailure } from "../destination.ts";
import { VectorSink } from "../vector/vector_sink.ts";
import { CloudWatchSink } from "./cloudwatch_sink.ts";
import { SdkLogsWriter } from "./logs_writer.ts";

/** The `cloudwatch` destination. */
export const CLOUDWATCH_DESTINATION: Destination<CloudWatchDelivery> = {
  sink(delivery, object, context) {
    const { retry, logger, maxBatchSize, onCredentialsExpired } = context;
    if (context.cloudWatchEngine === "vector") {
      return new VectorSink(delivery, object.path, {
        ...context.vector,
        maxBatchSize,
        retry,
        region: context.region,
        endpointUrl: context.endpointUrl,
        credentials: (d) => context.roles.customer(roleTargetOf(d)),
        logger,
        onCredentialsExpired,
      });
    }
    const writer = new SdkLogsWriter(context.clients.logs(delivery));
    return new CloudWatchSink(delivery, {
      path: object.path,
      writer,
      maxBatchSize,
      retry,
      logger,
      onCredentialsExpired,
    });
  },
  async probe(delivery, clients) {
    const where = delivery.region ? ` in ${delivery.region}` : "";
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
      throw probeFailure(`DescribeLogStreams on ${delivery.logGroupName}${where}`, err);
    }
  },
};
