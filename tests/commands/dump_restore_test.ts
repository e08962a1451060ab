// The tests of DUMP and RESTORE (src/commands/families/dump_restore.ts): the
// differential cases of dump_restore_cases.ts (error paths, payloads byte for
// byte), then round trips with a live redis-server for every type and
// encoding: a value written on Redis, DUMPed there and RESTOREd into Materia
// reads back the same through each type's commands, and so does Materia's
// DUMP RESTOREd into Redis. Where Redis's bytes depend only on the value,
// Materia's DUMP must equal them.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { differentialSuite } from "../differential/suite.ts";
import { differentialTargets } from "../differential/targets.ts";
import { redisServerAvailable } from "../support/redis_server.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { encodeDumpPayload } from "../../src/model/rdb/dump_payload.ts";
import { encodeListpack } from "../../src/model/rdb/listpack.ts";
import { blobString, concat, payload, rdbString } from "./dump_restore_payloads.ts";
import { family } from "./families.ts";
import { CASES, METADATA_COMMANDS } from "./dump_restore_cases.ts";

differentialSuite("dump_restore", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("dump_restore").specs });

type Argv = ReadonlyArray<string | Buffer>;

interface Scenario {
  readonly name: string;
  /** Commands run on Redis to build the value at key `k`. */
  readonly writes: readonly Argv[];
  /** Materia's DUMP equals Redis's byte for byte (the encoding depends on the value alone). */
  readonly sameBytes?: boolean;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** Deterministic bytes, every byte value included. */
function bytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = (x >>> 16) & 0xff;
  }
  return out;
}

const SCENARIOS: readonly Scenario[] = [
  { name: "short string", writes: [["SET", "k", "vol"]], sameBytes: true },
  { name: "empty string", writes: [["SET", "k", ""]], sameBytes: true },
  { name: "int8 string", writes: [["SET", "k", "-100"]], sameBytes: true },
  { name: "int32 string", writes: [["SET", "k", "70000"]], sameBytes: true },
  { name: "int64 string (raw)", writes: [["SET", "k", "5000000000"]], sameBytes: true },
  { name: "non-canonical integer string", writes: [["SET", "k", "007"]], sameBytes: true },
  { name: "compressible string (LZF)", writes: [["SET", "k", "a".repeat(40) + "b".repeat(300) + "abcabc".repeat(50)]], sameBytes: true },
  { name: "incompressible 50 kB string", writes: [["SET", "k", bytes(50_000, 1)]], sameBytes: true },
  { name: "compressible 300 kB string", writes: [["SET", "k", Buffer.from("materia ".repeat(37_500))]], sameBytes: true },
  { name: "HyperLogLog (sparse)", writes: [["PFADD", "k", "a", "b", "c"]], sameBytes: true },
  { name: "HyperLogLog (dense)", writes: [["PFADD", "k", ...range(3000).map(String)]] },
  { name: "JSON document (a string in Materia)", writes: [["SET", "k", '{"a":[1,2,{"b":null}],"c":"d"}']], sameBytes: true },
  { name: "small list", writes: [["RPUSH", "k", "1", "-5", "300", "hello", "", "9223372036854775807", "-9223372036854775808", "1.5"]], sameBytes: true },
  { name: "list of 3000 items (several nodes)", writes: [["RPUSH", "k", ...range(3000).map((i) => (i % 3 === 0 ? String(i * 7919) : `item-${i}-${"x".repeat(i % 50)}`))]], sameBytes: true },
  { name: "list of large items", writes: [["RPUSH", "k", bytes(20_000, 2), "small", bytes(70_000, 3), Buffer.from("z".repeat(9000))]], sameBytes: true },
  { name: "small hash (listpack)", writes: [["HSET", "k", "a", "1", "b", "hello", "c", "-4096", "d", ""]], sameBytes: true },
  { name: "hash with a long value (hashtable)", writes: [["HSET", "k", "a", "x".repeat(65), "b", "2"]] },
  { name: "hash of 600 fields (hashtable)", writes: [["HSET", "k", ...range(600).flatMap((i) => [`f${i}`, String(i)])]] },
  { name: "hash with large binary values", writes: [["HSET", "k", "big", bytes(30_000, 4), "bin", Buffer.from([0, 255, 13, 10])]] },
  { name: "set of small integers (intset 16)", writes: [["SADD", "k", "1", "2", "3", "-7"]], sameBytes: true },
  { name: "set of integers (intset 32)", writes: [["SADD", "k", "1", "70000", "-70000"]], sameBytes: true },
  { name: "set of integers (intset 64)", writes: [["SADD", "k", "1", "9223372036854775807", "-9223372036854775808"]], sameBytes: true },
  { name: "set of strings (hashtable)", writes: [["SADD", "k", "a", "b", "1", "c", "hello world"]] },
  { name: "set of 600 integers (hashtable)", writes: [["SADD", "k", ...range(600).map(String)]] },
  { name: "small sorted set (listpack)", writes: [["ZADD", "k", "0.1", "a", "1e20", "b", "inf", "c", "-inf", "d", "3", "e", "-2.5", "f", "1", "g", "1", "h"]], sameBytes: true },
  { name: "sorted set with a long member (skiplist)", writes: [["ZADD", "k", "1", "m".repeat(65), "2", "n"]], sameBytes: true },
  { name: "sorted set of 300 members (skiplist)", writes: [["ZADD", "k", ...range(300).flatMap((i) => [String((i * 37) % 101 / 7), `m${i}`])]], sameBytes: true },
  { name: "small stream", writes: [["XADD", "k", "1-1", "f", "v", "g", "w"], ["XADD", "k", "1-2", "f", "x", "g", "y"], ["XADD", "k", "2-0", "h", "z"]], sameBytes: true },
  { name: "stream of 250 entries (several nodes)", writes: range(250).map((i) => ["XADD", "k", `${1000 + i}-${i % 3}`, "field", `value-${i}`, "n", String(i)]), sameBytes: true },
  { name: "stream of large entries", writes: [["XADD", "k", "5-1", "a", bytes(3000, 5)], ["XADD", "k", "5-2", "a", bytes(3000, 6)], ["XADD", "k", "6-0", "b", bytes(20_000, 7)]], sameBytes: true },
  {
    name: "stream with deletions and XSETID",
    writes: [["XADD", "k", "1-1", "a", "1"], ["XADD", "k", "2-1", "a", "2"], ["XADD", "k", "3-1", "a", "3"], ["XDEL", "k", "2-1"], ["XSETID", "k", "10-0", "ENTRIESADDED", "20", "MAXDELETEDID", "5-0"]],
  },
  { name: "empty stream with a group", writes: [["XGROUP", "CREATE", "k", "g", "$", "MKSTREAM"]], sameBytes: true },
  {
    name: "stream with consumer groups, consumers and pending entries",
    writes: [
      ...range(8).map((i) => ["XADD", "k", `${i + 1}-0`, "f", String(i)]),
      ["XGROUP", "CREATE", "k", "g1", "0"],
      ["XGROUP", "CREATE", "k", "g2", "3-0", "ENTRIESREAD", "3"],
      ["XGROUP", "CREATE", "k", "idle", "$"],
      ["XREADGROUP", "GROUP", "g1", "alice", "COUNT", "3", "STREAMS", "k", ">"],
      ["XREADGROUP", "GROUP", "g1", "bob", "COUNT", "2", "STREAMS", "k", ">"],
      ["XACK", "k", "g1", "2-0"],
      ["XCLAIM", "k", "g1", "bob", "0", "1-0"],
      ["XREADGROUP", "GROUP", "g2", "carol", "STREAMS", "k", ">"],
      ["XGROUP", "CREATECONSUMER", "k", "g2", "dave"],
      ["XDEL", "k", "8-0"],
    ],
  },
];

/** Every reply as text, so that Redis's and Materia's compare with deepEqual. */
function plain(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString("latin1");
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

/** Field/value pairs of a flat reply, as an object. */
function fieldsOf(reply: unknown): Record<string, unknown> {
  const flat = plain(reply) as unknown[];
  const out: Record<string, unknown> = {};
  for (let i = 0; i < flat.length; i += 2) out[String(flat[i])] = flat[i + 1];
  return out;
}

const pick = (object: Record<string, unknown>, names: readonly string[]) => Object.fromEntries(names.map((n) => [n, object[n]]));

/** What the type's commands read of `key`: what a restore must reproduce. */
async function observe(client: Redis, key: string): Promise<unknown> {
  const type = await client.type(key);
  const call = async (...argv: Array<string | number>) => plain(await client.callBuffer(String(argv[0]), ...argv.slice(1)));
  switch (type) {
    case "string":
      return { type, value: await call("GET", key) };
    case "list":
      return { type, items: await call("LRANGE", key, 0, -1) };
    case "hash": {
      const flat = (await call("HGETALL", key)) as string[];
      const pairs: string[][] = [];
      for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
      return { type, fields: pairs.sort((a, b) => (a[0]! < b[0]! ? -1 : 1)) };
    }
    case "set":
      return { type, members: ((await call("SMEMBERS", key)) as string[]).sort() };
    case "zset":
      return { type, entries: await call("ZRANGE", key, 0, -1, "WITHSCORES") };
    case "stream": {
      const info = fieldsOf(await client.callBuffer("XINFO", "STREAM", key));
      const groups = [];
      for (const group of (await call("XINFO", "GROUPS", key)) as unknown[][]) {
        const fields = fieldsOf(group);
        const name = String(fields.name);
        const consumers = ((await call("XINFO", "CONSUMERS", key, name)) as unknown[][]).map((c) => pick(fieldsOf(c), ["name", "pending"]));
        // Idle times are the clock's; ids, owners and delivery counts must be the same.
        const pending = ((await call("XPENDING", key, name, "-", "+", 1000)) as unknown[][]).map((p) => [p[0], p[1], p[3]]);
        groups.push({ ...fields, consumers, pending });
      }
      return {
        type,
        entries: await call("XRANGE", key, "-", "+"),
        info: pick(info, ["length", "last-generated-id", "max-deleted-entry-id", "entries-added", "recorded-first-entry-id", "groups"]),
        groups,
      };
    }
    default:
      return { type };
  }
}

const connect = async (port: number): Promise<Redis> => {
  const client = new Redis({ host: "127.0.0.1", port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  await client.connect();
  return client;
};

const live = await redisServerAvailable();

describe("DUMP and RESTORE round trips with redis-server 7.0", { skip: live ? false : "no redis-server here" }, () => {
  const targets = differentialTargets("dump-restore-round-trips", live);
  let redis: Redis;
  before(async () => {
    redis = await connect(targets.redis()!.port);
  });
  after(() => redis.disconnect());

  for (const [engineName, target] of targets.materia) {
    describe(`${engineName} engine`, () => {
      let materia: Redis;
      before(async () => {
        materia = await connect(target().port);
      });
      after(() => materia.disconnect());

      for (const scenario of SCENARIOS) {
        test(`${scenario.name}: Redis's DUMP restores into Materia, and Materia's into Redis`, async () => {
          await redis.flushall();
          await materia.flushall();
          for (const argv of scenario.writes) await redis.callBuffer(String(argv[0]), ...argv.slice(1));
          const expected = await observe(redis, "k");
          const theirs = await redis.dumpBuffer("k");
          assert.equal(await materia.restore("k", 0, theirs), "OK");
          assert.deepEqual(await observe(materia, "k"), expected, "Materia after RESTORE of Redis's DUMP");
          const ours = await materia.dumpBuffer("k");
          if (scenario.sameBytes) assert.equal(ours.toString("hex"), theirs.toString("hex"), "Materia's DUMP equals Redis's byte for byte");
          assert.equal(await redis.restore("back", 0, ours), "OK");
          assert.deepEqual(await observe(redis, "back"), expected, "Redis after RESTORE of Materia's DUMP");
        });
      }

      test("RESTORE with a TTL, ABSTTL, REPLACE and an expired TTL, on every type", async () => {
        await redis.flushall();
        await materia.flushall();
        await redis.call("RPUSH", "l", "a", "b");
        await redis.call("SADD", "s", "x");
        for (const key of ["l", "s"]) {
          const payload = await redis.dumpBuffer(key);
          assert.equal(await materia.restore(key, 60_000, payload), "OK");
          const pttl = await materia.pttl(key);
          assert.ok(pttl > 50_000 && pttl <= 60_000, `PTTL ${pttl}`);
          await assert.rejects(materia.restore(key, 0, payload), /^ReplyError: BUSYKEY Target key name already exists\./);
          assert.equal(await materia.call("RESTORE", key, String(Date.now() + 120_000), payload, "REPLACE", "ABSTTL"), "OK");
          const again = await materia.pttl(key);
          assert.ok(again > 110_000 && again <= 120_000, `PTTL ${again}`);
          assert.equal(await materia.call("RESTORE", key, "1", payload, "REPLACE", "ABSTTL"), "OK");
          assert.equal(await materia.exists(key), 0, "a TTL already past deletes the replaced key and creates nothing");
        }
      });
    });
  }
});

describe("DUMP and RESTORE: what Materia does on its own", () => {
  let server: RunningServer;
  let client: Redis;
  before(async () => {
    server = await startInProcess({ storageQuotaBytes: 2_000_000 });
    client = await connect(server.port);
  });
  after(async () => {
    client.disconnect();
    await server.stop();
  });

  const bomb = (length: number) => encodeDumpPayload({ type: "string", value: new Uint8Array(length).fill(0x61) });

  test("values past Materia's limits are refused before anything is written: 5 MB strings, 10 MB decoded, the storage quota", async () => {
    await client.flushall();
    await client.set("k", "keep");
    const sixMb = Buffer.from(bomb(6 * 1024 * 1024));
    assert.ok(sixMb.length < 200_000, "LZF makes a small payload of a large string");
    await assert.rejects(client.restore("k", 0, sixMb, "REPLACE"), /ERR string exceeds maximum allowed size/);
    // An LZF string claiming 20 MB from 4 bytes: refused from its header, before anything is allocated.
    const claim = payload(concat(0, 0xc3, 4, 0x81, 0, 0, 0, 0, 0x01, 0x31, 0x2d, 0x00, 0xe0, 0xff, 0, 0));
    await assert.rejects(client.restore("k", 0, Buffer.from(claim), "REPLACE"), /ERR the restored value would take more than 10000000 bytes/);
    await assert.rejects(client.restore("k", 0, Buffer.from(bomb(3_000_000)), "REPLACE"), /^ReplyError: OOM command not allowed when used storage > quota/);
    // 1,300 one-byte items under an 8,000-byte name: a small payload whose items' keys alone pass one transaction's 10 MB.
    const items = encodeDumpPayload({ type: "list", items: Array.from({ length: 1_300 }, () => Uint8Array.of(0x78)) });
    await assert.rejects(client.restore("n".repeat(8000), 0, Buffer.from(items)), /ERR the restored value would take more than 10000000 bytes/);
    assert.equal(await client.get("k"), "keep");
  });

  test("RESTORE reads Redis 7.2's payloads (version 11), which Redis 7.0 refuses", async () => {
    await client.flushall();
    const body = concat(20, blobString(encodeListpack([Buffer.from("a"), Buffer.from("7")])));
    assert.equal(await client.restore("s", 0, Buffer.from(payload(body, 11))), "OK");
    assert.deepEqual((await client.smembers("s")).sort(), ["7", "a"]);
  });

  test("a hash with a field twice is refused (Redis 7.0 restores it into a corrupt hash unless sanitize-dump-payload is on)", async () => {
    const twice = payload(concat(4, 2, rdbString("f"), rdbString("1"), rdbString("f"), rdbString("2")));
    await assert.rejects(client.restore("h", 0, Buffer.from(twice)), /^ReplyError: ERR Bad data format/);
  });

  test("RESTORE reports `new` and `restore`, and `del` when REPLACE meets a TTL already past", async () => {
    await client.flushall();
    await client.config("SET", "notify-keyspace-events", "EAn");
    const subscriber = await connect(server.port);
    const events: string[] = [];
    subscriber.on("pmessage", (_pattern, channel, message) => events.push(`${channel.replace("__keyevent@0__:", "")} ${message}`));
    await subscriber.psubscribe("__keyevent@0__:*");
    const vol = Buffer.from(encodeDumpPayload({ type: "string", value: Buffer.from("vol") }));
    await client.restore("k", 0, vol);
    await client.restore("k", 0, vol, "REPLACE");
    await client.call("RESTORE", "k", "1", vol, "REPLACE", "ABSTTL");
    await client.hset("h", "a", "1");
    // HSET's events come last: once they are in, RESTORE's are all there.
    for (let i = 0; i < 100 && !events.includes("hset h"); i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(events, ["new k", "restore k", "new k", "restore k", "del k", "new h", "hset h"]);
    subscriber.disconnect();
    await client.config("SET", "notify-keyspace-events", "");
  });
});
