// A cache, end to end through ioredis: 200 keys written with SET EX 1 and
// read back, then left alone. No client touches them again, yet after their
// TTL the background expiry sweeper (src/server/expiry_sweeper.ts) has
// removed them: DBSIZE is 0, SCAN finds nothing, INFO keyspace no longer
// lists db0 and INFO stats counts them in expired_keys. Runs on the
// in-process memory engine and on `materia serve --engine sqlite`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { TARGETS, type TargetServer } from "../support/processes.ts";

const KEYS = 200;
const TTL_SECONDS = 1;
/** The TTL, plus a few sweeper intervals (100 ms each) of slack. */
const WAIT_MS = 1_600;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One INFO field as a number. */
function infoField(info: string, name: string): number {
  const match = new RegExp(`^${name}:(\\d+)\\r?$`, "m").exec(info);
  assert.ok(match, `INFO has no ${name}:\n${info}`);
  return Number(match[1]);
}

async function scanAll(client: Redis): Promise<string[]> {
  const found: string[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await client.scan(cursor, "COUNT", 50);
    found.push(...keys);
    cursor = next;
  } while (cursor !== "0");
  return found;
}

for (const target of TARGETS) {
  describe(`cache scenario through ioredis against ${target.name}`, () => {
    let server: TargetServer | undefined;
    let client: Redis | undefined;

    before(async () => {
      server = await target.start();
      client = new Redis({ host: "127.0.0.1", port: server.port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      client.on("error", () => {});
      await client.connect();
    });

    after(async () => {
      client?.disconnect();
      await server?.stop();
    });

    test("keys set with EX disappear by themselves: DBSIZE 0, SCAN empty, INFO keyspace and expired_keys", { timeout: 30_000 }, async () => {
      const redis = client!;
      const keys = Array.from({ length: KEYS }, (_, i) => `cache:item:${i}`);
      const expiredBefore = infoField(await redis.info("stats"), "expired_keys");

      const writes = redis.pipeline();
      for (const [i, key] of keys.entries()) writes.set(key, `value-${i}`, "EX", TTL_SECONDS);
      const written = await writes.exec();
      const writtenAt = Date.now();
      assert.deepEqual(written!.map(([error, reply]) => error ?? reply), keys.map(() => "OK"));

      // Read back while fresh: every value, with its TTL.
      assert.deepEqual(await redis.mget(...keys), keys.map((_, i) => `value-${i}`));
      assert.equal(await redis.get(keys[0]!), "value-0");
      const ttl = await redis.ttl(keys[KEYS - 1]!);
      assert.ok(ttl === 0 || ttl === 1, `TTL of a fresh key is ${ttl}`);
      assert.equal(await redis.dbsize(), KEYS);
      assert.match(await redis.info("keyspace"), new RegExp(`^db0:keys=${KEYS},expires=${KEYS},`, "m"));

      // Now leave the keys alone: nothing reads them, only the sweeper can remove them.
      await sleep(Math.max(0, writtenAt + WAIT_MS - Date.now()));

      assert.equal(await redis.dbsize(), 0, "DBSIZE after the TTL, without any read of the keys");
      assert.deepEqual(await scanAll(redis), [], "SCAN after the TTL");
      assert.doesNotMatch(await redis.info("keyspace"), /^db0:/m, "INFO keyspace still lists db0");
      assert.equal(infoField(await redis.info("stats"), "expired_keys") - expiredBefore, KEYS, "expired_keys counts the swept keys");
      assert.equal(await redis.exists(...keys), 0);
    });
  });
}
