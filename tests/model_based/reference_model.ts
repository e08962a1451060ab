// A reference model of Redis 7.0's deterministic data-type commands, small
// enough to check by reading: a Map from key to a typed value, no TTLs, and
// one pure function `step(state, argv) → { reply, state }` whose replies are
// RESP2 wire text with Redis's exact error texts. Strings are byte strings
// (one char per byte, latin1), as RawClient returns replies.
//
// The order of checks follows Redis's source (t_string.c, t_list.c,
// t_hash.c, t_set.c, t_zset.c, db.c): which argument error or WRONGTYPE wins when
// several apply is part of the behaviour. model_based_test.ts runs the same
// random sequences against a real redis-server to keep this file honest.

export type Value =
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "list"; readonly value: readonly string[] }
  | { readonly type: "hash"; readonly value: ReadonlyMap<string, string> }
  | { readonly type: "set"; readonly value: ReadonlySet<string> }
  /** Member → score; ordered by (score, member bytes) when read. */
  | { readonly type: "zset"; readonly value: ReadonlyMap<string, number> };

export type State = ReadonlyMap<string, Value>;

export interface StepResult {
  readonly reply: string;
  readonly state: State;
}

export const EMPTY_STATE: State = new Map();

// ---------------------------------------------------------------- replies

const OK = "+OK\r\n";
const NIL = "$-1\r\n";
const NULL_ARRAY = "*-1\r\n";
const EMPTY_ARRAY = "*0\r\n";

const int = (n: number | bigint): string => `:${n}\r\n`;
const bulk = (s: string | null | undefined): string => (s === null || s === undefined ? NIL : `$${s.length}\r\n${s}\r\n`);
const array = (items: readonly string[]): string => `*${items.length}\r\n${items.join("")}`;
const bulks = (items: Iterable<string | null | undefined>): string => array([...items].map(bulk));
const error = (text: string): string => `-${text}\r\n`;

const WRONGTYPE = error("WRONGTYPE Operation against a key holding the wrong kind of value");
const SYNTAX = error("ERR syntax error");
const NOT_INTEGER = error("ERR value is not an integer or out of range");
const OVERFLOW = error("ERR increment or decrement would overflow");
const DECREMENT_OVERFLOW = error("ERR decrement would overflow");
const NO_SUCH_KEY = error("ERR no such key");
const INDEX_OUT_OF_RANGE = error("ERR index out of range");
const SAME_OBJECT = error("ERR source and destination objects are the same");
const OFFSET_OUT_OF_RANGE = error("ERR offset is out of range");
const STRING_TOO_LONG = error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
const MUST_BE_POSITIVE = error("ERR value is out of range, must be positive");
const HASH_NOT_INTEGER = error("ERR hash value is not an integer");
const RANK_ZERO = error(
  "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
);
const RANK_RANGE = error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
const arity = (name: string): string => error(`ERR wrong number of arguments for '${name}' command`);

// ---------------------------------------------------------------- numbers

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;
const PROTO_MAX_BULK_LEN = 512n * 1024n * 1024n;

/** Redis's string2ll: decimal, no sign but '-', no leading zeros, no spaces, fits in int64. */
export function parseInt64(s: string): bigint | null {
  if (s.length === 0 || s.length >= 21 || !/^(0|-?[1-9][0-9]*)$/.test(s)) return null;
  const n = BigInt(s);
  return n < LLONG_MIN || n > LLONG_MAX ? null : n;
}

/** Clamps an int64 to a double for index arithmetic on short lists and strings. */
const num = (n: bigint): number => Number(n);

// ---------------------------------------------------------------- state

/** Copy-on-write access to one step's state. Values are never mutated in place. */
class Db {
  readonly map: Map<string, Value>;
  constructor(state: State) {
    this.map = new Map(state);
  }
  get(key: string): Value | undefined {
    return this.map.get(key);
  }
  put(key: string, value: Value): void {
    this.map.set(key, value);
  }
  /** Stores a collection, or deletes the key when it is empty (as Redis does). */
  putCollection(key: string, value: Value): void {
    const size = value.type === "list" ? value.value.length : value.type === "string" ? 1 : value.value.size;
    if (size === 0) this.map.delete(key);
    else this.map.set(key, value);
  }
  delete(key: string): boolean {
    return this.map.delete(key);
  }
}

type Handler = (db: Db, args: readonly string[], name: string) => string;

function str(db: Db, key: string): string | null | "WRONGTYPE" {
  const v = db.get(key);
  if (v === undefined) return null;
  return v.type === "string" ? v.value : "WRONGTYPE";
}

function list(db: Db, key: string): readonly string[] | null | "WRONGTYPE" {
  const v = db.get(key);
  if (v === undefined) return null;
  return v.type === "list" ? v.value : "WRONGTYPE";
}

function hash(db: Db, key: string): ReadonlyMap<string, string> | null | "WRONGTYPE" {
  const v = db.get(key);
  if (v === undefined) return null;
  return v.type === "hash" ? v.value : "WRONGTYPE";
}

function set(db: Db, key: string): ReadonlySet<string> | null | "WRONGTYPE" {
  const v = db.get(key);
  if (v === undefined) return null;
  return v.type === "set" ? v.value : "WRONGTYPE";
}

const putString = (db: Db, key: string, value: string): void => db.put(key, { type: "string", value });
const putList = (db: Db, key: string, value: readonly string[]): void => db.putCollection(key, { type: "list", value });
const putHash = (db: Db, key: string, value: ReadonlyMap<string, string>): void => db.putCollection(key, { type: "hash", value });
const putSet = (db: Db, key: string, value: ReadonlySet<string>): void => db.putCollection(key, { type: "set", value });
const putZset = (db: Db, key: string, value: ReadonlyMap<string, number>): void => db.putCollection(key, { type: "zset", value });

function zset(db: Db, key: string): ReadonlyMap<string, number> | null | "WRONGTYPE" {
  const v = db.get(key);
  if (v === undefined) return null;
  return v.type === "zset" ? v.value : "WRONGTYPE";
}

const isWrongType = (v: unknown): v is "WRONGTYPE" => v === "WRONGTYPE";

// ---------------------------------------------------------------- strings

function setCommand(db: Db, args: readonly string[]): string {
  const [key, value, ...options] = args as [string, string, ...string[]];
  let nx = false, xx = false, get = false;
  for (const option of options) {
    const o = option.toUpperCase();
    if (o === "NX" && !xx) nx = true;
    else if (o === "XX" && !nx) xx = true;
    else if (o === "GET") get = true;
    else return SYNTAX;
  }
  let reply = OK;
  if (get) {
    const old = str(db, key);
    if (isWrongType(old)) return WRONGTYPE;
    reply = bulk(old);
  }
  const found = db.get(key) !== undefined;
  if ((nx && found) || (xx && !found)) return get ? reply : NIL;
  putString(db, key, value);
  return reply;
}

function incrBy(db: Db, key: string, by: bigint): string {
  const old = str(db, key);
  if (isWrongType(old)) return WRONGTYPE;
  const current = old === null ? 0n : parseInt64(old);
  if (current === null) return NOT_INTEGER;
  const next = current + by;
  if (next < LLONG_MIN || next > LLONG_MAX) return OVERFLOW;
  putString(db, key, String(next));
  return int(next);
}

function getrange(db: Db, [key, startArg, endArg]: readonly string[]): string {
  const start0 = parseInt64(startArg!), end0 = parseInt64(endArg!);
  if (start0 === null || end0 === null) return NOT_INTEGER;
  const value = str(db, key!);
  if (value === null) return bulk("");
  if (isWrongType(value)) return WRONGTYPE;
  if (start0 < 0n && end0 < 0n && start0 > end0) return bulk("");
  const len = value.length;
  let start = num(start0), end = num(end0);
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) return bulk("");
  return bulk(value.slice(start, end + 1));
}

function setrange(db: Db, [key, offsetArg, value]: readonly string[]): string {
  const offset = parseInt64(offsetArg!);
  if (offset === null) return NOT_INTEGER;
  if (offset < 0n) return OFFSET_OUT_OF_RANGE;
  const old = str(db, key!);
  if (isWrongType(old)) return WRONGTYPE;
  if (value!.length === 0) return int(old === null ? 0 : old.length);
  if (offset + BigInt(value!.length) > PROTO_MAX_BULK_LEN) return STRING_TOO_LONG;
  const at = num(offset);
  const base = (old ?? "").padEnd(at, "\0");
  const next = base.slice(0, at) + value + base.slice(at + value!.length);
  putString(db, key!, next);
  return int(next.length);
}

// ---------------------------------------------------------------- lists

function push(db: Db, [key, ...values]: readonly string[], options: { left: boolean; onlyIfExists: boolean }): string {
  const old = list(db, key!);
  if (isWrongType(old)) return WRONGTYPE;
  if (old === null && options.onlyIfExists) return int(0);
  const next = [...(old ?? [])];
  for (const v of values) {
    if (options.left) next.unshift(v);
    else next.push(v);
  }
  putList(db, key!, next);
  return int(next.length);
}

function pop(db: Db, [key, countArg]: readonly string[], left: boolean): string {
  let count: bigint | null = null;
  if (countArg !== undefined) {
    // getPositiveLongFromObjectOrReply: one text for "not a number" and "negative".
    count = parseInt64(countArg);
    if (count === null || count < 0n) return MUST_BE_POSITIVE;
  }
  const old = list(db, key!);
  if (old === null) return count === null ? NIL : NULL_ARRAY;
  if (isWrongType(old)) return WRONGTYPE;
  if (count === 0n) return EMPTY_ARRAY;
  const n = count === null ? 1 : Math.min(num(count), old.length);
  const taken = left ? old.slice(0, n) : old.slice(old.length - n).reverse();
  putList(db, key!, left ? old.slice(n) : old.slice(0, old.length - n));
  return count === null ? bulk(taken[0]) : bulks(taken);
}

/** LRANGE's and LTRIM's clamping: [start, end] inclusive, or null when empty. */
function clampRange(len: number, startArg: bigint, endArg: bigint): [number, number] | null {
  let start = num(startArg), end = num(endArg);
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) return null;
  if (end >= len) end = len - 1;
  return [start, end];
}

function lrange(db: Db, [key, startArg, endArg]: readonly string[]): string {
  const start = parseInt64(startArg!), end = parseInt64(endArg!);
  if (start === null || end === null) return NOT_INTEGER;
  const old = list(db, key!);
  if (old === null) return EMPTY_ARRAY;
  if (isWrongType(old)) return WRONGTYPE;
  const range = clampRange(old.length, start, end);
  return range === null ? EMPTY_ARRAY : bulks(old.slice(range[0], range[1] + 1));
}

function ltrim(db: Db, [key, startArg, endArg]: readonly string[]): string {
  const start = parseInt64(startArg!), end = parseInt64(endArg!);
  if (start === null || end === null) return NOT_INTEGER;
  const old = list(db, key!);
  if (old === null) return OK;
  if (isWrongType(old)) return WRONGTYPE;
  const range = clampRange(old.length, start, end);
  putList(db, key!, range === null ? [] : old.slice(range[0], range[1] + 1));
  return OK;
}

function lindex(db: Db, [key, indexArg]: readonly string[]): string {
  const old = list(db, key!);
  if (old === null) return NIL;
  if (isWrongType(old)) return WRONGTYPE;
  const index = parseInt64(indexArg!);
  if (index === null) return NOT_INTEGER;
  let i = num(index);
  if (i < 0) i = old.length + i;
  return bulk(i >= 0 && i < old.length ? old[i] : null);
}

function lset(db: Db, [key, indexArg, value]: readonly string[]): string {
  const old = list(db, key!);
  if (old === null) return NO_SUCH_KEY;
  if (isWrongType(old)) return WRONGTYPE;
  const index = parseInt64(indexArg!);
  if (index === null) return NOT_INTEGER;
  let i = num(index);
  if (i < 0) i = old.length + i;
  if (i < 0 || i >= old.length) return INDEX_OUT_OF_RANGE;
  const next = [...old];
  next[i] = value!;
  putList(db, key!, next);
  return OK;
}

function linsert(db: Db, [key, where, pivot, value]: readonly string[]): string {
  const w = where!.toUpperCase();
  if (w !== "BEFORE" && w !== "AFTER") return SYNTAX;
  const old = list(db, key!);
  if (old === null) return int(0);
  if (isWrongType(old)) return WRONGTYPE;
  const at = old.indexOf(pivot!);
  if (at < 0) return int(-1);
  const next = [...old];
  next.splice(w === "BEFORE" ? at : at + 1, 0, value!);
  putList(db, key!, next);
  return int(next.length);
}

function lrem(db: Db, [key, countArg, value]: readonly string[]): string {
  const count = parseInt64(countArg!);
  if (count === null) return NOT_INTEGER;
  const old = list(db, key!);
  if (old === null) return int(0);
  if (isWrongType(old)) return WRONGTYPE;
  const limit = count === 0n ? Infinity : Math.abs(num(count));
  const fromTail = count < 0n;
  const items = fromTail ? [...old].reverse() : [...old];
  const kept: string[] = [];
  let removed = 0;
  for (const item of items) {
    if (item === value && removed < limit) removed++;
    else kept.push(item);
  }
  putList(db, key!, fromTail ? kept.reverse() : kept);
  return int(removed);
}

function lpos(db: Db, [key, element, ...options]: readonly string[]): string {
  let rank = 1n, count: bigint | null = null, maxlen = 0n;
  for (let j = 0; j < options.length; j++) {
    const option = options[j]!.toUpperCase();
    const more = j + 1 < options.length;
    if (option === "RANK" && more) {
      const n = parseInt64(options[++j]!);
      if (n === null) return NOT_INTEGER;
      // Redis 7.2's check; 7.0.15 negates LLONG_MIN (signed overflow) and then
      // ignores COUNT, so the generator never sends it.
      if (n === LLONG_MIN) return RANK_RANGE;
      if (n === 0n) return RANK_ZERO;
      rank = n;
    } else if (option === "COUNT" && more) {
      const n = parseInt64(options[++j]!);
      if (n === null || n < 0n) return error("ERR COUNT can't be negative");
      count = n;
    } else if (option === "MAXLEN" && more) {
      const n = parseInt64(options[++j]!);
      if (n === null || n < 0n) return error("ERR MAXLEN can't be negative");
      maxlen = n;
    } else {
      return SYNTAX;
    }
  }
  const old = list(db, key!);
  if (old === null) return count === null ? NIL : EMPTY_ARRAY;
  if (isWrongType(old)) return WRONGTYPE;
  const fromTail = rank < 0n;
  const wanted = fromTail ? -rank : rank;
  const found: number[] = [];
  let matches = 0n;
  for (let scanned = 0; scanned < old.length && (maxlen === 0n || BigInt(scanned) < maxlen); scanned++) {
    const index = fromTail ? old.length - 1 - scanned : scanned;
    if (old[index] !== element) continue;
    matches++;
    if (matches < wanted) continue;
    found.push(index);
    if (count === null) break;
    if (count !== 0n && BigInt(found.length) >= count) break;
  }
  if (count === null) return found.length === 0 ? NIL : int(found[0]!);
  return array(found.map(int));
}

function lmove(db: Db, source: string, destination: string, fromLeft: boolean, toLeft: boolean): string {
  const src = list(db, source);
  if (src === null) return NIL;
  if (isWrongType(src)) return WRONGTYPE;
  if (isWrongType(list(db, destination))) return WRONGTYPE;
  const value = fromLeft ? src[0]! : src[src.length - 1]!;
  putList(db, source, fromLeft ? src.slice(1) : src.slice(0, -1));
  const dst = list(db, destination) as readonly string[] | null;
  putList(db, destination, toLeft ? [value, ...(dst ?? [])] : [...(dst ?? []), value]);
  return bulk(value);
}

function side(arg: string): "LEFT" | "RIGHT" | null {
  const s = arg.toUpperCase();
  return s === "LEFT" || s === "RIGHT" ? s : null;
}

// ---------------------------------------------------------------- hashes

function hset(db: Db, [key, ...pairs]: readonly string[], name: string): string {
  if (pairs.length % 2 !== 0) return arity(name);
  const old = hash(db, key!);
  if (isWrongType(old)) return WRONGTYPE;
  const next = new Map(old ?? []);
  let added = 0;
  for (let i = 0; i < pairs.length; i += 2) {
    if (!next.has(pairs[i]!)) added++;
    next.set(pairs[i]!, pairs[i + 1]!);
  }
  putHash(db, key!, next);
  return int(added);
}

function hincrby(db: Db, [key, field, byArg]: readonly string[]): string {
  const by = parseInt64(byArg!);
  if (by === null) return NOT_INTEGER;
  const old = hash(db, key!);
  if (isWrongType(old)) return WRONGTYPE;
  const stored = old?.get(field!);
  const current = stored === undefined ? 0n : parseInt64(stored);
  if (current === null) return HASH_NOT_INTEGER;
  const next = current + by;
  if (next < LLONG_MIN || next > LLONG_MAX) return OVERFLOW;
  putHash(db, key!, new Map(old ?? []).set(field!, String(next)));
  return int(next);
}

// ---------------------------------------------------------------- sets

/** Reads every key as a set (missing: null) or fails with WRONGTYPE on the first other type. */
function sets(db: Db, keys: readonly string[]): Array<ReadonlySet<string> | null> | "WRONGTYPE" {
  const out: Array<ReadonlySet<string> | null> = [];
  for (const key of keys) {
    const s = set(db, key);
    if (isWrongType(s)) return s;
    out.push(s);
  }
  return out;
}

function combine(kind: "inter" | "union" | "diff", inputs: Array<ReadonlySet<string> | null>): Set<string> {
  if (kind === "inter") {
    if (inputs.some((s) => s === null)) return new Set();
    const [first, ...rest] = inputs as ReadonlySet<string>[];
    return new Set([...first!].filter((m) => rest.every((s) => s.has(m))));
  }
  if (kind === "union") return new Set(inputs.flatMap((s) => [...(s ?? [])]));
  const [first, ...rest] = inputs;
  return new Set([...(first ?? [])].filter((m) => rest.every((s) => !s?.has(m))));
}

function setAlgebra(db: Db, keys: readonly string[], kind: "inter" | "union" | "diff"): string {
  const inputs = sets(db, keys);
  if (isWrongType(inputs)) return WRONGTYPE;
  return bulks(combine(kind, inputs));
}

function setAlgebraStore(db: Db, [destination, ...keys]: readonly string[], kind: "inter" | "union" | "diff"): string {
  const inputs = sets(db, keys);
  if (isWrongType(inputs)) return WRONGTYPE;
  const result = combine(kind, inputs);
  db.delete(destination!);
  putSet(db, destination!, result);
  return int(result.size);
}

function smove(db: Db, [source, destination, member]: readonly string[]): string {
  const src = set(db, source!);
  const dst = set(db, destination!);
  if (src === null) return int(0);
  if (isWrongType(src) || isWrongType(dst)) return WRONGTYPE;
  if (source === destination) return int(src.has(member!) ? 1 : 0);
  if (!src.has(member!)) return int(0);
  const nextSrc = new Set(src);
  nextSrc.delete(member!);
  putSet(db, source!, nextSrc);
  putSet(db, destination!, new Set(dst ?? []).add(member!));
  return int(1);
}


// ---------------------------------------------------------------- sorted sets

const NOT_FLOAT = error("ERR value is not a valid float");
const NAN_SCORE = error("ERR resulting score is not a number (NaN)");
const RANGE_NOT_FLOAT = error("ERR min or max is not a float");
const LEX_RANGE_INVALID = error("ERR min or max not valid string range item");
const LIMIT_NEEDS_BY = error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
const WITHSCORES_BYLEX = error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");

/** strtod over the texts the generator sends: decimals, exponents, inf; null where Redis rejects the text. */
function strtod(s: string): number | null {
  if (/^[+-]?inf(inity)?$/i.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)(e[+-]?[0-9]+)?$/i.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null; // ERANGE
}

/** getDoubleFromObject: no empty text, no leading space, no NaN. */
const parseScore = (s: string): number | null => (s.length === 0 || /^\s/.test(s) ? null : strtod(s));

/** C's printf("%.17g"), as Redis 7.0's addReplyDouble writes scores in RESP2. */
export function formatScore(d: number): string {
  if (d === Infinity) return "inf";
  if (d === -Infinity) return "-inf";
  if (d === 0) return Object.is(d, -0) ? "-0" : "0";
  const [mantissa, expText] = d.toExponential(16).split("e") as [string, string];
  const exp = Number(expText);
  const strip = (t: string): string => (t.includes(".") ? t.replace(/0+$/, "").replace(/\.$/, "") : t);
  if (exp < -4 || exp >= 17) return `${strip(mantissa)}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return strip(d.toFixed(16 - exp));
}

const score = (d: number): string => bulk(formatScore(d));

/**
 * The score a small sorted set keeps: a listpack stores -0 as the integer 0
 * (the reply of the command that wrote it still says -0).
 */
const stored = (d: number): number => (d === 0 ? 0 : d);

/** Members in Redis's order: by score, then by member bytes. */
function ordered(z: ReadonlyMap<string, number>): Array<[string, number]> {
  return [...z].sort(([ma, sa], [mb, sb]) => (sa < sb ? -1 : sa > sb ? 1 : ma < mb ? -1 : ma > mb ? 1 : 0));
}

function zadd(db: Db, args: readonly string[], options: { incrOnly: boolean }): string {
  if (args.length < 3) return arity("zadd"); // ZADD's arity is -4
  const key = args[0]!;
  let at = 1;
  let nx = false, xx = false, gt = false, lt = false, ch = false, incr = options.incrOnly;
  if (!options.incrOnly) {
    for (; at < args.length; at++) {
      const o = args[at]!.toUpperCase();
      if (o === "NX") nx = true;
      else if (o === "XX") xx = true;
      else if (o === "CH") ch = true;
      else if (o === "INCR") incr = true;
      else if (o === "GT") gt = true;
      else if (o === "LT") lt = true;
      else break;
    }
  }
  const rest = args.slice(at);
  if (rest.length === 0 || rest.length % 2 !== 0) return SYNTAX;
  if (nx && xx) return error("ERR XX and NX options at the same time are not compatible");
  if ((gt && nx) || (lt && nx) || (gt && lt)) return error("ERR GT, LT, and/or NX options at the same time are not compatible");
  if (incr && rest.length > 2) return error("ERR INCR option supports a single increment-element pair");
  const scores: number[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    const s = parseScore(rest[i]!);
    if (s === null) return NOT_FLOAT;
    scores.push(s);
  }
  const old = zset(db, key);
  if (isWrongType(old)) return WRONGTYPE;
  if (old === null && xx) return incr ? NIL : int(0);
  const next = new Map(old ?? []);
  let added = 0, updated = 0, processed = 0;
  let last = 0;
  for (let j = 0; j < scores.length; j++) {
    const member = rest[2 * j + 1]!;
    let s = scores[j]!;
    const current = next.get(member);
    if (current !== undefined) {
      if (nx) continue;
      if (incr) {
        s += current;
        if (Number.isNaN(s)) return NAN_SCORE; // INCR has one member: nothing changed yet
      }
      if ((lt && s >= current) || (gt && s <= current)) continue;
      last = s;
      processed++;
      if (s !== current) {
        next.set(member, stored(s));
        updated++;
      }
    } else if (!xx) {
      next.set(member, stored(s));
      last = s;
      added++;
      processed++;
    }
  }
  putZset(db, key, next);
  if (incr) return processed > 0 ? score(last) : NIL;
  return int(ch ? added + updated : added);
}

interface ScoreBound {
  readonly value: number;
  readonly exclusive: boolean;
}

/** zslParseRange: "(" makes a bound exclusive; strtod with nothing left over, not NaN (an empty text reads as 0). */
function parseScoreBound(s: string): ScoreBound | null {
  const exclusive = s.startsWith("(");
  const text = exclusive ? s.slice(1) : s;
  const value = text === "" ? 0 : strtod(text);
  return value === null ? null : { value, exclusive };
}

const inScoreRange = (s: number, min: ScoreBound, max: ScoreBound): boolean =>
  (min.exclusive ? s > min.value : s >= min.value) && (max.exclusive ? s < max.value : s <= max.value);

type LexBound = { readonly kind: "-" | "+" } | { readonly kind: "value"; readonly value: string; readonly exclusive: boolean };

function parseLexBound(s: string): LexBound | null {
  if (s === "-" || s === "+") return { kind: s };
  if (s.startsWith("(") || s.startsWith("[")) return { kind: "value", value: s.slice(1), exclusive: s[0] === "(" };
  return null;
}

function aboveLexMin(m: string, min: LexBound): boolean {
  if (min.kind !== "value") return min.kind === "-";
  return min.exclusive ? m > min.value : m >= min.value;
}

function belowLexMax(m: string, max: LexBound): boolean {
  if (max.kind !== "value") return max.kind === "+";
  return max.exclusive ? m < max.value : m <= max.value;
}

const inLexRange = (m: string, min: LexBound, max: LexBound): boolean => aboveLexMin(m, min) && belowLexMax(m, max);

type RangeBy = "rank" | "score" | "lex";

/** zrangeGenericCommand: ZRANGE's options, or the older forms' fixed kind and direction. */
function zrange(db: Db, args: readonly string[], preset?: { by: RangeBy; reverse: boolean }): string {
  const [key, first, second, ...options] = args as [string, string, string, ...string[]];
  let by: RangeBy | undefined = preset?.by;
  let reverse: boolean | undefined = preset?.reverse;
  let withScores = false;
  let offset = 0n, limit = -1n;
  for (let j = 0; j < options.length; j++) {
    const o = options[j]!.toUpperCase();
    const left = options.length - j - 1;
    if (o === "WITHSCORES") withScores = true;
    else if (o === "LIMIT" && left >= 2) {
      const off = parseInt64(options[j + 1]!), count = parseInt64(options[j + 2]!);
      if (off === null || count === null) return NOT_INTEGER;
      offset = off;
      limit = count;
      j += 2;
    } else if (reverse === undefined && o === "REV") reverse = true;
    else if (by === undefined && o === "BYLEX") by = "lex";
    else if (by === undefined && o === "BYSCORE") by = "score";
    else return SYNTAX;
  }
  by ??= "rank";
  reverse ??= false;
  if (limit !== -1n && by === "rank") return LIMIT_NEEDS_BY;
  if (withScores && by === "lex") return WITHSCORES_BYLEX;
  const [minArg, maxArg] = reverse && by !== "rank" ? [second, first] : [first, second];
  let pick: (entries: Array<[string, number]>) => Array<[string, number]>;
  if (by === "rank") {
    const start = parseInt64(minArg), end = parseInt64(maxArg);
    if (start === null || end === null) return NOT_INTEGER;
    pick = (entries) => {
      const range = clampRange(entries.length, start, end);
      return range === null ? [] : entries.slice(range[0], range[1] + 1);
    };
  } else {
    let inRange: (entry: [string, number]) => boolean;
    if (by === "score") {
      const min = parseScoreBound(minArg), max = parseScoreBound(maxArg);
      if (min === null || max === null) return RANGE_NOT_FLOAT;
      inRange = ([, s]) => inScoreRange(s, min, max);
    } else {
      const min = parseLexBound(minArg), max = parseLexBound(maxArg);
      if (min === null || max === null) return LEX_RANGE_INVALID;
      inRange = ([m]) => inLexRange(m, min, max);
    }
    pick = (entries) => {
      // A negative offset skips everything (Redis's `while (ln && offset--)`).
      if (offset < 0n) return [];
      const matching = entries.filter(inRange).slice(num(offset));
      return limit < 0n ? matching : matching.slice(0, num(limit));
    };
  }
  const z = zset(db, key);
  if (z === null) return EMPTY_ARRAY;
  if (isWrongType(z)) return WRONGTYPE;
  const entries = ordered(z);
  if (reverse) entries.reverse();
  const picked = pick(entries);
  return array(picked.flatMap(([m, s]) => (withScores ? [bulk(m), score(s)] : [bulk(m)])));
}

function zcount(db: Db, [key, minArg, maxArg]: readonly string[], by: "score" | "lex"): string {
  let inRange: (entry: [string, number]) => boolean;
  if (by === "score") {
    const min = parseScoreBound(minArg!), max = parseScoreBound(maxArg!);
    if (min === null || max === null) return RANGE_NOT_FLOAT;
    inRange = ([, s]) => inScoreRange(s, min, max);
  } else {
    const min = parseLexBound(minArg!), max = parseLexBound(maxArg!);
    if (min === null || max === null) return LEX_RANGE_INVALID;
    inRange = ([m]) => inLexRange(m, min, max);
  }
  const z = zset(db, key!);
  if (z === null) return int(0);
  if (isWrongType(z)) return WRONGTYPE;
  return int([...z].filter(inRange).length);
}

function zremrange(db: Db, [key, minArg, maxArg]: readonly string[], by: RangeBy): string {
  let select: (entries: Array<[string, number]>) => Array<[string, number]>;
  if (by === "rank") {
    const start = parseInt64(minArg!), end = parseInt64(maxArg!);
    if (start === null || end === null) return NOT_INTEGER;
    select = (entries) => {
      const range = clampRange(entries.length, start, end);
      return range === null ? [] : entries.slice(range[0], range[1] + 1);
    };
  } else if (by === "score") {
    const min = parseScoreBound(minArg!), max = parseScoreBound(maxArg!);
    if (min === null || max === null) return RANGE_NOT_FLOAT;
    select = (entries) => entries.filter(([, s]) => inScoreRange(s, min, max));
  } else {
    const min = parseLexBound(minArg!), max = parseLexBound(maxArg!);
    if (min === null || max === null) return LEX_RANGE_INVALID;
    select = (entries) => entries.filter(([m]) => inLexRange(m, min, max));
  }
  const z = zset(db, key!);
  if (z === null) return int(0);
  if (isWrongType(z)) return WRONGTYPE;
  const removed = select(ordered(z));
  const next = new Map(z);
  for (const [m] of removed) next.delete(m);
  putZset(db, key!, next);
  return int(removed.length);
}

function zpop(db: Db, [key, countArg, ...more]: readonly string[], max: boolean): string {
  if (more.length > 0) return SYNTAX;
  let count = 1n;
  if (countArg !== undefined) {
    const n = parseInt64(countArg);
    if (n === null || n < 0n) return MUST_BE_POSITIVE;
    count = n;
  }
  const z = zset(db, key!);
  if (z === null) return EMPTY_ARRAY;
  if (isWrongType(z)) return WRONGTYPE;
  const entries = ordered(z);
  if (max) entries.reverse();
  const taken = entries.slice(0, num(count));
  const next = new Map(z);
  for (const [m] of taken) next.delete(m);
  putZset(db, key!, next);
  return array(taken.flatMap(([m, s]) => [bulk(m), score(s)]));
}

function zrank(db: Db, [key, member]: readonly string[], reverse: boolean): string {
  const z = zset(db, key!);
  if (z === null) return NIL;
  if (isWrongType(z)) return WRONGTYPE;
  if (!z.has(member!)) return NIL;
  const entries = ordered(z);
  if (reverse) entries.reverse();
  return int(entries.findIndex(([m]) => m === member));
}

// ---------------------------------------------------------------- keys

function copy(db: Db, [source, destination, ...options]: readonly string[]): string {
  let replace = false;
  for (let j = 0; j < options.length; j++) {
    const option = options[j]!.toUpperCase();
    if (option === "REPLACE") replace = true;
    else if (option === "DB" && j + 1 < options.length) {
      // The model has one database: DB 0 is the current one.
      const dbid = parseInt64(options[++j]!);
      if (dbid === null) return NOT_INTEGER;
      if (dbid !== 0n) throw new Error("the model knows only database 0");
    } else return SYNTAX;
  }
  if (source === destination) return SAME_OBJECT;
  const value = db.get(source!);
  if (value === undefined) return int(0);
  if (!replace && db.get(destination!) !== undefined) return int(0);
  db.put(destination!, value);
  return int(1);
}

// ---------------------------------------------------------------- table

const HANDLERS: Record<string, Handler> = {
  GET: (db, [key]) => {
    const v = str(db, key!);
    return isWrongType(v) ? WRONGTYPE : bulk(v);
  },
  SET: (db, args) => setCommand(db, args),
  MGET: (db, keys) => bulks(keys.map((key) => {
    const v = db.get(key);
    return v?.type === "string" ? v.value : null;
  })),
  MSET: (db, args, name) => {
    if (args.length % 2 !== 0) return arity(name);
    for (let i = 0; i < args.length; i += 2) putString(db, args[i]!, args[i + 1]!);
    return OK;
  },
  MSETNX: (db, args, name) => {
    if (args.length % 2 !== 0) return arity(name);
    for (let i = 0; i < args.length; i += 2) if (db.get(args[i]!) !== undefined) return int(0);
    for (let i = 0; i < args.length; i += 2) putString(db, args[i]!, args[i + 1]!);
    return int(1);
  },
  SETNX: (db, [key, value]) => {
    if (db.get(key!) !== undefined) return int(0);
    putString(db, key!, value!);
    return int(1);
  },
  GETSET: (db, [key, value]) => {
    const old = str(db, key!);
    if (isWrongType(old)) return WRONGTYPE;
    putString(db, key!, value!);
    return bulk(old);
  },
  GETDEL: (db, [key]) => {
    const old = str(db, key!);
    if (isWrongType(old)) return WRONGTYPE;
    if (old !== null) db.delete(key!);
    return bulk(old);
  },
  INCR: (db, [key]) => incrBy(db, key!, 1n),
  DECR: (db, [key]) => incrBy(db, key!, -1n),
  INCRBY: (db, [key, by]) => {
    const n = parseInt64(by!);
    return n === null ? NOT_INTEGER : incrBy(db, key!, n);
  },
  DECRBY: (db, [key, by]) => {
    const n = parseInt64(by!);
    if (n === null) return NOT_INTEGER;
    if (n === LLONG_MIN) return DECREMENT_OVERFLOW;
    return incrBy(db, key!, -n);
  },
  APPEND: (db, [key, value]) => {
    const old = str(db, key!);
    if (isWrongType(old)) return WRONGTYPE;
    const next = (old ?? "") + value;
    putString(db, key!, next);
    return int(next.length);
  },
  STRLEN: (db, [key]) => {
    const v = str(db, key!);
    return isWrongType(v) ? WRONGTYPE : int(v?.length ?? 0);
  },
  GETRANGE: getrange,
  SETRANGE: setrange,

  LPUSH: (db, args) => push(db, args, { left: true, onlyIfExists: false }),
  RPUSH: (db, args) => push(db, args, { left: false, onlyIfExists: false }),
  LPUSHX: (db, args) => push(db, args, { left: true, onlyIfExists: true }),
  RPUSHX: (db, args) => push(db, args, { left: false, onlyIfExists: true }),
  LPOP: (db, args) => pop(db, args, true),
  RPOP: (db, args) => pop(db, args, false),
  LLEN: (db, [key]) => {
    const v = list(db, key!);
    return isWrongType(v) ? WRONGTYPE : int(v?.length ?? 0);
  },
  LRANGE: lrange,
  LINDEX: lindex,
  LSET: lset,
  LINSERT: linsert,
  LREM: lrem,
  LTRIM: ltrim,
  LPOS: lpos,
  LMOVE: (db, [source, destination, from, to]) => {
    const f = side(from!), t = side(to!);
    if (f === null || t === null) return SYNTAX;
    return lmove(db, source!, destination!, f === "LEFT", t === "LEFT");
  },
  RPOPLPUSH: (db, [source, destination]) => lmove(db, source!, destination!, false, true),

  HSET: hset,
  HSETNX: (db, [key, field, value]) => {
    const old = hash(db, key!);
    if (isWrongType(old)) return WRONGTYPE;
    if (old?.has(field!)) return int(0);
    putHash(db, key!, new Map(old ?? []).set(field!, value!));
    return int(1);
  },
  HGET: (db, [key, field]) => {
    const v = hash(db, key!);
    return isWrongType(v) ? WRONGTYPE : bulk(v?.get(field!));
  },
  HMGET: (db, [key, ...fields]) => {
    const v = hash(db, key!);
    return isWrongType(v) ? WRONGTYPE : bulks(fields.map((f) => v?.get(f)));
  },
  HDEL: (db, [key, ...fields]) => {
    const old = hash(db, key!);
    if (old === null) return int(0);
    if (isWrongType(old)) return WRONGTYPE;
    const next = new Map(old);
    let removed = 0;
    for (const f of fields) if (next.delete(f)) removed++;
    putHash(db, key!, next);
    return int(removed);
  },
  HEXISTS: (db, [key, field]) => {
    const v = hash(db, key!);
    return isWrongType(v) ? WRONGTYPE : int(v?.has(field!) ? 1 : 0);
  },
  HLEN: (db, [key]) => {
    const v = hash(db, key!);
    return isWrongType(v) ? WRONGTYPE : int(v?.size ?? 0);
  },
  HKEYS: (db, [key]) => {
    const v = hash(db, key!);
    return isWrongType(v) ? WRONGTYPE : bulks(v?.keys() ?? []);
  },
  HVALS: (db, [key]) => {
    const v = hash(db, key!);
    return isWrongType(v) ? WRONGTYPE : bulks(v?.values() ?? []);
  },
  HGETALL: (db, [key]) => {
    const v = hash(db, key!);
    return isWrongType(v) ? WRONGTYPE : bulks([...(v ?? [])].flat());
  },
  HINCRBY: hincrby,
  HSTRLEN: (db, [key, field]) => {
    const v = hash(db, key!);
    return isWrongType(v) ? WRONGTYPE : int(v?.get(field!)?.length ?? 0);
  },

  SADD: (db, [key, ...members]) => {
    const old = set(db, key!);
    if (isWrongType(old)) return WRONGTYPE;
    const next = new Set(old ?? []);
    const before = next.size;
    for (const m of members) next.add(m);
    putSet(db, key!, next);
    return int(next.size - before);
  },
  SREM: (db, [key, ...members]) => {
    const old = set(db, key!);
    if (old === null) return int(0);
    if (isWrongType(old)) return WRONGTYPE;
    const next = new Set(old);
    let removed = 0;
    for (const m of members) if (next.delete(m)) removed++;
    putSet(db, key!, next);
    return int(removed);
  },
  SCARD: (db, [key]) => {
    const v = set(db, key!);
    return isWrongType(v) ? WRONGTYPE : int(v?.size ?? 0);
  },
  SISMEMBER: (db, [key, member]) => {
    const v = set(db, key!);
    return isWrongType(v) ? WRONGTYPE : int(v?.has(member!) ? 1 : 0);
  },
  SMISMEMBER: (db, [key, ...members]) => {
    const v = set(db, key!);
    return isWrongType(v) ? WRONGTYPE : array(members.map((m) => int(v?.has(m) ? 1 : 0)));
  },
  SMEMBERS: (db, [key]) => {
    const v = set(db, key!);
    return isWrongType(v) ? WRONGTYPE : bulks(v ?? []);
  },
  SMOVE: smove,
  SINTER: (db, keys) => setAlgebra(db, keys, "inter"),
  SUNION: (db, keys) => setAlgebra(db, keys, "union"),
  SDIFF: (db, keys) => setAlgebra(db, keys, "diff"),
  SINTERSTORE: (db, args) => setAlgebraStore(db, args, "inter"),
  SUNIONSTORE: (db, args) => setAlgebraStore(db, args, "union"),
  SDIFFSTORE: (db, args) => setAlgebraStore(db, args, "diff"),

  ZADD: (db, args) => zadd(db, args, { incrOnly: false }),
  ZINCRBY: (db, args) => zadd(db, [args[0]!, args[1]!, args[2]!], { incrOnly: true }),
  ZREM: (db, [key, ...members]) => {
    const old = zset(db, key!);
    if (old === null) return int(0);
    if (isWrongType(old)) return WRONGTYPE;
    const next = new Map(old);
    let removed = 0;
    for (const m of members) if (next.delete(m)) removed++;
    putZset(db, key!, next);
    return int(removed);
  },
  ZCARD: (db, [key]) => {
    const v = zset(db, key!);
    return isWrongType(v) ? WRONGTYPE : int(v?.size ?? 0);
  },
  ZSCORE: (db, [key, member]) => {
    const v = zset(db, key!);
    if (isWrongType(v)) return WRONGTYPE;
    const s = v?.get(member!);
    return s === undefined ? NIL : score(s);
  },
  ZMSCORE: (db, [key, ...members]) => {
    const v = zset(db, key!);
    if (isWrongType(v)) return WRONGTYPE;
    return array(members.map((m) => {
      const s = v?.get(m);
      return s === undefined ? NIL : score(s);
    }));
  },
  ZCOUNT: (db, args) => zcount(db, args, "score"),
  ZLEXCOUNT: (db, args) => zcount(db, args, "lex"),
  ZRANK: (db, args) => zrank(db, args, false),
  ZREVRANK: (db, args) => zrank(db, args, true),
  ZRANGE: (db, args) => zrange(db, args),
  ZREVRANGE: (db, args) => zrange(db, args, { by: "rank", reverse: true }),
  ZRANGEBYSCORE: (db, args) => zrange(db, args, { by: "score", reverse: false }),
  ZREVRANGEBYSCORE: (db, args) => zrange(db, args, { by: "score", reverse: true }),
  ZRANGEBYLEX: (db, args) => zrange(db, args, { by: "lex", reverse: false }),
  ZREVRANGEBYLEX: (db, args) => zrange(db, args, { by: "lex", reverse: true }),
  ZPOPMIN: (db, args) => zpop(db, args, false),
  ZPOPMAX: (db, args) => zpop(db, args, true),
  ZREMRANGEBYRANK: (db, args) => zremrange(db, args, "rank"),
  ZREMRANGEBYSCORE: (db, args) => zremrange(db, args, "score"),
  ZREMRANGEBYLEX: (db, args) => zremrange(db, args, "lex"),

  DEL: (db, keys) => int(keys.filter((key) => db.delete(key)).length),
  EXISTS: (db, keys) => int(keys.filter((key) => db.get(key) !== undefined).length),
  TYPE: (db, [key]) => `+${db.get(key!)?.type ?? "none"}\r\n`,
  RENAME: (db, [source, destination]) => {
    const value = db.get(source!);
    if (value === undefined) return NO_SUCH_KEY;
    if (source === destination) return OK;
    db.delete(source!);
    db.put(destination!, value);
    return OK;
  },
  COPY: copy,
  DBSIZE: (db) => int(db.map.size),
};

/** Every command the model implements, upper case. */
export const MODEL_COMMANDS: readonly string[] = Object.keys(HANDLERS);

/**
 * Commands whose reply order Redis leaves unspecified; their replies are
 * compared after `normalizeReply`.
 */
const UNORDERED = new Set(["HKEYS", "HVALS", "SMEMBERS", "SINTER", "SUNION", "SDIFF"]);
const UNORDERED_PAIRS = new Set(["HGETALL"]);

/** Runs one command: its reply and the state after it. The input state is not changed. */
export function step(state: State, argv: readonly string[]): StepResult {
  const name = argv[0]!.toUpperCase();
  const handler = HANDLERS[name];
  if (handler === undefined) throw new Error(`the reference model has no ${name}`);
  const db = new Db(state);
  const reply = handler(db, argv.slice(1), name.toLowerCase());
  return { reply, state: db.map };
}

/** Splits a RESP2 array reply of bulks into its items' wire texts (null when it is not one). */
function bulkItems(reply: string): string[] | null {
  const header = /^\*(\d+)\r\n/.exec(reply);
  if (header === null) return null;
  const items: string[] = [];
  let at = header[0].length;
  for (let i = 0; i < Number(header[1]); i++) {
    const m = /^\$(-?\d+)\r\n/.exec(reply.slice(at));
    if (m === null) return null;
    const length = Number(m[1]);
    const end = at + m[0].length + (length < 0 ? 0 : length + 2);
    items.push(reply.slice(at, end));
    at = end;
  }
  return at === reply.length ? items : null;
}

/** The reply in a canonical order when Redis does not specify one; otherwise unchanged. */
export function normalizeReply(argv: readonly string[], reply: string): string {
  const name = argv[0]!.toUpperCase();
  if (!UNORDERED.has(name) && !UNORDERED_PAIRS.has(name)) return reply;
  const items = bulkItems(reply);
  if (items === null) return reply;
  const header = `*${items.length}\r\n`;
  if (UNORDERED.has(name)) return header + items.sort().join("");
  const pairs: string[] = [];
  for (let i = 0; i < items.length; i += 2) pairs.push(items[i]! + (items[i + 1] ?? ""));
  return header + pairs.sort().join("");
}
