// Redis's CRC-64 (src/crc64.c): its own test vectors, and the table-driven
// code against a bit-at-a-time reference at every length and alignment.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { crc64, crc64EqualsLittleEndian, crc64Update, writeCrc64LittleEndian } from "../../../src/model/rdb/crc64.ts";

const enc = new TextEncoder();

/** The bitwise reflected CRC-64/Jones: the definition, one bit at a time. */
function referenceCrc64(data: Uint8Array): bigint {
  let crc = 0n;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ 0x95ac9329ac4bc9b5n : crc >> 1n;
  }
  return crc;
}

describe("crc64", () => {
  test("Redis's check values (crc64.c crc64Test)", () => {
    assert.equal(crc64(enc.encode("123456789")), 0xe9c6d914c4b8d9can);
    const lorem =
      "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna " +
      "aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis " +
      "aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint " +
      "occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.";
    // sizeof(li) in the C test counts the terminating NUL.
    assert.equal(crc64(new Uint8Array([...enc.encode(lorem), 0])), 0xc7794709e69683b3n);
    assert.equal(crc64(new Uint8Array(0)), 0n);
  });

  test("matches the bitwise definition at every length and offset", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(20), fc.nat(20), (data, a, b) => {
        const from = Math.min(a, data.length);
        const to = Math.max(from, data.length - b);
        assert.equal(crc64(data, from, to), referenceCrc64(data.subarray(from, to)));
      }),
      { numRuns: 300 },
    );
  });

  test("continues across chunks like one call", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(200), (data, cut) => {
        const split = Math.min(cut, data.length);
        const whole = crc64Update({ hi: 0, lo: 0 }, data);
        const chunked = crc64Update(crc64Update({ hi: 0, lo: 0 }, data, 0, split), data, split);
        assert.deepEqual(chunked, whole);
      }),
    );
  });

  test("little-endian footer bytes", () => {
    const value = crc64Update({ hi: 0, lo: 0 }, enc.encode("123456789"));
    const out = new Uint8Array(10);
    writeCrc64LittleEndian(value, out, 1);
    assert.deepEqual([...out], [0, 0xca, 0xd9, 0xb8, 0xc4, 0x14, 0xd9, 0xc6, 0xe9, 0]);
    assert.ok(crc64EqualsLittleEndian(value, out, 1));
    assert.ok(!crc64EqualsLittleEndian(value, out, 0));
    assert.ok(!crc64EqualsLittleEndian(value, out, 3), "past the end is not equal");
  });

  test("megabytes in well under a second", () => {
    const data = new Uint8Array(8 << 20);
    for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
    const started = performance.now();
    crc64(data);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 1_000, `8 MiB took ${elapsed.toFixed(0)} ms`);
  });
});
