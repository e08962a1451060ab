import { describe, test } from "node:test";
import assert from "node:assert/strict";
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
});
