// The executor's runBlocking, as the blocking commands rely on it: each run
// knows its number and the keys that woke it; the waiters woken by one write
// run one after another in parking order, even on an engine that runs
// transactions concurrently; a timeout or an abort never drops what a run
// under way popped, and a run starting after them pops nothing; long
// timeouts; onBlocked.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Principal } from "../../src/auth/contract.ts";
import type { Client } from "../../src/core/client.ts";
import { Executor, WOULD_BLOCK, type WouldBlock } from "../../src/core/executor.ts";
import { KeyEvents } from "../../src/core/key_events.ts";
import type { UsageTracker } from "../../src/core/metering.ts";
import type { Operation, WaitingAttempt } from "../../src/core/operation.ts";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { lookup, removeKey } from "../../src/model/db.ts";
import { Keyspace } from "../../src/model/keyspace.ts";
import * as strings from "../../src/model/strings.ts";

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
const dec = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const spaces = new Map<string, Keyspace>();
function keyspaceOf(tenant: string, db: number): Keyspace {
  const id = `${tenant}/${db}`;
  if (!spaces.has(id)) spaces.set(id, new Keyspace(tenant, db));
  return spaces.get(id)!;
}
const usage: UsageTracker = { quotaBytes: Number.MAX_SAFE_INTEGER, cachedBytes: () => 0, usedBytes: () => Promise.resolve(0), applied: () => {} };
const PRINCIPAL: Principal = { user: "default", tenant: "t1", canWrite: true };
const client: Client = { principal: PRINCIPAL, keyspace: keyspaceOf("t1", 0) };

function setup(): Executor {
  return new Executor({ engine: new MemoryEngine(), clock: Date.now, usage, keyEvents: new KeyEvents(), keyspaceOf });
}

/** SET key value, as an operation. */
const set: Operation<{ key: string; value: string }, void> = {
  name: "set",
  access: "write",
  writes: true,
  reads: false,
  keys: ({ key }) => [enc(key)],
  run: ({ tx, ks, nowMs }, { key, value }) => strings.setString(tx, ks, enc(key), enc(value), { expireAt: 0, nowMs }),
};

/** SET of several keys in one transaction, announced in argument order. */
const mset: Operation<string[], void> = {
  name: "mset",
  access: "write",
  writes: true,
  reads: false,
  keys: (keys) => keys.map(enc),
  run: async ({ tx, ks, nowMs }, keys) => {
    for (const key of keys) await strings.setString(tx, ks, enc(key), enc(key), { expireAt: 0, nowMs });
  },
};

/**
 * Pops the first of `keys` holding a string, awaiting `gate` (when given)
 * between its read and its write: WOULD_BLOCK while none does. Records the
 * `waiting` of each run and counts the bodies run.
 */
function popOperation(record: { runs: (WaitingAttempt | undefined)[]; bodies: number; gate?: Promise<void> }): Operation<string[], string | WouldBlock> {
  return {
    name: "pop",
    access: "write",
    writes: true,
    reads: true,
    keys: (keys) => keys.map(enc),
    run: async ({ tx, ks, nowMs, waiting }, keys) => {
      record.bodies++;
      record.runs.push(waiting);
      for (const key of keys) {
        const value = await strings.getString(tx, ks, enc(key), nowMs);
        if (value === undefined || value === "WRONGTYPE") continue;
        if (record.gate !== undefined) await record.gate;
        removeKey(tx, ks, enc(key), (await lookup(tx, ks, enc(key), nowMs))!);
        return `${key}=${dec(value)}`;
      }
      return WOULD_BLOCK;
    },
  };
}

describe("runBlocking", () => {
  test("each run is told its number and the keys that woke it, in the order they were announced", async () => {
    const executor = setup();
    const record = { runs: [] as (WaitingAttempt | undefined)[], bodies: 0 };
    const waiting = executor.runBlocking(client, popOperation(record), ["a", "b", "c"], { timeoutMs: 0 });
    await sleep(5);
    await executor.run(client, mset, ["x", "c", "b"]);
    // This operation tries its keys in argument order; BLPOP's tries the woken ones first (keysToTry).
    assert.equal(await waiting, "b=b");
    assert.deepEqual(record.runs.map((run) => [run?.attempt, run?.woken.map(dec)]), [[1, []], [2, ["c", "b"]]]);
  });

  test("the waiters woken by one write run one after another, in the order they parked, without conflicting", async () => {
    const executor = setup();
    let gateOpen!: () => void;
    const record = { runs: [] as (WaitingAttempt | undefined)[], bodies: 0, gate: new Promise<void>((resolve) => (gateOpen = resolve)) };
    const op = popOperation(record);
    const served: string[] = [];
    const waiters = ["A", "B", "C"].map((name) => executor.runBlocking(client, op, ["q"], { timeoutMs: 0 }).then((v) => served.push(`${name} ${v}`)));
    await sleep(5);
    // Each pop awaits the gate between its read and its write: run together, they would conflict and retry in any order.
    gateOpen();
    // SET replaces the value: each is set once the previous one was popped.
    for (const [i, waiter] of waiters.entries()) {
      await executor.run(client, set, { key: "q", value: String(i + 1) });
      await waiter;
    }
    assert.deepEqual(served, ["A q=1", "B q=2", "C q=3"]);
  });

  test("a timeout while a run is under way lets it finish: what it popped is answered, not dropped", async () => {
    const executor = setup();
    let gateOpen!: () => void;
    const record = { runs: [] as (WaitingAttempt | undefined)[], bodies: 0, gate: new Promise<void>((resolve) => (gateOpen = resolve)) };
    await executor.run(client, set, { key: "held", value: "v" });
    const waiting = executor.runBlocking(client, popOperation(record), ["held"], { timeoutMs: 20 });
    await sleep(60);
    gateOpen();
    assert.equal(await waiting, "held=v");
    const left = await executor.run(client, popOperation({ runs: [], bodies: 0 }), ["held"]);
    assert.equal(left, WOULD_BLOCK, "the value was popped once");
  });

  test("an abort that lands before a woken run starts ends the wait, and that run pops nothing", async () => {
    const executor = setup();
    const record = { runs: [] as (WaitingAttempt | undefined)[], bodies: 0 };
    const controller = new AbortController();
    const waiting = executor.runBlocking(client, popOperation(record), ["k"], { timeoutMs: 0, signal: controller.signal });
    await sleep(5);
    // The memory engine commits the SET synchronously; the woken run would start on the next microtask.
    void executor.run(client, set, { key: "k", value: "kept" });
    controller.abort();
    assert.equal(await waiting, undefined);
    assert.equal(record.bodies, 1, "only the first run touched the keys");
    assert.equal(await executor.run(client, popOperation({ runs: [], bodies: 0 }), ["k"]), "k=kept");
  });

  test("a timeout beyond setTimeout's limit (2^31 ms) does not fire at once; onBlocked is called when the first run found nothing", async () => {
    const executor = setup();
    const controller = new AbortController();
    let blocked = 0;
    let done = false;
    const waiting = executor.runBlocking(client, popOperation({ runs: [], bodies: 0 }), ["never"], {
      timeoutMs: 2 ** 31 + 1_000,
      signal: controller.signal,
      onBlocked: () => blocked++,
    }).then((v) => {
      done = true;
      return v;
    });
    await sleep(50);
    assert.equal(done, false);
    assert.equal(blocked, 1);
    controller.abort();
    assert.equal(await waiting, undefined);
  });

  test("a run that finds something at once never reports the client blocked", async () => {
    const executor = setup();
    await executor.run(client, set, { key: "ready", value: "r" });
    let blocked = 0;
    assert.equal(await executor.runBlocking(client, popOperation({ runs: [], bodies: 0 }), ["ready"], { timeoutMs: 0, onBlocked: () => blocked++ }), "ready=r");
    assert.equal(blocked, 0);
  });
});
