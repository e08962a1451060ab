// JSON documents as values, and paths over them (RedisJSON's syntax):
// `$`-paths (JSONPath: `$.a`, `$..a`, `$.a[0]`, `$['a.b']`, `$.a[*]`,
// filters) select every match; legacy paths (`.a.b`, `a`, `.`) select one
// value. Evaluation is jsonpath-plus's; this module adds what RedisJSON has
// and it lacks (negative indexes, a strict syntax check) and the edits
// (set, delete, create a member whose parent exists). No storage, no RESP.
import { JSONPath } from "jsonpath-plus";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface JsonPath {
  /** As the client sent it (replies keyed by path use it). */
  readonly raw: string;
  /** True for paths without a leading `$`: they select one value, not an array of matches. */
  readonly legacy: boolean;
  /** The JSONPath expression evaluated (`$`-form). */
  readonly expression: string;
}

/** One selected value: where it sits (no parent for the root) and what it is. */
export interface Match {
  readonly value: Json;
  readonly parent: Json[] | JsonObject | undefined;
  readonly key: string | number | undefined;
}

/** Parses a path argument; undefined when it is not a valid path. */
export function parsePath(raw: string): JsonPath | undefined {
  let expression: string;
  let legacy = false;
  if (raw.startsWith("$")) expression = raw;
  else {
    legacy = true;
    if (raw === "." || raw === "") expression = "$";
    else if (raw.startsWith(".") || raw.startsWith("[")) expression = "$" + raw;
    else expression = "$." + raw;
  }
  if (!wellFormed(expression)) return undefined;
  return { raw, legacy, expression: withNegativeIndexes(expression) };
}

/** Brackets and quotes balanced, no empty member name, nothing dangling. */
function wellFormed(expression: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 1; i < expression.length; i++) {
    const c = expression[i]!;
    if (quote !== undefined) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === "[" || c === "(") depth++;
    else if (c === "]" || c === ")") {
      if (--depth < 0) return false;
    } else if (depth === 0 && c === "." && i === expression.length - 1) return false;
    else if (depth === 0 && /\s/.test(c)) return false;
  }
  if (expression.length > 1 && !/^[.[]/.test(expression.slice(1))) return false;
  return depth === 0 && quote === undefined;
}

/** jsonpath-plus has no `[-n]`: the one-element slice `[-n:-n+1]` selects the same element. */
function withNegativeIndexes(expression: string): string {
  return expression.replace(/\[\s*-(\d+)\s*\]/g, (_, n: string) => (n === "1" ? "[-1:]" : `[-${n}:-${Number(n) - 1}]`));
}

/** Every value `path` selects in `doc`, in document order. */
export function query(doc: Json, path: JsonPath): Match[] {
  if (path.expression === "$") return [{ value: doc, parent: undefined, key: undefined }];
  // jsonpath-plus answers undefined, not [], when the document is falsy (null, false, 0, "").
  const found = (JSONPath({ path: path.expression, json: doc as object, resultType: "all", wrap: true, eval: "safe" }) ?? []) as Array<{
    value: Json;
    parent: Json[] | JsonObject | null;
    parentProperty: string | number | null;
  }>;
  return found.map((m) => ({
    value: m.value,
    parent: m.parent ?? undefined,
    key: m.parent === null || m.parentProperty === null ? undefined : Array.isArray(m.parent) ? Number(m.parentProperty) : String(m.parentProperty),
  }));
}

/** Replaces the value at `match`; returns the new document (a new root when `match` is the root). */
export function replaceAt(doc: Json, match: Match, value: Json): Json {
  if (match.parent === undefined) return value;
  if (Array.isArray(match.parent)) match.parent[match.key as number] = value;
  else setMember(match.parent as JsonObject, String(match.key), value);
  return doc;
}

/**
 * Sets an object member as an own data property. Plain assignment would
 * treat a member named "__proto__" (which JSON.parse makes an ordinary
 * member) as the object's prototype.
 */
export function setMember(object: JsonObject, name: string, value: Json): void {
  Object.defineProperty(object, name, { value, writable: true, enumerable: true, configurable: true });
}

/** An object member, never an inherited property ("__proto__", "constructor"...). */
export function getMember(object: JsonObject, name: string): Json | undefined {
  return Object.hasOwn(object, name) ? object[name] : undefined;
}

/**
 * The parent path and member name of a path ending in a member
 * (`$.a.b`, `$.a['b.c']`), for creating that member; undefined otherwise.
 */
export function splitLastMember(path: JsonPath): { parent: JsonPath; member: string } | undefined {
  const e = path.expression;
  const dotted = /^(.*[^.])\.([A-Za-z_$][\w$]*)$/.exec(e);
  if (dotted && !dotted[1]!.endsWith(".")) return { parent: { ...path, expression: dotted[1]! }, member: dotted[2]! };
  const bracketed = /^(.*)\[\s*(['"])((?:\\.|(?!\2).)*)\2\s*\]$/.exec(e);
  if (bracketed && bracketed[1]!.length > 0 && !bracketed[1]!.endsWith("..")) {
    return { parent: { ...path, expression: bracketed[1]! }, member: bracketed[3]!.replace(/\\(.)/g, "$1") };
  }
  return undefined;
}

/** RedisJSON's type names. */
export function typeName(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "boolean":
      return "boolean";
    case "number":
      return Number.isInteger(value) ? "integer" : "number";
    case "string":
      return "string";
    default:
      return "object";
  }
}

export function isObject(value: Json): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Parses a JSON text; undefined when it is not valid JSON. */
export function parseJson(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

export interface Format {
  readonly indent: string;
  readonly newline: string;
  readonly space: string;
}

export const COMPACT: Format = { indent: "", newline: "", space: "" };

/** JSON text as RedisJSON writes it (compact by default; INDENT/NEWLINE/SPACE otherwise). */
export function serialize(value: Json, format: Format = COMPACT, level = 0): string {
  if (format === COMPACT || (format.indent === "" && format.newline === "" && format.space === "")) return JSON.stringify(value);
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const inner = format.newline + format.indent.repeat(level + 1);
  const close = format.newline + format.indent.repeat(level);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return "[" + value.map((v) => inner + serialize(v, format, level + 1)).join(",") + close + "]";
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  return "{" + entries.map(([k, v]) => inner + JSON.stringify(k) + ":" + format.space + serialize(v, format, level + 1)).join(",") + close + "}";
}

/** RFC 7396 merge patch (JSON.MERGE): null deletes a member, objects merge, anything else replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: JsonObject = isObject(target) ? target : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else setMember(out, k, mergePatch(getMember(out, k) ?? null, v));
  }
  return out;
}
