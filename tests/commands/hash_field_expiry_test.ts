// The tests of hash-field expiry (src/commands/families/hash_field_expiry.ts):
// HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT, HTTL, HPTTL, HEXPIRETIME,
// HPEXPIRETIME, HPERSIST, HGETDEL, HGETEX, HSETEX. redis-server 7.0.15 has none
// of them, so the replies are checked against Redis 8's documented examples
// (redis.io command pages) and Redis 8's t_hash.c (error texts, per-field
// codes, events), with a fake clock, on the tests' engine (memory, or the
// FoundationDB double under test:fdb-sim) and on SQLite; then a randomized
// comparison with a small model of hash fields with TTLs.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import type { Engine } from "../../src/engine/contract.ts";
import { SqliteEngine } from "../../src/engine/sqlite/engine.ts";
import { MateriaServer } from "../../src/server/server.ts";
import type { ExpirySweeper } from "../../src/server/expiry_sweeper.ts";
import { EventSubscriber } from "../support/keyspace_events.ts";
import { passwordTenants } from "../support/password_tenants.ts";
import { TempDirs } from "../support/processes.ts";
import { RawClient } from "../support/raw_client.ts";
import { runtimeListen, runtimeOpenSqlite } from "../support/runtime.ts";
import { defaultTestEngine, defaultTestEngineName } from "../support/servers.ts";

/** 2025-01-01T00:00:00Z: the fake clock's start, moved by the tests only. */
const START_MS = 1_735_689_600_000;

// --- exact RESP2 replies ---
const int = (n: number): string => `:${n}\r\n`;
const ints = (...values: number[]): string => `*${values.length}\r\n${values.map(int).join("")}`;
const bulk = (value: string | null): string => value === null ? "$-1\r\n" : `$${new TextEncoder().encode(value).length}\r\n${value}\r\n`;
const bulks = (...values: (string | null)[]): string => `*${values.length}\r\n${values.map(bulk).join("")}`;
const error = (text: string): string => `-${text}\r\n`;
const OK = "+OK\r\n";

interface Target {
  readonly server: MateriaServer;
  readonly port: number;
  /** Tenant a's connection. */
  readonly client: RawClient;
  /** Moves the fake clock by `ms`. */
  advance(ms: number): void;
  /** One pass of the background sweeper, now. */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

async function startTarget(engine: Engine, clock: { now: number }): Promise<Target> {
  const server = new MateriaServer({
    engine,
    auth: passwordTenants(),
    version: "test",
    dataDirectory: "",
    clock: () => clock.now,
    // The tests sweep when they choose to (sweep()), never behind their back.
    sweepIntervalMs: 3_600_000,
  });
  const listener = await server.listen(await runtimeListen(), { host: "127.0.0.1", port: 0 });
  const client = await authed(listener.port, "a");
  return {
    server,
    port: listener.port,
    client,
    advance: (ms) => void (clock.now += ms),
    sweep: () => (server as unknown as { sweeper: ExpirySweeper }).sweeper.step(),
    async stop() {
      client.close();
      await server.shutdown({ timeoutMs: 2_000 });
    },
  };
}

async function authed(port: number, password: string): Promise<RawClient> {
  const client = await RawClient.connect(port);
  assert.equal(await client.call("AUTH", password), OK);
  return client;
}

const dirs = new TempDirs();
const engines: { name: string; open: () => Promise<Engine> }[] = [
  { name: defaultTestEngineName, open: defaultTestEngine },
  { name: "sqlite", open: async () => SqliteEngine.open(dirs.make("hfe"), { openDriver: await runtimeOpenSqlite() }) },
];

for (const engineSpec of engines) {
  describe(`hash-field expiry on ${engineSpec.name}`, () => {
    const clock = { now: START_MS };
    let t: Target;
    let c: RawClient;
    before(async () => {
      t = await startTarget(await engineSpec.open(), clock);
      c = t.client;
    });
    after(async () => {
      await t.stop();
      dirs.removeAll();
    });
    const fresh = async (): Promise<void> => {
      clock.now = START_MS;
      assert.equal(await c.call("FLUSHALL"), OK);
    };

    test("HEXPIRE as redis.io shows it: 1 per field set, -2 for a missing field or key; the fields vanish at their time", async () => {
      await fresh();
      assert.equal(await c.call("HEXPIRE", "no-key", "20", "NX", "FIELDS", "2", "field1", "field2"), ints(-2, -2));
      assert.equal(await c.call("HSET", "mykey", "field1", "hello", "field2", "world"), int(2));
      assert.equal(await c.call("HEXPIRE", "mykey", "10", "FIELDS", "3", "field1", "field2", "field3"), ints(1, 1, -2));
      assert.equal(await c.call("HTTL", "mykey", "FIELDS", "2", "field1", "field2"), ints(10, 10));
      t.advance(10_000);
      // Alive through its expiry millisecond, as keys are.
      assert.equal(await c.call("HGET", "mykey", "field1"), bulk("hello"));
      t.advance(1);
      assert.equal(await c.call("HGETALL", "mykey"), "*0\r\n");
    });

    test("HSETEX as redis.io shows it (EXAT, then HTTL; FNX on existing fields; two TTL options)", async () => {
      await fresh();
      // The page's HTTL answered 55627 seconds before 1740470400.
      clock.now = 1_740_470_400_000 - 55_627_000;
      assert.equal(await c.call("HSETEX", "mykey", "EXAT", "1740470400", "FIELDS", "2", "field1", "Hello", "field2", "World"), int(1));
      assert.equal(await c.call("HTTL", "mykey", "FIELDS", "2", "field1", "field2"), ints(55627, 55627));
      assert.equal(await c.call("HSETEX", "mykey", "FNX", "EX", "60", "FIELDS", "2", "field1", "Hello", "field2", "World"), int(0));
      assert.equal(
        await c.call("HSETEX", "mykey", "FXX", "EX", "60", "KEEPTTL", "FIELDS", "2", "field1", "hello", "field2", "world"),
        error("ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified"),
      );
      assert.equal(await c.call("HSETEX", "mykey", "FXX", "KEEPTTL", "FIELDS", "2", "field1", "hello", "field2", "world"), int(1));
      assert.equal(await c.call("HGETALL", "mykey"), bulks("field1", "hello", "field2", "world"));
      assert.equal(await c.call("HTTL", "mykey", "FIELDS", "1", "field1"), ints(55627));
    });

    test("HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME after HPEXPIREAT: seconds rounded up, -1 without a TTL, -2 for a missing field or key", async () => {
      await fresh();
      await c.call("HSET", "h", "a", "1", "b", "2");
      assert.equal(await c.call("HPEXPIREAT", "h", String(START_MS + 1500), "FIELDS", "1", "a"), ints(1));
      assert.equal(await c.call("HPTTL", "h", "FIELDS", "3", "a", "b", "c"), ints(1500, -1, -2));
      assert.equal(await c.call("HTTL", "h", "FIELDS", "3", "a", "b", "c"), ints(2, -1, -2));
      assert.equal(await c.call("HPEXPIRETIME", "h", "FIELDS", "2", "a", "b"), ints(START_MS + 1500, -1));
      assert.equal(await c.call("HEXPIRETIME", "h", "FIELDS", "1", "a"), ints(Math.ceil((START_MS + 1500) / 1000)));
      assert.equal(await c.call("HTTL", "missing", "FIELDS", "2", "a", "b"), ints(-2, -2));
      t.advance(1501);
      assert.equal(await c.call("HPTTL", "h", "FIELDS", "2", "a", "b"), ints(-2, -1));
    });

    test("HEXPIRE and HPEXPIRE NX, XX, GT, LT: a field without a TTL counts as an infinite one (NX and LT pass, XX and GT fail)", async () => {
      await fresh();
      await c.call("HSET", "h", "a", "1", "b", "2");
      assert.equal(await c.call("HEXPIRE", "h", "100", "XX", "FIELDS", "1", "a"), ints(0));
      assert.equal(await c.call("HEXPIRE", "h", "100", "GT", "FIELDS", "1", "a"), ints(0));
      assert.equal(await c.call("HEXPIRE", "h", "100", "LT", "FIELDS", "1", "a"), ints(1));
      assert.equal(await c.call("HEXPIRE", "h", "100", "NX", "FIELDS", "2", "a", "b"), ints(0, 1));
      assert.equal(await c.call("HEXPIRE", "h", "200", "GT", "FIELDS", "1", "a"), ints(1));
      assert.equal(await c.call("HEXPIRE", "h", "150", "LT", "FIELDS", "1", "a"), ints(1));
      assert.equal(await c.call("HEXPIRE", "h", "150", "LT", "FIELDS", "1", "a"), ints(0));
      assert.equal(await c.call("HEXPIRE", "h", "300", "XX", "FIELDS", "1", "a"), ints(1));
      assert.equal(await c.call("HPEXPIRE", "h", "5000", "FIELDS", "1", "b"), ints(1));
      assert.equal(await c.call("HTTL", "h", "FIELDS", "2", "a", "b"), ints(300, 5));
    });

    test("HEXPIRE and HEXPIREAT with a time not after now delete the fields (2), and the key with its last field", async () => {
      await fresh();
      await c.call("HSET", "h", "a", "1", "b", "2");
      assert.equal(await c.call("HEXPIRE", "h", "0", "FIELDS", "2", "a", "x"), ints(2, -2));
      assert.equal(await c.call("HLEN", "h"), int(1));
      assert.equal(await c.call("HEXPIREAT", "h", String(START_MS / 1000 - 1), "FIELDS", "1", "b"), ints(2));
      assert.equal(await c.call("EXISTS", "h"), int(0));
    });

    test("HPERSIST: 1 when a TTL was removed, -1 without one, -2 for a missing or expired field", async () => {
      await fresh();
      await c.call("HSET", "h", "a", "1", "b", "2", "c", "3");
      await c.call("HPEXPIRE", "h", "10", "FIELDS", "2", "a", "c");
      assert.equal(await c.call("HPERSIST", "h", "FIELDS", "4", "a", "b", "x", "a"), ints(1, -1, -2, -1));
      t.advance(11);
      assert.equal(await c.call("HPERSIST", "h", "FIELDS", "1", "c"), ints(-2));
      assert.equal(await c.call("HPERSIST", "nokey", "FIELDS", "1", "c"), ints(-2));
      assert.equal(await c.call("HGETALL", "h"), bulks("a", "1", "b", "2"));
    });

    test("HGETDEL returns the values and deletes the fields; the key goes with its last one", async () => {
      await fresh();
      await c.call("HSET", "h", "a", "1", "b", "2", "c", "3");
      assert.equal(await c.call("HGETDEL", "h", "FIELDS", "3", "a", "x", "a"), bulks("1", null, null));
      assert.equal(await c.call("HPEXPIRE", "h", "5", "FIELDS", "1", "c"), ints(1));
      t.advance(6);
      assert.equal(await c.call("HGETDEL", "h", "FIELDS", "2", "b", "c"), bulks("2", null));
      assert.equal(await c.call("EXISTS", "h"), int(0));
      assert.equal(await c.call("HGETDEL", "h", "FIELDS", "1", "b"), bulks(null));
    });

    test("HGETEX returns the values and sets (EX, PX, EXAT, PXAT) or removes (PERSIST) their TTL; a past time deletes them", async () => {
      await fresh();
      await c.call("HSET", "h", "a", "1", "b", "2", "c", "3");
      assert.equal(await c.call("HGETEX", "h", "FIELDS", "2", "a", "x"), bulks("1", null));
      assert.equal(await c.call("HGETEX", "h", "EX", "100", "FIELDS", "2", "a", "x"), bulks("1", null));
      assert.equal(await c.call("HGETEX", "h", "PX", "2500", "FIELDS", "1", "b"), bulks("2"));
      assert.equal(await c.call("HGETEX", "h", "EXAT", String(START_MS / 1000 + 50), "FIELDS", "1", "c"), bulks("3"));
      assert.equal(await c.call("HPTTL", "h", "FIELDS", "3", "a", "b", "c"), ints(100_000, 2500, 50_000));
      assert.equal(await c.call("HGETEX", "h", "PXAT", String(START_MS + 7), "FIELDS", "1", "a"), bulks("1"));
      assert.equal(await c.call("HGETEX", "h", "PERSIST", "FIELDS", "2", "a", "b"), bulks("1", "2"));
      assert.equal(await c.call("HTTL", "h", "FIELDS", "3", "a", "b", "c"), ints(-1, -1, 50));
      assert.equal(await c.call("HGETEX", "h", "EX", "0", "FIELDS", "2", "a", "b"), bulks("1", "2"));
      assert.equal(await c.call("HKEYS", "h"), bulks("c"));
      assert.equal(await c.call("HGETEX", "nokey", "EX", "10", "FIELDS", "1", "a"), bulks(null));
    });

    test("HSETEX: FNX sets only new fields, FXX only existing ones, KEEPTTL keeps theirs, no option drops them, a past time deletes", async () => {
      await fresh();
      assert.equal(await c.call("HSETEX", "h", "FXX", "FIELDS", "1", "a", "1"), int(0));
      assert.equal(await c.call("EXISTS", "h"), int(0));
      assert.equal(await c.call("HSETEX", "h", "FNX", "PX", "1000", "FIELDS", "2", "a", "1", "b", "2"), int(1));
      assert.equal(await c.call("HSETEX", "h", "FNX", "FIELDS", "2", "c", "3", "b", "9"), int(0));
      assert.equal(await c.call("HSETEX", "h", "FXX", "KEEPTTL", "FIELDS", "1", "a", "10"), int(1));
      assert.equal(await c.call("HSETEX", "h", "FIELDS", "1", "b", "20"), int(1));
      assert.equal(await c.call("HPTTL", "h", "FIELDS", "2", "a", "b"), ints(1000, -1));
      assert.equal(await c.call("HSETEX", "h", "PXAT", String(START_MS - 1), "FIELDS", "2", "a", "0", "new", "0"), int(1));
      assert.equal(await c.call("HGETALL", "h"), bulks("b", "20"));
      assert.equal(await c.call("HSETEX", "h", "EX", "0", "FIELDS", "1", "b", "0"), int(1));
      assert.equal(await c.call("EXISTS", "h"), int(0));
    });

    test("HSET drops a field's TTL, HINCRBY keeps it; HSETNX and HINCRBY see an expired field as missing", async () => {
      await fresh();
      await c.call("HSET", "h", "a", "1", "n", "5", "x", "old");
      await c.call("HPEXPIRE", "h", "100", "FIELDS", "3", "a", "n", "x");
      assert.equal(await c.call("HSET", "h", "a", "2"), int(0));
      assert.equal(await c.call("HINCRBY", "h", "n", "1"), int(6));
      assert.equal(await c.call("HPTTL", "h", "FIELDS", "2", "a", "n"), ints(-1, 100));
      t.advance(101);
      assert.equal(await c.call("HINCRBY", "h", "n", "1"), int(1));
      assert.equal(await c.call("HSETNX", "h", "x", "new"), int(1));
      assert.equal(await c.call("HPTTL", "h", "FIELDS", "2", "n", "x"), ints(-1, -1));
      assert.equal(await c.call("HGETALL", "h"), bulks("a", "2", "n", "1", "x", "new"));
    });

    test("expired fields are missing to every hash command at once; HLEN counts them until the sweeper removes them, as Redis 8's HLEN does", async () => {
      await fresh();
      await c.call("HSET", "h", "a", "1", "b", "22", "c", "3");
      await c.call("HPEXPIRE", "h", "10", "FIELDS", "2", "a", "b");
      t.advance(11);
      assert.equal(await c.call("HGET", "h", "b"), bulk(null));
      assert.equal(await c.call("HMGET", "h", "a", "b", "c"), bulks(null, null, "3"));
      assert.equal(await c.call("HEXISTS", "h", "a"), int(0));
      assert.equal(await c.call("HSTRLEN", "h", "b"), int(0));
      assert.equal(await c.call("HGETALL", "h"), bulks("c", "3"));
      assert.equal(await c.call("HKEYS", "h"), bulks("c"));
      assert.equal(await c.call("HVALS", "h"), bulks("3"));
      assert.equal(await c.call("HSCAN", "h", "0"), `*2\r\n${bulk("0")}${bulks("c", "3")}`);
      assert.equal(await c.call("HRANDFIELD", "h", "-5"), bulks("c", "c", "c", "c", "c"));
      assert.equal(await c.call("HLEN", "h"), int(3));
      await t.sweep();
      assert.equal(await c.call("HLEN", "h"), int(1));
      await c.call("HPEXPIRE", "h", "1", "FIELDS", "1", "c");
      t.advance(2);
      assert.equal(await c.call("HRANDFIELD", "h"), bulk(null));
      assert.equal(await c.call("EXISTS", "h"), int(1));
      await t.sweep();
      assert.equal(await c.call("EXISTS", "h"), int(0));
      assert.equal(await c.call("DBSIZE"), int(0));
    });

    test("HSCAN pages and HRANDFIELD with a count skip expired fields; long values keep their TTL and go whole", async () => {
      await fresh();
      const fields = Array.from({ length: 30 }, (_, i) => `f${String(i).padStart(2, "0")}`);
      await c.call("HSET", "h", ...fields.flatMap((f) => [f, "v"]));
      const odd = fields.filter((_, i) => i % 2 === 1);
      await c.call("HPEXPIRE", "h", "5", "FIELDS", String(odd.length), ...odd);
      t.advance(6);
      const seen: string[] = [];
      let cursor = "0";
      do {
        const reply = await c.call("HSCAN", "h", cursor, "COUNT", "7", "NOVALUES");
        const lines = reply.split("\r\n");
        cursor = lines[2]!;
        for (let i = 5; i < lines.length; i += 2) if (lines[i] !== undefined && lines[i] !== "") seen.push(lines[i]!);
      } while (cursor !== "0");
      assert.deepEqual(seen, fields.filter((_, i) => i % 2 === 0));
      assert.equal(await c.call("HRANDFIELD", "h", "100"), bulks(...fields.filter((_, i) => i % 2 === 0)));
      const long = "x".repeat(25_000) + "end";
      await c.call("HSETEX", "big", "PX", "50", "FIELDS", "1", "f", long);
      assert.equal(await c.call("HSET", "big", "g", "1"), int(1));
      assert.equal(await c.call("HGETEX", "big", "PERSIST", "FIELDS", "1", "f"), bulks(long));
      assert.equal(await c.call("HGETDEL", "big", "FIELDS", "1", "f"), bulks(long));
      assert.equal(await c.call("HGETALL", "big"), bulks("g", "1"));
    });

    test("the sweeper reports hexpired, then del with the last field; the commands report hexpire, hpersist, hdel", async () => {
      await fresh();
      const subscriber = await EventSubscriber.connect(t.port, "a");
      try {
        await c.call("CONFIG", "SET", "notify-keyspace-events", "Kgh");
        await c.call("HSET", "h", "a", "1", "b", "2");
        await c.call("HPEXPIRE", "h", "10", "FIELDS", "2", "a", "b");
        await c.call("HPERSIST", "h", "FIELDS", "1", "b");
        await c.call("HGETEX", "h", "PX", "20", "FIELDS", "1", "b");
        t.advance(11);
        await t.sweep();
        await c.call("HGETDEL", "h", "FIELDS", "1", "zz");
        t.advance(10);
        await t.sweep();
        const events = await subscriber.drain(c);
        const ch = "__keyspace@0__:h";
        assert.deepEqual(events, [`${ch} hset`, `${ch} hexpire`, `${ch} hpersist`, `${ch} hexpire`, `${ch} hexpired`, `${ch} hexpired`, `${ch} del`]);
      } finally {
        subscriber.close();
        await c.call("CONFIG", "SET", "notify-keyspace-events", "");
      }
    });

    test("a WATCHed hash whose fields the sweeper removes fails the EXEC", async () => {
      await fresh();
      await c.call("HSET", "h", "a", "1", "b", "2");
      await c.call("HPEXPIRE", "h", "10", "FIELDS", "1", "a");
      assert.equal(await c.call("WATCH", "h"), OK);
      t.advance(11);
      await t.sweep();
      await c.call("MULTI");
      await c.call("HSET", "h", "c", "3");
      assert.equal(await c.call("EXEC"), "*-1\r\n");
    });

    test("COPY and RENAME carry the field TTLs and the copy's fields expire too; DEL leaves nothing that touches a new hash", async () => {
      await fresh();
      await c.call("HSET", "h", "a", "1", "b", "2");
      await c.call("HPEXPIRE", "h", "100", "FIELDS", "1", "a");
      assert.equal(await c.call("COPY", "h", "h2"), int(1));
      assert.equal(await c.call("RENAME", "h", "h3"), OK);
      assert.equal(await c.call("HPTTL", "h2", "FIELDS", "2", "a", "b"), ints(100, -1));
      assert.equal(await c.call("HPTTL", "h3", "FIELDS", "2", "a", "b"), ints(100, -1));
      // Recreated without TTLs: the old index entry must not remove the new field.
      await c.call("DEL", "h2");
      await c.call("HSET", "h2", "a", "new");
      t.advance(101);
      await t.sweep();
      assert.equal(await c.call("HLEN", "h3"), int(1));
      assert.equal(await c.call("HGETALL", "h2"), bulks("a", "new"));
      assert.equal(await c.call("HLEN", "h2"), int(1));
    });

    test("after SWAPDB and MOVE the sweeper still removes expired fields, in the database that holds the hash now", async () => {
      await fresh();
      await c.call("HSET", "h", "a", "1", "b", "2");
      await c.call("HPEXPIRE", "h", "100", "FIELDS", "1", "a");
      await c.call("HSET", "m", "a", "1", "b", "2");
      await c.call("HPEXPIRE", "m", "100", "FIELDS", "1", "a");
      assert.equal(await c.call("MOVE", "m", "2"), int(1));
      assert.equal(await c.call("SWAPDB", "0", "1"), OK);
      t.advance(101);
      await t.sweep();
      assert.equal(await c.call("SELECT", "1"), OK);
      // HLEN counts stored fields: 1 once the sweeper removed the expired one.
      assert.equal(await c.call("HLEN", "h"), int(1));
      assert.equal(await c.call("SELECT", "2"), OK);
      assert.equal(await c.call("HLEN", "m"), int(1));
      assert.equal(await c.call("SELECT", "0"), OK);
      assert.equal(await c.call("SWAPDB", "0", "1"), OK);
    });

    test("storage usage converges once the sweeper removed the expired fields", async () => {
      await fresh();
      const usage = async (): Promise<number> => Number(/used_storage:(\d+)/.exec(await c.call("INFO", "memory"))![1]);
      await c.call("HSET", "h", "keep", "1");
      const before = await usage();
      await c.call("HSETEX", "h", "PX", "5", "FIELDS", "2", "big", "x".repeat(30_000), "small", "y");
      assert.ok((await usage()) > before + 30_000);
      t.advance(6);
      await t.sweep();
      // The meta now carries the field-TTL flag, a bit in a byte it already had.
      assert.equal(await usage(), before);
    });

    test("errors: Redis 8's texts for FIELDS, numfields, times and options; WRONGTYPE", async () => {
      await fresh();
      await c.call("SET", "s", "v");
      const cases: [string[], string][] = [
        [["HEXPIRE", "h", "10", "FIELDS", "2", "a"], "ERR The `numfields` parameter must match the number of arguments"],
        [["HEXPIRE", "h", "10", "FIELDS", "0", "a"], "ERR Parameter `numFields` should be greater than 0"],
        [["HEXPIRE", "h", "10", "FIELDS", "x", "a"], "ERR Parameter `numFields` should be greater than 0"],
        [["HEXPIRE", "h", "10", "NX", "XX", "FIELDS", "1", "a"], "ERR Mandatory argument FIELDS is missing or not at the right position"],
        [["HEXPIRE", "h", "ten", "FIELDS", "1", "a"], "ERR value is not an integer or out of range"],
        [["HEXPIRE", "h", "-1", "FIELDS", "1", "a"], "ERR invalid expire time, must be >= 0"],
        [["HEXPIRE", "h", "70368744178", "FIELDS", "1", "a"], "ERR invalid expire time in 'hexpire' command"],
        [["HPEXPIREAT", "h", "70368744177664", "FIELDS", "1", "a"], "ERR invalid expire time in 'hpexpireat' command"],
        [["HPEXPIRE", "h", String(70368744177663 - START_MS + 1), "FIELDS", "1", "a"], "ERR invalid expire time in 'hpexpire' command"],
        [["HTTL", "h", "FIELD", "1", "a"], "ERR Mandatory argument FIELDS is missing or not at the right position"],
        [["HTTL", "h", "FIELDS", "0", "a"], "ERR Number of fields must be a positive integer"],
        [["HPERSIST", "h", "FIELDS", "-1", "a"], "ERR Number of fields must be a positive integer"],
        [["HGETDEL", "h", "FIELDS", "3", "a"], "ERR The `numfields` parameter must match the number of arguments"],
        [["HGETEX", "h", "EX", "x", "FIELDS", "1", "a"], "ERR value is not an integer or out of range"],
        [["HGETEX", "h", "KEEPTTL", "FIELDS", "1", "a"], "ERR Mandatory argument FIELDS is missing or not at the right position"],
        [["HGETEX", "h", "PX", "-5", "FIELDS", "1", "a"], "ERR invalid expire time, must be >= 0"],
        [["HSETEX", "h", "FIELDS", "1", "a"], "ERR wrong number of arguments for 'hsetex' command"],
        [["HSETEX", "h", "FIELDS", "2", "a", "1"], "ERR wrong number of arguments for 'hsetex' command"],
        [["HSETEX", "h", "FIELDS", "0", "a", "1"], "ERR invalid number of fields"],
        [["HSETEX", "h", "FNX", "FXX", "FIELDS", "1", "a", "1"], "ERR Only one of FXX or FNX arguments can be specified"],
        [["HSETEX", "h", "KEEPTTL", "PX", "1", "FIELDS", "1", "a", "1"], "ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified"],
        [["HSETEX", "h", "NX", "FIELDS", "1", "a", "1"], "ERR unknown argument: NX"],
        [["HEXPIRE", "s", "10", "FIELDS", "1", "a"], "WRONGTYPE Operation against a key holding the wrong kind of value"],
        [["HTTL", "s", "FIELDS", "1", "a"], "WRONGTYPE Operation against a key holding the wrong kind of value"],
        [["HGETEX", "s", "FIELDS", "1", "a"], "WRONGTYPE Operation against a key holding the wrong kind of value"],
        [["HSETEX", "s", "FIELDS", "1", "a", "1"], "WRONGTYPE Operation against a key holding the wrong kind of value"],
        [["HGETDEL", "s", "FIELDS", "1", "a"], "WRONGTYPE Operation against a key holding the wrong kind of value"],
        [["HPERSIST", "s", "FIELDS", "1", "a"], "WRONGTYPE Operation against a key holding the wrong kind of value"],
        [["HTTL", "h", "FIELDS"], "ERR wrong number of arguments for 'httl' command"],
      ];
      for (const [argv, text] of cases) assert.equal(await c.call(...argv), error(text), argv.join(" "));
      assert.equal(await c.call("EXISTS", "h"), int(0));
    });

    test("tokens: a read-only principal may HTTL but not HEXPIRE, HGETEX or HGETDEL; a prefix-limited one only its keys; tenants apart", async () => {
      await fresh();
      await c.call("HSET", "h", "a", "1");
      await c.call("HSET", "p:h", "a", "1");
      await c.call("HEXPIRE", "h", "100", "FIELDS", "1", "a");
      const reader = await authed(t.port, "r");
      const prefixed = await authed(t.port, "p");
      const other = await authed(t.port, "b");
      try {
        assert.equal(await reader.call("HTTL", "h", "FIELDS", "1", "a"), ints(100));
        for (const name of ["hexpire", "hgetex", "hgetdel"]) {
          const argv = name === "hexpire" ? ["HEXPIRE", "h", "1", "FIELDS", "1", "a"] : [name.toUpperCase(), "h", "FIELDS", "1", "a"];
          assert.equal(await reader.call(...argv), error(`NOPERM this user has no permissions to run the '${name}' command`));
        }
        const outside = error("NOPERM this user has no permissions to access one of the keys used as arguments");
        assert.equal(await prefixed.call("HPERSIST", "h", "FIELDS", "1", "a"), outside);
        assert.equal(await prefixed.call("HSETEX", "h", "EX", "1", "FIELDS", "1", "a", "1"), outside);
        assert.equal(await prefixed.call("HEXPIRE", "p:h", "50", "FIELDS", "1", "a"), ints(1));
        assert.equal(await other.call("HTTL", "h", "FIELDS", "1", "a"), ints(-2));
        assert.equal(await other.call("HSETEX", "h", "PX", "1", "FIELDS", "1", "a", "b"), int(1));
        t.advance(2);
        await t.sweep();
        assert.equal(await c.call("HTTL", "h", "FIELDS", "1", "a"), ints(100));
        assert.equal(await other.call("EXISTS", "h"), int(0));
      } finally {
        reader.close();
        prefixed.close();
        other.close();
      }
    });
  });
}

// --- randomized comparison with a model ---

/** The model: hash → field → {value, expireAt (0: none)}; fields whose time passed are absent. */
type ModelHash = Map<string, { value: string; expireAt: number }>;

class Model {
  readonly hashes = new Map<string, ModelHash>();
  now = START_MS;

  private live(key: string): ModelHash | undefined {
    const hash = this.hashes.get(key);
    if (hash === undefined) return undefined;
    for (const [field, entry] of hash) if (entry.expireAt !== 0 && entry.expireAt < this.now) hash.delete(field);
    if (hash.size === 0) {
      this.hashes.delete(key);
      return undefined;
    }
    return hash;
  }

  private settle(key: string): void {
    if (this.hashes.get(key)?.size === 0) this.hashes.delete(key);
  }

  /** The exact RESP2 reply of `argv` (the commands the generator makes). */
  apply(argv: string[]): string {
    const [name, key, ...rest] = argv as [string, string, ...string[]];
    const hash = this.live(key);
    switch (name) {
      case "HSET": {
        const target = hash ?? new Map();
        let added = 0;
        for (let i = 0; i < rest.length; i += 2) {
          if (!target.has(rest[i]!)) added++;
          target.set(rest[i]!, { value: rest[i + 1]!, expireAt: 0 });
        }
        this.hashes.set(key, target);
        return int(added);
      }
      case "HGETALL": {
        const pairs = [...(hash ?? new Map()).entries()].sort(([a], [b]) => (a < b ? -1 : 1)).flatMap(([f, e]) => [f, e.value]);
        return bulks(...pairs);
      }
      case "HPEXPIRE": {
        const at = this.now + Number(rest[0]);
        const fields = rest.slice(3);
        const codes = fields.map((field) => {
          const entry = hash?.get(field);
          if (entry === undefined) return -2;
          if (at <= this.now) {
            hash!.delete(field);
            return 2;
          }
          entry.expireAt = at;
          return 1;
        });
        this.settle(key);
        return ints(...codes);
      }
      case "HPTTL":
        return ints(...rest.slice(2).map((field) => {
          const entry = hash?.get(field);
          return entry === undefined ? -2 : entry.expireAt === 0 ? -1 : entry.expireAt - this.now;
        }));
      case "HPERSIST":
        return ints(...rest.slice(2).map((field) => {
          const entry = hash?.get(field);
          if (entry === undefined) return -2;
          if (entry.expireAt === 0) return -1;
          entry.expireAt = 0;
          return 1;
        }));
      case "HGETDEL": {
        const values = rest.slice(2).map((field) => {
          const entry = hash?.get(field);
          hash?.delete(field);
          return entry?.value ?? null;
        });
        this.settle(key);
        return bulks(...values);
      }
      case "HSETEX": {
        const at = this.now + Number(rest[1]);
        const target = hash ?? new Map();
        for (let i = 4; i < rest.length; i += 2) target.set(rest[i]!, { value: rest[i + 1]!, expireAt: at });
        this.hashes.set(key, target);
        return int(1);
      }
      case "HDEL": {
        let removed = 0;
        for (const field of rest) if (hash?.delete(field)) removed++;
        this.settle(key);
        return int(removed);
      }
      case "EXISTS":
        return int(hash === undefined ? 0 : 1);
      default:
        throw new Error(`the model has no ${name}`);
    }
  }
}

/** A small deterministic generator (mulberry32), so a failure prints a seed that replays it. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomCommand(next: () => number): string[] | { advance: number } | "sweep" {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const key = pick(["h1", "h2"]);
  const fields = Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(["a", "b", "c", "d"]));
  const ms = String(pick([0, 1, 5, 20, 100]));
  switch (Math.floor(next() * 11)) {
    case 0: return ["HSET", key, ...fields.flatMap((f) => [f, String(Math.floor(next() * 100))])];
    case 1: return ["HGETALL", key];
    case 2: return ["HPEXPIRE", key, ms, "FIELDS", String(fields.length), ...fields];
    case 3: return ["HPTTL", key, "FIELDS", String(fields.length), ...fields];
    case 4: return ["HPERSIST", key, "FIELDS", String(fields.length), ...fields];
    case 5: return ["HGETDEL", key, "FIELDS", String(fields.length), ...fields];
    case 6: return ["HSETEX", key, "PX", String(1 + Math.floor(next() * 50)), "FIELDS", String(fields.length), ...fields.flatMap((f) => [f, "v"])];
    case 7: return ["HDEL", key, ...fields];
    case 8:
    case 9: return { advance: pick([1, 3, 10, 30]) };
    default: return "sweep";
  }
}

describe(`hash-field expiry against a model (${defaultTestEngineName})`, () => {
  const clock = { now: START_MS };
  let t: Target;
  before(async () => {
    t = await startTarget(defaultTestEngineName === "memory" ? new MemoryEngine() : await defaultTestEngine(), clock);
  });
  after(() => t.stop());

  test("random HSET, HPEXPIRE, HPTTL, HPERSIST, HGETDEL, HSETEX, HDEL, clock moves and sweeps reply as the model does", async () => {
    const seed = Number(process.env.MATERIA_HFE_SEED ?? (Date.now() % 1_000_000));
    const next = random(seed);
    for (let run = 0; run < 20; run++) {
      await t.client.call("FLUSHALL");
      const model = new Model();
      clock.now = START_MS;
      const log: string[] = [];
      for (let step = 0; step < 40; step++) {
        const command = randomCommand(next);
        if (command === "sweep") {
          log.push("(sweep)");
          await t.sweep();
          continue;
        }
        if ("advance" in command) {
          log.push(`(+${command.advance} ms)`);
          clock.now += command.advance;
          model.now = clock.now;
          continue;
        }
        log.push(command.join(" "));
        const expected = model.apply(command);
        const actual = await t.client.call(...command);
        assert.equal(actual, expected, `seed ${seed} (MATERIA_HFE_SEED), run ${run}: ${log.join(" | ")}`);
      }
      // A hash whose fields all expired still exists until they are removed, as in Redis; once
      // everything due is swept, HLEN counts exactly the live fields and EXISTS agrees.
      await t.sweep();
      for (const key of ["h1", "h2"]) {
        const live = model.apply(["HGETALL", key]);
        const count = Number(/^\*(\d+)/.exec(live)![1]) / 2;
        assert.equal(await t.client.call("HLEN", key), int(count), `seed ${seed}, run ${run}, HLEN ${key} after a sweep`);
        assert.equal(await t.client.call("EXISTS", key), model.apply(["EXISTS", key]), `seed ${seed}, run ${run}, EXISTS ${key} after a sweep`);
      }
    }
  });
});
