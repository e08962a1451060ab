// The blocking commands through real client libraries, ioredis and node-redis,
// against an in-process server (memory engine) and `materia serve --engine
// sqlite`: the reply shapes each library decodes (BLPOP, BRPOP, BLMOVE,
// BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP, timeouts as null, RESP3
// scores), and a small job queue in the reliable-queue pattern: workers take
// jobs with BLMOVE (ioredis) or BRPOPLPUSH (node-redis) into their own
// processing list while a producer pushes; every job is processed exactly once.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { TARGETS, type TargetServer } from "../support/processes.ts";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function ioredis(port: number): Promise<Redis> {
  const client = new Redis({ host: "127.0.0.1", port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on("error", () => {});
  await client.connect();
  return client;
}

async function nodeRedis(port: number, RESP: 2 | 3 = 2) {
  const client = createClient({ RESP, socket: { host: "127.0.0.1", port, reconnectStrategy: false } });
  client.on("error", () => {});
  await client.connect();
  return client;
}

/** Waits until INFO clients reports `n` blocked clients. */
async function blockedClients(client: Redis, n: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await client.info("clients")).includes(`blocked_clients:${n}\r\n`)) {
    if (Date.now() > deadline) assert.fail(`blocked_clients never reached ${n}`);
    await sleep(5);
  }
}

const JOBS = 120;
const WORKERS = 4;

for (const target of TARGETS) {
  describe(`blocking commands through ioredis and node-redis against ${target.name}`, () => {
    let server: TargetServer;
    before(async () => {
      server = await target.start();
    });
    after(() => server.stop());

    test("ioredis: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX and BZMPOP replies, and null on a timeout", async () => {
      const client = await ioredis(server.port);
      const waiter = await ioredis(server.port);
      try {
        await client.flushall();
        await client.rpush("l", "a", "b", "c", "d");
        assert.deepEqual(await client.blpop("none", "l", 1), ["l", "a"]);
        assert.deepEqual(await client.brpop("l", 1), ["l", "d"]);
        assert.equal(await client.blmove("l", "m", "LEFT", "RIGHT", 1), "b");
        assert.equal(await client.brpoplpush("l", "m", 1), "c");
        assert.deepEqual(await client.lrange("m", 0, -1), ["c", "b"]);
        assert.deepEqual(await client.blmpop(1, 1, "m", "LEFT", "COUNT", 5), ["m", ["c", "b"]]);
        await client.zadd("z", 1, "one", 2, "two", 3, "three");
        assert.deepEqual(await client.bzpopmin("z", 1), ["z", "one", "1"]);
        assert.deepEqual(await client.bzpopmax("z", 1), ["z", "three", "3"]);
        assert.deepEqual(await client.bzmpop(1, 1, "z", "MIN", "COUNT", 2), ["z", [["two", "2"]]]);
        const started = Date.now();
        assert.equal(await client.blpop("none", 0.1), null);
        assert.ok(Date.now() - started >= 100, "BLPOP waited for its timeout");
        assert.equal(await client.blmove("none", "m", "LEFT", "RIGHT", 0.05), null);
        assert.equal(await client.bzpopmin("none", 0.05), null);

        // A waiter served by another client's push; its connection then works on.
        const served = waiter.brpop("later", 0);
        await blockedClients(client, 1);
        await client.rpush("later", "x", "y");
        assert.deepEqual(await served, ["later", "y"]);
        assert.equal(await waiter.lpop("later"), "x");
      } finally {
        client.disconnect();
        waiter.disconnect();
      }
    });

    test("node-redis: blocking pops in RESP2 and RESP3 decode to the library's shapes", async () => {
      for (const resp of [2, 3] as const) {
        const client = await nodeRedis(server.port, resp);
        try {
          await client.flushAll();
          await client.rPush("l", ["a", "b", "c"]);
          assert.deepEqual(await client.blPop("l", 1), { key: "l", element: "a" });
          assert.deepEqual(await client.brPop(["none", "l"], 1), { key: "l", element: "c" });
          assert.equal(await client.blMove("l", "m", "LEFT", "LEFT", 1), "b");
          assert.equal(await client.brPopLPush("none", "m", 0.05), null);
          assert.deepEqual(await client.blmPop(1, "m", "RIGHT", { COUNT: 2 }), ["m", ["b"]]);
          await client.zAdd("z", [{ score: 1.5, value: "a" }, { score: 2, value: "b" }]);
          assert.deepEqual(await client.bzPopMin("z", 1), { key: "z", value: "a", score: 1.5 });
          assert.deepEqual(await client.bzPopMax("z", 1), { key: "z", value: "b", score: 2 });
          assert.equal(await client.blPop("none", 0.05), null);
        } finally {
          client.destroy();
        }
      }
    });

    test(`a job queue: ${WORKERS} ioredis workers take ${JOBS} jobs with BLMOVE into their own processing list, each exactly once`, async () => {
      const admin = await ioredis(server.port);
      await admin.flushall();
      const workers = await Promise.all(Array.from({ length: WORKERS }, () => ioredis(server.port)));
      const producer = await ioredis(server.port);
      let produced = false;
      const done: string[][] = workers.map(() => []);
      try {
        const loops = workers.map(async (worker, w) => {
          while (true) {
            const job = await worker.blmove("jobs", `processing:${w}`, "RIGHT", "LEFT", 0.2);
            if (job === null) {
              if (produced && (await worker.llen("jobs")) === 0) return;
              continue;
            }
            done[w]!.push(job);
            await worker.rpush("results", `${job} by ${w}`);
            assert.equal(await worker.lrem(`processing:${w}`, 1, job), 1);
          }
        });
        for (let i = 0; i < JOBS; i++) {
          await producer.lpush("jobs", `job-${i}`);
          if (i % 10 === 0) await sleep(2);
        }
        produced = true;
        await Promise.all(loops);
        const taken = done.flat().sort();
        assert.deepEqual(taken, Array.from({ length: JOBS }, (_, i) => `job-${i}`).sort(), "every job taken exactly once");
        assert.equal(await admin.llen("results"), JOBS);
        for (let w = 0; w < WORKERS; w++) assert.equal(await admin.exists(`processing:${w}`), 0);
        assert.ok(done.filter((jobs) => jobs.length > 0).length >= 2, `several workers took jobs: ${done.map((d) => d.length)}`);
      } finally {
        for (const worker of workers) worker.disconnect();
        producer.disconnect();
        admin.disconnect();
      }
    });

    test(`a job queue: ${WORKERS} node-redis workers take ${JOBS} jobs with BRPOPLPUSH, pushed by a producer while they wait`, async () => {
      const admin = await nodeRedis(server.port);
      await admin.flushAll();
      const workers = await Promise.all(Array.from({ length: WORKERS }, () => nodeRedis(server.port)));
      const producer = await nodeRedis(server.port);
      let produced = false;
      const done: string[][] = workers.map(() => []);
      try {
        const loops = workers.map(async (worker, w) => {
          while (true) {
            const job = await worker.brPopLPush("jobs", `processing:${w}`, 0.2);
            if (job === null) {
              if (produced && (await worker.lLen("jobs")) === 0) return;
              continue;
            }
            done[w]!.push(job);
            assert.equal(await worker.lRem(`processing:${w}`, 1, job), 1);
          }
        });
        // Pushes of several jobs at once serve several waiting workers.
        for (let i = 0; i < JOBS; i += 3) {
          await producer.lPush("jobs", [`job-${i}`, `job-${i + 1}`, `job-${i + 2}`]);
          await sleep(1);
        }
        produced = true;
        await Promise.all(loops);
        const taken = done.flat().sort();
        assert.deepEqual(taken, Array.from({ length: JOBS }, (_, i) => `job-${i}`).sort(), "every job taken exactly once");
        for (let w = 0; w < WORKERS; w++) assert.equal(await admin.exists(`processing:${w}`), 0);
      } finally {
        for (const worker of workers) worker.destroy();
        producer.destroy();
        admin.destroy();
      }
    });
  });
}
