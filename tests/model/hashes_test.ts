import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { readCardinality } from "../../src/model/collections.ts";
import * as hashes from "../../src/model/hashes.ts";
import { Keyspace } from "../../src/model/keyspace.ts";
import { keyCounts } from "../../src/model/keys.ts";
import { parseLongDouble } from "../../src/model/long_double.ts";
import { RawClient } from "../support/raw_client.ts";
import { startInProcess } from "../support/servers.ts";
import { overlappingWrites } from "../support/overlapping_writes.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const ks = new Keyspace("t", 0);
const NOW = 1_700_000_000_000;
const H = enc("h");

function filler(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 131 + seed) & 0xff;
  return out;
}

async function engineKeys(engine: MemoryEngine): Promise<number> {
  return engine.read(async (tx) => (await tx.getRange(ks.all)).length);
}

function hset(engine: MemoryEngine, pairs: Array<[string, string | Uint8Array]>) {
  return engine.write((tx) => hashes.setFields(tx, ks, H, { pairs: pairs.map(([f, v]) => [enc(f), typeof v === "string" ? enc(v) : v] as const), nowMs: NOW }));
}

describe("hashes over the engine", () => {
  test("50 concurrent HSETs of different fields of one hash all commit with zero conflicts", async () => {
    const engine = new MemoryEngine();
    await hset(engine, [["seed", "0"]]);
    const before = engine.stats;
    const results = await overlappingWrites(engine, 50, (tx, i) => hashes.setFields(tx, ks, H, { pairs: [[enc(`f${i}`), enc(String(i))]], nowMs: NOW }));
    assert.deepEqual(results, Array(50).fill(1));
    assert.equal(engine.stats.conflicts - before.conflicts, 0, "writers of different fields conflicted");
    assert.equal(engine.stats.retries - before.retries, 0, "writers of different fields were retried");
    assert.equal(await engine.read((tx) => hashes.hashLength(tx, ks, H, NOW)), 51);
    assert.deepEqual(await engine.read((tx) => hashes.getField(tx, ks, H, { field: enc("f17"), nowMs: NOW })), enc("17"));
  });

  test("two interleaved transactions on different fields both commit without retries", async () => {
    const engine = new MemoryEngine();
    await hset(engine, [["a", "0"]]);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The first reads, waits until the second has committed, then writes.
    const first = engine.write(async (tx) => {
      const result = await hashes.setFields(tx, ks, H, { pairs: [[enc("x"), enc("1")]], nowMs: NOW });
      await gate;
      return result;
    });
    const second = await hset(engine, [["y", "2"]]);
    release();
    assert.equal(await first, 1);
    assert.equal(second, 1);
    assert.equal(engine.stats.conflicts, 0);
    assert.equal(engine.stats.retries, 0);
    assert.equal(await engine.read((tx) => hashes.hashLength(tx, ks, H, NOW)), 3);
  });

  test("concurrent HSETs of the same new field do not double-count HLEN", async () => {
    const engine = new MemoryEngine();
    await hset(engine, [["seed", "0"]]);
    const results = await overlappingWrites(engine, 5, (tx, i) => hashes.setFields(tx, ks, H, { pairs: [[enc("same"), enc(String(i))]], nowMs: NOW }));
    assert.equal(results.reduce<number>((a, b) => a + Number(b), 0), 1, "exactly one writer created the field");
    assert.ok(engine.stats.conflicts > 0, "writers of the same field must conflict");
    assert.equal(await engine.read((tx) => hashes.hashLength(tx, ks, H, NOW)), 2);
  });

  test("HDEL of the last field deletes the key, its counter and every member", async () => {
    const engine = new MemoryEngine();
    await hset(engine, [["a", "1"], ["b", filler(25_000, 1)]]);
    assert.equal(await engine.write((tx) => hashes.deleteFields(tx, ks, H, { fields: [enc("a"), enc("a"), enc("zz")], nowMs: NOW })), 1);
    assert.equal(await engine.read((tx) => hashes.hashLength(tx, ks, H, NOW)), 1);
    assert.equal(await engine.write((tx) => hashes.deleteFields(tx, ks, H, { fields: [enc("b")], nowMs: NOW })), 1);
    assert.equal(await engine.read((tx) => hashes.hashLength(tx, ks, H, NOW)), 0);
    assert.deepEqual(await engine.read((tx) => keyCounts(tx, ks)), { keys: 0, expires: 0 });
    // Only the database's key counter remains.
    assert.equal(await engineKeys(engine), 1);
    assert.equal(await engine.read((tx) => readCardinality(tx, ks, H, 0)), 0);
  });

  test("values around and past the chunk size round-trip, and overwrites leave no chunk behind", async () => {
    const engine = new MemoryEngine();
    const sizes = [0, 1, hashes.VALUE_CHUNK_BYTES - 1, hashes.VALUE_CHUNK_BYTES, hashes.VALUE_CHUNK_BYTES + 1, 3 * hashes.VALUE_CHUNK_BYTES, 1_000_003];
    for (const size of sizes) {
      const value = filler(size, size);
      await hset(engine, [[`f${size}`, value]]);
      assert.deepEqual(await engine.read((tx) => hashes.getField(tx, ks, H, { field: enc(`f${size}`), nowMs: NOW })), value, `${size} bytes`);
      assert.equal(await engine.read((tx) => hashes.fieldLength(tx, ks, H, { field: enc(`f${size}`), nowMs: NOW })), size);
    }
    const all = await engine.read((tx) => hashes.getAll(tx, ks, H, NOW));
    assert.ok(all !== "WRONGTYPE");
    assert.deepEqual(all.map(([f, v]) => [dec(f), v.length]).sort(), sizes.map((s) => [`f${s}`, s]).sort());
    for (const size of sizes) await hset(engine, [[`f${size}`, "x"]]);
    // Meta, counter, one key per field and the key counter: no chunk left.
    assert.equal(await engineKeys(engine), 1 + 1 + sizes.length + 1);
  });

  test("a field too long for the engine's key limit fails the whole HSET before any write", async () => {
    const engine = new MemoryEngine();
    const result = await engine.write((tx) => hashes.setFields(tx, ks, H, { pairs: [[enc("ok"), enc("1")], [new Uint8Array(10_000), enc("v")]], nowMs: NOW }));
    assert.equal(result, "MEMBER_TOO_LARGE");
    assert.equal(await engineKeys(engine), 0);
    assert.equal(await engine.read((tx) => hashes.getField(tx, ks, H, { field: new Uint8Array(10_000), nowMs: NOW })), undefined);
  });

  test("HINCRBY and HINCRBYFLOAT keep Redis's arithmetic and texts", async () => {
    const engine = new MemoryEngine();
    const incr = (delta: bigint) => engine.write((tx) => hashes.incrementField(tx, ks, H, { field: enc("n"), delta, nowMs: NOW }));
    assert.equal(await incr(5n), 5n);
    assert.equal(await incr(9223372036854775807n), "OVERFLOW");
    const incrFloat = (field: string, text: string) =>
      engine.write(async (tx) => {
        const result = await hashes.incrementFieldByFloat(tx, ks, H, { field: enc(field), increment: parseLongDouble(enc(text)) as never, nowMs: NOW });
        return typeof result === "string" ? result : dec(result);
      });
    assert.equal(await incrFloat("f", "10.5"), "10.5");
    assert.equal(await incrFloat("f", "0.1"), "10.6");
    assert.equal(await incrFloat("f", "-10.6"), "0");
    assert.equal(await incrFloat("n", "0.5"), "5.5");
    assert.equal(await incr(1n), "HASH_VALUE_NOT_INTEGER");
    await hset(engine, [["s", "abc"]]);
    assert.equal(await incrFloat("s", "1"), "HASH_VALUE_NOT_FLOAT");
    assert.equal(await engine.read((tx) => hashes.hashLength(tx, ks, H, NOW)), 3);
  });

  test("HRANDFIELD: positive counts are distinct and capped, negative counts repeat", async () => {
    const engine = new MemoryEngine();
    await hset(engine, Array.from({ length: 20 }, (_, i): [string, string] => [`f${i}`, `v${i}`]));
    for (let round = 0; round < 20; round++) {
      const five = await engine.read((tx) => hashes.randomFields(tx, ks, H, { count: 5, withValues: true, nowMs: NOW }));
      assert.ok(Array.isArray(five));
      assert.equal(new Set(five.map(([f]) => dec(f))).size, 5);
      for (const [f, v] of five) assert.equal(dec(v), dec(f).replace("f", "v"));
      const all = await engine.read((tx) => hashes.randomFields(tx, ks, H, { count: 50, withValues: false, nowMs: NOW }));
      assert.ok(Array.isArray(all));
      assert.equal(new Set(all.map(([f]) => dec(f))).size, 20);
      const repeats = await engine.read((tx) => hashes.randomFields(tx, ks, H, { count: -100, withValues: false, nowMs: NOW }));
      assert.ok(Array.isArray(repeats));
      assert.equal(repeats.length, 100);
    }
    assert.equal(await engine.read((tx) => hashes.randomFields(tx, ks, enc("nokey"), { count: 3, withValues: false, nowMs: NOW })), undefined);
  });

  test("HSCAN pages resume after the last field and see every field once", async () => {
    const engine = new MemoryEngine();
    const fields = Array.from({ length: 23 }, (_, i): [string, string] => [`f${String(i).padStart(2, "0")}`, `v${i}`]);
    await hset(engine, fields);
    const seen: string[] = [];
    let after: Uint8Array | undefined;
    let pages = 0;
    do {
      const page = await engine.read((tx) => hashes.scanFields(tx, ks, H, { after, limit: 5, nowMs: NOW }));
      assert.ok(page !== undefined && page !== "WRONGTYPE");
      for (const [f, v] of page.entries) seen.push(`${dec(f)}=${dec(v)}`);
      after = page.resumeAfter;
      pages++;
    } while (after !== undefined);
    assert.equal(pages, 5);
    assert.deepEqual(seen, fields.map(([f, v]) => `${f}=${v}`));
  });

  test("HSCAN NOVALUES and HRANDFIELD's repeat cap through the server", async () => {
    const running = await startInProcess();
    const client = await RawClient.connect(running.port);
    try {
      assert.equal(await client.call("HSET", "h", "a", "1", "b", "2"), ":2\r\n");
      assert.equal(await client.call("HSCAN", "h", "0", "NOVALUES"), "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n");
      assert.equal(await client.call("HSCAN", "h", "0", "MATCH", "b", "NOVALUES"), "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nb\r\n");
      assert.equal(await client.call("HSCAN", "h", "0", "NOVALUES", "x"), "-ERR syntax error\r\n");
      // A page of COUNT 1 hands out a decimal cursor that resumes after the field returned.
      const items: string[] = [];
      let cursor = "0";
      do {
        const reply = await client.call("HSCAN", "h", cursor, "COUNT", "1", "NOVALUES");
        const match = /^\*2\r\n\$\d+\r\n(\d+)\r\n\*(\d+)\r\n(.*)$/s.exec(reply);
        assert.ok(match, reply);
        cursor = match[1]!;
        if (match[3]) items.push(...match[3].split("\r\n").filter((line) => line !== "" && !line.startsWith("$")));
      } while (cursor !== "0");
      assert.deepEqual(items, ["a", "b"]);
      assert.match(await client.call("HRANDFIELD", "h", "-1000001"), /^-ERR count is too large/);
      assert.equal(await client.call("HRANDFIELD", "nokey", "-1000001"), "*0\r\n");
      assert.match(await client.call("HSCAN", "h", "12345"), /^-ERR invalid cursor/);
    } finally {
      client.close();
      await running.stop();
    }
  });
});
