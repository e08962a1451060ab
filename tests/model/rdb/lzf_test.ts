// LZF: round trips, streams written by hand, and the refusals of a bounded
// decompressor. Byte identity with Redis's lzf_compress is tested against a
// live redis-server in function_payload_test.ts; the vectors here were
// checked against liblzf 3.6 as Redis builds it (lzf_c.c with HLOG 16,
// VERY_FAST).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { lzfCompress, lzfDecompress } from "../../../src/model/rdb/lzf.ts";

const enc = new TextEncoder();
const hex = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString("hex") : "undefined");

/** Data with repeats: runs of a small alphabet, and copies of earlier stretches near and far. */
const repetitive = fc
  .array(
    fc.oneof(
      fc.record({ kind: fc.constant("bytes" as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
      fc.record({ kind: fc.constant("letters" as const), text: fc.string({ unit: fc.constantFrom("a", "b", "c"), minLength: 1, maxLength: 300 }) }),
      fc.record({ kind: fc.constant("copy" as const), back: fc.nat(20_000), length: fc.integer({ min: 1, max: 600 }) }),
    ),
    { maxLength: 60 },
  )
  .map((pieces) => {
    const out: number[] = [];
    for (const piece of pieces) {
      if (piece.kind === "bytes") out.push(...piece.bytes);
      else if (piece.kind === "letters") out.push(...enc.encode(piece.text));
      else if (out.length > 0) {
        const start = Math.max(0, out.length - 1 - piece.back);
        for (let k = 0; k < piece.length; k++) out.push(out[start + k]!);
      }
    }
    return new Uint8Array(out);
  });

describe("lzf", () => {
  test("liblzf's bytes for small inputs", () => {
    // A match never starts at offset 0, and never covers the last two bytes.
    assert.equal(hex(lzfCompress(enc.encode("a".repeat(39)))), "016161e01a00016161");
    assert.equal(hex(lzfCompress(enc.encode("hello hello hello hello world"))), "0668656c6c6f2068e0080504776f726c64");
    assert.equal(hex(lzfCompress(enc.encode("abc"))), "02616263");
    assert.equal(hex(lzfCompress(enc.encode("a"))), "0061");
    assert.equal(lzfCompress(new Uint8Array(0)), undefined);
  });

  test("gives up, as lzf_compress returns 0, when the output would not fit", () => {
    const random = enc.encode("q8ZrT2mXv0bN5yK1wL7cJ4");
    assert.equal(lzfCompress(random, random.length - 4), undefined);
    const repeated = enc.encode("x".repeat(100));
    assert.ok(lzfCompress(repeated, repeated.length - 4));
    assert.equal(lzfCompress(repeated, 0), undefined);
  });

  test("round trips random data", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 3000 }), (data) => {
        const compressed = lzfCompress(data);
        assert.ok(compressed, "the default room always fits");
        assert.deepEqual(lzfDecompress(compressed, data.length), data);
      }),
      { numRuns: 200 },
    );
  });

  test("round trips repetitive data, and compresses it", () => {
    fc.assert(
      fc.property(repetitive, (data) => {
        fc.pre(data.length > 0);
        const compressed = lzfCompress(data);
        assert.ok(compressed);
        assert.deepEqual(lzfDecompress(compressed, data.length), data);
        // With room of length - 4 (as RDB strings ask), either it fits or lzf gave up.
        const tight = lzfCompress(data, data.length - 4);
        if (tight) {
          assert.ok(tight.length <= data.length - 4);
          assert.deepEqual(lzfDecompress(tight, data.length), data);
        }
      }),
      { numRuns: 200 },
    );
    const long = enc.encode("function f() return 1 end\n".repeat(4000));
    const compressed = lzfCompress(long)!;
    assert.ok(compressed.length < long.length / 20, `${compressed.length} of ${long.length}`);
    assert.deepEqual(lzfDecompress(compressed, long.length), long);
  });

  test("decompresses hand-written streams: overlapping and long back references", () => {
    // "ab" then a 7-byte copy at distance 2 (overlapping), then a long copy of 9+3 bytes at distance 1.
    const stream = Uint8Array.of(0x01, 0x61, 0x62, (5 << 5) | 0, 0x01, (7 << 5) | 0, 3, 0x00);
    assert.equal(new TextDecoder().decode(lzfDecompress(stream, 2 + 7 + 12)), "ababababa" + "a".repeat(12));
    assert.deepEqual(lzfDecompress(new Uint8Array(0), 0), new Uint8Array(0));
  });

  test("refuses truncated, corrupt and oversized streams", () => {
    const data = enc.encode("abcabcabcabcabcabcabc--abcabcabcabc".repeat(20));
    const compressed = lzfCompress(data)!;
    for (let cut = 0; cut < compressed.length; cut++) {
      assert.equal(lzfDecompress(compressed.subarray(0, cut), data.length), undefined, `cut at ${cut}`);
    }
    assert.equal(lzfDecompress(compressed, data.length - 1), undefined, "would exceed the expected length");
    assert.equal(lzfDecompress(compressed, data.length + 1), undefined, "shorter than the expected length");
    assert.equal(lzfDecompress(Uint8Array.of(0x05, 0x61), 6), undefined, "literal run past the input");
    assert.equal(lzfDecompress(Uint8Array.of(0x00, 0x61, 0x20, 0x05), 10), undefined, "reference before the output");
    assert.equal(lzfDecompress(Uint8Array.of(0x00, 0x61, 0xe0), 10), undefined, "long reference cut after its control byte");
    assert.equal(lzfDecompress(Uint8Array.of(0x00, 0x61, 0xe0, 0x01), 10), undefined, "long reference cut before its offset");
    assert.equal(lzfDecompress(Uint8Array.of(0x00, 0x61), -1), undefined);
  });

  test("random corruption never throws nor exceeds the expected length", () => {
    const data = enc.encode("redis.register_function('f', function() return 'hello' end)\n".repeat(30));
    const compressed = lzfCompress(data)!;
    fc.assert(
      fc.property(fc.nat(compressed.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(2 * data.length), (at, byte, expected) => {
        const corrupt = compressed.slice();
        corrupt[at] = byte;
        const out = lzfDecompress(corrupt, expected);
        if (out) assert.equal(out.length, expected);
      }),
      { numRuns: 500 },
    );
  });

  test("megabytes both ways in well under a few seconds", () => {
    const data = new Uint8Array(4 << 20);
    let x = 1;
    for (let i = 0; i < data.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      data[i] = i % 7 === 0 ? x >>> 24 : 97 + ((x >>> 29) & 3);
    }
    const started = performance.now();
    const compressed = lzfCompress(data)!;
    assert.deepEqual(lzfDecompress(compressed, data.length), data);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 3_000, `4 MiB took ${elapsed.toFixed(0)} ms`);
  });
});
