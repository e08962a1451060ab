// Evaluates parsed JSONPath segments (json_path_syntax.ts) over a document
// with RedisJSON's semantics (its json_path crate), paying every visited
// value, filter test and regex step from a WorkBudget. Descent is iterative,
// so a deep document cannot overflow the stack.
import type { Json, JsonObject, Match } from "./json_path.ts";
import type { Filter, Operand, Segment, Selector } from "./json_path_syntax.ts";
import { compileRegex, type LinearRegex, regexMatches } from "./linear_regex.ts";
import type { WorkBudget } from "./work_budget.ts";

interface Context {
  readonly root: Json;
  readonly budget: WorkBudget;
  /** Patterns read from the document (`@.s =~ @.pattern`), compiled once per query; a string when refused. */
  readonly patterns: Map<string, LinearRegex | string>;
  /** `$…` operands in filters do not depend on the candidate: evaluated once. */
  readonly absolute: Map<Operand, Term>;
}

/** Every value `segments` select below `doc`, in document order. */
export function evaluate(doc: Json, segments: readonly Segment[], budget: WorkBudget): Match[] {
  const context: Context = { root: doc, budget, patterns: new Map(), absolute: new Map() };
  return select(context, [{ value: doc, parent: undefined, key: undefined }], segments);
}

function select(context: Context, start: Match[], segments: readonly Segment[]): Match[] {
  let current = start;
  for (const segment of segments) {
    const next: Match[] = [];
    for (const m of current) {
      if (!segment.descendant) applySelectors(context, m.value, segment.selectors, next);
      else descend(context, m.value, segment.selectors, next);
    }
    current = next;
  }
  return current;
}

/** Applies `selectors` to `value` and every value below it, parents before children, in document order. */
function descend(context: Context, value: Json, selectors: readonly Selector[], out: Match[]): void {
  const stack: Json[] = [value];
  while (stack.length > 0) {
    const v = stack.pop()!;
    context.budget.spend(1);
    applySelectors(context, v, selectors, out);
    if (v === null || typeof v !== "object") continue;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

function isContainer(v: Json): v is JsonObject | Json[] {
  return v !== null && typeof v === "object";
}

/** RedisJSON's index arithmetic: a negative index counts from the end and stops at 0; a large one stops at the length. */
function absoluteIndex(i: number, length: number): number {
  return i >= 0 ? Math.min(i, length) : Math.max(i + length, 0);
}

function applySelectors(context: Context, value: Json, selectors: readonly Selector[], out: Match[]): void {
  for (const selector of selectors) {
    context.budget.spend();
    switch (selector.kind) {
      case "name":
        if (isContainer(value) && !Array.isArray(value) && Object.hasOwn(value, selector.name)) {
          out.push({ value: value[selector.name]!, parent: value, key: selector.name });
        }
        break;
      case "index":
        if (Array.isArray(value)) {
          const i = absoluteIndex(selector.index, value.length);
          if (i < value.length) out.push({ value: value[i]!, parent: value, key: i });
        }
        break;
      case "slice":
        if (Array.isArray(value)) {
          const start = selector.start === undefined ? 0 : absoluteIndex(selector.start, value.length);
          const end = selector.end === undefined ? value.length : absoluteIndex(selector.end, value.length);
          for (let i = start; i < end; i += selector.step) {
            context.budget.spend();
            out.push({ value: value[i]!, parent: value, key: i });
          }
        }
        break;
      case "wildcard":
      case "filter": {
        if (value === null || typeof value !== "object") break;
        const filter = selector.kind === "filter" ? selector.test : undefined;
        if (Array.isArray(value)) {
          context.budget.spend(value.length);
          for (let i = 0; i < value.length; i++) {
            const v = value[i]!;
            if (filter === undefined || test(context, filter, v)) out.push({ value: v, parent: value, key: i });
          }
        } else {
          const keys = Object.keys(value);
          context.budget.spend(keys.length);
          for (const k of keys) {
            const v = value[k]!;
            if (filter === undefined || test(context, filter, v)) out.push({ value: v, parent: value, key: k });
          }
        }
        break;
      }
    }
  }
}

/**
 * A filter operand's value. A path gives a value only when it selects
 * exactly one (RedisJSON); otherwise, as for a missing member, `undefined`,
 * which compares false with everything (so `!=` is true).
 */
type Term = { readonly value: Json; readonly fromPath: boolean } | undefined;

function term(context: Context, operand: Operand, current: Json): Term {
  if (operand.kind === "literal") return { value: operand.value, fromPath: false };
  if (operand.from === "$") {
    if (context.absolute.has(operand)) return context.absolute.get(operand);
    const found = single(context, context.root, operand.segments);
    context.absolute.set(operand, found);
    return found;
  }
  return single(context, current, operand.segments);
}

function single(context: Context, from: Json, segments: readonly Segment[]): Term {
  const direct = walk(context, from, segments);
  if (direct !== WALK_UNSUPPORTED) return direct;
  const found = select(context, [{ value: from, parent: undefined, key: undefined }], segments);
  return found.length === 1 ? { value: found[0]!.value, fromPath: true } : undefined;
}

const WALK_UNSUPPORTED = Symbol("needs select");

/**
 * The common filter operand (`@`, `@.a.b`, `@['a'][0]`) read without
 * building match lists; WALK_UNSUPPORTED for any other shape.
 */
function walk(context: Context, from: Json, segments: readonly Segment[]): Term | typeof WALK_UNSUPPORTED {
  let v: Json = from;
  for (const segment of segments) {
    const selector = segment.selectors[0]!;
    if (segment.descendant || segment.selectors.length !== 1) return WALK_UNSUPPORTED;
    context.budget.spend(1);
    if (selector.kind === "name") {
      if (v === null || typeof v !== "object" || Array.isArray(v) || !Object.hasOwn(v, selector.name)) return undefined;
      v = v[selector.name]!;
    } else if (selector.kind === "index") {
      if (!Array.isArray(v)) return undefined;
      const i = absoluteIndex(selector.index, v.length);
      if (i >= v.length) return undefined;
      v = v[i]!;
    } else return WALK_UNSUPPORTED;
  }
  return { value: v, fromPath: true };
}

function test(context: Context, filter: Filter, current: Json): boolean {
  context.budget.spend();
  switch (filter.kind) {
    case "or":
      return filter.items.some((f) => test(context, f, current));
    case "and":
      return filter.items.every((f) => test(context, f, current));
    case "not":
      return !test(context, filter.item, current);
    case "exists":
      return term(context, filter.operand, current) !== undefined;
    case "compare": {
      const left = term(context, filter.left, current);
      const right = term(context, filter.right, current);
      switch (filter.op) {
        case "==":
          return equal(context, left, right);
        case "!=":
          return !equal(context, left, right);
        case "=~":
          return regexTest(context, left, right, filter.regex);
        default: {
          const order = compare(left, right);
          if (order === undefined) return false;
          return filter.op === "<" ? order < 0 : filter.op === "<=" ? order <= 0 : filter.op === ">" ? order > 0 : order >= 0;
        }
      }
    }
  }
}

/** Numbers with numbers, strings with strings, booleans with booleans, null with null; anything else is not comparable. */
function compare(a: Term, b: Term): number | undefined {
  if (a === undefined || b === undefined) return undefined;
  const [x, y] = [a.value, b.value];
  if (typeof x === "number" && typeof y === "number") return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === "string" && typeof y === "string") return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === "boolean" && typeof y === "boolean") return Number(x) - Number(y);
  if (x === null && y === null) return 0;
  return undefined;
}

/** Two values read from the document compare whole (arrays and objects too); otherwise as `compare`. */
function equal(context: Context, a: Term, b: Term): boolean {
  if (a !== undefined && b !== undefined && a.fromPath && b.fromPath) return deepEqual(context, a.value, b.value);
  return compare(a, b) === 0;
}

function deepEqual(context: Context, a: Json, b: Json): boolean {
  const pending: Array<[Json, Json]> = [[a, b]];
  while (pending.length > 0) {
    const [x, y] = pending.pop()!;
    context.budget.spend();
    if (x === y) continue;
    if (!isContainer(x) || !isContainer(y) || Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x)) {
      const ys = y as Json[];
      if (x.length !== ys.length) return false;
      x.forEach((v, i) => pending.push([v, ys[i]!]));
    } else {
      const xo = x as JsonObject;
      const yo = y as JsonObject;
      const keys = Object.keys(xo);
      if (keys.length !== Object.keys(yo).length) return false;
      for (const k of keys) {
        if (!Object.hasOwn(yo, k)) return false;
        pending.push([xo[k]!, yo[k]!]);
      }
    }
  }
  return true;
}

/** `=~`: the left side a string from the document, the pattern a string literal (compiled at parse) or a string from the document. */
function regexTest(context: Context, left: Term, right: Term, compiled: LinearRegex | undefined): boolean {
  if (left === undefined || !left.fromPath || typeof left.value !== "string") return false;
  let regex = compiled;
  if (regex === undefined) {
    if (right === undefined || !right.fromPath || typeof right.value !== "string") return false;
    const pattern = right.value;
    let cached = context.patterns.get(pattern);
    if (cached === undefined) {
      // Compiling is linear in the (capped) pattern length; an uncompilable pattern simply does not match, as in RedisJSON.
      context.budget.spend(Math.min(pattern.length, 1024));
      cached = compileRegex(pattern);
      context.patterns.set(pattern, cached);
    }
    if (typeof cached === "string") return false;
    regex = cached;
  }
  return regexMatches(regex, left.value, context.budget);
}
