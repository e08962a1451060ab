// Bitmaps over the engine (src/model/bitmaps.ts): GETBIT, SETBIT, BITCOUNT,
// BITPOS and BITOP against a byte-array reference of Redis's rules, on inline
// and chunked values; which chunks they read and write; conflicts.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { KeyRange, KeyValue, MaybePromise, Txn } from "../../src/engine/contract.ts";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { SeededRandom } from "../../src/engine/seeded_random.ts";
import * as bitmaps from "../../src/model/bitmaps.ts";
import { Keyspace } from "../../src/model/keyspace.ts";
import { MAX_STRING_BYTES, STRING_CHUNK_BYTES } from "../../src/model/limits.ts";
import type { Meta } from "../../src/model/meta.ts";
import * as strings from "../../src/model/strings.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const ks = new Keyspace("t", 0);
const K = enc("bits");
const NOW = 1_700_000_000_000;

function pattern(length: number, seed = 7): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed + (i >> 8)) & 0xff;
  return out;
}

async function metaOf(engine: MemoryEngine, key = K): Promise<Meta> {
  const meta = await engine.read((tx) => bitmaps.lookupString(tx, ks, key, NOW));
  assert.ok(meta !== undefined && meta !== "WRONGTYPE");
  return meta;
}

async function valueOf(engine: MemoryEngine, key = K): Promise<Uint8Array | undefined> {
  const value = await engine.read((tx) => strings.getString(tx, ks, key, NOW));
  assert.notEqual(value, "WRONGTYPE");
  return value as Uint8Array | undefined;
}

// --- reference: Redis's rules over a plain byte array ---

const bitAt = (value: Uint8Array, i: number) => ((value[i >> 3] ?? 0) >> (7 - (i & 7))) & 1;

function referenceInterval(length: number, range: bitmaps.BitRange | undefined): [number, number] | undefined {
  if (range === undefined) return length === 0 ? undefined : [0, length * 8 - 1];
  const total = range.unit === "BIT" ? length * 8 : length;
  let start = range.start < 0 ? Math.max(total + range.start, 0) : range.start;
  let end = range.end === undefined ? total - 1 : range.end < 0 ? Math.max(total + range.end, 0) : range.end;
  end = Math.min(end, total - 1);
  if (start > end) return undefined;
  if (range.unit === "BYTE") [start, end] = [start * 8, end * 8 + 7];
  return [start, end];
}

function referenceCount(value: Uint8Array, range: bitmaps.BitRange | undefined): number {
  if (range?.end !== undefined && range.start < 0 && range.end < 0 && range.start > range.end) return 0;
  const interval = referenceInterval(value.length, range);
  if (!interval) return 0;
  let count = 0;
  for (let i = interval[0]; i <= interval[1]; i++) count += bitAt(value, i);
  return count;
}

function referencePos(value: Uint8Array, bit: 0 | 1, range: bitmaps.BitRange | undefined): number {
  const interval = referenceInterval(value.length, range);
  if (!interval) return -1;
  for (let i = interval[0]; i <= interval[1]; i++) if (bitAt(value, i) === bit) return i;
  if (bit === 1 || range?.end !== undefined) return -1;
  return interval[1] + 1;
}

/** Records the engine keys a transaction reads and writes. */
function recording(tx: Txn): { tx: Txn; reads: Uint8Array[]; rangeReads: KeyRange[]; writes: Uint8Array[] } {
  const reads: Uint8Array[] = [];
  const rangeReads: KeyRange[] = [];
  const writes: Uint8Array[] = [];
  const wrapped: Txn = {
    get snapshot() {
      return tx.snapshot;
    },
    get: (key) => (reads.push(key), tx.get(key)),
    getRange: (range, options): MaybePromise<KeyValue[]> => (rangeReads.push(range), tx.getRange(range, options)),
    set: (key, value) => (writes.push(key), tx.set(key, value)),
    clear: (key) => (writes.push(key), tx.clear(key)),
    clearRange: (range) => tx.clearRange(range),
    add: (key, delta) => tx.add(key, delta),
    addReadConflictRange: (range) => tx.addReadConflictRange(range),
  };
  return { tx: wrapped, reads, rangeReads, writes };
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

describe("bitmaps over the engine", () => {
  test("SETBIT on a missing key creates offset/8 + 1 bytes and returns 0; GETBIT reads it back", async () => {
    const engine = new MemoryEngine();
    assert.equal(await engine.write((tx) => bitmaps.setBit(tx, ks, K, { offset: 13, value: 1, nowMs: NOW })), 0);
    assert.deepEqual(await valueOf(engine), new Uint8Array([0, 0b100]));
    assert.equal(await engine.read((tx) => bitmaps.getBit(tx, ks, K, { offset: 13, nowMs: NOW })), 1);
    assert.equal(await engine.read((tx) => bitmaps.getBit(tx, ks, K, { offset: 12, nowMs: NOW })), 0);
    assert.equal(await engine.read((tx) => bitmaps.getBit(tx, ks, K, { offset: 4_000_000_000, nowMs: NOW })), 0);
    assert.equal(await engine.write((tx) => bitmaps.setBit(tx, ks, K, { offset: 13, value: 0, nowMs: NOW })), 1);
    assert.deepEqual(await valueOf(engine), new Uint8Array([0, 0]));
  });

  test("SETBIT past an inline value grows it into chunks, zero-filled, in one pass", async () => {
    const engine = new MemoryEngine();
    await engine.write((tx) => strings.setString(tx, ks, K, enc("ab"), { expireAt: NOW + 60_000, nowMs: NOW }));
    const offset = (3 * STRING_CHUNK_BYTES + 5) * 8 + 2;
    assert.equal(await engine.write((tx) => bitmaps.setBit(tx, ks, K, { offset, value: 1, nowMs: NOW })), 0);
    const value = await valueOf(engine);
    const expected = new Uint8Array(3 * STRING_CHUNK_BYTES + 6);
    expected.set(enc("ab"));
    expected[expected.length - 1] = 0b0010_0000;
    assert.ok(sameBytes(value!, expected));
    assert.equal((await metaOf(engine)).expireAt, NOW + 60_000, "SETBIT keeps the TTL");
  });

  test("SETBIT and SETRANGE past 5 MB answer TOO_LARGE and write nothing", async () => {
    const engine = new MemoryEngine();
    assert.equal(await engine.write((tx) => bitmaps.setBit(tx, ks, K, { offset: MAX_STRING_BYTES * 8, value: 1, nowMs: NOW })), "TOO_LARGE");
    assert.equal(await engine.write((tx) => strings.setRange(tx, ks, K, { offset: MAX_STRING_BYTES, value: enc("x"), nowMs: NOW })), "TOO_LARGE");
    assert.equal(await valueOf(engine), undefined);
    assert.equal(await engine.write((tx) => bitmaps.setBit(tx, ks, K, { offset: MAX_STRING_BYTES * 8 - 1, value: 1, nowMs: NOW })), 0);
    assert.equal(await engine.read((tx) => strings.strlen(tx, ks, K, NOW)), MAX_STRING_BYTES);
    assert.equal(await engine.read((tx) => bitmaps.getBit(tx, ks, K, { offset: MAX_STRING_BYTES * 8 - 1, nowMs: NOW })), 1);
  });

  test("bit commands on another type answer WRONGTYPE", async () => {
    const engine = new MemoryEngine();
    await engine.write((tx) => strings.setString(tx, ks, enc("s"), enc("x"), { expireAt: 0, nowMs: NOW }));
    await engine.write(async (tx) => {
      // Make "s" look like a hash: the meta's type byte is all these commands check.
      const meta = (await bitmaps.lookupString(tx, ks, enc("s"), NOW)) as Meta;
      const { putMeta } = await import("../../src/model/db.ts");
      putMeta(tx, ks, enc("s"), meta, { ...meta, type: 2 });
    });
    assert.equal(await engine.read((tx) => bitmaps.getBit(tx, ks, enc("s"), { offset: 0, nowMs: NOW })), "WRONGTYPE");
    assert.equal(await engine.write((tx) => bitmaps.setBit(tx, ks, enc("s"), { offset: 0, value: 1, nowMs: NOW })), "WRONGTYPE");
    assert.equal(await engine.read((tx) => bitmaps.lookupString(tx, ks, enc("s"), NOW)), "WRONGTYPE");
    assert.equal(await engine.write((tx) => bitmaps.bitOp(tx, ks, { op: "OR", dest: enc("d"), sources: [enc("s")], nowMs: NOW })), "WRONGTYPE");
  });

  for (const length of [0, 3, 9_999, STRING_CHUNK_BYTES + 1, 4 * STRING_CHUNK_BYTES + 123]) {
    test(`BITCOUNT and BITPOS over a ${length}-byte value equal the reference for random ranges`, async () => {
      const engine = new MemoryEngine();
      const random = new SeededRandom(length + 1);
      const value = pattern(length, length);
      // Runs of 0x00 and 0xff so that BITPOS has to cross chunks.
      if (length > 30_000) {
        value.fill(0, 5_000, 25_000);
        value.fill(0xff, 26_000, 39_000);
      }
      await engine.write((tx) => strings.setString(tx, ks, K, value, { expireAt: 0, nowMs: NOW }));
      const meta = await metaOf(engine);
      const bound = Math.max(length * 8, 16);
      const ranges: (bitmaps.BitRange | undefined)[] = [undefined];
      for (let i = 0; i < 60; i++) {
        const unit = random.next() < 0.5 ? "BIT" : "BYTE";
        const scale = unit === "BIT" ? bound : Math.max(length, 2);
        const pick = () => Math.floor(random.next() * scale * 2.2) - Math.floor(scale * 1.1);
        ranges.push({ start: pick(), end: pick(), unit }, { start: pick(), unit: "BYTE" });
      }
      ranges.push({ start: 5_000, end: 24_999, unit: "BYTE" }, { start: 26_000, unit: "BYTE" }, { start: 26_000, end: 38_999, unit: "BYTE" });
      for (const range of ranges) {
        if (range?.end !== undefined || range === undefined) {
          const count = await engine.read((tx) => bitmaps.countBits(tx, ks, K, { meta, range }));
          assert.equal(count, referenceCount(value, range), `BITCOUNT ${JSON.stringify(range)}`);
        }
        for (const bit of [0, 1] as const) {
          const pos = await engine.read((tx) => bitmaps.findBit(tx, ks, K, { meta, bit, range }));
          assert.equal(pos, referencePos(value, bit, range), `BITPOS ${bit} ${JSON.stringify(range)}`);
        }
      }
    });
  }

  test("random SETBIT and SETRANGE over chunk boundaries keep the value equal to the reference", async () => {
    const engine = new MemoryEngine();
    const random = new SeededRandom(99);
    let reference: Uint8Array = new Uint8Array(0);
    for (let step = 0; step < 150; step++) {
      const reach = 3 * STRING_CHUNK_BYTES + 500;
      if (random.next() < 0.5) {
        const offset = Math.floor(random.next() * reach * 8);
        const bit = random.next() < 0.6 ? 1 : 0;
        const old = await engine.write((tx) => bitmaps.setBit(tx, ks, K, { offset, value: bit, nowMs: NOW }));
        assert.equal(old, bitAt(reference, offset), `SETBIT ${offset} old bit`);
        if (reference.length <= offset >> 3) {
          const grown = new Uint8Array((offset >> 3) + 1);
          grown.set(reference);
          reference = grown;
        }
        const mask = 1 << (7 - (offset & 7));
        reference[offset >> 3] = bit ? reference[offset >> 3]! | mask : reference[offset >> 3]! & ~mask;
      } else {
        const offset = Math.floor(random.next() * reach);
        const bytes = pattern(Math.floor(random.next() * (random.next() < 0.2 ? 25_000 : 50)) + 1, step);
        const length = await engine.write((tx) => strings.setRange(tx, ks, K, { offset, value: bytes, nowMs: NOW }));
        const grown = new Uint8Array(Math.max(reference.length, offset + bytes.length));
        grown.set(reference);
        grown.set(bytes, offset);
        reference = grown;
        assert.equal(length, reference.length);
      }
      if (step % 10 === 9) assert.ok(sameBytes((await valueOf(engine))!, reference), `value after step ${step}`);
    }
    assert.ok(sameBytes((await valueOf(engine))!, reference));
  });

  test("GETBIT and SETBIT on a chunked value read one chunk and write one chunk, not the meta", async () => {
    const engine = new MemoryEngine();
    await engine.write((tx) => strings.setString(tx, ks, K, pattern(1_000_000), { expireAt: 0, nowMs: NOW }));
    const offset = 555_555 * 8 + 3;
    const get = await engine.read(async (raw) => {
      const r = recording(raw);
      await bitmaps.getBit(r.tx, ks, K, { offset, nowMs: NOW });
      return r;
    });
    assert.equal(get.reads.length, 2, "the meta and one chunk");
    assert.equal(get.rangeReads.length, 0);
    const flipped = (1 - (await engine.read((tx) => bitmaps.getBit(tx, ks, K, { offset, nowMs: NOW })) as number)) as 0 | 1;
    const set = await engine.write(async (raw) => {
      const r = recording(raw);
      await bitmaps.setBit(r.tx, ks, K, { offset, value: flipped, nowMs: NOW });
      return r;
    });
    assert.deepEqual(set.writes, [ks.indexKey(K, 0, 55)], "only the chunk holding the bit");
  });

  test("BITPOS stops reading at the first match; BITCOUNT reads only the chunks of its range", async () => {
    const engine = new MemoryEngine();
    const value = new Uint8Array(2_000_000);
    value[15_000] = 1;
    await engine.write((tx) => strings.setString(tx, ks, K, value, { expireAt: 0, nowMs: NOW }));
    const meta = await metaOf(engine);
    const pos = await engine.read(async (raw) => {
      const r = recording(raw);
      return { found: await bitmaps.findBit(r.tx, ks, K, { meta, bit: 1 }), ranges: r.rangeReads.length };
    });
    assert.deepEqual(pos, { found: 15_000 * 8 + 7, ranges: 1 });
    const count = await engine.read(async (raw) => {
      const r = recording(raw);
      const n = await bitmaps.countBits(r.tx, ks, K, { meta, range: { start: 1_234_000, end: 1_244_999, unit: "BYTE" } });
      return { n, ranges: r.rangeReads };
    });
    assert.equal(count.n, 0);
    assert.deepEqual(count.ranges, [{ start: ks.indexKey(K, 0, 123), end: ks.indexKey(K, 0, 125) }]);
  });

  test("concurrent SETBITs on different chunks of one bitmap do not conflict", async () => {
    const engine = new MemoryEngine();
    await engine.write((tx) => strings.setString(tx, ks, K, new Uint8Array(50_000), { expireAt: 0, nowMs: NOW }));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = engine.write(async (tx) => {
      const old = await bitmaps.setBit(tx, ks, K, { offset: 8, value: 1, nowMs: NOW });
      await gate;
      return old;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await engine.write((tx) => bitmaps.setBit(tx, ks, K, { offset: 45_000 * 8, value: 1, nowMs: NOW }));
    release();
    assert.equal(await first, 0);
    assert.deepEqual([engine.stats.conflicts, engine.stats.retries], [0, 0]);
    const meta = await metaOf(engine);
    assert.equal(await engine.read((tx) => bitmaps.countBits(tx, ks, K, { meta })), 2);
  });

  test("BITOP combines chunked sources of different lengths, pads with zeros, and may write over a source", async () => {
    const engine = new MemoryEngine();
    const a = pattern(35_000, 1);
    const b = pattern(12_345, 2);
    await engine.write(async (tx) => {
      await strings.setString(tx, ks, enc("a"), a, { expireAt: 0, nowMs: NOW });
      await strings.setString(tx, ks, enc("b"), b, { expireAt: 0, nowMs: NOW });
    });
    const at = (v: Uint8Array, i: number) => v[i] ?? 0;
    const expect = (f: (x: number, y: number) => number) => Uint8Array.from({ length: a.length }, (_, i) => f(at(a, i), at(b, i)) & 0xff);
    for (const [op, f] of [["AND", (x: number, y: number) => x & y], ["OR", (x: number, y: number) => x | y], ["XOR", (x: number, y: number) => x ^ y]] as const) {
      const length = await engine.write((tx) => bitmaps.bitOp(tx, ks, { op, dest: enc("d"), sources: [enc("a"), enc("missing"), enc("b")], nowMs: NOW }));
      assert.equal(length, a.length);
      const expected = op === "AND" ? new Uint8Array(a.length) : expect(f);
      assert.ok(sameBytes((await valueOf(engine, enc("d")))!, expected), op);
    }
    assert.equal(await engine.write((tx) => bitmaps.bitOp(tx, ks, { op: "NOT", dest: enc("b"), sources: [enc("b")], nowMs: NOW })), b.length);
    assert.ok(sameBytes((await valueOf(engine, enc("b")))!, b.map((x) => ~x & 0xff)));
    assert.equal(await engine.write((tx) => bitmaps.bitOp(tx, ks, { op: "OR", dest: enc("a"), sources: [enc("none")], nowMs: NOW })), 0);
    assert.equal(await valueOf(engine, enc("a")), undefined, "an empty result deletes the destination");
  });
});
