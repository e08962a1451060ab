// Client-side caching (CLIENT TRACKING, CACHING, GETREDIR, TRACKINGINFO),
// differential: each script runs against redis-server 7.0.15 and against
// Materia with raw RESP3 clients, and the transcripts of replies and
// invalidation frames (client ids masked) must be identical. Then Materia's
// own behaviour where it differs by design: tenants, the table limit.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { redisServerAvailable, startRedis, type RedisProcess } from "../support/redis_server.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { RawClient } from "../support/raw_client.ts";
import { runScript, type ScriptClient } from "./tracking_support.ts";

type Open = (name: string, options?: { resp3?: boolean }) => Promise<ScriptClient>;

const SCRIPTS: Record<string, (open: Open) => Promise<void>> = {
  "CLIENT TRACKING: option errors, in Redis's order": async (open) => {
    const a = await open("a");
    for (
      const argv of [
        ["ON", "PREFIX", "x"], ["ON", "OPTIN", "OPTOUT"], ["ON", "BCAST", "OPTIN"], ["ON", "BCAST", "OPTOUT"], ["ON", "REDIRECT", "123456789"],
        ["ON", "REDIRECT", "0"], ["ON", "REDIRECT", "abc"], ["ON", "REDIRECT"], ["ON", "PREFIX"], ["maybe"], ["ON", "foo"], ["OFF", "foo"],
        ["ON", "foo", "REDIRECT", "99999999"], ["ON", "REDIRECT", "99999999", "foo"], ["OFF", "BCAST", "PREFIX", "a"], ["ON", "BCAST", "PREFIX", "ab", "PREFIX", "a"],
        ["ON", "BCAST", "PREFIX", "a", "PREFIX", "a"], ["on", "bcast", "prefix", "a", "prefix", "b"],
      ]
    ) await a.call("CLIENT", "TRACKING", ...argv);
    await a.call("CLIENT", "TRACKINGINFO");
    await a.call("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "abc");
    await a.call("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "");
    await a.call("CLIENT", "TRACKING", "ON");
    await a.call("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "c");
    await a.call("CLIENT", "TRACKINGINFO");
    await a.call("CLIENT", "TRACKING", "OFF");
    await a.call("CLIENT", "TRACKINGINFO");
    await a.call("CLIENT", "TRACKING", "ON", "OPTIN");
    await a.call("CLIENT", "TRACKING", "ON", "OPTOUT");
    await a.call("CLIENT", "TRACKING", "ON", "BCAST");
    await a.call("CLIENT", "TRACKING", "ON", "NOLOOP");
    await a.call("CLIENT", "TRACKINGINFO");
    await a.call("CLIENT", "TRACKING");
  },

  "CLIENT CACHING: errors, and the choice used up by the next command other than CLIENT": async (open) => {
    const a = await open("a");
    await a.call("CLIENT", "CACHING", "yes");
    await a.call("CLIENT", "TRACKING", "on");
    await a.call("CLIENT", "CACHING", "yes");
    await a.call("CLIENT", "CACHING", "no");
    await a.call("CLIENT", "TRACKING", "on", "OPTIN");
    await a.call("CLIENT", "CACHING", "no");
    await a.call("CLIENT", "CACHING", "maybe");
    await a.call("CLIENT", "CACHING");
    await a.call("CLIENT", "CACHING", "yes", "no");
    await a.call("CLIENT", "CACHING", "YES");
    await a.call("CLIENT", "TRACKINGINFO");
    await a.call("CLIENT", "GETREDIR");
    await a.call("CLIENT", "TRACKINGINFO");
    await a.call("PING");
    await a.call("CLIENT", "TRACKINGINFO");
    await a.call("CLIENT", "TRACKING", "off");
    await a.call("CLIENT", "TRACKING", "on", "OPTOUT");
    await a.call("CLIENT", "CACHING", "yes");
    await a.call("CLIENT", "CACHING", "no");
    await a.call("CLIENT", "TRACKINGINFO");
  },

  "CLIENT GETREDIR and TRACKINGINFO follow a redirect, and the redirect breaks when its target leaves": async (open) => {
    const a = await open("a");
    const b = await open("b");
    const bid = await b.id();
    await a.call("CLIENT", "GETREDIR");
    await a.call("CLIENT", "TRACKING", "on");
    await a.call("CLIENT", "GETREDIR");
    await a.call("CLIENT", "TRACKING", "on", "REDIRECT", bid);
    await a.call("CLIENT", "GETREDIR");
    await a.call("CLIENT", "TRACKING", "on", "REDIRECT", bid, "REDIRECT", bid);
    await a.call("CLIENT", "TRACKINGINFO");
    await a.call("GET", "k");
    await a.call("SET", "k", "1");
    await a.frames();
    await b.frames();
    b.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await a.call("GET", "k");
    await a.call("SET", "k", "2");
    await a.frames();
    await a.call("GET", "k");
    await a.call("SET", "k", "3");
    await a.frames();
    await a.call("CLIENT", "TRACKINGINFO");
    await a.call("CLIENT", "GETREDIR");
    await a.call("FLUSHALL");
    await a.frames();
    await a.call("CLIENT", "TRACKING", "on");
    await a.call("CLIENT", "TRACKINGINFO");
  },

  "default mode: a read key is invalidated once, by another client's write, then forgotten until read again": async (open) => {
    const reader = await open("reader");
    const writer = await open("writer");
    await reader.call("CLIENT", "TRACKING", "on");
    await reader.call("GET", "k");
    await reader.call("MGET", "m1", "m2");
    await reader.call("HGET", "h", "f");
    await writer.call("SET", "k", "1");
    await reader.frames();
    await writer.call("SET", "k", "2");
    await reader.frames();
    await writer.call("MSET", "m2", "a", "m1", "b");
    await reader.frames();
    await writer.call("HSET", "h", "g", "1");
    await reader.frames();
    await reader.call("GET", "k");
    await writer.call("DEL", "k");
    await reader.frames();
    await reader.call("GET", "k");
    await writer.call("SET", "k", "v", "NX");
    await writer.call("SET", "k", "w", "NX");
    await reader.frames();
    await reader.call("GET", "k");
    await writer.call("EXPIRE", "k", "100", "XX");
    await writer.call("EXPIRE", "k", "100");
    await reader.frames();
    await writer.call("GET", "k");
    await reader.frames();
  },

  "own writes are invalidated after the command's reply, after EXEC's for MULTI; NOLOOP silences them": async (open) => {
    const a = await open("a");
    await a.call("CLIENT", "TRACKING", "on");
    await a.call("GET", "x");
    await a.call("GET", "y");
    await a.call("SET", "x", "1");
    await a.frames();
    await a.call("GET", "x");
    await a.call("MULTI");
    await a.call("SET", "x", "2");
    await a.call("SET", "y", "2");
    await a.call("GET", "z");
    await a.call("EXEC");
    await a.frames();
    await a.call("SET", "z", "1");
    await a.frames();
    await a.call("CLIENT", "TRACKING", "on", "NOLOOP");
    await a.call("GET", "x");
    await a.call("SET", "x", "3");
    await a.frames();
    const b = await open("b");
    await b.call("SET", "x", "4");
    await a.frames();
  },

  "BCAST: keys under a prefix, batched per prefix and turn, in byte order; NOLOOP drops its own": async (open) => {
    const a = await open("a");
    const b = await open("b");
    await a.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "user:", "PREFIX", "obj:");
    await b.call("CLIENT", "TRACKING", "on", "BCAST");
    const w = await open("w");
    await w.call("SET", "user:1", "x");
    await a.frames();
    await b.frames();
    await w.call("MSET", "obj:1", "x", "user:3", "y", "other", "z");
    await a.frames();
    await b.frames();
    await w.call("MULTI");
    await w.call("SET", "user:9", "1");
    await w.call("SET", "user:2", "1");
    await w.call("DEL", "obj:1");
    await w.call("EXEC");
    await a.frames();
    await b.frames();
    await w.pipeline(["SET", "user:5", "1"], ["SET", "user:4", "1"], ["SET", "user:5", "2"]);
    await a.frames();
    await b.frames();
    await a.call("CLIENT", "TRACKING", "on", "BCAST", "NOLOOP");
    await a.call("MSET", "user:7", "1", "user:8", "2");
    await a.frames();
    await b.frames();
    await a.call("GET", "user:7");
    await a.call("SET", "plain", "1");
    await a.frames();
    await b.frames();
  },

  "OPTIN tracks only after CLIENT CACHING YES, OPTOUT all but after CLIENT CACHING NO, for one command or one MULTI": async (open) => {
    const a = await open("a");
    const w = await open("w");
    await a.call("CLIENT", "TRACKING", "on", "OPTIN");
    await a.call("GET", "k1");
    await a.call("CLIENT", "CACHING", "yes");
    await a.call("CLIENT", "GETNAME");
    await a.call("GET", "k2");
    await a.call("GET", "k3");
    await a.call("CLIENT", "CACHING", "yes");
    await a.call("MULTI");
    await a.call("GET", "k4");
    await a.call("GET", "k5");
    await a.call("EXEC");
    await a.call("GET", "k6");
    await w.call("MSET", "k1", "1", "k2", "1", "k3", "1", "k4", "1", "k5", "1", "k6", "1");
    await a.frames();
    await a.call("CLIENT", "TRACKING", "off");
    await a.call("CLIENT", "TRACKING", "on", "OPTOUT");
    await a.call("GET", "k1");
    await a.call("CLIENT", "CACHING", "no");
    await a.call("GET", "k2");
    await a.call("GET", "k3");
    await w.call("MSET", "k1", "2", "k2", "2", "k3", "2");
    await a.frames();
  },

  "FLUSHDB and FLUSHALL send a null invalidation to every tracking client, NOLOOP and BCAST included": async (open) => {
    const a = await open("a");
    const b = await open("b");
    const c = await open("c");
    await a.call("CLIENT", "TRACKING", "on", "NOLOOP");
    await b.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "p");
    await c.call("CLIENT", "TRACKING", "on");
    await c.call("GET", "k");
    await a.call("FLUSHDB");
    await a.frames();
    await b.frames();
    await c.frames();
    await c.call("FLUSHALL");
    await a.frames();
    await b.frames();
    await c.frames();
  },

  "a key with a TTL is invalidated when it expires": async (open) => {
    const a = await open("a");
    const w = await open("w");
    await w.call("SET", "e", "1", "PX", "50");
    await a.call("CLIENT", "TRACKING", "on");
    await a.call("GET", "e");
    await new Promise((resolve) => setTimeout(resolve, 400));
    await a.frames();
    await a.call("GET", "e");
  },

  "RESP2: invalidations reach a redirect target subscribed to __redis__:invalidate as messages; none without redirect": async (open) => {
    const a = await open("a", { resp3: false });
    await a.call("CLIENT", "TRACKING", "on");
    await a.call("GET", "k");
    await a.call("SET", "k", "1");
    await a.frames();
    await a.call("CLIENT", "TRACKINGINFO");
    const t = await open("t");
    const tid = await t.id();
    await a.call("CLIENT", "TRACKING", "on", "REDIRECT", tid);
    await a.call("GET", "k");
    await a.call("SET", "k", "2");
    await a.frames();
    await t.frames();
  },

  "CLIENT INFO shows tracking flags t, B and R, and redir": async (open) => {
    const a = await open("a");
    const b = await open("b");
    const bid = await b.id();
    const flags = async (client: ScriptClient) => {
      const info = await client.call("CLIENT", "INFO");
      return /flags=(\S+).* redir=(\S+)/.exec(info)!.slice(1).join(" ");
    };
    a.note(await flags(a));
    await a.call("CLIENT", "TRACKING", "on", "BCAST");
    a.note(await flags(a));
    await a.call("CLIENT", "TRACKING", "off");
    await a.call("CLIENT", "TRACKING", "on", "REDIRECT", bid);
    a.note(await flags(a));
    await a.call("GET", "k");
    b.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await a.call("SET", "k", "1");
    await a.frames();
    a.note(await flags(a));
  },
};

describe("client tracking: the same scripts on redis-server and Materia", () => {
  let materia: RunningServer;
  let redis: RedisProcess | undefined;
  before(async () => {
    materia = await startInProcess();
    if (await redisServerAvailable()) redis = await startRedis();
  });
  after(async () => {
    await materia.stop();
    await redis?.stop();
  });

  for (const [name, script] of Object.entries(SCRIPTS)) {
    test(name, async (t) => {
      if (redis === undefined) return t.skip("redis-server is not installed");
      const expected = await runScript(redis.port, script);
      const actual = await runScript(materia.port, script);
      // CLIENT INFO lines hold addresses and ages: only what the script extracts is compared there.
      const comparable = (lines: string[]) => lines.filter((line) => !/CLIENT INFO ->/.test(line));
      assert.deepEqual(comparable(actual), comparable(expected));
    });
  }
});
