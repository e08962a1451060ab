// Differential cases of the keyspace commands (src/commands/families/keys.ts), by
// command: DEL, EXISTS, TYPE, KEYS, SCAN, the EXPIRE and TTL families, PERSIST,
// RENAME, RENAMENX, COPY, UNLINK, TOUCH, RANDOMKEY, OBJECT and MEMORY; run by
// keys_test.ts against redis-server or its recorded replies (tests/differential/suite.ts).
import { anyInteger, bin, INT64_MAX, INT64_MIN, msFromNow, pttl, scanAll, sleep, ttl, UINT64_MAX, unordered, type Arg, type CasesByCommand, patternBytes } from "../differential/case_types.ts";

const GLOB_KEYS: Arg[] = [
  "hello", "hallo", "hbllo", "hxllo", "hllo", "heeeello", "h-llo", "h]llo", "h^llo", "h!llo",
  "a*b", "a?b", "a[b", "a\\b", "ab", "axb", "user:1", "user:2", "user:10", "", "x y", bin("k\x00\xff"),
];
const GLOB_PATTERNS: Arg[] = [
  "*", "h?llo", "h*llo", "h*", "*llo", "h[ae]llo", "h[^e]llo", "h[a-b]llo", "h[b-a]llo", "h[!e]llo", "h[a-]llo",
  "h[\\]]llo", "h[\\^]llo", "h[]llo", "a\\*b", "a\\?b", "a\\[b", "a\\\\b", "a*b", "a?b", "a[b", "h[e", "[", "\\", "*\\",
  "?", "??", "user:?", "user:*", "user:[0-9]", "user:[0-9]*", "user:[^1]*", "nomatch*", "", "**", "*?*?*", "x y",
  bin("k\x00*"), bin("k?\xff"), "HELLO", "h[A-Z]llo",
];

const SCAN_KEYS: Arg[] = [...Array.from({ length: 25 }, (_, i) => [`s:${i}`, String(i)]).flat(), "user:1", "a", "user:2", "b"];

/** Deterministic bytes of every value (chunked by Materia past 10,000 bytes). */
function bigValue(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = (x >>> 16) & 0xff;
  }
  return out;
}

const BIG = bigValue(35_000, 11);
const PATTERN_100K = patternBytes(100_000, 1);
const BINARY_KEY = bin("k\x00\xff\r\n");
const secondsFromNow = (offset: number) => () => String(Math.floor(Date.now() / 1000) + offset);

export const CASES: CasesByCommand = {
  DEL: [
    {
      name: "DEL counts each existing key once",
      steps: [
        ["DEL", "nope"], ["MSET", "a", "1", "b", "2", "c", "3"], ["DEL", "a", "a", "nope"], ["DEL", "b", "c"], ["DBSIZE"],
        ["DEL", "b"], ["DEL"], ["SET", "big", PATTERN_100K], ["DEL", "big"], ["GET", "big"], ["STRLEN", "big"],
      ],
    },
  ],
  UNLINK: [
    {
      name: "UNLINK deletes like DEL and TOUCH counts existing keys",
      steps: [
        ["SET", "a", "1"], ["SET", "b", BIG, "EX", "100"], ["TOUCH", "a", "b", "c", "a"], ["UNLINK", "a", "b", "c", "a"], ["DBSIZE"],
        ["TOUCH", "a"], ["UNLINK", "a"], ["TOUCH"], ["UNLINK"], ["unlink", BINARY_KEY], ["touch", BINARY_KEY],
      ],
    },
  ],
  EXISTS: [
    {
      name: "EXISTS counts a repeated key each time",
      steps: [
        ["EXISTS", "a"], ["SET", "a", "1"], ["EXISTS", "a"], ["EXISTS", "a", "a", "a"], ["EXISTS", "a", "nope", "a"], ["EXISTS"],
      ],
    },
  ],
  TYPE: [
    {
      name: "TYPE of a string and of nothing",
      steps: [["TYPE", "a"], ["SET", "a", "1"], ["TYPE", "a"], ["INCR", "n"], ["TYPE", "n"], ["type", "a"], ["TYPE"], ["TYPE", "a", "b"]],
    },
  ],
  KEYS: [
    {
      name: "KEYS with every glob feature",
      steps: [
        ["MSET", ...GLOB_KEYS.flatMap((k) => [k, "v"])], ["DBSIZE"],
        ...GLOB_PATTERNS.map((p) => unordered("KEYS", p)),
        ["KEYS"], ["KEYS", "*", "x"],
      ],
    },
    {
      name: "KEYS on an empty database",
      steps: [unordered("KEYS", "*"), unordered("KEYS", "a*")],
    },
  ],
  SCAN: [
    {
      name: "SCAN iterates every key once over a full iteration, with MATCH, COUNT and TYPE",
      steps: [
        ["MSET", ...SCAN_KEYS], scanAll(), scanAll("COUNT", "1"), scanAll("COUNT", "3"), scanAll("COUNT", "1000"),
        scanAll("MATCH", "user:*"), scanAll("match", "s:1*", "count", "2"), scanAll("MATCH", "s:?"), scanAll("MATCH", "nomatch"),
        scanAll("TYPE", "string"), scanAll("type", "STRING"), scanAll("TYPE", "list"), scanAll("TYPE", "hash"),
        scanAll("TYPE", "zset"), scanAll("TYPE", "set"), scanAll("TYPE", "stream"), scanAll("TYPE", "nosuchtype"),
        scanAll("MATCH", "s:2*", "TYPE", "string", "COUNT", "4"), scanAll("COUNT", "5", "MATCH", "a"),
        scanAll("MATCH", "x", "MATCH", "user:*"), scanAll("COUNT", "2", "COUNT", "100"), scanAll("COUNT", INT64_MAX),
        scanAll("COUNT", "9007199254740993"),
      ],
    },
    {
      name: "SCAN of an empty database ends at once",
      steps: [["SCAN", "0"], ["SCAN", "0", "MATCH", "*", "COUNT", "100"], scanAll()],
    },
    {
      name: "SCAN rejects bad cursors and options",
      steps: [
        ["SET", "a", "1"], ["SCAN", "abc"], ["SCAN", ""], ["SCAN", "+0"], ["SCAN", "-0"], ["SCAN", " 0"], ["SCAN", "0 "], ["SCAN", "1.5"],
        ["SCAN", "18446744073709551616"], ["SCAN", "99999999999999999999999"], ["SCAN", "0x10"],
        ["SCAN", "0", "COUNT", "0"], ["SCAN", "0", "COUNT", "-1"], ["SCAN", "0", "COUNT", "abc"], ["SCAN", "0", "COUNT", ""],
        ["SCAN", "0", "COUNT", "1.5"], ["SCAN", "0", "COUNT", "9223372036854775808"], ["SCAN", "0", "COUNT"], ["SCAN", "0", "MATCH"],
        ["SCAN", "0", "TYPE"], ["SCAN", "0", "FOO", "bar"], ["SCAN", "0", "FOO"], ["SCAN", "0", "MATCH", "*", "COUNT"],
        ["SCAN", "0", "COUNT", "0", "FOO"], ["SCAN", "0", "FOO", "bar", "COUNT", "0"], ["SCAN", "0", "NOVALUES"], ["SCAN"],
      ],
    },
    {
      name: "SCAN accepts any cursor strtoul accepts",
      skip: "Materia answers 'invalid cursor' for a cursor it did not issue (a position in stored state, src/server/scan_cursors.ts); Redis scans from any uint64, and strtoul reads '-1' as 2^64-1",
      steps: [["SCAN", "-1"], ["SCAN", "5"], ["SCAN", UINT64_MAX]],
    },
  ],
  RANDOMKEY: [
    {
      name: "RANDOMKEY returns nil on an empty database and a live key otherwise",
      steps: [
        ["RANDOMKEY"], ["SET", "only", "1"], ["RANDOMKEY"], ["randomkey"], ["DEL", "only"], ["RANDOMKEY"],
        ["SET", "gone", "1", "PX", "50"], sleep(150), ["RANDOMKEY"], ["SET", BINARY_KEY, "1"], ["RANDOMKEY"],
        ["SET", "x", "1", "PX", "50"], ["SET", "y", "1", "PX", "50"], sleep(150), ["RANDOMKEY"], ["RANDOMKEY", "extra"],
      ],
    },
    {
      name: "RANDOMKEY in RESP3 replies null on an empty database",
      resp3: true,
      steps: [["RANDOMKEY"], ["SET", "k", "v"], ["RANDOMKEY"]],
    },
  ],
  EXPIRE: [
    {
      name: "EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT set a TTL that TTL, PTTL, EXPIRETIME and PEXPIRETIME report",
      steps: [
        ["SET", "k", "v"], ["EXPIRE", "k", "100"], ttl("TTL", "k"), pttl("PTTL", "k"),
        ["PEXPIRE", "k", "50000"], ttl("TTL", "k"), pttl("PTTL", "k"),
        ["EXPIREAT", "k", secondsFromNow(200)], ttl("TTL", "k"), ttl("EXPIRETIME", "k"),
        ["PEXPIREAT", "k", msFromNow(300_000)], pttl("PTTL", "k"), pttl("PEXPIRETIME", "k"), ttl("EXPIRETIME", "k"),
        ["PEXPIREAT", "k", "4102444800123"], ["PEXPIRETIME", "k"], ["EXPIRETIME", "k"],
        ["EXPIREAT", "k", "4102444800"], ["PEXPIRETIME", "k"], ["EXPIRETIME", "k"],
        ["expire", "k", "10"], ttl("ttl", "k"), ["Pexpire", "k", "10000"], pttl("pttl", "k"),
      ],
    },
    {
      name: "EXPIRE NX and XX depend on whether the key has a TTL",
      steps: [
        ["SET", "k", "v"], ["EXPIRE", "k", "100", "XX"], ["TTL", "k"], ["EXPIRE", "k", "100", "NX"], ttl("TTL", "k"),
        ["EXPIRE", "k", "200", "NX"], ttl("TTL", "k"), ["EXPIRE", "k", "300", "XX"], ttl("TTL", "k"),
        ["EXPIRE", "k", "100", "nx", "nx"], ["EXPIRE", "k", "50", "xx", "XX"], ttl("TTL", "k"),
        ["PEXPIRE", "k", "1000", "NX"], ["PEXPIREAT", "k", "4102444800000", "XX"], ["PEXPIRETIME", "k"],
        ["PERSIST", "k"], ["EXPIREAT", "k", "4102444800", "XX"], ["EXPIREAT", "k", "4102444800", "NX"], ["EXPIRETIME", "k"],
      ],
    },
    {
      name: "EXPIRE GT and LT compare with the current TTL; no TTL counts as infinite",
      steps: [
        ["SET", "k", "v"], ["EXPIRE", "k", "100", "GT"], ["TTL", "k"], ["EXPIRE", "k", "100", "LT"], ttl("TTL", "k"),
        ["EXPIRE", "k", "50", "GT"], ttl("TTL", "k"), ["EXPIRE", "k", "200", "GT"], ttl("TTL", "k"),
        ["EXPIRE", "k", "300", "LT"], ttl("TTL", "k"), ["EXPIRE", "k", "150", "LT"], ttl("TTL", "k"),
        ["PEXPIREAT", "k", "4102444800000"], ["PEXPIREAT", "k", "4102444800000", "GT"], ["PEXPIREAT", "k", "4102444800000", "LT"],
        ["PEXPIREAT", "k", "4102444800001", "GT"], ["PEXPIRETIME", "k"], ["EXPIREAT", "k", "4102444700", "LT"], ["EXPIRETIME", "k"],
        ["EXPIRE", "k", "100", "XX", "GT"], ["EXPIRE", "k", "100", "LT", "XX"], ttl("TTL", "k"),
        ["PERSIST", "k"], ["EXPIRE", "k", "100", "XX", "LT"], ["TTL", "k"],
        ["EXPIRE", "k", "-1", "GT"], ["EXISTS", "k"], ["EXPIRE", "k", "-1", "LT"], ["EXISTS", "k"],
      ],
    },
    {
      name: "EXPIRE option errors come before number errors and before the key is looked up",
      steps: [
        ["SET", "k", "v"],
        ["EXPIRE", "k", "100", "NX", "XX"], ["EXPIRE", "k", "100", "NX", "GT"], ["EXPIRE", "k", "100", "LT", "NX"],
        ["EXPIRE", "k", "100", "GT", "LT"], ["PEXPIRE", "k", "100", "lt", "gt"], ["EXPIRE", "k", "100", "XX", "GT", "LT"],
        ["EXPIRE", "k", "100", "foo"], ["EXPIRE", "k", "100", "NX", "XX", "foo"], ["EXPIRE", "k", "abc", "foo"],
        ["EXPIRE", "k", "abc", "NX", "XX"], ["EXPIRE", "nokey", "100", "bar"], ["EXPIREAT", "k", "1", ""],
        ["PEXPIREAT", "k", "1", bin("a\x00b")], ["EXPIRE", "k", "1", bin("\xffopt")],
        ["EXPIRE", "k", "abc"], ["EXPIRE", "k", ""], ["EXPIRE", "k", "1.5"], ["EXPIRE", "k", " 1"], ["EXPIRE", "k", "01"],
        ["EXPIRE", "k", "99999999999999999999"], ["PEXPIRE", "nokey", "x"], ["TTL", "k"],
      ],
    },
    {
      name: "EXPIRE times that overflow are invalid, with the command's own name",
      steps: [
        ["SET", "k", "v"],
        ["EXPIRE", "k", INT64_MAX], ["EXPIRE", "k", "9223372036854775"], ["EXPIRE", "k", "9223372036854774"],
        ["EXPIRE", "k", INT64_MIN], ["EXPIRE", "k", "-9223372036854776"], ["expire", "k", INT64_MAX],
        ["PEXPIRE", "k", INT64_MAX], ["PEXPIRE", "k", "9223372036854770000"],
        ["EXPIREAT", "k", INT64_MAX], ["EXPIREAT", "k", "9223372036854776"], ["EXPIREAT", "k", INT64_MIN],
        ["EXPIRE", "nokey", INT64_MAX], ["TTL", "k"],
        ["PEXPIREAT", "k", INT64_MAX], ["PEXPIRETIME", "k"], ["EXPIRETIME", "k"], ttl("TTL", "k"),
        ["EXPIREAT", "k", "9223372036854775"], ["EXPIRETIME", "k"],
      ],
    },
    {
      name: "a zero or negative TTL, or a time in the past, deletes the key and replies 1",
      steps: [
        ["SET", "a", "1"], ["EXPIRE", "a", "0"], ["EXISTS", "a"], ["TTL", "a"],
        ["SET", "a", "1"], ["EXPIRE", "a", "-100"], ["GET", "a"],
        ["SET", "a", "1"], ["PEXPIRE", "a", "0"], ["EXISTS", "a"],
        ["SET", "a", "1"], ["PEXPIRE", "a", INT64_MIN], ["EXISTS", "a"],
        ["SET", "a", "1"], ["EXPIREAT", "a", "1"], ["EXISTS", "a"],
        ["SET", "a", "1"], ["PEXPIREAT", "a", msFromNow(-5000)], ["EXISTS", "a"],
        ["SET", "a", "1"], ["EXPIREAT", "a", "0"], ["EXISTS", "a"],
        ["SET", "a", "1"], ["EXPIREAT", "a", "-1"], ["EXISTS", "a"],
        ["SET", "a", "1"], ["EXPIRE", "a", "0", "NX"], ["EXISTS", "a"],
        ["SET", "a", "1", "EX", "100"], ["EXPIRE", "a", "0", "NX"], ["EXISTS", "a"], ["EXPIRE", "a", "0", "XX"], ["EXISTS", "a"],
        ["SET", "a", "1"], ["EXPIRE", "a", "-1", "XX"], ["EXISTS", "a"],
        ["SET", "a", "1", "EX", "100"], ["SET", "b", "2"], ["DBSIZE"], ["EXPIRE", "a", "-1"], ["DBSIZE"],
      ],
    },
  ],
  TTL: [
    {
      name: "TTL family on missing keys and keys without expiry",
      steps: [
        ["TTL", "nokey"], ["PTTL", "nokey"], ["EXPIRETIME", "nokey"], ["PEXPIRETIME", "nokey"],
        ["SET", "k", "v"], ["TTL", "k"], ["PTTL", "k"], ["EXPIRETIME", "k"], ["PEXPIRETIME", "k"],
        ["EXPIRE", "nokey", "10"], ["PEXPIRE", "nokey", "10"], ["EXPIREAT", "nokey", "4102444800"], ["PEXPIREAT", "nokey", "4102444800000"],
        ["EXPIRE", "nokey", "10", "NX"], ["EXPIRE", "nokey", "-10"], ["EXPIRE", "nokey", "10", "GT"],
        ["TTL"], ["TTL", "a", "b"], ["PTTL"], ["EXPIRETIME"], ["PEXPIRETIME", "a", "b"], ["EXPIRE", "k"], ["PEXPIRE"], ["EXPIREAT", "k"], ["PEXPIREAT", "k"],
      ],
    },
    {
      name: "TTL rounds to the nearest second, PTTL does not",
      steps: [
        ["SET", "a", "v", "PX", "1400"], ttl("TTL", "a"), pttl("PTTL", "a"),
        ["SET", "b", "v", "PX", "1700"], ttl("TTL", "b"),
        ["SET", "c", "v", "PX", "400"], ttl("TTL", "c"),
        ["SET", "d", "v", "PX", "600"], ttl("TTL", "d"),
        ["SET", "e", "v", "EX", "100"], ttl("TTL", "e"), pttl("PTTL", "e"),
      ],
    },
  ],
  PERSIST: [
    {
      name: "PERSIST removes a TTL; on a key without one, or missing, it replies 0",
      steps: [
        ["SET", "k", "v", "EX", "100"], ["PERSIST", "k"], ["TTL", "k"], ["PERSIST", "k"], ["PERSIST", "nokey"], ["GET", "k"],
        ["PSETEX", "p", "100000", "v"], ["persist", "p"], ["PTTL", "p"],
        ["PERSIST"], ["PERSIST", "a", "b"],
      ],
    },
  ],
  RENAME: [
    {
      name: "RENAME moves the value and its TTL, replacing the destination",
      steps: [
        ["SET", "a", "1"], ["PEXPIRE", "a", "100000"], ["RENAME", "a", "b"], pttl("PTTL", "b"), ["EXISTS", "a"], ["GET", "b"],
        ["SET", "c", "2", "EX", "500"], ["RENAME", "b", "c"], ["GET", "c"], pttl("PTTL", "c"), ["DBSIZE"],
        ["SET", "d", "3"], ["SET", "e", "4", "EX", "500"], ["RENAME", "d", "e"], ["TTL", "e"], ["GET", "e"], ["DBSIZE"],
        ["rename", "e", BINARY_KEY], ["GET", BINARY_KEY], ["RENAME", BINARY_KEY, ""], ["GET", ""], unordered("KEYS", "*"),
      ],
    },
    {
      name: "RENAME of a missing key is an error; renaming a key to itself changes nothing",
      steps: [
        ["RENAME", "nokey", "x"], ["RENAME", "nokey", "nokey"], ["RENAMENX", "nokey", "x"], ["RENAMENX", "nokey", "nokey"],
        ["SET", "a", "1", "EX", "100"], ["RENAME", "a", "a"], ["GET", "a"], ttl("TTL", "a"), ["RENAMENX", "a", "a"], ["GET", "a"],
        ["RENAME"], ["RENAME", "a"], ["RENAME", "a", "b", "c"], ["RENAMENX", "a"], ["DBSIZE"],
      ],
    },
    {
      name: "RENAME and COPY carry chunked strings whole",
      steps: [
        ["SET", "big", BIG, "EX", "100"], ["RENAME", "big", "moved"], ["GET", "moved"], ["STRLEN", "moved"], ttl("TTL", "moved"),
        ["GETRANGE", "moved", "9995", "10010"], ["EXISTS", "big"], ["COPY", "moved", "copied"], ["GET", "copied"],
        ["APPEND", "copied", "tail"], ["STRLEN", "moved"], ["STRLEN", "copied"], ["GETRANGE", "copied", "-8", "-1"],
        ["SET", "small", "s"], ["RENAME", "small", "copied"], ["GET", "copied"], ["RENAME", "moved", "small"], ["GET", "small"], ["DBSIZE"],
      ],
    },
    {
      name: "RENAME and COPY carry lists whole, big items included, and the copy is independent",
      steps: [
        ["RPUSH", "l", "a", "b", BIG, "c"], ["EXPIRE", "l", "100"], ["RENAME", "l", "m"], ["LRANGE", "m", "0", "-1"], ["LLEN", "m"], ttl("TTL", "m"),
        ["TYPE", "l"], ["COPY", "m", "n"], ["LPUSH", "n", "first"], ["RPOP", "m"], ["LRANGE", "m", "0", "-1"], ["LRANGE", "n", "0", "-1"],
        ["LINDEX", "n", "3"], ttl("TTL", "n"), ["SET", "s", "str"], ["RENAME", "s", "n"], ["TYPE", "n"], ["GET", "n"],
        ["COPY", "m", "n", "REPLACE"], ["TYPE", "n"], ["LRANGE", "n", "0", "-1"], ["RENAMENX", "n", "m"], ["OBJECT", "ENCODING", "n"],
        anyInteger("MEMORY", "USAGE", "n"), anyInteger("MEMORY", "USAGE", "n", "SAMPLES", "0"), ["COPY", "m", "o", "DB", "3"], ["SELECT", "3"], ["LRANGE", "o", "0", "-1"],
        ["DBSIZE"], ["SELECT", "0"], ["DBSIZE"], ["EXPIRE", "n", "0"], ["LLEN", "n"], ["DBSIZE"],
      ],
    },
    {
      name: "RENAME and COPY carry hashes and sets whole, long values and counters included",
      steps: [
        ["HSET", "h", "f1", "v1", "long", BIG, "", "empty"], ["PEXPIRE", "h", "100000"], ["RENAME", "h", "h2"], ["HGET", "h2", "long"], ["HLEN", "h2"],
        pttl("PTTL", "h2"), ["HSTRLEN", "h2", "long"], ["COPY", "h2", "h3"], ["HDEL", "h2", "f1", "long", ""], ["EXISTS", "h2"], unordered("HGETALL", "h3"),
        ["SADD", "s", "1", "2", "x"], ["RENAMENX", "s", "h3"], ["COPY", "s", "h3", "REPLACE"], ["TYPE", "h3"], ["SCARD", "h3"], unordered("SMEMBERS", "h3"),
        ["SREM", "s", "1", "2", "x"], ["SCARD", "h3"], ["COPY", "h3", "other", "DB", "5"], ["SELECT", "5"], unordered("SMEMBERS", "other"), ["SELECT", "0"], ["DBSIZE"],
        ["RENAME", "h3", "str"], ["SET", "s2", "v"], ["RENAME", "s2", "str"], ["TYPE", "str"], ["GET", "str"], ["DBSIZE"],
      ],
    },
  ],
  RENAMENX: [
    {
      name: "RENAMENX renames only when the destination is free",
      steps: [
        ["SET", "a", "1"], ["SET", "b", "2"], ["RENAMENX", "a", "b"], ["GET", "a"], ["GET", "b"],
        ["EXPIRE", "a", "100"], ["RENAMENX", "a", "c"], ["GET", "c"], ttl("TTL", "c"), ["EXISTS", "a"], ["DBSIZE"],
        ["SET", "x", "1", "PX", "100"], sleep(200), ["RENAMENX", "c", "x"], ["GET", "x"], ttl("TTL", "x"),
      ],
    },
  ],
  COPY: [
    {
      name: "COPY copies the value and TTL; an existing destination needs REPLACE",
      steps: [
        ["SET", "a", "1", "PX", "100000"], ["COPY", "a", "b"], ["GET", "b"], pttl("PTTL", "b"), ["GET", "a"],
        ["SET", "c", "x"], ["COPY", "a", "c"], ["GET", "c"], ["COPY", "a", "c", "REPLACE"], ["GET", "c"], pttl("PTTL", "c"),
        ["PERSIST", "a"], ["COPY", "a", "c", "replace"], ["TTL", "c"], ["COPY", "nokey", "c"], ["COPY", "nokey", "c", "REPLACE"], ["GET", "c"],
        ["COPY", "a", "c", "REPLACE", "REPLACE"], ["DBSIZE"], ["APPEND", "c", "!"], ["GET", "a"], ["GET", "c"],
      ],
    },
    {
      name: "COPY checks its options in order and refuses a key onto itself",
      steps: [
        ["SET", "a", "1"], ["COPY", "a", "a"], ["COPY", "a", "a", "REPLACE"], ["COPY", "nokey", "nokey"], ["COPY", "a", "a", "DB", "0"],
        ["COPY", "a", "b", "DB"], ["COPY", "a", "b", "foo"], ["COPY", "a", "b", "DB", "16"], ["COPY", "a", "b", "DB", "-1"],
        ["COPY", "a", "b", "DB", "abc"], ["COPY", "a", "b", "DB", "2147483648"], ["COPY", "a", "b", "DB", INT64_MAX], ["COPY", "a", "b", "DB", "1.0"],
        ["COPY", "a", "b", "foo", "DB", "99"], ["COPY", "a", "b", "DB", "99", "foo"], ["COPY", "a", "b", "REPLACE", "DB"],
        ["COPY", "a", "a", "DB", "16"], ["COPY", "a", "a", "foo"], ["COPY"], ["COPY", "a"], ["EXISTS", "b"],
      ],
    },
    {
      name: "COPY DB copies to another database, where the same key name is allowed",
      steps: [
        ["SET", "a", "1", "EX", "100"], ["COPY", "a", "a", "DB", "1"], ["COPY", "a", "b", "db", "1"], ["COPY", "a", "a", "DB", "1"],
        ["COPY", "a", "a", "DB", "1", "REPLACE"], ["SET", BINARY_KEY, BIG], ["COPY", BINARY_KEY, "big", "DB", "2"],
        ["SELECT", "1"], ["GET", "a"], ["GET", "b"], ttl("TTL", "a"), ["DBSIZE"],
        ["COPY", "a", "z", "DB", "0"], ["SELECT", "2"], ["STRLEN", "big"], ["GET", "big"], ["SELECT", "0"], ["GET", "z"], ttl("TTL", "z"), ["DBSIZE"],
      ],
    },
  ],
  "OBJECT ENCODING": [
    {
      name: "OBJECT ENCODING of a HyperLogLog is raw, sparse or dense, however short",
      steps: [
        ["PFADD", "h", "a", "b"], ["OBJECT", "ENCODING", "h"], ["STRLEN", "h"], ["PFADD", "e"], ["OBJECT", "ENCODING", "e"],
        ["PFADD", "d", ...Array.from({ length: 3000 }, (_, i) => `m${i}`)], ["OBJECT", "ENCODING", "d"], ["PFMERGE", "m", "h", "e"], ["OBJECT", "ENCODING", "m"],
      ],
    },
    {
      name: "OBJECT ENCODING of hashes and sets follows Redis 7.0's size thresholds",
      steps: [
        ["HSET", "h", "f", "v"], ["OBJECT", "ENCODING", "h"], ["HSET", "h", "f", "x".repeat(64)], ["OBJECT", "ENCODING", "h"],
        ["HSET", "h2", "f", "x".repeat(65)], ["OBJECT", "ENCODING", "h2"], ["HSET", "h3", "f".repeat(65), "v"], ["OBJECT", "ENCODING", "h3"],
        ["HSET", "h4", ...Array.from({ length: 512 }, (_, i) => [`f${i}`, "v"]).flat()], ["OBJECT", "ENCODING", "h4"],
        ["HSET", "h4", "one-more", "v"], ["OBJECT", "ENCODING", "h4"],
        ["SADD", "s", "1", "-2", INT64_MAX], ["OBJECT", "ENCODING", "s"], ["SADD", "s2", "a"], ["OBJECT", "ENCODING", "s2"],
        ["SADD", "s3", ...Array.from({ length: 512 }, (_, i) => String(i))], ["OBJECT", "ENCODING", "s3"], ["SADD", "s3", "512"], ["OBJECT", "ENCODING", "s3"],
        ["SADD", "s4", "01"], ["OBJECT", "ENCODING", "s4"], anyInteger("MEMORY", "USAGE", "h4"), anyInteger("MEMORY", "USAGE", "s3", "SAMPLES", "0"),
      ],
    },
    {
      name: "OBJECT ENCODING of strings: int, embstr up to 44 bytes, raw beyond",
      steps: [
        ["SET", "i", "123"], ["OBJECT", "ENCODING", "i"], ["SET", "min", INT64_MIN], ["OBJECT", "ENCODING", "min"],
        ["SET", "over", "9223372036854775808"], ["OBJECT", "ENCODING", "over"], ["SET", "lead", "0123"], ["object", "encoding", "lead"],
        ["SET", "neg0", "-0"], ["OBJECT", "ENCODING", "neg0"], ["SET", "plus", "+1"], ["OBJECT", "ENCODING", "plus"], ["SET", "zero", "0"], ["OBJECT", "ENCODING", "zero"],
        ["SET", "e", ""], ["OBJECT", "ENCODING", "e"], ["SET", "s44", "a".repeat(44)], ["OBJECT", "ENCODING", "s44"],
        ["SET", "s45", "a".repeat(45)], ["OBJECT", "ENCODING", "s45"], ["SET", "big", BIG], ["OBJECT", "ENCODING", "big"],
        ["INCR", "n"], ["OBJECT", "ENCODING", "n"], ["SET", "f", "1.5"], ["OBJECT", "ENCODING", "f"],
        ["OBJECT", "ENCODING", "nokey"], ["OBJECT", "ENCODING"], ["OBJECT", "ENCODING", "a", "b"], ["OBJECT", "foo"], ["OBJECT", "foo", "x"], ["OBJECT"],
      ],
    },
    {
      name: "OBJECT ENCODING and MEMORY USAGE of a missing key are null in RESP3",
      resp3: true,
      steps: [["OBJECT", "ENCODING", "nokey"], ["MEMORY", "USAGE", "nokey"], ["SET", "k", "12"], ["OBJECT", "ENCODING", "k"], anyInteger("MEMORY", "USAGE", "k")],
    },
  ],
  "OBJECT FREQ": [
    {
      name: "OBJECT FREQ, OBJECT IDLETIME, OBJECT REFCOUNT and OBJECT HELP",
      steps: [
        ["SET", "small", "5"], ["SET", "large", "10000"], ["SET", "text", "abc"],
        ["OBJECT", "REFCOUNT", "small"], ["OBJECT", "REFCOUNT", "large"], ["OBJECT", "REFCOUNT", "text"], ["OBJECT", "REFCOUNT", "nokey"],
        ["OBJECT", "FREQ", "text"], ["OBJECT", "FREQ", "nokey"], anyInteger("OBJECT", "IDLETIME", "text"), ["OBJECT", "IDLETIME", "nokey"],
        ["OBJECT", "HELP"], ["object", "help"], ["OBJECT", "HELP", "x"], ["OBJECT", "FREQ"], ["OBJECT", "REFCOUNT", "a", "b"],
      ],
    },
  ],
  "MEMORY USAGE": [
    {
      name: "MEMORY USAGE estimates a key's size; SAMPLES is checked like Redis",
      steps: [
        ["SET", "k", "v"], anyInteger("MEMORY", "USAGE", "k"), anyInteger("MEMORY", "USAGE", "k", "SAMPLES", "0"),
        anyInteger("memory", "usage", "k", "samples", "5"), ["SET", "big", BIG], anyInteger("MEMORY", "USAGE", "big"),
        ["MEMORY", "USAGE", "nokey"], ["MEMORY", "USAGE", "nokey", "SAMPLES", "5"], ["MEMORY", "USAGE", "k", "SAMPLES"],
        ["MEMORY", "USAGE", "k", "SAMPLES", "-1"], ["MEMORY", "USAGE", "k", "SAMPLES", "x"], ["MEMORY", "USAGE", "k", "foo", "1"],
        ["MEMORY", "USAGE", "nokey", "SAMPLES", "x"], anyInteger("MEMORY", "USAGE", "k", "SAMPLES", INT64_MAX),
        ["MEMORY", "USAGE"], ["MEMORY", "foo"], ["MEMORY"],
      ],
    },
  ],
  "OBJECT IDLETIME": [
    {
      name: "OBJECT IDLETIME is 0 for a key just written or read, in any database, and null for a missing one",
      steps: [
        ["SET", "k", "v"], ["OBJECT", "IDLETIME", "k"], ["GET", "k"], ["OBJECT", "IDLETIME", "k"], ["RPUSH", "l", "a"], ["OBJECT", "IDLETIME", "l"],
        ["MOVE", "k", "3"], ["SELECT", "3"], ["OBJECT", "IDLETIME", "k"], ["OBJECT", "IDLETIME", "nokey"], ["TYPE", "k"], ["EXISTS", "k"], ["TTL", "k"],
        ["OBJECT", "IDLETIME", "k"], ["OBJECT", "IDLETIME"], ["OBJECT", "IDLETIME", "k", "x"],
      ],
    },
  ],
  "MEMORY HELP": [
    {
      name: "MEMORY HELP lists the subcommands",
      skip: "Materia implements MEMORY USAGE and HELP only; its help lists those (docs/COMPATIBILITY.md)",
      steps: [["MEMORY", "HELP"]],
    },
  ],
  "expiry": [
    {
      name: "an expired key is gone for TTL, EXPIRE, PERSIST, TYPE, RENAME and COPY",
      steps: [
        ["SET", "k", "v", "PX", "100"], ["SET", "k2", "v", "PX", "100"], sleep(250),
        ["TTL", "k"], ["PTTL", "k"], ["EXPIRETIME", "k"], ["EXPIRE", "k", "100"], ["PERSIST", "k"], ["TYPE", "k"],
        ["RENAME", "k", "x"], ["RENAMENX", "k", "x"], ["COPY", "k", "x"], ["OBJECT", "ENCODING", "k"], ["MEMORY", "USAGE", "k"],
        ["TOUCH", "k", "k2"], ["EXISTS", "k2"], ["SET", "y", "1"], ["RENAME", "y", "k2"], ["GET", "k2"], ["TTL", "k2"],
      ],
    },
    {
      name: "keys with a TTL are removed in the background without being touched: DBSIZE, SCAN and KEYS converge",
      steps: [
        ["SET", "t1", "v", "PX", "200"], ["SET", "t2", "v", "PX", "200"], ["SET", "t3", BIG, "PX", "200"],
        ["SET", "t4", "v"], ["PEXPIRE", "t4", "200"], ["SET", "keep", "v"], ["SET", "keep2", "v", "EX", "1000"],
        ["DBSIZE"], sleep(600), ["DBSIZE"], scanAll(), unordered("KEYS", "*"), ["EXISTS", "t1", "t2", "t3", "t4"],
      ],
    },
  ],
};

export const METADATA_COMMANDS: readonly string[] = [
  "del", "exists", "keys", "scan", "type", "expire", "pexpire", "expireat", "pexpireat", "ttl", "pttl", "expiretime", "pexpiretime", "persist", "rename", "renamenx", "unlink", "touch", "randomkey", "copy", "object", "object|encoding", "object|freq", "object|idletime", "object|refcount", "object|help", "memory", "memory|usage", "memory|help",
];
