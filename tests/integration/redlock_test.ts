// redlock (v5 beta), a real distributed-lock library built on EVALSHA/EVAL
// scripts, with several ioredis clients competing for the same resources:
// one contender wins and the other retries until the lock is released, an
// unreleased lock expires and frees the resource, extend keeps a lock past its
// first duration, a lock over several resources is all-or-nothing, and many
// clients incrementing a counter under the lock never lose an update.
// MATERIA_TEST_LIBRARY_TARGET picks the server (tests/support/library_targets.ts):
// Materia by default (memory and SQLite; FoundationDB under npm run test:fdb-sim),
// `redis` to check the test against redis-server.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import Redlock, { ExecutionError, type Lock } from "redlock";
import { libraryTargets } from "../support/library_targets.ts";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** No retry: one attempt, which fails at once when the resource is held. */
const ONE_ATTEMPT = { retryCount: 0 };
/** Retries every ~50 ms for up to ~10 s: long enough for any release or expiry in these tests. */
const PATIENT = { retryCount: 200, retryDelay: 50, retryJitter: 10 };

for (const target of libraryTargets({ sqlite: true })) {
  describe(`redlock against ${target.name}`, () => {
    let server: { port: number; stop(): Promise<void> };
    const clients: Redis[] = [];

    /** A new ioredis connection to the target, closed after the suite. */
    async function client(): Promise<Redis> {
      const c = new Redis({ host: "127.0.0.1", port: server.port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      c.on("error", () => {});
      await c.connect();
      clients.push(c);
      return c;
    }

    /** A Redlock over one new connection; quorum 1. */
    async function contender(): Promise<Redlock> {
      const lock = new Redlock([await client()], { retryCount: 0, automaticExtensionThreshold: 100 });
      lock.on("error", () => {});
      return lock;
    }

    before(async () => {
      server = await target.start();
    });

    after(async () => {
      for (const c of clients) c.disconnect();
      await server?.stop();
    });

    test("two contenders: one holds the lock, the other fails at once without retries, then gets it by retrying after the release", async () => {
      const [a, b] = [await contender(), await contender()];
      const inspector = await client();
      const held = await a.acquire(["race:resource"], 5_000);
      assert.equal(await inspector.get("race:resource"), held.value);
      await assert.rejects(b.acquire(["race:resource"], 5_000, ONE_ATTEMPT), ExecutionError);

      const events: string[] = [];
      const waiting = b.acquire(["race:resource"], 5_000, PATIENT).then((lock) => {
        events.push("b acquired");
        return lock;
      });
      await pause(200);
      assert.equal(events.length, 0, "b acquired while a still held the lock");
      events.push("a releasing");
      await held.release();
      const second = await waiting;
      assert.deepEqual(events, ["a releasing", "b acquired"]);
      assert.notEqual(second.value, held.value);
      assert.equal(await inspector.get("race:resource"), second.value);
      // a's lock is gone: releasing it again (its value no longer matches) changes nothing.
      await assert.rejects(held.release(), ExecutionError);
      assert.equal(await inspector.get("race:resource"), second.value);
      await second.release();
      assert.equal(await inspector.exists("race:resource"), 0);
    });

    test("a lock never released expires, and a retrying contender then gets the resource", async () => {
      const [a, b] = [await contender(), await contender()];
      const inspector = await client();
      const forgotten = await a.acquire(["expiring:resource"], 400);
      const remaining = await inspector.pttl("expiring:resource");
      assert.ok(remaining > 0 && remaining <= 400, `PTTL after acquiring for 400 ms: ${remaining}`);
      await assert.rejects(b.acquire(["expiring:resource"], 5_000, ONE_ATTEMPT), ExecutionError);
      const taken = await b.acquire(["expiring:resource"], 5_000, PATIENT);
      assert.equal(await inspector.get("expiring:resource"), taken.value);
      // The expired holder can neither extend nor release what is now b's.
      await assert.rejects(forgotten.extend(5_000), ExecutionError);
      await assert.rejects(forgotten.release(), ExecutionError);
      assert.equal(await inspector.get("expiring:resource"), taken.value);
      await taken.release();
    });

    test("extend keeps the lock past its first duration; the contender gets it only after the release", async () => {
      const [a, b] = [await contender(), await contender()];
      const inspector = await client();
      const first = await a.acquire(["extended:resource"], 400);
      const extended: Lock = await first.extend(3_000);
      assert.equal(extended.value, first.value);
      assert.ok(extended.expiration > first.expiration);
      const remaining = await inspector.pttl("extended:resource");
      assert.ok(remaining > 400 && remaining <= 3_000, `PTTL after extending to 3000 ms: ${remaining}`);
      await pause(700); // well past the first 400 ms
      assert.equal(await inspector.get("extended:resource"), first.value);
      await assert.rejects(b.acquire(["extended:resource"], 5_000, ONE_ATTEMPT), ExecutionError);
      await extended.release();
      const next = await b.acquire(["extended:resource"], 5_000, ONE_ATTEMPT);
      assert.equal(await inspector.get("extended:resource"), next.value);
      await next.release();
    });

    test("a lock over several resources is all-or-nothing", async () => {
      const [a, b] = [await contender(), await contender()];
      const inspector = await client();
      const both = await a.acquire(["multi:a", "multi:b"], 5_000);
      assert.deepEqual(await inspector.mget("multi:a", "multi:b"), [both.value, both.value]);
      // b wants multi:b (held) and multi:c (free): it gets neither.
      await assert.rejects(b.acquire(["multi:b", "multi:c"], 5_000, ONE_ATTEMPT), ExecutionError);
      assert.equal(await inspector.exists("multi:c"), 0);
      await both.release();
      assert.equal(await inspector.exists("multi:a", "multi:b"), 0);
      const other = await b.acquire(["multi:b", "multi:c"], 5_000, ONE_ATTEMPT);
      assert.deepEqual(await inspector.mget("multi:b", "multi:c"), [other.value, other.value]);
      await other.release();
    });

    test("five clients each doing a read-modify-write five times under the lock lose no update", async () => {
      const setup = await client();
      await setup.set("counter", "0");
      const workers = await Promise.all(Array.from({ length: 5 }, () => contender()));
      await Promise.all(workers.map(async (redlock) => {
        const own = [...redlock.clients][0] as Redis;
        for (let i = 0; i < 5; i++) {
          await redlock.using(["counter:lock"], 5_000, PATIENT, async () => {
            const value = Number(await own.get("counter"));
            await pause(5); // widen the window a lost update would need
            await own.set("counter", String(value + 1));
          });
        }
      }));
      assert.equal(await setup.get("counter"), "25");
      assert.equal(await setup.exists("counter:lock"), 0);
    });
  });
}
