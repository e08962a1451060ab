import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compareBytes } from "../../src/engine/bytes.ts";
import { OrderedMap } from "../../src/engine/ordered_map.ts";
import { SeededRandom } from "../../src/engine/seeded_random.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function keyOf(n: number): Uint8Array {
  return enc.encode(`k${String(n).padStart(7, "0")}`);
}

/** A sorted array of [key, value]: slow, obviously right. */
class ModelMap {
  entries: [Uint8Array, number][] = [];
  private index(key: Uint8Array): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(this.entries[mid]![0], key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  set(key: Uint8Array, value: number): void {
    const i = this.index(key);
    if (i < this.entries.length && compareBytes(this.entries[i]![0], key) === 0) this.entries[i]![1] = value;
    else this.entries.splice(i, 0, [key, value]);
  }
  delete(key: Uint8Array): void {
    const i = this.index(key);
    if (i < this.entries.length && compareBytes(this.entries[i]![0], key) === 0) this.entries.splice(i, 1);
  }
  deleteRange(start: Uint8Array, end: Uint8Array): number {
    if (compareBytes(start, end) >= 0) return 0;
    const i = this.index(start);
    const j = this.index(end);
    this.entries.splice(i, j - i);
    return j - i;
  }
  scan(start: Uint8Array, end: Uint8Array, limit: number, reverse: boolean): string[] {
    if (compareBytes(start, end) >= 0) return [];
    let slice = this.entries.slice(this.index(start), this.index(end));
    if (reverse) slice = slice.reverse();
    if (limit > 0) slice = slice.slice(0, limit);
    return slice.map(([k, v]) => `${dec.decode(k)}=${v}`);
  }
}

function show(entries: { key: Uint8Array; value: number }[]): string[] {
  return entries.map((e) => `${dec.decode(e.key)}=${e.value}`);
}

describe("OrderedMap", () => {
  test("random sets, deletes, range deletes and scans agree with a sorted-array model", () => {
    for (const seed of [1, 2, 3, 4]) {
      const random = new SeededRandom(seed);
      const map = new OrderedMap<number>();
      const model = new ModelMap();
      const space = seed % 2 === 0 ? 300 : 5000;
      for (let step = 0; step < 20_000; step++) {
        const op = random.int(100);
        const a = keyOf(random.int(space));
        if (op < 55) {
          map.set(a, step);
          model.set(a, step);
        } else if (op < 80) {
          map.delete(a);
          model.delete(a);
        } else if (op < 84) {
          const b = keyOf(random.int(space));
          assert.equal(map.deleteRange({ start: a, end: b }), model.deleteRange(a, b), `seed ${seed} step ${step}`);
        } else {
          const b = keyOf(random.int(space));
          const limit = random.int(3) === 0 ? 0 : 1 + random.int(100);
          const reverse = random.int(2) === 0;
          assert.deepEqual(
            show(map.scan({ start: a, end: b }, { limit, reverse })),
            model.scan(a, b, limit, reverse),
            `seed ${seed} step ${step}`,
          );
        }
        assert.equal(map.size, model.entries.length, `seed ${seed} step ${step}`);
      }
      const all = { start: new Uint8Array(0), end: new Uint8Array([0xff]) };
      assert.deepEqual(show(map.scan(all)), model.scan(all.start, all.end, 0, false), `seed ${seed}`);
    }
  });

  test("a snapshot keeps showing the map as it was while the map changes", () => {
    const random = new SeededRandom(7);
    const map = new OrderedMap<number>();
    const model = new ModelMap();
    for (let i = 0; i < 3000; i++) {
      map.set(keyOf(i), i);
      model.set(keyOf(i), i);
    }
    const all = { start: new Uint8Array(0), end: new Uint8Array([0xff]) };
    const snapshots: { snap: ReturnType<typeof map.snapshot>; expected: string[] }[] = [];
    for (let round = 0; round < 30; round++) {
      snapshots.push({ snap: map.snapshot(), expected: model.scan(all.start, all.end, 0, false) });
      for (let step = 0; step < 200; step++) {
        const a = keyOf(random.int(4000));
        const op = random.int(10);
        if (op < 6) {
          map.set(a, round * 1000 + step);
          model.set(a, round * 1000 + step);
        } else if (op < 9) {
          map.delete(a);
          model.delete(a);
        } else {
          const b = keyOf(random.int(4000));
          map.deleteRange({ start: a, end: b });
          model.deleteRange(a, b);
        }
      }
    }
    for (const { snap, expected } of snapshots) {
      assert.deepEqual(show(snap.scan(all)), expected);
      assert.equal(snap.size, expected.length);
    }
    assert.deepEqual(show(map.scan(all)), model.scan(all.start, all.end, 0, false));
  });

  test("holds a million keys with fast point operations and range scans", { timeout: 120_000 }, () => {
    // 4-byte big-endian keys: cheap to make, and their byte order is numeric order.
    const key = (n: number): Uint8Array => new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
    const n = 1_000_000;
    const map = new OrderedMap<number>();
    const started = performance.now();
    for (let i = 0; i < n; i++) map.set(key(i * 2), i);
    const loaded = performance.now();
    assert.equal(map.size, n);
    const random = new SeededRandom(11);
    for (let i = 0; i < 50_000; i++) {
      const k = random.int(2 * n);
      assert.equal(map.get(key(k)), k % 2 === 0 ? k / 2 : undefined);
    }
    // Inserting between existing keys all over the tree.
    for (let i = 0; i < 50_000; i++) map.set(key(random.int(n) * 2 + 1), -1);
    const page = map.scan({ start: key(1_000_001), end: key(1_500_000) }, { limit: 100 });
    assert.equal(page.length, 100);
    assert.ok(compareBytes(page[0]!.key, key(1_000_001)) >= 0);
    const back = map.scan({ start: key(0), end: key(2 * n) }, { limit: 3, reverse: true });
    assert.equal(back.length, 3);
    assert.ok(compareBytes(back[0]!.key, key(2 * n - 2)) >= 0);
    assert.ok(compareBytes(back[0]!.key, back[1]!.key) > 0 && compareBytes(back[1]!.key, back[2]!.key) > 0);
    const before = map.size;
    const removed = map.deleteRange({ start: key(200_000), end: key(1_800_000) });
    assert.ok(removed > 800_000);
    assert.equal(map.size, before - removed);
    assert.equal(map.scan({ start: key(200_000), end: key(1_800_000) }, { limit: 1 }).length, 0);
    assert.equal(map.get(key(1_800_000)), 900_000);
    // Generous bound: it catches O(n) inserts (minutes), not a slow machine.
    assert.ok(loaded - started < 30_000, `1M inserts took ${Math.round(loaded - started)} ms`);
  });
});
