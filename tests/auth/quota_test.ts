// The per-tenant storage quota: writes past it fail with Redis's -OOM while
// reads and deletes work, and work again once space is freed; a MULTI/EXEC
// that would pass it fails whole. And the usage figure itself: after a long
// random mix of commands (chunked values, collections, renames, copies across
// databases, FLUSHDB, transactions, keys that expire), the per-database
// counters equal the bytes (key + value) of every engine entry of the tenant.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readUsage } from "../../src/model/storage_usage.ts";
import { DATABASE_COUNT } from "../../src/model/limits.ts";
import { tenantRange } from "../../src/model/keyspace.ts";
import type { MateriaServer } from "../../src/server/server.ts";
import type { RawClient } from "../support/raw_client.ts";
import { type AuthServer, bulk, OK, rawAuthed, sleep, startAuthServer } from "./support.ts";

const OOM = "-OOM command not allowed when used storage > quota";
const QUOTA = 20_000;

async function usedStorage(client: RawClient): Promise<number> {
  return Number(/used_storage:(\d+)/.exec(await client.call("INFO", "memory"))![1]);
}

/** What the counters say per database, what the engine holds per database, and what the quota cache says in total. */
async function measure(server: MateriaServer, tenant: string): Promise<{ counted: number[]; stored: number[]; cached: number; outside: number }> {
  return server.engine.read(async (tx) => {
    const counted = await readUsage(tx, tenant);
    const stored: number[] = [];
    let inDatabases = 0;
    for (let db = 0; db < DATABASE_COUNT; db++) {
      const ks = server.keyspaceOf(tenant, db);
      let bytes = 0;
      for (const { key, value } of await tx.getRange(ks.all)) {
        inDatabases++;
        if (!startsWith(key, ks.counterSpace)) bytes += key.length + value.length;
      }
      stored.push(bytes);
    }
    // Every entry of the tenant belongs to one of its databases.
    const outside = (await tx.getRange(tenantRange(tenant))).length - inDatabases;
    const cached = await server.usage.usedBytes(tenant, tx);
    return { counted, stored, cached, outside };
  });
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

async function assertExact(server: MateriaServer, tenant: string, after: string): Promise<void> {
  const { counted, stored, cached, outside } = await measure(server, tenant);
  assert.deepEqual(counted, stored, `after ${after}: counters per database (actual) vs bytes in the engine (expected)`);
  assert.equal(cached, stored.reduce((x, y) => x + y, 0), `after ${after}: the quota's cached usage`);
  assert.equal(outside, 0, `after ${after}: tenant entries outside its databases`);
}

describe("storage quota", () => {
  let s: AuthServer;
  let client: RawClient;
  let neighbour: RawClient;
  before(async () => {
    s = await startAuthServer({ storageQuotaBytes: QUOTA });
    client = await rawAuthed(s.port, await s.mint("kv_quota"));
    neighbour = await rawAuthed(s.port, await s.mint("kv_neighbour"));
  });
  after(async () => {
    client.close();
    neighbour.close();
    await s.stop();
  });

  /** Writes 1 kB values until a write fails; returns how many succeeded and the failure. */
  async function fill(): Promise<{ written: number; failure: string }> {
    for (let i = 0; i < 100; i++) {
      const reply = await client.call("SET", `fill:${i}`, "v".repeat(1_000));
      if (reply !== OK) return { written: i, failure: reply };
    }
    assert.fail("100 kB were written under a 20 kB quota");
  }

  test("writes past the quota fail with -OOM; reads, deletes and shrinking writes still work; DEL and FLUSHDB free space", async () => {
    assert.equal(await client.call("FLUSHALL"), OK);
    const { written, failure } = await fill();
    assert.ok(written >= 17 && written <= 19, `${written} values of 1 kB fit in 20 kB`);
    assert.ok(failure.startsWith(OOM), failure);
    // The message names the usage, and it is the real one (not counting any write twice).
    const used = await usedStorage(client);
    assert.ok(used <= QUOTA && used > QUOTA - 1_100, `used ${used}`);
    assert.match(failure, new RegExp(`uses ${used} of ${QUOTA} bytes and this write adds \\d+`));

    // Refused when used + growth passes the quota; a write that still fits is taken.
    const room = QUOTA - used;
    assert.ok((await client.call("RPUSH", "fill:list", "x".repeat(room))).startsWith(OOM));
    assert.ok((await client.call("HSET", "fill:hash", "f", "x".repeat(room))).startsWith(OOM));
    assert.ok((await client.call("XADD", "fill:stream", "*", "f", "x".repeat(room))).startsWith(OOM));
    assert.equal(await client.call("EXISTS", "fill:stream"), ":0\r\n", "a refused XADD creates no stream");
    assert.equal(await client.call("SET", "fill:small", "x"), OK);
    assert.equal(await client.call("GET", "fill:0"), bulk("v".repeat(1_000)), "reads work over the quota");
    assert.equal(await client.call("EXISTS", "fill:0", "fill:1"), ":2\r\n");
    assert.equal(await client.call("SET", "fill:0", "short"), OK, "a write that shrinks a key works");
    assert.equal(await client.call("GETDEL", "fill:1"), bulk("v".repeat(1_000)));
    assert.equal(await client.call("DEL", "fill:2", "fill:3", "fill:4"), ":3\r\n");
    assert.equal(await neighbour.call("SET", "n", "x".repeat(5_000)), OK, "another tenant is not limited by this one's usage");

    // Freed space can be written again, up to the quota.
    assert.equal(await client.call("SET", "again", "v".repeat(3_000)), OK);
    assert.ok((await client.call("SET", "too-much", "v".repeat(3_000))).startsWith(OOM));
    assert.equal(await client.call("FLUSHDB"), OK);
    assert.ok((await usedStorage(client)) === 0);
    assert.equal(await client.call("SET", "after-flush", "v".repeat(15_000)), OK);
    assert.ok((await client.call("APPEND", "after-flush", "v".repeat(6_000))).startsWith(OOM), "APPEND past the quota");
    assert.equal(await client.call("STRLEN", "after-flush"), ":15000\r\n");
    assert.ok((await client.call("SET", "huge", "v".repeat(25_000))).startsWith(OOM), "one value over the whole quota");
    await assertExact(s.server, "kv_quota", "the quota scenario");
  });

  test("a MULTI/EXEC that would pass the quota fails whole; one that fits runs", async () => {
    assert.equal(await client.call("FLUSHALL"), OK);
    assert.equal(await client.call("SET", "base", "v".repeat(12_000)), OK);
    assert.equal(await client.call("MULTI"), OK);
    assert.equal(await client.call("SET", "m1", "v".repeat(3_000)), "+QUEUED\r\n");
    assert.equal(await client.call("SET", "m2", "v".repeat(3_000)), "+QUEUED\r\n");
    assert.equal(await client.call("DEL", "base"), "+QUEUED\r\n");
    assert.equal(await client.call("SET", "m3", "v".repeat(3_000)), "+QUEUED\r\n");
    // Net: +9 kB -12 kB, fits even though the first two alone would pass: the whole transaction is weighed.
    assert.equal(await client.call("EXEC"), "*4\r\n+OK\r\n+OK\r\n:1\r\n+OK\r\n");
    assert.equal(await client.call("MULTI"), OK);
    assert.equal(await client.call("SET", "m4", "v".repeat(6_000)), "+QUEUED\r\n");
    assert.equal(await client.call("SET", "m5", "v".repeat(6_000)), "+QUEUED\r\n");
    const exec = await client.call("EXEC");
    assert.ok(exec.startsWith(OOM), exec);
    assert.equal(await client.call("EXISTS", "m4", "m5"), ":0\r\n", "nothing of the failed transaction was written");
    assert.equal(await client.call("EXISTS", "m1", "m2", "m3"), ":3\r\n");
    await assertExact(s.server, "kv_quota", "the transactions");
  });
});

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("usage counters are exact", () => {
  const TENANT = "kv_usage";
  let s: AuthServer;
  let client: RawClient;
  before(async () => {
    s = await startAuthServer();
    client = await rawAuthed(s.port, await s.mint(TENANT));
  });
  after(async () => {
    client.close();
    await s.stop();
  });

  const seed = Number(process.env.MATERIA_USAGE_SEED ?? 20261122);

  test(`after a random mix of writes in three databases (seed ${seed}, MATERIA_USAGE_SEED to change)`, async () => {
    const random = seeded(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const int = (n: number): number => Math.floor(random() * n);
    // A pool of names per type, so that most commands meet a key of their type;
    // RENAME and COPY stay within a pool.
    const pools = { s: ["s0", "s1", "s2"], h: ["h0", "h1"], l: ["l0", "l1"], t: ["t0", "t1", "t2"], j: ["j0"], x: ["x0", "x1"] };
    const keys = Object.values(pools).flat();
    const str = () => pick(pools.s);
    const hash = () => pick(pools.h);
    const list = () => pick(pools.l);
    const set = () => pick(pools.t);
    const stream = () => pick(pools.x);
    let entry = 0;
    const anyPool = () => pick(Object.values(pools));
    const value = (): string => {
      const size = random() < 0.1 ? 10_000 + int(20_000) : int(300);
      return String.fromCharCode(97 + int(26)).repeat(size);
    };
    const ops: (() => string[])[] = [
      () => ["SET", str(), value()],
      () => ["SET", str(), value(), "PX", String(20 + int(40))],
      () => ["APPEND", str(), value()],
      () => ["SETRANGE", str(), String(int(25_000)), value().slice(0, 2_000)],
      () => ["INCR", "counter"],
      () => ["SETBIT", str(), String(int(100_000)), "1"],
      () => ["GETDEL", str()],
      () => ["GETEX", str(), "PX", String(10 + int(40))],
      () => ["HSET", hash(), `f${int(8)}`, value(), `g${int(8)}`, "x"],
      () => ["HDEL", hash(), `f${int(8)}`, `g${int(8)}`],
      () => ["HINCRBY", hash(), `n${int(3)}`, "5"],
      () => ["RPUSH", list(), value(), "b", "c"],
      () => ["LPUSH", list(), value()],
      () => ["LPOP", list(), String(1 + int(3))],
      () => ["LTRIM", list(), String(int(3)), String(int(6) - 2)],
      () => ["LSET", list(), "0", value()],
      () => ["LMOVE", list(), list(), "LEFT", "RIGHT"],
      () => ["SADD", set(), `m${int(10)}`, `m${int(10)}`, value().slice(0, 50)],
      () => ["SREM", set(), `m${int(10)}`],
      () => ["SPOP", set()],
      () => ["SMOVE", set(), set(), `m${int(10)}`],
      () => ["SINTERSTORE", set(), set(), set()],
      () => ["SUNIONSTORE", set(), set(), set()],
      () => ["XADD", stream(), `${++entry}-*`, "f", value(), "g", "x"],
      () => ["XADD", stream(), "MAXLEN", String(int(4)), "*", "f", value()],
      () => ["XTRIM", stream(), "MINID", `${int(entry + 1)}`],
      () => ["XDEL", stream(), `${int(entry + 1)}-0`, `${int(entry + 1)}-1`],
      () => ["XSETID", stream(), `${entry + 1}-0`],
      () => ["JSON.SET", "j0", "$", `{"a":[1,2,${int(100)}],"s":"${value().slice(0, 100)}"}`],
      () => ["JSON.ARRAPPEND", "j0", "$.a", String(int(1000))],
      () => ["DEL", pick(keys), pick(keys)],
      () => ["UNLINK", pick(keys)],
      () => ["EXPIRE", pick(keys), "100"],
      () => ["PEXPIRE", pick(keys), String(10 + int(40))],
      () => ["PERSIST", pick(keys)],
      () => {
        const pool = anyPool();
        return ["RENAME", pick(pool), pick(pool)];
      },
      () => {
        const pool = anyPool();
        return ["COPY", pick(pool), pick(pool), "REPLACE"];
      },
      () => {
        const pool = anyPool();
        return ["COPY", pick(pool), pick(pool), "DB", String(int(3)), "REPLACE"];
      },
      () => ["SELECT", String(int(3))],
      () => ["SELECT", String(int(3))],
      () => ["FLUSHDB"],
    ];
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 60; i++) {
        if (random() < 0.05) {
          // A transaction of a few writes, metered as one.
          assert.equal(await client.call("MULTI"), OK);
          const count = 2 + int(4);
          for (let j = 0; j < count; j++) await client.call(...pick(ops)());
          assert.match(await client.call("EXEC"), /^\*/);
          continue;
        }
        const op = pick(ops);
        // FLUSHDB is rare: it would empty too much.
        if (op === ops[ops.length - 1] && random() < 0.7) continue;
        const argv = op();
        const reply = await client.call(...argv);
        assert.ok(!reply.startsWith("-ERR internal") && !reply.startsWith("-OOM"), `${argv[0]}: ${reply.slice(0, 200)}`);
      }
      await assertExact(s.server, TENANT, `round ${round} of random writes`);
      // Keys given a short TTL expire: writes meet some (deleted on the spot), the sweeper removes the rest.
      await sleep(60);
      for (const key of keys.slice(0, 6)) await client.call("PERSIST", key);
      await assertExact(s.server, TENANT, `round ${round}, once writes met expired keys`);
      await sleep(250);
      await assertExact(s.server, TENANT, `round ${round}, once its keys with a TTL expired`);
    }
    // The sweeper's removals are metered too: a big expired key leaves the engine and the counters together.
    const expiredKeys = async () => Number(/expired_keys:(\d+)/.exec(await client.call("INFO", "stats"))![1]);
    const sweptBefore = await expiredKeys();
    const storedBefore = (await measure(s.server, TENANT)).stored.reduce((x, y) => x + y, 0);
    assert.equal(await client.call("SET", "swept", "x".repeat(30_000), "PX", "20"), OK);
    assert.equal(await client.call("HSET", "swept-hash", "f", "x".repeat(3_000)), ":1\r\n");
    assert.equal(await client.call("PEXPIRE", "swept-hash", "20"), ":1\r\n");
    await sleep(400);
    assert.ok((await expiredKeys()) >= sweptBefore + 2, "the sweeper removed the expired keys");
    const storedAfter = (await measure(s.server, TENANT)).stored.reduce((x, y) => x + y, 0);
    assert.equal(storedAfter, storedBefore, "the expired keys' bytes left the engine");
    await assertExact(s.server, TENANT, "the sweeper removed expired keys");
    // An expired key overwritten before the sweeper sees it.
    assert.equal(await client.call("SET", "late", "x".repeat(5_000), "PX", "5"), OK);
    await sleep(10);
    assert.equal(await client.call("RPUSH", "late", "a"), ":1\r\n");
    await assertExact(s.server, TENANT, "overwriting an expired key");
    assert.equal(await client.call("FLUSHALL"), OK);
    await assertExact(s.server, TENANT, "FLUSHALL");
    const { counted } = await measure(s.server, TENANT);
    assert.deepEqual(counted, new Array(DATABASE_COUNT).fill(0));
  });
});
