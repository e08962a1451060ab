// Scripts on the FoundationDB engine (the test double): every read a
// redis.call makes waits for the cluster, so the script's coroutine yields
// and resumes in the middle of its Lua code. A script reading several keys
// then writing, pcall around a waiting call, KEYS and ARGV across waits, the
// line number of an error raised after a wait, EVAL inside MULTI, and two
// servers over the same cluster (a script on one sees the other's writes).
// The differential cases of tests/commands/scripting_test.ts also run on
// this engine under `npm run test:fdb-sim`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { RawClient } from "../support/raw_client.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { configureSim, fdbSkipReason, openTestFdbEngine, realCluster } from "./support.ts";

const skip = await fdbSkipReason();

/** `$len\r\ntext\r\n` */
const bulk = (text: string) => `$${new TextEncoder().encode(text).length}\r\n${text}\r\n`;
const array = (...items: string[]) => `*${items.length}\r\n${items.join("")}`;

async function shaOf(client: RawClient, script: string): Promise<string> {
  const reply = await client.call("SCRIPT", "LOAD", script);
  const sha = /^\$40\r\n([0-9a-f]{40})\r\n$/.exec(reply)?.[1];
  assert.ok(sha, reply);
  return sha;
}

describe("scripts whose redis.calls wait (fdb engine)", { skip }, () => {
  let first: RunningServer;
  let second: RunningServer;
  let a: RawClient;
  let b: RawClient;

  before(async () => {
    // Two servers, each with its own engine, over the same cluster (the double's one keyspace).
    first = await startInProcess({ engine: await openTestFdbEngine() });
    second = await startInProcess({ engine: await openTestFdbEngine() });
    a = await RawClient.connect(first.port);
    b = await RawClient.connect(second.port);
  });

  after(async () => {
    a?.close();
    b?.close();
    await first?.stop();
    await second?.stop();
  });

  test("a script reads several keys of several types, then writes what it computed", async () => {
    assert.equal(await a.call("MSET", "price", "12", "qty", "5"), "+OK\r\n");
    assert.equal(await a.call("HSET", "order", "discount", "7", "note", "rush"), ":2\r\n");
    assert.equal(await a.call("RPUSH", "lines", "l1", "l2", "l3"), ":3\r\n");
    const script = `
local price = tonumber(redis.call('get', KEYS[1]))
local qty = tonumber(redis.call('get', KEYS[2]))
local discount = tonumber(redis.call('hget', KEYS[3], 'discount'))
local lines = redis.call('lrange', KEYS[4], 0, -1)
local total = price * qty - discount
redis.call('set', KEYS[5], total)
redis.call('rpush', KEYS[4], 'total=' .. total)
return {total, #lines, redis.call('get', KEYS[5]), redis.call('llen', KEYS[4])}`;
    assert.equal(
      await a.call("EVAL", script, "5", "price", "qty", "order", "lines", "total"),
      array(":53\r\n", ":3\r\n", bulk("53"), ":4\r\n"),
    );
    assert.equal(await a.call("GET", "total"), bulk("53"));
    assert.equal(await a.call("LINDEX", "lines", "-1"), bulk("total=53"));
  });

  test("KEYS and ARGV keep their values across waiting calls", async () => {
    const script = `
local before = KEYS[1] .. ARGV[1]
redis.call('set', KEYS[1], ARGV[1])
redis.call('get', KEYS[2])
redis.call('get', KEYS[1])
return {before, KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}`;
    assert.equal(
      await a.call("EVAL", script, "2", "k1", "k2", "v1", "v2"),
      array(bulk("k1v1"), bulk("k1"), bulk("k2"), bulk("v1"), bulk("v2"), ":2\r\n", ":2\r\n"),
    );
  });

  test("pcall around a waiting call that fails: the script goes on and its writes apply", async () => {
    assert.equal(await a.call("RPUSH", "a:list", "x"), ":1\r\n");
    const script = `
local ok, err = pcall(redis.call, 'incr', KEYS[1])
local reply = redis.pcall('incr', KEYS[1])
redis.call('set', KEYS[2], 'after')
return {ok and 'ok' or 'caught', err, reply.err, redis.call('get', KEYS[2])}`;
    const wrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
    assert.equal(await a.call("EVAL", script, "2", "a:list", "after:pcall"), array(bulk("caught"), bulk(wrongType), bulk(wrongType), bulk("after")));
    assert.equal(await a.call("GET", "after:pcall"), bulk("after"));
  });

  test("an error raised after a waiting call carries its line number; earlier writes stay", async () => {
    const failingCall = `
redis.call('set', KEYS[2], 'written')
redis.call('get', KEYS[2])
redis.call('incr', KEYS[1])
return 'not reached'`;
    const sha = await shaOf(a, failingCall);
    assert.equal(
      await a.call("EVALSHA", sha, "2", "a:list", "written:1"),
      `-WRONGTYPE Operation against a key holding the wrong kind of value script: ${sha}, on @user_script:4.\r\n`,
    );
    assert.equal(await a.call("GET", "written:1"), bulk("written"));
    const raising = `
redis.call('set', KEYS[1], 'written')
local v = redis.call('get', KEYS[1])
error('stopped after reading ' .. v)`;
    const sha2 = await shaOf(a, raising);
    assert.equal(
      await a.call("EVALSHA", sha2, "1", "written:2"),
      `-ERR user_script:4: stopped after reading written script: ${sha2}, on @user_script:4.\r\n`,
    );
    assert.equal(await a.call("GET", "written:2"), bulk("written"));
  });

  test("EVAL inside MULTI sees the queued writes before it, and EXEC applies all of it", async () => {
    assert.equal(await a.call("MULTI"), "+OK\r\n");
    assert.equal(await a.call("SET", "m:base", "40"), "+QUEUED\r\n");
    assert.equal(
      await a.call("EVAL", "local v = tonumber(redis.call('get', KEYS[1])) + 2 redis.call('set', KEYS[2], v) return v", "2", "m:base", "m:out"),
      "+QUEUED\r\n",
    );
    assert.equal(await a.call("INCR", "m:out"), "+QUEUED\r\n");
    assert.equal(await a.call("EXEC"), array("+OK\r\n", ":42\r\n", ":43\r\n"));
    assert.equal(await b.call("GET", "m:out"), bulk("43"));
  });

  test("two servers over one cluster: a script on one sees the other's writes, and the other sees the script's", async () => {
    assert.equal(await a.call("SET", "shared:n", "10"), "+OK\r\n");
    assert.equal(await a.call("SADD", "shared:set", "x", "y"), ":2\r\n");
    const script = `
local n = redis.call('incrby', KEYS[1], ARGV[1])
local members = redis.call('smembers', KEYS[2])
table.sort(members)
redis.call('set', KEYS[3], n .. ':' .. table.concat(members, ','))
return n`;
    assert.equal(await b.call("EVAL", script, "3", "shared:n", "shared:set", "shared:out", "5"), ":15\r\n");
    assert.equal(await a.call("GET", "shared:out"), bulk("15:x,y"));
    // Scripts on both servers at once, on one counter: FoundationDB orders them, and none is lost.
    const incr = "return redis.call('incr', KEYS[1])";
    const extra = await Promise.all([RawClient.connect(first.port), RawClient.connect(second.port)]);
    try {
      await Promise.all(extra.map(async (client) => {
        for (let i = 0; i < 20; i++) assert.match(await client.call("EVAL", incr, "1", "shared:n"), /^:\d+\r\n$/);
      }));
    } finally {
      for (const c of extra) c.close();
    }
    assert.equal(await b.call("GET", "shared:n"), bulk("55"));
  });

  test("scripts that wait at the same time each keep their own KEYS and ARGV", {
    skip: realCluster ? "needs the test double's latency setting" : false,
  }, async () => {
    const clients = await Promise.all(Array.from({ length: 4 }, () => RawClient.connect(first.port)));
    // Slow reads: every run is still waiting when the others start.
    await configureSim("FDB_SIM_LATENCY_US", "2000");
    try {
      const script = "redis.call('get', KEYS[1]) redis.call('get', KEYS[1]) return {KEYS[1], ARGV[1]}";
      const replies = await Promise.all(clients.map((c, i) => c.call("EVAL", script, "1", `own:${i}`, `arg:${i}`)));
      assert.deepEqual(replies, clients.map((_, i) => array(bulk(`own:${i}`), bulk(`arg:${i}`))));
    } finally {
      await configureSim("FDB_SIM_LATENCY_US", "0");
      for (const c of clients) c.close();
    }
  });
});
