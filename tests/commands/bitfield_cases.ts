// Differential cases of BITFIELD and BITFIELD_RO (src/commands/families/bitfield.ts),
// run by bitfield_test.ts against redis-server or its recorded replies. Values past
// 10,000 bytes are chunked by Materia, so some fields sit across chunk boundaries
// (bit 80,000 is the first bit of the second chunk).
import { bin, INT64_MAX, INT64_MIN, UINT64_MAX, type Arg, type CasesByCommand, patternBytes, type Step } from "../differential/case_types.ts";

const BIG = patternBytes(30_000, 7);
/** Every width of both signs, read at an offset that crosses bytes. */
const WIDTHS: readonly string[] = [
  ...Array.from({ length: 64 }, (_, i) => `i${i + 1}`),
  ...Array.from({ length: 63 }, (_, i) => `u${i + 1}`),
];

/** GET of every width at `offset` of `key`, in one call. */
function getEveryWidth(key: string, offset: string): Arg[] {
  return ["BITFIELD", key, ...WIDTHS.flatMap((type) => ["GET", type, offset])];
}

/** SET then INCRBY of each width under `overflow`, at the edges of its range. */
function edgeWrites(overflow: string, widths: readonly string[]): Step[] {
  return widths.flatMap((type): Step[] => {
    const signed = type[0] === "i";
    const bits = BigInt(type.slice(1));
    const max = signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
    const min = signed ? -max - 1n : 0n;
    return [
      ["BITFIELD", "edge", "OVERFLOW", overflow, "SET", type, "3", String(max), "INCRBY", type, "3", "1", "GET", type, "3"],
      ["BITFIELD", "edge", "OVERFLOW", overflow, "SET", type, "3", String(min), "INCRBY", type, "3", "-1", "GET", type, "3"],
      ["BITFIELD", "edge", "OVERFLOW", overflow, "SET", type, "3", String(max + 1n), "SET", type, "3", String(min - 1n), "GET", type, "3"],
      ["BITFIELD", "edge", "OVERFLOW", overflow, "INCRBY", type, "3", INT64_MAX, "INCRBY", type, "3", INT64_MIN, "INCRBY", type, "3", INT64_MIN],
      ["BITFIELD", "edge", "OVERFLOW", overflow, "SET", type, "3", "-1", "SET", type, "3", INT64_MIN, "SET", type, "3", INT64_MAX],
      ["GET", "edge"],
    ];
  });
}

const SOME_WIDTHS = ["i1", "u1", "i2", "u2", "i7", "u7", "i8", "u8", "i9", "u9", "i16", "u16", "i31", "u31", "i32", "u32", "i33", "u33", "i53", "u53", "i63", "u63", "i64"];

export const CASES: CasesByCommand = {
  BITFIELD: [
    {
      name: "BITFIELD GET reads every width, signed and unsigned, at offsets inside and past the value",
      steps: [
        ["SET", "k", bin("\x8f\x01\xff\x00\x7e\x80\x55\xaa\xc3\x3c\x01")],
        getEveryWidth("k", "0"), getEveryWidth("k", "5"), getEveryWidth("k", "13"), getEveryWidth("k", "60"), getEveryWidth("k", "85"),
        getEveryWidth("k", "1000"), getEveryWidth("missing", "0"),
        ["BITFIELD", "k", "GET", "u8", "#0", "GET", "u8", "#1", "GET", "i4", "#3", "GET", "u3", "#5", "GET", "i64", "#1", "GET", "u63", "#1"],
        ["BITFIELD", "k"], ["BITFIELD", "missing"], ["EXISTS", "missing"], ["BITFIELD", "k", "get", "U8", "0"], ["BITFIELD", "k", "gEt", "u8", "0"],
      ],
    },
    {
      name: "BITFIELD SET and INCRBY return the old and the new value, create the key and grow it with zeros",
      steps: [
        ["BITFIELD", "k", "SET", "u8", "0", "255", "GET", "u8", "0"], ["GET", "k"],
        ["BITFIELD", "k", "SET", "i8", "#2", "-100", "GET", "i8", "16", "GET", "u8", "16"], ["GET", "k"], ["STRLEN", "k"],
        ["BITFIELD", "k", "INCRBY", "u2", "100", "1", "INCRBY", "u2", "100", "1", "INCRBY", "u2", "100", "1", "INCRBY", "u2", "100", "1"], ["GET", "k"],
        ["BITFIELD", "k", "incrby", "i5", "100", "15", "incrby", "i5", "100", "1", "set", "i5", "100", "-16", "incrby", "i5", "100", "-1"],
        ["BITFIELD", "k", "SET", "u4", "1", "9", "INCRBY", "u4", "1", "3", "GET", "u4", "1", "GET", "u8", "0"], ["GET", "k"],
        ["BITFIELD", "n", "SET", "i64", "0", INT64_MIN, "GET", "i64", "0", "GET", "u63", "1", "INCRBY", "i64", "0", "-1"], ["GET", "n"],
        ["BITFIELD", "n", "SET", "u63", "#3", "123456789012345678", "GET", "u63", "189", "GET", "i64", "189"], ["STRLEN", "n"], ["GET", "n"],
        ["BITFIELD", "g", "SET", "u1", "999", "0"], ["STRLEN", "g"], ["GET", "g"], ["BITFIELD", "g", "SET", "u1", "7", "1", "SET", "u1", "7", "0"], ["GET", "g"],
        ["BITFIELD", "g", "GET", "u8", "0", "SET", "u8", "0", "7", "GET", "u8", "0", "INCRBY", "u8", "0", "1", "GET", "u8", "0"],
        ["SET", "ttl", "abc", "EX", "1000"], ["BITFIELD", "ttl", "SET", "u8", "8", "0"], ["GET", "ttl"], ["TTL", "ttl"],
      ],
    },
    {
      name: "BITFIELD OVERFLOW WRAP, SAT and FAIL at the edges of every kind of width",
      steps: [...edgeWrites("WRAP", SOME_WIDTHS), ...edgeWrites("SAT", SOME_WIDTHS), ...edgeWrites("FAIL", SOME_WIDTHS)],
    },
    {
      name: "BITFIELD OVERFLOW applies to the operations after it, several times per call; FAIL answers nil and writes nothing",
      steps: [
        ["BITFIELD", "k", "SET", "u8", "0", "250", "INCRBY", "u8", "0", "10", "OVERFLOW", "SAT", "INCRBY", "u8", "0", "300",
          "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1", "INCRBY", "u8", "0", "-1", "OVERFLOW", "wrap", "INCRBY", "u8", "0", "1"],
        ["GET", "k"],
        ["BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u2", "102", "5"], ["EXISTS", "f"], ["STRLEN", "f"], ["GET", "f"],
        ["BITFIELD", "f", "OVERFLOW", "FAIL", "SET", "i4", "0", "8", "SET", "i4", "0", "-9", "SET", "i4", "0", "7", "SET", "u4", "4", "16", "SET", "u4", "4", "-1"],
        ["GET", "f"],
        ["BITFIELD", "s", "OVERFLOW", "SAT", "SET", "u8", "0", "-5", "SET", "i8", "8", "1000", "SET", "i8", "16", "-1000", "OVERFLOW", "WRAP", "SET", "i8", "24", "200"],
        ["GET", "s"],
        ["BITFIELD", "s", "OVERFLOW", "SAT", "INCRBY", "i64", "0", INT64_MAX, "INCRBY", "i64", "0", "1", "OVERFLOW", "WRAP", "INCRBY", "i64", "0", "1"],
        ["BITFIELD", "s", "OVERFLOW", "SAT", "INCRBY", "u63", "0", INT64_MAX, "INCRBY", "u63", "0", "1", "INCRBY", "u63", "0", INT64_MIN, "INCRBY", "u63", "0", "-1"],
        ["BITFIELD", "s", "OVERFLOW", "FAIL", "OVERFLOW", "SAT", "INCRBY", "u8", "0", "1000"], ["BITFIELD", "s", "OVERFLOW", "SAT"], ["GET", "s"],
      ],
    },
    {
      name: "BITFIELD over chunked values touches fields across chunk boundaries",
      steps: [
        ["SET", "big", BIG], ["BITFIELD", "big", "GET", "u16", "79992", "GET", "i32", "79990", "GET", "i64", "79970", "GET", "u63", "239990"],
        ["BITFIELD", "big", "SET", "u16", "79992", "4660", "INCRBY", "i64", "79970", "123456789", "SET", "u8", "0", "1", "SET", "u8", "239992", "2"],
        ["GET", "big"], ["STRLEN", "big"],
        ["BITFIELD", "big", "SET", "u8", "#30005", "7", "INCRBY", "i13", "#20000", "-5"], ["STRLEN", "big"], ["GETRANGE", "big", "29990", "-1"],
        ["BITFIELD", "big", "GET", "u8", "#30005", "GET", "i13", "#20000", "GET", "u8", "#29999"],
        ["BITFIELD", "new", "SET", "u8", "#15000", "9"], ["STRLEN", "new"], ["BITCOUNT", "new"], ["GETRANGE", "new", "14998", "-1"],
        ["BITFIELD", "grow", "SET", "u8", "0", "1"], ["BITFIELD", "grow", "SET", "i16", "79999", "-2", "GET", "i16", "79999"], ["STRLEN", "grow"],
        ["GETRANGE", "grow", "9995", "-1"], ["BITFIELD", "grow", "GET", "u8", "0", "GET", "i16", "79999"],
      ],
    },
    {
      name: "BITFIELD errors: operation, type, offset, value, in argument order; then the key's type",
      steps: [
        ["SET", "k", "abc"], ["RPUSH", "l", "a"],
        ["BITFIELD", "k", "GET"], ["BITFIELD", "k", "GET", "u8"], ["BITFIELD", "k", "SET", "u8", "0"], ["BITFIELD", "k", "INCRBY", "u8", "0"],
        ["BITFIELD", "k", "OVERFLOW"], ["BITFIELD", "k", "OVERFLOW", "SATURATE"], ["BITFIELD", "k", "OVERFLOW", "SATURATE", "BAD"],
        ["BITFIELD", "k", "FOO", "u8", "0"], ["BITFIELD", "k", "GET", "u8", "0", "FOO"], ["BITFIELD", "k", "GET", "u8", "0", "SET", "u8", "0"],
        ["BITFIELD", "k", "GET", "u64", "0"], ["BITFIELD", "k", "GET", "i65", "0"], ["BITFIELD", "k", "GET", "i0", "0"], ["BITFIELD", "k", "GET", "u0", "0"],
        ["BITFIELD", "k", "GET", "U8", "0"], ["BITFIELD", "k", "GET", "I8", "0"], ["BITFIELD", "k", "GET", "8", "0"], ["BITFIELD", "k", "GET", "", "0"],
        ["BITFIELD", "k", "GET", "u", "0"], ["BITFIELD", "k", "GET", "u-1", "0"], ["BITFIELD", "k", "GET", "u08", "0"], ["BITFIELD", "k", "GET", "u 8", "0"],
        ["BITFIELD", "k", "GET", "i8x", "0"], ["BITFIELD", "k", "GET", bin("u8\x00junk"), "0"],
        ["BITFIELD", "k", "GET", "u8", "-1"], ["BITFIELD", "k", "GET", "u8", "x"], ["BITFIELD", "k", "GET", "u8", "1.5"], ["BITFIELD", "k", "GET", "u8", ""],
        ["BITFIELD", "k", "GET", "u8", "#-1"], ["BITFIELD", "k", "GET", "u8", "##1"], ["BITFIELD", "k", "GET", "u8", "#"], ["BITFIELD", "k", "GET", "u8", " 1"],
        ["BITFIELD", "k", "GET", "u8", INT64_MAX], ["BITFIELD", "k", "GET", "u8", `#${INT64_MAX}`], ["BITFIELD", "k", "GET", "u8", "4294967296"],
        ["BITFIELD", "k", "GET", "u8", "41943039"], ["BITFIELD", "k", "GET", "u8", "#5242879"],
        ["BITFIELD", "k", "SET", "u8", "0", "x"], ["BITFIELD", "k", "SET", "u8", "0", "1.5"], ["BITFIELD", "k", "SET", "u8", "0", UINT64_MAX],
        ["BITFIELD", "k", "INCRBY", "u8", "0", "9223372036854775808"], ["BITFIELD", "k", "INCRBY", "u8", "0", ""],
        ["BITFIELD", "k", "SET", "u8", "x", "y"], ["BITFIELD", "k", "SET", "u64", "x", "y"], ["BITFIELD", "k", "SET", "u8", "0", "x", "GET", "u99", "0"],
        ["BITFIELD", "k", "INCRBY", "u8", "0", "1", "OVERFLOW", "X", "GET", "u8", "0"], ["GET", "k"],
        ["BITFIELD", "l", "GET", "u8", "0"], ["BITFIELD", "l", "SET", "u8", "0", "1"], ["BITFIELD", "l"], ["BITFIELD", "l", "GET", "u64", "0"],
        ["BITFIELD", "l", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1000"], ["LRANGE", "l", "0", "-1"], ["BITFIELD"],
      ],
    },
    {
      name: "BITFIELD ... SET as the last byte of a 5 MB string, and a field that runs past it",
      steps: [
        ["BITFIELD", "max", "SET", "u8", "#5242879", "255"], ["STRLEN", "max"], ["BITFIELD", "max", "GET", "u8", "#5242879", "GET", "u16", "41943032"],
        ["BITFIELD", "max", "SET", "i64", "41943039", "-1"], ["STRLEN", "max"], ["BITCOUNT", "max"], ["BITFIELD", "max", "GET", "i64", "41943039"],
      ],
    },
  ],
  BITFIELD_RO: [
    {
      name: "BITFIELD_RO reads fields as BITFIELD's GET does",
      steps: [
        ["SET", "k", bin("\x8f\x01\xff\x00\x7e\x80")], ["BITFIELD_RO", "k", "GET", "u8", "0", "GET", "i8", "0", "GET", "i4", "#1", "GET", "u63", "3", "GET", "i64", "100"],
        ["BITFIELD_RO", "missing", "GET", "i64", "0"], ["BITFIELD_RO", "k"], ["BITFIELD_RO", "k", "get", "u1", "#7"], ["EXISTS", "missing"],
        ["SET", "big", BIG], ["BITFIELD_RO", "big", "GET", "i32", "79990", "GET", "u16", "#4999", "GET", "u16", "#5000"],
      ],
    },
    {
      name: "BITFIELD_RO refuses SET, INCRBY and OVERFLOW after checking every argument, before the key's type",
      steps: [
        ["SET", "k", "abc"], ["RPUSH", "l", "a"],
        ["BITFIELD_RO", "k", "SET", "u8", "0", "1"], ["BITFIELD_RO", "k", "INCRBY", "u8", "0", "1"], ["BITFIELD_RO", "l", "SET", "u8", "0", "1"],
        ["BITFIELD_RO", "k", "OVERFLOW", "SAT", "GET", "u8", "0"], ["BITFIELD_RO", "k", "OVERFLOW", "BAD", "GET", "u8", "0"],
        ["BITFIELD_RO", "k", "SET", "u8", "0", "x"], ["BITFIELD_RO", "k", "SET", "u64", "0", "1"], ["BITFIELD_RO", "k", "GET", "u8", "-1"],
        ["BITFIELD_RO", "k", "GET", "u8"], ["BITFIELD_RO", "l", "GET", "u8", "0"], ["BITFIELD_RO", "l"], ["GET", "k"], ["BITFIELD_RO"],
      ],
    },
  ],
};

export const METADATA_COMMANDS: readonly string[] = ["bitfield", "bitfield_ro"];
