// The tests of the geo commands (src/commands/families/geo.ts): the
// differential cases of geo_cases.ts against redis-server (or its recorded
// replies), then Materia's own tests.
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { CASES, METADATA_COMMANDS } from "./geo_cases.ts";

differentialSuite("geo", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("geo").specs });

// Materia's own tests: RESP3's doubles byte for byte, what Redis has no
// notion of (tokens limited to key prefixes or to reads, tenants), WATCH of
// a STORE destination, and sets too large for the differential cases.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { RawClient } from "../support/raw_client.ts";
import { redisServerAvailable, startRedis, type RedisProcess } from "../support/redis_server.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { type AuthServer, NO_KEY_PERMISSION, noPermission, OK, rawAuthed, startAuthServer } from "../auth/support.ts";
import { decodeScore, geohashGetDistance } from "../../src/model/geohash.ts";
import { pointSteps } from "./geo_cases.ts";

const SICILY = ["GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"];

describe("geo: Materia's own", () => {
  let server: RunningServer;
  let client: RawClient;
  before(async () => {
    server = await startInProcess();
    client = await RawClient.connect(server.port);
  });
  after(async () => {
    client?.close();
    await server?.stop();
  });

  test("GEOPOS and WITHCOORD in RESP3 send Redis's coordinate text as doubles; GEODIST stays a bulk string", async () => {
    const resp3 = await RawClient.connect(server.port);
    try {
      await resp3.call("HELLO", "3");
      await resp3.call("DEL", "Sicily");
      assert.equal(await resp3.call(...SICILY), ":2\r\n");
      assert.equal(await resp3.call("GEOPOS", "Sicily", "Palermo", "nope"), "*2\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n_\r\n");
      assert.equal(
        await resp3.call("GEORADIUS_RO", "Sicily", "15", "37", "100", "km", "WITHCOORD", "WITHDIST"),
        "*1\r\n*3\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n*2\r\n,15.08726745843887329\r\n,37.50266842333162032\r\n",
      );
      assert.equal(await resp3.call("GEODIST", "Sicily", "Palermo", "Catania", "km"), "$8\r\n166.2742\r\n");
      assert.equal(await client.call("GEOPOS", "Sicily", "Catania"), "*1\r\n*2\r\n$20\r\n15.08726745843887329\r\n$20\r\n37.50266842333162032\r\n");
    } finally {
      resp3.close();
    }
  });

  test("GEORADIUS ... STORE and GEOSEARCHSTORE break a WATCH of their destination; a search without STORE breaks none", async () => {
    const watcher = await RawClient.connect(server.port);
    try {
      await client.call("DEL", "Sicily", "dest");
      await client.call(...SICILY);
      for (const [write, breaks] of [
        [["GEORADIUS", "Sicily", "15", "37", "200", "km"], false],
        [["GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km"], false],
        [["GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "dest"], true],
        [["GEORADIUSBYMEMBER", "Sicily", "Palermo", "200", "km", "STOREDIST", "dest"], true],
        [["GEOSEARCHSTORE", "dest", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km"], true],
      ] as const) {
        assert.equal(await watcher.call("WATCH", "dest"), OK);
        assert.match(await client.call(...write), /^[:*]/);
        assert.equal(await watcher.call("MULTI"), OK);
        await watcher.call("PING");
        assert.equal(await watcher.call("EXEC"), breaks ? "*-1\r\n" : "*1\r\n+PONG\r\n", write.join(" "));
      }
    } finally {
      watcher.close();
    }
  });

  test("a search queued in MULTI answers its argument errors in EXEC's array, as Redis does", async () => {
    await client.call(...SICILY);
    assert.equal(await client.call("MULTI"), OK);
    assert.equal(await client.call("GEOSEARCH", "Sicily", "FROMMEMBER", "nope", "BYRADIUS", "1", "km"), "+QUEUED\r\n");
    assert.equal(await client.call("GEOADD", "Sicily", "200", "1", "x"), "+QUEUED\r\n");
    assert.equal(await client.call("GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "1", "STORE", "one"), "+QUEUED\r\n");
    assert.equal(
      await client.call("EXEC"),
      "*3\r\n-ERR could not decode requested zset member\r\n-ERR invalid longitude,latitude pair 200.000000,1.000000\r\n:1\r\n",
    );
  });
});

describe("geo STORE destinations and token scopes", () => {
  let s: AuthServer;
  let full: RawClient;
  let scoped: RawClient;
  let reader: RawClient;
  let other: RawClient;
  before(async () => {
    s = await startAuthServer();
    full = await rawAuthed(s.port, await s.mint("kv_geo"));
    scoped = await rawAuthed(s.port, await s.mint("kv_geo", { prefixes: ["user:"] }));
    reader = await rawAuthed(s.port, await s.mint("kv_geo", { readOnly: true }));
    other = await rawAuthed(s.port, await s.mint("kv_geo_other"));
  });
  after(async () => {
    for (const c of [full, scoped, reader, other]) c?.close();
    await s?.stop();
  });

  test("a prefix-limited token may store only under its prefixes, whichever STORE or STOREDIST names the key written", async () => {
    assert.equal(await full.call("GEOADD", "user:g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"), ":2\r\n");
    const refused: string[][] = [
      ["GEORADIUS", "user:g", "15", "37", "200", "km", "STORE", "other:d"],
      ["GEORADIUS", "user:g", "15", "37", "200", "km", "STOREDIST", "other:d"],
      ["GEORADIUSBYMEMBER", "user:g", "Palermo", "200", "km", "STORE", "other:d"],
      // Redis's key specs name only the first STORE's key; the last one is written, and must be allowed too.
      ["GEORADIUS", "user:g", "15", "37", "200", "km", "STORE", "user:d", "STORE", "other:d"],
      ["GEORADIUSBYMEMBER", "user:g", "Palermo", "200", "km", "STOREDIST", "user:d", "COUNT", "1", "STOREDIST", "other:d"],
      ["GEOSEARCHSTORE", "other:d", "user:g", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km"],
      ["GEOSEARCHSTORE", "user:d", "other:g", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km"],
    ];
    for (const argv of refused) assert.equal(await scoped.call(...argv), NO_KEY_PERMISSION, argv.join(" "));
    assert.equal(await full.call("EXISTS", "other:d", "user:d"), ":0\r\n");
    assert.equal(await scoped.call("GEORADIUS", "user:g", "15", "37", "200", "km", "STORE", "user:d"), ":2\r\n");
    assert.equal(await scoped.call("GEOSEARCHSTORE", "user:e", "user:g", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km", "STOREDIST"), ":2\r\n");
    assert.equal(await scoped.call("ZRANGE", "user:e", "0", "-1", "WITHSCORES"), "*4\r\n$7\r\nPalermo\r\n$1\r\n0\r\n$7\r\nCatania\r\n$18\r\n166.27415156960032\r\n");
  });

  test("a read-only token may search, but not GEORADIUS (a write command, as in Redis), STORE or GEOADD", async () => {
    assert.equal(await full.call("GEOADD", "ro", "1", "1", "a"), ":1\r\n");
    assert.equal(await reader.call("GEORADIUS_RO", "ro", "1", "1", "1", "km"), "*1\r\n$1\r\na\r\n");
    assert.equal(await reader.call("GEORADIUSBYMEMBER_RO", "ro", "a", "1", "km"), "*1\r\n$1\r\na\r\n");
    assert.equal(await reader.call("GEOSEARCH", "ro", "FROMMEMBER", "a", "BYBOX", "1", "1", "km"), "*1\r\n$1\r\na\r\n");
    assert.equal(await reader.call("GEOPOS", "ro", "a"), await full.call("GEOPOS", "ro", "a"));
    assert.equal(await reader.call("GEORADIUS", "ro", "1", "1", "1", "km"), noPermission("georadius"));
    assert.equal(await reader.call("GEORADIUSBYMEMBER", "ro", "a", "1", "km", "STORE", "d"), noPermission("georadiusbymember"));
    assert.equal(await reader.call("GEOSEARCHSTORE", "d", "ro", "FROMMEMBER", "a", "BYRADIUS", "1", "km"), noPermission("geosearchstore"));
    assert.equal(await reader.call("GEOADD", "ro", "2", "2", "b"), noPermission("geoadd"));
    assert.equal(await full.call("EXISTS", "d"), ":0\r\n");
  });

  test("a store writes in the caller's tenant only", async () => {
    assert.equal(await other.call("GEOADD", "same", "1", "1", "theirs"), ":1\r\n");
    assert.equal(await full.call("GEOADD", "src", "1", "1", "ours"), ":1\r\n");
    assert.equal(await full.call("GEOSEARCHSTORE", "same", "src", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km"), ":1\r\n");
    assert.equal(await other.call("ZRANGE", "same", "0", "-1"), "*1\r\n$6\r\ntheirs\r\n");
    assert.equal(await full.call("ZRANGE", "same", "0", "-1"), "*1\r\n$4\r\nours\r\n");
    assert.equal(await other.call("GEORADIUS", "src", "1", "1", "1", "km", "STORE", "same"), ":0\r\n", "their src is missing: their destination is deleted");
    assert.equal(await other.call("EXISTS", "same"), ":0\r\n");
    assert.equal(await full.call("EXISTS", "same"), ":1\r\n");
  });
});

describe("geo searches over 10,000 points", () => {
  const COUNT = 10_000;
  const BATCH = 1000;
  const steps = pointSteps("big", COUNT, 11, BATCH) as string[][];
  // Encoded once, as one string (encodeCommand's per-argument buffers are slow on Deno for many arguments);
  // in batches, each well within the engine's transaction size.
  const addBytes = new TextEncoder().encode(steps.map((argv) => `*${argv.length}\r\n${argv.map((arg) => `$${arg.length}\r\n${arg}\r\n`).join("")}`).join(""));
  const SEARCHES: string[][] = [
    ["GEOSEARCH", "big", "FROMLONLAT", "13.5", "38", "BYRADIUS", "15", "km", "ASC", "WITHDIST", "WITHHASH"],
    ["GEOSEARCH", "big", "FROMMEMBER", "p3", "BYBOX", "30", "20", "km", "DESC", "WITHCOORD"],
    ["GEOSEARCH", "big", "FROMLONLAT", "14", "37", "BYRADIUS", "100", "km", "COUNT", "10"],
    ["GEOSEARCH", "big", "FROMLONLAT", "14", "37", "BYRADIUS", "100", "km", "COUNT", "200", "ANY"],
    ["GEOSEARCH", "big", "FROMLONLAT", "14", "37", "BYRADIUS", "300", "km", "COUNT", "5", "ANY", "DESC", "WITHDIST"],
    ["GEOSEARCH", "big", "FROMLONLAT", "0", "0", "BYRADIUS", "2000", "km", "WITHDIST"],
    ["GEORADIUSBYMEMBER", "big", "p1", "20", "km", "STOREDIST", "near"],
    ["ZRANGE", "near", "0", "-1", "WITHSCORES"],
    ["GEOSEARCHSTORE", "box", "big", "FROMLONLAT", "12", "37", "BYBOX", "60", "60", "km", "COUNT", "150", "ANY"],
    ["ZRANGE", "box", "0", "-1", "WITHSCORES"],
  ];
  let materia: RunningServer;
  let redis: RedisProcess | undefined;
  let ours: RawClient;
  let theirs: RawClient | undefined;

  async function addAll(c: RawClient): Promise<void> {
    await c.call("FLUSHALL");
    c.writeRaw(addBytes);
    for (let i = 0; i < steps.length; i++) assert.equal(await c.readReply(), `:${BATCH}\r\n`);
  }

  before(async () => {
    materia = await startInProcess();
    ours = await RawClient.connect(materia.port);
    if (await redisServerAvailable()) {
      redis = await startRedis();
      theirs = await RawClient.connect(redis.port);
    }
    await Promise.all([addAll(ours), theirs && addAll(theirs)]);
  });
  after(async () => {
    ours?.close();
    theirs?.close();
    await materia?.stop();
    await redis?.stop();
  });

  test("a radius search finds exactly the members within the radius, nearest first, by Redis's distance", async () => {
    const centre = { longitude: 13.5, latitude: 38 };
    const reply = await ours.call("GEOSEARCH", "big", "FROMLONLAT", "13.5", "38", "BYRADIUS", "25", "km", "ASC");
    const found = [...reply.matchAll(/\$\d+\r\n(p\d+)\r\n/g)].map((m) => m[1]!);
    // Every member, by its score: the same set, brute force.
    const all = await ours.call("ZRANGE", "big", "0", "-1", "WITHSCORES");
    const items = [...all.matchAll(/\$\d+\r\n([^\r]*)\r\n/g)].map((m) => m[1]!);
    assert.equal(items.length, 2 * COUNT);
    const within = new Map<string, number>();
    for (let i = 0; i < items.length; i += 2) {
      const distance = geohashGetDistance(centre, decodeScore(Number(items[i + 1])));
      if (distance <= 25_000) within.set(items[i]!, distance);
    }
    assert.ok(within.size > 50, `${within.size} members within 25 km`);
    assert.deepEqual([...found].sort(), [...within.keys()].sort());
    for (let i = 1; i < found.length; i++) assert.ok(within.get(found[i - 1]!)! <= within.get(found[i]!)!, `ASC order at ${i}`);
  });

  test("searches, ANY windows and stores answer as redis-server does", async (t) => {
    if (!theirs) {
      t.skip("no redis-server");
      return;
    }
    for (const argv of SEARCHES) assert.equal(await ours.call(...argv), await theirs.call(...argv), argv.join(" "));
  });
});
