// Sorted sets over the engine (src/model/sorted_sets.ts): concurrency on the
// memory engine's conflict checks, the layout under the key's member range,
// and the O(log n) cost of ranks and ranges by index, on memory and SQLite.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Engine, ReadTxn } from "../../src/engine/contract.ts";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { SqliteEngine } from "../../src/engine/sqlite/engine.ts";
import { Keyspace } from "../../src/model/keyspace.ts";
import { keyCounts } from "../../src/model/keys.ts";
import * as sets from "../../src/model/sets.ts";
import * as zsets from "../../src/model/sorted_sets.ts";
import { runtimeDriver, TempDirs } from "../engine/sqlite_support.ts";
import { overlappingWrites } from "../support/overlapping_writes.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const ks = new Keyspace("t", 0);
const NOW = 1_700_000_000_000;

function zadd(engine: Engine, key: string, entries: ReadonlyArray<readonly [number, string]>) {
  return engine.write((tx) => zsets.addMembers(tx, ks, enc(key), { entries: entries.map(([score, m]) => ({ score, member: enc(m) })), options: {}, nowMs: NOW }));
}

/** A ReadTxn counting engine reads and the pairs they return. */
function counting(tx: ReadTxn): { tx: ReadTxn; reads: () => number } {
  let reads = 0;
  const wrapped: ReadTxn = {
    get(key) {
      reads++;
      return tx.get(key);
    },
    getRange(range, options) {
      reads++;
      return tx.getRange(range, options);
    },
  };
  return { tx: wrapped, reads: () => reads };
}

/** A sorted set of `size` members m0000000.. with score 1, built by ZUNIONSTORE from a set (no reads per member). */
async function bigZset(engine: Engine, key: string, size: number): Promise<void> {
  for (let i = 0; i < size; i += 20_000) {
    const members = Array.from({ length: Math.min(20_000, size - i) }, (_, j) => enc(`m${String(i + j).padStart(7, "0")}`));
    await engine.write((tx) => sets.addMembers(tx, ks, enc(`${key}:src`), { members, nowMs: NOW }));
  }
  await engine.write((tx) => zsets.storeCombination(tx, ks, { destination: enc(key), keys: [enc(`${key}:src`)], operation: "union", aggregate: "sum", nowMs: NOW }));
}

async function readsOf(engine: Engine, body: (tx: ReadTxn) => unknown): Promise<number> {
  return engine.read(async (tx) => {
    const c = counting(tx);
    await body(c.tx);
    return c.reads();
  });
}

describe("sorted sets over the engine", () => {
  const dirs = new TempDirs();
  after(() => dirs.removeAll());

  test("50 concurrent ZADDs of different new members of one set commit; only sampled members may conflict", async () => {
    const engine = new MemoryEngine();
    await zadd(engine, "z", Array.from({ length: 200 }, (_, i) => [i, `seed${i}`] as const));
    const results = await overlappingWrites(engine, 50, (tx, i) => zsets.addMembers(tx, ks, enc("z"), { entries: [{ score: i + 0.5, member: enc(`new${i}`) }], options: {}, nowMs: NOW }));
    assert.equal(results.filter((r) => typeof r === "object" && r.added === 1).length, 50);
    // About 1 member in 16 is sampled into the ranked set's first level and splits a count; the rest only add.
    assert.ok(engine.stats.conflicts <= 10, `conflicts: ${engine.stats.conflicts}`);
    assert.equal(await engine.read((tx) => zsets.cardinality(tx, ks, enc("z"), NOW)), 250);
    const ranks = await engine.read(async (tx) => {
      const out: number[] = [];
      for (let i = 0; i < 50; i += 7) out.push(((await zsets.rankOfMember(tx, ks, enc("z"), { member: enc(`new${i}`), reverse: false, nowMs: NOW })) as { rank: number }).rank);
      return out;
    });
    // new_i (score i + 0.5) comes after seed0..seed_i and new0..new_(i-1).
    assert.deepEqual(ranks, [0, 7, 14, 21, 28, 35, 42, 49].map((i) => 2 * i + 1));
  });

  test("ZREM of the last member deletes the key and every record under it", async () => {
    const engine = new MemoryEngine();
    await zadd(engine, "z", [[1, "a"], [2, "b"]]);
    assert.equal(await engine.write((tx) => zsets.removeMembers(tx, ks, enc("z"), { members: [enc("a"), enc("b")], nowMs: NOW })), 2);
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 0, expires: 0 });
    assert.equal(await engine.read(async (tx) => (await tx.getRange(ks.membersOfKey(enc("z")))).length), 0);
  });

  test("a score change moves the member in the index and keeps ranks exact", async () => {
    const engine = new MemoryEngine();
    await zadd(engine, "z", Array.from({ length: 100 }, (_, i) => [i, `m${i}`] as const));
    await zadd(engine, "z", [[1000, "m0"], [-1, "m99"]]);
    const found = await engine.read((tx) => zsets.rangeOf(tx, ks, enc("z"), { query: { spec: { by: "rank", start: 0, stop: 2 }, reverse: false, offset: 0, count: -1 }, nowMs: NOW }));
    assert.ok(Array.isArray(found));
    assert.deepEqual(found.map((e) => dec(e.member)), ["m99", "m1", "m2"]);
    const top = await engine.read((tx) => zsets.rankOfMember(tx, ks, enc("z"), { member: enc("m0"), reverse: true, nowMs: NOW }));
    assert.deepEqual(top, { rank: 0, score: 1000 });
  });

  for (const engineName of ["memory", "sqlite"] as const) {
    test(`ZRANK, ZRANGE by index and ZREMRANGEBYRANK cost O(log n) reads: 20,000 members within 3x of 1,000 (${engineName})`, async () => {
      const engine: Engine = engineName === "memory" ? new MemoryEngine() : await SqliteEngine.open(dirs.make("zset-rank"), { openDriver: await runtimeDriver() });
      try {
        const costs: Record<number, number> = {};
        // 20,000 is enough to tell O(log n) from O(n) (a scan would read 20 times more) and builds in one short transaction.
        for (const size of [1_000, 20_000]) {
          const key = `z${size}`;
          await bigZset(engine, key, size);
          let total = 0;
          for (const at of [0.1, 0.5, 0.9]) {
            const member = enc(`m${String(Math.floor(size * at)).padStart(7, "0")}`);
            total += await readsOf(engine, async (tx) => {
              const found = await zsets.rankOfMember(tx, ks, enc(key), { member, reverse: true, nowMs: NOW });
              assert.deepEqual(found, { rank: size - 1 - Math.floor(size * at), score: 1 });
            });
            total += await readsOf(engine, async (tx) => {
              const start = Math.floor(size * at);
              const found = await zsets.rangeOf(tx, ks, enc(key), { query: { spec: { by: "rank", start, stop: start + 9 }, reverse: false, offset: 0, count: -1 }, nowMs: NOW });
              assert.ok(Array.isArray(found));
              assert.equal(dec(found[0]!.member), `m${String(start).padStart(7, "0")}`);
            });
          }
          costs[size] = total;
        }
        assert.ok(costs[20_000]! <= 3 * costs[1_000]!, `engine reads: ${costs[1_000]} at 1,000 members, ${costs[20_000]} at 20,000`);
        // Removing a range by rank keeps every rank exact.
        assert.equal(await engine.write((tx) => zsets.removeRange(tx, ks, enc("z20000"), { spec: { by: "rank", start: 10, stop: 9_999 }, nowMs: NOW })), 9_990);
        const after = await engine.read((tx) => zsets.rankOfMember(tx, ks, enc("z20000"), { member: enc("m0015000"), reverse: false, nowMs: NOW }));
        assert.deepEqual(after, { rank: 10 + 5_000, score: 1 });
      } finally {
        await engine.close();
      }
    });
  }
});
