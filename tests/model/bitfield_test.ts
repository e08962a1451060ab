// BITFIELD over the engine (src/model/bitfield.ts): fields against a bit-array
// reference, and which chunks of a chunked value a call reads and writes.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { KeyRange, KeyValue, MaybePromise, Txn } from "../../src/engine/contract.ts";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { SeededRandom } from "../../src/engine/seeded_random.ts";
import * as bitfield from "../../src/model/bitfield.ts";
import { Keyspace } from "../../src/model/keyspace.ts";
import * as strings from "../../src/model/strings.ts";

const ks = new Keyspace("t", 0);
const K = new TextEncoder().encode("bf");
const NOW = 1_700_000_000_000;

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

/** The reference: a field read bit by bit, most significant first. */
function referenceGet(value: Uint8Array, type: bitfield.FieldType, offset: number): bigint {
  let raw = 0n;
  for (let i = 0; i < type.bits; i++) {
    const bit = offset + i;
    const byte = value[bit >> 3] ?? 0;
    raw = (raw << 1n) | BigInt((byte >> (7 - (bit & 7))) & 1);
  }
  return type.signed ? BigInt.asIntN(type.bits, raw) : raw;
}

async function valueOf(engine: MemoryEngine): Promise<Uint8Array | undefined> {
  const value = await engine.read((tx) => strings.getString(tx, ks, K, NOW));
  return value === "WRONGTYPE" ? undefined : value;
}

describe("BITFIELD over the engine", () => {
  test("random SETs and GETs of every width agree with a bit-array reference, across chunk boundaries", async () => {
    const engine = new MemoryEngine();
    const random = new SeededRandom(18);
    const reference = new Uint8Array(25_000);
    await engine.write((tx) => strings.setString(tx, ks, K, reference, { expireAt: 0, nowMs: NOW }));
    for (let round = 0; round < 200; round++) {
      const signed = random.next() < 0.5;
      const type = { signed, bits: 1 + Math.floor(random.next() * (signed ? 64 : 63)) };
      // Offsets near the chunk boundary at byte 10,000 half of the time.
      const offset = random.next() < 0.5 ? 80_000 - 70 + Math.floor(random.next() * 140) : Math.floor(random.next() * (reference.length * 8 - 64));
      const value = BigInt.asIntN(64, BigInt(Math.floor(random.next() * 2 ** 53)) * BigInt(Math.floor(random.next() * 2 ** 11)) - 2n ** 62n);
      const [old] = await engine.write((tx) => bitfield.writeFields(tx, ks, K, { operations: [{ kind: "SET", type, offset, value, overflow: "WRAP" }], nowMs: NOW })) as bigint[];
      assert.equal(old, referenceGet(reference, type, offset), `old value of ${type.signed ? "i" : "u"}${type.bits} at ${offset}`);
      const stored = type.signed ? BigInt.asIntN(type.bits, value) : BigInt.asUintN(type.bits, value);
      for (let i = 0; i < type.bits; i++) {
        const bit = offset + i;
        const one = ((BigInt.asUintN(type.bits, stored) >> BigInt(type.bits - 1 - i)) & 1n) === 1n;
        reference[bit >> 3] = one ? reference[bit >> 3]! | (1 << (7 - (bit & 7))) : reference[bit >> 3]! & ~(1 << (7 - (bit & 7)));
      }
      const [read] = await engine.read((tx) => bitfield.readFields(tx, ks, K, { operations: [{ kind: "GET", type, offset }], nowMs: NOW })) as bigint[];
      assert.equal(read, stored);
    }
    assert.deepEqual(await valueOf(engine), reference);
  });

  test("a field across two chunks reads both and writes both; one inside a chunk writes only it, never the meta", async () => {
    const engine = new MemoryEngine();
    await engine.write((tx) => strings.setString(tx, ks, K, new Uint8Array(1_000_000), { expireAt: 0, nowMs: NOW }));
    const across = await engine.write(async (raw) => {
      const r = recording(raw);
      await bitfield.writeFields(r.tx, ks, K, { operations: [{ kind: "INCRBY", type: { signed: true, bits: 32 }, offset: 10_000 * 8 - 16, value: -1n, overflow: "WRAP" }], nowMs: NOW });
      return r;
    });
    assert.deepEqual(across.writes, [ks.indexKey(K, 0, 0), ks.indexKey(K, 0, 1)], "the two chunks");
    const inside = await engine.write(async (raw) => {
      const r = recording(raw);
      await bitfield.writeFields(r.tx, ks, K, {
        operations: [{ kind: "SET", type: { signed: false, bits: 8 }, offset: 555_555 * 8, value: 7n, overflow: "WRAP" }, { kind: "GET", type: { signed: false, bits: 8 }, offset: 0 }],
        nowMs: NOW,
      });
      return r;
    });
    assert.deepEqual(inside.writes, [ks.indexKey(K, 0, 55)]);
  });

  test("a write that changes nothing writes nothing; growth past the end writes the new last byte", async () => {
    const engine = new MemoryEngine();
    await engine.write((tx) => strings.setString(tx, ks, K, new Uint8Array(30_000), { expireAt: 0, nowMs: NOW }));
    const same = await engine.write(async (raw) => {
      const r = recording(raw);
      await bitfield.writeFields(r.tx, ks, K, { operations: [{ kind: "SET", type: { signed: false, bits: 16 }, offset: 8, value: 0n, overflow: "WRAP" }], nowMs: NOW });
      return r;
    });
    assert.deepEqual(same.writes, []);
    const grown = await engine.write((tx) => bitfield.writeFields(tx, ks, K, { operations: [{ kind: "INCRBY", type: { signed: false, bits: 4 }, offset: 40_000 * 8, value: 100n, overflow: "FAIL" }], nowMs: NOW }));
    assert.deepEqual(grown, [null]);
    const value = (await valueOf(engine))!;
    assert.equal(value.length, 40_001, "grown with zeros even though FAIL wrote no field, as Redis does");
    assert.ok(value.every((byte) => byte === 0));
  });
});
