// Client-side caching with real client libraries: node-redis's own
// `clientSideCache` (RESP3: it turns CLIENT TRACKING on and drops entries on
// `invalidate` pushes) against Materia in process and as a SQLite server
// process, and ioredis over RESP2 with a redirect to a subscribed connection
// (once Materia has SUBSCRIBE, which the pub/sub work brings).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createClient } from "redis";
import { Redis } from "ioredis";
import { TARGETS, type TargetServer } from "../support/processes.ts";
import { RawClient } from "../support/raw_client.ts";

async function connect(port: number, options: Partial<Parameters<typeof createClient>[0]> = {}) {
  const client = createClient({ ...options, socket: { host: "127.0.0.1", port, reconnectStrategy: false } });
  client.on("error", () => {});
  await client.connect();
  return client;
}

async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

for (const target of TARGETS) {
  describe(`client-side caching against ${target.name}`, () => {
    let server: TargetServer;
    before(async () => {
      server = await target.start();
    });
    after(() => server.stop());

    test("node-redis clientSideCache: a second GET is served from the cache until another client's SET invalidates it", async () => {
      const cached = await connect(server.port, { RESP: 3, clientSideCache: { ttl: 0, maxEntries: 100 } });
      const writer = await connect(server.port);
      try {
        await writer.set("csc:k", "v1");
        assert.equal(await cached.get("csc:k"), "v1");
        assert.equal(await cached.get("csc:k"), "v1");
        const cache = cached.clientSideCache!;
        assert.equal(cache.stats().hitCount, 1, "the second GET is a cache hit");
        assert.equal(cache.size(), 1);
        await writer.set("csc:k", "v2");
        await eventually(() => cache.size() === 0, "the invalidation to drop the entry");
        assert.equal(await cached.get("csc:k"), "v2");
        assert.equal(cache.stats().hitCount, 1, "the GET after the invalidation went to the server");
        // A flush drops the whole cache.
        assert.equal(await cached.get("csc:k"), "v2");
        assert.equal(cache.size(), 1);
        await writer.flushDb();
        await eventually(() => cache.size() === 0, "the flush invalidation");
        assert.equal(await cached.get("csc:k"), null);
      } finally {
        cached.destroy();
        writer.destroy();
      }
    });

    test("node-redis emitInvalidate: CLIENT TRACKING in default mode emits each key once per read", async () => {
      const tracked = await connect(server.port, { RESP: 3, emitInvalidate: true });
      const writer = await connect(server.port);
      const seen: Array<string | null> = [];
      tracked.on("invalidate", (key: Buffer | null) => seen.push(key === null ? null : key.toString()));
      try {
        await tracked.get("ei:a");
        await tracked.hGet("ei:h", "f");
        await writer.set("ei:a", "1");
        await writer.set("ei:a", "2");
        await writer.hSet("ei:h", "f", "1");
        await eventually(() => seen.length >= 2, "two invalidations");
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.deepEqual(seen, ["ei:a", "ei:h"]);
      } finally {
        tracked.destroy();
        writer.destroy();
      }
    });

    test("ioredis over RESP2: CLIENT TRACKING REDIRECT to a connection SUBSCRIBEd to __redis__:invalidate", async (t) => {
      // Runs once Materia has SUBSCRIBE (the pub/sub work); until then the frames are covered by tests/server/tracking/invalidation_test.ts.
      const probe = await RawClient.connect(server.port);
      const hasSubscribe = !/^\*1\r\n[$*]-1\r\n$/.test(await probe.call("COMMAND", "INFO", "subscribe"));
      probe.close();
      if (!hasSubscribe) return t.skip("SUBSCRIBE is not in this build yet (pub/sub)");
      const subscriber = new Redis({ host: "127.0.0.1", port: server.port, lazyConnect: true, maxRetriesPerRequest: 0, protocol: 2 });
      const tracker = new Redis({ host: "127.0.0.1", port: server.port, lazyConnect: true, maxRetriesPerRequest: 0, protocol: 2 });
      const writer = new Redis({ host: "127.0.0.1", port: server.port, lazyConnect: true, maxRetriesPerRequest: 0, protocol: 2 });
      try {
        await Promise.all([subscriber.connect(), tracker.connect(), writer.connect()]);
        const subscriberId = await subscriber.client("ID");
        const messages: string[] = [];
        // ioredis hands the invalidated keys (an array in place of the payload) over as their comma-joined text.
        subscriber.on("message", (channel: string, message: string) => messages.push(`${channel} ${message}`));
        await subscriber.subscribe("__redis__:invalidate");
        assert.equal(await tracker.client("TRACKING", "ON", "REDIRECT", String(subscriberId)), "OK");
        await tracker.get("io:k");
        await writer.set("io:k", "1");
        await eventually(() => messages.length === 1, "the invalidation message");
        assert.deepEqual(messages, ["__redis__:invalidate io:k"]);
      } finally {
        subscriber.disconnect();
        tracker.disconnect();
        writer.disconnect();
      }
    });
  });
}
