// The ranked set (src/model/ranked_set.ts) against a plain sorted array, on the
// memory and SQLite engines: random inserts, removals and runs of removals,
// then every rank and every index compared; its read cost; and concurrent
// inserts of different items without conflicts.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { compareBytes, concatBytes } from "../../src/engine/bytes.ts";
import type { Engine, ReadTxn } from "../../src/engine/contract.ts";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { SqliteEngine } from "../../src/engine/sqlite/engine.ts";
import { SeededRandom } from "../../src/engine/seeded_random.ts";
import { packTuple } from "../../src/engine/tuple.ts";
import { insertItem, itemAt, levelOf, rankedLayout, rankOf, removeRun, TOP_LEVEL } from "../../src/model/ranked_set.ts";
import { runSteps } from "../../src/model/ranked_steps.ts";
import { runtimeDriver, TempDirs } from "../engine/sqlite_support.ts";
import { overlappingWrites } from "../support/overlapping_writes.ts";

const layout = rankedLayout(packTuple(["t", "s"]), (level) => packTuple(["t", "r", level]));
const EMPTY = new Uint8Array(0);

function itemOf(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

function sortedIndexOf(sorted: readonly Uint8Array[], item: Uint8Array): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareBytes(sorted[mid]!, item) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

async function insert(engine: Engine, items: readonly Uint8Array[]): Promise<void> {
  await engine.write((tx) => runSteps((function* () {
    for (const item of items) {
      tx.set(concatBytes(layout.base, item), EMPTY);
      yield* insertItem(tx, layout, item);
    }
  })()));
}

async function removeRange(engine: Engine, run: readonly Uint8Array[]): Promise<void> {
  await engine.write((tx) => {
    for (const item of run) tx.clear(concatBytes(layout.base, item));
    return runSteps(removeRun(tx, layout, { first: run[0]!, last: run[run.length - 1]!, count: run.length }));
  });
}

async function checkAgainst(engine: Engine, sorted: readonly Uint8Array[], probes: readonly Uint8Array[]): Promise<void> {
  await engine.read(async (tx) => {
    for (let i = 0; i < sorted.length; i++) {
      assert.deepEqual(await runSteps(itemAt(tx, layout, i)), sorted[i], `item at ${i}`);
      assert.equal(await runSteps(rankOf(tx, layout, sorted[i]!)), i, `rank of the item at ${i}`);
    }
    assert.equal(await runSteps(itemAt(tx, layout, sorted.length)), undefined);
    for (const probe of probes) assert.equal(await runSteps(rankOf(tx, layout, probe)), sortedIndexOf(sorted, probe), "rank of a probe");
    // Every level's counts add up to the size.
    for (let l = 1; l <= TOP_LEVEL; l++) {
      const entries = await tx.getRange({ start: layout.levels[l]!, end: nextPrefix(l) });
      let sum = 0;
      for (const entry of entries) sum += Number(new DataView(entry.value.buffer, entry.value.byteOffset).getBigInt64(0, true));
      assert.equal(sum, sorted.length, `level ${l} counts`);
    }
  });
}

function nextPrefix(level: number): Uint8Array {
  return packTuple(["t", "r", level + 1]);
}

async function randomized(engine: Engine, seed: number): Promise<void> {
  const random = new SeededRandom(seed);
  let sorted: Uint8Array[] = [];
  const present = new Set<number>();
  for (let round = 0; round < 12; round++) {
    const batch: Uint8Array[] = [];
    for (let i = 0; i < 60; i++) {
      const n = random.int(2000);
      if (present.has(n)) continue;
      present.add(n);
      batch.push(itemOf(n));
    }
    await insert(engine, batch);
    sorted = [...sorted, ...batch].sort(compareBytes);
    // A run of consecutive items, then a few single items.
    if (sorted.length > 10) {
      const start = random.int(sorted.length - 5);
      const run = sorted.slice(start, start + 1 + random.int(Math.min(40, sorted.length - start - 1)));
      await removeRange(engine, run);
      for (const item of run) present.delete(new DataView(item.buffer).getUint32(0));
      sorted.splice(start, run.length);
    }
    for (let k = 0; k < 3 && sorted.length > 0; k++) {
      const at = random.int(sorted.length);
      await removeRange(engine, [sorted[at]!]);
      present.delete(new DataView(sorted[at]!.buffer).getUint32(0));
      sorted.splice(at, 1);
    }
    const probes = Array.from({ length: 20 }, () => itemOf(random.int(2100)));
    await checkAgainst(engine, sorted, [...probes, EMPTY]);
  }
}

describe("ranked set", () => {
  const dirs = new TempDirs();
  after(() => dirs.removeAll());

  test("levelOf samples about one item in 16 per level", () => {
    const counts = new Array(TOP_LEVEL + 1).fill(0);
    for (let i = 0; i < 65536; i++) counts[levelOf(itemOf(i))]++;
    const atLeast1 = 65536 - counts[0];
    assert.ok(atLeast1 > 3500 && atLeast1 < 4700, `level >= 1: ${atLeast1}`);
  });

  for (const seed of [1, 2, 3]) {
    test(`random inserts and removals agree with a sorted array (memory engine, seed ${seed})`, async () => {
      await randomized(new MemoryEngine(), seed);
    });
  }

  test("random inserts and removals agree with a sorted array (SQLite engine)", async () => {
    const engine = await SqliteEngine.open(dirs.make("ranked-set"), { openDriver: await runtimeDriver() });
    try {
      await randomized(engine, 7);
    } finally {
      await engine.close();
    }
  });

  test("rank and index cost O(log n) reads: 20,000 items read about as much as 500", async () => {
    const engine = new MemoryEngine();
    const costs: number[] = [];
    let inserted = 0;
    for (const size of [500, 20_000]) {
      const items: Uint8Array[] = [];
      for (; inserted < size; inserted++) items.push(itemOf(inserted * 7919 % 1_000_003));
      for (let i = 0; i < items.length; i += 2000) await insert(engine, items.slice(i, i + 2000));
      let pairs = 0;
      await engine.read((tx) => {
        const counting: ReadTxn = {
          get: (key) => { pairs++; return tx.get(key); },
          getRange: (range, options) => {
            const out = tx.getRange(range, options) as ReturnType<ReadTxn["getRange"]> & unknown[];
            pairs += 1 + (out as unknown as unknown[]).length;
            return out;
          },
        };
        for (let k = 0; k < 50; k++) {
          const index = Math.floor((k * size) / 50);
          const item = runSteps(itemAt(counting, layout, index)) as Uint8Array;
          runSteps(rankOf(counting, layout, item));
        }
      });
      costs.push(pairs / 50);
    }
    assert.ok(costs[1]! < costs[0]! * 3, `pairs read per lookup: ${costs.join(" vs ")}`);
  });

  test("50 concurrent inserts of different items commit; only sampled items may conflict", async () => {
    const engine = new MemoryEngine();
    const seed = Array.from({ length: 300 }, (_, i) => itemOf(i * 10));
    await insert(engine, seed);
    // Items sampled nowhere: their inserts only add to counts.
    const fresh: Uint8Array[] = [];
    for (let n = 1; fresh.length < 50; n++) if (n % 10 !== 0 && levelOf(itemOf(n)) === 0) fresh.push(itemOf(n));
    await overlappingWrites(engine, 50, (tx, i) => runSteps((function* () {
      tx.set(concatBytes(layout.base, fresh[i]!), EMPTY);
      yield* insertItem(tx, layout, fresh[i]!);
    })()));
    assert.equal(engine.stats.conflicts, 0);
    await checkAgainst(engine, [...seed, ...fresh].sort(compareBytes), []);
  });
});
