// Engine.eventLog on the FoundationDB engine (engine/fdb/event_log.ts), over
// the test double: two engine instances in one process stand for two
// servers over one cluster.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { EventLogFollower } from "../../src/engine/contract.ts";
import { EngineError } from "../../src/engine/errors.ts";
import type { FdbEngine } from "../../src/engine/fdb/engine.ts";
import { CHUNK_BYTES, MAX_ENTRY_BYTES, topicKeys } from "../../src/engine/fdb/event_log.ts";
import { configureSim, fdbSkipReason, injectFaults, openTestFdbEngine, realCluster, restoreFaults, simStats } from "./support.ts";

const skip = await fdbSkipReason();
const simOnly = skip ?? (realCluster ? "needs the test double's fault injection" : undefined);
const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
const dec = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

interface Collected {
  readonly got: string[];
  readonly follower: EventLogFollower;
}

function collect(engine: FdbEngine, topic: string): Collected {
  const got: string[] = [];
  const follower = engine.eventLog.follow(enc(topic), (entries) => {
    for (const entry of entries) got.push(dec(entry));
  });
  return { got, follower };
}

async function eventually(check: () => boolean, what: () => string, ms = 5000): Promise<void> {
  const until = performance.now() + ms;
  while (!check() && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(check(), what());
}

/** Keys left in a topic's log, read around the event log. */
function logRows(engine: FdbEngine, topic: string): Promise<number> {
  return engine.read(async (tx) => (await tx.snapshot.getRange(topicKeys(enc(topic)).logRange)).length);
}

const engines: FdbEngine[] = [];
async function open(options: Parameters<typeof openTestFdbEngine>[0] = {}): Promise<FdbEngine> {
  const engine = await openTestFdbEngine(options);
  engines.push(engine);
  return engine;
}

/**
 * `appenders` concurrent appenders per engine, each making `calls` calls of
 * 1 to 3 entries named "<engine>.<appender>.<call>.<i>"; the entries of the
 * calls that resolved, and of those that failed.
 */
async function appendConcurrently(list: readonly FdbEngine[], topic: string, appenders: number, calls: number, tag = "") {
  const committed: string[][] = [];
  const failed: string[] = [];
  await Promise.all(list.flatMap((engine, e) =>
    Array.from({ length: appenders }, async (_, p) => {
      const mine: string[] = [];
      committed.push(mine);
      for (let c = 0; c < calls; c++) {
        const entries = Array.from({ length: 1 + ((c + p) % 3) }, (_, i) => `${tag}${e}.${p}.${c}.${i}`);
        try {
          await engine.eventLog.append(enc(topic), entries.map(enc));
          mine.push(...entries);
        } catch {
          failed.push(...entries);
        }
      }
    })
  ));
  return { committed, failed };
}

/** Every follower got each committed entry exactly once, the same sequence, each appender's entries in call order. */
function checkDelivery(followers: readonly Collected[], committed: readonly string[][], failed: readonly string[]): void {
  const expected = new Set(committed.flat());
  const failedSet = new Set(failed);
  const reference = followers[0]!.got;
  for (const { got } of followers) {
    assert.deepEqual(got, reference, "the same order on every follower, on both engines");
    assert.equal(new Set(got).size, got.length, "no entry twice");
    for (const entry of got) assert.ok(expected.has(entry) || failedSet.has(entry), `unexpected entry ${entry}`);
  }
  for (const entry of expected) assert.ok(reference.includes(entry), `entry ${entry} lost`);
  const position = new Map(reference.map((entry, i) => [entry, i]));
  for (const mine of committed) {
    for (let i = 1; i < mine.length; i++) assert.ok(position.get(mine[i - 1]!)! < position.get(mine[i]!)!, `call order of ${mine[i]}`);
  }
}

describe("fdb event log", { skip }, () => {
  after(async () => {
    for (const engine of engines.splice(0)) await engine.close();
    if (!realCluster) await restoreFaults();
  });

  test("a follower sees entries appended after it started, through either engine, not those before", async () => {
    if (!realCluster) await injectFaults({ rate: 0 });
    const a = await open();
    const b = await open();
    await a.eventLog.append(enc("t-late"), [enc("old1"), enc("old2")]);
    await b.eventLog.append(enc("t-late"), [enc("old3")]);
    const onA = collect(a, "t-late");
    const onB = collect(b, "t-late");
    await Promise.all([onA.follower.ready, onB.follower.ready]);
    await a.eventLog.append(enc("t-late"), [enc("new1")]);
    await b.eventLog.append(enc("t-late"), [enc("new2"), enc("new3")]);
    await eventually(() => onA.got.length === 3 && onB.got.length === 3, () => `A ${onA.got}, B ${onB.got}`);
    assert.deepEqual(onA.got, ["new1", "new2", "new3"]);
    assert.deepEqual(onB.got, ["new1", "new2", "new3"]);
    // A follower started now sees none of these.
    const late = collect(b, "t-late");
    await late.follower.ready;
    await a.eventLog.append(enc("t-late"), [enc("new4")]);
    await eventually(() => late.got.length === 1, () => `late ${late.got}`);
    assert.deepEqual(late.got, ["new4"]);
    for (const c of [onA, onB, late]) c.follower.stop();
  });

  test("an entry appended through the same engine right after follow() reaches the follower", async () => {
    const a = await open();
    const c = collect(a, "t-same");
    await a.eventLog.append(enc("t-same"), [enc("first")]);
    await eventually(() => c.got.length === 1, () => `${c.got}`);
    assert.deepEqual(c.got, ["first"]);
    c.follower.stop();
  });

  test("concurrent appenders on two engines: every follower sees every entry once, in one order", async () => {
    const a = await open();
    const b = await open();
    const followers = [collect(a, "t-conc"), collect(a, "t-conc"), collect(b, "t-conc")];
    await Promise.all(followers.map((c) => c.follower.ready));
    // One watch per followed topic per engine, whatever the number of followers.
    await eventually(() => a.watchStats.live === 1, () => `${a.watchStats.live} live watches`);
    const { committed, failed } = await appendConcurrently([a, b], "t-conc", 4, 40);
    const total = committed.flat().length;
    assert.equal(failed.length, 0);
    await eventually(() => followers.every((c) => c.got.length >= total), () => `${followers.map((c) => c.got.length)} of ${total}`);
    checkDelivery(followers, committed, failed);
    assert.ok(a.eventLog.stats.appendTransactions < a.eventLog.stats.appendCalls, "concurrent calls share transactions (group commit)");
    for (const c of followers) c.follower.stop();
  });

  test("with injected commit and read faults, no committed entry is lost or delivered twice", { skip: simOnly }, async () => {
    const a = await open();
    const b = await open();
    const followers = [collect(a, "t-faults"), collect(b, "t-faults")];
    await Promise.all(followers.map((c) => c.follower.ready));
    await injectFaults({
      rate: 0.15,
      seed: 99,
      faults: ["not_committed", "commit_unknown_result_applied", "commit_unknown_result_not_applied", "transaction_too_old"],
    });
    await configureSim("FDB_SIM_READ_FAULT_RATE", "0.05");
    const before = await simStats();
    let mixed;
    let applied;
    try {
      mixed = await appendConcurrently([a, b], "t-faults", 3, 40);
      // Then every commit reports an unknown result that did apply: the case idempotency must not append twice,
      // made certain rather than left to the draw (how many commits the first phase makes depends on batching).
      await injectFaults({ rate: 1, seed: 7, faults: ["commit_unknown_result_applied"] });
      applied = await appendConcurrently([a, b], "t-faults", 1, 5, "applied:");
    } finally {
      await configureSim("FDB_SIM_READ_FAULT_RATE", "0");
      await restoreFaults();
    }
    const after = await simStats();
    const committed = [...mixed.committed, ...applied.committed];
    const failed = [...mixed.failed, ...applied.failed];
    const total = committed.flat().length;
    await eventually(() => followers.every((c) => c.got.length >= total), () => `${followers.map((c) => c.got.length)} of ${total}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    checkDelivery(followers, committed, failed);
    const injected = after.injected! - before.injected!;
    const unknownApplied = after.injectedUnknownApplied! - before.injectedUnknownApplied!;
    assert.ok(injected >= 5 && unknownApplied >= 1, `faults injected: ${injected}, of which unknown results that applied: ${unknownApplied}`);
    for (const c of followers) c.follower.stop();
  });

  test("entries larger than a value span several keys and come back whole; the limits are explicit", async () => {
    const a = await open();
    const b = await open();
    const c = collect(b, "t-big");
    await c.follower.ready;
    const big = new Uint8Array(CHUNK_BYTES * 2 + 123).map((_, i) => i % 251);
    const got: Uint8Array[] = [];
    const raw = b.eventLog.follow(enc("t-big"), (entries) => got.push(...entries));
    await raw.ready;
    await a.eventLog.append(enc("t-big"), [enc("small"), big, enc("after")]);
    await eventually(() => got.length === 3, () => `${got.length}`);
    assert.ok(got[1]!.length === big.length && got[1]!.every((byte, i) => byte === big[i]), "the large entry whole");
    assert.equal(dec(got[2]!), "after");
    await assert.rejects(a.eventLog.append(enc("t-big"), [new Uint8Array(MAX_ENTRY_BYTES + 1)]), (error: unknown) =>
      error instanceof EngineError && error.code === "value_too_large" && /exceeds the limit/.test(error.message));
    raw.stop();
    c.follower.stop();
  });

  test("a backlog longer than a page is read in several transactions, in order", async () => {
    const a = await open();
    const b = await open({ eventLog: { pageRows: 10 } });
    const c = collect(b, "t-page");
    await c.follower.ready;
    const readsBefore = b.eventLog.stats.reads;
    const entries = Array.from({ length: 95 }, (_, i) => `p${i}`);
    await a.eventLog.append(enc("t-page"), entries.map(enc));
    await eventually(() => c.got.length === 95, () => `${c.got.length}`);
    assert.deepEqual(c.got, entries);
    assert.ok(b.eventLog.stats.reads - readsBefore >= 10, `read in pages: ${b.eventLog.stats.reads - readsBefore} reads`);
    c.follower.stop();
  });

  test("this engine's appends are read at once; another engine's after the watch fires (here: a 1 s poll)", async () => {
    const a = await open();
    // Every watch refused: this engine hears of other engines' appends only by polling every second.
    const b = await open({ maxWatches: 0, watchFallbackMs: 1000 });
    const c = collect(b, "t-local");
    await c.follower.ready;
    const started = performance.now();
    await b.eventLog.append(enc("t-local"), [enc("mine")]);
    await eventually(() => c.got.length === 1, () => `${c.got}`);
    assert.ok(performance.now() - started < 500, "own append read right after its commit");
    await a.eventLog.append(enc("t-local"), [enc("theirs")]);
    await eventually(() => c.got.length === 2, () => `${c.got}`, 3000);
    assert.deepEqual(c.got, ["mine", "theirs"]);
    c.follower.stop();
  });

  test("topics are apart, even when one's name is a prefix of the other's", async () => {
    const a = await open();
    const one = collect(a, "tenant");
    const two = collect(a, "tenant\0x");
    await Promise.all([one.follower.ready, two.follower.ready]);
    await a.eventLog.append(enc("tenant"), [enc("1")]);
    await a.eventLog.append(enc("tenant\0x"), [enc("2")]);
    await eventually(() => one.got.length === 1 && two.got.length === 1, () => `${one.got} / ${two.got}`);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.deepEqual([one.got, two.got], [["1"], ["2"]]);
    one.follower.stop();
    two.follower.stop();
  });

  test("trimming clears the entries older than the retention and keeps the newer", async () => {
    let now = 1_000_000;
    const a = await open({ wallClock: () => now, eventLog: { retentionMs: 60_000, trimEveryMs: 0 } });
    for (let i = 0; i < 3; i++) await a.eventLog.append(enc("t-trim"), [enc(`old${i}`), enc(`old${i}b`)]);
    now += 61_000;
    await a.eventLog.append(enc("t-trim"), [enc("new")]);
    assert.equal(await logRows(a, "t-trim"), 7);
    assert.equal(await a.eventLog.trim(), 3, "the three old append transactions");
    assert.equal(await logRows(a, "t-trim"), 1);
    assert.equal(await a.eventLog.trim(), 0, "nothing more to trim");
    now += 61_000;
    assert.equal(await a.eventLog.trim(), 1);
    assert.equal(await logRows(a, "t-trim"), 0);
    // The log still works after it was emptied.
    const c = collect(a, "t-trim");
    await c.follower.ready;
    await a.eventLog.append(enc("t-trim"), [enc("again")]);
    await eventually(() => c.got.length === 1, () => `${c.got}`);
    c.follower.stop();
  });

  test("the trimming job runs on its own", async () => {
    let now = 2_000_000;
    const a = await open({ wallClock: () => now, eventLog: { retentionMs: 1_000, trimEveryMs: 20 } });
    await a.eventLog.append(enc("t-job"), [enc("x")]);
    now += 5_000;
    await eventually(() => a.eventLog.stats.marksTrimmed >= 1, () => "trimmed", 2000);
    assert.equal(await logRows(a, "t-job"), 0);
  });

  test("stop releases the topic's watch once no follower is left; close commits accepted appends and leaks no future", async () => {
    const a = await open();
    const before = realCluster ? undefined : (await simStats()).liveFutures!;
    const one = collect(a, "t-stop");
    const two = collect(a, "t-stop");
    await Promise.all([one.follower.ready, two.follower.ready]);
    await eventually(() => a.watchStats.live === 1, () => `${a.watchStats.live} live watches`);
    one.follower.stop();
    assert.equal(a.eventLog.followedTopics, 1);
    two.follower.stop();
    assert.equal(a.eventLog.followedTopics, 0);
    await eventually(() => a.watchStats.live === 0, () => `${a.watchStats.live} live watches`);
    // Close with a follower, a pending append and a watch.
    const three = collect(a, "t-stop");
    await three.follower.ready;
    const pending = a.eventLog.append(enc("t-stop"), [enc("last")]);
    engines.splice(engines.indexOf(a), 1);
    await a.close();
    await pending;
    assert.equal(a.watchStats.live, 0);
    await assert.rejects(a.eventLog.append(enc("t-stop"), [enc("late")]), (error: unknown) => error instanceof EngineError && error.code === "engine_closed");
    assert.throws(() => a.eventLog.follow(enc("t-stop"), () => {}), /closed/);
    if (before !== undefined) assert.ok((await simStats()).liveFutures! <= before, "no future left behind");
  });
});
