// Two tenants on one server, with names where one is a prefix of the other
// (kv_a, kv_ab), write the same key names in several databases. Nothing of
// one is visible to or changed by the other, by any keyspace-wide or key
// command, SCAN cursor, WATCH, CLIENT LIST or CLIENT KILL.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { RawClient } from "../support/raw_client.ts";
import { type AuthServer, bulk, bulkStrings, noPermission, OK, rawAuthed, sleep, startAuthServer, withIoredis } from "./support.ts";

/** Databases each tenant writes, and what it writes in each. */
const DBS = ["0", "1", "5"];

describe("tenant isolation", () => {
  let s: AuthServer;
  let tokenA: string;
  let tokenB: string;
  let a: RawClient;
  let b: RawClient;
  before(async () => {
    s = await startAuthServer();
    tokenA = await s.mint("kv_a");
    tokenB = await s.mint("kv_ab");
    a = await rawAuthed(s.port, tokenA);
    b = await rawAuthed(s.port, tokenB);
  });
  after(async () => {
    a.close();
    b.close();
    await s.stop();
  });

  /** In each database: "shared" (a string for a, a hash for b), "<tenant>-only", and one more key per database index. */
  async function seed(): Promise<void> {
    for (const [client, name] of [[a, "a"], [b, "b"]] as const) {
      assert.equal(await client.call("FLUSHALL"), OK);
      for (const db of DBS) {
        assert.equal(await client.call("SELECT", db), OK);
        if (name === "a") assert.equal(await client.call("SET", "shared", `a-${db}`), OK);
        else assert.equal(await client.call("HSET", "shared", "f", `b-${db}`), ":1\r\n");
        assert.equal(await client.call("SET", `${name}-only`, db), OK);
        for (let i = 0; i <= Number(db); i++) assert.equal(await client.call("SET", `${name}:${db}:${i}`, "x"), OK);
      }
      assert.equal(await client.call("SELECT", "0"), OK);
    }
  }

  const expectedKeys = (name: string, db: string): string[] =>
    ["shared", `${name}-only`, ...Array.from({ length: Number(db) + 1 }, (_, i) => `${name}:${db}:${i}`)].sort();

  async function keysIn(client: RawClient, db: string): Promise<string[]> {
    assert.equal(await client.call("SELECT", db), OK);
    return bulkStrings(await client.call("KEYS", "*")).sort();
  }

  beforeEach(seed);

  test("GET, EXISTS, TYPE, STRLEN, MEMORY USAGE and OBJECT see only the tenant's own key of a name", async () => {
    for (const db of DBS) {
      for (const client of [a, b]) assert.equal(await client.call("SELECT", db), OK);
      assert.equal(await a.call("GET", "shared"), bulk(`a-${db}`));
      assert.equal(await a.call("TYPE", "shared"), "+string\r\n");
      assert.equal(await b.call("TYPE", "shared"), "+hash\r\n");
      assert.equal(await b.call("HGET", "shared", "f"), bulk(`b-${db}`));
      assert.equal(await a.call("EXISTS", "a-only", "b-only"), ":1\r\n");
      assert.equal(await b.call("EXISTS", "a-only", "b-only"), ":1\r\n");
      assert.equal(await b.call("GET", "a-only"), "$-1\r\n");
      assert.equal(await b.call("TYPE", "a-only"), "+none\r\n");
      assert.equal(await b.call("STRLEN", "a-only"), ":0\r\n");
      assert.equal(await b.call("MEMORY", "USAGE", "a-only"), "$-1\r\n");
      assert.match(await a.call("MEMORY", "USAGE", "a-only"), /^:\d+\r\n$/);
      assert.equal(await b.call("OBJECT", "ENCODING", "a-only"), "$-1\r\n");
      assert.equal(await a.call("TTL", "b-only"), ":-2\r\n");
    }
  });

  test("KEYS, SCAN (paged), DBSIZE and RANDOMKEY of every database list only the tenant's keys", async () => {
    for (const db of [...DBS, "2", "15"]) {
      for (const [client, name] of [[a, "a"], [b, "b"]] as const) {
        const expected = DBS.includes(db) ? expectedKeys(name, db) : [];
        assert.deepEqual(await keysIn(client, db), expected, `KEYS * of ${name} in db ${db}`);
        assert.equal(await client.call("DBSIZE"), `:${expected.length}\r\n`);
        const scanned: string[] = [];
        let cursor = "0";
        do {
          const [next, ...page] = bulkStrings(await client.call("SCAN", cursor, "COUNT", "2"));
          cursor = next!;
          scanned.push(...page);
        } while (cursor !== "0");
        assert.deepEqual(scanned.sort(), expected, `SCAN of ${name} in db ${db}`);
        for (let i = 0; i < 10; i++) {
          const picked = bulkStrings(await client.call("RANDOMKEY"));
          if (expected.length === 0) assert.deepEqual(picked, []);
          else assert.ok(expected.includes(picked[0]!), `RANDOMKEY of ${name} gave ${picked[0]}`);
        }
      }
    }
  });

  test("a SCAN cursor of one tenant is an invalid cursor for the other", async () => {
    assert.equal(await a.call("SELECT", "5"), OK);
    assert.equal(await b.call("SELECT", "5"), OK);
    const [cursor] = bulkStrings(await a.call("SCAN", "0", "COUNT", "2"));
    assert.notEqual(cursor, "0");
    assert.equal(await b.call("SCAN", cursor!, "COUNT", "100"), "-ERR invalid cursor\r\n");
    const [hcursor] = bulkStrings(await a.call("SCAN", "0", "COUNT", "1"));
    assert.equal(await b.call("HSCAN", "shared", hcursor!), "-ERR invalid cursor\r\n");
  });

  test("INFO keyspace, INFO memory and INFO clients describe the tenant alone", async () => {
    const keyspace = async (client: RawClient) => (await client.call("INFO", "keyspace")).split("\r\n").filter((l) => l.startsWith("db"));
    const lines = (name: string) => DBS.map((db) => `db${db}:keys=${expectedKeys(name, db).length},expires=0,avg_ttl=0`);
    assert.deepEqual(await keyspace(a), lines("a"));
    assert.deepEqual(await keyspace(b), lines("b"));
    assert.equal(await a.call("SELECT", "1"), OK);
    assert.equal(await a.call("EXPIRE", "a-only", "100"), ":1\r\n");
    assert.match((await keyspace(a))[1]!, /^db1:keys=\d+,expires=1,/);
    assert.match((await keyspace(b))[1]!, /^db1:keys=\d+,expires=0,/);

    const storage = async (client: RawClient) => Number(/used_storage:(\d+)/.exec(await client.call("INFO", "memory"))![1]);
    const before = await storage(b);
    assert.equal(await a.call("SET", "big", "x".repeat(5_000)), OK);
    assert.equal(await storage(b), before, "tenant a's write shows in tenant b's used_storage");
    assert.ok((await storage(a)) > 5_000);

    const clients = async (client: RawClient) => Number(/connected_clients:(\d+)/.exec(await client.call("INFO", "clients"))![1]);
    const extra = await rawAuthed(s.port, tokenB);
    try {
      assert.equal(await clients(a), 1);
      assert.equal(await clients(b), 2);
    } finally {
      extra.close();
    }
  });

  test("FLUSHDB and FLUSHALL of one tenant leave the other's databases whole", async () => {
    assert.equal(await b.call("SELECT", "1"), OK);
    assert.equal(await b.call("FLUSHDB"), OK);
    for (const db of DBS) assert.deepEqual(await keysIn(a, db), expectedKeys("a", db));
    assert.deepEqual(await keysIn(b, "1"), []);
    assert.deepEqual(await keysIn(b, "5"), expectedKeys("b", "5"));
    assert.equal(await b.call("FLUSHALL"), OK);
    for (const db of DBS) {
      assert.deepEqual(await keysIn(a, db), expectedKeys("a", db));
      assert.equal(await a.call("DBSIZE"), `:${expectedKeys("a", db).length}\r\n`);
      assert.deepEqual(await keysIn(b, db), []);
    }
  });

  test("COPY ... DB, MOVE and SWAPDB stay inside the tenant", async () => {
    assert.equal(await a.call("SELECT", "0"), OK);
    assert.equal(await a.call("COPY", "a-only", "copied", "DB", "7"), ":1\r\n");
    assert.equal(await a.call("COPY", "a-only", "shared", "DB", "5", "REPLACE"), ":1\r\n");
    assert.deepEqual(await keysIn(a, "7"), ["copied"]);
    assert.deepEqual(await keysIn(b, "7"), []);
    assert.equal(await b.call("SELECT", "5"), OK);
    assert.equal(await b.call("HGET", "shared", "f"), bulk("b-5"));
    assert.equal(await b.call("COPY", "b-only", "copied", "DB", "7"), ":1\r\n");
    assert.equal(await b.call("SELECT", "7"), OK);
    assert.equal(await b.call("GET", "copied"), bulk("5"));
    assert.equal(await a.call("SELECT", "7"), OK);
    assert.equal(await a.call("GET", "copied"), bulk("0"));

    // Not implemented today; when they are, they must keep to the tenant.
    assert.equal(await a.call("SELECT", "0"), OK);
    const move = await a.call("MOVE", "a-only", "9");
    if (!move.startsWith("-ERR unknown command")) {
      assert.equal(move, ":1\r\n");
      assert.deepEqual(await keysIn(b, "9"), []);
      assert.deepEqual(await keysIn(a, "9"), ["a-only"]);
    }
    const swap = await b.call("SWAPDB", "0", "1");
    if (!swap.startsWith("-ERR unknown command")) {
      assert.equal(swap, OK);
      for (const db of DBS) if (db !== "0") assert.deepEqual(await keysIn(a, db), expectedKeys("a", db));
    }
  });

  test("a write by one tenant to a key of the same name does not break the other's WATCH, nor does its FLUSHALL", async () => {
    assert.equal(await a.call("SELECT", "0"), OK);
    assert.equal(await b.call("SELECT", "0"), OK);
    assert.equal(await a.call("WATCH", "shared"), OK);
    assert.equal(await b.call("HSET", "shared", "f", "changed"), ":0\r\n");
    assert.equal(await b.call("FLUSHALL"), OK);
    assert.equal(await a.call("MULTI"), OK);
    assert.equal(await a.call("SET", "shared", "watched"), "+QUEUED\r\n");
    assert.equal(await a.call("EXEC"), "*1\r\n+OK\r\n");
    // And a's own write still breaks a's WATCH (the check above can fail).
    assert.equal(await a.call("WATCH", "shared"), OK);
    assert.equal(await a.call("SET", "shared", "self"), OK);
    assert.equal(await a.call("MULTI"), OK);
    assert.equal(await a.call("SET", "shared", "lost"), "+QUEUED\r\n");
    assert.equal(await a.call("EXEC"), "*-1\r\n");
  });

  test("CLIENT LIST shows only the tenant's connections; CLIENT KILL cannot reach the other tenant's", async () => {
    const idOf = async (client: RawClient) => (await client.call("CLIENT", "ID")).slice(1, -2);
    const a2 = await rawAuthed(s.port, tokenA);
    const b2 = await rawAuthed(s.port, tokenB);
    try {
      const [idA, idA2, idB, idB2] = [await idOf(a), await idOf(a2), await idOf(b), await idOf(b2)];
      const listed = async (client: RawClient) => [...(await client.call("CLIENT", "LIST")).matchAll(/id=(\d+) /g)].map((m) => m[1]).sort();
      assert.deepEqual(await listed(a), [idA, idA2].sort());
      assert.deepEqual(await listed(b), [idB, idB2].sort());
      assert.doesNotMatch(await a.call("CLIENT", "LIST", "ID", idB), /id=/);
      const addrB2 = /addr=(\S+)/.exec(await b2.call("CLIENT", "INFO"))![1]!;

      assert.equal(await a.call("CLIENT", "KILL", "ID", idB2), ":0\r\n");
      assert.equal(await a.call("CLIENT", "KILL", "ADDR", addrB2), ":0\r\n");
      assert.equal(await a.call("CLIENT", "KILL", addrB2), "-ERR No such client\r\n");
      // USER default matches every connection of the tenant but the caller's own (SKIPME yes).
      assert.equal(await a.call("CLIENT", "KILL", "USER", "default"), ":1\r\n");
      assert.equal(await a2.closedByServer(), true, "a's own other connection was killed");
      await sleep(50);
      assert.equal(await b2.call("PING"), "+PONG\r\n", "b's connection survived a's CLIENT KILL");
      assert.equal(await b.call("PING"), "+PONG\r\n");
      assert.equal(await b.call("CLIENT", "KILL", "ID", idB2), ":1\r\n");
      assert.equal(await b2.closedByServer(), true);
    } finally {
      a2.close();
      b2.close();
    }
  });

  test("settings shared by every tenant (CONFIG SET, CONFIG RESETSTAT) are refused to a tenant's token", async () => {
    assert.equal(await a.call("CONFIG", "SET", "timeout", "1"), noPermission("config|set"));
    assert.equal(await a.call("config", "resetstat"), noPermission("config|resetstat"));
    assert.match(await a.call("CONFIG", "GET", "timeout"), /^\*2\r\n\$7\r\ntimeout\r\n\$1\r\n0\r\n/);
  });

  test("through ioredis too: each tenant reads its own value of the same key", async () => {
    await withIoredis(s.port, tokenA, async (ra) => {
      await withIoredis(s.port, tokenB, async (rb) => {
        await ra.set("io", "from-a");
        await rb.set("io", "from-b");
        assert.equal(await ra.get("io"), "from-a");
        assert.equal(await rb.get("io"), "from-b");
        await rb.del("io");
        assert.equal(await ra.get("io"), "from-a");
        assert.deepEqual((await ra.keys("*")).sort(), [...expectedKeys("a", "0"), "io"].sort());
      });
    });
  });
});
