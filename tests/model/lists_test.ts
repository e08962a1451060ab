import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { KeyRange, KeyValue, MaybePromise, RangeOptions, ReadTxn, Txn } from "../../src/engine/contract.ts";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { lookup, putMeta } from "../../src/model/db.ts";
import { Keyspace } from "../../src/model/keyspace.ts";
import { keyCounts } from "../../src/model/keys.ts";
import * as lists from "../../src/model/lists.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const ks = new Keyspace("t", 0);
const NOW = 1_700_000_000_000;
const K = enc("list");

/** Counts what a command reads and writes, to check it touches only what it must. */
class CountingTxn implements Txn {
  gets = 0;
  rangeReads = 0;
  rangeEntries = 0;
  sets = 0;
  clears = 0;
  clearRanges = 0;

  constructor(private readonly inner: Txn) {}

  get snapshot(): ReadTxn {
    return this.inner.snapshot;
  }

  get(key: Uint8Array): MaybePromise<Uint8Array | undefined> {
    this.gets++;
    return this.inner.get(key);
  }

  async getRange(range: KeyRange, options?: RangeOptions): Promise<KeyValue[]> {
    this.rangeReads++;
    const entries = await this.inner.getRange(range, options);
    this.rangeEntries += entries.length;
    return entries;
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.sets++;
    this.inner.set(key, value);
  }

  clear(key: Uint8Array): void {
    this.clears++;
    this.inner.clear(key);
  }

  clearRange(range: KeyRange): void {
    this.clearRanges++;
    this.inner.clearRange(range);
  }

  add(key: Uint8Array, delta: bigint): void {
    this.inner.add(key, delta);
  }

  addReadConflictRange(range: KeyRange): void {
    this.inner.addReadConflictRange(range);
  }
}

async function push(engine: MemoryEngine, end: lists.ListEnd, ...elements: string[]): Promise<number | "WRONGTYPE"> {
  return engine.write((tx) => lists.push(tx, ks, K, { elements: elements.map(enc), end, onlyIfExists: false, nowMs: NOW }));
}

async function all(engine: MemoryEngine, key = K): Promise<string[]> {
  const items = await engine.read((tx) => lists.range(tx, ks, key, { start: 0, stop: -1, nowMs: NOW }));
  assert.ok(Array.isArray(items));
  return items.map(dec);
}

async function engineKeys(engine: MemoryEngine): Promise<number> {
  return engine.read(async (tx) => (await tx.getRange(ks.all)).length);
}

describe("lists over the engine", () => {
  test("LPUSH grows the head below index 0 and RPUSH the tail above it, in order", async () => {
    const engine = new MemoryEngine();
    await push(engine, "right", "c", "d");
    // The head goes negative: tuple integers must keep -1 < 0 < 1.
    await push(engine, "left", "b", "a");
    await push(engine, "right", "e");
    assert.deepEqual(await all(engine), ["a", "b", "c", "d", "e"]);
    assert.equal(await engine.read((tx) => lists.length(tx, ks, K, NOW)), 5);
    const first = await engine.read((tx) => lists.itemAt(tx, ks, K, { index: 0, nowMs: NOW }));
    const last = await engine.read((tx) => lists.itemAt(tx, ks, K, { index: -1, nowMs: NOW }));
    assert.deepEqual([dec(first as Uint8Array), dec(last as Uint8Array)], ["a", "e"]);
  });

  test("LPOP with a count returns items in pop order; popping everything deletes the key", async () => {
    const engine = new MemoryEngine();
    await push(engine, "right", "a", "b", "c", "d");
    const left = await engine.write((tx) => lists.pop(tx, ks, K, { end: "left", count: 2, nowMs: NOW }));
    assert.deepEqual((left as Uint8Array[]).map(dec), ["a", "b"]);
    const right = await engine.write((tx) => lists.pop(tx, ks, K, { end: "right", count: 5, nowMs: NOW }));
    assert.deepEqual((right as Uint8Array[]).map(dec), ["d", "c"]);
    assert.equal(await engine.write((tx) => lists.pop(tx, ks, K, { end: "left", count: 1, nowMs: NOW })), undefined);
    assert.equal((await engine.read((tx) => keyCounts(tx, ks))).keys, 0);
    // Only the counters remain: no meta, no item.
    const leftOver = await engine.read((tx) => tx.getRange(ks.membersOfKey(K)));
    assert.equal(leftOver.length, 0);
    assert.equal(await engine.read((tx) => tx.get(ks.metaKey(K))), undefined);
  });

  test("elements larger than one chunk round-trip, and replacing one leaves no chunk behind", async () => {
    const engine = new MemoryEngine();
    const big = new Uint8Array(250_000).map((_, i) => (i * 7 + 3) & 0xff);
    await engine.write((tx) =>
      lists.push(tx, ks, K, { elements: [enc("a"), big, enc("z")], end: "right", onlyIfExists: false, nowMs: NOW })
    );
    const before = await engineKeys(engine);
    assert.ok(before > 25, `a 250 kB item is split (${before} engine keys)`);
    assert.deepEqual(await engine.read((tx) => lists.itemAt(tx, ks, K, { index: 1, nowMs: NOW })), big);
    const range = await engine.read((tx) => lists.range(tx, ks, K, { start: 0, stop: -1, nowMs: NOW }));
    assert.deepEqual(range, [enc("a"), big, enc("z")]);
    assert.equal(await engine.write((tx) => lists.setItem(tx, ks, K, { index: 1, element: enc("m"), nowMs: NOW })), true);
    assert.deepEqual(await all(engine), ["a", "m", "z"]);
    // meta + 3 items + key counter
    assert.equal(await engineKeys(engine), 5);
  });

  test("pushes, pops and LSET keep the key's TTL", async () => {
    const engine = new MemoryEngine();
    await push(engine, "right", "a", "b");
    const expireAt = NOW + 60_000;
    await engine.write(async (tx) => {
      const meta = (await lookup(tx, ks, K, NOW))!;
      putMeta(tx, ks, K, meta, { ...meta, expireAt });
    });
    await push(engine, "left", "c");
    await engine.write((tx) => lists.pop(tx, ks, K, { end: "right", count: 1, nowMs: NOW }));
    await engine.write((tx) => lists.setItem(tx, ks, K, { index: 0, element: enc("x"), nowMs: NOW }));
    assert.equal((await engine.read((tx) => lookup(tx, ks, K, NOW)))?.expireAt, expireAt);
    assert.equal((await engine.read((tx) => keyCounts(tx, ks))).expires, 1);
  });

  test("a command on an expired list sees no key, and a push starts a new list", async () => {
    const engine = new MemoryEngine();
    await push(engine, "right", "old");
    await engine.write(async (tx) => {
      const meta = (await lookup(tx, ks, K, NOW))!;
      putMeta(tx, ks, K, meta, { ...meta, expireAt: NOW + 10 });
    });
    const later = NOW + 1_000;
    assert.equal(await engine.read((tx) => lists.length(tx, ks, K, later)), 0);
    await engine.write((tx) => lists.push(tx, ks, K, { elements: [enc("new")], end: "right", onlyIfExists: false, nowMs: later }));
    const items = await engine.read((tx) => lists.range(tx, ks, K, { start: 0, stop: -1, nowMs: later }));
    assert.deepEqual((items as Uint8Array[]).map(dec), ["new"]);
    assert.equal((await engine.read((tx) => lookup(tx, ks, K, later)))?.expireAt, 0);
  });

  test("a large list: 100,000 items; LINDEX reads one item, LRANGE and LPOP one bounded range", async () => {
    const engine = new MemoryEngine();
    const total = 100_000;
    const batch = 10_000;
    for (let start = 0; start < total; start += batch) {
      const elements = Array.from({ length: batch }, (_, i) => enc(`item:${start + i}`));
      const length = await engine.write((tx) => lists.push(tx, ks, K, { elements, end: "right", onlyIfExists: false, nowMs: NOW }));
      assert.equal(length, start + batch);
    }

    const lindex = await engine.read(async (tx) => {
      const counting = new CountingTxn(tx);
      const item = await lists.itemAt(counting, ks, K, { index: 50_000, nowMs: NOW });
      return { item, counting };
    });
    assert.equal(dec(lindex.item as Uint8Array), "item:50000");
    // The meta, then the one item: no range read at all.
    assert.deepEqual([lindex.counting.gets, lindex.counting.rangeReads], [2, 0]);

    const lrange = await engine.read(async (tx) => {
      const counting = new CountingTxn(tx);
      const items = await lists.range(counting, ks, K, { start: -10, stop: -1, nowMs: NOW });
      return { items, counting };
    });
    assert.deepEqual((lrange.items as Uint8Array[]).map(dec), Array.from({ length: 10 }, (_, i) => `item:${total - 10 + i}`));
    assert.deepEqual([lrange.counting.gets, lrange.counting.rangeReads, lrange.counting.rangeEntries], [1, 1, 10]);

    const lpop = await engine.write(async (tx) => {
      const counting = new CountingTxn(tx);
      const items = await lists.pop(counting, ks, K, { end: "left", count: 3, nowMs: NOW });
      return { items, counting };
    });
    assert.deepEqual((lpop.items as Uint8Array[]).map(dec), ["item:0", "item:1", "item:2"]);
    assert.deepEqual([lpop.counting.gets, lpop.counting.rangeReads, lpop.counting.rangeEntries], [1, 1, 3]);
    // One range clear for the items, one meta write.
    assert.deepEqual([lpop.counting.clearRanges, lpop.counting.sets], [1, 1]);

    const rpush = await engine.write(async (tx) => {
      const counting = new CountingTxn(tx);
      await lists.push(counting, ks, K, { elements: [enc("one more")], end: "right", onlyIfExists: false, nowMs: NOW });
      return counting;
    });
    assert.deepEqual([rpush.gets, rpush.rangeReads, rpush.sets], [1, 0, 2], "a push reads the meta, writes one item and the meta");

    const lset = await engine.write(async (tx) => {
      const counting = new CountingTxn(tx);
      await lists.setItem(counting, ks, K, { index: -2, element: enc("changed"), nowMs: NOW });
      return counting;
    });
    assert.deepEqual([lset.gets, lset.rangeReads, lset.sets], [1, 0, 1], "LSET reads the meta and writes one item, not the meta");

    assert.equal(await engine.read((tx) => lists.length(tx, ks, K, NOW)), total - 3 + 1);
    assert.equal(dec((await engine.read((tx) => lists.itemAt(tx, ks, K, { index: -2, nowMs: NOW }))) as Uint8Array), "changed");
  });

  test("LINSERT near the tail of a long list rewrites only the items after the pivot", async () => {
    const engine = new MemoryEngine();
    const elements = Array.from({ length: 5_000 }, (_, i) => enc(`v${i}`));
    await engine.write((tx) => lists.push(tx, ks, K, { elements, end: "right", onlyIfExists: false, nowMs: NOW }));
    // The pivot is found by walking from the head, but only the shorter side is rewritten.
    const counting = await engine.write(async (tx) => {
      const c = new CountingTxn(tx);
      assert.equal(await lists.insert(c, ks, K, { where: "after", pivot: enc("v4996"), element: enc("new"), nowMs: NOW }), 5_001);
      return c;
    });
    // The new item, the 3 items after it, and the meta.
    assert.equal(counting.sets, 5);
    const nearHead = await engine.write(async (tx) => {
      const c = new CountingTxn(tx);
      await lists.insert(c, ks, K, { where: "before", pivot: enc("v2"), element: enc("early"), nowMs: NOW });
      return c;
    });
    // v0, v1 move one step towards the head; plus the new item and the meta.
    assert.equal(nearHead.sets, 4);
    const items = await all(engine);
    assert.deepEqual(items.slice(0, 4), ["v0", "v1", "early", "v2"]);
    assert.deepEqual(items.slice(-5), ["v4996", "new", "v4997", "v4998", "v4999"]);
    assert.equal(items.length, 5_002);
  });

  for (const faults of [undefined, { seed: 7, rate: 0.2, codes: ["not_committed", "transaction_too_old"] as const }]) {
    test(`random operations give the same list as an array model${faults ? " (with injected retryable faults, seed 7)" : ""}`, async () => {
      const engine = new MemoryEngine({ faults: faults && { ...faults, codes: [...faults.codes] } });
      let model: string[] = Array.from({ length: 1_200 }, (_, i) => `e${i % 7}`);
      await engine.write((tx) => lists.push(tx, ks, K, { elements: model.map(enc), end: "right", onlyIfExists: false, nowMs: NOW }));
      let seed = 12345;
      const random = (n: number) => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return (seed >>> 8) % n;
      };
      const value = () => `e${random(9)}`;
      for (let step = 0; step < 400; step++) {
        const op = random(8);
        const label = `seed 12345, step ${step}, op ${op}`;
        if (op === 0) {
          const v = value();
          const end = random(2) === 0 ? "left" : "right";
          await push(engine, end, v);
          if (end === "left") model.unshift(v);
          else model.push(v);
        } else if (op === 1) {
          const count = random(4);
          const end = random(2) === 0 ? "left" : "right";
          const got = await engine.write((tx) => lists.pop(tx, ks, K, { end, count, nowMs: NOW }));
          const expected = end === "left" ? model.splice(0, count) : model.splice(Math.max(model.length - count, 0)).reverse();
          assert.deepEqual(got === undefined ? [] : (got as Uint8Array[]).map(dec), expected, label);
        } else if (op === 2) {
          const pivot = value();
          const v = value();
          const where = random(2) === 0 ? "before" : "after";
          const got = await engine.write((tx) => lists.insert(tx, ks, K, { where, pivot: enc(pivot), element: enc(v), nowMs: NOW }));
          const at = model.indexOf(pivot);
          if (model.length === 0) assert.equal(got, 0, label);
          else if (at < 0) assert.equal(got, -1, label);
          else {
            model.splice(where === "before" ? at : at + 1, 0, v);
            assert.equal(got, model.length, label);
          }
        } else if (op === 3) {
          const v = value();
          const count = random(7) - 3;
          const got = await engine.write((tx) => lists.remove(tx, ks, K, { count, element: enc(v), nowMs: NOW }));
          let removed = 0;
          if (count >= 0) {
            model = model.filter((x) => !(x === v && (count === 0 || removed < count) && ++removed));
          } else {
            model = model.reverse().filter((x) => !(x === v && removed < -count && ++removed)).reverse();
          }
          assert.equal(got, removed, label);
        } else if (op === 4 && model.length > 0) {
          const i = random(model.length);
          const v = value();
          await engine.write((tx) => lists.setItem(tx, ks, K, { index: i, element: enc(v), nowMs: NOW }));
          model[i] = v;
        } else if (op === 5 && model.length > 4 && random(10) === 0) {
          const start = random(3);
          const stop = -1 - random(3);
          await engine.write((tx) => lists.trim(tx, ks, K, { start, stop, nowMs: NOW }));
          model = model.slice(start, model.length + stop + 1);
        } else if (op === 6) {
          const from = random(2) === 0 ? "left" : "right";
          const to = random(2) === 0 ? "left" : "right";
          const got = await engine.write((tx) => lists.move(tx, ks, { source: K, destination: K, from, to, nowMs: NOW }));
          if (model.length === 0) assert.equal(got, undefined, label);
          else {
            const item = from === "left" ? model.shift()! : model.pop()!;
            if (to === "left") model.unshift(item);
            else model.push(item);
            assert.equal(dec(got as Uint8Array), item, label);
          }
        } else if (op === 7) {
          const v = value();
          const rank = random(2) === 0 ? 1 + random(3) : -1 - random(3);
          const got = await engine.read((tx) => lists.positions(tx, ks, K, { element: enc(v), rank, count: 0, maxlen: 0, nowMs: NOW }));
          const indexes = model.flatMap((x, i) => (x === v ? [i] : []));
          const ordered = rank > 0 ? indexes : indexes.reverse();
          assert.deepEqual(got ?? [], ordered.slice(Math.abs(rank) - 1), label);
        }
        assert.equal(await engine.read((tx) => lists.length(tx, ks, K, NOW)), model.length, label);
        if (step % 20 === 0) assert.deepEqual(await all(engine), model, label);
      }
      assert.deepEqual(await all(engine), model);
      if (faults) assert.ok(engine.stats.injectedFaults > 0, "faults were injected");
    });
  }

  test("concurrent LSETs of different items of one list do not conflict", async () => {
    const engine = new MemoryEngine();
    await push(engine, "right", "a", "b", "c");
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = engine.write(async (tx) => {
      const result = await lists.setItem(tx, ks, K, { index: 0, element: enc("A"), nowMs: NOW });
      await gate;
      return result;
    });
    // Let the first transaction read before the second one commits.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await engine.write((tx) => lists.setItem(tx, ks, K, { index: 2, element: enc("C"), nowMs: NOW }));
    release();
    assert.equal(await first, true);
    assert.deepEqual(await all(engine), ["A", "b", "C"]);
    assert.equal(engine.stats.conflicts, 0);
    assert.equal(engine.stats.retries, 0);
  });

  test("concurrent pushes to two lists do not conflict; to one list they serialise and both land", async () => {
    const engine = new MemoryEngine();
    const L2 = enc("other");
    const interleave = async (secondKey: Uint8Array) => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let runs = 0;
      const first = engine.write(async (tx) => {
        const n = await lists.push(tx, ks, K, { elements: [enc("x")], end: "right", onlyIfExists: false, nowMs: NOW });
        if (runs++ === 0) await gate;
        return n;
      });
      await new Promise((resolve) => setTimeout(resolve, 5));
      await engine.write((tx) => lists.push(tx, ks, secondKey, { elements: [enc("y")], end: "left", onlyIfExists: false, nowMs: NOW }));
      release();
      await first;
    };
    await interleave(L2);
    assert.deepEqual([engine.stats.conflicts, engine.stats.retries], [0, 0]);
    // data-model.md §4: every push rewrites the meta, so pushes to one list conflict and one is retried.
    await interleave(K);
    assert.deepEqual([engine.stats.conflicts, engine.stats.retries], [1, 1]);
    assert.deepEqual(await all(engine), ["y", "x", "x"]);
    assert.deepEqual(await all(engine, L2), ["y"]);
  });
});
