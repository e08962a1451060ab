// Differential cases of the string and bitmap commands (src/commands/families/strings.ts),
// by command; run by strings_test.ts against redis-server or its recorded replies
// (tests/differential/suite.ts). Values past 10,000 bytes are chunked by Materia
// (10,000-byte chunks), so the cases cross chunk boundaries on purpose.
import { bin, INT64_MAX, INT64_MIN, msFromNow, pttl, scanAll, sleep, ttl, unordered, type Arg, type CasesByCommand, patternBytes, type Step } from "../differential/case_types.ts";

// Strings of this size are chunked by Materia (10,000-byte chunks past 10,000 bytes).
const PATTERN_100K = patternBytes(100_000, 1);
const PATTERN_1M = patternBytes(1_000_000, 2);
const PATTERN_CHUNK = patternBytes(10_000, 3);
const PATTERN_CHUNK_PLUS_ONE = patternBytes(10_001, 4);
const PATTERN_TAIL_5K = patternBytes(5_000, 5);

/** Deterministic bytes of every value, CR LF and NUL included. */
function bigValue(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = i % 89 === 0 ? 13 : i % 89 === 1 ? 10 : (x >>> 16) & 0xff;
  }
  return out;
}

const BIG_100K = bigValue(100_000, 21);
const BIG_35K = bigValue(35_000, 22);
const CHUNK_PLUS_ONE = bigValue(10_001, 23);
const EXACT_CHUNK = bigValue(10_000, 24);
const BINARY = bin("a\r\nb\x00c\xff\xfe\r\n\x00");
const BINARY_KEY = bin("k\x00\xff\r\n");
const FAR_FUTURE_S = "4102444800"; // 2100-01-01
const FAR_FUTURE_MS = "4102444800000";
const FIVE_MB = 5 * 1024 * 1024;

/** INCRBYFLOAT inputs: Redis adds in 80-bit long double and prints "%.17Lf" without trailing zeros. */
const FLOAT_INPUTS: Arg[] = [
  "10.5", "3.0e3", "1e-5", "0.1", "-0.1", "1e300", "-1e300", "1e-300", "-1e-20", "1e308", "1.7976931348623157e308",
  "1e4932", "-1e4932", "1.18973149535723176502e+4932", "1.19e4932", "1e-4940", "1e-4950", "2.5e-4951", "1.8e-4951",
  "5e-324", "123456789012345678901234567890", "0.30000000000000004", "3.14159265358979323846264338327950288",
  "0x1p-18", "0x3p-18", "-0x1p-18", "0x10", "0X1P4", "0x1.8p1", "0x.8", "0x1p16383", "0x1p16384", "0x1p-16445", "0x1p-16446",
  ".5", "5.", ".", "+1", "+.5e1", "1E2", "1e+2", "1e-2", "-0", "0", "00012", "-00.100", "1e0", "0e999999999",
  "inf", "-inf", "INF", "Infinity", "-INFINITY", "+inf", "infinit", "infx", "nan", "NaN", "-nan", "nan(123)",
  " 1", "1 ", "\t1", "\n1", "abc", "", "1e", "1e+", "0x", "0xg", "0x1p", "1_000", "1,5", "0b11", "1e0x", "--1", "+-1",
  "1e5000", "-1e5000", "1e-5000", "1e99999999999999999999", "1e-99999999999999999999",
  bin("1\x00x"), bin("\x00"), bin("\x001"), bin("1\x00"), bin("\xff"),
  "9".repeat(4000), "1".repeat(5119), "1".repeat(5120), `0.${"0".repeat(4940)}1`, `${"0".repeat(5000)}7`,
  "9223372036854775807", "18446744073709551616", "0.1e1", "1.", "-.0e-0",
];

/** The classic "foobar" bitmap plus edge patterns. */
const BIT_SOURCES: readonly Step[] = [
  ["SET", "foobar", "foobar"],
  ["SET", "hi", bin("\xff\xf0\x00")],
  ["SET", "lo", bin("\x00\xff\xf0")],
  ["SET", "zeros", bin("\x00\x00\x00")],
  ["SET", "ones", bin("\xff\xff\xff")],
  ["SET", "empty", ""],
];

/** BITCOUNT ranges, byte and bit. */
const BITCOUNT_RANGES: readonly Arg[][] = [
  [], ["0", "0"], ["1", "1"], ["1", "1", "BYTE"], ["5", "30", "BIT"], ["5", "30", "bit"], ["0", "-1"], ["-1", "-1"], ["-2", "-1"],
  ["-100", "-1"], ["-1", "-2"], ["-1", "-100"], ["2", "1"], ["0", "100"], ["100", "200"], ["-100", "100"], ["0", "-1", "BIT"],
  ["-5", "-1", "BIT"], ["7", "7", "BIT"], ["7", "8", "BIT"], ["3", "12", "BIT"], ["47", "47", "BIT"], ["48", "100", "BIT"],
  ["-1", "-2", "BIT"], ["0", INT64_MAX], [INT64_MIN, "-1"], [INT64_MIN, INT64_MAX, "BIT"], ["1", "1", "byte"],
];

/** BITPOS arguments after the key: bit, then an optional range. */
const BITPOS_ARGS: readonly Arg[][] = [
  ["1"], ["0"], ["1", "0"], ["0", "0"], ["1", "1"], ["0", "1"], ["1", "2"], ["0", "2"], ["1", "-1"], ["0", "-1"], ["1", "3"], ["0", "3"],
  ["1", "0", "-1"], ["0", "0", "-1"], ["1", "1", "1"], ["0", "1", "1"], ["1", "2", "-1", "BYTE"], ["0", "2", "-1", "byte"],
  ["1", "7", "15", "BIT"], ["0", "7", "15", "BIT"], ["1", "3", "5", "BIT"], ["0", "3", "5", "BIT"], ["1", "0", "-1", "BIT"],
  ["0", "0", "-1", "BIT"], ["1", "-5", "-1", "BIT"], ["0", "-5", "-1", "BIT"], ["1", "12", "12", "BIT"], ["0", "12", "12", "BIT"],
  ["1", "20", "23", "bit"], ["0", "20", "23", "BIT"], ["1", "2", "1"], ["0", "2", "1"], ["1", "-1", "-2"], ["0", "-1", "-2"],
  ["1", "-100"], ["0", "-100"], ["1", "100"], ["0", "100"], ["0", "100", "200"], ["1", "0", INT64_MAX], ["0", INT64_MIN, INT64_MAX, "BIT"],
  ["0", "9", "9", "BIT"], ["1", "9", "14", "BIT"], ["0", "16", "23", "BIT"], ["0", "8", "8", "BIT"], ["0", "15", "16", "BIT"],
];

function forEachKey(keys: readonly string[], argsList: readonly Arg[][], command: string): Step[] {
  return keys.flatMap((k) => argsList.map((args): Step => [command, k, ...args]));
}

const BITMAP_KEYS = ["foobar", "hi", "lo", "zeros", "ones", "empty", "missing"];

export const CASES: CasesByCommand = {
  GET: [
    {
      name: "GET of missing and present keys, and its arity",
      steps: [["GET", "nope"], ["SET", "k", "v"], ["GET", "k"], ["get", "k"], ["GET"], ["GET", "a", "b"]],
    },
  ],
  SET: [
    {
      name: "SET NX and XX",
      steps: [
        ["SET", "k", "1", "NX"], ["GET", "k"], ["SET", "k", "2", "NX"], ["GET", "k"], ["SET", "k", "3", "XX"], ["GET", "k"],
        ["SET", "missing", "x", "XX"], ["EXISTS", "missing"], ["SET", "k", "4", "nx"], ["SET", "k", "5", "xx"], ["GET", "k"],
        ["SET", "k", "6", "NX", "NX"], ["SET", "k", "7", "XX", "XX"], ["GET", "k"],
      ],
    },
    {
      name: "SET GET returns the old value, alone and with NX or XX",
      steps: [
        ["SET", "k", "1", "GET"], ["SET", "k", "2", "GET"], ["GET", "k"], ["SET", "k", "3", "NX", "GET"], ["GET", "k"],
        ["SET", "new", "1", "NX", "GET"], ["GET", "new"], ["SET", "k", "4", "XX", "GET"], ["SET", "gone", "1", "XX", "GET"],
        ["EXISTS", "gone"], ["SET", "k", "5", "GET", "GET"], ["SET", "k", "6", "get", "EX", "100"], ["GET", "k"],
        ["SET", "k", "", "GET"], ["SET", "k", "7", "GET"],
      ],
    },
    {
      name: "SET expiry options in every form",
      steps: [
        ["SET", "k", "v", "EX", "100"], ["GET", "k"], ["SET", "k", "v", "PX", "100000"], ["SET", "k", "v", "EXAT", FAR_FUTURE_S],
        ["SET", "k", "v", "PXAT", FAR_FUTURE_MS], ["SET", "k", "v", "KEEPTTL"], ["SET", "k", "v", "ex", "100"],
        ["SET", "k", "v", "Px", "100000"], ["SET", "k", "v", "exat", FAR_FUTURE_S], ["SET", "k", "v", "pxat", FAR_FUTURE_MS],
        ["SET", "k", "v", "keepttl"], ["SET", "k", "v", "EX", "10", "EX", "20"], ["SET", "k", "v", "PX", "10000", "PX", "20000"],
        ["SET", "k", "v", "KEEPTTL", "KEEPTTL"], ["SET", "k", "v", "NX", "EX", "10"], ["SET", "k", "v", "XX", "PX", "10000", "GET"],
        ["SET", "k", "v", "EXAT", "9223372036854775"], ["SET", "k", "v", "PXAT", INT64_MAX], ["GET", "k"],
        ["SET", "k", "v", "EX", "9223372036854775"], ["SET", "k", "v", "EX", "9223372036854776"],
      ],
    },
    {
      name: "SET rejects bad expiry values",
      steps: [
        ["SET", "k", "v", "EX", "0"], ["SET", "k", "v", "EX", "-1"], ["SET", "k", "v", "PX", "0"], ["SET", "k", "v", "PX", "-5"],
        ["SET", "k", "v", "EXAT", "0"], ["SET", "k", "v", "PXAT", "-1"], ["SET", "k", "v", "EX", "abc"], ["SET", "k", "v", "EX", ""],
        ["SET", "k", "v", "EX", "1.5"], ["SET", "k", "v", "EX", " 1"], ["SET", "k", "v", "PX", INT64_MAX],
        ["SET", "k", "v", "EX", INT64_MAX], ["SET", "k", "v", "PX", "9223372036854775808"], ["SET", "k", "v", "EX", INT64_MIN],
        ["SET", "k", "v", "PX", "9223372036854775000"], ["EXISTS", "k"],
      ],
    },
    {
      name: "SET rejects conflicting and incomplete options with a syntax error",
      steps: [
        ["SET", "k", "v", "NX", "XX"], ["SET", "k", "v", "XX", "NX"], ["SET", "k", "v", "EX", "10", "PX", "100"],
        ["SET", "k", "v", "PX", "100", "EX", "10"], ["SET", "k", "v", "EX", "10", "EXAT", FAR_FUTURE_S],
        ["SET", "k", "v", "EXAT", FAR_FUTURE_S, "PXAT", FAR_FUTURE_MS], ["SET", "k", "v", "PX", "100", "PXAT", FAR_FUTURE_MS],
        ["SET", "k", "v", "EX", "10", "KEEPTTL"], ["SET", "k", "v", "KEEPTTL", "EX", "10"], ["SET", "k", "v", "KEEPTTL", "PXAT", FAR_FUTURE_MS],
        ["SET", "k", "v", "EX"], ["SET", "k", "v", "PX"], ["SET", "k", "v", "NX", "EX"], ["SET", "k", "v", "FOO"],
        ["SET", "k", "v", "NX", "bar"], ["SET", "k", "v", "10"], ["SET", "k", "v", ""], ["SET", "k", "v", "EX", "abc", "NX", "XX"],
        ["SET", "k", "v", "NX", "XX", "EX", "abc"], ["SET", "k", "v", "EX", "0", "FOO"], ["EXISTS", "k"], ["SET", "k"], ["SET"],
      ],
    },
    {
      name: "SET of empty and binary values and keys",
      steps: [
        ["SET", "empty", ""], ["GET", "empty"], ["STRLEN", "empty"], ["EXISTS", "empty"], ["TYPE", "empty"],
        ["SET", "bin", BINARY], ["GET", "bin"], ["STRLEN", "bin"], ["SET", BINARY, "value"], ["GET", BINARY],
        ["SET", "", "empty key"], ["GET", ""], ["EXISTS", ""], ["SET", "utf8", "héllo wörld ✓"], ["GET", "utf8"], ["STRLEN", "utf8"],
        ["SET", "all", bin(Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join(""))], ["GET", "all"],
      ],
    },
    {
      name: "expiry from SET is exact to the read, and INCR and APPEND keep it",
      steps: [
        ["SET", "a", "v", "PX", "1000"], ["SET", "b", "v", "EX", "100"], ["SET", "c", "1", "PX", "1000"], ["INCR", "c"],
        ["INCRBY", "c", "5"], ["SET", "d", "x", "PX", "1000"], ["APPEND", "d", "y"], ["SET", "e", "v", "PX", "1000"],
        ["SET", "e", "v2", "KEEPTTL"], ["SET", "f", "v", "PX", "1000"], ["SET", "f", "v2"], ["SET", "g", "v", "PX", "1000"],
        ["MSET", "g", "v2"], ["SET", "h", "v", "PX", "1000"], ["SET", "h", "v3", "XX", "KEEPTTL", "GET"],
        ["SET", "i", "v", "PXAT", msFromNow(1000)], ["SET", "j", "10", "PX", "1000"], ["DECRBY", "j", "3"],
        ["SET", "nx", "v", "PX", "1000"], ["SET", "xx", "v", "PX", "1000"],
        ["GET", "a"], ["GET", "c"], ["GET", "d"], ["GET", "e"], ["GET", "h"], ["GET", "i"], ["DBSIZE"],
        sleep(1300),
        ["GET", "a"], ["GET", "b"], ["GET", "c"], ["GET", "d"], ["GET", "e"], ["GET", "f"], ["GET", "g"], ["GET", "h"], ["GET", "i"],
        ["GET", "j"], ["EXISTS", "a", "c", "d", "e", "h", "i", "j"], ["TYPE", "a"], ["STRLEN", "a"], ["GETRANGE", "a", "0", "-1"],
        ["MGET", "a", "b", "c", "f"], ["SET", "nx", "new", "NX"], ["SET", "xx", "new", "XX", "GET"], ["GET", "nx"], ["EXISTS", "xx"],
        unordered("KEYS", "*"), scanAll(), ["DBSIZE"], ["INCR", "a"], ["APPEND", "c", "z"], ["GET", "a"], ["GET", "c"],
      ],
    },
    {
      name: "SET with a time already past leaves no key",
      steps: [
        ["SET", "p", "v", "PXAT", "1"], ["GET", "p"], ["EXISTS", "p"], ["SET", "q", "v", "EXAT", "1"], ["GET", "q"], ["TYPE", "q"],
        ["SET", "r", "v", "PXAT", msFromNow(-1000)], ["GET", "r"], ["SET", "s", "old"], ["SET", "s", "v", "PXAT", "1", "GET"],
        ["GET", "s"], ["SET", "t", "v", "EXAT", "1", "NX"], ["SET", "t", "v", "NX"], ["GET", "t"], ["DBSIZE"],
        unordered("KEYS", "*"),
      ],
    },
  ],
  SETNX: [
    {
      name: "SETNX sets a missing key only, whatever type the existing key has",
      steps: [
        ["SETNX", "k", "v"], ["SETNX", "k", "w"], ["GET", "k"], ["RPUSH", "l", "a"], ["SETNX", "l", "x"], ["TYPE", "l"],
        ["SETNX", BINARY_KEY, BINARY], ["GET", BINARY_KEY], ["SETNX", "e", ""], ["GET", "e"], ["STRLEN", "e"],
        ["SETNX", "big", BIG_35K], ["GET", "big"], ["SETNX", "big", "small"], ["STRLEN", "big"], ["DBSIZE"],
        ["SETNX", "k"], ["SETNX", "k", "a", "b"], ["SETNX"],
      ],
    },
    {
      name: "SETNX keeps the TTL of an existing key and replaces an expired one",
      steps: [
        ["SETEX", "k", "100", "v"], ["SETNX", "k", "w"], ttl("TTL", "k"), ["PSETEX", "gone", "50", "old"], sleep(120),
        ["SETNX", "gone", "new"], ["GET", "gone"], ["TTL", "gone"], ["DBSIZE"],
      ],
    },
  ],
  SETEX: [
    {
      name: "SETEX and PSETEX set a value with a TTL, over any type",
      steps: [
        ["SETEX", "k", "100", "v"], ttl("TTL", "k"), ["GET", "k"], ["PSETEX", "p", "5000", "v"], pttl("PTTL", "p"), ["GET", "p"],
        ["RPUSH", "l", "a"], ["SETEX", "l", "10", "s"], ["TYPE", "l"], ttl("TTL", "l"), ["SETEX", "k", "200", "w"], ttl("TTL", "k"),
        ["SETEX", "big", "100", BIG_100K], ["GET", "big"], ttl("TTL", "big"), ["SETEX", "big", "100", "small"], ["GET", "big"],
        ["SETEX", BINARY_KEY, "100", BINARY], ["GET", BINARY_KEY], ["DBSIZE"],
        ["SETEX", "k", FAR_FUTURE_S, "v"], ttl("TTL", "k"), ["PSETEX", "k", FAR_FUTURE_MS, "v"], pttl("PTTL", "k"),
      ],
    },
    {
      name: "SETEX and PSETEX reject non-positive, non-integer and overflowing times without writing",
      steps: [
        ["SET", "k", "keep"],
        ["SETEX", "k", "0", "v"], ["SETEX", "k", "-1", "v"], ["SETEX", "k", "abc", "v"], ["SETEX", "k", "1.5", "v"], ["SETEX", "k", "", "v"],
        ["SETEX", "k", " 1", "v"], ["SETEX", "k", "01", "v"], ["SETEX", "k", INT64_MAX, "v"], ["SETEX", "k", INT64_MIN, "v"],
        ["SETEX", "k", "9223372036854775", "v"], ["SETEX", "k", "9223372036854776", "v"], ["SETEX", "k", "99999999999999999999", "v"],
        ["PSETEX", "k", "0", "v"], ["PSETEX", "k", "-5", "v"], ["PSETEX", "k", "x", "v"], ["PSETEX", "k", INT64_MAX, "v"],
        ["PSETEX", "k", "9223372036854775000", "v"], ["GET", "k"], ["TTL", "k"],
        ["SETEX", "k", "1"], ["SETEX", "k", "1", "v", "x"], ["PSETEX", "k"], ["setex", "k", "10", "lower"], ttl("TTL", "k"),
      ],
    },
  ],
  PSETEX: [
    {
      name: "PSETEX keys expire on time",
      steps: [["PSETEX", "k", "100", "v"], ["GET", "k"], sleep(200), ["GET", "k"], ["EXISTS", "k"], ["TTL", "k"]],
    },
  ],
  GETSET: [
    {
      name: "GETSET returns the old value, sets the new one and drops the TTL",
      steps: [
        ["GETSET", "k", "a"], ["GET", "k"], ["GETSET", "k", "b"], ["GET", "k"], ["SETEX", "t", "100", "x"], ["GETSET", "t", "y"],
        ["TTL", "t"], ["GET", "t"], ["RPUSH", "l", "a"], ["GETSET", "l", "x"], ["LRANGE", "l", "0", "-1"],
        ["SET", "big", BIG_100K], ["GETSET", "big", CHUNK_PLUS_ONE], ["GETSET", "big", "s"], ["GETSET", "big", EXACT_CHUNK], ["GET", "big"],
        ["GETSET", BINARY_KEY, BINARY], ["GETSET", BINARY_KEY, ""], ["GET", BINARY_KEY], ["DBSIZE"],
        ["GETSET", "k"], ["GETSET", "k", "a", "b"],
      ],
    },
  ],
  GETDEL: [
    {
      name: "GETDEL returns the value and deletes the key",
      steps: [
        ["GETDEL", "missing"], ["SET", "k", "v"], ["GETDEL", "k"], ["EXISTS", "k"], ["GETDEL", "k"], ["RPUSH", "l", "a"], ["GETDEL", "l"],
        ["EXISTS", "l"], ["SET", "big", BIG_100K], ["GETDEL", "big"], ["EXISTS", "big"], ["SETEX", "t", "100", "x"], ["GETDEL", "t"],
        ["TTL", "t"], ["SET", BINARY_KEY, BINARY], ["GETDEL", BINARY_KEY], ["PSETEX", "gone", "50", "v"], sleep(120), ["GETDEL", "gone"],
        ["DBSIZE"], ["GETDEL"], ["GETDEL", "a", "b"],
      ],
    },
  ],
  GETEX: [
    {
      name: "GETEX reads a value and sets, changes or removes its TTL",
      steps: [
        ["SET", "k", "v"], ["GETEX", "k"], ["TTL", "k"], ["GETEX", "k", "EX", "100"], ttl("TTL", "k"), ["GETEX", "k", "PX", "5000"],
        pttl("PTTL", "k"), ["GETEX", "k", "EXAT", FAR_FUTURE_S], ttl("EXPIRETIME", "k"), ["GETEX", "k", "PXAT", FAR_FUTURE_MS],
        pttl("PEXPIRETIME", "k"), ["GETEX", "k"], pttl("PEXPIRETIME", "k"), ["GETEX", "k", "PERSIST"], ["TTL", "k"],
        ["GETEX", "k", "PERSIST"], ["TTL", "k"], ["getex", "k", "ex", "50"], ttl("TTL", "k"), ["GETEX", "k", "persist"], ["TTL", "k"],
        ["GETEX", "k", "EX", "1", "EX", "300"], ttl("TTL", "k"), ["GETEX", "k", "PERSIST", "PERSIST"], ["TTL", "k"],
        ["SET", "big", BIG_100K], ["GETEX", "big", "EX", "100"], ttl("TTL", "big"), ["GETEX", "big", "PERSIST"], ["TTL", "big"],
        ["DBSIZE"],
      ],
    },
    {
      name: "GETEX with a time in the past returns the value and deletes the key",
      steps: [
        ["SET", "k", "v"], ["GETEX", "k", "EXAT", "1"], ["EXISTS", "k"], ["SET", "k", "v"], ["GETEX", "k", "PXAT", msFromNow(-1000)],
        ["EXISTS", "k"], ["SET", "big", BIG_35K], ["GETEX", "big", "PXAT", "1"], ["EXISTS", "big"], ["DBSIZE"],
        ["PSETEX", "gone", "50", "v"], sleep(120), ["GETEX", "gone", "PERSIST"], ["EXISTS", "gone"],
      ],
    },
    {
      name: "GETEX errors: syntax first, then a missing key answers nil, then the type, then the time",
      steps: [
        ["SET", "k", "v"], ["RPUSH", "l", "a"],
        ["GETEX", "k", "EX"], ["GETEX", "k", "PERSIST", "EX", "1"], ["GETEX", "k", "EX", "1", "PERSIST"], ["GETEX", "k", "EX", "1", "PX", "2"],
        ["GETEX", "k", "EXAT", "1", "PXAT", "2"], ["GETEX", "k", "KEEPTTL"], ["GETEX", "k", "NX"], ["GETEX", "k", "GET"], ["GETEX", "k", "foo"],
        ["GETEX", "missing", "foo"], ["GETEX", "missing", "EX"],
        ["GETEX", "missing", "EX", "abc"], ["GETEX", "missing", "EX", "0"], ["GETEX", "missing", "PX", "-1"], ["GETEX", "missing"],
        ["GETEX", "l"], ["GETEX", "l", "EX", "0"], ["GETEX", "l", "PERSIST"],
        ["GETEX", "k", "EX", "0"], ["GETEX", "k", "EX", "-1"], ["GETEX", "k", "EX", "abc"], ["GETEX", "k", "PX", "1.5"],
        ["GETEX", "k", "EXAT", "0"], ["GETEX", "k", "PXAT", "-1"], ["GETEX", "k", "EX", INT64_MAX], ["GETEX", "k", "PX", INT64_MAX],
        ["GETEX", "k", "EXAT", INT64_MAX], ["GETEX", "k", "EX", "9223372036854775"], ["GETEX", "k", "PXAT", INT64_MAX],
        ttl("TTL", "k"), ["GET", "k"], ["GETEX"],
      ],
    },
    {
      name: "GETEX, GETDEL and GETSET answer nil as RESP3 null",
      resp3: true,
      steps: [
        ["GETEX", "missing"], ["GETDEL", "missing"], ["GETSET", "k", "v"], ["GETEX", "k", "EX", "10"], ["GETDEL", "k"],
        ["SETNX", "k", "v"], ["MSETNX", "k", "a", "j", "b"], ["INCRBYFLOAT", "f", "1.5"], ["BITCOUNT", "k"], ["BITPOS", "k", "0"],
      ],
    },
  ],
  MGET: [
    {
      name: "MGET with missing and repeated keys",
      steps: [
        ["MGET", "a"], ["SET", "a", "1"], ["SET", "b", ""], ["MGET", "a", "nope", "b", "a", "a"], ["MGET", "nope", "nope"],
        ["mget", "b"], ["MGET"],
      ],
    },
  ],
  MSET: [
    {
      name: "MSET sets pairs, the last of a repeated key wins, odd arguments are an arity error",
      steps: [
        ["MSET", "a", "1", "b", "2"], ["MGET", "a", "b"], ["MSET", "a", "x", "a", "y"], ["GET", "a"], ["MSET", "a"],
        ["MSET", "a", "1", "b"], ["MSET"], ["GET", "b"], ["MSET", "e", ""], ["GET", "e"], ["MSET", BINARY, BINARY],
        ["GET", BINARY], ["DBSIZE"],
      ],
    },
  ],
  MSETNX: [
    {
      name: "MSETNX sets every key only when none exists",
      steps: [
        ["MSETNX", "a", "1", "b", "2"], ["MGET", "a", "b"], ["MSETNX", "c", "3", "a", "x"], ["MGET", "a", "b", "c"], ["EXISTS", "c"],
        ["RPUSH", "l", "x"], ["MSETNX", "d", "4", "l", "y"], ["EXISTS", "d"], ["TYPE", "l"], ["MSETNX", "dup", "1", "dup", "2"],
        ["GET", "dup"], ["MSETNX", BINARY_KEY, BINARY, "big", BIG_100K], ["GET", BINARY_KEY], ["GET", "big"],
        ["PSETEX", "gone", "50", "v"], sleep(120), ["MSETNX", "gone", "new", "e", "5"], ["MGET", "gone", "e"], ["TTL", "gone"],
        ["SETEX", "t", "100", "v"], ["MSETNX", "t", "w"], ttl("TTL", "t"), ["DBSIZE"],
        ["MSETNX", "a"], ["MSETNX", "a", "1", "b"], ["MSETNX"],
      ],
    },
  ],
  INCR: [
    {
      name: "INCR and DECR on missing and integer values",
      steps: [
        ["INCR", "n"], ["INCR", "n"], ["DECR", "n"], ["DECR", "m"], ["GET", "n"], ["GET", "m"], ["INCRBY", "n", "10"],
        ["INCRBY", "n", "-20"], ["DECRBY", "n", "5"], ["DECRBY", "n", "-5"], ["INCRBY", "z", "0"], ["GET", "z"],
        ["SET", "s", "0"], ["INCR", "s"], ["SET", "s", "-5"], ["INCR", "s"], ["SET", "s", "41"], ["INCR", "s"], ["APPEND", "s", "0"],
        ["INCR", "s"], ["GET", "s"], ["incr", "s"], ["IncrBy", "s", "1"],
      ],
    },
    {
      name: "INCR rejects values that are not strict 64-bit integers",
      steps: [
        ["SET", "k", "-0"], ["INCR", "k"], ["SET", "k", "01"], ["INCR", "k"], ["SET", "k", "+1"], ["INCR", "k"],
        ["SET", "k", " 1"], ["INCR", "k"], ["SET", "k", "1 "], ["INCR", "k"], ["SET", "k", ""], ["INCR", "k"],
        ["SET", "k", "abc"], ["DECR", "k"], ["SET", "k", "1.5"], ["INCRBY", "k", "1"], ["SET", "k", "1e3"], ["INCR", "k"],
        ["SET", "k", "9223372036854775808"], ["INCR", "k"], ["SET", "k", "-9223372036854775809"], ["DECR", "k"],
        ["SET", "k", "0x10"], ["INCR", "k"], ["SET", "k", "-"], ["INCR", "k"], ["SET", "k", bin("1\x00")], ["INCR", "k"],
        ["SET", "k", "00"], ["INCR", "k"], ["SET", "k", "12345678901234567890123"], ["INCR", "k"], ["GET", "k"],
        ["SET", "big", PATTERN_100K], ["INCR", "big"], ["SET", "digits", "1".repeat(10_001)], ["INCR", "digits"],
      ],
    },
    {
      name: "INCR family at the 64-bit limits",
      steps: [
        ["SET", "k", INT64_MAX], ["INCR", "k"], ["INCRBY", "k", "1"], ["GET", "k"], ["DECR", "k"], ["INCRBY", "k", "1"],
        ["SET", "k", INT64_MIN], ["DECR", "k"], ["DECRBY", "k", "1"], ["INCRBY", "k", "-1"], ["INCR", "k"],
        ["SET", "k", "1"], ["INCRBY", "k", INT64_MAX], ["SET", "k", "-1"], ["INCRBY", "k", INT64_MIN], ["INCRBY", "k", INT64_MAX],
        ["DECRBY", "k", INT64_MIN], ["SET", "k", "0"], ["DECRBY", "k", INT64_MIN], ["DECRBY", "k", INT64_MAX], ["DECR", "k"],
        ["DECR", "k"], ["GET", "k"], ["SET", "k", "0"], ["INCRBY", "k", INT64_MIN], ["GET", "k"], ["DECRBY", "fresh", INT64_MIN],
        ["EXISTS", "fresh"],
      ],
    },
  ],
  INCRBY: [
    {
      name: "INCRBY and DECRBY reject bad increments and wrong arity",
      steps: [
        ["INCRBY", "k", "abc"], ["INCRBY", "k", "1.5"], ["INCRBY", "k", ""], ["INCRBY", "k", "-0"], ["INCRBY", "k", "01"],
        ["INCRBY", "k", "+1"], ["INCRBY", "k", " 1"], ["INCRBY", "k", "9223372036854775808"], ["DECRBY", "k", "abc"],
        ["DECRBY", "k", "-9223372036854775809"], ["EXISTS", "k"], ["INCR"], ["INCR", "a", "b"], ["DECR"], ["INCRBY", "k"],
        ["INCRBY", "k", "1", "2"], ["DECRBY", "k"], ["DECRBY", "k", "1", "2"],
      ],
    },
  ],
  INCRBYFLOAT: [
    {
      name: "INCRBYFLOAT on a missing key prints each increment as Redis's long double does",
      steps: FLOAT_INPUTS.map((increment, i): Step => ["INCRBYFLOAT", `f${i}`, increment]),
    },
    {
      name: "INCRBYFLOAT accumulates in extended precision and parses stored values",
      steps: [
        ["SET", "k", "1.1"], ["INCRBYFLOAT", "k", "2.2"], ...Array.from({ length: 10 }, (): Step => ["INCRBYFLOAT", "k", "0.1"]), ["GET", "k"],
        ["SET", "n", "10"], ["INCRBYFLOAT", "n", "0.1"], ["INCRBYFLOAT", "n", "-10.1"], ["INCRBYFLOAT", "n", "-1e-17"], ["GET", "n"],
        ["SET", "h", "0x10"], ["INCRBYFLOAT", "h", "1"], ["SET", "z", "-0"], ["INCRBYFLOAT", "z", "-0"], ["GET", "z"],
        ["SET", "big", "1e4932"], ["INCRBYFLOAT", "big", "1e4932"], ["INCRBYFLOAT", "big", "-1e4932"], ["GET", "big"],
        ["SET", "tiny", "0x1p-16445"], ["INCRBYFLOAT", "tiny", "0"], ["INCRBYFLOAT", "tiny", "0x1p-16445"],
        ["SET", "i", "inf"], ["INCRBYFLOAT", "i", "1"], ["INCRBYFLOAT", "i", "-inf"], ["SET", "s", "abc"], ["INCRBYFLOAT", "s", "1"],
        ["SET", "sp", " 1"], ["INCRBYFLOAT", "sp", "1"], ["SET", "e", ""], ["INCRBYFLOAT", "e", "1"], ["SET", "nul", bin("2\x00junk")],
        ["INCRBYFLOAT", "nul", "1"], ["SET", "long", "1".repeat(5200)], ["INCRBYFLOAT", "long", "1"], ["SET", "chunked", CHUNK_PLUS_ONE],
        ["INCRBYFLOAT", "chunked", "1"], ["SET", "int", INT64_MAX], ["INCRBYFLOAT", "int", "1"], ["INCRBY", "k", "1"],
        ["SET", "pi", "3.0"], ["INCRBYFLOAT", "pi", "0.14159265358979323846"], ["INCRBYFLOAT", "pi", "1e-18"],
      ],
    },
    {
      name: "INCRBYFLOAT keeps the TTL; errors come after the key's type",
      steps: [
        ["SETEX", "k", "100", "1"], ["INCRBYFLOAT", "k", "1.5"], ttl("TTL", "k"), ["GET", "k"], ["RPUSH", "l", "a"],
        ["INCRBYFLOAT", "l", "abc"], ["INCRBYFLOAT", "l", "1"], ["SET", "bad", "x"], ["INCRBYFLOAT", "bad", "y"],
        ["INCRBYFLOAT", "k", "inf"], ["INCRBYFLOAT", "k", "nan"], ["GET", "k"], ["INCRBYFLOAT", "k"], ["INCRBYFLOAT", "k", "1", "2"],
        ["INCRBYFLOAT", "missing", "abc"], ["EXISTS", "missing"], ["INCRBYFLOAT", "missing", "inf"], ["EXISTS", "missing"],
      ],
    },
    {
      name: "INCRBYFLOAT replies with a bulk string in RESP3",
      resp3: true,
      steps: [["INCRBYFLOAT", "k", "1.5"], ["INCRBYFLOAT", "k", "1e20"], ["INCRBYFLOAT", "k", "x"], ["INCRBYFLOAT", "k", "inf"]],
    },
  ],
  APPEND: [
    {
      name: "APPEND creates, extends and handles binary",
      steps: [
        ["APPEND", "k", "hello"], ["APPEND", "k", " world"], ["GET", "k"], ["APPEND", "k", ""], ["APPEND", "new", ""],
        ["EXISTS", "new"], ["GET", "new"], ["APPEND", "b", BINARY], ["APPEND", "b", BINARY], ["GET", "b"], ["STRLEN", "b"],
        ["APPEND", "k"], ["APPEND"], ["APPEND", "k", "a", "b"],
      ],
    },
  ],
  STRLEN: [
    {
      name: "STRLEN of missing, empty and binary values",
      steps: [
        ["STRLEN", "nope"], ["SET", "e", ""], ["STRLEN", "e"], ["SET", "k", "hello"], ["STRLEN", "k"], ["SET", "n", "12345"],
        ["INCR", "n"], ["STRLEN", "n"], ["SET", "b", BINARY], ["STRLEN", "b"], ["STRLEN"], ["STRLEN", "a", "b"],
      ],
    },
  ],
  GETRANGE: [
    {
      name: "GETRANGE, STRLEN and APPEND across chunk boundaries",
      steps: [
        ["SET", "big", PATTERN_100K], ["GETRANGE", "big", "9995", "10005"], ["GETRANGE", "big", "0", "9999"],
        ["GETRANGE", "big", "10000", "10000"], ["GETRANGE", "big", "9999", "10000"], ["GETRANGE", "big", "19999", "30000"],
        ["GETRANGE", "big", "-10005", "-9995"], ["GETRANGE", "big", "99990", "100010"], ["GETRANGE", "big", "-1", "-1"],
        ["GETRANGE", "big", "0", "-1"], ["GETRANGE", "big", "50000", "49999"], ["GETRANGE", "big", "100000", "100000"],
        ["APPEND", "big", PATTERN_TAIL_5K], ["STRLEN", "big"], ["GETRANGE", "big", "99995", "100005"], ["GETRANGE", "big", "-5001", "-1"],
        ["GET", "big"],
        ["SET", "chunk", PATTERN_CHUNK], ["APPEND", "chunk", "x"], ["STRLEN", "chunk"], ["GETRANGE", "chunk", "9998", "10001"],
        ["APPEND", "chunk", PATTERN_TAIL_5K], ["GETRANGE", "chunk", "9990", "10010"], ["GET", "chunk"],
        ["SET", "grow", "ab"], ["APPEND", "grow", PATTERN_CHUNK], ["APPEND", "grow", PATTERN_CHUNK_PLUS_ONE], ["STRLEN", "grow"],
        ["GETRANGE", "grow", "9999", "10003"], ["GETRANGE", "grow", "20000", "20010"], ["GET", "grow"],
        ["SET", "huge", PATTERN_1M], ["APPEND", "huge", PATTERN_TAIL_5K], ["STRLEN", "huge"], ["GETRANGE", "huge", "999990", "1000010"],
        ["GETRANGE", "huge", "123456", "234567"], ["GETRANGE", "huge", "-1005000", "-1004990"], ["GET", "huge"],
        ["APPEND", "huge", ""], ["STRLEN", "huge"],
      ],
    },
    {
      name: "GETRANGE with every sign of start and end",
      steps: [
        ["SET", "k", "Hello World"], ["GETRANGE", "k", "0", "4"], ["GETRANGE", "k", "0", "-1"], ["GETRANGE", "k", "-5", "-1"],
        ["GETRANGE", "k", "-1", "-5"], ["GETRANGE", "k", "5", "2"], ["GETRANGE", "k", "0", "100"], ["GETRANGE", "k", "100", "200"],
        ["GETRANGE", "k", "-100", "5"], ["GETRANGE", "k", "-100", "-100"], ["GETRANGE", "k", "3", "-3"], ["GETRANGE", "k", "-3", "3"],
        ["GETRANGE", "k", "-3", "10"], ["GETRANGE", "k", "0", "0"], ["GETRANGE", "k", "-1", "-1"], ["GETRANGE", "k", "10", "10"],
        ["GETRANGE", "k", "11", "11"], ["GETRANGE", "k", "-11", "-11"], ["GETRANGE", "k", "-12", "-12"], ["GETRANGE", "k", "5", "-100"],
        ["GETRANGE", "k", "0", "-12"], ["GETRANGE", "k", INT64_MAX, INT64_MAX], ["GETRANGE", "k", INT64_MIN, INT64_MAX],
        ["GETRANGE", "k", INT64_MIN, INT64_MIN], ["GETRANGE", "k", "0", INT64_MIN], ["GETRANGE", "k", "-5", INT64_MAX],
        ["GETRANGE", "k", "4", "4"], ["getrange", "k", "-0", "1"], ["GETRANGE", "k", "+1", "2"], ["GETRANGE", "k", "01", "2"],
      ],
    },
    {
      name: "GETRANGE on missing and empty values, and its errors",
      steps: [
        ["GETRANGE", "nope", "0", "-1"], ["GETRANGE", "nope", "5", "1"], ["SET", "e", ""], ["GETRANGE", "e", "0", "-1"],
        ["GETRANGE", "e", "0", "0"], ["GETRANGE", "e", "-1", "-1"], ["SET", "k", "abc"], ["GETRANGE", "k", "a", "1"],
        ["GETRANGE", "k", "0", "b"], ["GETRANGE", "k", "1.5", "2"], ["GETRANGE", "k", "", "1"], ["GETRANGE", "k", "9223372036854775808", "1"],
        ["GETRANGE", "nope", "x", "1"], ["GETRANGE", "k", "1"], ["GETRANGE", "k"], ["GETRANGE", "k", "0", "1", "2"],
        ["SET", "b", BINARY], ["GETRANGE", "b", "1", "4"], ["GETRANGE", "b", "-3", "-1"],
      ],
    },
  ],
  SUBSTR: [
    {
      name: "SUBSTR is GETRANGE under its old name",
      steps: [
        ["SET", "k", "Hello World"], ["SUBSTR", "k", "0", "4"], ["SUBSTR", "k", "-5", "-1"], ["SUBSTR", "k", "5", "2"], ["SUBSTR", "k", "0", "-100"],
        ["SUBSTR", "k", "-100", "100"], ["SUBSTR", "missing", "0", "-1"], ["SET", "big", BIG_35K], ["SUBSTR", "big", "9990", "20010"],
        ["RPUSH", "l", "a"], ["SUBSTR", "l", "0", "1"], ["SUBSTR", "k", "a", "1"], ["SUBSTR", "k", "0", "b"], ["SUBSTR", "k", "0"],
        ["SUBSTR", "k", INT64_MIN, INT64_MAX], ["substr", "k", "0", "0"],
      ],
    },
  ],
  SETRANGE: [
    {
      name: "SETRANGE overwrites, extends and zero-pads inline values",
      steps: [
        ["SETRANGE", "k", "0", "hello"], ["GET", "k"], ["SETRANGE", "k", "1", "EL"], ["GET", "k"], ["SETRANGE", "k", "5", " world"], ["GET", "k"],
        ["SETRANGE", "k", "15", "!"], ["GET", "k"], ["STRLEN", "k"], ["SETRANGE", "pad", "5", "x"], ["GET", "pad"],
        ["SETRANGE", "empty", "0", ""], ["EXISTS", "empty"], ["SETRANGE", "empty", "100", ""], ["EXISTS", "empty"],
        ["SETRANGE", "k", "1000", ""], ["SETRANGE", "k", INT64_MAX, ""], ["GET", "k"], ["SETRANGE", BINARY_KEY, "3", BINARY],
        ["GET", BINARY_KEY], ["SETEX", "t", "100", "abc"], ["SETRANGE", "t", "1", "X"], ["GET", "t"], ttl("TTL", "t"),
        ["SET", "edge", EXACT_CHUNK], ["SETRANGE", "edge", "9999", "xy"], ["STRLEN", "edge"], ["GETRANGE", "edge", "9990", "-1"],
        ["GET", "edge"], ["DBSIZE"],
      ],
    },
    {
      name: "SETRANGE on chunked values touches chunk boundaries, gaps and the end",
      steps: [
        ["SET", "big", BIG_100K], ["SETRANGE", "big", "9995", "hello world"], ["GETRANGE", "big", "9990", "10010"],
        ["SETRANGE", "big", "100000", "tail"], ["STRLEN", "big"], ["SETRANGE", "big", "150000", "gap"], ["STRLEN", "big"],
        ["GETRANGE", "big", "99990", "100010"], ["GETRANGE", "big", "149990", "-1"], ["SETRANGE", "big", "0", "head"],
        ["SETRANGE", "big", "29999", bigValue(20_002, 5)], ["SETRANGE", "big", "149998", "end of it"], ["GET", "big"],
        ["SET", "s", "abc"], ["SETRANGE", "s", "20000", "z"], ["STRLEN", "s"], ["GETRANGE", "s", "0", "5"], ["GETRANGE", "s", "19995", "-1"],
        ["GET", "s"], ["SET", "g", "x"], ["SETRANGE", "g", "1", CHUNK_PLUS_ONE], ["GET", "g"], ["SETRANGE", "g", "5", "mid"], ["GET", "g"],
        ["SETRANGE", "new", "30000", "late"], ["STRLEN", "new"], ["GETRANGE", "new", "29998", "-1"], ["GET", "new"],
        ["SETEX", "tb", "100", BIG_35K], ["SETRANGE", "tb", "40000", "x"], ttl("TTL", "tb"), ["GET", "tb"], ["DBSIZE"],
      ],
    },
    {
      name: "SETRANGE up to exactly 5 MB works; past 512 MB or with bad offsets it fails",
      steps: [
        ["SETRANGE", "max", String(FIVE_MB - 1), "x"], ["STRLEN", "max"], ["GETRANGE", "max", String(FIVE_MB - 10), "-1"],
        ["BITCOUNT", "max"], ["BITPOS", "max", "1"], ["SETRANGE", "max", "0", "start"], ["GETRANGE", "max", "0", "9"],
        ["SETRANGE", "k", "536870912", "x"], ["SETRANGE", "k", "536870911", "xy"], ["SETRANGE", "k", INT64_MAX, "x"],
        ["SETRANGE", "k", "-1", "x"], ["SETRANGE", "k", INT64_MIN, ""], ["SETRANGE", "k", "abc", "x"], ["SETRANGE", "k", "1.5", "x"],
        ["SETRANGE", "k", "99999999999999999999", "x"], ["EXISTS", "k"], ["RPUSH", "l", "a"], ["SETRANGE", "l", "0", "x"],
        ["SETRANGE", "l", "0", ""], ["SETRANGE", "l", "-1", "x"], ["SETRANGE", "k", "0"], ["SETRANGE", "k", "0", "a", "b"],
      ],
    },
  ],
  GETBIT: [
    {
      name: "GETBIT reads bits most significant first; past the end and missing keys read 0",
      steps: [
        ["SET", "k", "a"], ...Array.from({ length: 10 }, (_, i): Step => ["GETBIT", "k", String(i)]), ["GETBIT", "k", "1000"],
        ["GETBIT", "missing", "0"], ["GETBIT", "missing", "4294967295"], ["GETBIT", "k", "4294967295"], ["GETBIT", "k", "4294967296"],
        ["GETBIT", "k", "-1"], ["GETBIT", "k", "abc"], ["GETBIT", "k", "1.5"], ["GETBIT", "k", INT64_MAX], ["GETBIT", "k", ""],
        ["RPUSH", "l", "a"], ["GETBIT", "l", "0"], ["GETBIT", "l", "x"], ["GETBIT", "k"], ["GETBIT", "k", "1", "2"],
        ["SET", "big", BIG_100K], ["GETBIT", "big", "0"], ["GETBIT", "big", "79999"], ["GETBIT", "big", "80000"], ["GETBIT", "big", "80007"],
        ["GETBIT", "big", "799999"], ["GETBIT", "big", "800000"], ["GETBIT", "big", "555555"], ["GETBIT", "big", "160001"],
      ],
    },
  ],
  SETBIT: [
    {
      name: "SETBIT sets and clears bits, grows with zeros and returns the old bit",
      steps: [
        ["SETBIT", "k", "7", "1"], ["GET", "k"], ["SETBIT", "k", "7", "1"], ["SETBIT", "k", "7", "0"], ["GET", "k"], ["SETBIT", "k", "100", "1"],
        ["STRLEN", "k"], ["GET", "k"], ["SETBIT", "zero", "0", "0"], ["GET", "zero"], ["SETBIT", "zero", "23", "0"], ["STRLEN", "zero"],
        ["SETEX", "t", "100", "a"], ["SETBIT", "t", "6", "1"], ["GET", "t"], ttl("TTL", "t"), ["SETBIT", "t", "30", "1"], ttl("TTL", "t"),
        ["SETBIT", "s", "80000", "1"], ["STRLEN", "s"], ["GETBIT", "s", "80000"], ["GET", "s"], ["SET", "big", BIG_100K],
        ["SETBIT", "big", "79999", "1"], ["SETBIT", "big", "80000", "0"], ["SETBIT", "big", "80000", "1"], ["SETBIT", "big", "1000000", "1"],
        ["STRLEN", "big"], ["GET", "big"], ["SETBIT", "edge", "79999", "1"], ["STRLEN", "edge"], ["SETBIT", "edge", "80000", "1"], ["GET", "edge"],
        ["SETBIT", "max", String(FIVE_MB * 8 - 1), "1"], ["STRLEN", "max"], ["BITCOUNT", "max"], ["BITPOS", "max", "1"], ["DBSIZE"],
      ],
    },
    {
      name: "SETBIT errors: offset, then value, then type",
      steps: [
        ["SETBIT", "k", "0", "2"], ["SETBIT", "k", "0", "-1"], ["SETBIT", "k", "0", "01"], ["SETBIT", "k", "0", " 1"], ["SETBIT", "k", "0", "x"],
        ["SETBIT", "k", "0", ""], ["SETBIT", "k", "-1", "1"], ["SETBIT", "k", "abc", "2"], ["SETBIT", "k", "4294967296", "1"],
        ["SETBIT", "k", INT64_MAX, "1"], ["SETBIT", "k", "1.5", "1"], ["EXISTS", "k"], ["RPUSH", "l", "a"], ["SETBIT", "l", "0", "1"],
        ["SETBIT", "l", "0", "2"], ["SETBIT", "l", "-1", "1"], ["SETBIT", "k", "0"], ["SETBIT", "k", "0", "1", "1"],
      ],
    },
  ],
  BITCOUNT: [
    {
      name: "BITCOUNT counts set bits over byte and bit ranges",
      steps: [...BIT_SOURCES, ...forEachKey(BITMAP_KEYS, BITCOUNT_RANGES, "BITCOUNT")],
    },
    {
      name: "BITCOUNT: a missing key counts 0 before its arguments are checked; then type, then arguments",
      steps: [
        ["SET", "k", "foobar"], ["RPUSH", "l", "a"], ["BITCOUNT", "missing", "a", "b"], ["BITCOUNT", "missing", "0"],
        ["BITCOUNT", "missing", "0", "1", "bad"], ["BITCOUNT", "l"], ["BITCOUNT", "l", "0", "1", "bad"], ["BITCOUNT", "k", "0"],
        ["BITCOUNT", "k", "0", "1", "BIT", "x"], ["BITCOUNT", "k", "0", "1", "bad"], ["BITCOUNT", "k", "a", "1"], ["BITCOUNT", "k", "0", "b"],
        ["BITCOUNT", "k", "a", "b", "bad"], ["BITCOUNT", "k", "0", "99999999999999999999"], ["BITCOUNT", "k", "0", "1", ""], ["BITCOUNT"],
      ],
    },
    {
      name: "BITCOUNT over chunked values reads the ranges across chunks",
      steps: [
        ["SET", "big", BIG_100K], ["BITCOUNT", "big"], ["BITCOUNT", "big", "9999", "10000"], ["BITCOUNT", "big", "79990", "80010", "BIT"],
        ["BITCOUNT", "big", "-20000", "-1"], ["BITCOUNT", "big", "10000", "19999"], ["BITCOUNT", "big", "5", "99994"],
        ["BITCOUNT", "big", "3", "799996", "BIT"], ["BITCOUNT", "big", "-799997", "-3", "BIT"], ["BITCOUNT", "big", "99999", "99999"],
        ["SET", "c", CHUNK_PLUS_ONE], ["BITCOUNT", "c"], ["BITCOUNT", "c", "10000", "10000"], ["BITCOUNT", "c", "-1", "-1"],
      ],
    },
  ],
  BITPOS: [
    {
      name: "BITPOS finds the first 1 or 0 over byte and bit ranges",
      steps: [...BIT_SOURCES, ...forEachKey(BITMAP_KEYS, BITPOS_ARGS, "BITPOS")],
    },
    {
      name: "BITPOS: the bit is checked first, then a missing key answers, then type, start, unit and end",
      steps: [
        ["SET", "k", "foobar"], ["RPUSH", "l", "a"], ["BITPOS", "missing", "2"], ["BITPOS", "missing", "x"], ["BITPOS", "missing", "-1"],
        ["BITPOS", "missing", "1", "a"], ["BITPOS", "missing", "0", "0", "0", "bad"], ["BITPOS", "missing", "1", "0", "0", "0", "0"],
        ["BITPOS", "l", "1", "a"], ["BITPOS", "l", "3"], ["BITPOS", "k", "1", "a"], ["BITPOS", "k", "1", "0", "b"],
        ["BITPOS", "k", "1", "0", "abc", "xyz"], ["BITPOS", "k", "1", "0", "abc", "BIT"], ["BITPOS", "k", "1", "a", "1", "xyz"],
        ["BITPOS", "k", "1", "0", "1", "BIT", "x"], ["BITPOS", "k", "01"], ["BITPOS", "k", ""], ["BITPOS", "k"], ["BITPOS"],
      ],
    },
    {
      name: "BITPOS over chunked values stops at the first match across chunks",
      steps: [
        ["SETBIT", "z", "700000", "1"], ["BITPOS", "z", "1"], ["BITPOS", "z", "0"], ["BITPOS", "z", "1", "87500"], ["BITPOS", "z", "1", "87501"],
        ["BITPOS", "z", "1", "-10"], ["BITPOS", "z", "1", "10000", "87499"], ["BITPOS", "z", "1", "699999", "700001", "BIT"],
        ["BITPOS", "z", "0", "87500", "87500"], ["BITOP", "NOT", "ones", "z"], ["BITPOS", "ones", "0"], ["BITPOS", "ones", "1"],
        ["BITPOS", "ones", "0", "0", "-1"], ["BITPOS", "ones", "0", "87501"], ["BITPOS", "ones", "0", "87501", "-1"],
        ["BITPOS", "ones", "0", "9999", "10000"], ["BITPOS", "ones", "0", "-1", "-1", "BIT"], ["STRLEN", "ones"],
        ["SET", "big", BIG_100K], ["BITPOS", "big", "1", "50000"], ["BITPOS", "big", "0", "-3"], ["BITPOS", "big", "1", "799990", "-1", "BIT"],
      ],
    },
  ],
  BITOP: [
    {
      name: "BITOP AND, OR, XOR and NOT over strings of different lengths",
      steps: [
        ["SET", "a", "foobar"], ["SET", "b", "abc"], ["SET", "c", bin("\xff\x00\x0f")],
        ["BITOP", "AND", "d", "a", "b"], ["GET", "d"], ["BITOP", "OR", "d", "a", "b"], ["GET", "d"], ["BITOP", "XOR", "d", "a", "b", "c"],
        ["GET", "d"], ["BITOP", "NOT", "d", "c"], ["GET", "d"], ["BITOP", "and", "d", "a", "missing"], ["GET", "d"],
        ["BITOP", "or", "d", "missing", "b"], ["GET", "d"], ["BITOP", "xor", "d", "a"], ["GET", "d"], ["BITOP", "Not", "d", "a"], ["GET", "d"],
        ["BITOP", "NOT", "a", "a"], ["GET", "a"], ["BITOP", "XOR", "b", "b", "b"], ["GET", "b"], ["SET", "e", ""],
        ["BITOP", "OR", "d", "e", "c"], ["GET", "d"], ["BITOP", "AND", "d", "c", "c", "c", "c"], ["GET", "d"],
      ],
    },
    {
      name: "BITOP with an empty result deletes the destination, whatever it held; a result replaces it without TTL",
      steps: [
        ["SET", "d", "x"], ["BITOP", "AND", "d", "m1", "m2"], ["EXISTS", "d"], ["RPUSH", "d", "a"], ["BITOP", "NOT", "d", "m1"], ["EXISTS", "d"],
        ["SET", "e", ""], ["SET", "d", "x"], ["BITOP", "OR", "d", "e"], ["EXISTS", "d"], ["BITOP", "AND", "none", "m1"], ["EXISTS", "none"],
        ["SETEX", "d", "100", "old"], ["SET", "a", "abc"], ["BITOP", "OR", "d", "a"], ["TTL", "d"], ["GET", "d"], ["RPUSH", "l", "a"],
        ["BITOP", "OR", "l", "a"], ["TYPE", "l"], ["DBSIZE"],
      ],
    },
    {
      name: "BITOP errors: operation, NOT's single source, arity, then types",
      steps: [
        ["SET", "a", "x"], ["SET", "d", "keep"], ["RPUSH", "l", "a"], ["BITOP", "NOT", "d", "a", "b"], ["BITOP", "NOT", "d"], ["BITOP", "NAND", "d", "a"],
        ["BITOP", "", "d", "a"], ["BITOP", "AND", "d"], ["BITOP", "AND", "d", "a", "l"], ["BITOP", "OR", "d", "l"], ["BITOP", "NOT", "d", "l"],
        ["GET", "d"], ["BITOP", "ANDX", "d", "a"], ["BITOP"], ["BITOP", "AND"],
      ],
    },
    {
      name: "BITOP over chunked values of different lengths",
      steps: [
        ["SET", "big", BIG_100K], ["SET", "mid", BIG_35K], ["SET", "c1", CHUNK_PLUS_ONE], ["SET", "s", "short"],
        ["BITOP", "XOR", "x", "big", "c1"], ["GET", "x"], ["BITOP", "AND", "x", "big", "mid", "s"], ["GET", "x"],
        ["BITOP", "OR", "x", "mid", "missing", "c1"], ["GET", "x"], ["BITOP", "NOT", "x", "big"], ["GET", "x"], ["BITCOUNT", "x"],
        ["BITOP", "XOR", "big", "big", "mid"], ["GET", "big"], ["BITOP", "AND", "s", "s", "big"], ["GET", "s"], ["STRLEN", "s"],
        ["BITOP", "OR", "small", "s"], ["BITOP", "OR", "x", "small"], ["GET", "x"], ["DBSIZE"],
      ],
    },
  ],
  "values of every size": [
    {
      name: "large values are stored whole and read back whole",
      steps: [
        ["SET", "big", PATTERN_100K], ["GET", "big"], ["STRLEN", "big"], ["SET", "huge", PATTERN_1M], ["STRLEN", "huge"], ["GET", "huge"],
        ["SET", "chunk", PATTERN_CHUNK], ["STRLEN", "chunk"], ["GET", "chunk"], ["SET", "chunk1", PATTERN_CHUNK_PLUS_ONE], ["GET", "chunk1"],
        ["SET", "big", PATTERN_100K, "GET"], ["SET", "big", "small", "GET"], ["GET", "big"], ["STRLEN", "big"],
        ["SET", "huge", PATTERN_1M, "XX", "GET"], ["MGET", "chunk", "nope", "chunk1"], ["SET", "huge", PATTERN_100K], ["STRLEN", "huge"],
        ["GET", "huge"],
      ],
    },
  ],
};

export const METADATA_COMMANDS: readonly string[] = [
  "get", "set", "mget", "mset", "incr", "decr", "incrby", "decrby", "append", "strlen", "getrange", "setnx", "setex", "psetex", "getset", "getdel", "getex", "msetnx", "incrbyfloat", "setrange", "substr", "getbit", "setbit", "bitcount", "bitpos", "bitop",
];
