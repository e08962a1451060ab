// BullMQ (v6), a real job queue whose every state change is a Lua script
// (EVALSHA of dozens of scripts, which also write sorted sets, lists, hashes
// and an events stream), with a Queue and a Worker on their own ioredis
// connections: plain jobs and their return values, a delayed job, a job that
// fails once and succeeds on its retry, and the queue's job counts.
// MATERIA_TEST_LIBRARY_TARGET picks the server (tests/support/library_targets.ts):
// Materia by default, `redis` to check the test against redis-server.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { type Job, Queue, Worker } from "bullmq";
import { libraryTargets } from "../support/library_targets.ts";

/** Resolves once `predicate` holds, checked whenever the worker reports an event. */
function until(worker: Worker, events: readonly ("completed" | "failed")[], predicate: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // A guard against hanging forever, not a timing assertion: every job here finishes within a second.
    const guard = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 20_000);
    const check = () => {
      if (!predicate()) return;
      clearTimeout(guard);
      for (const event of events) worker.off(event, check);
      worker.off("error", fail);
      resolve();
    };
    const fail = (error: Error) => {
      clearTimeout(guard);
      reject(error);
    };
    for (const event of events) worker.on(event, check);
    worker.on("error", fail);
    check();
  });
}

for (const target of libraryTargets()) {
  describe(`BullMQ against ${target.name}`, () => {
    let server: { port: number; stop(): Promise<void> };
    const connections: Redis[] = [];
    const closers: (() => Promise<void>)[] = [];

    /** A new ioredis connection; a worker's must not limit retries per request (BullMQ refuses it otherwise). */
    async function connection(options: { forWorker: boolean }): Promise<Redis> {
      const c = new Redis({
        host: "127.0.0.1",
        port: server.port,
        lazyConnect: true,
        retryStrategy: () => null,
        maxRetriesPerRequest: options.forWorker ? null : 1,
      });
      c.on("error", () => {});
      await c.connect();
      connections.push(c);
      return c;
    }

    async function queue(name: string): Promise<Queue> {
      const q = new Queue(name, { connection: await connection({ forWorker: false }) });
      q.on("error", () => {});
      closers.push(() => q.close());
      return q;
    }

    async function worker(name: string, processor: (job: Job) => Promise<unknown>): Promise<Worker> {
      const w = new Worker(name, processor, { connection: await connection({ forWorker: true }), concurrency: 2 });
      w.on("error", () => {});
      // Workers close first, so nothing is picked up from a closing queue.
      closers.unshift(() => w.close());
      return w;
    }

    before(async () => {
      server = await target.start();
    });

    after(async () => {
      for (const close of closers) await close();
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
      await server?.stop();
    });

    test("plain jobs are processed; their return values and the counts are stored", async () => {
      const q = await queue("plain");
      const added = await Promise.all([1, 2, 3].map((n) => q.add("double", { n })));
      assert.deepEqual(new Set(added.map((job) => job.id)).size, 3);
      const before = await q.getJobCounts("waiting", "active", "completed", "failed", "delayed");
      assert.deepEqual(before, { waiting: 3, active: 0, completed: 0, failed: 0, delayed: 0 });

      const completed: string[] = [];
      const w = await worker("plain", async (job) => ({ doubled: (job.data as { n: number }).n * 2 }));
      w.on("completed", (job) => completed.push(job.id!));
      await until(w, ["completed"], () => completed.length === 3, "three completed jobs");

      for (const job of added) {
        const stored = await q.getJob(job.id!);
        assert.ok(stored);
        assert.deepEqual(stored.returnvalue, { doubled: (job.data as { n: number }).n * 2 });
        assert.equal(await stored.getState(), "completed");
        assert.equal(stored.attemptsMade, 1);
      }
      assert.deepEqual(await q.getJobCounts("waiting", "active", "completed", "failed", "delayed"), {
        waiting: 0, active: 0, completed: 3, failed: 0, delayed: 0,
      });
      assert.deepEqual((await q.getCompleted()).map((job) => job.id).sort(), added.map((job) => job.id).sort());
    });

    test("a delayed job waits in the delayed set and runs only after its delay", async () => {
      const q = await queue("delayed");
      const job = await q.add("later", { when: "later" }, { delay: 300 });
      assert.equal(await job.getState(), "delayed");
      assert.deepEqual(await q.getJobCounts("waiting", "delayed"), { waiting: 0, delayed: 1 });

      const w = await worker("delayed", async (j) => `ran ${(j.data as { when: string }).when}`);
      let done = false;
      w.on("completed", () => (done = true));
      await until(w, ["completed"], () => done, "the delayed job");

      const stored = (await q.getJob(job.id!))!;
      assert.equal(stored.returnvalue, "ran later");
      // Not run before its delay: the server kept it in the delayed set until then.
      assert.ok(stored.processedOn! >= stored.timestamp + 300, `processed ${stored.processedOn! - stored.timestamp} ms after it was added`);
      assert.deepEqual(await q.getJobCounts("completed", "delayed"), { completed: 1, delayed: 0 });
    });

    test("a job that fails once is retried after its backoff and then succeeds", async () => {
      const q = await queue("retry");
      const job = await q.add("flaky", { payload: "x" }, { attempts: 2, backoff: { type: "fixed", delay: 100 } });
      const seen: number[] = [];
      let failures = 0;
      let completions = 0;
      const w = await worker("retry", async (j) => {
        seen.push(j.attemptsMade);
        if (j.attemptsMade === 0) throw new Error("first attempt fails");
        return "second attempt works";
      });
      w.on("failed", () => failures++);
      w.on("completed", () => completions++);
      await until(w, ["completed", "failed"], () => completions === 1, "the retried job to complete");

      assert.deepEqual(seen, [0, 1]);
      assert.equal(failures, 1);
      const stored = (await q.getJob(job.id!))!;
      assert.equal(await stored.getState(), "completed");
      assert.equal(stored.returnvalue, "second attempt works");
      assert.equal(stored.attemptsMade, 2);
      assert.deepEqual(await q.getJobCounts("waiting", "active", "completed", "failed", "delayed"), {
        waiting: 0, active: 0, completed: 1, failed: 0, delayed: 0,
      });
    });

    test("a job that fails all its attempts ends failed with its reason", async () => {
      const q = await queue("failing");
      const job = await q.add("doomed", {}, { attempts: 2, backoff: { type: "fixed", delay: 50 } });
      let failures = 0;
      const w = await worker("failing", async () => {
        throw new Error("always fails");
      });
      w.on("failed", () => failures++);
      await until(w, ["failed"], () => failures === 2, "both attempts to fail");

      const stored = (await q.getJob(job.id!))!;
      assert.equal(await stored.getState(), "failed");
      assert.equal(stored.failedReason, "always fails");
      assert.equal(stored.attemptsMade, 2);
      assert.deepEqual(await q.getJobCounts("completed", "failed"), { completed: 0, failed: 1 });
    });
  });
}
