// Differential cases of the HyperLogLog commands (src/commands/families/hyperloglog.ts),
// by command; run by hyperloglog_test.ts against redis-server or its recorded
// replies. A HyperLogLog is a string of Redis's own bytes, so most cases GET
// the value after the command: the bytes (sparse encoding, promotion to dense,
// cached cardinality) must equal Redis's, not only the estimates. Element
// lists stay small (a step's arguments are its label in the recording);
// hyperloglog_test.ts adds 100,000 elements against redis-server directly.
import { bin, ttl, type Arg, type CasesByCommand } from "../differential/case_types.ts";

/** `count` distinct elements `<prefix><n>`, n from `from`. */
export function elements(prefix: string, count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${(from + i).toString(36)}`);
}

/** `PFADD key` steps of `batch` elements each, `count` elements in all. */
function addInBatches(key: string, prefix: string, count: number, batch: number): Arg[][] {
  const steps: Arg[][] = [];
  for (let from = 0; from < count; from += batch) steps.push(["PFADD", key, ...elements(prefix, Math.min(batch, count - from), from)]);
  return steps;
}

const HEADER_SPARSE = "HYLL\x01\x00\x00\x00";
const HEADER_DENSE = "HYLL\x00\x00\x00\x00";
/** A stale cache: the high bit of the last cardinality byte. */
const STALE = "\x00\x00\x00\x00\x00\x00\x00\x80";

/** Dense registers packed as Redis packs them (6 bits each, LSB first), from a register function. */
function denseValue(header: string, register: (index: number) => number): Uint8Array {
  const out = new Uint8Array(16 + 12288);
  out.set(bin(header), 0);
  for (let i = 0; i < 16384; i++) {
    const bit = i * 6;
    const value = register(i) & 63;
    out[16 + (bit >> 3)]! |= (value << (bit & 7)) & 0xff;
    if ((bit & 7) > 2) out[16 + (bit >> 3) + 1]! |= value >> (8 - (bit & 7));
  }
  return out;
}

/** PFADD a b c in Redis 7.0.15, as GET returned it: XZERO 8436, VAL 1, XZERO 4274, VAL 2, XZERO 3068, VAL 1, XZERO 603. */
const REDIS_ABC = bin(HEADER_SPARSE + STALE + "\x60\xf3\x80\x50\xb1\x84\x4b\xfb\x80\x42\x5a");
/** A dense value with registers of every value 0-32 (the estimator's whole range), packed by hand. */
const PATTERN_DENSE = denseValue(HEADER_DENSE + STALE, (i) => (i * 7) % 33);
/** Another dense value, registers 0-19, cheaper in a case than the thousands of PFADDs that make one. */
const OTHER_DENSE = denseValue(HEADER_DENSE + STALE, (i) => (i * 13 + 5) % 20);
/** Every register at 51: the estimate is infinite, which Redis replies as LLONG_MIN. */
const ALL_51 = denseValue(HEADER_DENSE + STALE, () => 51);
/** Sparse registers covering 16383 registers only (XZERO 16383). */
const SHORT_SPARSE = bin(HEADER_SPARSE + STALE + "\x7f\xfe");
/** Sparse registers covering 16385 (XZERO 16384, ZERO 1). */
const LONG_SPARSE = bin(HEADER_SPARSE + STALE + "\x7f\xff\x00");
/** An empty sparse value whose cache is valid and says 42. */
const CACHED_42 = bin(HEADER_SPARSE + "\x2a\x00\x00\x00\x00\x00\x00\x00" + "\x7f\xff");
/** An element hashing to register 16383 (the last one), with a run of 2. */
const LAST_REGISTER = "r7803";
const BINARY = bin("m\r\n\x00\xff");
/** An element whose hash has a run of 34 (register 5455): more than the sparse encoding's VAL holds (found by search). */
const LONG_RUN = "x4433771783";

export const CASES: CasesByCommand = {
  PFADD: [
    {
      name: "PFADD creates a sparse HyperLogLog, answers 1 only when a register changes, and GET shows Redis's bytes",
      steps: [
        ["PFADD", "h", "a", "b", "c"], ["PFADD", "h", "a"], ["PFADD", "h", "c", "b", "a"], ["PFADD", "h"], ["GET", "h"], ["TYPE", "h"], ["STRLEN", "h"],
        ["PFADD", "new"], ["EXISTS", "new"], ["GET", "new"], ["PFADD", "new"], ["PFCOUNT", "new"], ["GET", "new"],
        ["PFADD", "h", "", BINARY, "d"], ["GET", "h"], ["PFCOUNT", "h"], ["PFADD", "h", BINARY],
      ],
    },
    {
      name: "PFADD of 1000 elements in one call stays sparse, with Redis's exact bytes",
      steps: [["PFADD", "h", ...elements("e", 1000)], ["STRLEN", "h"], ["GET", "h"], ["PFCOUNT", "h"], ["GET", "h"], ["PFADD", "h", ...elements("e", 50)]],
    },
    {
      name: "PFADD turns the sparse encoding dense once it would pass 3000 bytes, at Redis's element",
      steps: addInBatches("h", "p", 2000, 100).flatMap((step): Arg[][] => [step, ["STRLEN", "h"]]).concat([["GET", "h"], ["PFCOUNT", "h"], ["GETRANGE", "h", "0", "15"]]),
    },
    {
      name: "PFADD of an element whose run is longer than 32 turns a sparse value dense at once",
      steps: [
        ["PFADD", "h", "a", "b", "c"], ["PFADD", "h", LONG_RUN], ["STRLEN", "h"], ["GET", "h"], ["PFCOUNT", "h"], ["PFADD", "h", LONG_RUN],
        ["PFADD", "one", LONG_RUN], ["STRLEN", "one"], ["PFCOUNT", "one"], ["PFADD", "s", "a"], ["PFMERGE", "s", "one"], ["STRLEN", "s"], ["GET", "s"],
      ],
    },
    {
      name: "PFADD on a dense value changes registers in place and keeps the TTL",
      steps: [
        ["SET", "h", OTHER_DENSE], ["PFADD", "h", ...elements("q", 300)], ["EXPIRE", "h", "1000"], ["PFADD", "h", "x", "y"], ["PFADD", "h", "x"], ttl("TTL", "h"), ["GET", "h"],
        ["PFCOUNT", "h"], ["PFADD", "h", "z"], ttl("TTL", "h"), ["PFCOUNT", "h"], ["GET", "h"],
      ],
    },
    {
      name: "PFADD against keys that are not HyperLogLogs: other types, short strings, bad magic, bad encoding, bad dense size",
      steps: [
        ["RPUSH", "list", "a"], ["PFADD", "list", "a"], ["PFADD", "list"], ["HSET", "hash", "f", "v"], ["PFADD", "hash", "a"],
        ["SET", "s", "hello"], ["PFADD", "s", "a"], ["PFADD", "s"], ["GET", "s"],
        ["SET", "s", "1234567890123456"], ["PFADD", "s", "a"],
        ["SET", "s", "HYLL"], ["PFADD", "s", "a"],
        ["SET", "s", bin("HYLL\x02\x00\x00\x00" + STALE + "\x7f\xff")], ["PFADD", "s", "a"],
        ["SET", "s", bin("HYLX\x01\x00\x00\x00" + STALE + "\x7f\xff")], ["PFADD", "s", "a"],
        ["SET", "s", bin(HEADER_DENSE + STALE + "\x7f\xff")], ["PFADD", "s", "a"], ["GET", "s"],
        ["SET", "s", bin(HEADER_SPARSE + STALE)], ["PFADD", "s", "a"], ["GET", "s"], ["PFCOUNT", "s"],
      ],
    },
    {
      name: "PFADD on a corrupt sparse value keeps the registers set before the corrupt spot, then fails",
      steps: [
        ["SET", "c", SHORT_SPARSE], ["PFADD", "c", "a"], ["GET", "c"], ["PFADD", "c", "b", LAST_REGISTER, "c"], ["GET", "c"], ["PFADD", "c", LAST_REGISTER],
        ["SET", "l", LONG_SPARSE], ["PFADD", "l", "a"], ["GET", "l"], ["PFADD", "l", LAST_REGISTER], ["GET", "l"], ["PFCOUNT", "l"],
      ],
    },
    {
      name: "PFADD: wrong arity, and a plausible call against a list, a hash and a set",
      steps: [
        ["PFADD"], ["RPUSH", "l", "x"], ["PFADD", "l", "a"], ["HSET", "hh", "f", "v"], ["PFADD", "hh", "a"], ["SADD", "st", "m"], ["PFADD", "st"], ["TYPE", "st"],
      ],
    },
  ],
  PFCOUNT: [
    {
      name: "PFCOUNT of one key caches the estimate in the value, as GET shows; PFADD makes the cache stale",
      steps: [
        ["PFCOUNT", "nokey"], ["EXISTS", "nokey"], ["PFADD", "h", "a", "b", "c"], ["GETRANGE", "h", "0", "15"], ["PFCOUNT", "h"], ["GETRANGE", "h", "0", "15"],
        ["PFCOUNT", "h"], ["PFADD", "h", "a"], ["GETRANGE", "h", "0", "15"], ["PFADD", "h", "d"], ["GETRANGE", "h", "0", "15"], ["PFCOUNT", "h"], ["GET", "h"],
      ],
    },
    {
      name: "PFCOUNT after 10, 1000 and 1000 more distinct elements equals Redis's estimate",
      steps: [
        ["PFADD", "ten", ...elements("t", 10)], ["PFCOUNT", "ten"], ["PFADD", "k", ...elements("k", 1000)], ["PFCOUNT", "k"], ["PFCOUNT", "k", "ten"],
        ["PFADD", "k", ...elements("k", 1000, 1000)], ["PFCOUNT", "k"], ["GETRANGE", "k", "0", "15"], ["PFADD", "k", ...elements("t", 10)], ["PFCOUNT", "k"],
      ],
    },
    {
      name: "PFCOUNT of several keys estimates their union, missing keys empty, and changes none of them",
      steps: [
        ["PFADD", "a", ...elements("u", 300)], ["PFADD", "b", ...elements("u", 300, 200)], ["SET", "d", OTHER_DENSE],
        ["PFCOUNT", "a", "b"], ["PFCOUNT", "a", "nokey", "b"], ["PFCOUNT", "a", "a"], ["GETRANGE", "a", "0", "15"], ["PFCOUNT", "a", "b", "d"],
        ["PFCOUNT", "d", "a"], ["GETRANGE", "d", "0", "15"], ["PFCOUNT", "nokey", "nokey2"], ["EXISTS", "nokey"], ["PFCOUNT", "a"], ["PFCOUNT", "a", "b"],
      ],
    },
    {
      name: "PFCOUNT answers a valid cached cardinality without reading the registers",
      steps: [["SET", "c", CACHED_42], ["PFCOUNT", "c"], ["PFCOUNT", "c", "nokey"], ["PFADD", "c", "a"], ["PFCOUNT", "c"], ["GET", "c"]],
    },
    {
      name: "PFCOUNT of a HyperLogLog copied from Redis with SET, sparse and dense",
      steps: [
        ["SET", "s", REDIS_ABC], ["PFCOUNT", "s"], ["GET", "s"], ["PFADD", "s", "c"], ["PFADD", "s", "z"], ["GET", "s"], ["PFCOUNT", "s"],
        ["SET", "d", PATTERN_DENSE], ["PFCOUNT", "d"], ["GETRANGE", "d", "0", "15"], ["PFCOUNT", "d", "s"], ["PFADD", "d", "a", "b", "c"], ["PFCOUNT", "d"], ["GET", "d"],
      ],
    },
    {
      name: "PFCOUNT of a forged dense value with every register at 51 answers LLONG_MIN and keeps the cache stale",
      steps: [["SET", "f", ALL_51], ["PFCOUNT", "f"], ["GETRANGE", "f", "0", "15"], ["PFCOUNT", "f", "f"], ["PFCOUNT", "f"]],
    },
    {
      name: "PFCOUNT refuses other types, strings that are not HyperLogLogs and corrupt sparse encodings, in key order",
      steps: [
        ["SET", "s", "hello"], ["RPUSH", "l", "a"], ["PFADD", "h", "a"], ["SET", "short", SHORT_SPARSE], ["SET", "long", LONG_SPARSE],
        ["PFCOUNT", "s"], ["PFCOUNT", "l"], ["PFCOUNT", "h", "s"], ["PFCOUNT", "h", "l", "s"], ["PFCOUNT", "nokey", "s", "l"],
        ["PFCOUNT", "short"], ["PFCOUNT", "long"], ["PFCOUNT", "h", "short"], ["PFCOUNT", "long", "s"], ["PFCOUNT", "s", "long"], ["GET", "short"], ["PFCOUNT"],
      ],
    },
    {
      name: "PFCOUNT that refreshes the cache breaks a WATCH on the key; one that reads a valid cache does not",
      steps: [
        ["PFADD", "h", "a", "b"], ["WATCH", "h"], ["PFCOUNT", "h"], ["MULTI"], ["PING"], ["EXEC"],
        ["WATCH", "h"], ["PFCOUNT", "h"], ["MULTI"], ["PING"], ["EXEC"],
        ["WATCH", "h"], ["PFCOUNT", "h", "h"], ["PFADD", "h", "a"], ["MULTI"], ["PFCOUNT", "h"], ["EXEC"], ["GETRANGE", "h", "0", "15"],
      ],
    },
  ],
  PFMERGE: [
    {
      name: "PFMERGE of sparse sources into a missing destination stays sparse, with Redis's bytes",
      steps: [
        ["PFADD", "a", ...elements("m", 200)], ["PFADD", "b", ...elements("m", 200, 100)], ["PFMERGE", "d", "a", "b"], ["GET", "d"], ["PFCOUNT", "d"],
        ["PFCOUNT", "a", "b"], ["GETRANGE", "a", "0", "15"], ["PFMERGE", "d", "a"], ["GET", "d"], ["PFMERGE", "e"], ["GET", "e"], ["PFMERGE", "f", "nokey"],
        ["GET", "f"], ["EXISTS", "nokey"], ["PFMERGE", "a"], ["GET", "a"],
      ],
    },
    {
      name: "PFMERGE counts the destination as a source, and turns dense when a source is dense",
      steps: [
        ["PFADD", "d", "x", "y", "z"], ["PFADD", "a", ...elements("n", 100)], ["SET", "big", OTHER_DENSE], ["PFADD", "big", "o"], ["PFMERGE", "d", "a"], ["GET", "d"],
        ["PFCOUNT", "d"], ["PFMERGE", "d", "big"], ["STRLEN", "d"], ["GET", "d"], ["PFCOUNT", "d"], ["PFMERGE", "s", "a", "big"], ["GET", "s"], ["PFCOUNT", "s"],
        ["PFMERGE", "big", "a"], ["GET", "big"],
      ],
    },
    {
      name: "PFMERGE of sparse sources whose union outgrows 3000 bytes writes a dense destination",
      steps: [
        ["PFADD", "a", ...elements("w", 1000)], ["PFADD", "b", ...elements("w", 1000, 1000)], ["STRLEN", "a"], ["STRLEN", "b"], ["PFMERGE", "d", "a", "b"],
        ["STRLEN", "d"], ["GET", "d"], ["PFCOUNT", "d"], ["PFMERGE", "a", "b"], ["STRLEN", "a"], ["GET", "a"],
      ],
    },
    {
      name: "PFMERGE keeps the destination's TTL and merges a value copied from Redis",
      steps: [
        ["SET", "d", REDIS_ABC], ["EXPIRE", "d", "1000"], ["PFADD", "a", "q", "r"], ["PFMERGE", "d", "a"], ttl("TTL", "d"), ["GET", "d"], ["PFCOUNT", "d"],
        ["SET", "p", PATTERN_DENSE], ["PFMERGE", "d", "p"], ttl("TTL", "d"), ["GET", "d"], ["PFCOUNT", "d"],
      ],
    },
    {
      name: "PFMERGE refuses other types, non-HyperLogLog strings and corrupt sources, and leaves the destination alone",
      steps: [
        ["PFADD", "a", "x"], ["SET", "s", "hello"], ["RPUSH", "l", "a"], ["SET", "short", SHORT_SPARSE], ["SET", "long", LONG_SPARSE],
        ["PFMERGE", "d", "a", "l"], ["EXISTS", "d"], ["PFMERGE", "d", "s", "a"], ["EXISTS", "d"], ["PFMERGE", "s", "a"], ["GET", "s"], ["PFMERGE", "l", "a"],
        ["PFMERGE", "d", "a", "short"], ["EXISTS", "d"], ["PFMERGE", "d", "long"], ["PFMERGE", "short", "a"], ["GET", "short"], ["PFMERGE", "a", "l", "short"],
        ["GET", "a"], ["PFMERGE"], ["SADD", "st", "m"], ["PFMERGE", "st", "a"], ["PFMERGE", "a", "st"], ["TYPE", "st"],
      ],
    },
  ],
};

export const METADATA_COMMANDS: readonly string[] = ["pfadd", "pfcount", "pfmerge"];
