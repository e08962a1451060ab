// The stream model over the memory engine (src/model/streams.ts): what each
// command touches in the engine (one entry key per XADD, a bounded range per
// read, range clears for trims, the header in the meta), and that large
// entries' chunks go with their entry. The replies themselves are checked
// against redis-server in tests/commands/streams_test.ts.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { KeyRange, KeyValue, MaybePromise, RangeOptions, ReadTxn, Txn } from "../../src/engine/contract.ts";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { Keyspace } from "../../src/model/keyspace.ts";
import { formatId, MAX_ID, MIN_ID, type StreamId } from "../../src/model/stream_id.ts";
import * as streams from "../../src/model/streams.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const ks = new Keyspace("t", 0);
const NOW = 1_700_000_000_000;
const K = enc("stream");
const id = (ms: number, seq = 0): StreamId => ({ ms: BigInt(ms), seq: BigInt(seq) });

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

async function add(engine: MemoryEngine, entryId: StreamId, fields: string[] | Uint8Array[], trim?: streams.TrimRule): Promise<unknown> {
  const bytes = fields.map((f) => (typeof f === "string" ? enc(f) : f));
  return await engine.write((tx) => streams.add(tx, ks, K, { id: { kind: "explicit", id: entryId }, fields: bytes, noMakeStream: false, trim, nowMs: NOW }));
}

async function ids(engine: MemoryEngine): Promise<string[]> {
  const entries = await engine.read((tx) => streams.range(tx, ks, K, { start: MIN_ID, end: MAX_ID, count: 0, reverse: false, nowMs: NOW }));
  assert.ok(Array.isArray(entries));
  return entries.map((entry) => formatId(entry.id));
}

async function memberCount(engine: MemoryEngine): Promise<number> {
  return engine.read(async (tx) => (await tx.getRange(ks.membersOfKey(K))).length);
}

const maxlen = (n: number): streams.TrimRule => ({ strategy: "maxlen", maxLength: n, minId: MIN_ID, limit: 0 });

describe("streams over the engine", () => {
  test("XADD to an existing stream writes its one entry and the header, and reads only the meta", async () => {
    const engine = new MemoryEngine();
    await add(engine, id(1), ["a", "1"]);
    const counting = await engine.write(async (tx) => {
      const counter = new CountingTxn(tx);
      await streams.add(counter, ks, K, { id: { kind: "auto" }, fields: [enc("b"), enc("2")], noMakeStream: false, trim: undefined, nowMs: NOW });
      return counter;
    });
    assert.deepEqual({ gets: counting.gets, ranges: counting.rangeReads, sets: counting.sets, clears: counting.clears + counting.clearRanges }, { gets: 1, ranges: 0, sets: 2, clears: 0 });
    assert.deepEqual(await ids(engine), ["1-0", `${NOW}-0`]);
  });

  test("XLEN is one point read; XRANGE with COUNT reads that many entries, in either direction", async () => {
    const engine = new MemoryEngine();
    for (let i = 1; i <= 50; i++) await add(engine, id(i), ["n", String(i)]);
    const reads = await engine.read(async (tx) => {
      const counter = new CountingTxn(tx as Txn);
      assert.equal(await streams.length(counter, ks, K, NOW), 50);
      const forward = await streams.range(counter, ks, K, { start: id(10), end: MAX_ID, count: 3, reverse: false, nowMs: NOW });
      const backward = await streams.range(counter, ks, K, { start: MIN_ID, end: id(40), count: 2, reverse: true, nowMs: NOW });
      assert.ok(Array.isArray(forward) && Array.isArray(backward));
      assert.deepEqual(forward.map((e) => formatId(e.id)), ["10-0", "11-0", "12-0"]);
      assert.deepEqual(backward.map((e) => [formatId(e.id), dec(e.fields[1]!)]), [["40-0", "40"], ["39-0", "39"]]);
      return counter;
    });
    assert.deepEqual({ gets: reads.gets, ranges: reads.rangeReads, entries: reads.rangeEntries }, { gets: 3, ranges: 2, entries: 5 });
  });

  test("XTRIM MAXLEN reads the entries it removes and one more, and clears them in two range clears", async () => {
    const engine = new MemoryEngine();
    for (let i = 1; i <= 20; i++) await add(engine, id(i), ["n", String(i)]);
    const counting = await engine.write(async (tx) => {
      const counter = new CountingTxn(tx);
      assert.equal(await streams.trim(counter, ks, K, { rule: maxlen(5), nowMs: NOW }), 15);
      return counter;
    });
    assert.deepEqual({ entries: counting.rangeEntries, clearRanges: counting.clearRanges, clears: counting.clears }, { entries: 16, clearRanges: 2, clears: 0 });
    assert.deepEqual(await ids(engine), ["16-0", "17-0", "18-0", "19-0", "20-0"]);
    assert.equal(await engine.read((tx) => streams.length(tx, ks, K, NOW)), 5);
  });

  test("a trim with LIMIT removes at most LIMIT entries; MINID stops at the first id to keep", async () => {
    const engine = new MemoryEngine();
    for (let i = 1; i <= 10; i++) await add(engine, id(i), ["n", String(i)]);
    const limited: streams.TrimRule = { strategy: "maxlen", maxLength: 0, minId: MIN_ID, limit: 3 };
    assert.equal(await engine.write((tx) => streams.trim(tx, ks, K, { rule: limited, nowMs: NOW })), 3);
    const minid: streams.TrimRule = { strategy: "minid", maxLength: 0, minId: id(7), limit: 0 };
    assert.equal(await engine.write((tx) => streams.trim(tx, ks, K, { rule: minid, nowMs: NOW })), 3);
    assert.deepEqual(await ids(engine), ["7-0", "8-0", "9-0", "10-0"]);
  });

  test("entries larger than one engine value round-trip, and XDEL and XTRIM leave no chunk behind", async () => {
    const engine = new MemoryEngine();
    const big = new Uint8Array(45_000).map((_, i) => (i * 7) % 251);
    await add(engine, id(1), [enc("big"), big]);
    await add(engine, id(2), [enc("small"), enc("x")]);
    await add(engine, id(3), [big, enc("v"), enc("f"), big]);
    const entries = await engine.read((tx) => streams.range(tx, ks, K, { start: MIN_ID, end: MAX_ID, count: 0, reverse: true, nowMs: NOW }));
    assert.ok(Array.isArray(entries));
    assert.deepEqual(entries[0]!.fields, [big, enc("v"), enc("f"), big]);
    assert.deepEqual(entries[2]!.fields, [enc("big"), big]);
    const withChunks = await memberCount(engine);
    assert.ok(withChunks > 3, `big entries are split: ${withChunks} engine keys`);
    assert.equal(await engine.write((tx) => streams.deleteEntries(tx, ks, K, { ids: [id(3)], nowMs: NOW })), 1);
    assert.equal(await engine.write((tx) => streams.trim(tx, ks, K, { rule: maxlen(1), nowMs: NOW })), 1);
    assert.equal(await memberCount(engine), 1, "only entry 2-0 is left under the stream");
    assert.deepEqual(await ids(engine), ["2-0"]);
  });

  test("XADD with MAXLEN 0 leaves an empty stream whose last id still counts", async () => {
    const engine = new MemoryEngine();
    assert.deepEqual(await add(engine, id(5, 5), ["a", "1"], maxlen(0)), id(5, 5));
    assert.equal(await engine.read((tx) => streams.length(tx, ks, K, NOW)), 0);
    assert.equal(await memberCount(engine), 0);
    assert.equal(await add(engine, id(5, 5), ["a", "1"]), "ID_TOO_SMALL");
    assert.deepEqual(await engine.read((tx) => streams.position(tx, ks, K, NOW)), { lastId: id(5, 5), entriesAdded: 1n });
  });
});
