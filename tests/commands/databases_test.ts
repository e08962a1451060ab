// The tests of the commands between databases (src/commands/families/databases.ts):
// the differential cases of databases_cases.ts against redis-server (or its
// recorded replies), then Materia's own: tenants and tokens, SWAPDB with WATCH
// and with blocked clients, and the database map kept across restarts.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { differentialSuite } from "../differential/suite.ts";
import { waitBlocked } from "../support/blocked_clients.ts";
import { passwordTenants } from "../support/password_tenants.ts";
import { RawClient } from "../support/raw_client.ts";
import { runtimeOpenSqlite } from "../support/runtime.ts";
import { SqliteEngine } from "../../src/engine/sqlite/engine.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { family } from "./families.ts";
import { CASES, METADATA_COMMANDS } from "./databases_cases.ts";

differentialSuite("databases", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("databases").specs });

const bulk = (text: string): string => `$${new TextEncoder().encode(text).length}\r\n${text}\r\n`;

describe("SWAPDB and MOVE among tenants and tokens", () => {
  let server: RunningServer;
  const clients: RawClient[] = [];
  before(async () => {
    server = await startInProcess({ auth: passwordTenants() });
  });
  after(async () => {
    for (const client of clients) client.close();
    await server.stop();
  });
  async function login(password: string): Promise<RawClient> {
    const client = await RawClient.connect(server.port);
    clients.push(client);
    assert.equal(await client.call("AUTH", password), "+OK\r\n");
    return client;
  }

  test("SWAPDB swaps the caller's tenant's databases only; the other tenant's stay where they were", async () => {
    const a = await login("a");
    const b = await login("b");
    for (const [client, name] of [[a, "A"], [b, "B"]] as const) {
      assert.equal(await client.call("SET", "k", `${name}0`), "+OK\r\n");
      await client.call("SELECT", "1");
      assert.equal(await client.call("SET", "k", `${name}1`), "+OK\r\n");
      await client.call("SELECT", "0");
    }
    assert.equal(await a.call("SWAPDB", "0", "1"), "+OK\r\n");
    assert.equal(await a.call("GET", "k"), bulk("A1"));
    assert.equal(await b.call("GET", "k"), bulk("B0"));
    await b.call("SELECT", "1");
    assert.equal(await b.call("GET", "k"), bulk("B1"));
    assert.equal(await b.call("RANDOMKEY"), bulk("k"));
    assert.equal(await a.call("SWAPDB", "1", "0"), "+OK\r\n");
    assert.equal(await a.call("GET", "k"), bulk("A0"));
  });

  test("MOVE and SWAPDB need the write right; a token limited to key prefixes may MOVE its keys but not SWAPDB", async () => {
    const reader = await login("r");
    assert.match(await reader.call("SWAPDB", "0", "1"), /^-NOPERM /);
    assert.match(await reader.call("MOVE", "p:k", "1"), /^-NOPERM /);
    const prefixed = await login("p");
    assert.match(await prefixed.call("SWAPDB", "0", "1"), /^-NOPERM this token is limited to key prefixes/);
    assert.match(await prefixed.call("MOVE", "other", "1"), /^-NOPERM /);
    assert.equal(await prefixed.call("SET", "p:k", "v"), "+OK\r\n");
    assert.equal(await prefixed.call("MOVE", "p:k", "2"), ":1\r\n");
    await prefixed.call("SELECT", "2");
    assert.equal(await prefixed.call("GET", "p:k"), bulk("v"));
  });

  test("RANDOMKEY of a prefix-limited token answers only keys under its prefixes, of its database, never expired ones", async () => {
    const a = await login("a");
    await a.call("SELECT", "5");
    await a.call("MSET", "p:1", "x", "p:2", "x", "q:1", "x", "r:1", "x", "z", "x");
    await a.call("SET", "p:gone", "x", "PX", "1");
    await a.call("SELECT", "6");
    await a.call("SET", "p:other-db", "x");
    const prefixed = await login("p");
    await prefixed.call("SELECT", "5");
    await new Promise((resolve) => setTimeout(resolve, 10));
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) seen.add(await prefixed.call("RANDOMKEY"));
    assert.deepEqual([...seen].sort(), [bulk("p:1"), bulk("p:2")]);
    await prefixed.call("SELECT", "7");
    assert.equal(await prefixed.call("RANDOMKEY"), "$-1\r\n");
  });
});

describe("SWAPDB with WATCH and blocked clients", () => {
  let server: RunningServer;
  const clients: RawClient[] = [];
  before(async () => {
    server = await startInProcess();
  });
  after(async () => {
    for (const client of clients) client.close();
    await server.stop();
  });
  async function connect(): Promise<RawClient> {
    const client = await RawClient.connect(server.port);
    clients.push(client);
    return client;
  }

  test("SWAPDB fails the EXEC of a client WATCHing a key of either database, not of a third", async () => {
    const admin = await connect();
    await admin.call("FLUSHALL");
    const watchers = await Promise.all([0, 1, 2].map(async (db) => {
      const client = await connect();
      await client.call("SELECT", String(db));
      await client.call("SET", "w", String(db));
      assert.equal(await client.call("WATCH", "w"), "+OK\r\n");
      return client;
    }));
    assert.equal(await admin.call("SWAPDB", "0", "1"), "+OK\r\n");
    const results: string[] = [];
    for (const client of watchers) {
      await client.call("MULTI");
      await client.call("GET", "w");
      results.push(await client.call("EXEC"));
    }
    assert.deepEqual(results, ["*-1\r\n", "*-1\r\n", `*1\r\n${bulk("2")}`]);
  });

  test("a client blocked in BLPOP on an empty database is served by a SWAPDB that brings it a list (Redis 7 re-checks)", async () => {
    const admin = await connect();
    await admin.call("FLUSHALL");
    await admin.call("SELECT", "1");
    assert.equal(await admin.call("RPUSH", "queue", "from-db1"), ":1\r\n");
    const waiter = await connect();
    waiter.writeRaw("*3\r\n$5\r\nBLPOP\r\n$5\r\nqueue\r\n$1\r\n0\r\n");
    await waitBlocked(admin, 1);
    assert.equal(await admin.call("SWAPDB", "1", "0"), "+OK\r\n");
    assert.equal(await waiter.readReply(), `*2\r\n${bulk("queue")}${bulk("from-db1")}`);
    // The swap moved the list to database 0, where the waiter popped it.
    assert.equal(await admin.call("EXISTS", "queue"), ":0\r\n");
    await admin.call("SELECT", "0");
    assert.equal(await admin.call("EXISTS", "queue"), ":0\r\n");
  });

  test("a SCAN cursor issued before a SWAPDB is refused after it, rather than resuming in the other database", async () => {
    const client = await connect();
    await client.call("FLUSHALL");
    for (let i = 0; i < 30; i++) await client.call("SET", `k${i}`, "v");
    const first = await client.call("SCAN", "0", "COUNT", "5");
    const cursor = /^\*2\r\n\$\d+\r\n(\d+)\r\n/.exec(first)![1]!;
    assert.notEqual(cursor, "0");
    await client.call("SWAPDB", "0", "9");
    assert.equal(await client.call("SCAN", cursor), "-ERR invalid cursor\r\n");
  });
});

describe("the database map is stored with the data", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "materia-swapdb-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("after SWAPDB and a restart on SQLite, each database still holds what the swap gave it, and its TTLs still expire", async () => {
    const first = await startInProcess({ engine: await SqliteEngine.open(dir, { openDriver: await runtimeOpenSqlite() }) });
    let client = await RawClient.connect(first.port);
    await client.call("SET", "k", "zero");
    await client.call("SET", "t", "v", "PX", "300");
    await client.call("SELECT", "1");
    await client.call("SET", "k", "one");
    assert.equal(await client.call("SWAPDB", "0", "1"), "+OK\r\n");
    client.close();
    await first.stop();

    const second = await startInProcess({ engine: await SqliteEngine.open(dir, { openDriver: await runtimeOpenSqlite() }) });
    client = await RawClient.connect(second.port);
    try {
      assert.equal(await client.call("GET", "k"), bulk("one"));
      await client.call("SELECT", "1");
      assert.equal(await client.call("GET", "k"), bulk("zero"));
      assert.equal(await client.call("DBSIZE"), ":2\r\n");
      const deadline = Date.now() + 3_000;
      while ((await client.call("DBSIZE")) !== ":1\r\n" && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(await client.call("DBSIZE"), ":1\r\n", "the sweeper removed the expired key from its new database");
    } finally {
      client.close();
      await second.stop();
    }
  });
});
