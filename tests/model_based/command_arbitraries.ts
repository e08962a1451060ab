// fast-check generators of random Redis commands over a small key space, so
// that keys collide, change type and empty out often. Every string is a byte
// string (one char per byte, latin1); some values are binary.
import fc from "fast-check";

export type Argv = readonly string[];

export const KEYS = ["a", "b", "c", "d", "e"] as const;
/**
 * A sorted set whose scores are all 0, so that the lex-range commands are
 * defined (Redis leaves them unspecified over mixed scores): only ZADD with
 * score 0, reads and removals use it; no other command names it (so RENAME
 * or COPY never bring another value there).
 */
export const LEX_KEY = "l";
/** Every key a sequence can leave behind, for the final checks. */
export const ALL_KEYS: readonly string[] = [...KEYS, LEX_KEY];

const key = fc.constantFrom(...KEYS);
const someKeys = fc.array(key, { minLength: 1, maxLength: 4 });

/**
 * Keys of one family's commands: mostly two of the five (neighbouring
 * families share one), so that most commands find their own type and some
 * find another (WRONGTYPE).
 */
const familyKey = (preferred: readonly [string, string]) =>
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...preferred) }, { weight: 1, arbitrary: key });
const stringKey = familyKey(["a", "b"]);
const listKey = familyKey(["b", "c"]);
const hashKey = familyKey(["c", "d"]);
const setKey = familyKey(["d", "e"]);
const someSetKeys = fc.array(setKey, { minLength: 1, maxLength: 4 });
const someStringKeys = fc.array(stringKey, { minLength: 1, maxLength: 4 });
const zsetKey = familyKey(["e", "a"]);
/** Commands that neither add members nor change scores may also read or empty the lex key. */
const zsetReadKey = fc.oneof({ weight: 4, arbitrary: zsetKey }, { weight: 1, arbitrary: fc.constant(LEX_KEY) });

/** Values: integers at the int64 edges, near-integers Redis rejects, text and binary. */
const value = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "", "0", "1", "-1", "7", "42", "x", "abc", "hello",
      "9223372036854775807", "-9223372036854775808", "01", " 1", "1.5", "-0",
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom("\x00", "\xff\x00\r\n", "a\x00b", "\r\n") },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom("a", "b", "0", "1", "\x00", "\xff"), maxLength: 6 }) },
  // Around STRING_CHUNK_BYTES (10,000), where Materia splits strings into chunks.
  { weight: 1, arbitrary: fc.constantFrom("<9999 bytes of p>", "<10000 bytes of q>", "<10001 bytes of r>", "<20001 bytes of s>") },
);
/** List elements and set members: few, so that they repeat. */
const element = fc.constantFrom("x", "y", "z", "1", "", "\x00\xff");
const elements = fc.array(element, { minLength: 1, maxLength: 4 });
const field = fc.constantFrom("f", "g", "h", "1", "\x00");
const fields = fc.array(field, { minLength: 1, maxLength: 3 });

const increment = fc.constantFrom("0", "1", "-1", "5", "-10", "100", "9223372036854775807", "-9223372036854775808", "x", "1.5", "");
const index = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("-100", "-3", "-2", "-1", "0", "1", "2", "3", "100", "9223372036854775807", "-9223372036854775808", "x") },
  { weight: 1, arbitrary: fc.constantFrom("9999", "10000", "10001", "-10001", "19999", "20000") },
);
const popCount = fc.constantFrom("0", "1", "2", "3", "10", "-1", "x");
const offset = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("0", "1", "2", "3", "5", "10", "-1", "x", "536870912") },
  { weight: 1, arbitrary: fc.constantFrom("9998", "9999", "10000", "10001", "19999", "25000") },
);
const remCount = fc.constantFrom("0", "1", "2", "-1", "-2", "x");

/** A token in upper or lower case (Redis options are case-insensitive). */
const token = (t: string) => fc.constantFrom(t, t.toLowerCase());

const pairs = <A, B>(a: fc.Arbitrary<A>, b: fc.Arbitrary<B>) =>
  fc.array(fc.tuple(a, b), { minLength: 1, maxLength: 3 }).map((ps) => ps.flat() as Array<A | B>);

const cmd = (name: string, ...parts: Array<fc.Arbitrary<string | readonly string[]>>): fc.Arbitrary<Argv> =>
  fc.tuple(...parts).map((ps) => [name, ...ps.flat()]);

const optional = (a: fc.Arbitrary<string | readonly string[]>) => fc.option(a, { nil: undefined }).map((x) => x ?? []);

const lposOptions = fc.oneof(
  { weight: 8, arbitrary: fc.shuffledSubarray([
    fc.tuple(token("RANK"), fc.constantFrom("1", "2", "-1", "-2", "0", "x", "9223372036854775807")), // not LLONG_MIN: see reference_model.ts lpos
    fc.tuple(token("COUNT"), fc.constantFrom("0", "1", "2", "-1")),
    fc.tuple(token("MAXLEN"), fc.constantFrom("0", "1", "2", "3", "-1")),
  ]).chain((chosen) => fc.tuple(...chosen)).map((ts) => ts.flat()) },
  { weight: 1, arbitrary: fc.constantFrom(["RANK"], ["FOO", "1"]) },
);

/** SET's NX, XX and GET in any order and case; NX with XX (a syntax error) now and then. */
const setOptions = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom<string[]>([], ["NX"], ["XX"], ["GET"], ["NX", "GET"], ["XX", "GET"]) },
  { weight: 1, arbitrary: fc.constant<string[]>(["NX", "XX", "GET"]) },
).chain((options) => fc.shuffledSubarray(options, { minLength: options.length })).chain((options) => fc.tuple(...options.map(token)));

/** Scores: few, so that they tie (ties order by member), with infinities, -0 and texts Redis rejects. */
const scoreArg = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom("0", "1", "-1", "2", "1.5", "-2.5", "10", "0.1", "3") },
  { weight: 2, arbitrary: fc.constantFrom("inf", "-inf", "+inf", "-0", "1e3", "1e-7", "123456789012345678") },
  { weight: 1, arbitrary: fc.constantFrom("x", "nan", "", " 1", "1x", "(1") },
);
const scoredMembers = pairs(scoreArg, element);
/** ZADD's flags, in any order and case; incompatible pairs now and then. */
const zaddFlags = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<string[]>([], [], [], ["NX"], ["XX"], ["CH"], ["GT"], ["LT"], ["XX", "CH"], ["GT", "CH"], ["LT", "XX"], ["NX", "CH"]) },
  { weight: 1, arbitrary: fc.constantFrom<string[]>(["NX", "XX"], ["GT", "LT"], ["NX", "GT"]) },
).chain((flags) => fc.shuffledSubarray(flags, { minLength: flags.length })).chain((flags) => fc.tuple(...flags.map(token)));
/** ZINCRBY's and ZADD INCR's increments: NaN comes from inf + -inf. */
const incrementArg = fc.constantFrom("1", "-1", "0.5", "2", "0", "inf", "-inf", "x");
const scoreBound = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("-inf", "+inf", "0", "1", "(1", "2", "(2", "1.5", "-1", "(-1", "10", "inf", "(inf") },
  { weight: 1, arbitrary: fc.constantFrom("x", "(x", "nan", "[1") },
);
const lexBound = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("-", "+", "[x", "(x", "[y", "(z", "[1", "(", "[", "[\x00\xff") },
  { weight: 1, arbitrary: fc.constantFrom("x", "++", "") },
);
const limitOption = fc.tuple(token("LIMIT"), fc.constantFrom("0", "1", "2", "-1"), fc.constantFrom("-1", "0", "1", "2", "5"));
const badLimit = fc.constantFrom(["LIMIT", "x", "1"], ["LIMIT", "0"]);
/** ZRANGE's options: BYSCORE or BYLEX, REV, LIMIT, WITHSCORES in any order; their conflicts now and then. */
function zrangeOptions(by: "rank" | "score" | "lex"): fc.Arbitrary<string[]> {
  const chosen: Array<fc.Arbitrary<string | readonly string[]>> = [];
  if (by === "score") chosen.push(token("BYSCORE"));
  if (by === "lex") chosen.push(token("BYLEX"));
  return fc.tuple(
    fc.tuple(...chosen),
    fc.option(token("REV"), { nil: undefined }),
    fc.oneof(
      { weight: by === "rank" ? 1 : 4, arbitrary: limitOption },
      { weight: 4, arbitrary: fc.constant([] as string[]) },
      { weight: 1, arbitrary: badLimit },
    ),
    fc.oneof({ weight: by === "lex" ? 1 : 3, arbitrary: token("WITHSCORES") }, { weight: 3, arbitrary: fc.constant(undefined) }),
    fc.oneof({ weight: 12, arbitrary: fc.constant([] as string[]) }, { weight: 1, arbitrary: fc.constantFrom(["REV"], ["BYSCORE"], ["FOO"]) }),
  ).chain(([byToken, rev, limit, withScores, tail]) => {
    // A bad LIMIT ("LIMIT x 1", or "LIMIT 0" taking the next option for its count) goes anywhere among the options.
    const groups: string[][] = [[...byToken.flat()], rev === undefined ? [] : [rev], [...limit], withScores === undefined ? [] : [withScores]];
    return fc.shuffledSubarray(groups, { minLength: groups.length }).map((gs) => [...gs.flat(), ...tail]);
  });
}
/** The older forms' options: WITHSCORES and, for the by-score ones, LIMIT. */
const oldRangeOptions = (withLimit: boolean) =>
  fc.tuple(optional(token("WITHSCORES")), withLimit ? optional(limitOption) : fc.constant([] as string[]))
    .chain((groups) => fc.shuffledSubarray(groups.map((g) => [g].flat()), { minLength: 2 })).map((gs) => gs.flat());


/**
 * One generator per command, with a weight: commands that create keys come
 * more often, so that reads usually find something.
 */
export const COMMAND_ARBITRARIES: Record<string, { weight: number; arbitrary: fc.Arbitrary<Argv> }> = {
  GET: { weight: 2, arbitrary: cmd("GET", stringKey) },
  SET: { weight: 4, arbitrary: cmd("SET", stringKey, value, setOptions) },
  MGET: { weight: 1, arbitrary: cmd("MGET", someStringKeys) },
  MSET: { weight: 1, arbitrary: cmd("MSET", pairs(stringKey, value)) },
  DEL: { weight: 2, arbitrary: cmd("DEL", someKeys) },
  EXISTS: { weight: 1, arbitrary: cmd("EXISTS", someKeys) },
  TYPE: { weight: 1, arbitrary: cmd("TYPE", key) },
  INCR: { weight: 2, arbitrary: cmd("INCR", stringKey) },
  DECR: { weight: 1, arbitrary: cmd("DECR", stringKey) },
  INCRBY: { weight: 2, arbitrary: cmd("INCRBY", stringKey, increment) },
  DECRBY: { weight: 1, arbitrary: cmd("DECRBY", stringKey, increment) },
  APPEND: { weight: 2, arbitrary: cmd("APPEND", stringKey, value) },
  STRLEN: { weight: 1, arbitrary: cmd("STRLEN", stringKey) },
  GETRANGE: { weight: 1, arbitrary: cmd("GETRANGE", stringKey, index, index) },
  SETRANGE: { weight: 2, arbitrary: cmd("SETRANGE", stringKey, offset, value) },
  GETDEL: { weight: 1, arbitrary: cmd("GETDEL", stringKey) },
  GETSET: { weight: 1, arbitrary: cmd("GETSET", stringKey, value) },
  SETNX: { weight: 1, arbitrary: cmd("SETNX", stringKey, value) },
  MSETNX: { weight: 1, arbitrary: cmd("MSETNX", pairs(stringKey, value)) },

  LPUSH: { weight: 3, arbitrary: cmd("LPUSH", listKey, elements) },
  RPUSH: { weight: 3, arbitrary: cmd("RPUSH", listKey, elements) },
  LPUSHX: { weight: 1, arbitrary: cmd("LPUSHX", listKey, elements) },
  RPUSHX: { weight: 1, arbitrary: cmd("RPUSHX", listKey, elements) },
  LPOP: { weight: 2, arbitrary: cmd("LPOP", listKey, optional(popCount)) },
  RPOP: { weight: 2, arbitrary: cmd("RPOP", listKey, optional(popCount)) },
  LLEN: { weight: 1, arbitrary: cmd("LLEN", listKey) },
  LRANGE: { weight: 2, arbitrary: cmd("LRANGE", listKey, index, index) },
  LINDEX: { weight: 1, arbitrary: cmd("LINDEX", listKey, index) },
  LSET: { weight: 1, arbitrary: cmd("LSET", listKey, index, element) },
  LINSERT: {
    weight: 1,
    arbitrary: cmd("LINSERT", listKey, fc.oneof({ weight: 6, arbitrary: fc.oneof(token("BEFORE"), token("AFTER")) }, { weight: 1, arbitrary: fc.constant("MIDDLE") }), element, element),
  },
  LREM: { weight: 1, arbitrary: cmd("LREM", listKey, remCount, element) },
  LTRIM: { weight: 1, arbitrary: cmd("LTRIM", listKey, index, index) },
  LPOS: { weight: 2, arbitrary: cmd("LPOS", listKey, element, lposOptions) },
  LMOVE: {
    weight: 1,
    arbitrary: cmd("LMOVE", listKey, listKey, ...[0, 1].map(() => fc.oneof({ weight: 8, arbitrary: fc.oneof(token("LEFT"), token("RIGHT")) }, { weight: 1, arbitrary: fc.constant("UP") }))),
  },
  RPOPLPUSH: { weight: 1, arbitrary: cmd("RPOPLPUSH", listKey, listKey) },

  HSET: { weight: 3, arbitrary: cmd("HSET", hashKey, pairs(field, value)) },
  HSETNX: { weight: 1, arbitrary: cmd("HSETNX", hashKey, field, value) },
  HGET: { weight: 1, arbitrary: cmd("HGET", hashKey, field) },
  HMGET: { weight: 1, arbitrary: cmd("HMGET", hashKey, fields) },
  HDEL: { weight: 1, arbitrary: cmd("HDEL", hashKey, fields) },
  HEXISTS: { weight: 1, arbitrary: cmd("HEXISTS", hashKey, field) },
  HLEN: { weight: 1, arbitrary: cmd("HLEN", hashKey) },
  HKEYS: { weight: 1, arbitrary: cmd("HKEYS", hashKey) },
  HVALS: { weight: 1, arbitrary: cmd("HVALS", hashKey) },
  HGETALL: { weight: 1, arbitrary: cmd("HGETALL", hashKey) },
  HINCRBY: { weight: 2, arbitrary: cmd("HINCRBY", hashKey, field, increment) },
  HSTRLEN: { weight: 1, arbitrary: cmd("HSTRLEN", hashKey, field) },

  SADD: { weight: 3, arbitrary: cmd("SADD", setKey, elements) },
  SREM: { weight: 2, arbitrary: cmd("SREM", setKey, elements) },
  SCARD: { weight: 1, arbitrary: cmd("SCARD", setKey) },
  SISMEMBER: { weight: 1, arbitrary: cmd("SISMEMBER", setKey, element) },
  SMISMEMBER: { weight: 1, arbitrary: cmd("SMISMEMBER", setKey, elements) },
  SMEMBERS: { weight: 1, arbitrary: cmd("SMEMBERS", setKey) },
  SMOVE: { weight: 1, arbitrary: cmd("SMOVE", setKey, setKey, element) },
  SINTER: { weight: 1, arbitrary: cmd("SINTER", someSetKeys) },
  SUNION: { weight: 1, arbitrary: cmd("SUNION", someSetKeys) },
  SDIFF: { weight: 1, arbitrary: cmd("SDIFF", someSetKeys) },
  SINTERSTORE: { weight: 1, arbitrary: cmd("SINTERSTORE", setKey, someSetKeys) },
  SUNIONSTORE: { weight: 1, arbitrary: cmd("SUNIONSTORE", setKey, someSetKeys) },
  SDIFFSTORE: { weight: 1, arbitrary: cmd("SDIFFSTORE", setKey, someSetKeys) },

  ZADD: {
    weight: 5,
    arbitrary: fc.oneof(
      { weight: 6, arbitrary: cmd("ZADD", zsetKey, zaddFlags, scoredMembers) },
      { weight: 2, arbitrary: cmd("ZADD", zsetKey, zaddFlags, token("INCR"), incrementArg, element) },
      // The lex key: score 0 only, and no INCR.
      { weight: 3, arbitrary: cmd("ZADD", fc.constant(LEX_KEY), fc.constantFrom([], ["NX"], ["XX"], ["CH"]), pairs(fc.constant("0"), element)) },
      // Odd arguments, or flags only: a syntax error.
      { weight: 1, arbitrary: cmd("ZADD", zsetKey, zaddFlags, fc.constantFrom([], ["1"], ["1", "x", "2"])) },
    ),
  },
  ZINCRBY: { weight: 2, arbitrary: cmd("ZINCRBY", zsetKey, incrementArg, element) },
  ZREM: { weight: 2, arbitrary: cmd("ZREM", zsetReadKey, elements) },
  ZCARD: { weight: 1, arbitrary: cmd("ZCARD", zsetReadKey) },
  ZSCORE: { weight: 1, arbitrary: cmd("ZSCORE", zsetReadKey, element) },
  ZMSCORE: { weight: 1, arbitrary: cmd("ZMSCORE", zsetReadKey, elements) },
  ZCOUNT: { weight: 1, arbitrary: cmd("ZCOUNT", zsetReadKey, scoreBound, scoreBound) },
  ZLEXCOUNT: { weight: 1, arbitrary: cmd("ZLEXCOUNT", fc.constant(LEX_KEY), lexBound, lexBound) },
  ZRANK: { weight: 1, arbitrary: cmd("ZRANK", zsetReadKey, element) },
  ZREVRANK: { weight: 1, arbitrary: cmd("ZREVRANK", zsetReadKey, element) },
  ZRANGE: {
    weight: 3,
    arbitrary: fc.oneof(
      { weight: 3, arbitrary: cmd("ZRANGE", zsetReadKey, index, index, zrangeOptions("rank")) },
      { weight: 3, arbitrary: cmd("ZRANGE", zsetReadKey, scoreBound, scoreBound, zrangeOptions("score")) },
      { weight: 2, arbitrary: cmd("ZRANGE", fc.constant(LEX_KEY), lexBound, lexBound, zrangeOptions("lex")) },
    ),
  },
  ZREVRANGE: { weight: 1, arbitrary: cmd("ZREVRANGE", zsetReadKey, index, index, optional(token("WITHSCORES"))) },
  ZRANGEBYSCORE: { weight: 1, arbitrary: cmd("ZRANGEBYSCORE", zsetReadKey, scoreBound, scoreBound, oldRangeOptions(true)) },
  ZREVRANGEBYSCORE: { weight: 1, arbitrary: cmd("ZREVRANGEBYSCORE", zsetReadKey, scoreBound, scoreBound, oldRangeOptions(true)) },
  ZRANGEBYLEX: { weight: 1, arbitrary: cmd("ZRANGEBYLEX", fc.constant(LEX_KEY), lexBound, lexBound, optional(limitOption)) },
  ZREVRANGEBYLEX: { weight: 1, arbitrary: cmd("ZREVRANGEBYLEX", fc.constant(LEX_KEY), lexBound, lexBound, optional(limitOption)) },
  ZPOPMIN: { weight: 1, arbitrary: cmd("ZPOPMIN", zsetReadKey, optional(popCount)) },
  ZPOPMAX: { weight: 1, arbitrary: cmd("ZPOPMAX", zsetReadKey, optional(popCount)) },
  ZREMRANGEBYRANK: { weight: 1, arbitrary: cmd("ZREMRANGEBYRANK", zsetReadKey, index, index) },
  ZREMRANGEBYSCORE: { weight: 1, arbitrary: cmd("ZREMRANGEBYSCORE", zsetReadKey, scoreBound, scoreBound) },
  ZREMRANGEBYLEX: { weight: 1, arbitrary: cmd("ZREMRANGEBYLEX", fc.constant(LEX_KEY), lexBound, lexBound) },

  RENAME: { weight: 1, arbitrary: cmd("RENAME", key, key) },
  COPY: {
    weight: 1,
    arbitrary: cmd("COPY", key, key, fc.shuffledSubarray([["REPLACE"], ["DB", "0"]]).map((os) => os.flat()), fc.constantFrom([], [], [], [], ["FOO"])),
  },
  DBSIZE: { weight: 1, arbitrary: cmd("DBSIZE") },
};

const LARGE = /^<(\d+) bytes of ([a-z])>$/;

/**
 * The argv to send: a generated `<N bytes of c>` stands for N bytes of a
 * position-dependent pattern (a misplaced chunk shows), so that shrunk
 * sequences stay readable.
 */
export function expandArgv(argv: Argv): Argv {
  return argv.map((arg) => {
    const m = LARGE.exec(arg);
    if (m === null) return arg;
    const base = m[2]!.charCodeAt(0);
    let out = "";
    for (let i = 0; i < Number(m[1]); i++) out += String.fromCharCode(i % 100 === 99 ? base : 48 + ((i * 7 + (i >> 8)) % 10));
    return out;
  });
}

/** Random sequences of the given commands. */
export function commandSequence(commands: readonly string[], options: { maxLength: number }): fc.Arbitrary<Argv[]> {
  const choices = commands.map((name) => {
    const entry = COMMAND_ARBITRARIES[name];
    if (entry === undefined) throw new Error(`no generator for ${name}`);
    return entry;
  });
  // size "max": lengths spread over the whole range, not clustered near zero.
  return fc.array(fc.oneof(...choices), { minLength: 1, maxLength: options.maxLength, size: "max" });
}
