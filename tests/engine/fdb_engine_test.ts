// The conformance suite on the FoundationDB engine over libfdb_c (the C test
// double of tests/fdb-sim unless FDB_CLUSTER_FILE names a real cluster),
// without and with injected faults, plus what only it has: the API version,
// idempotency markers under commit_unknown_result, and the start-up checks.
// Skipped, with the reason, when no libfdb_c can be loaded.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { decodeInt64 } from "../../src/engine/atomic_add.ts";
import { EngineError } from "../../src/engine/errors.ts";
import { FdbClient } from "../../src/engine/fdb/client.ts";
import { FdbEngine } from "../../src/engine/fdb/engine.ts";
import { engineErrorOf, retryCodeOf } from "../../src/engine/fdb/error_map.ts";
import { firstGreaterOrEqual, StreamingMode } from "../../src/engine/fdb/fdb_c.ts";
import { FdbError } from "../../src/engine/fdb/futures.ts";
import { HotKeys } from "../../src/engine/fdb/hot_keys.ts";
import { MARKER_SPACE } from "../../src/engine/fdb/idempotency.ts";
import { visibleParts } from "../../src/engine/fdb/txn.ts";
import { b, engineConformance, engineError, s } from "./conformance_cases.ts";
import { readConflictRangeCases } from "./read_conflict_range_cases.ts";
import {
  configureSim,
  fdbSkipReason,
  injectFaults,
  openTestFdbEngine,
  restoreFaults,
  realCluster,
  simStats,
  testClusterFile,
  testLibrary,
} from "../fdb/support.ts";

const skip = await fdbSkipReason();
const simOnly = skip ?? (realCluster ? "needs the test double's fault injection (tests/fdb-sim)" : undefined);
const seed = 4242;

/** Every key under the marker space, read around the engine (which hides them). */
async function markerKeys(): Promise<Uint8Array[]> {
  const client = FdbClient.current!;
  const db = client.createDatabase(testClusterFile());
  const tr = db.createTransaction();
  try {
    const batch = await tr.getRange(firstGreaterOrEqual(MARKER_SPACE.start), firstGreaterOrEqual(MARKER_SPACE.end), {
      limit: 0,
      mode: StreamingMode.WANT_ALL,
      iteration: 1,
      snapshot: true,
      reverse: false,
    });
    return batch.entries.map((e) => e.key);
  } finally {
    tr.destroy();
    db.destroy();
  }
}

if (skip === undefined) {
  engineConformance("fdb", {
    async open(options) {
      if (!realCluster) await injectFaults({ rate: 0 });
      return openTestFdbEngine({ clock: options?.clock });
    },
    cleanup: () => (realCluster ? undefined : restoreFaults()),
  });
  readConflictRangeCases("fdb", async () => {
    if (!realCluster) await injectFaults({ rate: 0 });
    return openTestFdbEngine();
  });

  if (!realCluster) {
    engineConformance(`fdb with injected faults (seed ${seed}, rate 0.1, both kinds of commit_unknown_result)`, {
      async open(options) {
        const engine = await openTestFdbEngine({ clock: options?.clock });
        await injectFaults({ rate: 0.1, seed, faults: ["not_committed", "commit_unknown_result_applied", "commit_unknown_result_not_applied", "transaction_too_old"] });
        return engine;
      },
      cleanup: () => restoreFaults(),
    });
  }
} else {
  describe("engine conformance: fdb", { skip }, () => {
    test("every conformance case", () => {});
  });
}

describe("fdb binding", { skip }, () => {
  test("selects API version 730 (or the newest the library allows, at least 710)", async () => {
    const engine = await openTestFdbEngine();
    try {
      assert.ok(engine.apiVersion >= 710 && engine.apiVersion <= 730, String(engine.apiVersion));
      if (!realCluster) assert.equal(engine.apiVersion, 730);
    } finally {
      await engine.close();
    }
  });

  test("FoundationDB errors map to the engine's classes, naming the code", () => {
    const classify = { isRetryable: (c: number) => [1007, 1009, 1020, 1021].includes(c), maybeCommitted: (c: number) => c === 1021 };
    const cases: Array<[number, string, boolean]> = [
      [1020, "not_committed", true],
      [1021, "commit_unknown_result", true],
      [1007, "transaction_too_old", true],
      [1009, "not_committed", true],
      [1031, "transaction_timed_out", false],
      [2101, "transaction_too_large", false],
      [2102, "key_too_large", false],
      [2103, "value_too_large", false],
      [1038, "storage_failure", false],
    ];
    for (const [code, expected, retryable] of cases) {
      const error = engineErrorOf(new FdbError(code, "described"), classify);
      assert.equal(error.code, expected, String(code));
      assert.match(error.message, new RegExp(`FoundationDB error ${code}`));
      assert.equal(retryCodeOf(error, classify) !== undefined, retryable, String(code));
    }
    assert.equal(retryCodeOf(new EngineError("not_committed", "from a body"), classify), 1020);
    assert.equal(retryCodeOf(new TypeError("bug"), classify), undefined);
  });

  test("ranges around the marker space are cut out of it", () => {
    const { start, end } = MARKER_SPACE;
    const all = { start: new Uint8Array(0), end: new Uint8Array([0xff]) };
    assert.deepEqual(visibleParts(all, MARKER_SPACE), [{ start: all.start, end: start }, { start: end, end: all.end }]);
    assert.deepEqual(visibleParts({ start: b("a"), end: b("b") }, MARKER_SPACE), [{ start: b("a"), end: b("b") }]);
    assert.deepEqual(visibleParts({ start, end }, MARKER_SPACE), []);
  });
});

describe("fdb engine idempotency under commit_unknown_result", { skip: simOnly }, () => {
  after(() => restoreFaults());
  const calls = 150;
  const unknownOnly = ["commit_unknown_result_applied", "commit_unknown_result_not_applied"];

  async function countTo(engine: FdbEngine): Promise<{ counter: bigint; appended: number; results: number[] }> {
    const results: number[] = [];
    for (let i = 0; i < calls; i++) {
      results.push(
        await engine.write(async (tx) => {
          const current = await tx.get(b("counter"));
          const next = (current === undefined ? 0 : Number(s(current))) + 1;
          tx.set(b("counter"), b(String(next)));
          tx.add(b("adds"), 1n);
          const log = (await tx.get(b("log"))) ?? new Uint8Array(0);
          tx.set(b("log"), new Uint8Array([...log, 1]));
          return next;
        }),
      );
    }
    const [counter, adds, log] = await engine.read((tx) => Promise.all([tx.get(b("counter")), tx.get(b("adds")), tx.get(b("log"))]));
    assert.equal(decodeInt64(adds!), BigInt(s(counter)!), "the atomic add and the read-modify-write agree");
    return { counter: BigInt(s(counter)!), appended: log!.length, results };
  }

  test("with markers, every read-modify-write and atomic add applies exactly once", async () => {
    const engine = await openTestFdbEngine();
    try {
      await injectFaults({ rate: 0.3, seed, faults: unknownOnly });
      const before = await simStats();
      const { counter, appended, results } = await countTo(engine);
      const after = await simStats();
      await injectFaults({ rate: 0 });
      assert.equal(counter, BigInt(calls));
      assert.equal(appended, calls);
      // Each call answered with the value its committed attempt wrote.
      assert.deepEqual(results, Array.from({ length: calls }, (_, i) => i + 1));
      const applied = after.injectedUnknownApplied! - before.injectedUnknownApplied!;
      const dropped = after.injectedUnknownNotApplied! - before.injectedUnknownNotApplied!;
      assert.ok(applied > 5 && dropped > 5, `both kinds injected: ${applied} applied, ${dropped} not`);
      assert.ok(engine.stats.resolvedByMarker >= applied, `${engine.stats.resolvedByMarker} resolved by marker`);
    } finally {
      await restoreFaults();
      await engine.close();
    }
  });

  test("without markers the same run counts some calls twice (the test can fail)", async () => {
    const engine = await openTestFdbEngine({ idempotencyMarkers: false });
    try {
      await injectFaults({ rate: 0.3, seed, faults: ["commit_unknown_result_applied"] });
      const { counter } = await countTo(engine);
      await injectFaults({ rate: 0 });
      assert.ok(counter > BigInt(calls), `expected double applies, got ${counter}`);
    } finally {
      await restoreFaults();
      await engine.close();
    }
  });

  test("retries that run out after a commit that may have landed end in commit_unknown_result, not retries_exhausted", async () => {
    const engine = await openTestFdbEngine();
    try {
      // Every commit reports 1021: the caller cannot be told to simply retry.
      await injectFaults({ rate: 1, seed, faults: ["commit_unknown_result_not_applied"] });
      const uncertain = await engineError(() => engine.write(async (tx) => tx.set(b("maybe"), b("1"))));
      // A body that fails before committing never leaves the outcome open.
      await injectFaults({ rate: 1, seed, faults: ["not_committed"] });
      const plain = await engineError(() => engine.write(async (tx) => tx.set(b("never"), b("1"))));
      await injectFaults({ rate: 0 });
      assert.equal(uncertain.code, "commit_unknown_result");
      assert.match(uncertain.message, /may have committed/);
      assert.equal(plain.code, "retries_exhausted");
    } finally {
      await restoreFaults();
      await engine.close();
    }
  });

  test("old marker buckets are cleared by a range clear once a minute", async () => {
    await injectFaults({ rate: 0 });
    // Ahead of the real clock, so the markers of earlier tests (real minutes) are older still.
    let wall = Date.now() + 60 * 60_000;
    const engine = await openTestFdbEngine({ wallClock: () => wall });
    try {
      for (let i = 0; i < 5; i++) await engine.write(async (tx) => tx.set(b(`k${i}`), b("v")));
      const old = await markerKeys();
      assert.ok(old.length >= 5, `markers written: ${old.length}`);
      wall += 3 * 60_000;
      await engine.write(async (tx) => tx.set(b("later"), b("v")));
      // The sweep runs in the background; the engine counts it when done.
      for (let i = 0; i < 100 && engine.stats.markerSweeps < 2; i++) await new Promise((r) => setTimeout(r, 10));
      const left = await markerKeys();
      assert.equal(left.filter((k) => old.some((o) => Buffer.compare(o, k) === 0)).length, 0, "old markers gone");
      assert.equal(left.length, 1, "the new write's marker stays");
      // Users never see markers.
      const everything = await engine.read((tx) => tx.getRange({ start: new Uint8Array(0), end: new Uint8Array([0xff]) }));
      assert.deepEqual(everything.map((e) => s(e.key)).sort(), ["k0", "k1", "k2", "k3", "k4", "later"]);
    } finally {
      await engine.close();
    }
  });
});

describe("fdb engine start-up checks", { skip: simOnly }, () => {
  test("a missing cluster file is named, with the flag that fixes it", async () => {
    const library = (await testLibrary())!;
    const error = await engineError(FdbEngine.open({ library, clusterFile: "/nonexistent/fdb.cluster" }));
    assert.equal(error.code, "storage_failure");
    assert.match(error.message, /cluster file \/nonexistent\/fdb\.cluster does not exist/);
    assert.match(error.message, /--fdb-cluster-file/);
  });

  test("an unreachable cluster fails open within the connect timeout, saying so", async () => {
    const library = (await testLibrary())!;
    await configureSim("FDB_SIM_UNREACHABLE", "1");
    try {
      const started = performance.now();
      const error = await engineError(FdbEngine.open({ library, clusterFile: testClusterFile(), connectTimeoutMs: 300 }));
      assert.ok(performance.now() - started < 3000);
      assert.equal(error.code, "storage_failure");
      assert.match(error.message, /cannot reach the FoundationDB cluster/);
    } finally {
      await configureSim("FDB_SIM_UNREACHABLE", "0");
    }
  });
});

describe("fdb hot keys", () => {
  test("only keys seen in a conflict are taken, in turn, and they cool down after 2 s", async () => {
    let now = 0;
    const hot = new HotKeys(() => now);
    assert.equal(hot.acquire(b("k")), undefined);
    hot.markConflicted([b("k")]);
    const order: string[] = [];
    const first = await hot.acquire(b("k"))!;
    const second = hot.acquire(b("k"))!.then((release) => {
      order.push("second");
      release();
    });
    await Promise.resolve();
    order.push("first");
    first();
    await second;
    assert.deepEqual(order, ["first", "second"]);
    now += 2_001;
    assert.equal(hot.acquire(b("k")), undefined);
    assert.equal(hot.size, 0);
  });

  test("a transaction that read many keys marks none (not a hot-key pattern)", () => {
    const hot = new HotKeys(() => 0);
    hot.markConflicted(Array.from({ length: 9 }, (_, i) => b(`k${i}`)));
    assert.equal(hot.size, 0);
  });
});
