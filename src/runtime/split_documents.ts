/**
 * Splits text holding one or several JSON documents (concatenated, NDJSON or
 * pretty-printed) into the text of each. Pure; does not validate JSON.
 *
 * @module
 */

/** Returns the top-level JSON documents of `text`, as text. */
export function splitJsonDocuments(text: string): string[] {
  const docs: string[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (start === -1) {
      if (c === " " || c === "\n" || c === "\r" || c === "\t") continue;
      start = i;
    }
    if (inString) {
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    else if (depth === 0 && (c === "\n" || c === "\r")) {
      // A bare line outside any document: keep it so it is reported as invalid.
      docs.push(text.slice(start, i).trim());
      start = -1;
      continue;
    }
    if (depth === 0 && (c === "}" || c === "]")) {
      docs.push(text.slice(start, i + 1));
      start = -1;
    }
  }
  if (start !== -1 && text.slice(start).trim() !== "") docs.push(text.slice(start).trim());
  return docs;
}

/**
 * The SQS message bodies in one document: the bodies of a Lambda SQS event's
 * records, or the document itself.
 */
export function bodiesOf(document: string): string[] {
  try {
    const parsed = JSON.parse(document);
    const records = parsed?.Records;
    if (
      Array.isArray(records) && records.length > 0 &&
      records.every((r) => r?.eventSource === "aws:sqs" && typeof r.body === "string")
    ) {
      return records.map((r) => r.body as string);
    }
  } catch {
    // Not JSON: processing reports it as an invalid body.
  }
  return [document];
}
