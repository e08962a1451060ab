import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { pack as fdbPack, unpack as fdbUnpack } from "fdb-tuple";
import {
  appendBytesElement,
  childRange,
  packTuple,
  prefixRange,
  strinc,
  type TupleItem,
  unpackTuple,
} from "../../src/engine/tuple.ts";

// fdb-tuple (npm) is the reference encoder. It takes Buffers, not plain
// Uint8Arrays, for byte strings, and returns Buffers; it loads under both Bun
// and Deno (Deno provides the Buffer global).

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const fromHex = (h: string): Uint8Array => new Uint8Array((h.match(/../g) ?? []).map((x) => parseInt(x, 16)));
const ascii = (s: string): Uint8Array => new Uint8Array(Array.from(s, (c) => c.charCodeAt(0)));

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

const inRange = (key: Uint8Array, range: { start: Uint8Array; end: Uint8Array }): boolean =>
  compareBytes(range.start, key) <= 0 && compareBytes(key, range.end) < 0;

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
};

const toFdb = (item: TupleItem): null | Buffer | string | number | bigint =>
  item instanceof Uint8Array ? Buffer.from(item) : item;

/** What decoding should give back: exact integers as number when safe, UTF-8-normalized strings, plain Uint8Arrays. */
function normalized(item: unknown): unknown {
  if (item instanceof Uint8Array) return new Uint8Array(item);
  if (typeof item === "bigint") return item >= -(2n ** 53n - 1n) && item <= 2n ** 53n - 1n ? Number(item) : item;
  if (typeof item === "string") return new TextDecoder().decode(new TextEncoder().encode(item));
  if (Object.is(item, -0)) return 0;
  return item;
}

/** mulberry32: small and seedable, so a failure can be replayed from its seed. */
function prng(seed: number): (n: number) => number {
  let state = seed | 0;
  return (n) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

type Rnd = (n: number) => number;

function randomBytes(rnd: Rnd, maxLength: number): Uint8Array {
  const out = new Uint8Array(rnd(maxLength + 1));
  for (let i = 0; i < out.length; i++) {
    const kind = rnd(8);
    // Zeros (escaped) and 0xFF (the escape byte) are where encoders go wrong.
    out[i] = kind === 0 ? 0 : kind === 1 ? 0xff : kind === 2 ? 0x01 : rnd(256);
  }
  return out;
}

function randomString(rnd: Rnd, maxLength: number): string {
  const length = rnd(maxLength + 1);
  let s = "";
  for (let i = 0; i < length; i++) {
    const kind = rnd(8);
    if (kind === 0) s += "\u0000";
    else if (kind <= 2) s += String.fromCharCode(0x20 + rnd(0x5f));
    else if (kind === 3) s += String.fromCharCode(0x80 + rnd(0x780)); // 2 UTF-8 bytes
    else if (kind === 4) s += String.fromCharCode(0x800 + rnd(0xd000)); // 3 bytes, may hit lone surrogates
    else if (kind === 5) s += String.fromCodePoint(0x10000 + rnd(0x100000)); // 4 bytes, a surrogate pair
    else if (kind === 6) s += String.fromCharCode(0xd800 + rnd(0x800)); // a lone surrogate
    else s += String.fromCharCode(0xe000 + rnd(0x2000));
  }
  return s;
}

/** A random integer of a random byte length (0..8), as a number when safe (sometimes as a bigint anyway). */
function randomInteger(rnd: Rnd): number | bigint {
  const length = rnd(9);
  let magnitude = 0n;
  for (let i = 0; i < length; i++) magnitude = (magnitude << 8n) | BigInt(i === 0 ? 1 + rnd(255) : rnd(256));
  const value = rnd(2) === 0 ? -magnitude : magnitude;
  const safe = value >= -(2n ** 53n - 1n) && value <= 2n ** 53n - 1n;
  return safe && rnd(4) !== 0 ? Number(value) : value;
}

function randomItem(rnd: Rnd): TupleItem {
  switch (rnd(5)) {
    case 0:
      return null;
    case 1:
      return randomBytes(rnd, 12);
    case 2:
      return randomString(rnd, 8);
    default:
      return randomInteger(rnd);
  }
}

/** Integers at every byte-length boundary: 0, ±(2^8k - 1), ±2^8k, ±(2^8k + 1). */
const BOUNDARY_INTEGERS: bigint[] = (() => {
  const out = new Set<bigint>([0n, 1n, -1n, 2n ** 53n - 1n, -(2n ** 53n - 1n), 2n ** 53n, -(2n ** 53n), 2n ** 63n - 1n, -(2n ** 63n)]);
  for (let k = 1n; k <= 8n; k++) {
    const edge = 2n ** (8n * k);
    for (const v of [edge - 1n, edge, edge + 1n]) {
      if (v <= 2n ** 64n - 1n) {
        out.add(v);
        out.add(-v);
      }
    }
  }
  return [...out];
})();

const asItem = (v: bigint): number | bigint => (v >= -(2n ** 53n - 1n) && v <= 2n ** 53n - 1n ? Number(v) : v);

describe("tuple encoding matches the FoundationDB spec", () => {
  // Vectors from apple/foundationdb design/tuple.md and the other bindings' tests.
  const VECTORS: ReadonlyArray<readonly [string, TupleItem, string]> = [
    ["null", null, "00"],
    ["a byte string with a zero", ascii("foo\x00bar"), "01666f6f00ff62617200"],
    ["an empty byte string", new Uint8Array(0), "0100"],
    ["a unicode string with a zero", "F\u00d4O\u0000bar", "0246c3944f00ff62617200"],
    ["an empty string", "", "0200"],
    ["zero", 0, "14"],
    ["minus zero, as zero", -0, "14"],
    ["one", 1, "1501"],
    ["255", 255, "15ff"],
    ["256", 256, "160100"],
    ["-1", -1, "13fe"],
    ["-255", -255, "1300"],
    ["-256", -256, "12feff"],
    ["-5551212", -5551212, "11ab4b93"],
    ["2^53 - 1", Number.MAX_SAFE_INTEGER, "1b1fffffffffffff"],
    ["2^64 - 1", 2n ** 64n - 1n, "1cffffffffffffffff"],
    ["-(2^64 - 1)", -(2n ** 64n - 1n), "0c0000000000000000"],
    ["-(2^63)", -(2n ** 63n), "0c7fffffffffffffff"],
    ["a safe bigint, as a number", 10n, "150a"],
  ];
  for (const [name, item, expected] of VECTORS) {
    test(`${name} encodes as ${expected}`, () => {
      assert.equal(hex(packTuple([item])), expected);
    });
  }

  test("an empty tuple is empty bytes", () => {
    assert.equal(packTuple([]).length, 0);
    assert.deepEqual(unpackTuple(new Uint8Array(0)), []);
  });

  test("elements are concatenated", () => {
    assert.equal(hex(packTuple(["t", 0, ascii("k"), null])), "027400" + "14" + "016b00" + "00");
  });
});

describe("tuple encoding is byte for byte fdb-tuple's", () => {
  test("at every integer byte-length boundary", () => {
    for (const v of BOUNDARY_INTEGERS) {
      assert.equal(hex(packTuple([asItem(v)])), hex(fdbPack([asItem(v)])), `${v}`);
      assert.equal(hex(packTuple([v])), hex(fdbPack([v])), `${v}n`);
    }
  });

  test("for strings with zeros, every UTF-8 length, surrogate pairs and lone surrogates", () => {
    const samples = ["", "\u0000", "\u0000\u0000", "a\u0000b", "é", "€", "😀", "\ud800", "\udc00", "a\ud800b", "\udbff\udfff", "\uffff", "\u07ff\u0800"];
    for (const s of samples) assert.equal(hex(packTuple([s])), hex(fdbPack([s])), JSON.stringify(s));
  });

  test("for seeded random tuples of every supported type", () => {
    const seed = 0x5eed_0001;
    const rnd = prng(seed);
    for (let round = 0; round < 5000; round++) {
      const items = Array.from({ length: rnd(6) }, () => randomItem(rnd));
      const ours = packTuple(items);
      assert.equal(hex(ours), hex(fdbPack(items.map(toFdb))), `seed ${seed}, round ${round}`);
      // And fdb-tuple reads ours back as the same values.
      const theirs = fdbUnpack(Buffer.from(ours)).map(normalized);
      assert.deepEqual(theirs, items.map(normalized), `seed ${seed}, round ${round}`);
    }
  });
});

describe("unpackTuple", () => {
  test("round-trips seeded random tuples", () => {
    const seed = 0x5eed_0002;
    const rnd = prng(seed);
    for (let round = 0; round < 5000; round++) {
      const items = Array.from({ length: rnd(6) }, () => randomItem(rnd));
      assert.deepEqual(unpackTuple(packTuple(items)), items.map(normalized), `seed ${seed}, round ${round}`);
    }
  });

  test("decodes what fdb-tuple encodes", () => {
    const seed = 0x5eed_0003;
    const rnd = prng(seed);
    for (let round = 0; round < 2000; round++) {
      const items = Array.from({ length: rnd(6) }, () => randomItem(rnd));
      assert.deepEqual(unpackTuple(fdbPack(items.map(toFdb))), items.map(normalized), `seed ${seed}, round ${round}`);
    }
  });

  test("gives numbers for safe integers and bigints beyond", () => {
    for (const v of BOUNDARY_INTEGERS) {
      const [decoded] = unpackTuple(packTuple([v]));
      assert.equal(decoded, asItem(v));
    }
  });

  test("gives plain Uint8Arrays that do not alias the input", () => {
    const packed = packTuple([ascii("abc"), ascii("a\x00b")]);
    const [plain, escaped] = unpackTuple(packed);
    assert.ok(plain instanceof Uint8Array && escaped instanceof Uint8Array);
    assert.deepEqual(escaped, ascii("a\x00b"));
    packed.fill(0x41);
    assert.deepEqual(plain, ascii("abc"));
  });

  test("rejects a string element without its terminator", () => {
    assert.throws(() => unpackTuple(fromHex("016162")), RangeError);
    assert.throws(() => unpackTuple(fromHex("016100ff")), RangeError);
    assert.throws(() => unpackTuple(fromHex("02")), RangeError);
  });

  test("rejects a truncated integer", () => {
    assert.throws(() => unpackTuple(fromHex("16ff")), RangeError);
    assert.throws(() => unpackTuple(fromHex("0c00")), RangeError);
  });

  test("rejects type codes outside the subset: nested tuples, doubles, booleans, big integers", () => {
    for (const h of ["0500", "210000000000000000", "26", "27", "1d0901", "0bf6fe"]) {
      assert.throws(() => unpackTuple(fromHex(h)), TypeError, h);
    }
  });
});

describe("packTuple rejects what it cannot encode exactly", () => {
  test("non-integer and unsafe numbers", () => {
    for (const n of [1.5, -0.1, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53)]) {
      assert.throws(() => packTuple([n]), RangeError, `${n}`);
    }
  });

  test("bigints beyond ±(2^64 - 1)", () => {
    assert.throws(() => packTuple([2n ** 64n]), RangeError);
    assert.throws(() => packTuple([-(2n ** 64n)]), RangeError);
  });

  test("other types", () => {
    for (const v of [undefined, true, {}, [1], Symbol("s")]) {
      assert.throws(() => packTuple([v as unknown as TupleItem]), TypeError, String(typeof v));
    }
  });
});

describe("tuple encodings sort like their values", () => {
  const sortedByEncoding = <T>(values: T[], encode: (v: T) => Uint8Array): T[] =>
    values.map((v) => [v, encode(v)] as const).sort((a, b) => compareBytes(a[1], b[1])).map(([v]) => v);

  test("integers sort numerically, numbers and bigints alike", () => {
    const seed = 0x5eed_0004;
    const rnd = prng(seed);
    const values: bigint[] = [...BOUNDARY_INTEGERS];
    for (let i = 0; i < 3000; i++) values.push(BigInt(randomInteger(rnd)));
    const numeric = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const byEncoding = sortedByEncoding(values, (v) => packTuple([rnd(2) === 0 ? v : asItem(v)]));
    assert.deepEqual(byEncoding, numeric, `seed ${seed}`);
  });

  test("byte strings sort lexicographically", () => {
    const seed = 0x5eed_0005;
    const rnd = prng(seed);
    const values = Array.from({ length: 3000 }, () => randomBytes(rnd, 6));
    const lexicographic = [...values].sort(compareBytes);
    assert.deepEqual(sortedByEncoding(values, (v) => packTuple([v])), lexicographic, `seed ${seed}`);
  });

  test("unicode strings sort by code point", () => {
    const seed = 0x5eed_0006;
    const rnd = prng(seed);
    const values = Array.from({ length: 2000 }, () => normalized(randomString(rnd, 5)) as string);
    const utf8 = new TextEncoder();
    const byCodePoint = [...values].sort((a, b) => compareBytes(utf8.encode(a), utf8.encode(b)));
    assert.deepEqual(sortedByEncoding(values, (v) => packTuple([v])), byCodePoint, `seed ${seed}`);
  });

  test("tuples sort element by element, a shorter tuple first", () => {
    const seed = 0x5eed_0007;
    const rnd = prng(seed);
    type Pair = [Uint8Array, bigint] | [Uint8Array];
    const values: Pair[] = Array.from({ length: 2000 }, (): Pair => {
      const key = randomBytes(rnd, 3);
      return rnd(5) === 0 ? [key] : [key, BigInt(randomInteger(rnd))];
    });
    const expected = [...values].sort((a, b) => {
      const byKey = compareBytes(a[0], b[0]);
      if (byKey !== 0) return byKey;
      if (a.length !== b.length) return a.length - b.length;
      return a[1]! < b[1]! ? -1 : a[1]! > b[1]! ? 1 : 0;
    });
    assert.deepEqual(sortedByEncoding(values, (v) => packTuple(v)), expected, `seed ${seed}`);
  });

  test("null < byte string < unicode string < negative < zero < positive integers", () => {
    const ordered: TupleItem[] = [null, ascii("\xff\xff"), "", "\uffff", -(2n ** 64n - 1n), -1, 0, 1, 2n ** 64n - 1n];
    const encoded = ordered.map((v) => packTuple([v]));
    for (let i = 1; i < encoded.length; i++) assert.ok(compareBytes(encoded[i - 1]!, encoded[i]!) < 0, `${i}`);
  });
});

describe("appendBytesElement", () => {
  test("equals the prefix followed by the packed byte string", () => {
    const seed = 0x5eed_0008;
    const rnd = prng(seed);
    for (let round = 0; round < 2000; round++) {
      const prefix = packTuple([randomString(rnd, 3), randomInteger(rnd)]);
      const value = randomBytes(rnd, 20);
      assert.deepEqual(appendBytesElement(prefix, value), concat(prefix, packTuple([value])), `seed ${seed}, round ${round}`);
    }
  });

  test("returns a new array, leaving the prefix as it was", () => {
    const prefix = ascii("P");
    const out = appendBytesElement(prefix, ascii("\x00"));
    assert.equal(hex(out), "50" + "0100ff00");
    assert.equal(hex(prefix), "50");
    assert.notEqual(out.buffer, prefix.buffer);
  });

  test("accepts an empty prefix and an empty value", () => {
    assert.equal(hex(appendBytesElement(new Uint8Array(0), new Uint8Array(0))), "0100");
  });
});

describe("strinc", () => {
  const CASES: ReadonlyArray<readonly [string, string]> = [
    ["00", "01"],
    ["01", "02"],
    ["fe", "ff"],
    ["616200", "616201"],
    ["6162ff", "6163"],
    ["01ffff", "02"],
    ["00ff00ff", "00ff01"],
  ];
  for (const [input, expected] of CASES) {
    test(`strinc(${input}) is ${expected}`, () => {
      const key = fromHex(input);
      assert.equal(hex(strinc(key)), expected);
      assert.equal(hex(key), input, "the input is left as it was");
    });
  }

  test("throws on an empty or all-0xFF key, which no key follows", () => {
    for (const h of ["", "ff", "ffff"]) assert.throws(() => strinc(fromHex(h)), RangeError, h);
  });

  test("is above every key that starts with the prefix and at or below every greater key that does not", () => {
    const seed = 0x5eed_0009;
    const rnd = prng(seed);
    for (let round = 0; round < 3000; round++) {
      const prefix = randomBytes(rnd, 4);
      if (prefix.every((b) => b === 0xff)) continue;
      const end = strinc(prefix);
      const key = rnd(2) === 0 ? concat(prefix, randomBytes(rnd, 4)) : randomBytes(rnd, 6);
      const startsWithPrefix = compareBytes(key.subarray(0, prefix.length), prefix) === 0 && key.length >= prefix.length;
      const range = prefixRange(prefix);
      assert.equal(inRange(key, range), startsWithPrefix, `seed ${seed}, round ${round}: ${hex(prefix)} ${hex(key)}`);
      assert.equal(range.start, prefix);
      assert.deepEqual(range.end, end);
    }
  });
});

describe("ranges over tuple-encoded keys", () => {
  const P = packTuple(["tenant", 0, "d"]);

  test("the children of P, 'ab' never include P, 'abc' or any other key", () => {
    const ab = appendBytesElement(P, ascii("ab"));
    const range = childRange(ab);
    assert.ok(!inRange(appendBytesElement(P, ascii("abc")), range));
    assert.ok(!inRange(concat(appendBytesElement(P, ascii("abc")), packTuple([1])), range));
    assert.ok(!inRange(appendBytesElement(P, ascii("ab\x00")), range));
    assert.ok(!inRange(appendBytesElement(P, ascii("a")), range));
    assert.ok(inRange(concat(ab, packTuple([1, ascii("field")])), range));
    assert.ok(inRange(concat(ab, packTuple([null])), range));
  });

  test("a string element's byte prefix range never holds a key that does not extend it", () => {
    // The raw-prefix use: "user keys starting with ab" is the element without its terminator.
    const seed = 0x5eed_000a;
    const rnd = prng(seed);
    for (let round = 0; round < 3000; round++) {
      const keyPrefix = randomBytes(rnd, 3);
      const element = appendBytesElement(P, keyPrefix);
      const range = prefixRange(element.subarray(0, element.length - 1));
      const key = rnd(2) === 0 ? concat(keyPrefix, randomBytes(rnd, 3)) : randomBytes(rnd, 5);
      const extends_ = key.length >= keyPrefix.length && compareBytes(key.subarray(0, keyPrefix.length), keyPrefix) === 0;
      assert.equal(inRange(appendBytesElement(P, key), range), extends_, `seed ${seed}, round ${round}: ${hex(keyPrefix)} ${hex(key)}`);
    }
  });

  test("the children of one key's element hold exactly the keys under that element", () => {
    const seed = 0x5eed_000b;
    const rnd = prng(seed);
    for (let round = 0; round < 3000; round++) {
      const a = randomBytes(rnd, 3);
      // Bias b towards extensions of a, zero bytes included: the case that breaks naive ranges.
      const b = rnd(2) === 0 ? concat(a, randomBytes(rnd, 2)) : randomBytes(rnd, 4);
      const child = concat(appendBytesElement(P, b), packTuple([randomInteger(rnd)]));
      const same = compareBytes(a, b) === 0;
      assert.equal(inRange(child, childRange(appendBytesElement(P, a))), same, `seed ${seed}, round ${round}: ${hex(a)} ${hex(b)}`);
    }
  });

  test("prefixRange of a packed string element also covers the same string followed by a zero byte", () => {
    // Why childRange exists: the element "a" is 01 61 00, and "a\x00" is 01 61 00 FF 00.
    const a = appendBytesElement(P, ascii("a"));
    const aZero = appendBytesElement(P, ascii("a\x00"));
    assert.ok(inRange(aZero, prefixRange(a)));
    assert.ok(!inRange(aZero, childRange(a)));
  });
});

describe("Buffer inputs", () => {
  // Buffer#slice returns a view, not a copy; results must never alias the input.
  test("unpackTuple of a Buffer gives plain Uint8Arrays that own their bytes", () => {
    const packed = Buffer.from(packTuple([ascii("abc")]));
    const [value] = unpackTuple(packed);
    assert.equal(Object.getPrototypeOf(value), Uint8Array.prototype);
    packed.fill(0x41);
    assert.deepEqual(value, ascii("abc"));
  });

  test("strinc of a Buffer leaves the Buffer as it was", () => {
    const key = Buffer.from([0x61, 0x62, 0xff]);
    assert.equal(hex(strinc(key)), "6163");
    assert.equal(hex(key), "6162ff");
  });

  test("packTuple accepts Buffers as byte strings", () => {
    assert.equal(hex(packTuple([Buffer.from([0x00, 0x61])])), "0100ff6100");
    assert.equal(hex(appendBytesElement(Buffer.from([0x50]), Buffer.from([0x00]))), "500100ff00");
  });
});
