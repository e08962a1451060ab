import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { MEMBER_PAGE } from "../../src/model/collections.ts";
import { Keyspace } from "../../src/model/keyspace.ts";
import { keyCounts } from "../../src/model/keys.ts";
import * as sets from "../../src/model/sets.ts";
import * as strings from "../../src/model/strings.ts";
import { overlappingWrites } from "../support/overlapping_writes.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const ks = new Keyspace("t", 0);
const NOW = 1_700_000_000_000;

function sadd(engine: MemoryEngine, key: string, members: readonly (string | Uint8Array)[]) {
  return engine.write((tx) => sets.addMembers(tx, ks, enc(key), { members: members.map((m) => (typeof m === "string" ? enc(m) : m)), nowMs: NOW }));
}

async function memberNames(engine: MemoryEngine, key: string): Promise<string[]> {
  const found = await engine.read((tx) => sets.members(tx, ks, enc(key), NOW));
  assert.ok(found !== "WRONGTYPE");
  return found.map(dec).sort();
}

const scard = (engine: MemoryEngine, key: string) => engine.read((tx) => sets.cardinality(tx, ks, enc(key), NOW));

describe("sets over the engine", () => {
  test("50 concurrent SADDs of different members of one set all commit with zero conflicts", async () => {
    const engine = new MemoryEngine();
    await sadd(engine, "s", ["seed"]);
    const results = await overlappingWrites(engine, 50, (tx, i) => sets.addMembers(tx, ks, enc("s"), { members: [enc(`m${i}`)], nowMs: NOW }));
    assert.deepEqual(results, Array(50).fill(1));
    assert.equal(engine.stats.conflicts, 0);
    assert.equal(engine.stats.retries, 0);
    assert.equal(await scard(engine, "s"), 51);
  });

  test("concurrent SADDs of the same new member count it once", async () => {
    const engine = new MemoryEngine();
    await sadd(engine, "s", ["seed"]);
    const results = await overlappingWrites(engine, 5, (tx) => sets.addMembers(tx, ks, enc("s"), { members: [enc("same")], nowMs: NOW }));
    assert.equal(results.reduce<number>((a, b) => a + Number(b), 0), 1);
    assert.ok(engine.stats.conflicts > 0);
    assert.equal(await scard(engine, "s"), 2);
  });

  test("SREM of the last member deletes the key with its counter", async () => {
    const engine = new MemoryEngine();
    await sadd(engine, "s", ["a", "b"]);
    assert.equal(await engine.write((tx) => sets.removeMembers(tx, ks, enc("s"), { members: [enc("a"), enc("b"), enc("a")], nowMs: NOW })), 2);
    assert.equal(await scard(engine, "s"), 0);
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 0, expires: 0 });
    assert.equal(await engine.read(async (tx) => (await tx.getRange(ks.membersOfKey(enc("s")))).length), 0);
  });

  test("SPOP with a count removes that many distinct members, and the last pop deletes the set", async () => {
    const engine = new MemoryEngine();
    const all = Array.from({ length: 30 }, (_, i) => `m${i}`);
    await sadd(engine, "s", all);
    const popped: string[] = [];
    for (const count of [0, 1, 7, 10]) {
      const out = await engine.write((tx) => sets.popMembers(tx, ks, enc("s"), { count, nowMs: NOW }));
      assert.ok(Array.isArray(out));
      assert.equal(out.length, count);
      popped.push(...out.map(dec));
    }
    assert.equal(new Set(popped).size, 18);
    assert.equal(await scard(engine, "s"), 12);
    const left = await memberNames(engine, "s");
    for (const member of popped) assert.ok(!left.includes(member), `${member} was popped but is still a member`);
    const rest = await engine.write((tx) => sets.popMembers(tx, ks, enc("s"), { count: 100, nowMs: NOW }));
    assert.ok(Array.isArray(rest));
    assert.deepEqual(rest.map(dec).sort(), left);
    assert.equal(await engine.read((tx) => sets.popMembers(tx as never, ks, enc("s"), { count: 1, nowMs: NOW })), undefined);
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 0, expires: 0 });
  });

  test("SRANDMEMBER: positive counts are distinct and capped, negative counts repeat", async () => {
    const engine = new MemoryEngine();
    await sadd(engine, "s", ["a", "b", "c", "d"]);
    for (let round = 0; round < 20; round++) {
      const two = await engine.read((tx) => sets.randomMembers(tx, ks, enc("s"), { count: 2, nowMs: NOW }));
      assert.ok(Array.isArray(two));
      assert.equal(new Set(two.map(dec)).size, 2);
      const many = await engine.read((tx) => sets.randomMembers(tx, ks, enc("s"), { count: 10, nowMs: NOW }));
      assert.ok(Array.isArray(many));
      assert.deepEqual(many.map(dec).sort(), ["a", "b", "c", "d"]);
      const repeats = await engine.read((tx) => sets.randomMembers(tx, ks, enc("s"), { count: -9, nowMs: NOW }));
      assert.ok(Array.isArray(repeats));
      assert.equal(repeats.length, 9);
    }
  });

  test("set operations page through sets larger than one range read", async () => {
    const engine = new MemoryEngine();
    const size = MEMBER_PAGE * 2 + 500;
    const evens = Array.from({ length: size }, (_, i) => `n${i * 2}`);
    const threes = Array.from({ length: size }, (_, i) => `n${i * 3}`);
    for (let i = 0; i < size; i += 1000) {
      await sadd(engine, "evens", evens.slice(i, i + 1000));
      await sadd(engine, "threes", threes.slice(i, i + 1000));
    }
    const keys = [enc("evens"), enc("threes")];
    const inter = await engine.read((tx) => sets.combineSets(tx, ks, keys, { operation: "inter", nowMs: NOW }));
    const expected = evens.filter((m) => threes.includes(m));
    assert.ok(Array.isArray(inter));
    assert.deepEqual(inter.map(dec).sort(), [...expected].sort());
    assert.equal(await engine.read((tx) => sets.intersectionSize(tx, ks, keys, { limit: 0, nowMs: NOW })), expected.length);
    assert.equal(await engine.read((tx) => sets.intersectionSize(tx, ks, keys, { limit: 17, nowMs: NOW })), 17);
    const union = await engine.read((tx) => sets.combineSets(tx, ks, keys, { operation: "union", nowMs: NOW }));
    assert.ok(Array.isArray(union));
    assert.equal(union.length, new Set([...evens, ...threes]).size);
    const diff = await engine.write((tx) => sets.storeCombination(tx, ks, { destination: enc("d"), keys, operation: "diff", nowMs: NOW }));
    assert.equal(diff, size - expected.length);
    assert.equal(await scard(engine, "d"), diff);
  });

  test("a *STORE replaces a chunked string without leftovers, and an empty result deletes the destination", async () => {
    const engine = new MemoryEngine();
    await engine.write((tx) => strings.setString(tx, ks, enc("d"), new Uint8Array(50_000), { expireAt: NOW + 100_000, nowMs: NOW }));
    await sadd(engine, "a", ["1", "2"]);
    assert.equal(await engine.write((tx) => sets.storeCombination(tx, ks, { destination: enc("d"), keys: [enc("a")], operation: "union", nowMs: NOW })), 2);
    assert.deepEqual(await memberNames(engine, "d"), ["1", "2"]);
    // d: meta, counter, two members; a: the same; plus the key and expiry counters. No chunk left.
    assert.equal(await engine.read(async (tx) => (await tx.getRange(ks.all)).length), 4 + 4 + 2);
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 2, expires: 0 });
    assert.equal(await engine.write((tx) => sets.storeCombination(tx, ks, { destination: enc("d"), keys: [enc("a"), enc("nokey")], operation: "inter", nowMs: NOW })), 0);
    assert.equal(await scard(engine, "d"), 0);
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 1, expires: 0 });
  });

  test("SMOVE moves between sets and deletes the emptied source", async () => {
    const engine = new MemoryEngine();
    await sadd(engine, "src", ["a"]);
    const move = (member: string) => engine.write((tx) => sets.moveMember(tx, ks, { source: enc("src"), destination: enc("dst"), member: enc(member), nowMs: NOW }));
    assert.equal(await move("zz"), 0);
    assert.equal(await move("a"), 1);
    assert.equal(await scard(engine, "src"), 0);
    assert.deepEqual(await memberNames(engine, "dst"), ["a"]);
    assert.equal(await scard(engine, "dst"), 1);
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 1, expires: 0 });
  });

  test("a set too large for one transaction fails with the engine's limit error, not a hang", async () => {
    const engine = new MemoryEngine();
    // 2,200 members of 5,000 bytes: 11 MB of keys, written in batches under the limit.
    for (let batch = 0; batch < 11; batch++) {
      await sadd(engine, "huge", Array.from({ length: 200 }, (_, i) => {
        const member = new Uint8Array(5_000).fill(0x61);
        member.set(enc(`${batch}:${i}:`), 0);
        return member;
      }));
    }
    assert.equal(await scard(engine, "huge"), 2_200);
    await assert.rejects(
      async () => engine.write((tx) => sets.storeCombination(tx, ks, { destination: enc("copy"), keys: [enc("huge")], operation: "union", nowMs: NOW })),
      /exceeds 10000000 bytes/,
    );
    assert.equal(await scard(engine, "copy"), 0);
  });

  test("a member too long for the engine's key limit fails SADD before any write", async () => {
    const engine = new MemoryEngine();
    assert.equal(await sadd(engine, "s", ["ok", new Uint8Array(10_000)]), "MEMBER_TOO_LARGE");
    assert.equal(await scard(engine, "s"), 0);
    assert.deepEqual(await engine.read((tx) => sets.areMembers(tx, ks, enc("s"), { members: [new Uint8Array(10_000)], nowMs: NOW })), [false]);
  });
});
