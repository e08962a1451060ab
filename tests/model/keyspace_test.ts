// Model tests for the keyspace commands: expiry (EXPIRE family, TTL family,
// PERSIST), RENAME/COPY of any type, RANDOMKEY, OBJECT ENCODING and MEMORY
// USAGE, on the memory engine.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import type { Txn } from "../../src/engine/contract.ts";
import { packTuple, prefixRange } from "../../src/engine/tuple.ts";
import { ALL_COMMANDS } from "../../src/commands/table.ts";
import { copyKey, renameKey } from "../../src/model/copy.ts";
import { putMeta } from "../../src/model/db.ts";
import { sweepBucket } from "../../src/model/expiry.ts";
import { EXPIRY_BUCKETS, Keyspace } from "../../src/model/keyspace.ts";
import { keyCounts, RANDOM_EXACT_KEYS, randomKey } from "../../src/model/keys.ts";
import { KeyType } from "../../src/model/meta.ts";
import { memoryUsage, objectEncoding, objectRefcount } from "../../src/model/object_info.ts";
import * as hashes from "../../src/model/hashes.ts";
import * as sets from "../../src/model/sets.ts";
import * as strings from "../../src/model/strings.ts";
import { persist, setExpiry, timeToLive } from "../../src/model/ttl.ts";
import { SimpleString } from "../../src/resp/reply.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));
const ks = new Keyspace("t", 0);
const ks1 = new Keyspace("t", 1);
const NOW = 1_700_000_000_000;
const K = enc("k");

async function setString(engine: MemoryEngine, key: string, value: Uint8Array | string, expireAt = 0, space = ks): Promise<void> {
  await engine.write((tx) => strings.setString(tx, space, enc(key), typeof value === "string" ? enc(value) : value, { expireAt, nowMs: NOW }));
}

/** A collection written the way the hash and set models do: meta, fields under the generation, a cardinality counter. */
function writeCollection(tx: Txn, space: Keyspace, key: Uint8Array, collection: { type: KeyType; fields: Array<[string, string]>; gen?: number; expireAt?: number }): void {
  const gen = collection.gen ?? 0;
  putMeta(tx, space, key, undefined, { type: collection.type, flags: 0, expireAt: collection.expireAt ?? 0, gen, body: new Uint8Array(0) });
  for (const [field, value] of collection.fields) tx.set(space.fieldKey(key, gen, enc(field)), enc(value));
  tx.add(space.cardinalityKey(key, gen), BigInt(collection.fields.length));
}

/** How many engine entries the database holds (metas, members, counters). */
async function engineEntries(engine: MemoryEngine, space = ks): Promise<number> {
  return engine.read(async (tx) => (await tx.getRange(space.all)).length);
}

/** Entries of the global expiry index (every tenant: these tests use one). */
async function expiryIndexSize(engine: MemoryEngine): Promise<number> {
  return engine.read(async (tx) => (await tx.getRange(prefixRange(packTuple([null, "x"])))).length);
}

const ttlOf = (engine: MemoryEngine, key: Uint8Array, unit: "s" | "ms" = "ms", nowMs = NOW) =>
  engine.read((tx) => timeToLive(tx, ks, key, { nowMs, unit, absolute: false }));

describe("expiry", () => {
  test("setExpiry sets, replaces and removes a TTL, keeping the expires counter and the index exact", async () => {
    const engine = new MemoryEngine();
    await setString(engine, "k", "v");
    assert.equal(await engine.write((tx) => setExpiry(tx, ks, { key: K, expireAt: NOW + 10_000, conditions: {}, nowMs: NOW })), 1);
    assert.equal(await ttlOf(engine, K), 10_000);
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 1, expires: 1 });
    assert.equal(await expiryIndexSize(engine), 1);
    await engine.write((tx) => setExpiry(tx, ks, { key: K, expireAt: NOW + 20_000, conditions: {}, nowMs: NOW }));
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 1, expires: 1 });
    assert.equal(await expiryIndexSize(engine), 1, "the old index entry is replaced");
    assert.equal(await engine.write((tx) => persist(tx, ks, K, NOW)), 1);
    assert.equal(await engine.write((tx) => persist(tx, ks, K, NOW)), 0);
    assert.equal(await ttlOf(engine, K), -1);
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 1, expires: 0 });
    assert.equal(await expiryIndexSize(engine), 0);
  });

  test("a time not after now deletes the key with its members and replies 1; a missing key replies 0", async () => {
    const engine = new MemoryEngine();
    await setString(engine, "k", new Uint8Array(25_000).fill(7), NOW + 5_000);
    assert.equal(await engine.write((tx) => setExpiry(tx, ks, { key: K, expireAt: NOW, conditions: {}, nowMs: NOW })), 1);
    assert.equal(await engineEntries(engine), 2, "only the two counters remain");
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 0, expires: 0 });
    assert.equal(await expiryIndexSize(engine), 0);
    assert.equal(await engine.write((tx) => setExpiry(tx, ks, { key: K, expireAt: NOW + 1, conditions: {}, nowMs: NOW })), 0);
  });

  test("NX, XX, GT and LT: no TTL counts as infinite", async () => {
    const engine = new MemoryEngine();
    await setString(engine, "k", "v");
    const expire = (expireAt: number, conditions: Parameters<typeof setExpiry>[2]["conditions"]) =>
      engine.write((tx) => setExpiry(tx, ks, { key: K, expireAt, conditions, nowMs: NOW }));
    assert.equal(await expire(NOW + 100, { xx: true }), 0);
    assert.equal(await expire(NOW + 100, { gt: true }), 0, "GT on a key without TTL never applies");
    assert.equal(await expire(NOW + 100, { lt: true }), 1, "LT on a key without TTL always applies");
    assert.equal(await expire(NOW + 200, { nx: true }), 0);
    assert.equal(await expire(NOW + 100, { gt: true }), 0, "GT needs a strictly later time");
    assert.equal(await expire(NOW + 200, { gt: true, xx: true }), 1);
    assert.equal(await expire(NOW + 200, { lt: true }), 0, "LT needs a strictly earlier time");
    assert.equal(await expire(NOW + 150, { lt: true }), 1);
    assert.equal(await ttlOf(engine, K), 150);
    assert.equal(await expire(NOW - 1, { gt: true }), 0, "a blocked past time does not delete");
    assert.equal(await ttlOf(engine, K), 150);
  });

  test("TTL rounds (ms + 500) / 1000; EXPIRETIME is absolute; huge times clamp to int64", async () => {
    const engine = new MemoryEngine();
    await setString(engine, "k", "v", NOW + 1_499);
    assert.equal(await ttlOf(engine, K, "s"), 1);
    await setString(engine, "k", "v", NOW + 1_500);
    assert.equal(await ttlOf(engine, K, "s"), 2);
    await setString(engine, "k", "v", NOW + 499);
    assert.equal(await ttlOf(engine, K, "s"), 0);
    assert.equal(await engine.read((tx) => timeToLive(tx, ks, K, { nowMs: NOW, unit: "ms", absolute: true })), NOW + 499);
    assert.equal(await engine.read((tx) => timeToLive(tx, ks, K, { nowMs: NOW, unit: "s", absolute: true })), Math.floor((NOW + 999) / 1000));
    assert.equal(await ttlOf(engine, enc("missing")), -2);
    await engine.write((tx) => setExpiry(tx, ks, { key: K, expireAt: Number(9223372036854775807n), conditions: {}, nowMs: NOW }));
    assert.equal(await engine.read((tx) => timeToLive(tx, ks, K, { nowMs: NOW, unit: "ms", absolute: true })), 9223372036854775807n);
    assert.equal(await engine.read((tx) => timeToLive(tx, ks, K, { nowMs: NOW, unit: "s", absolute: true })), 9223372036854776n);
  });

  test("an expired key is gone for TTL and EXPIRE, and the sweeper reclaims it without any read", async () => {
    const engine = new MemoryEngine();
    await setString(engine, "k", "v", NOW + 100);
    assert.equal(await ttlOf(engine, K, "ms", NOW + 101), -2);
    assert.equal(await engine.write((tx) => setExpiry(tx, ks, { key: enc("k"), expireAt: NOW + 10_000, conditions: {}, nowMs: NOW + 101 })), 0);
    await setString(engine, "j", "v");
    await engine.write((tx) => setExpiry(tx, ks, { key: enc("j"), expireAt: NOW + 100, conditions: {}, nowMs: NOW }));
    let removed = 0;
    for (let bucket = 0; bucket < EXPIRY_BUCKETS; bucket++) {
      removed += (await engine.write((tx) => sweepBucket(tx, { bucket, nowMs: NOW + 200, limit: 10, keyspaceOfSlot: () => ks }))).removed;
    }
    assert.equal(removed, 1, "k was already reclaimed by the EXPIRE that found it expired");
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 0, expires: 0 });
    assert.equal(await expiryIndexSize(engine), 0);
  });

  test("concurrent EXPIREs of different keys do not conflict", async () => {
    const engine = new MemoryEngine();
    await setString(engine, "a", "1");
    await setString(engine, "b", "2");
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const first = engine.write(async (tx) => {
      const reply = await setExpiry(tx, ks, { key: enc("a"), expireAt: NOW + 1_000, conditions: {}, nowMs: NOW });
      if (runs++ === 0) await gate;
      return reply;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await engine.write((tx) => setExpiry(tx, ks, { key: enc("b"), expireAt: NOW + 2_000, conditions: { nx: true }, nowMs: NOW }));
    await engine.write((tx) => persist(tx, ks, enc("b"), NOW));
    release();
    assert.equal(await first, 1);
    assert.deepEqual([engine.stats.conflicts, engine.stats.retries], [0, 0]);
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 2, expires: 1 });
  });
});

describe("RENAME and COPY", () => {
  test("RENAME moves a chunked string and its TTL; the counters follow", async () => {
    const engine = new MemoryEngine();
    const value = new Uint8Array(35_000).map((_, i) => i * 7);
    await setString(engine, "src", value, NOW + 5_000);
    await setString(engine, "dst", "old", NOW + 9_000);
    const outcome = await engine.write((tx) => renameKey(tx, ks, { source: enc("src"), destination: enc("dst"), onlyIfAbsent: false, nowMs: NOW }));
    assert.equal(outcome, "RENAMED");
    assert.deepEqual(await engine.read((tx) => strings.getString(tx, ks, enc("dst"), NOW)), value);
    assert.equal(await ttlOf(engine, enc("dst")), 5_000);
    assert.equal(await engine.read((tx) => strings.getString(tx, ks, enc("src"), NOW)), undefined);
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 1, expires: 1 });
    assert.equal(await expiryIndexSize(engine), 1);
    // meta + 4 chunks + 2 counters: nothing of the source or of the old destination is left.
    assert.equal(await engineEntries(engine), 7);
  });

  test("RENAME re-keys every member of any type, the cardinality counter included, under a new generation", async () => {
    const engine = new MemoryEngine();
    const fields: Array<[string, string]> = [["f1", "v1"], ["f\u0000bin", "v2"], ["", "empty field"]];
    await engine.write(async (tx) => writeCollection(tx, ks, enc("h"), { type: KeyType.Hash, fields, gen: 4, expireAt: NOW + 1_000 }));
    await engine.write(async (tx) => writeCollection(tx, ks, enc("g"), { type: KeyType.Set, fields: [["x", ""]], gen: 2 }));
    assert.equal(await engine.write((tx) => renameKey(tx, ks, { source: enc("h"), destination: enc("g"), onlyIfAbsent: true, nowMs: NOW })), "DESTINATION_EXISTS");
    assert.equal(await engine.write((tx) => renameKey(tx, ks, { source: enc("h"), destination: enc("g"), onlyIfAbsent: false, nowMs: NOW })), "RENAMED");
    const copied = await engine.read(async (tx) => {
      const meta = (await tx.get(ks.metaKey(enc("g"))))!;
      const gen = new DataView(meta.buffer, meta.byteOffset + 12, 8).getFloat64(0, true);
      const entries = await tx.getRange(ks.fieldsRange(enc("g"), gen));
      const card = await tx.get(ks.cardinalityKey(enc("g"), gen));
      return {
        type: meta[1],
        gen,
        fields: entries.map((e) => [dec(ks.fieldOf(e.key, enc("g"), gen)), dec(e.value)]),
        card: card && new DataView(card.buffer, card.byteOffset, 8).getBigInt64(0, true),
        source: (await tx.getRange(ks.membersOfKey(enc("h")))).length,
      };
    });
    assert.equal(copied.type, KeyType.Hash);
    assert.equal(copied.gen, 3, "the destination's generation moves past the replaced value's");
    assert.deepEqual(copied.fields, [["", "empty field"], ["f\u0000bin", "v2"], ["f1", "v1"]]);
    assert.equal(copied.card, 3n);
    assert.equal(copied.source, 0);
    assert.equal(await ttlOf(engine, enc("g")), 1_000);
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 1, expires: 1 });
  });

  test("RENAME and COPY of real hashes and sets: long chunked values, counters and encodings follow", async () => {
    const engine = new MemoryEngine();
    const long = new Uint8Array(45_000).map((_, i) => (i * 13) & 0xff);
    await engine.write((tx) => hashes.setFields(tx, ks, enc("h"), { pairs: [[enc("small"), enc("v")], [enc("long"), long]], nowMs: NOW }));
    await engine.write((tx) => sets.addMembers(tx, ks, enc("s"), { members: [enc("1"), enc("2"), enc("3")], nowMs: NOW }));
    assert.equal(await engine.read((tx) => objectEncoding(tx, ks, enc("h"), NOW)), "hashtable");
    assert.equal(await engine.write((tx) => renameKey(tx, ks, { source: enc("h"), destination: enc("s"), onlyIfAbsent: false, nowMs: NOW })), "RENAMED");
    assert.deepEqual(await engine.read((tx) => hashes.getField(tx, ks, enc("s"), { field: enc("long"), nowMs: NOW })), long);
    assert.equal(await engine.read((tx) => hashes.hashLength(tx, ks, enc("s"), NOW)), 2);
    await engine.write((tx) => sets.addMembers(tx, ks, enc("set"), { members: [enc("7"), enc("-8")], nowMs: NOW }));
    assert.equal(
      await engine.write((tx) => copyKey(tx, { source: { ks, key: enc("set") }, destination: { ks, key: enc("copy") }, replace: false, nowMs: NOW })),
      "COPIED",
    );
    await engine.write((tx) => sets.removeMembers(tx, ks, enc("set"), { members: [enc("7"), enc("-8")], nowMs: NOW }));
    assert.deepEqual((await engine.read((tx) => sets.members(tx, ks, enc("copy"), NOW)) as Uint8Array[]).map(dec).sort(), ["-8", "7"]);
    assert.equal(await engine.read((tx) => sets.cardinality(tx, ks, enc("copy"), NOW)), 2);
    assert.equal(await engine.read((tx) => objectEncoding(tx, ks, enc("copy"), NOW)), "intset");
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 2, expires: 0 });
  });

  test("RENAME of a missing key and onto itself", async () => {
    const engine = new MemoryEngine();
    const rename = (source: string, destination: string, onlyIfAbsent: boolean) =>
      engine.write((tx) => renameKey(tx, ks, { source: enc(source), destination: enc(destination), onlyIfAbsent, nowMs: NOW }));
    assert.equal(await rename("nope", "x", false), "NO_SUCH_KEY");
    assert.equal(await rename("nope", "nope", false), "NO_SUCH_KEY");
    await setString(engine, "a", "1", NOW + 1_000);
    assert.equal(await rename("a", "a", false), "RENAMED");
    assert.equal(await rename("a", "a", true), "DESTINATION_EXISTS");
    assert.equal(await ttlOf(engine, enc("a")), 1_000);
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 1, expires: 1 });
  });

  test("COPY to another database keeps the source, copies members and TTL, and needs REPLACE over an existing key", async () => {
    const engine = new MemoryEngine();
    await engine.write(async (tx) => writeCollection(tx, ks, enc("s"), { type: KeyType.Set, fields: [["1", ""], ["2", ""]], expireAt: NOW + 3_000 }));
    await setString(engine, "s", "occupied", 0, ks1);
    const copy = (replace: boolean) =>
      engine.write((tx) => copyKey(tx, { source: { ks, key: enc("s") }, destination: { ks: ks1, key: enc("s") }, replace, nowMs: NOW }));
    assert.equal(await copy(false), "DESTINATION_EXISTS");
    assert.equal(await copy(true), "COPIED");
    assert.equal(await engine.read((tx) => objectEncoding(tx, ks1, enc("s"), NOW)), "intset");
    assert.equal(await engine.read((tx) => timeToLive(tx, ks1, enc("s"), { nowMs: NOW, unit: "ms", absolute: false })), 3_000);
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks1)), { keys: 1, expires: 1 });
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 1, expires: 1 });
    assert.equal(await engine.read(async (tx) => (await tx.getRange(ks1.membersOfKey(enc("s")))).length), 3);
    assert.equal(
      await engine.write((tx) => copyKey(tx, { source: { ks, key: enc("none") }, destination: { ks, key: enc("x") }, replace: true, nowMs: NOW })),
      "NO_SOURCE",
    );
  });
});

describe("RANDOMKEY", () => {
  test("nil on an empty or all-expired database; a live key past expired ones", async () => {
    const engine = new MemoryEngine();
    assert.equal(await engine.read((tx) => randomKey(tx, ks, { nowMs: NOW })), undefined);
    for (let i = 0; i < 100; i++) await setString(engine, `gone:${i}`, "v", NOW + 10);
    assert.equal(await engine.read((tx) => randomKey(tx, ks, { nowMs: NOW + 20 })), undefined);
    await setString(engine, "a", "v");
    await setString(engine, "z", "v");
    for (const random of [() => 0, () => 0.5, () => 0.999999]) {
      const picked = dec(await engine.read((tx) => randomKey(tx, ks, { nowMs: NOW + 20, random })));
      assert.ok(picked === "a" || picked === "z", `picked ${picked}`);
    }
  });

  test("picks different keys over many draws, wrapping around past the last key", async () => {
    const engine = new MemoryEngine();
    for (let i = 0; i < 40; i++) await setString(engine, `user:${i}`, "v");
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(dec(await engine.read((tx) => randomKey(tx, ks, { nowMs: NOW })))!);
    assert.ok(seen.size >= 10, `only ${seen.size} distinct keys in 200 draws`);
    assert.ok([...seen].every((k) => k.startsWith("user:")));
    assert.equal(dec(await engine.read((tx) => randomKey(tx, ks, { nowMs: NOW, random: () => 0 }))), "user:0");
  });

  test("a small database is drawn from uniformly: each live key once over evenly spread draws, expired ones never", async () => {
    const engine = new MemoryEngine();
    for (let i = 0; i < 10; i++) await setString(engine, `k${i}`, "v");
    for (let i = 0; i < 5; i++) await setString(engine, `gone${i}`, "v", NOW + 10);
    const picked: string[] = [];
    for (let i = 0; i < 10; i++) picked.push(dec(await engine.read((tx) => randomKey(tx, ks, { nowMs: NOW + 20, random: () => (i + 0.5) / 10 })))!);
    assert.deepEqual(picked.sort(), Array.from({ length: 10 }, (_, i) => `k${i}`).sort());
  });

  test(`past ${RANDOM_EXACT_KEYS} keys it picks from a random point, and still answers only live keys of its database`, async () => {
    const engine = new MemoryEngine();
    const other = new Keyspace("t", 1);
    await setString(engine, "x", "v");
    for (let i = 0; i < RANDOM_EXACT_KEYS; i++) await setString(engine, `gone:${String(i).padStart(4, "0")}`, "v", NOW + 10);
    for (let i = 0; i < 20; i++) await setString(engine, `live:${i}`, "v");
    await setString(engine, "other-db", "v", 0, other);
    for (const random of [() => 0, () => 0.3, () => 0.6, () => 0.999999]) {
      const picked = dec(await engine.read((tx) => randomKey(tx, ks, { nowMs: NOW + 20, random })))!;
      assert.ok(picked.startsWith("live:") || picked === "x", `picked ${picked}`);
    }
  });
});

describe("OBJECT ENCODING, REFCOUNT and MEMORY USAGE", () => {
  test("strings: int, embstr up to 44 bytes, raw beyond and when chunked", async () => {
    const engine = new MemoryEngine();
    const encodingOf = async (value: string | Uint8Array) => {
      await setString(engine, "k", value);
      return engine.read((tx) => objectEncoding(tx, ks, K, NOW));
    };
    assert.equal(await encodingOf("123"), "int");
    assert.equal(await encodingOf("-9223372036854775808"), "int");
    assert.equal(await encodingOf("9223372036854775808"), "embstr");
    assert.equal(await encodingOf("007"), "embstr");
    assert.equal(await encodingOf("a".repeat(44)), "embstr");
    assert.equal(await encodingOf("a".repeat(45)), "raw");
    assert.equal(await encodingOf(new Uint8Array(20_000)), "raw");
    assert.equal(await engine.read((tx) => objectEncoding(tx, ks, enc("nope"), NOW)), undefined);
    await setString(engine, "k", "42");
    assert.equal(await engine.read((tx) => objectRefcount(tx, ks, K, NOW)), 2147483647);
    await setString(engine, "k", "10000");
    assert.equal(await engine.read((tx) => objectRefcount(tx, ks, K, NOW)), 1);
  });

  test("sets are intset up to 512 integers, hashes listpack up to 512 entries of 64 bytes", async () => {
    const engine = new MemoryEngine();
    const encodingOf = async (type: KeyType, fields: Array<[string, string]>) => {
      await engine.write(async (tx) => {
        tx.clearRange(ks.all);
        writeCollection(tx, ks, K, { type, fields });
      });
      return engine.read((tx) => objectEncoding(tx, ks, K, NOW));
    };
    const ints = (n: number): Array<[string, string]> => Array.from({ length: n }, (_, i) => [String(i - 5), ""]);
    assert.equal(await encodingOf(KeyType.Set, ints(512)), "intset");
    assert.equal(await encodingOf(KeyType.Set, ints(513)), "hashtable");
    assert.equal(await encodingOf(KeyType.Set, [["1", ""], ["a", ""]]), "hashtable");
    assert.equal(await encodingOf(KeyType.Set, [["01", ""]]), "hashtable");
    const pairs = (n: number, size = 5): Array<[string, string]> => Array.from({ length: n }, (_, i) => [`f${i}`, "v".repeat(size)]);
    assert.equal(await encodingOf(KeyType.Hash, pairs(512)), "listpack");
    assert.equal(await encodingOf(KeyType.Hash, pairs(513)), "hashtable");
    assert.equal(await encodingOf(KeyType.Hash, pairs(3, 64)), "listpack");
    assert.equal(await encodingOf(KeyType.Hash, pairs(3, 65)), "hashtable");
    assert.equal(await encodingOf(KeyType.Hash, [["f".repeat(65), "v"]]), "hashtable");
    assert.equal(await encodingOf(KeyType.List, [["ignored", ""]]), "quicklist");
  });

  test("MEMORY USAGE counts the key, the meta and the members; large collections are extrapolated from samples", async () => {
    const engine = new MemoryEngine();
    await setString(engine, "k", "v");
    const small = await engine.read((tx) => memoryUsage(tx, ks, K, { nowMs: NOW, samples: 5 }));
    assert.ok(small !== undefined && small > 20 && small < 100, `small string: ${small}`);
    await setString(engine, "k", new Uint8Array(50_000));
    const big = (await engine.read((tx) => memoryUsage(tx, ks, K, { nowMs: NOW, samples: 5 })))!;
    assert.ok(big >= 50_000 && big < 51_000, `chunked string: ${big}`);
    const fields = Array.from({ length: 1_000 }, (_, i): [string, string] => [`field:${String(i).padStart(4, "0")}`, "x".repeat(100)]);
    await engine.write(async (tx) => writeCollection(tx, ks, enc("h"), { type: KeyType.Hash, fields }));
    const exact = (await engine.read((tx) => memoryUsage(tx, ks, enc("h"), { nowMs: NOW, samples: 0 })))!;
    const sampled = (await engine.read((tx) => memoryUsage(tx, ks, enc("h"), { nowMs: NOW, samples: 5 })))!;
    assert.ok(exact > 1_000 * 110, `exact: ${exact}`);
    assert.ok(Math.abs(sampled - exact) / exact < 0.05, `sampled ${sampled} vs exact ${exact}`);
    assert.equal(await engine.read((tx) => memoryUsage(tx, ks, enc("nope"), { nowMs: NOW, samples: 5 })), undefined);
  });

  test("OBJECT HELP and MEMORY HELP list their subcommands as status lines", () => {
    const help = (container: string) => {
      const spec = ALL_COMMANDS.find((c) => c.name === container)!.subcommands!.find((s) => s.name === "help")!;
      if (spec.access !== "none") throw new Error("HELP runs without a transaction");
      return spec.exec({} as never, undefined) as SimpleString[];
    };
    // Sent as ["OBJECT", "HELP"] and ["MEMORY", "HELP"].
    assert.match(help("object")[0]!.text, /^OBJECT <subcommand>/);
    assert.deepEqual(help("memory").map((line) => line.text).filter((line) => !line.startsWith(" ")), [
      "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "USAGE <key> [SAMPLES <count>]",
      "DOCTOR",
      "MALLOC-STATS",
      "PURGE",
      "STATS",
      "HELP",
    ]);
  });
});
