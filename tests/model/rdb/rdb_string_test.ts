// RDB lengths and strings: rdbSaveLen / rdbSaveRawString's bytes, reading
// them back, and clean failures on every truncation and bad encoding.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { encodeLength, encodeRdbString, readLength, readLength64, readLengthField, readRdbString } from "../../../src/model/rdb/rdb_string.ts";

const enc = new TextEncoder();
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const text = (value: string) => enc.encode(value);

describe("RDB lengths", () => {
  test("the four widths, big-endian", () => {
    assert.equal(hex(encodeLength(0)), "00");
    assert.equal(hex(encodeLength(63)), "3f");
    assert.equal(hex(encodeLength(64)), "4040");
    assert.equal(hex(encodeLength(16383)), "7fff");
    assert.equal(hex(encodeLength(16384)), "8000004000");
    assert.equal(hex(encodeLength(0xffffffff)), "80ffffffff");
    assert.equal(hex(encodeLength(0x100000000)), "810000000100000000");
    assert.equal(hex(encodeLength(0xffffffffffffffffn)), "81ffffffffffffffff");
    assert.throws(() => encodeLength(-1));
    assert.throws(() => encodeLength(2 ** 64 + 0.5));
  });

  test("read back, also from non-minimal forms", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 0xffffffffffffffffn }), (n) => {
        const bytes = encodeLength(n);
        const read = readLength64(bytes, 0);
        assert.ok(read.ok);
        assert.equal(read.value, n);
        assert.equal(read.next, bytes.length);
      }),
    );
    assert.deepEqual(readLength(Uint8Array.of(0x80, 0, 0, 0, 5), 0), { ok: true, value: 5, next: 5 });
    assert.deepEqual(readLength(Uint8Array.of(0x40, 5), 0), { ok: true, value: 5, next: 2 });
    assert.equal(readLength(encodeLength(2n ** 60n), 0).ok, false, "beyond 2^53 as a number");
  });

  test("truncations and unknown encodings fail", () => {
    for (const bytes of [encodeLength(100), encodeLength(100_000), encodeLength(2n ** 40n)]) {
      for (let cut = 0; cut < bytes.length; cut++) assert.equal(readLengthField(bytes.subarray(0, cut), 0).ok, false);
    }
    assert.equal(readLengthField(Uint8Array.of(0x82, 0, 0, 0, 0), 0).ok, false);
    assert.equal(readLengthField(Uint8Array.of(0xbf), 0).ok, false);
    assert.deepEqual(readLengthField(Uint8Array.of(0xc3), 0), { ok: true, value: { encoded: true, value: 3n }, next: 1 });
    assert.equal(readLength(Uint8Array.of(0xc0, 1), 0).ok, false, "an encoding where a length was expected");
  });
});

describe("RDB strings", () => {
  test("integers of at most 11 bytes in canonical form take int8/16/32", () => {
    assert.equal(hex(encodeRdbString(text("0"))), "c000");
    assert.equal(hex(encodeRdbString(text("-128"))), "c080");
    assert.equal(hex(encodeRdbString(text("127"))), "c07f");
    assert.equal(hex(encodeRdbString(text("128"))), "c18000");
    assert.equal(hex(encodeRdbString(text("-32768"))), "c10080");
    assert.equal(hex(encodeRdbString(text("32768"))), "c200800000");
    assert.equal(hex(encodeRdbString(text("-2147483648"))), "c200000080");
    assert.equal(hex(encodeRdbString(text("2147483647"))), "c2ffffff7f");
    // Not canonical, or beyond 32 bits: plain.
    for (const value of ["2147483648", "-2147483649", "007", "+1", "-0", "1 ", "", "-", "1e3", "99999999999"]) {
      const bytes = encodeRdbString(text(value));
      assert.equal(bytes[0], value.length, value);
    }
  });

  test("LZF only above 20 bytes, and only when it fits in length - 4", () => {
    assert.equal(hex(encodeRdbString(text("a".repeat(20)))), "14" + "61".repeat(20));
    // 0xC3, compressed length 6, original length 21, then liblzf's bytes: literal "aa", 19 bytes back 1.
    assert.equal(hex(encodeRdbString(text("a".repeat(21)))), "c3" + "06" + "15" + "016161e00a00");
    const incompressible = text("q8ZrT2mXv0bN5yK1wL7cJ4pD");
    assert.equal(encodeRdbString(incompressible)[0], incompressible.length);
    assert.equal(encodeRdbString(text("a".repeat(100)), { compress: false })[0], 0x40);
  });

  test("round trips any bytes, compressed or not", () => {
    const values = fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      fc.string({ unit: fc.constantFrom("a", "b", "0", "1", "-"), maxLength: 400 }).map(text),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((n) => text(String(n))),
    );
    fc.assert(
      fc.property(values, fc.boolean(), (value, compress) => {
        const bytes = encodeRdbString(value, { compress });
        const read = readRdbString(bytes, 0);
        assert.ok(read.ok, read.ok ? "" : read.error);
        assert.deepEqual(read.value, value);
        assert.equal(read.next, bytes.length);
      }),
      { numRuns: 500 },
    );
  });

  test("every truncation fails cleanly", () => {
    for (const value of [text("hello"), text("12345"), text("-70000"), text("abc".repeat(100)), new Uint8Array(20_000)]) {
      const bytes = encodeRdbString(value);
      for (let cut = 0; cut < bytes.length; cut++) {
        const read = readRdbString(bytes.subarray(0, cut), 0);
        assert.equal(read.ok, false, `${hex(bytes.subarray(0, 8))} cut at ${cut}`);
      }
    }
  });

  test("malformed encodings fail with a reason", () => {
    const cases: [string, Uint8Array][] = [
      ["unknown encoding", Uint8Array.of(0xc4)],
      ["LZF that expands short", Uint8Array.of(0xc3, 0x02, 0x05, 0x00, 0x61)],
      ["LZF that expands long", Uint8Array.of(0xc3, 0x03, 0x01, 0x01, 0x61, 0x62)],
      ["LZF with a back reference before the start", Uint8Array.of(0xc3, 0x02, 0x05, 0x20, 0x00)],
      ["LZF claiming an impossible length", Uint8Array.of(0xc3, 0x01, 0x81, 0, 0, 0, 1, 0, 0, 0, 0, 0x00)],
      ["length past the buffer", Uint8Array.of(0x05, 0x61)],
      ["bad length byte", Uint8Array.of(0x90)],
    ];
    for (const [name, bytes] of cases) {
      const read = readRdbString(bytes, 0);
      assert.equal(read.ok, false, name);
      if (!read.ok) assert.ok(read.error.length > 0);
    }
  });

  test("a declared LZF length of 0 takes any compressed bytes, as in Redis", () => {
    assert.deepEqual(readRdbString(Uint8Array.of(0xc3, 0x02, 0x00, 0x05, 0x61), 0), { ok: true, value: new Uint8Array(0), next: 5 });
  });

  test("integer encodings read as decimal text", () => {
    const read = (bytes: Uint8Array) => {
      const r = readRdbString(bytes, 0);
      assert.ok(r.ok);
      return new TextDecoder().decode(r.value);
    };
    assert.equal(read(Uint8Array.of(0xc0, 0xff)), "-1");
    assert.equal(read(Uint8Array.of(0xc1, 0xff, 0x7f)), "32767");
    assert.equal(read(Uint8Array.of(0xc2, 0x00, 0x00, 0x00, 0x80)), "-2147483648");
  });
});
