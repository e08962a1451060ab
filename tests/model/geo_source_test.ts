// The sorted-set reads and writes the geo commands use (src/model/geo_source.ts
// and the exports of src/model/sorted_sets.ts it stands on): a set opened
// once, ranges of scores [min, max) with windows, member scores, and a whole
// set stored in place of any value.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { Keyspace } from "../../src/model/keyspace.ts";
import { openGeoSource } from "../../src/model/geo_source.ts";
import * as zsets from "../../src/model/sorted_sets.ts";
import * as sets from "../../src/model/sets.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const ks = new Keyspace("t", 0);
const NOW = 1_700_000_000_000;

async function engineWith(entries: ReadonlyArray<readonly [number, string]>): Promise<MemoryEngine> {
  const engine = new MemoryEngine();
  await engine.write((tx) => zsets.addMembers(tx, ks, enc("z"), { entries: entries.map(([score, m]) => ({ score, member: enc(m) })), options: {}, nowMs: NOW }));
  return engine;
}

const ENTRIES: ReadonlyArray<readonly [number, string]> = [[1, "a"], [2, "b"], [2, "c"], [3, "d"], [4, "e"], [4, "f"], [5, "g"]];

describe("geo source over a sorted set", () => {
  test("membersInScoreRange reads [min, max) in (score, member) order, with offset and count windows", async () => {
    const engine = await engineWith(ENTRIES);
    const names = await engine.read(async (tx) => {
      const source = await openGeoSource(tx, ks, enc("z"), NOW);
      assert.ok(source !== undefined && source !== "WRONGTYPE");
      const read = async (query: { min: number; max: number; offset?: number; count?: number }) =>
        (await source.membersInScoreRange(query)).map((m) => `${dec(m.member)}${m.score}`).join(" ");
      return [
        await read({ min: 2, max: 4 }),
        await read({ min: 0, max: 100 }),
        await read({ min: 4, max: 4 }),
        await read({ min: 2, max: 5, offset: 1, count: 2 }),
        await read({ min: 2, max: 5, offset: 3, count: 64 }),
        await read({ min: 2, max: 5, offset: 4, count: 64 }),
        String(await source.scoreOf(enc("c"))),
        String(await source.scoreOf(enc("nope"))),
      ];
    });
    assert.deepEqual(names, ["b2 c2 d3", "a1 b2 c2 d3 e4 f4 g5", "", "c2 d3", "e4 f4", "f4", "2", "undefined"]);
  });

  test("a missing key is undefined, another type WRONGTYPE", async () => {
    const engine = new MemoryEngine();
    await engine.write((tx) => sets.addMembers(tx, ks, enc("s"), { members: [enc("x")], nowMs: NOW }));
    const found = await engine.read(async (tx) => [await openGeoSource(tx, ks, enc("nokey"), NOW), await openGeoSource(tx, ks, enc("s"), NOW)]);
    assert.deepEqual(found, [undefined, "WRONGTYPE"]);
  });

  test("storeSortedSet replaces a value of any type with the entries in order, and deletes the key when there are none", async () => {
    const engine = new MemoryEngine();
    await engine.write((tx) => sets.addMembers(tx, ks, enc("d"), { members: [enc("x")], nowMs: NOW }));
    const entries = [{ member: enc("y"), score: 2 }, { member: enc("x"), score: 2 }, { member: enc("w"), score: 1 }];
    assert.equal(await engine.write((tx) => zsets.storeSortedSet(tx, ks, enc("d"), { entries, event: "geosearchstore", nowMs: NOW })), 3);
    const stored = await engine.read((tx) => zsets.rangeOf(tx, ks, enc("d"), { query: { spec: { by: "rank", start: 0, stop: -1 }, reverse: false, offset: 0, count: -1 }, nowMs: NOW }));
    assert.ok(stored !== "WRONGTYPE");
    assert.deepEqual(stored.map((e) => `${dec(e.member)}${e.score}`), ["w1", "x2", "y2"]);
    const rank = await engine.read(async (tx) => await zsets.rankOfMember(tx, ks, enc("d"), { member: enc("y"), reverse: false, nowMs: NOW }));
    assert.deepEqual(rank, { rank: 2, score: 2 });
    assert.equal(await engine.write((tx) => zsets.storeSortedSet(tx, ks, enc("d"), { entries: [], event: "geosearchstore", nowMs: NOW })), 0);
    assert.equal(await engine.read((tx) => zsets.cardinality(tx, ks, enc("d"), NOW)), 0);
  });
});
