// JSON commands (RedisJSON 2.x reply shapes) over documents stored as
// strings (model/json.ts). A `$` path answers for every match (arrays, nil
// where a match has the wrong type); a legacy path (`.a`, `a`, `.`) answers
// for the first match and fails when nothing matches or the type is wrong.
import * as json from "../../model/json.ts";
import { nestingOverflow } from "../../model/json_depth.ts";
import { serializedSize } from "../../model/json_reply_size.ts";
import { JSON_MAX_NESTING_DEPTH, JSON_MAX_REPLY_BYTES, JSONPATH_MAX_STEPS } from "../../model/limits.ts";
import { WorkBudgetExceeded } from "../../model/work_budget.ts";
import {
  type Format,
  type Json,
  type JsonObject,
  type JsonPath,
  type Match,
  COMPACT,
  isObject,
  isPathRefusal,
  mergePatch,
  parseJson,
  parsePath,
  pathBudget,
  query,
  replaceAt,
  serialize,
  setMember,
  splitLastMember,
  typeName,
} from "../../model/json_path.ts";
import type { Meta } from "../../model/meta.ts";
import { ErrorReply, OK, type Reply, SimpleString } from "../../resp/reply.ts";
import { key, multiple, oneOf, optional, string, token, withToken } from "../arguments.ts";
import { text } from "../args.ts";
import { ArgumentReader } from "../argument_reader.ts";
import {
  JSON_INVALID,
  JSON_NEW_NOT_AT_ROOT,
  JSON_NOT_A_DOCUMENT,
  JSON_NUMBER_NOT_FINITE,
  JSON_STACK_EXHAUSTED,
  JSON_TOO_LARGE,
  jsonEditTooDeep,
  jsonInvalidPath,
  jsonPathMissing,
  jsonPathTooCostly,
  jsonRecursionLimit,
  jsonReplyTooLarge,
  jsonStoredTooDeep,
  jsonWrongPathType,
  SYNTAX,
  WRONGTYPE,
} from "../errors.ts";
import { type CommandSpec, defineCommand, type TxContext } from "../spec.ts";

const KEY1 = { first: 1, last: 1, step: 1 } as const;

/** The error for a status; TOO_DEEP means a stored document when reading, an edited one when writing. */
function statusError(status: json.JsonStatus, writing = false): ErrorReply {
  switch (status) {
    case "WRONGTYPE":
      return WRONGTYPE;
    case "NOT_JSON":
      return JSON_NOT_A_DOCUMENT;
    case "TOO_LARGE":
      return JSON_TOO_LARGE;
    case "TOO_DEEP":
      return writing ? jsonEditTooDeep(JSON_MAX_NESTING_DEPTH) : jsonStoredTooDeep(JSON_MAX_NESTING_DEPTH);
  }
}

function pathOf(raw: Uint8Array | undefined, fallback: string): JsonPath | ErrorReply {
  const source = raw === undefined ? fallback : text(raw);
  const path = parsePath(source);
  return isPathRefusal(path) ? jsonInvalidPath(source, path.refused) : path;
}

/** A JSON argument; its nesting is checked on the text first, so JSON.parse never meets a 10,000-level value. */
function valueOf(raw: Uint8Array): Json | ErrorReply {
  const source = text(raw);
  const overflow = nestingOverflow(source);
  if (overflow !== undefined) return jsonRecursionLimit(overflow.line, overflow.column, JSON_MAX_NESTING_DEPTH);
  const value = parseJson(source);
  return value === undefined ? JSON_INVALID : value;
}

/** The JSON text of a reply, refused before it is built when it would pass JSON_MAX_REPLY_BYTES. */
function boundedSerialize(value: Json, format: Format = COMPACT): string | ErrorReply {
  if (serializedSize(value, format, JSON_MAX_REPLY_BYTES) > JSON_MAX_REPLY_BYTES) return jsonReplyTooLarge(JSON_MAX_REPLY_BYTES);
  return serialize(value, format);
}

/** The path as RedisJSON names it in errors: `$`-form. */
function shown(path: JsonPath): string {
  return path.legacy ? path.expression : path.raw;
}

async function load({ tx, ks, nowMs }: TxContext, k: Uint8Array): Promise<Json | undefined | ErrorReply> {
  const loaded = await json.readDocument(tx, ks, k, nowMs);
  return typeof loaded === "string" ? statusError(loaded) : loaded?.doc;
}

async function loadForUpdate(ctx: TxContext, k: Uint8Array): Promise<{ meta: Meta | undefined; doc: Json | undefined } | ErrorReply> {
  const loaded = await json.readDocumentForUpdate(ctx.tx, ctx.ks, k, ctx.nowMs);
  return typeof loaded === "string" ? statusError(loaded) : loaded;
}

/**
 * Writes the changed document, then reports `event`: RedisJSON's keyspace
 * events are module events (class `d`) named after the command, `json.set`...
 */
function store(ctx: TxContext, k: Uint8Array, change: { readonly meta: Meta | undefined; readonly doc: Json; readonly event: JsonEvent }): ErrorReply | undefined {
  const result = json.writeDocument(ctx.tx, ctx.ks, k, { meta: change.meta, doc: change.doc });
  if (result !== undefined) return statusError(result, true);
  ctx.ks.notify("d", change.event, k);
  return undefined;
}

/** The keyspace events of the JSON commands that write, as RedisJSON names them (JSON.FORGET reports json.del). */
type JsonEvent = "json.set" | "json.del" | "json.arrappend" | "json.numincrby" | "json.toggle" | "json.clear" | "json.merge";

function clone(value: Json): Json {
  return value === null || typeof value !== "object" ? value : (JSON.parse(JSON.stringify(value)) as Json);
}

// ---------------------------------------------------------------- JSON.SET

interface SetArgs {
  readonly key: Uint8Array;
  readonly path: JsonPath;
  readonly value: Json;
  readonly condition: "NX" | "XX" | undefined;
}

const jsonSet = defineCommand({
  name: "json.set",
  arity: -4,
  flags: ["write", "denyoom"],
  keys: KEY1,
  group: "json",
  summary: "Sets the JSON value at a path: creates the document at the root, replaces matches, or adds a member whose parent exists.",
  since: "1.0.0",
  complexity: "O(M+N) where M is the size of the document and N the size of the value",
  arguments: [key("key"), string("path"), string("value"), optional(oneOf("condition", token("NX"), token("XX")))],
  access: "write",
  parse(argv): SetArgs | ErrorReply {
    const args = new ArgumentReader(argv);
    const key = args.key();
    const rawPath = args.bytes();
    const rawValue = args.bytes();
    // RedisJSON checks the condition before the path and the value.
    if (args.left > 1) return SYNTAX;
    const condition = args.atEnd ? undefined : args.oneOf("NX", "XX");
    if (args.error) return args.error;
    const path = pathOf(rawPath, "$");
    if (path instanceof ErrorReply) return path;
    const value = valueOf(rawValue);
    if (value instanceof ErrorReply) return value;
    return { key, path, value, condition };
  },
  async exec(ctx, args): Promise<Reply> {
    const loaded = await loadForUpdate(ctx, args.key);
    if (loaded instanceof ErrorReply) return loaded;
    const { meta, doc } = loaded;
    if (doc === undefined) {
      if (args.path.expression !== "$") return JSON_NEW_NOT_AT_ROOT;
      if (args.condition === "XX") return null;
      return store(ctx, args.key, { meta, doc: args.value, event: "json.set" }) ?? OK;
    }
    const matches = query(doc, args.path);
    let next = doc;
    if (matches.length > 0) {
      if (args.condition === "NX") return null;
      for (const m of matches) next = replaceAt(next, m, clone(args.value));
    } else {
      if (args.condition === "XX") return null;
      const split = splitLastMember(args.path);
      const parents = split === undefined ? [] : query(doc, split.parent).filter((m) => isObject(m.value));
      if (parents.length === 0) return args.path.legacy ? jsonPathMissing(shown(args.path)) : null;
      for (const p of parents) setMember(p.value as JsonObject, split!.member, clone(args.value));
    }
    return store(ctx, args.key, { meta, doc: next, event: "json.set" }) ?? OK;
  },
});

// ---------------------------------------------------------------- JSON.GET

interface GetArgs {
  readonly key: Uint8Array;
  readonly format: Format;
  readonly paths: readonly JsonPath[];
}

/** JSON.GET key [INDENT indent] [NEWLINE newline] [SPACE space] [path ...]: the format options come first. */
function parseGet(argv: readonly Uint8Array[]): GetArgs | ErrorReply {
  const args = new ArgumentReader(argv);
  const key = args.key();
  const format = { indent: "", newline: "", space: "" };
  while (!args.atEnd) {
    const option = args.token("INDENT") ? "indent" : args.token("NEWLINE") ? "newline" : args.token("SPACE") ? "space" : undefined;
    if (option === undefined) break;
    if (args.atEnd) return SYNTAX;
    format[option] = text(args.bytes());
  }
  const paths: JsonPath[] = [];
  for (const raw of args.rest()) {
    const path = pathOf(raw, ".");
    if (path instanceof ErrorReply) return path;
    paths.push(path);
  }
  if (paths.length === 0) paths.push(parsePath(".") as JsonPath);
  return { key, format, paths };
}

const jsonGet = defineCommand({
  name: "json.get",
  arity: -2,
  flags: ["readonly"],
  keys: KEY1,
  group: "json",
  summary: "Returns the JSON text at one or more paths; several paths give an object keyed by path.",
  since: "1.0.0",
  complexity: "O(N) where N is the size of the document",
  arguments: [
    key("key"),
    optional(withToken("INDENT", string("indent"))),
    optional(withToken("NEWLINE", string("newline"))),
    optional(withToken("SPACE", string("space"))),
    optional(multiple(string("path"))),
  ],
  access: "read",
  parse: parseGet,
  async exec(ctx, args): Promise<Reply> {
    const doc = await load(ctx, args.key);
    if (doc === undefined || doc instanceof ErrorReply) return doc ?? null;
    const format = args.format.indent === "" && args.format.newline === "" && args.format.space === "" ? COMPACT : args.format;
    const allLegacy = args.paths.every((p) => p.legacy);
    const results: Json[] = [];
    const budget = pathBudget();
    for (const path of args.paths) {
      const values = query(doc, path, budget).map((m) => m.value);
      if (!allLegacy) results.push(values);
      else if (values.length === 0) return jsonPathMissing(shown(path));
      else results.push(values[0]!);
    }
    if (args.paths.length === 1) return boundedSerialize(results[0]!, format);
    const keyed: Record<string, Json> = {};
    args.paths.forEach((p, i) => setMember(keyed, p.raw, results[i]!));
    return boundedSerialize(keyed, format);
  },
});

// ---------------------------------------------------------------- JSON.DEL / JSON.FORGET

function deleteCommand(name: string, summary: string): CommandSpec {
  return defineCommand({
    name,
    arity: -2,
    flags: ["write"],
    keys: KEY1,
    group: "json",
    summary,
    since: "1.0.0",
    complexity: "O(N) where N is the size of the document",
    arguments: [key("key"), optional(string("path"))],
    access: "write",
    parse: (argv) => parseKeyPath(argv, "$"),
    async exec(ctx, args: { key: Uint8Array; path: JsonPath }): Promise<Reply> {
      const loaded = await loadForUpdate(ctx, args.key);
      if (loaded instanceof ErrorReply) return loaded;
      const { meta, doc } = loaded;
      if (meta === undefined || doc === undefined) return 0;
      const matches = query(doc, args.path);
      if (matches.some((m) => m.parent === undefined)) {
        json.deleteDocument(ctx.tx, ctx.ks, args.key, meta);
        ctx.ks.notify("d", "json.del", args.key);
        return 1;
      }
      if (matches.length === 0) return 0;
      // Array elements from the highest index down, so earlier removals do not shift later ones.
      const ordered = [...matches].sort((a, b) => (typeof a.key === "number" && typeof b.key === "number" ? b.key - a.key : 0));
      for (const m of ordered) {
        if (Array.isArray(m.parent)) m.parent.splice(m.key as number, 1);
        else delete (m.parent as Record<string, Json>)[m.key as string];
      }
      return store(ctx, args.key, { meta, doc, event: "json.del" }) ?? matches.length;
    },
  });
}

// ---------------------------------------------------------------- per-match readers

interface KeyPath {
  readonly key: Uint8Array;
  readonly path: JsonPath;
}

/** key [path]: the path defaults to `fallback`. */
function parseKeyPath(argv: readonly Uint8Array[], fallback: string): KeyPath | ErrorReply {
  const args = new ArgumentReader(argv);
  const key = args.key();
  if (args.left > 1) return SYNTAX;
  const path = pathOf(args.optional(), fallback);
  return path instanceof ErrorReply ? path : { key, path };
}

/**
 * A read-only command that answers per match: `answer` gives the reply for
 * one value, or undefined when the value has the wrong type (`expected`).
 */
function perMatchReader(spec: {
  name: string;
  summary: string;
  complexity: string;
  expected: string;
  answer: (value: Json) => Reply | undefined;
  /** The legacy-path reply, when it differs from the `$` one. */
  legacyAnswer?: (value: Json) => Reply | undefined;
}): CommandSpec {
  return defineCommand({
    name: spec.name,
    arity: -2,
    flags: ["readonly"],
    keys: KEY1,
    group: "json",
    summary: spec.summary,
    since: "1.0.0",
    complexity: spec.complexity,
    arguments: [key("key"), optional(string("path"))],
    access: "read",
    parse: (argv) => parseKeyPath(argv, "."),
    async exec(ctx, args: KeyPath): Promise<Reply> {
      const doc = await load(ctx, args.key);
      if (doc === undefined || doc instanceof ErrorReply) return doc ?? null;
      const matches = query(doc, args.path);
      if (!args.path.legacy) return matches.map((m) => spec.answer(m.value) ?? null);
      const first = matches[0];
      if (first === undefined) return jsonPathMissing(shown(args.path));
      return (spec.legacyAnswer ?? spec.answer)(first.value) ?? jsonWrongPathType(spec.expected, typeName(first.value));
    },
  });
}

const jsonType = perMatchReader({
  name: "json.type",
  summary: "Returns the type of the JSON value at a path (object, array, string, integer, number, boolean or null).",
  complexity: "O(1) per match",
  expected: "any",
  answer: (value) => typeName(value),
  legacyAnswer: (value) => new SimpleString(typeName(value)),
});

const jsonStrlen = perMatchReader({
  name: "json.strlen",
  summary: "Returns the length of the JSON string at a path.",
  complexity: "O(1) per match",
  expected: "string",
  answer: (value) => (typeof value === "string" ? value.length : undefined),
});

const jsonArrlen = perMatchReader({
  name: "json.arrlen",
  summary: "Returns the number of elements of the JSON array at a path.",
  complexity: "O(1) per match",
  expected: "array",
  answer: (value) => (Array.isArray(value) ? value.length : undefined),
});

const jsonObjkeys = perMatchReader({
  name: "json.objkeys",
  summary: "Returns the member names of the JSON object at a path.",
  complexity: "O(N) per match where N is the number of members",
  expected: "object",
  answer: (value) => (isObject(value) ? Object.keys(value) : undefined),
});

// ---------------------------------------------------------------- JSON.MGET

const jsonMget = defineCommand({
  name: "json.mget",
  arity: -3,
  flags: ["readonly"],
  keys: { first: 1, last: -2, step: 1 },
  group: "json",
  summary: "Returns the JSON text at one path in several documents; nil for a missing key.",
  since: "1.0.0",
  complexity: "O(M*N) where M is the number of keys and N the size of each document",
  arguments: [multiple(key("key")), string("path")],
  access: "read",
  parse(argv): { keys: readonly Uint8Array[]; path: JsonPath } | ErrorReply {
    const args = new ArgumentReader(argv);
    const keys = args.several(args.left - 1);
    const path = pathOf(args.bytes(), "$");
    return path instanceof ErrorReply ? path : { keys, path };
  },
  async exec(ctx, args): Promise<Reply> {
    const docs = await Promise.all(args.keys.map((k) => json.readDocument(ctx.tx, ctx.ks, k, ctx.nowMs)));
    const budget = pathBudget();
    let bytes = 0;
    const replies: Reply[] = [];
    for (const doc of docs) {
      if (doc === undefined || typeof doc === "string") {
        replies.push(null);
        continue;
      }
      const values = query(doc.doc, args.path, budget).map((m) => m.value);
      const answer: Json | undefined = !args.path.legacy ? values : values[0];
      if (answer === undefined) {
        replies.push(null);
        continue;
      }
      const text = boundedSerialize(answer);
      if (text instanceof ErrorReply) return text;
      bytes += text.length;
      if (bytes > JSON_MAX_REPLY_BYTES) return jsonReplyTooLarge(JSON_MAX_REPLY_BYTES);
      replies.push(text);
    }
    return replies;
  },
});

// ---------------------------------------------------------------- per-match writers

/**
 * A command that edits each match in place: `edit` returns the new value and
 * its reply, or undefined when the value has the wrong type.
 */
async function editMatches(
  ctx: TxContext,
  args: KeyPath,
  edit: (value: Json) => { value: Json; reply: Reply } | ErrorReply | undefined,
  change: { readonly expected: string; readonly event: JsonEvent },
): Promise<{ replies: Reply[]; first: Match | undefined } | ErrorReply | null> {
  const loaded = await loadForUpdate(ctx, args.key);
  if (loaded instanceof ErrorReply) return loaded;
  const { meta, doc } = loaded;
  if (doc === undefined) return null;
  const matches = query(doc, args.path);
  if (args.path.legacy) {
    if (matches.length === 0) return jsonPathMissing(shown(args.path));
    if (edit(clone(matches[0]!.value)) === undefined) return jsonWrongPathType(change.expected, typeName(matches[0]!.value));
  }
  let next = doc;
  let changed = false;
  const replies: Reply[] = [];
  for (const m of matches) {
    const result = edit(m.value);
    if (result instanceof ErrorReply) return result;
    if (result === undefined) {
      replies.push(null);
      continue;
    }
    next = replaceAt(next, m, result.value);
    changed = true;
    replies.push(result.reply);
  }
  if (changed) {
    const failed = store(ctx, args.key, { meta, doc: next, event: change.event });
    if (failed) return failed;
  }
  return { replies, first: matches[0] };
}

const jsonArrappend = defineCommand({
  name: "json.arrappend",
  arity: -4,
  flags: ["write", "denyoom"],
  keys: KEY1,
  group: "json",
  summary: "Appends JSON values to the array at a path; returns the new length.",
  since: "1.0.0",
  complexity: "O(1) per value and match, plus the size of the document",
  arguments: [key("key"), string("path"), multiple(string("value"))],
  access: "write",
  parse(argv): (KeyPath & { values: readonly Json[] }) | ErrorReply {
    const args = new ArgumentReader(argv);
    const key = args.key();
    const path = pathOf(args.bytes(), ".");
    if (path instanceof ErrorReply) return path;
    const values: Json[] = [];
    for (const raw of args.rest()) {
      const value = valueOf(raw);
      if (value instanceof ErrorReply) return value;
      values.push(value);
    }
    return { key, path, values };
  },
  async exec(ctx, args): Promise<Reply> {
    const result = await editMatches(ctx, args, (value) => {
      if (!Array.isArray(value)) return undefined;
      value.push(...args.values.map(clone));
      return { value, reply: value.length };
    }, { expected: "array", event: "json.arrappend" });
    if (result === null || result instanceof ErrorReply) return result;
    return args.path.legacy ? result.replies[0]! : result.replies;
  },
});

const jsonNumincrby = defineCommand({
  name: "json.numincrby",
  arity: 4,
  flags: ["write"],
  keys: KEY1,
  group: "json",
  summary: "Adds a number to the JSON number at a path; returns the new value as JSON text.",
  since: "1.0.0",
  complexity: "O(1) per match, plus the size of the document",
  arguments: [key("key"), string("path"), string("value")],
  access: "write",
  parse(argv): (KeyPath & { delta: number }) | ErrorReply {
    const args = new ArgumentReader(argv);
    const key = args.key();
    const path = pathOf(args.bytes(), ".");
    if (path instanceof ErrorReply) return path;
    const delta = valueOf(args.bytes());
    if (delta instanceof ErrorReply) return delta;
    if (typeof delta !== "number") return jsonWrongPathType("a number", typeName(delta));
    return { key, path, delta };
  },
  async exec(ctx, args): Promise<Reply> {
    const result = await editMatches(ctx, args, (value) => {
      if (typeof value !== "number") return undefined;
      const sum = value + args.delta;
      if (!Number.isFinite(sum)) return JSON_NUMBER_NOT_FINITE;
      return { value: sum, reply: sum };
    }, { expected: "a number", event: "json.numincrby" });
    if (result === null) return jsonPathMissing(shown(args.path));
    if (result instanceof ErrorReply) return result;
    return args.path.legacy ? serialize(result.replies[0] as number) : serialize(result.replies as Json[]);
  },
});

const jsonToggle = defineCommand({
  name: "json.toggle",
  arity: -2,
  flags: ["write"],
  keys: KEY1,
  group: "json",
  summary: "Flips the JSON boolean at a path; returns the new value.",
  since: "2.0.0",
  complexity: "O(1) per match, plus the size of the document",
  arguments: [key("key"), optional(string("path"))],
  access: "write",
  parse: (argv) => parseKeyPath(argv, "."),
  async exec(ctx, args: KeyPath): Promise<Reply> {
    const result = await editMatches(ctx, args, (value) => (typeof value === "boolean" ? { value: !value, reply: value ? 0 : 1 } : undefined), { expected: "boolean", event: "json.toggle" });
    if (result === null || result instanceof ErrorReply) return result;
    return args.path.legacy ? (result.replies[0] === 1 ? "true" : "false") : result.replies;
  },
});

const jsonClear = defineCommand({
  name: "json.clear",
  arity: -2,
  flags: ["write"],
  keys: KEY1,
  group: "json",
  summary: "Empties the arrays and objects and zeroes the numbers at a path; returns how many values changed.",
  since: "2.0.0",
  complexity: "O(N) where N is the number of values cleared, plus the size of the document",
  arguments: [key("key"), optional(string("path"))],
  access: "write",
  parse: (argv) => parseKeyPath(argv, "$"),
  async exec(ctx, args: KeyPath): Promise<Reply> {
    const clearing = { ...args, path: { ...args.path, legacy: false } };
    const result = await editMatches(ctx, clearing, (value) => {
      if (Array.isArray(value)) return { value: [], reply: 1 };
      if (isObject(value)) return { value: {}, reply: 1 };
      if (typeof value === "number") return { value: 0, reply: 1 };
      return undefined;
    }, { expected: "", event: "json.clear" });
    if (result === null) return 0;
    if (result instanceof ErrorReply) return result;
    return result.replies.filter((r) => r === 1).length;
  },
});

const jsonMerge = defineCommand({
  name: "json.merge",
  arity: 4,
  flags: ["write", "denyoom"],
  keys: KEY1,
  group: "json",
  summary: "Merges a JSON value into the value at a path (RFC 7396: null removes a member).",
  since: "2.6.0",
  complexity: "O(M+N) where M is the size of the document and N the size of the value",
  arguments: [key("key"), string("path"), string("value")],
  access: "write",
  parse(argv): (KeyPath & { patch: Json }) | ErrorReply {
    const args = new ArgumentReader(argv);
    const key = args.key();
    const path = pathOf(args.bytes(), "$");
    if (path instanceof ErrorReply) return path;
    const patch = valueOf(args.bytes());
    return patch instanceof ErrorReply ? patch : { key, path, patch };
  },
  async exec(ctx, args): Promise<Reply> {
    const loaded = await loadForUpdate(ctx, args.key);
    if (loaded instanceof ErrorReply) return loaded;
    const { meta, doc } = loaded;
    if (doc === undefined) {
      if (args.path.expression !== "$") return JSON_NEW_NOT_AT_ROOT;
      return store(ctx, args.key, { meta, doc: mergePatch(null, clone(args.patch)), event: "json.merge" }) ?? OK;
    }
    const matches = query(doc, args.path);
    let next = doc;
    if (matches.length > 0) {
      for (const m of matches) next = replaceAt(next, m, mergePatch(m.value, clone(args.patch)));
    } else {
      const split = splitLastMember(args.path);
      const parents = split === undefined ? [] : query(doc, split.parent).filter((m) => isObject(m.value));
      if (parents.length === 0) return args.path.legacy ? jsonPathMissing(shown(args.path)) : OK;
      if (args.patch !== null) for (const p of parents) setMember(p.value as JsonObject, split!.member, mergePatch(null, clone(args.patch)));
    }
    return store(ctx, args.key, { meta, doc: next, event: "json.merge" }) ?? OK;
  },
});

/**
 * Runs a JSON command so that a query over its work limit answers an error
 * instead of reaching the dispatcher as an internal error. A query throws
 * before the command writes anything, so nothing is half-applied.
 */
function bounded(spec: CommandSpec): CommandSpec {
  if (!("exec" in spec) || spec.exec === undefined) return spec;
  const exec = spec.exec as (ctx: TxContext, args: unknown) => Promise<Reply>;
  return {
    ...spec,
    async exec(ctx: TxContext, args: unknown): Promise<Reply> {
      try {
        return await exec(ctx, args);
      } catch (error) {
        if (error instanceof WorkBudgetExceeded) return jsonPathTooCostly(JSONPATH_MAX_STEPS);
        // The nesting limit should make this unreachable; if a walk still overflows the stack, answer it rather than log it.
        if (error instanceof RangeError && /call stack/i.test(error.message)) return JSON_STACK_EXHAUSTED;
        throw error;
      }
    },
  } as CommandSpec;
}

export const JSON_COMMANDS: readonly CommandSpec[] = [
  jsonSet,
  jsonGet,
  deleteCommand("json.del", "Deletes the JSON values at a path (the whole document by default); returns how many were deleted."),
  deleteCommand("json.forget", "Same as JSON.DEL: deletes the JSON values at a path; returns how many were deleted."),
  jsonType,
  jsonMget,
  jsonStrlen,
  jsonArrlen,
  jsonArrappend,
  jsonObjkeys,
  jsonNumincrby,
  jsonClear,
  jsonToggle,
  jsonMerge,
].map(bounded);

