// The containers of RDB values: listpacks (bytes checked against Redis 7.0's
// DUMPs in docs/notes), ziplists, intsets and zipmaps; each decoded back from
// what it encodes, and every malformed blob refused with its own error, never
// a crash or a read past the blob.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { decodeIntset, encodeIntset, IntsetError } from "../../../src/model/rdb/intset.ts";
import { decodeListpack, elementBytes, encodeListpack, ListpackError } from "../../../src/model/rdb/listpack.ts";
import { decodeZiplist, ZiplistError } from "../../../src/model/rdb/ziplist.ts";
import { decodeZipmap, ZipmapError } from "../../../src/model/rdb/zipmap.ts";
import { canonicalInt64 } from "../../../src/model/rdb/canonical_integer.ts";

const enc = new TextEncoder();
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Every truncation and every single-byte change of `blob` either decodes or throws `errorType`. */
function assertRobust(blob: Uint8Array, decode: (b: Uint8Array) => unknown, errorType: new (...args: never[]) => Error): void {
  for (let n = 0; n < blob.length; n++) assert.throws(() => decode(blob.subarray(0, n)), errorType);
  for (let i = 0; i < blob.length; i++) {
    for (const delta of [1, 0x40, 0x80, 0xff]) {
      const changed = blob.slice();
      changed[i] = (changed[i]! + delta) & 0xff;
      try {
        decode(changed);
      } catch (e) {
        assert.ok(e instanceof errorType, `byte ${i} + ${delta}: ${e}`);
      }
    }
  }
}

describe("canonical integers (string2ll)", () => {
  test("only the canonical decimal text of an int64 is an integer", () => {
    for (const [s, v] of [["0", 0n], ["-1", -1n], ["9223372036854775807", 9223372036854775807n], ["-9223372036854775808", -9223372036854775808n]] as const) {
      assert.equal(canonicalInt64(enc.encode(s)), v, s);
    }
    for (const s of ["", "-", "-0", "01", "+1", " 1", "1 ", "9223372036854775808", "-9223372036854775809", "1.0", "1e3", "99999999999999999999"]) {
      assert.equal(canonicalInt64(enc.encode(s)), undefined, s);
    }
  });
});

describe("listpack", () => {
  test("RPUSH a 1 -5 300 hello: the 22-byte listpack of Redis 7.0's DUMP", () => {
    const lp = encodeListpack([enc.encode("1"), enc.encode("-5"), enc.encode("300"), enc.encode("hello")]);
    assert.equal(hex(lp), "16000000040001" + "01dffb02c12c028568656c6c6f06ff");
  });

  test("each integer width and string length decodes back to the same text", () => {
    const values = ["0", "127", "128", "-1", "-4096", "4095", "4096", "-32769", "32767", "8388607", "-8388609", "2147483647", "-2147483649",
      "9223372036854775807", "-9223372036854775808", "x".repeat(63), "y".repeat(64), "z".repeat(4095), "w".repeat(4096), "", "-0", "007"];
    const decoded = decodeListpack(encodeListpack(values.map((v) => enc.encode(v))));
    assert.deepEqual(decoded.map((e) => text(elementBytes(e))), values);
  });

  test("any elements round-trip, and the blob's backlens walk it backwards", () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((n) => enc.encode(n.toString()))), { maxLength: 40 }), (elements) => {
      const decoded = decodeListpack(encodeListpack(elements));
      assert.deepEqual(decoded.map((e) => hex(elementBytes(e))), elements.map(hex));
    }));
  });

  test("malformed listpacks are refused: size, count, terminator, backlens, encodings", () => {
    const lp = encodeListpack([enc.encode("a"), enc.encode("300"), enc.encode("x".repeat(200)), enc.encode("-70000")]);
    assertRobust(lp, decodeListpack, ListpackError);
    const wrongCount = lp.slice();
    wrongCount[4] = 9;
    assert.throws(() => decodeListpack(wrongCount), /count/);
    const unknownCount = lp.slice();
    unknownCount[4] = 0xff;
    unknownCount[5] = 0xff;
    assert.equal(decodeListpack(unknownCount).length, 4, "65535 means: count the entries");
  });
});

describe("ziplist", () => {
  /** A ziplist of entries given as their encoding bytes. */
  function ziplist(entries: number[][]): Uint8Array {
    const out: number[] = [];
    let previous = 0;
    let tail = 10;
    for (const entry of entries) {
      tail = 10 + out.length;
      const full = previous < 254 ? [previous, ...entry] : [0xfe, previous & 0xff, (previous >> 8) & 0xff, 0, 0, ...entry];
      out.push(...full);
      previous = full.length;
    }
    const total = 10 + out.length + 1;
    return Uint8Array.from([total & 0xff, total >> 8, 0, 0, tail & 0xff, tail >> 8, 0, 0, entries.length, 0, ...out, 0xff]);
  }

  test("every encoding: strings of 6, 14 and 32-bit lengths, int8/16/24/32/64, immediates", () => {
    const long = Array.from(enc.encode("q".repeat(300)));
    const blob = ziplist([
      [3, ...enc.encode("abc")], [0x41, 0x2c, ...long], [0x80, 0, 0, 0, 2, 0x68, 0x69], [0xfe, 0xfb], [0xc0, 0x2c, 0x01], [0xf0, 0x00, 0x00, 0x80],
      [0xd0, 0xff, 0xff, 0xff, 0x7f], [0xe0, 1, 0, 0, 0, 0, 0, 0, 0x80], [0xf1], [0xfd],
    ]);
    assert.deepEqual(decodeZiplist(blob).map((e) => text(elementBytes(e))), [
      "abc", "q".repeat(300), "hi", "-5", "300", "-8388608", "2147483647", "-9223372036854775807", "0", "12",
    ]);
    assertRobust(blob, decodeZiplist, ZiplistError);
  });
});

describe("intset", () => {
  test("the narrowest encoding, ascending, as Redis writes it", () => {
    assert.equal(hex(encodeIntset([3n, 1n, 2n])), "020000000300000001000200" + "0300");
    assert.equal(hex(encodeIntset([1n, 70000n])).slice(0, 8), "04000000");
    assert.equal(hex(encodeIntset([1n, -(2n ** 63n)])).slice(0, 8), "08000000");
    fc.assert(fc.property(fc.uniqueArray(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { maxLength: 50 }), (values) => {
      assert.deepEqual(decodeIntset(encodeIntset(values)), [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }));
  });

  test("bad encodings, sizes and orders are refused", () => {
    assertRobust(encodeIntset([1n, 2n, 70000n]), decodeIntset, IntsetError);
    assert.throws(() => decodeIntset(Uint8Array.of(2, 0, 0, 0, 2, 0, 0, 0, 5, 0, 5, 0)), /ascending/);
    assert.throws(() => decodeIntset(Uint8Array.of(3, 0, 0, 0, 0, 0, 0, 0)), /encoding/);
  });
});

describe("zipmap", () => {
  test("pairs with free bytes after values, and long lengths", () => {
    const long = "v".repeat(300);
    const blob = Uint8Array.from([2, 1, 0x61, 1, 2, 0x31, 0, 0, 1, 0x62, 254, 44, 1, 0, 0, 0, ...enc.encode(long), 0xff]);
    assert.deepEqual(decodeZipmap(blob).map(([f, v]) => [text(f), text(v)]), [["a", "1"], ["b", long]]);
    assertRobust(blob, decodeZipmap, ZipmapError);
  });
});
