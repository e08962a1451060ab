// The tests of MULTI, EXEC, DISCARD, WATCH and UNWATCH (src/commands/families/transactions.ts):
// the differential cases of transactions_cases.ts against redis-server (or its
// recorded replies), then Materia's own tests across connections and through real
// clients: isolation, all-or-nothing, WATCH broken by another client, pipelined
// transactions, and a WATCHed EXEC in a SQLite group commit.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { SqliteEngine } from "../../src/engine/sqlite/engine.ts";
import type { Engine } from "../../src/engine/contract.ts";
import { TempDirs } from "../support/processes.ts";
import { RawClient } from "../support/raw_client.ts";
import { runtimeOpenSqlite } from "../support/runtime.ts";
import { defaultTestEngine, defaultTestEngineName, startInProcess, type RunningServer } from "../support/servers.ts";
import { differentialSuite } from "../differential/suite.ts";
import { family } from "./families.ts";
import { CASES, METADATA_COMMANDS } from "./transactions_cases.ts";

differentialSuite("transactions", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("transactions").specs });

const dirs = new TempDirs();

for (const engineName of [defaultTestEngineName, "sqlite"] as const) {
  describe(`transactions on the ${engineName} engine`, () => {
    let server: RunningServer;

    before(async () => {
      const engine: Engine = engineName !== "sqlite"
        ? await defaultTestEngine()
        : await SqliteEngine.open(dirs.make("transactions"), { openDriver: await runtimeOpenSqlite() });
      server = await startInProcess({ engine });
    });

    after(async () => {
      await server.stop();
      dirs.removeAll();
    });

    test("a WATCHed key written by another client makes EXEC reply nil and apply nothing", async () => {
      const a = await RawClient.connect(server.port);
      const b = await RawClient.connect(server.port);
      try {
        await a.call("SET", "balance", "10");
        assert.equal(await a.call("WATCH", "balance"), "+OK\r\n");
        assert.equal(await b.call("INCRBY", "balance", "5"), ":15\r\n");
        assert.equal(await a.call("MULTI"), "+OK\r\n");
        assert.equal(await a.call("SET", "balance", "0"), "+QUEUED\r\n");
        assert.equal(await a.call("EXEC"), "*-1\r\n");
        assert.equal(await a.call("GET", "balance"), "$2\r\n15\r\n");
        // The WATCH is gone after EXEC: the next transaction runs.
        assert.equal(await a.call("MULTI"), "+OK\r\n");
        await a.call("SET", "balance", "0");
        assert.equal(await a.call("EXEC"), "*1\r\n+OK\r\n");
      } finally {
        a.close();
        b.close();
      }
    });

    test("a hash field written by another client breaks a WATCH of the hash", async () => {
      const a = await RawClient.connect(server.port);
      const b = await RawClient.connect(server.port);
      try {
        await a.call("HSET", "h", "f", "1");
        await a.call("WATCH", "h");
        await b.call("HSET", "h", "g", "2");
        await a.call("MULTI");
        await a.call("HSET", "h", "f", "9");
        assert.equal(await a.call("EXEC"), "*-1\r\n");
        assert.equal(await a.call("HGET", "h", "f"), "$1\r\n1\r\n");
      } finally {
        a.close();
        b.close();
      }
    });

    test("EXEC is isolated: 20 clients each moving 1 unit between two keys in MULTI keep the sum exact", async () => {
      const setup = new Redis({ port: server.port, host: "127.0.0.1", lazyConnect: true });
      await setup.connect();
      await setup.mset("left", "1000", "right", "0");
      const clients = await Promise.all(Array.from({ length: 20 }, async () => {
        const c = new Redis({ port: server.port, host: "127.0.0.1", lazyConnect: true });
        await c.connect();
        return c;
      }));
      try {
        await Promise.all(clients.map(async (c) => {
          for (let i = 0; i < 10; i++) {
            const replies = await c.multi().decr("left").incr("right").exec();
            assert.equal(replies?.length, 2);
          }
        }));
        const [left, right] = await setup.mget("left", "right");
        assert.equal(Number(left) + Number(right), 1000);
        assert.equal(right, "200");
      } finally {
        for (const c of clients) c.disconnect();
        setup.disconnect();
      }
    });

    test("ioredis and node-redis pipelined MULTI/EXEC return every reply, runtime errors included", async () => {
      const io = new Redis({ port: server.port, host: "127.0.0.1", lazyConnect: true });
      await io.connect();
      const nr = createClient({ socket: { port: server.port, host: "127.0.0.1" } });
      await nr.connect();
      try {
        const replies = await io.multi().set("p", "1").incr("p").lpush("p", "x").get("p").exec();
        assert.equal(replies![0]![1], "OK");
        assert.equal(replies![1]![1], 2);
        assert.match(String(replies![2]![0]), /WRONGTYPE/);
        assert.equal(replies![3]![1], "2");
        const results = await nr.multi().set("q", "a").append("q", "b").get("q").exec();
        assert.deepEqual(results, ["OK", 2, "ab"]);
      } finally {
        io.disconnect();
        await nr.quit();
      }
    });

    test("a transaction too big for the engine fails whole with a clear error and applies nothing", async () => {
      const c = await RawClient.connect(server.port);
      try {
        await c.call("MULTI");
        const chunk = "x".repeat(4 * 1024 * 1024);
        for (const k of ["big1", "big2", "big3"]) assert.equal(await c.call("SET", k, chunk), "+QUEUED\r\n");
        assert.match(await c.call("EXEC"), /^-ERR .*exceeds/);
        assert.equal(await c.call("EXISTS", "big1", "big2", "big3"), ":0\r\n");
      } finally {
        c.close();
      }
    });
  });
}

test("a write and a WATCHed EXEC grouped in the same SQLite commit: EXEC still sees the write and replies nil", async () => {
  const engine = await SqliteEngine.open(dirs.make("same-batch"), { openDriver: await runtimeOpenSqlite() });
  const server = await startInProcess({ engine });
  const a = await RawClient.connect(server.port);
  const b = await RawClient.connect(server.port);
  try {
    await a.call("SET", "k", "1");
    await a.call("WATCH", "k");
    await a.call("MULTI");
    await a.call("SET", "k", "from-exec");
    // Both arrive in the same event-loop turn, so they share one batch: b's write first, then EXEC.
    const [written, executed] = await Promise.all([b.call("SET", "k", "from-b"), new Promise<string>((resolve) => setImmediate(() => resolve(a.call("EXEC"))))]);
    assert.equal(written, "+OK\r\n");
    assert.equal(executed, "*-1\r\n");
    assert.equal(await a.call("GET", "k"), "$6\r\nfrom-b\r\n");
  } finally {
    a.close();
    b.close();
    await server.stop();
    dirs.removeAll();
  }
});
