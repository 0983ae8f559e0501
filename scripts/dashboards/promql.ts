/**
 * The small part of PromQL the Grafana dashboard uses, parsed: selectors
 * with `=`, `!=`, `=~`, `!~` matchers, `rate(…[range])`,
 * `sum|max|min|avg [by (…)] (…)` and `histogram_quantile(φ, …)`; and the
 * metrics an expression names. {@link evaluate} (promql_eval.ts) runs them
 * over recorded scrapes. Pure.
 *
 * @module
 */

/** Label name → value. */
export type Labels = Readonly<Record<string, string>>;

/** A parsed expression. */
export type Expr =
  | { readonly kind: "number"; readonly value: number }
  | {
    readonly kind: "selector";
    readonly name: string;
    readonly matchers: readonly Matcher[];
    readonly rangeMs?: number;
  }
  | { readonly kind: "rate"; readonly arg: Expr }
  | {
    readonly kind: "aggregate";
    readonly op: "sum" | "max" | "min" | "avg";
    readonly by?: readonly string[];
    readonly arg: Expr;
  }
  | { readonly kind: "quantile"; readonly q: number; readonly arg: Expr };

/** One label matcher of a selector. */
export interface Matcher {
  readonly label: string;
  readonly op: "=" | "!=" | "=~" | "!~";
  readonly value: string;
}

const TOKEN = /\s*(?:(\d+(?:\.\d+)?(?:ms|s|m|h|d)?)|([A-Za-z_:][\w:]*)|("(?:[^"\\]|\\.)*")|(=~|!~|!=|[(){}\[\],=]))/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`cannot read PromQL at ${at}: ${JSON.stringify(text.slice(at, at + 20))}`);
    tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4]!);
  }
  return tokens;
}

const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `5m` → 300000. */
export function durationMs(text: string): number {
  const m = text.match(/^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/);
  if (!m) throw new Error(`not a duration: ${text}`);
  return Number(m[1]) * DURATION_MS[m[2]!]!;
}

/** Parses one expression of the supported subset. */
export function parsePromql(text: string): Expr {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const next = () => {
    const t = tokens[i++];
    if (t === undefined) throw new Error(`unexpected end of ${JSON.stringify(text)}`);
    return t;
  };
  const expect = (t: string) => {
    const got = next();
    if (got !== t) throw new Error(`expected ${t}, got ${got} in ${JSON.stringify(text)}`);
  };
  const labelList = (): string[] => {
    expect("(");
    const out: string[] = [];
    while (peek() !== ")") {
      out.push(next());
      if (peek() === ",") next();
    }
    expect(")");
    return out;
  };
  const expr = (): Expr => {
    const t = next();
    if (/^\d/.test(t)) return { kind: "number", value: Number(t) };
    if (t === "rate") {
      expect("(");
      const arg = expr();
      expect(")");
      return { kind: "rate", arg };
    }
    if (t === "histogram_quantile") {
      expect("(");
      const q = expr();
      if (q.kind !== "number") throw new Error("histogram_quantile needs a number first");
      expect(",");
      const arg = expr();
      expect(")");
      return { kind: "quantile", q: q.value, arg };
    }
    if (t === "sum" || t === "max" || t === "min" || t === "avg") {
      const by = peek() === "by" ? (next(), labelList()) : undefined;
      expect("(");
      const arg = expr();
      expect(")");
      return { kind: "aggregate", op: t, by, arg };
    }
    const matchers: Matcher[] = [];
    if (peek() === "{") {
      next();
      while (peek() !== "}") {
        const label = next();
        const op = next() as Matcher["op"];
        const value = JSON.parse(next());
        matchers.push({ label, op, value });
        if (peek() === ",") next();
      }
      expect("}");
    }
    let rangeMs: number | undefined;
    if (peek() === "[") {
      next();
      rangeMs = durationMs(next());
      expect("]");
    }
    return { kind: "selector", name: t, matchers, rangeMs };
  };
  const parsed = expr();
  if (i !== tokens.length) throw new Error(`unexpected ${tokens[i]} in ${JSON.stringify(text)}`);
  return parsed;
}

/** Every metric name `expr` selects. */
export function metricNames(expr: Expr): string[] {
  switch (expr.kind) {
    case "number":
      return [];
    case "selector":
      return [expr.name];
    default:
      return metricNames(expr.arg);
  }
}
