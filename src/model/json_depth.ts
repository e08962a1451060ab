// The nesting limit of JSON values, checked on the text before it is parsed:
// JSON.parse, JSON.stringify and every recursive walk of a document would
// otherwise meet a 10,000-level value with "Maximum call stack size exceeded".
import { JSON_MAX_NESTING_DEPTH } from "./limits.ts";

/** Where a JSON text opens its JSON_MAX_NESTING_DEPTH-th nested array or object (1-based, as serde_json reports it); undefined when it stays below. */
export function nestingOverflow(text: string, limit: number = JSON_MAX_NESTING_DEPTH): { line: number; column: number } | undefined {
  let depth = 0;
  let inString = false;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth >= limit) return { line, column: i - lineStart + 1 };
    } else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return undefined;
}
