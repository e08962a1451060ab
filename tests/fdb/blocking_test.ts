// Executor.runBlocking across servers on the FoundationDB engine: two
// executors over two engine instances (two servers over one cluster: every
// database handle of the test double sees the same data), each with its own
// KeyEvents. A write through one wakes a waiter on the other through the
// watches the waiter's WOULD_BLOCK attempt set on its keys' meta keys.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Client } from "../../src/core/client.ts";
import { Executor, WOULD_BLOCK, type WouldBlock } from "../../src/core/executor.ts";
import { KeyEvents } from "../../src/core/key_events.ts";
import type { UsageTracker } from "../../src/core/metering.ts";
import type { Operation } from "../../src/core/operation.ts";
import type { FdbEngine } from "../../src/engine/fdb/engine.ts";
import { then } from "../../src/engine/maybe_promise.ts";
import { lookup, removeKey } from "../../src/model/db.ts";
import { Keyspace } from "../../src/model/keyspace.ts";
import * as strings from "../../src/model/strings.ts";
import { fdbSkipReason, openTestFdbEngine } from "./support.ts";

const skip = await fdbSkipReason();
const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
const dec = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

const spaces = new Map<string, Keyspace>();
function keyspaceOf(tenant: string, db: number): Keyspace {
  const id = `${tenant}/${db}`;
  let ks = spaces.get(id);
  if (ks === undefined) spaces.set(id, ks = new Keyspace(tenant, db));
  return ks;
}

const usage: UsageTracker = {
  quotaBytes: Number.MAX_SAFE_INTEGER,
  cachedBytes: () => 0,
  usedBytes: () => Promise.resolve(0),
  applied: () => {},
};

const client: Client = { principal: { user: "default", tenant: "t1", canWrite: true }, keyspace: keyspaceOf("t1", 0) };

/** Pops (takes and deletes) the first present of its string keys: WOULD_BLOCK while all are missing. */
export const pop: Operation<readonly string[], string | WouldBlock> = {
  name: "pop",
  access: "write",
  writes: true,
  reads: true,
  keys: (keys) => keys.map(enc),
  run: async ({ tx, ks, nowMs }, keys) => {
    for (const key of keys) {
      const value = await strings.getString(tx, ks, enc(key), nowMs);
      if (value === undefined || value === "WRONGTYPE") continue;
      const meta = await lookup(tx, ks, enc(key), nowMs);
      removeKey(tx, ks, enc(key), meta!);
      return `${key}=${dec(value)}`;
    }
    return WOULD_BLOCK;
  },
};

export const set: Operation<{ readonly key: string; readonly value: string }, string> = {
  name: "set",
  access: "write",
  writes: true,
  reads: false,
  keys: (args) => [enc(args.key)],
  run: ({ tx, ks, nowMs }, args) => then(strings.setString(tx, ks, enc(args.key), enc(args.value), { expireAt: 0, nowMs }), () => "OK"),
};

export function executorOver(engine: FdbEngine): Executor {
  return new Executor({ engine, clock: Date.now, usage, keyEvents: new KeyEvents(), keyspaceOf });
}

async function eventually(check: () => boolean, what: string, ms = 2000): Promise<void> {
  const until = performance.now() + ms;
  while (!check() && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(check(), what);
}

describe("runBlocking across two servers on the fdb engine", { skip }, () => {
  const engines: FdbEngine[] = [];
  after(async () => {
    for (const engine of engines) await engine.close();
  });
  const open = async (options: Parameters<typeof openTestFdbEngine>[0] = {}) => {
    const engine = await openTestFdbEngine(options);
    engines.push(engine);
    return engine;
  };

  test("a write through server A wakes a waiter on server B; the round's other watch is cancelled", async () => {
    const a = await open();
    const b = await open();
    const [onA, onB] = [executorOver(a), executorOver(b)];
    const waiting = onB.runBlocking(client, pop, ["x1", "x2"], { timeoutMs: 5000 });
    // One watch per key, and one on the tenant's database map (a SWAPDB through another server re-checks the waiter).
    await eventually(() => b.watchStats.live === 3, "one watch per key and one on the database map once the attempt blocked");
    const started = performance.now();
    await onA.run(client, set, { key: "x2", value: "v" });
    assert.equal(await waiting, "x2=v");
    assert.ok(performance.now() - started < 1000);
    await eventually(() => b.watchStats.live === 0, "no watch left");
    // The value was taken once: a second waiter blocks.
    assert.equal(await onB.runBlocking(client, pop, ["x2"], { timeoutMs: 50 }), undefined);
  });

  test("a write through the same server still wakes the waiter (KeyEvents), and a timeout leaves no watch", async () => {
    const b = await open();
    const onB = executorOver(b);
    const waiting = onB.runBlocking(client, pop, ["y"], { timeoutMs: 5000 });
    await eventually(() => b.watchStats.live === 2, "blocked: a watch on the key, one on the database map");
    await onB.run(client, set, { key: "y", value: "local" });
    assert.equal(await waiting, "y=local");
    assert.equal(await onB.runBlocking(client, pop, ["y"], { timeoutMs: 30 }), undefined);
    await eventually(() => b.watchStats.live === 0, "the timed-out waiter's watch is cancelled");
  });

  test("waiters on both servers and writes on both: every value is popped exactly once", async () => {
    const a = await open();
    const b = await open();
    const [onA, onB] = [executorOver(a), executorOver(b)];
    const n = 20;
    let served = 0;
    const waiters = [];
    for (let i = 0; i < n; i++) {
      const waiting = (i % 2 === 0 ? onA : onB).runBlocking(client, pop, ["q"], { timeoutMs: 30_000 });
      waiters.push(waiting.then((value) => (served++, value)));
    }
    for (let i = 0; i < n; i++) {
      // One value at a time: the key holds one string. Every waiter wakes and all but one block again.
      await (i % 2 === 0 ? onB : onA).run(client, set, { key: "q", value: String(i) });
      await eventually(() => served === i + 1, `value ${i} taken`, 10_000);
    }
    const got = (await Promise.all(waiters)).map((v) => Number(String(v).slice(2))).sort((x, y) => x - y);
    assert.deepEqual(got, Array.from({ length: n }, (_, i) => i));
  });

  test("past max_watches the waiter re-checks on a timer and is still woken by the other server", async () => {
    const a = await open();
    const b = await open({ maxWatches: 0, watchFallbackMs: 100 });
    const [onA, onB] = [executorOver(a), executorOver(b)];
    const waiting = onB.runBlocking(client, pop, ["z"], { timeoutMs: 5000 });
    await eventually(() => b.watchStats.fallbacks >= 1, "the watch was refused (1032)");
    await onA.run(client, set, { key: "z", value: "polled" });
    const started = performance.now();
    assert.equal(await waiting, "z=polled");
    assert.ok(performance.now() - started < 1000);
  });
});
