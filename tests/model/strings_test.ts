import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { KeyValue, MaybePromise, Txn } from "../../src/engine/contract.ts";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { Keyspace } from "../../src/model/keyspace.ts";
import { keyCounts, deleteKeys } from "../../src/model/keys.ts";
import { INLINE_STRING_BYTES, STRING_CHUNK_BYTES } from "../../src/model/limits.ts";
import * as strings from "../../src/model/strings.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const ks = new Keyspace("t", 0);
const NOW = 1_700_000_000_000;

function pattern(length: number, seed = 7): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

async function allEngineKeys(engine: MemoryEngine): Promise<number> {
  return engine.read(async (tx) => (await tx.getRange(ks.all)).length);
}

describe("strings over the engine", () => {
  for (const length of [0, 1, INLINE_STRING_BYTES, INLINE_STRING_BYTES + 1, 3 * STRING_CHUNK_BYTES, 3 * STRING_CHUNK_BYTES + 17, 1_000_000]) {
    test(`a ${length}-byte value round-trips, and GETRANGE/STRLEN read it back exactly`, async () => {
      const engine = new MemoryEngine();
      const value = pattern(length);
      await engine.write((tx) => strings.setString(tx, ks, enc("k"), value, { expireAt: 0, nowMs: NOW }));
      const back = await engine.read((tx) => strings.getString(tx, ks, enc("k"), NOW));
      assert.deepEqual(back, value);
      assert.equal(await engine.read((tx) => strings.strlen(tx, ks, enc("k"), NOW)), length);
      for (const [start, end] of [[0, -1], [STRING_CHUNK_BYTES - 3, STRING_CHUNK_BYTES + 3], [-5, -1], [length - 1, length + 10]]) {
        const range = await engine.read((tx) => strings.getRange(tx, ks, enc("k"), { start: start!, end: end!, nowMs: NOW }));
        const s = start! < 0 ? Math.max(length + start!, 0) : start!;
        const e = Math.min(end! < 0 ? length + end! : end!, length - 1);
        assert.deepEqual(range, s > e || length === 0 ? new Uint8Array(0) : value.subarray(s, e + 1), `GETRANGE ${start} ${end}`);
      }
    });
  }

  test("APPEND across the inline limit and across chunk boundaries keeps every byte", async () => {
    const engine = new MemoryEngine();
    let expected = new Uint8Array(0);
    for (const size of [9_000, 2_000, 9_999, 1, 25_000, 3]) {
      const piece = pattern(size, size);
      const length = await engine.write((tx) => strings.append(tx, ks, enc("k"), piece, NOW));
      const joined = new Uint8Array(expected.length + size);
      joined.set(expected, 0);
      joined.set(piece, expected.length);
      expected = joined;
      assert.equal(length, expected.length);
      assert.deepEqual(await engine.read((tx) => strings.getString(tx, ks, enc("k"), NOW)), expected);
    }
  });

  test("overwriting a chunked value with a short one leaves no chunk behind", async () => {
    const engine = new MemoryEngine();
    await engine.write((tx) => strings.setString(tx, ks, enc("k"), pattern(50_000), { expireAt: 0, nowMs: NOW }));
    assert.ok((await allEngineKeys(engine)) > 5);
    await engine.write((tx) => strings.setString(tx, ks, enc("k"), enc("short"), { expireAt: 0, nowMs: NOW }));
    // meta + key counter
    assert.equal(await allEngineKeys(engine), 2);
  });

  test("deleting key 'a' leaves the chunks of key 'a\\0' alone", async () => {
    const engine = new MemoryEngine();
    const a = enc("a");
    const aNul = new Uint8Array([0x61, 0x00]);
    await engine.write(async (tx) => {
      await strings.setString(tx, ks, a, pattern(30_000, 1), { expireAt: 0, nowMs: NOW });
      await strings.setString(tx, ks, aNul, pattern(30_000, 2), { expireAt: 0, nowMs: NOW });
    });
    await engine.write((tx) => deleteKeys(tx, ks, [a], NOW));
    assert.deepEqual(await engine.read((tx) => strings.getString(tx, ks, aNul, NOW)), pattern(30_000, 2));
    assert.equal((await engine.read((tx) => keyCounts(tx, ks))).keys, 1);
  });

  test("INCRBY keeps the TTL, rejects non-integers and overflow", async () => {
    const engine = new MemoryEngine();
    const expireAt = NOW + 60_000;
    await engine.write((tx) => strings.setString(tx, ks, enc("n"), enc("41"), { expireAt, nowMs: NOW }));
    assert.equal(await engine.write((tx) => strings.incrementBy(tx, ks, enc("n"), { delta: 1n, nowMs: NOW })), 42n);
    const counts = await engine.read((tx) => keyCounts(tx, ks));
    assert.deepEqual(counts, { keys: 1, expires: 1 });
    await engine.write((tx) => strings.setString(tx, ks, enc("big"), enc("9223372036854775807"), { expireAt: 0, nowMs: NOW }));
    assert.equal(await engine.write((tx) => strings.incrementBy(tx, ks, enc("big"), { delta: 1n, nowMs: NOW })), "OVERFLOW");
    await engine.write((tx) => strings.setString(tx, ks, enc("s"), enc("01"), { expireAt: 0, nowMs: NOW }));
    assert.equal(await engine.write((tx) => strings.incrementBy(tx, ks, enc("s"), { delta: 1n, nowMs: NOW })), "NOT_INTEGER");
  });

  test("an expired key is absent to reads and replaced cleanly by a write", async () => {
    const engine = new MemoryEngine();
    await engine.write((tx) => strings.setString(tx, ks, enc("e"), pattern(40_000), { expireAt: NOW + 10, nowMs: NOW }));
    assert.equal(await engine.read((tx) => strings.getString(tx, ks, enc("e"), NOW + 11)), undefined);
    assert.equal(await engine.read((tx) => strings.getString(tx, ks, enc("e"), NOW + 10)) instanceof Uint8Array, true);
    assert.equal(await engine.write((tx) => strings.append(tx, ks, enc("e"), enc("x"), NOW + 11)), 1);
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 1, expires: 0 });
    assert.equal(await allEngineKeys(engine), 3); // meta + keys counter + expires counter (0)
  });

  test("SETNX and MSETNX write only when keys are missing; a key named twice takes its last value", async () => {
    const engine = new MemoryEngine();
    assert.equal(await engine.write((tx) => strings.setIfMissing(tx, ks, enc("a"), enc("1"), NOW)), true);
    assert.equal(await engine.write((tx) => strings.setIfMissing(tx, ks, enc("a"), enc("2"), NOW)), false);
    const pairs = (...kv: string[]) => kv.flatMap((k, i) => (i % 2 === 0 ? [[enc(k), enc(kv[i + 1]!)] as const] : []));
    assert.equal(await engine.write((tx) => strings.setAllIfNoneExists(tx, ks, pairs("b", "1", "a", "x"), NOW)), false);
    assert.equal(await engine.read((tx) => strings.getString(tx, ks, enc("b"), NOW)), undefined);
    assert.equal(await engine.write((tx) => strings.setAllIfNoneExists(tx, ks, pairs("b", "1", "b", "2", "c", "3"), NOW)), true);
    assert.deepEqual(await engine.read((tx) => strings.getString(tx, ks, enc("b"), NOW)), enc("2"));
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 3, expires: 0 });
  });

  test("GETSET drops the TTL, GETDEL removes every chunk, counters stay exact", async () => {
    const engine = new MemoryEngine();
    await engine.write((tx) => strings.setString(tx, ks, enc("k"), pattern(45_000), { expireAt: NOW + 1_000, nowMs: NOW }));
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 1, expires: 1 });
    assert.deepEqual(await engine.write((tx) => strings.getAndSet(tx, ks, enc("k"), enc("new"), NOW)), pattern(45_000));
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 1, expires: 0 });
    await engine.write((tx) => strings.setString(tx, ks, enc("k"), pattern(45_000, 3), { expireAt: NOW + 1_000, nowMs: NOW }));
    assert.deepEqual(await engine.write((tx) => strings.getAndDelete(tx, ks, enc("k"), NOW)), pattern(45_000, 3));
    assert.equal(await engine.write((tx) => strings.getAndDelete(tx, ks, enc("k"), NOW)), undefined);
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 0, expires: 0 });
    assert.equal(await allEngineKeys(engine), 2); // the two counters, at 0
  });

  test("changeExpiry sets, removes and, when the time is past, deletes", async () => {
    const engine = new MemoryEngine();
    await engine.write((tx) => strings.setString(tx, ks, enc("k"), enc("v"), { expireAt: 0, nowMs: NOW }));
    const retime = (expireAt: number) => engine.write(async (tx) => {
      const current = await strings.getForUpdate(tx, ks, enc("k"), NOW);
      assert.ok(current !== undefined && current !== "WRONGTYPE");
      strings.changeExpiry(tx, ks, enc("k"), current.meta, { expireAt, nowMs: NOW });
    });
    await retime(NOW + 5_000);
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 1, expires: 1 });
    await retime(0);
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 1, expires: 0 });
    await retime(NOW);
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 0, expires: 0 });
    assert.equal(await engine.read((tx) => strings.getString(tx, ks, enc("k"), NOW)), undefined);
  });

  test("INCRBYFLOAT keeps the TTL and refuses bad floats, infinities and long values without reading chunks", async () => {
    const engine = new MemoryEngine();
    await engine.write((tx) => strings.setString(tx, ks, enc("f"), enc("1.1"), { expireAt: NOW + 9_000, nowMs: NOW }));
    const incr = (k: string, by: string, nowMs = NOW) => engine.write((tx) => strings.incrementByFloat(tx, ks, enc(k), { increment: enc(by), nowMs }));
    assert.deepEqual(await incr("f", "2.2"), enc("3.3"));
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 1, expires: 1 });
    assert.equal(await incr("f", "x"), "NOT_FLOAT");
    assert.equal(await incr("f", "inf"), "NAN_OR_INFINITY");
    assert.equal(await incr("nothing", "abc"), "NOT_FLOAT");
    await engine.write((tx) => strings.setString(tx, ks, enc("huge"), enc("1e4932"), { expireAt: 0, nowMs: NOW }));
    assert.equal(await incr("huge", "1e4932"), "NAN_OR_INFINITY");
    await engine.write((tx) => strings.setString(tx, ks, enc("long"), pattern(30_000), { expireAt: 0, nowMs: NOW }));
    const reads = await engine.write(async (tx) => {
      let ranges = 0;
      const counting: Txn = Object.create(tx, { getRange: { value: (...args: Parameters<Txn["getRange"]>): MaybePromise<KeyValue[]> => (ranges++, tx.getRange(...args)) } });
      return { result: await strings.incrementByFloat(counting, ks, enc("long"), { increment: enc("1"), nowMs: NOW }), ranges };
    });
    assert.deepEqual(reads, { result: "NOT_FLOAT", ranges: 0 });
  });

  test("SETRANGE grows an inline value into chunks and zero-fills the gap", async () => {
    const engine = new MemoryEngine();
    await engine.write((tx) => strings.setString(tx, ks, enc("k"), enc("abc"), { expireAt: NOW + 9_000, nowMs: NOW }));
    const length = await engine.write((tx) => strings.setRange(tx, ks, enc("k"), { offset: 25_000, value: enc("z"), nowMs: NOW }));
    assert.equal(length, 25_001);
    const expected = new Uint8Array(25_001);
    expected.set(enc("abc"));
    expected[25_000] = 0x7a;
    assert.deepEqual(await engine.read((tx) => strings.getString(tx, ks, enc("k"), NOW)), expected);
    assert.equal(await allEngineKeys(engine), 1 + 3 + 2, "meta, three chunks, two counters");
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 1, expires: 1 });
    assert.equal(await engine.write((tx) => strings.setRange(tx, ks, enc("none"), { offset: 99, value: new Uint8Array(0), nowMs: NOW })), 0);
    assert.equal(await engine.write((tx) => strings.setRange(tx, ks, enc("k"), { offset: 9e15, value: new Uint8Array(0), nowMs: NOW })), 25_001);
    assert.equal(await engine.read((tx) => strings.getString(tx, ks, enc("none"), NOW)), undefined);
  });

  test("SETRANGE inside a chunked value reads at most two chunks and rewrites only the chunks it covers", async () => {
    const engine = new MemoryEngine();
    const value = pattern(100_000);
    await engine.write((tx) => strings.setString(tx, ks, enc("k"), value, { expireAt: 0, nowMs: NOW }));
    const piece = pattern(15_500, 9);
    const seen = await engine.write(async (tx) => {
      const writes: Uint8Array[] = [];
      let ranges = 0;
      const recording: Txn = Object.create(tx, {
        getRange: { value: (...args: Parameters<Txn["getRange"]>): MaybePromise<KeyValue[]> => (ranges++, tx.getRange(...args)) },
        set: { value: (key: Uint8Array, bytes: Uint8Array) => (writes.push(key), tx.set(key, bytes)) },
      });
      await strings.setRange(recording, ks, enc("k"), { offset: 25_000, value: piece, nowMs: NOW });
      return { writes, ranges };
    });
    assert.deepEqual(seen.writes, [2, 3, 4].map((i) => ks.indexKey(enc("k"), 0, i)), "chunks 2-4, not the meta");
    assert.equal(seen.ranges, 2);
    value.set(piece, 25_000);
    assert.deepEqual(await engine.read((tx) => strings.getString(tx, ks, enc("k"), NOW)), value);
  });

  test("concurrent SETRANGEs on different chunks of one value do not conflict", async () => {
    const engine = new MemoryEngine();
    await engine.write((tx) => strings.setString(tx, ks, enc("k"), pattern(60_000), { expireAt: 0, nowMs: NOW }));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = engine.write(async (tx) => {
      const n = await strings.setRange(tx, ks, enc("k"), { offset: 100, value: enc("first"), nowMs: NOW });
      await gate;
      return n;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await engine.write((tx) => strings.setRange(tx, ks, enc("k"), { offset: 55_000, value: enc("second"), nowMs: NOW }));
    release();
    assert.equal(await first, 60_000);
    assert.deepEqual([engine.stats.conflicts, engine.stats.retries], [0, 0]);
    assert.deepEqual(await engine.read((tx) => strings.getRange(tx, ks, enc("k"), { start: 100, end: 104, nowMs: NOW })), enc("first"));
    assert.deepEqual(await engine.read((tx) => strings.getRange(tx, ks, enc("k"), { start: 55_000, end: 55_005, nowMs: NOW })), enc("second"));
  });
});
