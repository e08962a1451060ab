// The tests of the HyperLogLog commands (src/commands/families/hyperloglog.ts), by
// command: the differential cases of hyperloglog_cases.ts against redis-server (or
// its recorded replies), then Materia's own tests.
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { CASES, METADATA_COMMANDS } from "./hyperloglog_cases.ts";

differentialSuite("hyperloglog", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("hyperloglog").specs });

// Materia's own tests: what the differential cases cannot hold (100,000
// elements), and what Redis has no notion of (tokens, the storage quota).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { RawClient } from "../support/raw_client.ts";
import { redisServerAvailable, startRedis, type RedisProcess } from "../support/redis_server.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { type AuthServer, rawAuthed, startAuthServer } from "../auth/support.ts";
import { elements } from "./hyperloglog_cases.ts";

const OK = "+OK\r\n";

/** The payload of a bulk-string reply as latin1 text. */
function bulkPayload(reply: string): string {
  const header = reply.indexOf("\r\n");
  assert.equal(reply[0], "$", `not a bulk string: ${JSON.stringify(reply.slice(0, 40))}`);
  return reply.slice(header + 2, reply.length - 2);
}

function sha256(latin1: string): string {
  return createHash("sha256").update(Buffer.from(latin1, "latin1")).digest("hex");
}

/** A HyperLogLog's header bytes, as hex. */
async function headerHex(client: RawClient, key: string): Promise<string> {
  return Buffer.from(bulkPayload(await client.call("GETRANGE", key, "0", "15")), "latin1").toString("hex");
}

describe("PFADD of 100,000 elements then PFCOUNT: Redis's estimate and bytes", () => {
  // Recorded from redis-server 7.0.15 (PFADD big e0 … e255r of elements("e", 100000) in one call);
  // with a redis-server installed the test compares with it live as well.
  const REDIS = {
    added: ":1\r\n",
    denseBeforeCount: "8bd772f2d0d7aee57aedadff0c053330e18fdfaa2ffbcd2fb297ed3caca93494",
    count: ":99564\r\n",
    denseAfterCount: "fec6347511e5fac30590e2e1082696b077343dc867d2e2e1cd897ea483a9435d",
  };
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

  // Encoded once, as one string: encodeCommand's per-argument buffers take seconds on Deno for 100,000 arguments.
  const argv = ["PFADD", "big", ...elements("e", 100_000)];
  const pfadd = new TextEncoder().encode(`*${argv.length}\r\n${argv.map((arg) => `$${arg.length}\r\n${arg}\r\n`).join("")}`);

  async function observe(port: number): Promise<typeof REDIS> {
    const client = await RawClient.connect(port);
    try {
      client.writeRaw(pfadd);
      const added = await client.readReply();
      const denseBeforeCount = sha256(bulkPayload(await client.call("GET", "big")));
      const count = await client.call("PFCOUNT", "big");
      const denseAfterCount = sha256(bulkPayload(await client.call("GET", "big")));
      await client.call("DEL", "big");
      return { added, denseBeforeCount, count, denseAfterCount };
    } finally {
      client.close();
    }
  }

  test("PFADD and PFCOUNT answer as Redis, and GET returns Redis's dense bytes before and after the cache is stored", async () => {
    assert.deepEqual(await observe(materia.port), REDIS);
    if (redis) assert.deepEqual(await observe(redis.port), REDIS, "the live redis-server differs from the values recorded in this test");
  });
});

describe("PFCOUNT and the rights of the caller", () => {
  let s: AuthServer;
  let writer: RawClient;
  let reader: RawClient;
  before(async () => {
    s = await startAuthServer();
    writer = await rawAuthed(s.port, await s.mint("kv_hll"));
    reader = await rawAuthed(s.port, await s.mint("kv_hll", { readOnly: true }));
  });
  after(async () => {
    writer.close();
    reader.close();
    await s.stop();
  });

  test("PFCOUNT with a read-only token answers the estimate and leaves the cache stale; PFADD and PFMERGE are refused", async () => {
    assert.equal(await writer.call("PFADD", "h", "a", "b", "c"), ":1\r\n");
    const stale = await headerHex(writer, "h");
    assert.equal(stale, "48594c4c010000000000000000000080");
    assert.equal(await reader.call("PFCOUNT", "h"), ":3\r\n");
    assert.equal(await headerHex(writer, "h"), stale, "a read-only token wrote the cache");
    assert.equal(await reader.call("PFCOUNT", "h", "nokey"), ":3\r\n");
    assert.match(await reader.call("PFADD", "h", "d"), /^-NOPERM .*'pfadd'/);
    assert.match(await reader.call("PFMERGE", "d", "h"), /^-NOPERM .*'pfmerge'/);
    assert.equal(await writer.call("PFCOUNT", "h"), ":3\r\n");
    assert.equal(await headerHex(writer, "h"), "48594c4c010000000300000000000000", "the writer's PFCOUNT stores the cache as Redis does");
    assert.equal(await reader.call("PFCOUNT", "h"), ":3\r\n");
  });
});

describe("HyperLogLogs and the storage quota", () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess({ storageQuotaBytes: 3_000 });
  });
  after(async () => {
    await server.stop();
  });

  test("PFADD that would turn a value dense past the quota is refused and the sparse value stays; PFCOUNT and PFMERGE in place still work", async () => {
    const client = await RawClient.connect(server.port);
    try {
      assert.equal(await client.call("PFADD", "h", ...elements("e", 1000)), ":1\r\n");
      const sparse = bulkPayload(await client.call("GET", "h"));
      assert.ok(sparse.length < 3000, `${sparse.length} bytes`);
      assert.match(await client.call("PFADD", "h", ...elements("e", 1000, 1000)), /^-OOM /);
      assert.equal(bulkPayload(await client.call("GET", "h")), sparse);
      assert.equal(await client.call("PFCOUNT", "h"), ":1002\r\n");
      assert.equal(await client.call("PFMERGE", "h", "h"), OK);
      assert.match(await client.call("PFMERGE", "copy", "h"), /^-OOM /, "a second sparse value of ~1.9 KB passes 3,000 bytes with the first");
    } finally {
      client.close();
    }
  });
});
