// Differential cases of the hash commands (src/commands/families/hashes.ts), by
// command; run by hashes_test.ts against redis-server or its recorded replies
// (tests/differential/suite.ts). Redis leaves the order of HKEYS/HVALS/HGETALL
// unspecified: those steps compare unordered. HRANDFIELD is random: cases use
// one-field hashes (every draw is the same) or counts that return the whole hash.
import { bin, INT64_MAX, INT64_MIN, scanKey, sleep, ttl, UINT64_MAX, unordered, type Arg, type CasesByCommand } from "../differential/case_types.ts";

const BINARY = bin("f\r\n\x00\xff");
const BINARY_VALUE = bin("v\x00\r\n\xfe");

/** Deterministic bytes; Materia stores hash values of 10,000 bytes or more in chunks. */
function filler(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = (x >>> 16) & 0xff;
  }
  return out;
}

const CHUNK_EXACT = filler(10_000, 1);
const CHUNK_PLUS_ONE = filler(10_001, 2);
const BIG = filler(45_678, 3);

const MANY_FIELDS: Arg[] = Array.from({ length: 40 }, (_, i) => [`f:${i}`, `v${i}`]).flat();

export const CASES: CasesByCommand = {
  HSET: [
    {
      name: "HSET creates a hash, counts new fields, and overwrites existing ones",
      steps: [
        ["HSET", "h", "a", "1", "b", "2"], ["HSET", "h", "a", "x", "c", "3"], ["HGET", "h", "a"], ["HGET", "h", "c"],
        ["HGET", "h", "zz"], ["HGET", "nokey", "a"], ["HLEN", "h"], ["HLEN", "nokey"], ["TYPE", "h"], ["EXISTS", "h"],
        ["HSET", "h", "d", "1", "d", "2"], ["HGET", "h", "d"], ["HLEN", "h"], ["HSET", "h", "", ""], ["HGET", "h", ""], ["HLEN", "h"],
        ["hset", "h", "E", "e"], ["HGET", "h", "e"], ["HGET", "h", "E"],
      ],
    },
    {
      name: "HSET and HMSET check their arity (field/value pairs)",
      steps: [
        ["HSET"], ["HSET", "h"], ["HSET", "h", "a"], ["HSET", "h", "a", "1", "b"], ["HMSET", "h", "a"], ["HMSET", "h", "a", "1", "b"],
        ["HMSET", "h", "a", "1", "b", "2"], ["HMGET", "h", "a", "b"], ["EXISTS", "h"], ["HSETNX", "h", "a"], ["HSETNX", "h", "a", "1", "2"],
        ["HGET", "h"], ["HGET", "h", "a", "b"], ["HMGET", "h"], ["HDEL", "h"], ["HEXISTS", "h"], ["HLEN"], ["HLEN", "h", "x"],
        ["HKEYS"], ["HVALS", "h", "x"], ["HGETALL"], ["HINCRBY", "h", "a"], ["HINCRBYFLOAT", "h", "a"], ["HSTRLEN", "h"],
        ["HRANDFIELD"], ["HSCAN", "h"],
      ],
    },
    {
      name: "HSET over another type fails and leaves it untouched; SET over a hash replaces it",
      steps: [
        ["SET", "k", "v"], ["HSET", "k", "a", "1"], ["GET", "k"], ["HSET", "h", "a", "1"], ["SET", "h", "s"], ["TYPE", "h"], ["HGET", "h", "a"],
        ["DEL", "h"], ["HSET", "h", "b", "2"], ["HGETALL", "h"], ["HLEN", "h"],
      ],
    },
  ],
  HSETNX: [
    {
      name: "HSETNX sets only missing fields and creates the hash",
      steps: [
        ["HSETNX", "h", "a", "1"], ["HSETNX", "h", "a", "2"], ["HGET", "h", "a"], ["HSETNX", "h", "b", "3"], ["HLEN", "h"], ["TYPE", "h"],
      ],
    },
  ],
  HGET: [
    {
      name: "HGET reads a field; a missing field, a missing key and another type differ",
      steps: [
        ["HSET", "h", "a", "1", "", "empty"], ["HGET", "h", "a"], ["HGET", "h", ""], ["HGET", "h", "A"], ["HGET", "nokey", "a"],
        ["SET", "s", "x"], ["HGET", "s", "a"], ["hget", "h", "a"],
      ],
    },
  ],
  HMGET: [
    {
      name: "HMGET answers nil for missing fields and for a missing key",
      steps: [
        ["HSET", "h", "a", "1", BINARY, BINARY_VALUE], ["HMGET", "h", "a", "zz", BINARY, "a"], ["HMGET", "nokey", "a", "b"], ["HMGET", "h", "zz"],
      ],
    },
  ],
  HDEL: [
    {
      name: "HDEL counts removed fields and deletes the hash with its last field",
      steps: [
        ["HSET", "h", "a", "1", "b", "2", "c", "3"], ["HDEL", "h", "a", "a", "zz"], ["HLEN", "h"], ["HDEL", "h", "b", "c"], ["EXISTS", "h"],
        ["TYPE", "h"], ["HLEN", "h"], ["HGETALL", "h"], ["DBSIZE"], ["HDEL", "nokey", "a"], ["HDEL", "h", "a"],
        ["HSET", "h", "n", "1"], ["HLEN", "h"], ["HGETALL", "h"],
      ],
    },
    {
      name: "HDEL keeps the TTL while fields remain; a recreated hash has none",
      steps: [
        ["HSET", "h", "a", "1", "b", "2"], ["EXPIRE", "h", "100"], ["HDEL", "h", "a"], ttl("TTL", "h"), ["HSET", "h", "c", "3"], ttl("TTL", "h"),
        ["HDEL", "h", "b", "c"], ["TTL", "h"], ["HSET", "h", "d", "4"], ["TTL", "h"],
      ],
    },
  ],
  HEXISTS: [
    {
      name: "HEXISTS answers 1 or 0",
      steps: [["HSET", "h", "a", "1"], ["HEXISTS", "h", "a"], ["HEXISTS", "h", "b"], ["HEXISTS", "nokey", "a"], ["HEXISTS", "h", ""]],
    },
  ],
  HLEN: [
    {
      name: "HLEN counts fields as they are added and removed, 0 for a missing key",
      steps: [
        ["HLEN", "h"], ["HSET", "h", "a", "1", "b", "2"], ["HLEN", "h"], ["HSET", "h", "a", "3"], ["HLEN", "h"], ["HDEL", "h", "a"],
        ["HLEN", "h"], ["HDEL", "h", "b"], ["HLEN", "h"], ["RPUSH", "l", "x"], ["HLEN", "l"],
      ],
    },
  ],
  HKEYS: [
    {
      name: "HKEYS, HVALS and HGETALL return the whole hash, empty for a missing key",
      steps: [
        ["HSET", "h", "a", "1", "b", "2", "c", "3", BINARY, BINARY_VALUE], unordered("HKEYS", "h"), unordered("HVALS", "h"), unordered("HGETALL", "h"),
        ["HKEYS", "nokey"], ["HVALS", "nokey"], ["HGETALL", "nokey"], ["HSET", "one", "f", "v"], ["HGETALL", "one"],
        ["HMSET", "many", ...MANY_FIELDS], unordered("HKEYS", "many"), unordered("HVALS", "many"), unordered("HGETALL", "many"), ["HLEN", "many"],
      ],
    },
  ],
  HGETALL: [
    {
      name: "HGETALL is a map in RESP3; HKEYS and HVALS stay arrays",
      resp3: true,
      steps: [
        ["HSET", "one", "f", "v"], ["HGETALL", "one"], ["HGETALL", "nokey"], ["HSET", "h", "a", "1", "b", "2"], unordered("HGETALL", "h"),
        unordered("HKEYS", "h"), unordered("HVALS", "h"), ["HKEYS", "nokey"], ["HVALS", "nokey"], ["HMSET", "one", "g", "w"], ["HSET", "one", "g", "x"],
      ],
    },
  ],
  HINCRBY: [
    {
      name: "HINCRBY adds to integers, creates fields and hashes, and refuses overflow and non-integers",
      steps: [
        ["HINCRBY", "h", "n", "5"], ["HINCRBY", "h", "n", "-7"], ["HGET", "h", "n"], ["HINCRBY", "h", "n", "0"], ["TYPE", "h"],
        ["HSET", "h", "max", INT64_MAX, "min", INT64_MIN, "s", "abc", "sp", " 1", "lead", "01", "f", "1.5", "e", "", "plus", "+1"],
        ["HINCRBY", "h", "max", "1"], ["HINCRBY", "h", "max", "0"], ["HINCRBY", "h", "min", "-1"], ["HINCRBY", "h", "min", INT64_MAX],
        ["HINCRBY", "h", "s", "1"], ["HINCRBY", "h", "sp", "1"], ["HINCRBY", "h", "lead", "1"], ["HINCRBY", "h", "f", "1"],
        ["HINCRBY", "h", "e", "1"], ["HINCRBY", "h", "plus", "1"], ["HINCRBY", "h", "n", "x"], ["HINCRBY", "h", "n", "1.0"],
        ["HINCRBY", "h", "n", "9223372036854775808"], ["HINCRBY", "h", "n", ""], ["HINCRBY", "nokey", "n", "x"], ["EXISTS", "nokey"],
        ["HGET", "h", "max"], ["HGET", "h", "n"], ["HLEN", "h"],
      ],
    },
    {
      name: "HINCRBY keeps the TTL of the hash",
      steps: [["HSET", "h", "n", "1"], ["EXPIRE", "h", "100"], ["HINCRBY", "h", "n", "1"], ["HINCRBY", "h", "m", "1"], ttl("TTL", "h")],
    },
  ],
  HINCRBYFLOAT: [
    {
      name: "HINCRBYFLOAT adds with Redis's long double arithmetic and formatting",
      steps: [
        ["HINCRBYFLOAT", "h", "f", "10.5"], ["HINCRBYFLOAT", "h", "f", "0.1"], ["HINCRBYFLOAT", "h", "f", "-10.6"], ["HGET", "h", "f"],
        ["HINCRBYFLOAT", "h", "g", "1e3"], ["HINCRBYFLOAT", "h", "g", "0x10"], ["HINCRBYFLOAT", "h", "g", "-5.0e-1"], ["HINCRBYFLOAT", "h", "g", "3"],
        ["HSET", "h", "i", "17"], ["HINCRBYFLOAT", "h", "i", "0.25"], ["HINCRBYFLOAT", "h", "i", "-17.25"], ["HGET", "h", "i"],
        ["HSET", "h", "big", "1e308"], ["HINCRBYFLOAT", "h", "big", "1e308"], ["HINCRBYFLOAT", "h", "tiny", "1e-20"],
        ["HINCRBYFLOAT", "h", "third", "0.333333333333333333333"], ["HINCRBYFLOAT", "h", "third", "0.666666666666666666667"],
        ["HINCRBYFLOAT", "h", "neg", "-0.0"], ["HINCRBYFLOAT", "h", "x", "1.23456789012345678901234"], ["HINCRBYFLOAT", "h", "y", "5e17"],
        ["HINCRBYFLOAT", "h", "y", "0.5"], ["HINCRBYFLOAT", "h", "z", "123456789.123456789"],
      ],
    },
    {
      name: "HINCRBYFLOAT refuses bad increments, non-float values, and infinite results",
      steps: [
        ["HSET", "h", "s", "abc", "sp", " 1", "e", "", "inf", "inf", "n", "1", "huge", "1e4000"],
        ["HINCRBYFLOAT", "h", "n", "x"], ["HINCRBYFLOAT", "h", "n", ""], ["HINCRBYFLOAT", "h", "n", " 1"], ["HINCRBYFLOAT", "h", "n", "nan"],
        ["HINCRBYFLOAT", "h", "n", "inf"], ["HINCRBYFLOAT", "h", "n", "-infinity"], ["HINCRBYFLOAT", "h", "n", "1e5000"],
        ["HINCRBYFLOAT", "h", "s", "1"], ["HINCRBYFLOAT", "h", "sp", "1"], ["HINCRBYFLOAT", "h", "e", "1"], ["HINCRBYFLOAT", "h", "inf", "1"],
        ["HINCRBYFLOAT", "h", "huge", "1"], ["HINCRBYFLOAT", "nokey", "n", "x"], ["HINCRBYFLOAT", "nokey", "n", "inf"], ["EXISTS", "nokey"],
        ["HSET", "h", "m", "1.18973149535723176502e+4932"], ["HINCRBYFLOAT", "h", "m", "1.18973149535723176502e+4932"], ["HGET", "h", "n"],
      ],
    },
  ],
  HSTRLEN: [
    {
      name: "HSTRLEN measures values, 0 when missing",
      steps: [
        ["HSET", "h", "a", "hello", "e", "", BINARY, BINARY_VALUE, "n", "12345"], ["HSTRLEN", "h", "a"], ["HSTRLEN", "h", "e"], ["HSTRLEN", "h", BINARY],
        ["HSTRLEN", "h", "n"], ["HSTRLEN", "h", "zz"], ["HSTRLEN", "nokey", "a"],
      ],
    },
  ],
  HRANDFIELD: [
    {
      name: "HRANDFIELD on a one-field hash, with and without counts and values",
      steps: [
        ["HSET", "h", "f", "v"], ["HRANDFIELD", "h"], ["HRANDFIELD", "h", "1"], ["HRANDFIELD", "h", "5"], ["HRANDFIELD", "h", "-3"],
        ["HRANDFIELD", "h", "0"], ["HRANDFIELD", "h", "-3", "WITHVALUES"], ["HRANDFIELD", "h", "2", "withvalues"], ["HRANDFIELD", "h", "0", "WITHVALUES"],
        ["HRANDFIELD", "h", INT64_MAX], ["HRANDFIELD", "nokey"], ["HRANDFIELD", "nokey", "3"], ["HRANDFIELD", "nokey", "-3", "WITHVALUES"],
        ["HRANDFIELD", "nokey", "0"],
      ],
    },
    {
      name: "HRANDFIELD with a count at least the size returns the whole hash",
      steps: [
        ["HSET", "h", "a", "1", "b", "2", "c", "3"], unordered("HRANDFIELD", "h", "3"), unordered("HRANDFIELD", "h", "10"),
        unordered("HRANDFIELD", "h", "10", "WITHVALUES"), unordered("HRANDFIELD", "h", INT64_MAX),
      ],
    },
    {
      name: "HRANDFIELD checks its count and options",
      steps: [
        ["HSET", "h", "f", "v"], ["HRANDFIELD", "h", "x"], ["HRANDFIELD", "h", "1.5"], ["HRANDFIELD", "h", INT64_MIN], ["HRANDFIELD", "h", "9223372036854775808"],
        ["HRANDFIELD", "h", "1", "WITHVALUE"], ["HRANDFIELD", "h", "1", "WITHVALUES", "x"], ["HRANDFIELD", "h", "1", "x"],
        ["HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES"], ["HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"],
        ["HRANDFIELD", "h", INT64_MIN, "WITHVALUES"], ["HRANDFIELD", "h", "x", "WITHVALUES"], ["HRANDFIELD", "nokey", "x"],
        ["HRANDFIELD", "nokey", "1", "x"], ["HRANDFIELD", "nokey", "-4611686018427387904", "WITHVALUES"],
      ],
    },
    {
      name: "HRANDFIELD WITHVALUES is an array of pairs in RESP3",
      resp3: true,
      steps: [
        ["HSET", "h", "f", "v"], ["HRANDFIELD", "h", "-2", "WITHVALUES"], ["HRANDFIELD", "h", "3", "WITHVALUES"], ["HRANDFIELD", "h", "0", "WITHVALUES"],
        ["HRANDFIELD", "h", "2"], ["HRANDFIELD", "h"], ["HRANDFIELD", "nokey"], ["HRANDFIELD", "nokey", "2", "WITHVALUES"],
      ],
    },
  ],
  HSCAN: [
    {
      name: "HSCAN iterates over every field, with MATCH and COUNT",
      steps: [
        ["HMSET", "h", ...MANY_FIELDS, "other", "o", BINARY, BINARY_VALUE], scanKey("HSCAN", "h"), scanKey("HSCAN", "h", "COUNT", "3"),
        scanKey("HSCAN", "h", "MATCH", "f:1*"), scanKey("HSCAN", "h", "MATCH", "f:1*", "COUNT", "7"), scanKey("HSCAN", "h", "count", "1", "match", "o*"),
        scanKey("HSCAN", "h", "MATCH", "nomatch*"), scanKey("HSCAN", "h", "COUNT", "1000"), scanKey("HSCAN", "nokey"),
        ["HSET", "small", "a", "1"], ["HSCAN", "small", "0"], ["HSCAN", "small", "0", "MATCH", "b"], ["HSCAN", "nokey", "0"],
      ],
    },
    {
      name: "HSCAN checks the cursor first, then the key, then the options",
      steps: [
        ["HSET", "h", "a", "1"], ["SET", "str", "x"], ["HSCAN", "h", "x"], ["HSCAN", "h", "-"], ["HSCAN", "h", "1.5"], ["HSCAN", "h", UINT64_MAX + "0"],
        ["HSCAN", "nokey", "x"], ["HSCAN", "h", "0", "COUNT", "0"], ["HSCAN", "h", "0", "COUNT", "-1"], ["HSCAN", "h", "0", "COUNT", "x"],
        ["HSCAN", "h", "0", "COUNT"], ["HSCAN", "h", "0", "MATCH"], ["HSCAN", "h", "0", "FOO", "bar"], ["HSCAN", "h", "0", "TYPE", "string"],
        ["HSCAN", "nokey", "0", "COUNT", "0"], ["HSCAN", "nokey", "0", "FOO"], ["HSCAN", "nokey", "7"], ["HSCAN", "str", "0", "COUNT", "0"],
        ["HSCAN", "str", "x"],
      ],
    },
    {
      name: "HSCAN NOVALUES returns the fields only (Redis 7.4; 7.0 answers a syntax error)",
      skip: "NOVALUES is a Redis 7.4 option that the reference 7.0.15 refuses; documented in docs/COMPATIBILITY.md and tested in tests/model/hashes_test.ts",
      steps: [["HSET", "h", "a", "1", "b", "2"], scanKey("HSCAN", "h", "NOVALUES")],
    },
  ],
  "wrong types": [
    {
      name: "every hash command answers WRONGTYPE on a string, a list and a set",
      steps: [
        ["SET", "str", "x"], ["LPUSH", "list", "x"], ["SADD", "set", "x"],
        ...["str", "list", "set"].flatMap((k): Arg[][] => [
          ["HSET", k, "a", "1"], ["HMSET", k, "a", "1"], ["HSETNX", k, "a", "1"], ["HGET", k, "a"], ["HMGET", k, "a"], ["HDEL", k, "a"],
          ["HEXISTS", k, "a"], ["HLEN", k], ["HKEYS", k], ["HVALS", k], ["HGETALL", k], ["HINCRBY", k, "a", "1"],
          ["HINCRBYFLOAT", k, "a", "1"], ["HSTRLEN", k, "a"], ["HRANDFIELD", k], ["HRANDFIELD", k, "2"], ["HRANDFIELD", k, "-2", "WITHVALUES"],
          ["HSCAN", k, "0"], ["HSCAN", k, "0", "COUNT", "0"],
        ]),
        ["GET", "str"], ["LLEN", "list"], ["SCARD", "set"],
      ],
    },
  ],
  "values of every size": [
    {
      name: "values of every size round-trip, chunked ones included",
      steps: [
        ["HSET", "h", "exact", CHUNK_EXACT, "plus", CHUNK_PLUS_ONE, "big", BIG, "small", "s"], ["HGET", "h", "exact"], ["HGET", "h", "plus"],
        ["HGET", "h", "big"], ["HSTRLEN", "h", "exact"], ["HSTRLEN", "h", "plus"], ["HSTRLEN", "h", "big"], ["HMGET", "h", "big", "small", "exact"],
        unordered("HVALS", "h"), unordered("HGETALL", "h"), ["HSET", "h", "big", "short"], ["HGET", "h", "big"], ["HSET", "h", "small", BIG],
        ["HGET", "h", "small"], ["HDEL", "h", "small", "plus"], ["HGET", "h", "small"], ["HSET", "h", "small", "again"], ["HGET", "h", "small"],
        ["HINCRBY", "h", "exact", "1"], ["HINCRBYFLOAT", "h", "exact", "1"], ["HLEN", "h"], scanKey("HSCAN", "h"),
      ],
    },
    {
      name: "binary fields and values",
      steps: [
        ["HSET", BINARY, BINARY, BINARY_VALUE, "a\x00b", "c\x00d"], ["HGET", BINARY, BINARY], ["HGET", BINARY, "a\x00b"], ["HGET", BINARY, "a"],
        ["HEXISTS", BINARY, "a\x00"], ["HLEN", BINARY], unordered("HKEYS", BINARY), ["HDEL", BINARY, "a\x00b", BINARY], ["EXISTS", BINARY],
      ],
    },
  ],
  "expiry": [
    {
      name: "an expired hash is gone for every hash command, and HSET starts a new one",
      steps: [
        ["HSET", "h", "a", "1", "b", "2"], ["PEXPIRE", "h", "50"], sleep(120), ["HGET", "h", "a"], ["HLEN", "h"], ["HEXISTS", "h", "a"],
        ["HGETALL", "h"], ["HRANDFIELD", "h"], ["HSCAN", "h", "0"], ["HSET", "h", "c", "3"], ["HLEN", "h"], ["HGETALL", "h"], ["TTL", "h"],
      ],
    },
  ],
};

export const METADATA_COMMANDS: readonly string[] = [
  "hset", "hmset", "hsetnx", "hget", "hmget", "hdel", "hexists", "hlen", "hkeys", "hvals", "hgetall", "hincrby", "hincrbyfloat", "hstrlen", "hrandfield", "hscan",
];
