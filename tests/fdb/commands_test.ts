// Commands through a real socket on the FoundationDB engine over the test
// double: non-idempotent commands (INCR, APPEND, RPUSH, HINCRBY, SADD)
// counted exactly while the double injects commit_unknown_result, both the
// kind that applied and the kind that did not; and the hot-counter case, 50
// clients writing different keys and different fields of one hash, with the
// engine's retries counted.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import type { FdbEngine } from "../../src/engine/fdb/engine.ts";
import { RawClient } from "../support/raw_client.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { configureSim, fdbSkipReason, injectFaults, openTestFdbEngine, realCluster, restoreFaults, simStats } from "./support.ts";

const skip = await fdbSkipReason();

describe("no command applies twice under commit_unknown_result (fdb engine, test double)", {
  skip: skip ?? (realCluster ? "needs the test double's fault injection" : undefined),
}, () => {
  let engine: FdbEngine;
  let server: RunningServer;
  let client: RawClient;
  before(async () => {
    engine = await openTestFdbEngine();
    server = await startInProcess({ engine });
    client = await RawClient.connect(server.port);
  });
  after(async () => {
    await restoreFaults();
    client?.close();
    await server?.stop();
  });

  test("INCR, APPEND, RPUSH, HINCRBY and SADD counts are exact with 30% unknown results", async () => {
    const calls = 120;
    await injectFaults({ rate: 0.3, seed: 77, faults: ["commit_unknown_result_applied", "commit_unknown_result_not_applied"] });
    const before = await simStats();
    for (let i = 1; i <= calls; i++) {
      assert.equal(await client.call("INCR", "hits"), `:${i}\r\n`);
      assert.equal(await client.call("APPEND", "trail", "x"), `:${i}\r\n`);
      assert.equal(await client.call("RPUSH", "queue", String(i)), `:${i}\r\n`);
      assert.equal(await client.call("HINCRBY", "h", "n", "2"), `:${2 * i}\r\n`);
      assert.equal(await client.call("SADD", "members", `m${i}`), ":1\r\n");
    }
    const after = await simStats();
    await injectFaults({ rate: 0 });
    assert.equal(await client.call("GET", "hits"), `$${String(calls).length}\r\n${calls}\r\n`);
    assert.equal(await client.call("STRLEN", "trail"), `:${calls}\r\n`);
    assert.equal(await client.call("LLEN", "queue"), `:${calls}\r\n`);
    assert.equal(await client.call("LINDEX", "queue", "-1"), `$3\r\n${calls}\r\n`);
    assert.equal(await client.call("SCARD", "members"), `:${calls}\r\n`);
    assert.equal(await client.call("DBSIZE"), ":5\r\n");
    const applied = after.injectedUnknownApplied! - before.injectedUnknownApplied!;
    const dropped = after.injectedUnknownNotApplied! - before.injectedUnknownNotApplied!;
    assert.ok(applied >= 20 && dropped >= 20, `both kinds injected: ${applied} applied, ${dropped} not applied`);
    console.log(`fdb idempotency: ${calls * 5} commands, ${applied} unknown results that applied and ${dropped} that did not; ` +
      `engine stats ${JSON.stringify(engine.stats)}`);
  });
});

describe("long commands within FoundationDB's 5 s on the fdb engine (test double with 6 ms reads)", {
  skip: skip ?? (realCluster ? "needs the test double's latency setting" : undefined),
}, () => {
  let server: RunningServer;
  let client: RawClient;
  before(async () => {
    await injectFaults({ rate: 0 });
    server = await startInProcess({ engine: await openTestFdbEngine() });
    client = await RawClient.connect(server.port);
  });
  after(async () => {
    await configureSim("FDB_SIM_LATENCY_US", "0");
    await restoreFaults();
    client?.close();
    await server?.stop();
  });

  test("EXISTS and DEL of 1,000 keys read them in parallel: one transaction, well under 5 s", async () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `key:${i}`);
    assert.equal(await client.call("MSET", ...keys.flatMap((k) => [k, "v"])), "+OK\r\n");
    // One read after another, 1,000 reads of 6 ms would take 6 s: past the limit.
    await configureSim("FDB_SIM_LATENCY_US", "6000");
    const started = performance.now();
    assert.equal(await client.call("EXISTS", ...keys, "key:0"), ":1001\r\n");
    assert.equal(await client.call("DEL", ...keys, "key:0"), ":1000\r\n");
    const ms = performance.now() - started;
    await configureSim("FDB_SIM_LATENCY_US", "0");
    assert.ok(ms < 3000, `took ${ms.toFixed(0)} ms`);
    assert.equal(await client.call("DBSIZE"), ":0\r\n");
  });
});

describe("hot counters on the fdb engine: 50 clients", { skip }, () => {
  let engine: FdbEngine;
  let server: RunningServer;
  before(async () => {
    if (!realCluster) await injectFaults({ rate: 0 });
    engine = await openTestFdbEngine();
    server = await startInProcess({ engine });
  });
  after(async () => {
    await server?.stop();
    if (!realCluster) await restoreFaults();
  });

  test("different keys and different fields of one hash: no retry storm", async () => {
    const clients = 50;
    const rounds = 20;
    const redis = Array.from({ length: clients }, () => new Redis({ port: server.port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0 }));
    try {
      await Promise.all(redis.map((r) => r.connect()));
      await redis[0]!.hset("hot", "seed", "0"); // the hash exists before the storm
      const before = engine.stats;
      const started = performance.now();
      await Promise.all(redis.map(async (r, c) => {
        for (let i = 0; i < rounds; i++) {
          await r.set(`key:${c}:${i}`, String(i));
          await r.hset("hot", `field:${c}:${i}`, String(i));
          await r.incr(`own:${c}`);
        }
      }));
      const ms = performance.now() - started;
      const after = engine.stats;
      const writes = clients * rounds * 3;
      const retries = after.retries - before.retries;
      const conflicts = after.conflicts - before.conflicts;
      console.log(`fdb hot counters: ${writes} writes by ${clients} clients in ${ms.toFixed(0)} ms; ` +
        `${conflicts} conflicts, ${retries} retries (${((100 * retries) / writes).toFixed(2)}%)`);
      assert.equal(await redis[0]!.hlen("hot"), clients * rounds + 1);
      assert.equal(await redis[0]!.dbsize(), clients * rounds + 1 + clients);
      for (let c = 0; c < clients; c++) assert.equal(await redis[0]!.get(`own:${c}`), String(rounds));
      // Writers of different keys and fields share only counters kept by atomic add: no conflicts.
      assert.ok(retries <= writes * 0.01, `${retries} retries for ${writes} writes`);
    } finally {
      for (const r of redis) r.disconnect();
    }
  });

  test("50 clients INCR one key: exact, and the key's writers take turns instead of retrying", async () => {
    const clients = 50;
    const rounds = 40;
    const redis = Array.from({ length: clients }, () => new Redis({ port: server.port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0 }));
    try {
      await Promise.all(redis.map((r) => r.connect()));
      const before = engine.stats;
      const started = performance.now();
      await Promise.all(redis.map(async (r) => {
        for (let i = 0; i < rounds; i++) await r.incr("shared");
      }));
      const ms = performance.now() - started;
      const after = engine.stats;
      const retries = after.retries - before.retries;
      console.log(`fdb hot key: ${clients * rounds} INCRs of one key by ${clients} clients in ${ms.toFixed(0)} ms; ` +
        `${after.conflicts - before.conflicts} conflicts, ${retries} retries`);
      assert.equal(await redis[0]!.get("shared"), String(clients * rounds));
      // Once the key is known to be hot, its writers queue for it: conflicts stop after the first few.
      assert.ok(retries < clients * 2, `${retries} retries`);
    } finally {
      for (const r of redis) r.disconnect();
    }
  });
});
