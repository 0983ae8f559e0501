/**
 * A CloudFormation `AWS::CloudWatch::Dashboard`'s body (an `Fn::Sub` of
 * JSON, as cfn-lint decodes the template) with its variables filled in, and
 * the metrics each widget draws. Pure; shared by the render script and the
 * test that checks the dashboards name only metrics that exist.
 *
 * @module
 */

// deno-lint-ignore no-explicit-any
type Json = any;

/** The `Fn::Sub` of `template`'s `Dashboard` resource: its JSON text and variable map. */
export function dashboardSub(template: Json, resource = "Dashboard"): { text: string; vars: Record<string, Json> } {
  const dashboard = template.Resources?.[resource];
  if (dashboard?.Type !== "AWS::CloudWatch::Dashboard") throw new Error(`no AWS::CloudWatch::Dashboard ${resource}`);
  const sub = dashboard.Properties.DashboardBody["Fn::Sub"];
  const [text, vars] = Array.isArray(sub) ? sub : [sub, {}];
  return { text: String(text), vars: vars ?? {} };
}

/** The body with every `${Name}` replaced by `values[Name]` (a missing one is an error). */
export function resolveBody(text: string, values: Readonly<Record<string, string>>): Json {
  return JSON.parse(text.replace(/\$\{([\w:]+)\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`no value for \${${name}}`);
    return v;
  }));
}

/** One metric a widget draws: a metric of its own, or a `SEARCH` over metrics of one name. */
export type WidgetMetric =
  | {
    readonly kind: "metric";
    readonly namespace: string;
    readonly name: string;
    readonly dimensions: Readonly<Record<string, string>>;
    readonly stat: string;
    readonly label: string;
  }
  | {
    readonly kind: "search";
    readonly namespace: string;
    readonly name: string;
    /** The dimension names of the schema `{Namespace,Dim,…}`. */
    readonly dimensionNames: readonly string[];
    /** `Name="value"` filters besides the metric name. */
    readonly filters: Readonly<Record<string, string>>;
    readonly stat: string;
    readonly periodSeconds: number;
  };

const SEARCH = /^SEARCH\('\{([^}]+)\}((?:\s+\w+="[^"]*")+)',\s*'(\w+)',\s*(\d+)\)$/;

/** The metrics of one `metric` widget. */
export function widgetMetrics(widget: Json): WidgetMetric[] {
  const props = widget.properties ?? {};
  const out: WidgetMetric[] = [];
  for (const row of props.metrics ?? []) {
    const last = row.at(-1);
    const options = last !== null && typeof last === "object" ? last : {};
    if (typeof options.expression === "string") {
      const m = options.expression.match(SEARCH);
      if (!m) throw new Error(`unsupported expression: ${options.expression}`);
      const [namespace, ...dimensionNames] = m[1].split(",");
      const filters: Record<string, string> = {};
      for (const f of m[2].matchAll(/(\w+)="([^"]*)"/g)) filters[f[1]!] = f[2]!;
      const { MetricName: name, ...rest } = filters;
      out.push({
        kind: "search",
        namespace,
        name: name ?? "",
        dimensionNames,
        filters: rest,
        stat: m[3]!,
        periodSeconds: Number(m[4]),
      });
      continue;
    }
    const plain: string[] = options === last ? row.slice(0, -1) : row;
    const dimensions: Record<string, string> = {};
    for (let i = 2; i + 1 < plain.length; i += 2) dimensions[plain[i]!] = plain[i + 1]!;
    out.push({
      kind: "metric",
      namespace: plain[0]!,
      name: plain[1]!,
      dimensions,
      stat: options.stat ?? props.stat ?? "Average",
      label: options.label ?? plain[1]!,
    });
  }
  return out;
}
