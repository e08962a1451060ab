// The core's executor: one pipeline for every operation. These tests pin what
// every front end relies on: effects applied exactly once after a commit
// (never for a failed or retried attempt, under the memory engine's injected
// faults), exact storage metering, refusals, batches (EXEC), blocking
// operations, the synchronous fast path, and the order of effects against
// the engine's onApplied in a SQLite group commit.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Principal } from "../../src/auth/contract.ts";
import type { Client } from "../../src/core/client.ts";
import { type BatchStep, Executor, Refused, WOULD_BLOCK, type WouldBlock } from "../../src/core/executor.ts";
import { KeyEvents, type KeyEventListener } from "../../src/core/key_events.ts";
import { QuotaExceeded, type UsageTracker } from "../../src/core/metering.ts";
import type { Operation } from "../../src/core/operation.ts";
import type { Engine, ReadTxn } from "../../src/engine/contract.ts";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { SqliteEngine } from "../../src/engine/sqlite/engine.ts";
import { lookup, removeKey } from "../../src/model/db.ts";
import { then } from "../../src/engine/maybe_promise.ts";
import { Keyspace } from "../../src/model/keyspace.ts";
import { readUsage, type UsageChange } from "../../src/model/storage_usage.ts";
import * as strings from "../../src/model/strings.ts";
import { DATABASE_COUNT } from "../../src/model/limits.ts";
import { runtimeDriver, TempDirs } from "../engine/sqlite_support.ts";

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
const dec = (bytes: Uint8Array | undefined): string | undefined => (bytes === undefined ? undefined : new TextDecoder().decode(bytes));

const spaces = new Map<string, Keyspace>();
function keyspaceOf(tenant: string, db: number): Keyspace {
  const id = `${tenant}/${db}`;
  let ks = spaces.get(id);
  if (ks === undefined) {
    ks = new Keyspace(tenant, db);
    spaces.set(id, ks);
  }
  return ks;
}

/** A usage tracker that keeps the sum of what it was told, per tenant, and reads the counters when asked. */
class RecordingUsage implements UsageTracker {
  readonly told = new Map<string, number>();
  constructor(readonly quotaBytes = Number.MAX_SAFE_INTEGER) {}
  cachedBytes(tenant: string): number | undefined {
    return this.told.get(tenant) ?? 0;
  }
  usedBytes(tenant: string): Promise<number> {
    return Promise.resolve(this.told.get(tenant) ?? 0);
  }
  applied(tenant: string, change: UsageChange): void {
    let total = this.told.get(tenant) ?? 0;
    for (const delta of change.delta.values()) total += delta;
    this.told.set(tenant, total);
  }
}

/** Every key announced, in order. */
class RecordingListener implements KeyEventListener {
  readonly listening = true;
  readonly events: string[] = [];
  written(ks: Keyspace, keys: readonly Uint8Array[]): void {
    for (const key of keys) this.events.push(`${ks.tenant}/${ks.db}/${dec(key)}`);
  }
  flushed(tenant: string, db: number | undefined): void {
    this.events.push(`flushed ${tenant}/${db ?? "all"}`);
  }
}

function setup(engine: Engine, usage = new RecordingUsage()): { executor: Executor; events: RecordingListener; keyEvents: KeyEvents; usage: RecordingUsage } {
  const keyEvents = new KeyEvents();
  const events = new RecordingListener();
  keyEvents.subscribe(events);
  const executor = new Executor({ engine, clock: Date.now, usage, keyEvents, keyspaceOf });
  return { executor, events, keyEvents, usage };
}

const FULL: Principal = { user: "default", tenant: "t1", canWrite: true };
/** A client of tenant t1 (or the principal's tenant); null: not authenticated. */
function clientOf(principal: Principal | null = FULL, db = 0): Client & { db: number } {
  return {
    principal: principal ?? undefined,
    db,
    get keyspace(): Keyspace {
      return keyspaceOf(principal?.tenant ?? "t1", this.db);
    },
  };
}

interface SetArgs {
  readonly key: string;
  readonly value: string;
}

/** SET as a core operation; counts the attempts of its body and the after-commit callbacks. */
function setOperation(counts: { attempts: number; committed: number }): Operation<SetArgs, string> {
  return {
    name: "set",
    access: "write",
    writes: true,
    reads: false,
    keys: (args) => [enc(args.key)],
    run: ({ tx, ks, nowMs, effects }, args) => {
      counts.attempts++;
      effects.afterCommit(() => counts.committed++);
      return then(strings.setString(tx, ks, enc(args.key), enc(args.value), { expireAt: 0, nowMs }), () => "OK");
    },
  };
}

const getOperation: Operation<string, string | undefined> = {
  name: "get",
  access: "read",
  writes: false,
  reads: true,
  keys: (key) => [enc(key)],
  run: ({ tx, ks, nowMs }, key) => then(strings.getString(tx, ks, enc(key), nowMs), (v) => (v === "WRONGTYPE" ? "WRONGTYPE" : dec(v))),
};

async function usageInEngine(engine: Engine, tenant: string): Promise<number> {
  const perDb = await engine.read((tx: ReadTxn) => readUsage(tx, tenant));
  assert.equal(perDb.length, DATABASE_COUNT);
  return perDb.reduce((a, b) => a + b, 0);
}

describe("executor: effects after commit", () => {
  test("on the memory engine a write that does not wait answers synchronously, without a promise", () => {
    const { executor, events } = setup(new MemoryEngine());
    const counts = { attempts: 0, committed: 0 };
    const answer = executor.run(clientOf(), setOperation(counts), { key: "k", value: "v" });
    assert.equal(answer, "OK");
    assert.equal(counts.committed, 1);
    assert.deepEqual(events.events, ["t1/0/k"]);
    assert.equal(executor.run(clientOf(), getOperation, "k"), "v");
  });

  test("under injected not_committed and transaction_too_old, effects and usage are applied once per successful run, never for a retried attempt", async () => {
    const engine = new MemoryEngine({ faults: { seed: 77, rate: 0.4, codes: ["not_committed", "transaction_too_old"] } });
    const { executor, events, usage } = setup(engine);
    const counts = { attempts: 0, committed: 0 };
    let succeeded = 0;
    for (let i = 0; i < 200; i++) {
      try {
        await executor.run(clientOf(), setOperation(counts), { key: `k${i % 37}`, value: "x".repeat(i % 50) });
        succeeded++;
      } catch {
        // retries exhausted: no effect may have been applied for it
      }
    }
    assert.ok(counts.attempts > succeeded, `faults made some bodies run again (${counts.attempts} attempts, ${succeeded} commits)`);
    assert.equal(counts.committed, succeeded);
    assert.equal(events.events.length, succeeded);
    // The usage the executor reported is exactly what the counters in the engine say.
    assert.equal(usage.told.get("t1"), await usageInEngine(engine, "t1"));
  });

  test("commit_unknown_result: the effects of a run are applied once, whether or not the unknown attempt committed", async () => {
    const engine = new MemoryEngine({ faults: { seed: 5, rate: 0.5, codes: ["commit_unknown_result"] } });
    const { executor, events } = setup(engine);
    const counts = { attempts: 0, committed: 0 };
    let succeeded = 0;
    for (let i = 0; i < 100; i++) {
      try {
        await executor.run(clientOf(), setOperation(counts), { key: "same", value: `${i}` });
        succeeded++;
      } catch {
        // exhausted
      }
    }
    assert.ok(counts.attempts > counts.committed);
    assert.equal(counts.committed, succeeded);
    assert.equal(events.events.length, succeeded);
  });

  test("a failed body applies nothing: no callback, no key event, no usage", async () => {
    const { executor, events, usage } = setup(new MemoryEngine());
    let called = false;
    const failing: Operation<undefined, never> = {
      name: "boom",
      access: "write",
      writes: true,
      reads: false,
      keys: () => [enc("k")],
      run: ({ tx, ks, effects }) => {
        tx.set(ks.metaKey(enc("k")), enc("x"));
        effects.afterCommit(() => (called = true));
        throw new Error("boom");
      },
    };
    assert.throws(() => executor.run(clientOf(), failing, undefined), /boom/);
    assert.equal(called, false);
    assert.deepEqual(events.events, []);
    assert.equal(usage.told.get("t1"), undefined);
  });

  test("a write past the quota is refused whole with QuotaExceeded and applies nothing", async () => {
    const engine = new MemoryEngine();
    const { executor, events } = setup(engine, new RecordingUsage(100));
    const counts = { attempts: 0, committed: 0 };
    assert.throws(() => executor.run(clientOf(), setOperation(counts), { key: "big", value: "v".repeat(500) }), QuotaExceeded);
    assert.equal(counts.committed, 0);
    assert.deepEqual(events.events, []);
    assert.equal(executor.run(clientOf(), getOperation, "big"), undefined);
  });
});

describe("executor: refusals", () => {
  const counts = { attempts: 0, committed: 0 };
  const set = setOperation(counts);
  const refusalOf = (client: Client, op: Operation<SetArgs, unknown> | Operation<string, unknown>, args: SetArgs | string): string | undefined => {
    try {
      executor.run(client, op as Operation<unknown, unknown>, args);
      return undefined;
    } catch (error) {
      assert.ok(error instanceof Refused);
      return error.refusal;
    }
  };
  const { executor } = setup(new MemoryEngine());

  test("no principal: not authenticated; no write right: no permission; no read right: no permission for reads", () => {
    assert.equal(refusalOf(clientOf(null), set, { key: "k", value: "v" }), "not_authenticated");
    assert.equal(refusalOf(clientOf({ ...FULL, canWrite: false }), set, { key: "k", value: "v" }), "no_permission");
    assert.equal(refusalOf(clientOf({ ...FULL, canRead: false }), getOperation, "k"), "no_permission");
    assert.equal(refusalOf(clientOf({ ...FULL, canRead: false }), set, { key: "k", value: "v" }), undefined);
  });

  test("a key outside the principal's prefixes is refused before any transaction", () => {
    const scoped: Principal = {
      ...FULL,
      keys: { allows: (key) => dec(key)!.startsWith("app:"), scanPrefixes: [enc("app:")], description: "app:" },
    };
    const before = counts.attempts;
    assert.equal(refusalOf(clientOf(scoped), set, { key: "other", value: "v" }), "key_outside_scope");
    assert.equal(counts.attempts, before);
    assert.equal(refusalOf(clientOf(scoped), set, { key: "app:1", value: "v" }), undefined);
  });

  test("expired credentials are dropped from the client: it must authenticate again", () => {
    const client = clientOf({ ...FULL, expiresAtMs: Date.now() - 1 });
    assert.equal(refusalOf(client, getOperation, "k"), "not_authenticated");
    assert.equal(client.principal, undefined);
  });
});

describe("executor: batches", () => {
  test("a batch runs in one transaction: each step sees the previous ones, and effects follow the commit once", async () => {
    const { executor, events } = setup(new MemoryEngine());
    const counts = { attempts: 0, committed: 0 };
    const steps: BatchStep<unknown, unknown>[] = [
      { op: setOperation(counts) as Operation<unknown, unknown>, args: { key: "a", value: "1" } },
      { op: getOperation as Operation<unknown, unknown>, args: "a" },
    ];
    const replies = await executor.runBatch(clientOf(), steps, { refused: (refusal) => `refused ${refusal}` });
    assert.deepEqual(replies, ["OK", "1"]);
    assert.equal(counts.committed, 1);
    assert.deepEqual(events.events, ["t1/0/a"]);
  });

  test("a refused step answers its refusal and the others still run (Redis's EXEC)", async () => {
    const { executor } = setup(new MemoryEngine());
    const counts = { attempts: 0, committed: 0 };
    const operatorOnly = { ...getOperation, name: "config|set", operatorOnly: true };
    const replies = await executor.runBatch(clientOf(), [
      { op: operatorOnly as Operation<unknown, unknown>, args: "k" },
      { op: setOperation(counts) as Operation<unknown, unknown>, args: { key: "k", value: "v" } },
    ], { refused: (refusal, op) => `${op.name}: ${refusal}` });
    assert.deepEqual(replies, ["config|set: no_permission", "OK"]);
  });

  test("a failed precondition (a WATCHed key changed) answers null and applies nothing", async () => {
    const { executor, events } = setup(new MemoryEngine());
    const counts = { attempts: 0, committed: 0 };
    const replies = await executor.runBatch(clientOf(), [{ op: setOperation(counts) as Operation<unknown, unknown>, args: { key: "k", value: "v" } }], {
      precondition: () => false,
      refused: () => "refused",
    });
    assert.equal(replies, null);
    assert.equal(counts.committed, 0);
    assert.deepEqual(events.events, []);
  });

  test("a retried batch starts again from the client's first database", async () => {
    const engine = new MemoryEngine({ faults: { seed: 3, rate: 0.6, codes: ["not_committed"] } });
    const { executor } = setup(engine);
    const select: Operation<number, string> = {
      name: "select", access: "none", writes: false, reads: false, keys: () => [],
      run: (_ctx, db) => {
        client.db = db;
        return "OK";
      },
    };
    const client = clientOf(FULL, 0);
    const counts = { attempts: 0, committed: 0 };
    for (let i = 0; i < 20; i++) {
      client.db = 0;
      try {
        await executor.runBatch(client, [
          { op: select as Operation<unknown, unknown>, args: 3 },
          { op: setOperation(counts) as Operation<unknown, unknown>, args: { key: `k${i}`, value: "v" } },
        ], { refused: () => "refused" });
      } catch {
        continue;
      }
      const inDb3 = await engine.read((tx) => lookup(tx, keyspaceOf("t1", 3), enc(`k${i}`), Date.now()));
      const inDb0 = await engine.read((tx) => lookup(tx, keyspaceOf("t1", 0), enc(`k${i}`), Date.now()));
      assert.ok(inDb3 !== undefined && inDb0 === undefined, `k${i} is in database 3 only`);
    }
    assert.ok(counts.attempts > counts.committed);
  });
});

describe("executor: blocking operations", () => {
  /** Pops the value of a key: WOULD_BLOCK while it is missing. */
  const pop: Operation<string, string | WouldBlock> = {
    name: "pop",
    access: "write",
    writes: true,
    reads: true,
    keys: (key) => [enc(key)],
    run: async ({ tx, ks, nowMs }, key) => {
      const value = await strings.getString(tx, ks, enc(key), nowMs);
      if (value === undefined || value === "WRONGTYPE") return WOULD_BLOCK;
      const meta = await lookup(tx, ks, enc(key), nowMs);
      removeKey(tx, ks, enc(key), meta!);
      return dec(value)!;
    },
  };

  test("a waiter is woken by a write to its key; two waiters are served in the order they came, each value once", async () => {
    const { executor } = setup(new MemoryEngine());
    const counts = { attempts: 0, committed: 0 };
    const first = executor.runBlocking(clientOf(), pop, "q", { timeoutMs: 0 });
    const second = executor.runBlocking(clientOf(), pop, "q", { timeoutMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    await executor.run(clientOf(), setOperation(counts), { key: "q", value: "one" });
    assert.equal(await first, "one");
    await executor.run(clientOf(), setOperation(counts), { key: "q", value: "two" });
    assert.equal(await second, "two");
  });

  test("the timeout ends the wait with undefined; an abort ends it at once", async () => {
    const { executor } = setup(new MemoryEngine());
    const started = Date.now();
    assert.equal(await executor.runBlocking(clientOf(), pop, "none", { timeoutMs: 50 }), undefined);
    assert.ok(Date.now() - started >= 45);
    const controller = new AbortController();
    const waiting = executor.runBlocking(clientOf(), pop, "none", { timeoutMs: 0, signal: controller.signal });
    controller.abort();
    assert.equal(await waiting, undefined);
  });

  test("a write to another tenant's key of the same name does not wake the waiter", async () => {
    const { executor } = setup(new MemoryEngine());
    const counts = { attempts: 0, committed: 0 };
    let woken = false;
    const waiting = executor.runBlocking(clientOf(), pop, "q", { timeoutMs: 100 }).then((v) => (woken = v !== undefined));
    await executor.run(clientOf({ ...FULL, tenant: "t2" }), setOperation(counts), { key: "q", value: "theirs" });
    await waiting;
    assert.equal(woken, false);
  });
});

describe("executor: effects against onApplied in a SQLite group commit", () => {
  const dirs = new TempDirs();
  after(() => dirs.removeAll());

  test("each write's effects run when it is applied, before its onApplied, in commit order; replies wait for the group's durability", async () => {
    const engine = await SqliteEngine.open(dirs.make("executor"), { openDriver: await runtimeDriver() });
    try {
      const { executor, keyEvents } = setup(engine);
      const order: string[] = [];
      keyEvents.subscribe({ listening: true, written: (_ks, keys) => order.push(`effect ${dec(keys[0])}`), flushed: () => {} });
      const counts = { attempts: 0, committed: 0 };
      const runs = ["a", "b", "c"].map((key) =>
        Promise.resolve(executor.run(clientOf(), setOperation(counts), { key, value: key }, { onApplied: () => order.push(`applied ${key}`) }))
          .then(() => order.push(`answered ${key}`))
      );
      await Promise.all(runs);
      assert.deepEqual(order.slice(0, 6), ["effect a", "applied a", "effect b", "applied b", "effect c", "applied c"]);
      assert.deepEqual(order.slice(6).sort(), ["answered a", "answered b", "answered c"]);
      assert.equal(counts.committed, 3);
      assert.equal(await executor.run(clientOf(), getOperation, "b"), "b");
    } finally {
      await engine.close();
    }
  });
});
