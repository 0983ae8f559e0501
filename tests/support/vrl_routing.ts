/**
 * A static check of a VRL remap program for the routing guarantee: the
 * routing fields are assigned last, from local values that no part of the log
 * line can reach. There is no VRL interpreter here, so this reads the program:
 * it splits statements, finds assignments, and follows which values derive
 * from the log line (`.message`, `parse_*`/`decode_*` results, and anything
 * assigned from those) — conservatively: a statement that assigns several
 * targets taints all of them if any part of it is tainted.
 *
 * @module
 */

/** One assignment found in the program. */
export interface VrlAssignment {
  /** Targets as written: `.customer_id`, `customer_id`, `.`, `parsed`, `err`. */
  readonly targets: string[];
  /** The text after `=` up to the end of its top-level statement. */
  readonly expression: string;
  /** Index of the top-level statement it belongs to. */
  readonly statement: number;
}

/** Replaces comments by spaces and string contents by `x`, keeping offsets. */
export function maskVrl(source: string): string {
  const out = source.split("");
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === "#") {
      while (i < source.length && source[i] !== "\n") out[i++] = " ";
    } else if (c === '"') {
      i++;
      while (i < source.length && source[i] !== '"') {
        if (source[i] === "\\") out[i++] = "x";
        if (i < source.length && source[i] !== "\n") out[i] = "x";
        i++;
      }
      i++;
    } else if (c === "'" && /[rst]/.test(source[i - 1] ?? "")) {
      i++;
      while (i < source.length && source[i] !== "'") {
        if (source[i] === "\\") out[i++] = "x";
        if (i < source.length) out[i] = "x";
        i++;
      }
      i++;
    } else {
      i++;
    }
  }
  return out.join("");
}

const CONTINUES = /(\|\||&&|\?\?|[+\-*\/,=|(\[{])\s*$/;

/** Top-level statements as [start, end) offsets of the source. */
export function vrlStatements(source: string): { start: number; end: number; text: string }[] {
  const masked = maskVrl(source);
  const out: { start: number; end: number; text: string }[] = [];
  let depth = 0;
  let start = 0;
  const close = (end: number) => {
    const text = source.slice(start, end);
    const code = masked.slice(start, end).trim();
    if (code !== "") {
      // `}` followed by `else` on the next line continues an `if`.
      const previous = out.at(-1);
      if (previous && /^else\b/.test(code)) {
        previous.end = end;
        previous.text = source.slice(previous.start, end);
      } else out.push({ start, end, text });
    }
    start = end + 1;
  };
  for (let i = 0; i < masked.length; i++) {
    const c = masked[i];
    if ("([{".includes(c!)) depth++;
    else if (")]}".includes(c!)) depth--;
    else if ((c === "\n" || c === ";") && depth === 0) {
      if (c === "\n" && CONTINUES.test(masked.slice(start, i))) continue;
      close(i);
    }
  }
  close(masked.length);
  return out;
}

const TARGET = String.raw`(?:\.(?:[A-Za-z_][\w]*|"x*")?(?:\.(?:[A-Za-z_][\w]*|"x*"))*|[A-Za-z_]\w*)`;
const ASSIGNMENT = new RegExp(String.raw`(?<![\w.!<>=|"])(${TARGET}(?:\s*,\s*${TARGET})*)\s*\|?=(?![=~>])`, "g");

/** Every assignment of the program (also those nested in blocks). */
export function vrlAssignments(source: string): VrlAssignment[] {
  const masked = maskVrl(source);
  const out: VrlAssignment[] = [];
  vrlStatements(source).forEach(({ start, end }, statement) => {
    const code = masked.slice(start, end);
    for (const m of code.matchAll(ASSIGNMENT)) {
      const from = m.index!;
      const targets = source.slice(start + from, start + from + m[1]!.length).split(",").map((t) => t.trim());
      if (targets.some((t) => /^(if|else|abort|null|true|false)$/.test(t))) continue;
      const after = from + m[0].length;
      out.push({ targets, expression: source.slice(start + after, end).trim(), statement });
    }
  });
  return out;
}

const LINE_DERIVED = /\.message\b|\b(parse_\w+|decode_\w+)\s*!?\s*\(/;
const EVENT_PATH = /(?<![\w)\]"])\.(?:[A-Za-z_]\w*|"[^"]*")/g;

/** Top-level event field names an expression reads (`.kubernetes.pod_name` → `kubernetes`). */
function readFields(expression: string): Set<string> {
  const masked = maskVrl(expression);
  const names = new Set<string>();
  for (const m of masked.matchAll(EVENT_PATH)) {
    names.add(expression.slice(m.index! + 1, m.index! + m[0].length).replaceAll('"', ""));
  }
  return names;
}

function fieldOf(target: string): string | undefined {
  const m = target.match(/^\.("?)([^."]*)\1/);
  return m ? m[2] : undefined;
}

/**
 * Ways in which `source` breaks the routing guarantee for `routingFields`
 * (empty when it holds): each routing field is assigned exactly once, by the
 * last statements of the program, from a plain local variable; nothing
 * replaces the event root; and no routing value derives from the log line.
 */
export function routingViolations(source: string, routingFields: readonly string[]): string[] {
  const problems: string[] = [];
  const statements = vrlStatements(source);
  const assignments = vrlAssignments(source);

  for (const a of assignments) {
    if (a.targets.includes(".")) {
      problems.push(`statement ${a.statement + 1} replaces the whole event (". ${"="} ${a.expression.slice(0, 40)}")`);
    }
  }

  const sources = new Map<string, string>();
  for (const field of routingFields) {
    const writes = assignments.filter((a) => a.targets.some((t) => fieldOf(t) === field));
    if (writes.length !== 1) {
      problems.push(`.${field} is assigned ${writes.length} times (expected once)`);
      continue;
    }
    const [write] = writes;
    const variable = write!.expression.match(/^[A-Za-z_]\w*$/)?.[0];
    if (write!.targets.length !== 1 || write!.targets[0] !== `.${field}` || !variable) {
      problems.push(`.${field} must be assigned a local variable on its own ("${statements[write!.statement]!.text}")`);
      continue;
    }
    if (write!.statement < statements.length - routingFields.length) {
      problems.push(`.${field} is assigned before the end of the program (statement ${write!.statement + 1})`);
    }
    sources.set(field, variable);
  }
  const tail = statements.slice(-routingFields.length);
  for (const s of tail) {
    if (!/^\s*\.[A-Za-z_]\w*\s*=\s*[A-Za-z_]\w*\s*$/.test(maskVrl(s.text))) {
      problems.push(`the program must end with the routing assignments, found "${s.text.trim()}"`);
    }
  }

  // Taint: variables and event fields whose value may come from the log line.
  const taintedVars = new Set<string>();
  const taintedFields = new Set<string>();
  let rootTainted = false;
  const isTainted = (expression: string) => {
    if (LINE_DERIVED.test(maskVrl(expression)) || rootTainted) return true;
    for (const v of taintedVars) if (new RegExp(String.raw`(?<![\w.])${v}\b`).test(maskVrl(expression))) return true;
    for (const f of readFields(expression)) if (taintedFields.has(f)) return true;
    return false;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const a of assignments) {
      if (!isTainted(statements[a.statement]!.text)) continue;
      for (const t of a.targets) {
        const field = fieldOf(t);
        if (t === ".") {
          if (!rootTainted) changed = rootTainted = true;
        } else if (field !== undefined) {
          if (!taintedFields.has(field)) changed = !!taintedFields.add(field);
        } else if (!taintedVars.has(t)) changed = !!taintedVars.add(t);
      }
    }
  }
  for (const [field, variable] of sources) {
    if (taintedVars.has(variable)) {
      problems.push(`.${field} comes from "${variable}", which may derive from the log line`);
    }
  }
  return problems;
}
