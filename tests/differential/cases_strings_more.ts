// Differential scripts for the string commands of issue 3 (SETNX, SETEX,
// PSETEX, GETSET, GETDEL, GETEX, MSETNX, INCRBYFLOAT, SETRANGE, SUBSTR) and
// the bitmap commands (GETBIT, SETBIT, BITCOUNT, BITPOS, BITOP), on inline and
// chunked values (Materia chunks values past 10,000 bytes in 10,000-byte
// chunks). Types and step constructors: case_types.ts.
import { bin, type Arg, type DifferentialCase, INT64_MAX, INT64_MIN, msFromNow, pttl, sleep, type Step, ttl } from "./case_types.ts";

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

export const CASES: readonly DifferentialCase[] = [
  // --- SETNX ---
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
  // --- SETEX / PSETEX ---
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
  {
    name: "PSETEX keys expire on time",
    steps: [["PSETEX", "k", "100", "v"], ["GET", "k"], sleep(200), ["GET", "k"], ["EXISTS", "k"], ["TTL", "k"]],
  },
  // --- GETSET ---
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
  // --- GETDEL ---
  {
    name: "GETDEL returns the value and deletes the key",
    steps: [
      ["GETDEL", "missing"], ["SET", "k", "v"], ["GETDEL", "k"], ["EXISTS", "k"], ["GETDEL", "k"], ["RPUSH", "l", "a"], ["GETDEL", "l"],
      ["EXISTS", "l"], ["SET", "big", BIG_100K], ["GETDEL", "big"], ["EXISTS", "big"], ["SETEX", "t", "100", "x"], ["GETDEL", "t"],
      ["TTL", "t"], ["SET", BINARY_KEY, BINARY], ["GETDEL", BINARY_KEY], ["PSETEX", "gone", "50", "v"], sleep(120), ["GETDEL", "gone"],
      ["DBSIZE"], ["GETDEL"], ["GETDEL", "a", "b"],
    ],
  },
  // --- GETEX ---
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
  // --- MSETNX ---
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
  // --- INCRBYFLOAT ---
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
  // --- SETRANGE / SUBSTR ---
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
  {
    name: "SUBSTR is GETRANGE under its old name",
    steps: [
      ["SET", "k", "Hello World"], ["SUBSTR", "k", "0", "4"], ["SUBSTR", "k", "-5", "-1"], ["SUBSTR", "k", "5", "2"], ["SUBSTR", "k", "0", "-100"],
      ["SUBSTR", "k", "-100", "100"], ["SUBSTR", "missing", "0", "-1"], ["SET", "big", BIG_35K], ["SUBSTR", "big", "9990", "20010"],
      ["RPUSH", "l", "a"], ["SUBSTR", "l", "0", "1"], ["SUBSTR", "k", "a", "1"], ["SUBSTR", "k", "0", "b"], ["SUBSTR", "k", "0"],
      ["SUBSTR", "k", INT64_MIN, INT64_MAX], ["substr", "k", "0", "0"],
    ],
  },
  // --- GETBIT / SETBIT ---
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
  // --- BITCOUNT ---
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
  // --- BITPOS ---
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
  // --- BITOP ---
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
];

/** Commands whose COMMAND INFO (arity, flags, key positions) must equal Redis's. */
export const METADATA_COMMANDS: readonly string[] = [
  "setnx", "setex", "psetex", "getset", "getdel", "getex", "msetnx", "incrbyfloat", "setrange", "substr",
  "getbit", "setbit", "bitcount", "bitpos", "bitop",
];
