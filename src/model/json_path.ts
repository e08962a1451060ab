// JSON documents as values, and paths over them (RedisJSON's syntax):
// `$`-paths (JSONPath: `$.a`, `$..a`, `$.a[0]`, `$['a.b']`, `$.a[*]`,
// filters) select every match; legacy paths (`.a.b`, `a`, `.`) select one
// value. Our own parser (json_path_syntax.ts) and evaluator
// (json_path_eval.ts), bounded in work; this module adds the edits (set,
// delete, create a member whose parent exists). No storage, no RESP.
import { evaluate } from "./json_path_eval.ts";
import { parseSegments, PathSyntaxError, type Segment } from "./json_path_syntax.ts";
import { JSONPATH_MAX_STEPS } from "./limits.ts";
import { WorkBudget } from "./work_budget.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface JsonPath {
  /** As the client sent it (replies keyed by path use it). */
  readonly raw: string;
  /** True for paths without a leading `$`: they select one value, not an array of matches. */
  readonly legacy: boolean;
  /** The path in `$`-form (legacy paths rewritten), as errors name it. */
  readonly expression: string;
  readonly segments: readonly Segment[];
}

/** A path argument that is not a valid path, and why. */
export interface PathRefusal {
  readonly refused: string;
}

/** One selected value: where it sits (no parent for the root) and what it is. */
export interface Match {
  readonly value: Json;
  readonly parent: Json[] | JsonObject | undefined;
  readonly key: string | number | undefined;
}

/** Parses a path argument. */
export function parsePath(raw: string): JsonPath | PathRefusal {
  let expression: string;
  let legacy = false;
  if (raw.startsWith("$")) expression = raw;
  else {
    legacy = true;
    if (raw === "." || raw === "") expression = "$";
    else if (raw.startsWith(".") || raw.startsWith("[")) expression = "$" + raw;
    else expression = "$." + raw;
  }
  try {
    return { raw, legacy, expression, segments: parseSegments(expression) };
  } catch (error) {
    if (error instanceof PathSyntaxError) return { refused: error.message };
    throw error;
  }
}

export function isPathRefusal(path: JsonPath | PathRefusal): path is PathRefusal {
  return "refused" in path;
}

/** A fresh budget for the JSONPath work of one command (share it across that command's queries). */
export function pathBudget(): WorkBudget {
  return new WorkBudget(JSONPATH_MAX_STEPS);
}

/**
 * Every value `path` selects in `doc`, in document order. Throws
 * WorkBudgetExceeded (work_budget.ts) when the query costs more than `budget` allows.
 */
export function query(doc: Json, path: JsonPath, budget: WorkBudget = pathBudget()): Match[] {
  return evaluate(doc, path.segments, budget);
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
 * The parent path and member name of a path ending in one member
 * (`$.a.b`, `$.a['b.c']`), for creating that member; undefined otherwise.
 */
export function splitLastMember(path: JsonPath): { parent: JsonPath; member: string } | undefined {
  const last = path.segments[path.segments.length - 1];
  const only = last?.selectors.length === 1 ? last.selectors[0] : undefined;
  if (last === undefined || last.descendant || only?.kind !== "name") return undefined;
  const parent: JsonPath = { ...path, expression: path.expression.slice(0, last.at), segments: path.segments.slice(0, -1) };
  return { parent, member: only.name };
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
