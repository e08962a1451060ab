// The tests of scripting (EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT, FUNCTION,
// FCALL, FCALL_RO): the differential cases of scripting_cases.ts against
// redis-server (or its recorded replies), then Materia's own tests across
// connections and through a real client: scripts are atomic among concurrent
// clients, the script cache and the function libraries are shared by every
// connection, and ioredis's defineCommand (EVALSHA, falling back to EVAL on
// NOSCRIPT) works.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { RawClient } from "../support/raw_client.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { differentialSuite } from "../differential/suite.ts";
import { FAMILIES } from "./families.ts";
import { CASES, METADATA_COMMANDS } from "./scripting_cases.ts";

// The family's generated error cases join once src/commands/families/scripting.ts exists;
// until then the hand-written cases run alone (and fail: Materia answers `unknown command`).
const specs = FAMILIES.find((f) => f.name === "scripting")!.specs;
differentialSuite("scripting", { cases: CASES, metadata: METADATA_COMMANDS, specs });

/** A rate limiter's script: INCR with an EXPIRE on the first hit, refusing past the limit. */
const LIMITER = `
local n = redis.call('incr', KEYS[1])
if n == 1 then redis.call('pexpire', KEYS[1], ARGV[2]) end
if n > tonumber(ARGV[1]) then return 0 end
return n`;

describe("scripting on Materia", () => {
  let server: RunningServer;

  before(async () => {
    server = await startInProcess();
  });

  after(async () => {
    await server.stop();
  });

  test("a read-modify-write script is atomic: 10 clients x 20 runs never lose an update", async () => {
    const clients = await Promise.all(Array.from({ length: 10 }, () => RawClient.connect(server.port)));
    try {
      const script = "local v = tonumber(redis.call('get', KEYS[1]) or '0') redis.call('set', KEYS[1], v + 1) return v + 1";
      await Promise.all(clients.map(async (c) => {
        for (let i = 0; i < 20; i++) assert.match(await c.call("EVAL", script, "1", "shared"), /^:\d+\r\n$/);
      }));
      assert.equal(await clients[0]!.call("GET", "shared"), "$3\r\n200\r\n");
    } finally {
      for (const c of clients) c.close();
    }
  });

  test("the script cache and the function libraries are shared by every connection", async () => {
    const a = await RawClient.connect(server.port);
    const b = await RawClient.connect(server.port);
    try {
      await a.call("SCRIPT", "FLUSH");
      await a.call("FUNCTION", "FLUSH");
      const loaded = await a.call("SCRIPT", "LOAD", "return 'shared script'");
      const sha = /^\$40\r\n([0-9a-f]{40})\r\n$/.exec(loaded)?.[1];
      assert.ok(sha, `SCRIPT LOAD answered ${JSON.stringify(loaded)}`);
      assert.equal(await b.call("EVALSHA", sha, "0"), "$13\r\nshared script\r\n");
      assert.equal(await a.call("FUNCTION", "LOAD", "#!lua name=sharedlib\nredis.register_function('shared_f', function() return 'shared function' end)"), "$9\r\nsharedlib\r\n");
      assert.equal(await b.call("FCALL", "shared_f", "0"), "$15\r\nshared function\r\n");
      assert.equal(await b.call("SCRIPT", "FLUSH"), "+OK\r\n");
      assert.equal(await a.call("EVALSHA", sha, "0"), "-NOSCRIPT No matching script. Please use EVAL.\r\n");
      assert.equal(await b.call("FUNCTION", "DELETE", "sharedlib"), "+OK\r\n");
      assert.equal(await a.call("FCALL", "shared_f", "0"), "-ERR Function not found\r\n");
    } finally {
      a.close();
      b.close();
    }
  });

  test("ioredis defineCommand: EVALSHA after SCRIPT FLUSH falls back to EVAL; a rate limiter counts and refuses", async () => {
    const client = new Redis({ host: "127.0.0.1", port: server.port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    client.on("error", () => {});
    await client.connect();
    try {
      client.defineCommand("limit", { numberOfKeys: 1, lua: LIMITER });
      const limit = (key: string) => (client as unknown as { limit(k: string, max: number, ms: number): Promise<number> }).limit(key, 3, 60_000);
      await client.script("FLUSH");
      assert.deepEqual([await limit("ip:1"), await limit("ip:1"), await limit("ip:1"), await limit("ip:1")], [1, 2, 3, 0]);
      await client.script("FLUSH");
      assert.equal(await limit("ip:2"), 1);
      const ttl = await client.pttl("ip:1");
      assert.ok(ttl > 0 && ttl <= 60_000, `PTTL ${ttl}`);
      // Pipelined calls of the same script are answered in order.
      type Limited = { limit(k: string, max: number, ms: number): Limited; exec(): Promise<[Error | null, number][] | null> };
      const pipeline = client.pipeline() as unknown as Limited;
      const replies = (await pipeline.limit("ip:3", 2, 60_000).limit("ip:3", 2, 60_000).limit("ip:3", 2, 60_000).exec())!;
      assert.deepEqual(replies.map(([error, value]) => error ?? value), [1, 2, 0]);
    } finally {
      client.disconnect();
    }
  });
});
