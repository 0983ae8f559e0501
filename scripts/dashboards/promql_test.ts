import { deepStrictEqual, ok, throws } from "node:assert/strict";
import { metricNames, parsePromql } from "./promql.ts";
import { bucketQuantile, evaluate, legend } from "./promql_eval.ts";
import { familyNames, parsePrometheusText, Recording } from "./prometheus_text.ts";

Deno.test("parsePromql reads the dashboard's forms and names their metrics", () => {
  const e = parsePromql(
    'histogram_quantile(0.99, sum by (pod, le) (rate(log_processor_x_seconds_bucket{job=~".*",outcome="delivered"}[1m])))',
  );
  deepStrictEqual(metricNames(e), ["log_processor_x_seconds_bucket"]);
  deepStrictEqual(e.kind === "quantile" && e.arg.kind === "aggregate" ? e.arg.by : undefined, ["pod", "le"]);
  deepStrictEqual(metricNames(parsePromql("max(up)")), ["up"]);
  throws(() => parsePromql("rate(x[5m]) + 1"), /unexpected \+|cannot read/);
});

Deno.test("rate, sum by and histogram_quantile over recorded scrapes", () => {
  const rec = new Recording();
  const scrape = (t: number, delivered: number, b1: number, b2: number, inf: number) =>
    rec.add(
      t,
      parsePrometheusText([
        `x_total{outcome="delivered"} ${delivered}`,
        `x_total{outcome="skipped"} 1`,
        `h_bucket{le="1"} ${b1}`,
        `h_bucket{le="10"} ${b2}`,
        `h_bucket{le="+Inf"} ${inf}`,
      ].join("\n")),
    );
  scrape(0, 0, 0, 0, 0);
  scrape(10_000, 20, 5, 10, 10);
  scrape(20_000, 40, 10, 20, 20);
  const at = (q: string, t = 20_000) => evaluate(parsePromql(q), rec.series(), t);
  deepStrictEqual(at('sum by (outcome) (rate(x_total{outcome!="skipped"}[30s]))'), [
    { labels: { outcome: "delivered" }, value: 2 },
  ]);
  deepStrictEqual(at("sum(rate(x_total[30s]))"), [{ labels: {}, value: 2 }]);
  // Half the observations are at or below 1 s: p50 is 1; p75 lies halfway into the (1, 10] bucket.
  deepStrictEqual(at("histogram_quantile(0.5, sum by (le) (rate(h_bucket[30s])))"), [{ labels: {}, value: 1 }]);
  deepStrictEqual(at("histogram_quantile(0.75, sum by (le) (rate(h_bucket[30s])))"), [{ labels: {}, value: 5.5 }]);
  deepStrictEqual(at("histogram_quantile(0.5, sum by (le) (rate(h_bucket[30s])))", 5_000), [], "one sample: no rate");
});

Deno.test("bucketQuantile: the +Inf bucket gives the highest finite bound; no observations, no value", () => {
  deepStrictEqual(bucketQuantile(0.99, [[1, 0], [10, 0], [Number.POSITIVE_INFINITY, 5]]), 10);
  ok(Number.isNaN(bucketQuantile(0.5, [[1, 0], [Number.POSITIVE_INFINITY, 0]])));
  ok(Number.isNaN(bucketQuantile(0.5, [[1, 3], [10, 4]])), "no +Inf bucket");
});

Deno.test("Prometheus text: labels with escapes, infinities, TYPE lines; legends", () => {
  const text = '# TYPE a_total counter\na_total{code="x\\"y",le="+Inf"} +Inf\nb 1.5\n';
  deepStrictEqual(parsePrometheusText(text), [
    { name: "a_total", labels: { code: 'x"y', le: "+Inf" }, value: Number.POSITIVE_INFINITY },
    { name: "b", labels: {}, value: 1.5 },
  ]);
  deepStrictEqual([...familyNames(text)], [["a_total", "counter"]]);
  deepStrictEqual(legend("{{class}} {{code}}", { class: "permanent", code: "InvalidKey" }), "permanent InvalidKey");
  deepStrictEqual(legend("{{pod}}", {}), "");
});
