// The HyperLogLog representation (src/model/hyperloglog_sketch.ts) and its
// hash (src/model/murmur_hash64a.ts): the hash against a BigInt transcription
// of Redis's C and against register positions Redis produced; the sparse and
// dense encodings against a plain array of registers. Byte equality with
// Redis's own values is the differential suite's (tests/commands/hyperloglog_cases.ts).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SeededRandom } from "../../src/engine/seeded_random.ts";
import { murmurHash64A } from "../../src/model/murmur_hash64a.ts";
import {
  estimate, histogramOfRegisters, HLL_DENSE_BYTES, HLL_REGISTERS, HLL_SPARSE_MAX_BYTES, isHllValue, patternOf, Sketch,
} from "../../src/model/hyperloglog_sketch.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** Redis's MurmurHash64A, line for line, in BigInt. */
function referenceMurmur(data: Uint8Array, seed: bigint): bigint {
  const mask = (1n << 64n) - 1n;
  const m = 0xc6a4a7935bd1e995n;
  let h = (seed ^ ((BigInt(data.length) * m) & mask)) & mask;
  const whole = data.length - (data.length & 7);
  for (let i = 0; i < whole; i += 8) {
    let k = 0n;
    for (let j = 7; j >= 0; j--) k = (k << 8n) | BigInt(data[i + j]!);
    k = (k * m) & mask;
    k ^= k >> 47n;
    k = (k * m) & mask;
    h ^= k;
    h = (h * m) & mask;
  }
  const rest = data.length & 7;
  if (rest > 0) {
    for (let j = rest - 1; j >= 0; j--) h ^= BigInt(data[whole + j]!) << BigInt(8 * j);
    h = (h * m) & mask;
  }
  h ^= h >> 47n;
  h = (h * m) & mask;
  h ^= h >> 47n;
  return h;
}

function randomBytes(random: SeededRandom, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = random.int(256);
  return out;
}

describe("MurmurHash64A", () => {
  test("equals a BigInt transcription of Redis's C for every length 0-40 and random bytes", () => {
    const random = new SeededRandom(14);
    for (let round = 0; round < 20; round++) {
      for (let length = 0; length <= 40; length++) {
        const data = randomBytes(random, length);
        const { hi, lo } = murmurHash64A(data, 0xadc83b19);
        const expected = referenceMurmur(data, 0xadc83b19n);
        assert.equal((BigInt(hi) << 32n) | BigInt(lo), expected, `length ${length}: ${hex(data)}`);
      }
    }
  });

  test("all-ones bytes and the largest seed carry through every 32-bit half", () => {
    for (const length of [1, 7, 8, 9, 64, 1000]) {
      const data = new Uint8Array(length).fill(0xff);
      const { hi, lo } = murmurHash64A(data, 0xffffffff);
      assert.equal((BigInt(hi) << 32n) | BigInt(lo), referenceMurmur(data, 0xffffffffn), `length ${length}`);
    }
  });

  test("elements fall in the registers, with the runs, that Redis gave them", () => {
    // From redis-server 7.0.15: PFADD x a b c stored VAL 2 at 12711 and VAL 1 at 15780 and 8436;
    // r7803 sets the last register (tests/commands/hyperloglog_cases.ts, corrupt-value case);
    // x4433771783 was found with Redis's C function and turns a sparse value dense (run 34).
    assert.deepEqual(patternOf(enc("a")), { index: 12711, count: 2 });
    assert.deepEqual(patternOf(enc("b")), { index: 15780, count: 1 });
    assert.deepEqual(patternOf(enc("c")), { index: 8436, count: 1 });
    assert.deepEqual(patternOf(enc("r7803")), { index: 16383, count: 2 });
    assert.deepEqual(patternOf(enc("x4433771783")), { index: 5455, count: 34 });
  });
});

/** The registers of a sketch, one per array slot. */
function registersOf(sketch: Sketch): Uint8Array {
  const max = new Uint8Array(HLL_REGISTERS);
  assert.ok(sketch.mergeInto(max));
  return max;
}

describe("HyperLogLog encodings", () => {
  test("a new HyperLogLog is Redis's 18 bytes: header, sparse, a valid zero cache, XZERO 16384", () => {
    const empty = Sketch.empty().toBytes();
    assert.equal(hex(empty), "48594c4c" + "01000000" + "0000000000000000" + "7fff");
    assert.ok(isHllValue(empty));
    assert.equal(Sketch.of(empty).cachedCardinality(), 0n);
    assert.equal(estimate(Sketch.of(empty).histogram()!), 0n);
  });

  test("PFADD a, b, c gives Redis's sparse bytes", () => {
    const sketch = Sketch.empty();
    for (const element of ["a", "b", "c"]) assert.equal(sketch.add(enc(element)), 1);
    assert.equal(sketch.add(enc("a")), 0);
    assert.equal(hex(sketch.toBytes()), "48594c4c01000000000000000000008060f38050b1844bfb80425a");
  });

  test("sparse registers read back as set, at random positions and values, and survive the change to dense", () => {
    const random = new SeededRandom(3);
    for (let round = 0; round < 20; round++) {
      const sketch = Sketch.empty();
      const expected = new Uint8Array(HLL_REGISTERS);
      for (let i = 0; i < 300; i++) {
        // Neighbouring registers too, so that runs of VALs split and merge.
        const index = random.int(4) === 0 ? Math.min(HLL_REGISTERS - 1, random.int(40)) : random.int(HLL_REGISTERS);
        const value = 1 + random.int(32);
        const changed = sketch.set(index, value);
        assert.equal(changed, value > expected[index]! ? 1 : 0);
        if (value > expected[index]!) expected[index] = value;
      }
      assert.ok(!sketch.isDense, "300 registers fit the sparse encoding");
      assert.ok(sketch.toBytes().length <= HLL_SPARSE_MAX_BYTES);
      assert.deepEqual(registersOf(sketch), expected);
      assert.deepEqual(sketch.histogram(), histogramOfRegisters(expected));
      const bytes = sketch.toBytes();
      assert.deepEqual(registersOf(Sketch.of(bytes)), expected, "the stored bytes hold the same registers");
      assert.ok(sketch.toDense());
      assert.equal(sketch.toBytes().length, HLL_DENSE_BYTES);
      assert.deepEqual(registersOf(sketch), expected);
      assert.deepEqual(sketch.toBytes().subarray(0, 16), bytes.subarray(0, 16).map((b, i) => (i === 4 ? 0 : b)), "the header is kept, encoding aside");
    }
  });

  test("dense registers hold 6 bits each without touching their neighbours", () => {
    const random = new SeededRandom(9);
    const sketch = Sketch.empty();
    assert.ok(sketch.toDense());
    const expected = new Uint8Array(HLL_REGISTERS);
    for (let i = 0; i < 50_000; i++) {
      const index = random.int(HLL_REGISTERS);
      const value = random.int(64);
      assert.equal(sketch.set(index, value), value > expected[index]! ? 1 : 0);
      if (value > expected[index]!) expected[index] = value;
    }
    sketch.set(HLL_REGISTERS - 1, 63);
    expected[HLL_REGISTERS - 1] = 63;
    assert.deepEqual(registersOf(sketch), expected);
    for (let i = 0; i < HLL_REGISTERS; i += 997) assert.equal(sketch.register(i), expected[i]);
    assert.equal(sketch.toBytes().length, HLL_DENSE_BYTES);
  });

  test("the sparse value turns dense before it passes 3000 bytes, and at once for a run over 32", () => {
    const sketch = Sketch.empty();
    let lastSparse = 0;
    for (let i = 0; !sketch.isDense; i++) {
      sketch.add(enc(`e${i}`));
      if (!sketch.isDense) lastSparse = sketch.toBytes().length;
    }
    assert.ok(lastSparse <= HLL_SPARSE_MAX_BYTES && lastSparse > HLL_SPARSE_MAX_BYTES - 4, `last sparse size ${lastSparse}`);
    const other = Sketch.empty();
    assert.equal(other.set(5, 33), 1);
    assert.ok(other.isDense);
    assert.equal(other.register(5), 33);
  });

  test("corrupt sparse encodings are refused where Redis refuses them", () => {
    const header = [0x48, 0x59, 0x4c, 0x4c, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80];
    const short = Sketch.of(new Uint8Array([...header, 0x7f, 0xfe])); // XZERO 16383
    assert.equal(short.histogram(), undefined);
    assert.equal(short.mergeInto(new Uint8Array(HLL_REGISTERS)), false);
    assert.equal(short.set(16383, 1), -1, "no opcode covers the last register");
    assert.equal(short.set(0, 1), 1, "registers the opcodes cover can still be set");
    const long = Sketch.of(new Uint8Array([...header, 0x7f, 0xff, 0x00])); // XZERO 16384, ZERO 1
    assert.equal(long.histogram(), undefined);
    assert.equal(long.toDense(), false);
    assert.equal(long.set(0, 40), -1, "the promotion to dense fails");
  });

  test("isHllValue checks the magic, the encoding and the dense size", () => {
    const dense = Sketch.empty();
    dense.toDense();
    assert.ok(isHllValue(dense.toBytes()));
    assert.ok(!isHllValue(dense.toBytes().subarray(0, HLL_DENSE_BYTES - 1)));
    assert.ok(!isHllValue(enc("HYLL")));
    assert.ok(!isHllValue(enc("HYLX\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")));
    assert.ok(!isHllValue(enc("HYLL\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")));
    assert.ok(isHllValue(enc("HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")), "a sparse header alone passes the check (the count then finds it corrupt)");
  });

  test("the cache: valid when the top bit is clear, stale once invalidated", () => {
    const sketch = Sketch.empty();
    sketch.cacheCardinality(123456789n);
    assert.equal(sketch.cachedCardinality(), 123456789n);
    sketch.invalidateCache();
    assert.equal(sketch.cachedCardinality(), undefined);
  });

  test("the estimator: exact for small sets as Redis is, and 2^63 when every register is 51", () => {
    const sketch = Sketch.empty();
    for (let i = 0; i < 3000; i++) sketch.add(enc(`e${i}`));
    // PFCOUNT after PFADD of e0 … e2999 (decimal), in redis-server 7.0.15.
    assert.equal(estimate(sketch.histogram()!), 2979n);
    const all51 = new Int32Array(64);
    all51[51] = HLL_REGISTERS;
    assert.equal(estimate(all51), 1n << 63n);
  });
});
