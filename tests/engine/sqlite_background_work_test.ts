// The SQLite engine's work beside its write batches (issue 13, fairness):
// long reads on read connections that keep one snapshot without holding
// writers up (long_reads.ts), and big clears fenced at once and deleted in
// the background (deferred_clears.ts), also across a close and reopen.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Txn } from "../../src/engine/contract.ts";
import { SqliteEngine } from "../../src/engine/sqlite/engine.ts";
import { DEFER_ABOVE_ROWS } from "../../src/engine/sqlite/deferred_clears.ts";
import { yieldToEventLoop } from "../../src/model/paged_read.ts";
import { runtimeDriver, TempDirs } from "./sqlite_support.ts";

const openDriver = await runtimeDriver();
const dirs = new TempDirs();
after(() => dirs.removeAll());

const enc = new TextEncoder();
const key = (i: number) => enc.encode(`k${String(i).padStart(7, "0")}`);
const ALL = { start: enc.encode("k"), end: enc.encode("l") };
const ROWS = DEFER_ABOVE_ROWS * 3;

async function fill(engine: SqliteEngine, rows: number): Promise<void> {
  await engine.write(async (tx) => {
    for (let i = 0; i < rows; i++) tx.set(key(i), key(i));
  });
}

async function count(engine: SqliteEngine): Promise<number> {
  return engine.read(async (tx) => (await tx.getRange(ALL)).length);
}

async function untilCleared(engine: SqliteEngine): Promise<void> {
  for (let i = 0; engine.stats.pendingClears > 0; i++) {
    assert.ok(i < 5_000, "the background clear never finished");
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe("sqlite engine: long reads", () => {
  test("a long read keeps one snapshot while writes commit, and the writes do not wait for it", async () => {
    const engine = await SqliteEngine.open(dirs.make(), { openDriver });
    try {
      await fill(engine, 100);
      const events: string[] = [];
      const read = engine.readLong(async (tx: Txn) => {
        const first = await tx.getRange(ALL);
        // Let the writer in between the two reads, as a paged read does between pages.
        for (let i = 0; i < 20 && events.length === 0; i++) await yieldToEventLoop();
        const second = await tx.getRange(ALL);
        const gone = await tx.get(key(0));
        return { first: first.length, second: second.length, stillThere: gone !== undefined };
      }).then((result) => {
        events.push("read");
        return result;
      });
      await yieldToEventLoop();
      await engine.write(async (tx) => {
        tx.clear(key(0));
        tx.set(key(500), key(500));
      });
      events.push("write");
      assert.deepEqual(await read, { first: 100, second: 100, stillThere: true });
      assert.deepEqual(events, ["write", "read"]);
      assert.equal(await count(engine), 100);
    } finally {
      await engine.close();
    }
  });

  test("a long read sees every write queued before it", async () => {
    const engine = await SqliteEngine.open(dirs.make(), { openDriver });
    try {
      const written = engine.write(async (tx) => tx.set(key(1), key(1)));
      const read = engine.readLong(async (tx) => (await tx.get(key(1))) !== undefined);
      await written;
      assert.equal(await read, true);
    } finally {
      await engine.close();
    }
  });
});

describe("sqlite engine: big clears in the background", () => {
  test("a clear of many rows is gone at once for every later reader, is deleted in the background, and what is written after it stays", async () => {
    const engine = await SqliteEngine.open(dirs.make(), { openDriver });
    try {
      await fill(engine, ROWS);
      await engine.write(async (tx) => tx.clearRange(ALL));
      assert.equal(engine.stats.pendingClears, 1);
      const [reads, longReads] = await Promise.all([count(engine), engine.readLong(async (tx) => (await tx.getRange(ALL)).length)]);
      assert.deepEqual([reads, longReads], [0, 0]);
      await engine.write(async (tx) => tx.set(key(7), enc.encode("new")));
      await untilCleared(engine);
      assert.deepEqual(await engine.read(async (tx) => (await tx.getRange(ALL)).map((pair) => new TextDecoder().decode(pair.value))), ["new"]);
    } finally {
      await engine.close();
    }
  });

  test("a long read whose snapshot predates the clear still sees every row", async () => {
    const engine = await SqliteEngine.open(dirs.make(), { openDriver });
    try {
      await fill(engine, ROWS);
      let cleared = false;
      const read = engine.readLong(async (tx) => {
        const before = (await tx.getRange(ALL, { limit: 10 })).length;
        while (!cleared) await yieldToEventLoop();
        return before + (await tx.getRange(ALL)).length;
      });
      await yieldToEventLoop();
      await engine.write(async (tx) => tx.clearRange(ALL));
      cleared = true;
      assert.equal(await read, 10 + ROWS);
      assert.equal(await count(engine), 0);
    } finally {
      await engine.close();
    }
  });

  test("a clear still pending at close stays invisible after reopening and is finished then", async () => {
    const dir = dirs.make();
    let engine = await SqliteEngine.open(dir, { openDriver });
    await fill(engine, ROWS);
    await engine.write(async (tx) => tx.clearRange(ALL));
    await engine.close();
    engine = await SqliteEngine.open(dir, { openDriver });
    try {
      assert.equal(await count(engine), 0);
      await untilCleared(engine);
      assert.equal(await count(engine), 0);
    } finally {
      await engine.close();
    }
  });
});
