/**
 * What deploy.sh needs to know of a CloudFormation template without calling
 * CloudFormation: its parameter names and its resources. Parses the YAML with
 * the short-form intrinsic tags (`!Ref`, `!Sub`, `!If`, …) as plain values.
 * Pure.
 *
 * @module
 */
import { type CollectionTag, parse, type ScalarTag } from "yaml";

const INTRINSICS = [
  "And",
  "Base64",
  "Cidr",
  "Condition",
  "Equals",
  "FindInMap",
  "GetAtt",
  "GetAZs",
  "If",
  "ImportValue",
  "Join",
  "Not",
  "Or",
  "Ref",
  "Select",
  "Split",
  "Sub",
  "Transform",
];

/** Each intrinsic tag on a scalar, a sequence or a mapping becomes `{ "Fn::Name": value }` (`Ref` stays `Ref`). */
const CFN_TAGS: (ScalarTag | CollectionTag)[] = INTRINSICS.flatMap((name) => {
  const key = name === "Ref" || name === "Condition" ? name : `Fn::${name}`;
  const wrap = (value: unknown) => ({ [key]: value });
  return [
    { tag: `!${name}`, resolve: (s: string) => wrap(s) } as ScalarTag,
    { tag: `!${name}`, collection: "seq", resolve: (seq) => wrap(seq.toJSON()) } as CollectionTag,
    { tag: `!${name}`, collection: "map", resolve: (map) => wrap(map.toJSON()) } as CollectionTag,
  ];
});

/** One resource of a template. */
export interface TemplateResource {
  readonly logicalId: string;
  readonly type: string;
  /** The condition it is created under, if any. */
  readonly condition?: string;
}

/** A template's parameters and resources. */
export interface TemplateSummary {
  readonly parameters: readonly string[];
  readonly resources: readonly TemplateResource[];
}

/** Summarizes a template's YAML text; throws when it is not a template. */
export function summarizeTemplate(text: string): TemplateSummary {
  const t = parse(text, { customTags: CFN_TAGS }) as Record<string, Record<string, Record<string, unknown>>>;
  if (!t || typeof t.Resources !== "object") throw new Error("not a CloudFormation template (no Resources)");
  return {
    parameters: Object.keys(t.Parameters ?? {}),
    resources: Object.entries(t.Resources).map(([logicalId, r]) => ({
      logicalId,
      type: String(r.Type),
      ...(typeof r.Condition === "string" ? { condition: r.Condition } : {}),
    })),
  };
}
