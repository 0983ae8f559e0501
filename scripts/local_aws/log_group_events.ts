/**
 * Reads a whole CloudWatch Logs group back (every stream, every event, oldest
 * first), with the client of the account that owns it: how the tests and the
 * demo show what landed in a customer's account.
 *
 * @module
 */
import {
  type CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";

/** One event as read back. */
export interface LogEvent {
  readonly timestamp: number;
  readonly message: string;
}

/** Every event of `group` per stream name; empty when the group does not exist. */
export async function readLogGroupEvents(logs: CloudWatchLogsClient, group: string): Promise<Map<string, LogEvent[]>> {
  const out = new Map<string, LogEvent[]>();
  const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
  if (!groups.logGroups?.some((g) => g.logGroupName === group)) return out;
  let streamToken: string | undefined;
  do {
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, nextToken: streamToken }));
    for (const s of streams.logStreams ?? []) {
      const events: LogEvent[] = [];
      let token: string | undefined;
      while (true) {
        const page = await logs.send(
          new GetLogEventsCommand({
            logGroupName: group,
            logStreamName: s.logStreamName!,
            startFromHead: true,
            nextToken: token,
          }),
        );
        for (const e of page.events ?? []) events.push({ timestamp: e.timestamp!, message: e.message! });
        if (!page.nextForwardToken || page.nextForwardToken === token || (page.events ?? []).length === 0) break;
        token = page.nextForwardToken;
      }
      out.set(s.logStreamName!, events);
    }
    streamToken = streams.nextToken;
  } while (streamToken);
  return out;
}
