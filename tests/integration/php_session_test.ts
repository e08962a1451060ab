// PHP's Redis session handler (phpredis redis_session.c), replayed with
// ioredis against Materia: GET (or GETEX ... EX when early refresh is on) on
// session read, SETEX on write, EXPIRE when the data did not change (lazy
// write), DEL on destroy; PHP leaves garbage collection to the TTL.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { TARGETS, type TargetServer } from "../support/processes.ts";

const LIFETIME = 1440; // session.gc_maxlifetime's default, in seconds
const PREFIX = "PHPREDIS_SESSION:";

async function connect(port: number): Promise<Redis> {
  const client = new Redis({ host: "127.0.0.1", port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on("error", () => {});
  await client.connect();
  return client;
}

/** One PHP request: open, read, (work), write or touch, close, as the session module drives the handler. */
class PhpRequest {
  constructor(private readonly client: Redis, private readonly id: string, private readonly options: { earlyRefresh?: boolean } = {}) {}

  private get key(): string {
    return PREFIX + this.id;
  }

  /** PS_READ_FUNC: an unknown session reads as empty data. */
  async read(): Promise<Buffer> {
    const data = this.options.earlyRefresh
      ? await this.client.getexBuffer(this.key, "EX", LIFETIME)
      : await this.client.getBuffer(this.key);
    return data ?? Buffer.alloc(0);
  }

  /** PS_WRITE_FUNC. */
  async write(data: Buffer | string, lifetime = LIFETIME): Promise<void> {
    assert.equal(await this.client.setex(this.key, lifetime, data), "OK");
  }

  /** PS_UPDATE_TIMESTAMP_FUNC (session.lazy_write): the data is unchanged, only the TTL is refreshed. */
  async touch(): Promise<number> {
    return this.client.expire(this.key, LIFETIME);
  }

  /** PS_DESTROY_FUNC. */
  async destroy(): Promise<number> {
    return this.client.del(this.key);
  }
}

/** PHP's default serializer (session.serialize_handler = php). */
function serialize(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => (typeof value === "number" ? `${name}|i:${value};` : `${name}|s:${Buffer.byteLength(value)}:"${value}";`))
    .join("");
}

for (const target of TARGETS) {
  describe(`PHP sessions (phpredis handler) against ${target.name}`, () => {
    let server: TargetServer;
    let client: Redis;
    before(async () => {
      server = await target.start();
      client = await connect(server.port);
    });
    after(async () => {
      client.disconnect();
      await server.stop();
    });

    test("a session is created, read back, updated, refreshed and destroyed", async () => {
      const id = "u1a2b3c4d5e6f7g8h9i0";
      const key = PREFIX + id;
      const first = new PhpRequest(client, id);
      assert.equal((await first.read()).length, 0, "a new session reads as empty");
      await first.write(serialize({ user: "alice", visits: 1 }));
      const ttl = await client.ttl(key);
      assert.ok(ttl > LIFETIME - 3 && ttl <= LIFETIME, `TTL after SETEX: ${ttl}`);

      const second = new PhpRequest(client, id);
      assert.equal((await second.read()).toString(), 'user|s:5:"alice";visits|i:1;');
      await second.write(serialize({ user: "alice", visits: 2 }));

      // session.lazy_write: unchanged data refreshes the TTL with EXPIRE.
      await client.expire(key, 100);
      const third = new PhpRequest(client, id);
      assert.equal((await third.read()).toString(), 'user|s:5:"alice";visits|i:2;');
      assert.equal(await third.touch(), 1);
      assert.ok((await client.ttl(key)) > LIFETIME - 3);

      const last = new PhpRequest(client, id);
      assert.equal(await last.destroy(), 1);
      assert.equal((await last.read()).length, 0);
      assert.equal(await client.exists(key), 0);
      assert.equal(await last.destroy(), 0, "destroying twice is harmless");
      assert.equal(await last.touch(), 0, "EXPIRE on a destroyed session does nothing");
    });

    test("early refresh reads with GETEX ... EX and pushes the expiry back", async () => {
      const id = "early-refresh-session";
      await client.setex(PREFIX + id, 50, "count|i:7;");
      const request = new PhpRequest(client, id, { earlyRefresh: true });
      assert.equal((await request.read()).toString(), "count|i:7;");
      const ttl = await client.ttl(PREFIX + id);
      assert.ok(ttl > LIFETIME - 3, `TTL after GETEX EX: ${ttl}`);
      assert.equal((await new PhpRequest(client, "never-written", { earlyRefresh: true }).read()).length, 0);
      assert.equal(await client.exists(PREFIX + "never-written"), 0, "GETEX creates nothing");
    });

    test("an expired session reads as empty and leaves the keyspace without any read", async () => {
      const id = "short-lived";
      const request = new PhpRequest(client, id);
      await request.write("flash|s:2:\"hi\";", 1);
      assert.equal((await request.read()).toString(), 'flash|s:2:"hi";');
      const before = await client.dbsize();
      // No client touches the key: the expiry index and its sweeper remove it.
      const deadline = Date.now() + 10_000;
      while ((await client.dbsize()) >= before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(await client.dbsize(), before - 1, "DBSIZE drops once the session expires");
      assert.equal((await new PhpRequest(client, id).read()).length, 0);
    });

    test("binary (igbinary) and large session data round-trip exactly", async () => {
      const binary = Buffer.from([0x00, 0x00, 0x00, 0x02, 0x14, 0x01, 0x11, 0x04, 0x75, 0x73, 0x65, 0x72, 0x0d, 0x0a, 0xff, 0x00]);
      const small = new PhpRequest(client, "igbinary");
      await small.write(binary);
      assert.deepEqual(await small.read(), binary);
      // A cart of a few hundred kilobytes is stored in chunks by Materia.
      const large = Buffer.alloc(300_000);
      for (let i = 0; i < large.length; i++) large[i] = (i * 7 + (i >> 9)) & 0xff;
      const big = new PhpRequest(client, "large-cart");
      await big.write(large);
      assert.deepEqual(await big.read(), large);
      assert.deepEqual(await new PhpRequest(client, "large-cart", { earlyRefresh: true }).read(), large);
      assert.equal(await big.destroy(), 1);
    });

    test("many concurrent requests on separate sessions each see their own data", async () => {
      const clients = await Promise.all(Array.from({ length: 4 }, () => connect(server.port)));
      try {
        await Promise.all(Array.from({ length: 40 }, async (_, i) => {
          const c = clients[i % clients.length]!;
          const id = `concurrent-${i}`;
          const request = new PhpRequest(c, id);
          assert.equal((await request.read()).length, 0);
          await request.write(serialize({ n: i }));
          const next = new PhpRequest(c, id, { earlyRefresh: i % 2 === 0 });
          assert.equal((await next.read()).toString(), `n|i:${i};`);
          assert.equal(await next.touch(), 1);
          assert.equal(await next.destroy(), 1);
        }));
      } finally {
        for (const c of clients) c.disconnect();
      }
    });
  });
}
