// Txn.watch on the FoundationDB engine (engine/fdb/watches.ts), over the
// test double: two engines in one process stand for two servers (every
// database handle of the double sees the same data).
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { KeyWatch } from "../../src/engine/contract.ts";
import { EngineError } from "../../src/engine/errors.ts";
import type { FdbEngine } from "../../src/engine/fdb/engine.ts";
import { fdbSkipReason, injectFaults, openTestFdbEngine, realCluster, restoreFaults, simStats } from "./support.ts";

const skip = await fdbSkipReason();
const enc = (text: string) => new TextEncoder().encode(text);

/** "fired", or "pending" if `watch` has not settled within `ms`. */
async function within(watch: KeyWatch, ms: number): Promise<"fired" | "pending" | "rejected"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"pending">((resolve) => (timer = setTimeout(() => resolve("pending"), ms)));
  try {
    return await Promise.race([watch.changed.then(() => "fired" as const, () => "rejected" as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until `check` holds (a cancelled future is destroyed once its callback has run, a moment later). */
async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(check(), what);
}

/** A watch on `key`, made in a transaction that read it, committed. */
function watchOf(engine: FdbEngine, key: Uint8Array): Promise<KeyWatch> {
  return engine.read(async (tx) => {
    await tx.get(key);
    return tx.watch!(key);
  });
}

describe("fdb Txn.watch", { skip }, () => {
  const engines: FdbEngine[] = [];
  after(async () => {
    for (const engine of engines) await engine.close();
    if (!realCluster) await restoreFaults();
  });
  const open = async (options: Parameters<typeof openTestFdbEngine>[0] = {}) => {
    const engine = await openTestFdbEngine(options);
    engines.push(engine);
    return engine;
  };

  test("a watch fires on another engine's write, not on a write of the same value", async () => {
    if (!realCluster) await injectFaults({ rate: 0 });
    const a = await open();
    const b = await open();
    const key = enc("w-same");
    await a.write((tx) => tx.set(key, enc("1")));
    const watch = await watchOf(a, key);
    assert.equal(a.watchStats.live, 1);
    await b.write((tx) => tx.set(key, enc("1")));
    assert.equal(await within(watch, 150), "pending", "same value: no fire");
    await b.write((tx) => tx.set(key, enc("2")));
    assert.equal(await within(watch, 2000), "fired");
    assert.equal(a.watchStats.live, 0);
    assert.equal(a.watchStats.fired, 1);
  });

  test("a watch on a missing key fires when another engine creates it", async () => {
    const a = await open();
    const b = await open();
    const key = enc("w-missing");
    const watch = await watchOf(a, key);
    await b.write((tx) => tx.set(key, enc("x")));
    assert.equal(await within(watch, 2000), "fired");
  });

  test("a retried attempt's watch is failed and freed; only the committed attempt's stays live", async () => {
    const a = await open();
    const b = await open();
    const key = enc("w-retry");
    const made: KeyWatch[] = [];
    let attempts = 0;
    const kept = await a.write(async (tx) => {
      await tx.get(key);
      const watch = tx.watch!(key);
      made.push(watch);
      if (attempts++ === 0) throw new EngineError("not_committed", "forced conflict");
      tx.set(enc("w-retry-other"), enc("v"));
      return watch;
    });
    assert.equal(made.length, 2);
    assert.equal(kept, made[1]);
    assert.equal(await within(made[0]!, 50), "rejected", "the retried attempt's watch reports it never committed");
    await eventually(() => a.watchStats.live === 1, "one live watch");
    await b.write((tx) => tx.set(key, enc("changed")));
    assert.equal(await within(kept, 2000), "fired");
    assert.equal(a.watchStats.live, 0);
  });

  test("a body that fails leaves no live watch", async () => {
    const a = await open();
    const made: KeyWatch[] = [];
    await assert.rejects(a.write(async (tx) => {
      made.push(tx.watch!(enc("w-fail")));
      throw new Error("body bug");
    }), /body bug/);
    assert.equal(await within(made[0]!, 50), "rejected");
    await eventually(() => a.watchStats.live === 0, "no live watch");
  });

  test("cancel frees the watch: it never settles and its future is destroyed", async () => {
    const a = await open();
    const b = await open();
    const key = enc("w-cancel");
    const before = realCluster ? undefined : (await simStats()).liveFutures;
    const watch = await watchOf(a, key);
    watch.cancel();
    await eventually(() => a.watchStats.live === 0, "no live watch");
    // Other engines' background work may hold a future now and then: never more than before.
    if (before !== undefined) assert.ok((await simStats()).liveFutures! <= before);
    await b.write((tx) => tx.set(key, enc("x")));
    assert.equal(await within(watch, 150), "pending");
  });

  test("past max_watches (1032) a watch falls back to a timed re-check instead of failing", async () => {
    const a = await open({ maxWatches: 2, watchFallbackMs: 100 });
    const watches = [await watchOf(a, enc("w-max-1")), await watchOf(a, enc("w-max-2"))];
    const started = performance.now();
    const third = await watchOf(a, enc("w-max-3"));
    // The refusal comes back through the future's callback, a moment later.
    await eventually(() => a.watchStats.fallbacks === 1, "the third watch was refused (1032)");
    assert.equal(await within(third, 1000), "fired", "settles after the fallback period, as a poll");
    const waited = performance.now() - started;
    assert.ok(waited >= 90 && waited < 900, `fallback after ${waited.toFixed(0)} ms`);
    for (const watch of watches) watch.cancel();
  });

  test("close cancels live watches (they reject) and leaks no future", async () => {
    const a = await open();
    const before = realCluster ? undefined : (await simStats()).liveFutures;
    const watches = [await watchOf(a, enc("w-close-1")), await watchOf(a, enc("w-close-2"))];
    engines.splice(engines.indexOf(a), 1);
    await a.close();
    for (const watch of watches) {
      await assert.rejects(watch.changed, (error: unknown) => error instanceof EngineError && error.code === "engine_closed");
    }
    if (before !== undefined) assert.ok((await simStats()).liveFutures! <= before);
  });
});
