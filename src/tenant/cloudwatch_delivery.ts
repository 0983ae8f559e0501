/**
 * The `cloudwatch` delivery type: events into a log group of the customer's
 * account (DESIGN 1.3 `log_group_name`, `retention_days`).
 *
 * @module
 */
import { logGroupNameProblem } from "../aws/name_rules.ts";
import { commonPrefix, type DeliveryBase, type DeliveryTypeSpec } from "./delivery_type.ts";

/** Delivery into a CloudWatch Logs group in the customer's account. */
export interface CloudWatchDelivery extends DeliveryBase {
  readonly type: "cloudwatch";
  readonly logGroupName: string;
  readonly retentionDays?: number;
}

/** Retention values CloudWatch Logs accepts (days). */
const RETENTION_DAYS = [
  1,
  3,
  5,
  7,
  14,
  30,
  60,
  90,
  120,
  150,
  180,
  365,
  400,
  545,
  731,
  1096,
  1827,
  2192,
  2557,
  2922,
  3288,
  3653,
];

/** The customer stack's default log retention (days). */
export const DEFAULT_CUSTOMER_RETENTION = 90;

/** The `cloudwatch` type. */
export const CLOUDWATCH_DELIVERY: DeliveryTypeSpec<CloudWatchDelivery> = {
  type: "cloudwatch",
  parse(item, base) {
    const logGroupName = item.text("log_group_name", true);
    const groupProblem = logGroupName === undefined ? undefined : logGroupNameProblem(logGroupName);
    item.check("log_group_name", logGroupName, { ok: !groupProblem, why: groupProblem ?? "" });
    let retentionDays: number | undefined;
    const r = item.raw("retention_days");
    if (r !== undefined && r !== null) {
      if (typeof r !== "number" || !RETENTION_DAYS.includes(r)) {
        item.problem(`retention_days ${JSON.stringify(r)} must be one of ${RETENTION_DAYS.join(", ")}`);
      } else retentionDays = r;
    }
    return {
      ...base,
      type: "cloudwatch",
      logGroupName: logGroupName ?? "",
      ...(retentionDays ? { retentionDays } : {}),
    };
  },
  describe: (d) => `cloudwatch:${d.logGroupName}${d.region ? `@${d.region}` : ""}`,
  stackParameters(groups) {
    const [first] = groups;
    if (!first) return { parameters: {}, warnings: [] };
    const prefix = commonPrefix(groups.map((g) => g.logGroupName));
    const parameters: Record<string, string> = { LogGroupPrefix: prefix || first.logGroupName };
    const warnings = prefix ? [] : ["the log groups share no common prefix; the stack grants the first one only"];
    if (groups.length === 1) {
      parameters.LogGroupName = first.logGroupName;
      parameters.LogRetentionDays = String(first.retentionDays ?? DEFAULT_CUSTOMER_RETENTION);
    }
    return { parameters, warnings };
  },
};
