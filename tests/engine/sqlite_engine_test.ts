// The conformance suite on the SQLite engine with this runtime's driver, plus
// what only it has: files that survive, group commit, one process per file,
// and a real crash.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Engine } from "../../src/engine/contract.ts";
import { decodeInt64 } from "../../src/engine/atomic_add.ts";
import { DATA_FILE_NAME, SqliteEngine } from "../../src/engine/sqlite/engine.ts";
import type { OpenSqlite, SqliteDriver, SqliteStatement } from "../../src/engine/sqlite/driver.ts";
import { b, engineConformance, engineError, s } from "./conformance_cases.ts";
import { isBun, runtimeCommand, runtimeDriver, TempDirs } from "./sqlite_support.ts";

const openDriver = await runtimeDriver();
const dirs = new TempDirs();
after(() => dirs.removeAll());

engineConformance(`sqlite (${isBun ? "bun:sqlite" : "node:sqlite"})`, {
  open: (options) => SqliteEngine.open(dirs.make(), { openDriver, clock: options?.clock }),
  cleanup: () => dirs.removeAll(),
});

/** A driver that counts COMMITs and row upserts, and can be told to fail the next ones. */
function instrumented(open: OpenSqlite): {
  open: OpenSqlite;
  commits: () => number;
  upserts: () => number;
  failCommits: (n: number) => void;
  failUpserts: (n: number) => void;
} {
  const counts = { COMMIT: 0, upsert: 0 };
  const failing = { COMMIT: 0, upsert: 0 };
  const watched = (sql: string): keyof typeof counts | undefined =>
    sql === "COMMIT" ? "COMMIT" : sql.startsWith("INSERT OR REPLACE INTO kv") ? "upsert" : undefined;
  const wrap = (path: string): SqliteDriver => {
    const inner = open(path);
    return {
      exec: (sql) => inner.exec(sql),
      close: () => inner.close(),
      prepare(sql): SqliteStatement {
        const statement = inner.prepare(sql);
        const kind = watched(sql);
        if (kind === undefined) return statement;
        return {
          get: (...p) => statement.get(...p),
          all: (...p) => statement.all(...p),
          run(...p) {
            if (failing[kind] > 0) {
              failing[kind]--;
              throw new Error("disk I/O error (simulated)");
            }
            counts[kind]++;
            return statement.run(...p);
          },
        };
      },
    };
  };
  return {
    open: wrap,
    commits: () => counts.COMMIT,
    upserts: () => counts.upsert,
    failCommits: (n) => (failing.COMMIT = n),
    failUpserts: (n) => (failing.upsert = n),
  };
}

async function withSqlite<T>(fn: (engine: SqliteEngine, dir: string) => Promise<T>): Promise<T> {
  const dir = dirs.make();
  const engine = await SqliteEngine.open(dir, { openDriver });
  try {
    return await fn(engine, dir);
  } finally {
    await engine.close();
  }
}

describe("sqlite engine", () => {
  test("data survives close and reopen", async () => {
    const dir = dirs.make();
    const first = await SqliteEngine.open(dir, { openDriver });
    await first.write(async (tx) => {
      tx.set(b("a"), b("1"));
      tx.add(b("n"), 41n);
    });
    await first.write(async (tx) => tx.add(b("n"), 1n));
    await first.close();
    assert.ok(existsSync(join(dir, DATA_FILE_NAME)));
    const second = await SqliteEngine.open(dir, { openDriver });
    try {
      assert.equal(s(await second.read((tx) => tx.get(b("a")))), "1");
      assert.equal(decodeInt64((await second.read((tx) => tx.get(b("n"))))!), 42n);
    } finally {
      await second.close();
    }
  });

  test("the data directory is created when missing", async () => {
    const dir = join(dirs.make(), "nested", "data");
    const engine = await SqliteEngine.open(dir, { openDriver });
    await engine.close();
    assert.ok(existsSync(join(dir, DATA_FILE_NAME)));
  });

  test("writes that arrive in the same turn share one batch and one COMMIT", async () => {
    await withSqlite(async (engine) => {
      const before = engine.stats;
      await Promise.all(Array.from({ length: 100 }, (_, i) => engine.write(async (tx) => tx.set(b(`k${i}`), b("v")))));
      const after = engine.stats;
      assert.equal(after.batches - before.batches, 1);
      assert.equal(after.commits - before.commits, 1);
      assert.equal(after.transactions - before.transactions, 100);
    });
  });

  test("a pipelining client that starts its next transaction from onApplied joins the same batch", async () => {
    await withSqlite(async (engine) => {
      const before = engine.stats;
      const replies: Promise<unknown>[] = [];
      const next = (i: number): void => {
        if (i === 30) return;
        replies.push(engine.write(async (tx) => tx.set(b(`p${i}`), b(String(i))), { onApplied: () => next(i + 1) }));
      };
      next(0);
      // A second client, whose next command starts a few promise hops after onApplied.
      const later = (i: number): void => {
        if (i === 10) return;
        replies.push(
          engine.write(async (tx) => tx.set(b(`q${i}`), b(String(i))), {
            onApplied: () => void Promise.resolve().then(() => later(i + 1)),
          }),
        );
      };
      later(0);
      await Promise.all(replies);
      await Promise.all(replies); // the array grew while awaiting
      assert.equal(replies.length, 40);
      const after = engine.stats;
      assert.equal(after.commits - before.commits, 1);
      assert.equal(after.transactions - before.transactions, 40);
    });
  });

  test("bodies in a batch run one after another and see the earlier items' writes", async () => {
    await withSqlite(async (engine) => {
      const log: string[] = [];
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          engine.write(async (tx) => {
            log.push(`start ${i}`);
            const previous = await tx.get(b("chain"));
            await tx.getRange({ start: b("a"), end: b("z") });
            tx.set(b("chain"), b(`${s(previous) ?? ""}${i}`));
            log.push(`end ${i}`);
            return s(previous) ?? "";
          }),
        ),
      );
      assert.deepEqual(results, ["", "0", "01", "012", "0123"]);
      assert.deepEqual(log, [0, 1, 2, 3, 4].flatMap((i) => [`start ${i}`, `end ${i}`]));
      assert.equal(engine.stats.commits, 1);
    });
  });

  test("no reply, read or write, is released before its batch's COMMIT", async () => {
    const driver = instrumented(openDriver);
    const engine = await SqliteEngine.open(dirs.make(), { openDriver: driver.open });
    try {
      const commitsAtSettle: number[] = [];
      const before = driver.commits();
      await Promise.all([
        engine.write(async (tx) => tx.set(b("a"), b("1"))).then(() => commitsAtSettle.push(driver.commits())),
        Promise.resolve(engine.read(async (tx) => tx.get(b("a")))).then((v) => {
          assert.equal(s(v), "1");
          commitsAtSettle.push(driver.commits());
        }),
        engine
          .write(async () => {
            throw new Error("body failed");
          })
          .catch(() => commitsAtSettle.push(driver.commits())),
      ]);
      assert.deepEqual(commitsAtSettle, [before + 1, before + 1, before + 1]);
    } finally {
      await engine.close();
    }
  });

  test("a failed COMMIT rejects every transaction of the batch with storage_failure and keeps nothing", async () => {
    const driver = instrumented(openDriver);
    const engine = await SqliteEngine.open(dirs.make(), { openDriver: driver.open });
    try {
      driver.failCommits(1);
      const results = await Promise.allSettled([
        engine.write(async (tx) => tx.set(b("a"), b("1"))),
        engine.read(async (tx) => tx.get(b("a"))),
      ]);
      for (const result of results) {
        assert.equal(result.status, "rejected");
        const reason = (result as PromiseRejectedResult).reason as { code?: string; message: string };
        assert.equal(reason.code, "storage_failure");
        assert.match(reason.message, /disk I\/O error/);
      }
      assert.equal(await engine.read((tx) => tx.get(b("a"))), undefined);
      await engine.write(async (tx) => tx.set(b("a"), b("2")));
      assert.equal(s(await engine.read((tx) => tx.get(b("a")))), "2");
    } finally {
      await engine.close();
    }
  });

  test("a key written by every transaction of a batch reaches SQLite once; range reads in the batch see rows still waiting", async () => {
    const driver = instrumented(openDriver);
    const dir = dirs.make();
    const engine = await SqliteEngine.open(dir, { openDriver: driver.open });
    try {
      const before = driver.upserts();
      const ranges = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          engine.write(async (tx) => {
            tx.set(b("hot"), b(String(i)));
            tx.add(b("count"), 1n);
            tx.set(b(`row:${String(i).padStart(2, "0")}`), b("x"));
            return (await tx.getRange({ start: b("row:"), end: b("row;") })).length;
          }),
        ),
      );
      // Each body sees the rows of every earlier item, flushed for its range read.
      assert.deepEqual(ranges, Array.from({ length: 20 }, (_, i) => i + 1));
      assert.equal(engine.stats.commits, 1);
      // Without the range reads: one upsert per key for the whole batch.
      const quietBefore = driver.upserts();
      await Promise.all(Array.from({ length: 20 }, (_, i) => engine.write(async (tx) => {
        tx.set(b("hot"), b(`again ${i}`));
        tx.add(b("count"), 1n);
      })));
      assert.equal(driver.upserts() - quietBefore, 2);
      // With them: each flush wrote what was waiting, three rows per item.
      assert.equal(quietBefore - before, 20 * 3);
    } finally {
      await engine.close();
    }
    const reopened = await SqliteEngine.open(dir, { openDriver });
    try {
      assert.equal(s(await reopened.read((tx) => tx.get(b("hot")))), "again 19");
      assert.equal(decodeInt64(await reopened.read((tx) => tx.get(b("count"))) as Uint8Array), 40n);
      assert.equal((await reopened.read((tx) => tx.getRange({ start: b("row:"), end: b("row;") }))).length, 20);
    } finally {
      await reopened.close();
    }
  });

  test("a failed write of the waiting rows fails the whole batch and keeps none of it", async () => {
    const driver = instrumented(openDriver);
    const engine = await SqliteEngine.open(dirs.make(), { openDriver: driver.open });
    try {
      await engine.write(async (tx) => tx.set(b("kept"), b("1")));
      driver.failUpserts(1);
      const results = await Promise.allSettled([
        engine.write(async (tx) => tx.set(b("a"), b("1"))),
        engine.write(async (tx) => {
          tx.set(b("b"), b("1"));
          // Flushes the rows waiting so far: that write fails.
          return tx.getRange({ start: b("a"), end: b("z") });
        }),
        engine.write(async (tx) => tx.set(b("kept"), b(s(tx.get(b("b")) as Uint8Array | undefined) ?? "no b"))),
      ]);
      // The batch ends at the failure; the item after it runs in the next batch, where none of it is left.
      for (const result of results.slice(0, 2)) {
        assert.equal(result.status, "rejected");
        assert.equal((result as PromiseRejectedResult).reason.code, "storage_failure");
      }
      assert.equal(results[2].status, "fulfilled");
      assert.equal(await engine.read((tx) => tx.get(b("a"))), undefined);
      assert.equal(await engine.read((tx) => tx.get(b("b"))), undefined);
      assert.equal(s(await engine.read((tx) => tx.get(b("kept")))), "no b");
      await engine.write(async (tx) => tx.set(b("a"), b("2")));
      assert.equal(s(await engine.read((tx) => tx.get(b("a")))), "2");
    } finally {
      await engine.close();
    }
  });

  test("reads while the engine is quiet run at once: answered synchronously, no batch, no commit", async () => {
    await withSqlite(async (engine) => {
      await engine.write(async (tx) => tx.set(b("a"), b("1")));
      const before = engine.stats;
      const answers = Array.from({ length: 10 }, () => engine.read((tx) => tx.get(b("a"))));
      for (const answer of answers) assert.equal(s(answer as Uint8Array), "1", "answered synchronously");
      assert.equal(engine.stats.commits, before.commits);
      assert.equal(engine.stats.batches, before.batches);
    });
  });

  test("quiet reads come from the read cache, which every write, add and range clear keeps exact", async () => {
    await withSqlite(async (engine) => {
      await engine.write(async (tx) => tx.set(b("a"), b("1")));
      assert.equal(s(engine.read((tx) => tx.get(b("a"))) as Uint8Array), "1");
      assert.equal(engine.read((tx) => tx.get(b("missing"))), undefined);
      await engine.write(async (tx) => {
        tx.set(b("a"), b("2"));
        tx.set(b("missing"), b("now"));
      });
      assert.equal(s(engine.read((tx) => tx.get(b("a"))) as Uint8Array), "2");
      assert.equal(s(engine.read((tx) => tx.get(b("missing"))) as Uint8Array), "now");
      await engine.write(async (tx) => tx.add(b("n"), 5n));
      assert.equal((engine.read((tx) => tx.get(b("n"))) as Uint8Array)[0], 5);
      await engine.write(async (tx) => tx.add(b("n"), 1n));
      assert.equal((engine.read((tx) => tx.get(b("n"))) as Uint8Array)[0], 6);
      await engine.write(async (tx) => tx.clearRange({ start: b("a"), end: b("z") }));
      assert.equal(engine.read((tx) => tx.get(b("a"))), undefined);
      assert.equal(engine.read((tx) => tx.get(b("missing"))), undefined);
      // A value read cannot be edited in the cache.
      await engine.write(async (tx) => tx.set(b("c"), b("x")));
      (engine.read((tx) => tx.get(b("c"))) as Uint8Array)[0] = 0x79;
      assert.equal(s(engine.read((tx) => tx.get(b("c"))) as Uint8Array), "x");
    });
  });

  test("reads queued behind a write share its batch and pay no durable commit of their own", async () => {
    await withSqlite(async (engine) => {
      const before = engine.stats;
      const write = engine.write(async (tx) => tx.set(b("a"), b("1")));
      const reads = Array.from({ length: 10 }, () => engine.read((tx) => tx.get(b("a"))));
      assert.ok(reads.every((read) => read instanceof Promise), "a read behind a queued write waits for it");
      await write;
      for (const read of await Promise.all(reads)) assert.equal(s(read), "1");
      assert.equal(engine.stats.commits, before.commits + 1);
      assert.equal(engine.stats.batches, before.batches + 1);
    });
  });

  test("a batch stops at its transaction cap and the rest commit in the next one", async () => {
    const engine = await SqliteEngine.open(dirs.make(), { openDriver, maxBatchTransactions: 10 });
    try {
      await Promise.all(Array.from({ length: 25 }, (_, i) => engine.write(async (tx) => tx.set(b(`k${i}`), b("v")))));
      assert.equal(engine.stats.commits, 3);
      assert.equal(engine.stats.largestBatch, 10);
    } finally {
      await engine.close();
    }
  });

  test("a second engine on the same directory is refused with a message naming it", async () => {
    await withSqlite(async (engine, dir) => {
      await engine.write(async (tx) => tx.set(b("a"), b("1")));
      const error = await engineError(SqliteEngine.open(dir, { openDriver }));
      assert.equal(error.code, "storage_failure");
      assert.ok(error.message.includes(dir), error.message);
      assert.match(error.message, /another materia server is using it/);
      // The holder is unaffected.
      assert.equal(s(await engine.read((tx) => tx.get(b("a")))), "1");
    });
  });

  test("the directory can be opened again once the engine holding it is closed", async () => {
    const dir = dirs.make();
    const first = await SqliteEngine.open(dir, { openDriver });
    await first.close();
    const second = await SqliteEngine.open(dir, { openDriver });
    await second.close();
  });

  test("a database from a newer schema version is refused", async () => {
    const dir = dirs.make();
    const engine = await SqliteEngine.open(dir, { openDriver });
    await engine.close();
    const raw = openDriver(join(dir, DATA_FILE_NAME));
    raw.exec("UPDATE meta SET value = 99 WHERE name = 'schema_version'");
    raw.close();
    const error = await engineError(SqliteEngine.open(dir, { openDriver }));
    assert.match(error.message, /schema version 99/);
  });

  test("every acknowledged write survives SIGKILL of the writing process", { timeout: 60_000 }, async () => {
    const dir = dirs.make("crash");
    const script = fileURLToPath(new URL("./fixtures/crash_writer.ts", import.meta.url));
    const [command, ...args] = runtimeCommand(script);
    const child = spawn(command!, [...args, dir], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr!.on("data", (chunk: Uint8Array) => (err += new TextDecoder().decode(chunk)));
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child wrote too little; stderr: ${err}`)), 45_000);
      child.stdout!.on("data", (chunk: Uint8Array) => {
        out += new TextDecoder().decode(chunk);
        if ((out.match(/\nack /g) ?? []).length >= 2000) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`child exited early (${code}); stderr: ${err}`));
      });
    });
    child.kill("SIGKILL");
    await exited;
    // Only complete lines: the kill may cut the last one.
    const acked = out
      .split("\n")
      .slice(0, -1)
      .filter((line) => line.startsWith("ack "))
      .map((line) => line.split(" ") as [string, string, string]);
    assert.ok(acked.length >= 2000);
    const engine: Engine = await SqliteEngine.open(dir, { openDriver });
    try {
      const missing = await engine.read(async (tx) => {
        const lost: string[] = [];
        for (const [, key, value] of acked) if (s(await tx.get(b(key))) !== value) lost.push(key);
        return lost;
      });
      assert.deepEqual(missing.slice(0, 10), [], `${missing.length} acknowledged keys lost`);
      // Each write's add counted exactly once with its set.
      const counts = await engine.read((tx) => tx.getRange({ start: b("count-"), end: b("count.") }));
      for (const { key, value } of counts) {
        const writer = s(key)!.slice("count-".length);
        const written = await engine.read((tx) => tx.getRange({ start: b(`${writer}-`), end: b(`${writer}.`) }));
        assert.equal(Number(decodeInt64(value)), written.length, writer);
      }
    } finally {
      await engine.close();
    }
  });
});

/** The runtime's driver with a log sync that waits for the test to let it run, or fails. */
function gatedSync(open: OpenSqlite): { open: OpenSqlite; calls: () => number; release: () => void; fail: (error: Error) => void } {
  let calls = 0;
  let waiting: Array<{ run: () => void; fail: (error: Error) => void }> = [];
  const wrap = (path: string): SqliteDriver => {
    const inner = open(path);
    return {
      exec: (sql) => inner.exec(sql),
      prepare: (sql) => inner.prepare(sql),
      close: () => inner.close(),
      syncLog: () => {
        calls++;
        return new Promise<void>((resolve, reject) => {
          waiting.push({ run: () => void inner.syncLog!().then(resolve, reject), fail: reject });
        });
      },
    };
  };
  const take = () => {
    const taken = waiting;
    waiting = [];
    return taken;
  };
  return {
    open: wrap,
    calls: () => calls,
    release: () => take().forEach((w) => w.run()),
    fail: (error) => take().forEach((w) => w.fail(error)),
  };
}

const settledYet = async (promise: Promise<unknown>): Promise<boolean> => {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  // Enough turns for a batch to run and commit.
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  return settled;
};

describe("sqlite engine with the log synced off the event loop", () => {
  test("the runtime's driver syncs the log, and the engine uses it", async () => {
    await withSqlite(async (engine) => {
      await engine.write(async (tx) => tx.set(b("a"), b("1")));
      assert.ok(engine.stats.logSyncs >= 1, JSON.stringify(engine.stats));
    });
  });

  test("no reply, read or write, is released before a sync that started after its COMMIT", async () => {
    const driver = gatedSync(openDriver);
    const engine = await SqliteEngine.open(dirs.make(), { openDriver: driver.open });
    try {
      const write = engine.write(async (tx) => tx.set(b("a"), b("1")));
      assert.equal(await settledYet(write), false, "a write settled before its sync");
      assert.equal(driver.calls(), 1);
      // A later read sees the committed write, so it waits for durability too; so does a later write,
      // which commits once the running sync ends and needs a sync of its own.
      const read = Promise.resolve(engine.read(async (tx) => tx.get(b("a"))));
      const second = engine.write(async (tx) => tx.set(b("b"), b("2")));
      assert.equal(await settledYet(read), false, "a read of unsynced data settled");
      assert.equal(await settledYet(second), false);
      driver.release();
      await write;
      assert.equal(await settledYet(second), false, "a write settled on a sync that started before its COMMIT");
      assert.equal(await settledYet(read), false, "a read settled before the sync of its batch");
      assert.equal(driver.calls(), 2, "the open batch committed when the first sync ended, and a second sync started");
      driver.release();
      assert.equal(s((await read) as Uint8Array | undefined), "1");
      await second;
      // Nothing unsynced: a read settles without a sync.
      assert.equal(s(await engine.read(async (tx) => tx.get(b("b")))), "2");
      assert.equal(driver.calls(), 2);
    } finally {
      driver.release();
      await engine.close();
    }
  });

  test("a failed sync fails the writes waiting for it and every later transaction with storage_failure", async () => {
    const driver = gatedSync(openDriver);
    const engine = await SqliteEngine.open(dirs.make(), { openDriver: driver.open });
    try {
      const write = engine.write(async (tx) => tx.set(b("a"), b("1")));
      assert.equal(await settledYet(write), false);
      driver.fail(new Error("EIO (simulated)"));
      const error = await engineError(write);
      assert.equal(error.code, "storage_failure");
      assert.match(error.message, /EIO \(simulated\)/);
      assert.match(error.message, /outcome of these writes is unknown/);
      assert.equal((await engineError(() => engine.read(async (tx) => tx.get(b("a"))))).code, "storage_failure");
    } finally {
      await engine.close();
    }
  });

  test("checkpoints keep every write, across a reopen", async () => {
    const dir = dirs.make();
    const engine = await SqliteEngine.open(dir, { openDriver });
    for (let round = 0; round < 10; round++) {
      await Promise.all(Array.from({ length: 10 }, (_, t) =>
        engine.write(async (tx) => {
          for (let i = 0; i < 60; i++) tx.set(b(`k${round}-${t}-${i}`), b(`v${i}`));
        })));
    }
    assert.ok(engine.stats.checkpoints >= 1, JSON.stringify(engine.stats));
    await engine.close();
    const reopened = await SqliteEngine.open(dir, { openDriver });
    try {
      const all = await reopened.read((tx) => tx.getRange({ start: b("k"), end: b("l") }));
      assert.equal(all.length, 10 * 10 * 60);
    } finally {
      await reopened.close();
    }
  });
});
