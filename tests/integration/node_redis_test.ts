// node-redis (the `redis` package), a real client library, against Materia:
// in-process on the memory engine and as a `materia serve --engine sqlite`
// process, over RESP2 and RESP3 (`RESP: 3` sends HELLO 3). Covers the string
// and key commands of this slice, binary safety, large values, pipelining,
// concurrency, SELECT, client names, error texts and password authentication.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createClient, RESP_TYPES, type RedisClientOptions } from "redis";
import { spawnServer, type ServerProcess } from "../support/servers.ts";
import { signalServer, TARGETS, type TargetServer } from "../support/processes.ts";

type Resp = 2 | 3;

async function connect(port: number, options: Omit<Partial<RedisClientOptions>, "RESP" | "socket"> & { RESP?: Resp } = {}) {
  const client = createClient({
    ...options,
    RESP: options.RESP ?? 2,
    // A test that fails must not leave a client reconnecting forever.
    socket: { host: "127.0.0.1", port, reconnectStrategy: false },
  });
  client.on("error", () => {});
  await client.connect();
  return client;
}

type Client = Awaited<ReturnType<typeof connect>>;

async function withClient<T>(port: number, options: Parameters<typeof connect>[1], body: (client: Client) => Promise<T>): Promise<T> {
  const client = await connect(port, options);
  try {
    return await body(client);
  } finally {
    client.destroy();
  }
}

/** Bytes no text encoding survives: every byte value, then CR LF, NUL and 0xff. */
function binaryBytes(): Buffer {
  const bytes = Buffer.alloc(256 + 6);
  for (let i = 0; i < 256; i++) bytes[i] = i;
  bytes.set([0x0d, 0x0a, 0x00, 0xff, 0x0d, 0x0a], 256);
  return bytes;
}

for (const target of TARGETS) {
  describe(`node-redis against ${target.name}`, () => {
    let server: TargetServer;
    before(async () => {
      server = await target.start();
    });
    after(async () => {
      await server.stop();
    });

    for (const RESP of [2, 3] as const) {
      test(`RESP${RESP}: string commands answer as in Redis`, async () => {
        await withClient(server.port, { RESP }, async (client) => {
          const p = `nr${RESP}:`;
          assert.equal(await client.ping(), "PONG");
          assert.equal(await client.set(`${p}a`, "1"), "OK");
          assert.equal(await client.get(`${p}a`), "1");
          assert.equal(await client.get(`${p}missing`), null);
          assert.equal(await client.mSet([`${p}b`, "2", `${p}c`, "3"]), "OK");
          assert.deepEqual(await client.mGet([`${p}a`, `${p}missing`, `${p}b`, `${p}c`]), ["1", null, "2", "3"]);
          assert.equal(await client.exists([`${p}a`, `${p}b`, `${p}missing`]), 2);
          assert.equal(await client.del([`${p}b`, `${p}missing`]), 1);
          assert.equal(await client.incr(`${p}n`), 1);
          assert.equal(await client.incrBy(`${p}n`, 9), 10);
          assert.equal(await client.decr(`${p}n`), 9);
          assert.equal(await client.decrBy(`${p}n`, 20), -11);
          assert.equal(await client.append(`${p}s`, "Hello"), 5);
          assert.equal(await client.append(`${p}s`, " world"), 11);
          assert.equal(await client.strLen(`${p}s`), 11);
          assert.equal(await client.getRange(`${p}s`, 6, -1), "world");
          assert.equal(await client.type(`${p}s`), "string");
          assert.equal(await client.type(`${p}missing`), "none");
          assert.equal(await client.set(`${p}a`, "new", { GET: true }), "1");
          assert.equal(await client.set(`${p}a`, "x", { condition: "NX" }), null);
          assert.equal(await client.set(`${p}ttl`, "x", { expiration: { type: "PX", value: 60_000 } }), "OK");
          assert.equal(await client.get(`${p}ttl`), "x");
        });
      });

      test(`RESP${RESP}: KEYS and scanIterator (MATCH, COUNT, TYPE) find every key once`, async () => {
        await withClient(server.port, { RESP }, async (client) => {
          const p = `scan${RESP}:`;
          const expected = Array.from({ length: 200 }, (_, i) => `${p}${i}`);
          await Promise.all(expected.map((key, i) => client.set(key, String(i))));
          await client.set(`other${RESP}`, "x");
          const seen: string[] = [];
          for await (const keys of client.scanIterator({ MATCH: `${p}*`, COUNT: 25 })) seen.push(...keys);
          assert.equal(seen.length, expected.length, "no key is returned twice");
          assert.deepEqual(seen.sort(), [...expected].sort());
          const typed: string[] = [];
          for await (const keys of client.scanIterator({ MATCH: `${p}1*`, TYPE: "string", COUNT: 1000 })) typed.push(...keys);
          assert.equal(typed.length, 111);
          const none: string[] = [];
          for await (const keys of client.scanIterator({ MATCH: `${p}*`, TYPE: "list" })) none.push(...keys);
          assert.deepEqual(none, []);
          assert.deepEqual((await client.keys(`${p}19?`)).sort(), Array.from({ length: 10 }, (_, i) => `${p}19${i}`).sort());
        });
      });

      test(`RESP${RESP}: binary keys and values round-trip byte for byte`, async () => {
        await withClient(server.port, { RESP }, async (client) => {
          const bufferClient = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
          const key = Buffer.from([0x6b, 0x0d, 0x0a, 0x00, 0xff, RESP]);
          const value = binaryBytes();
          assert.equal(await client.set(key, value), "OK");
          assert.deepEqual(await bufferClient.get(key), value);
          assert.deepEqual(await bufferClient.getRange(key, 256, 261), Buffer.from([0x0d, 0x0a, 0x00, 0xff, 0x0d, 0x0a]));
          assert.deepEqual(await bufferClient.mGet([key, "bin:missing"]), [value, null]);
          const keys = (await bufferClient.keys(Buffer.from([0x6b, 0x0d, 0x0a, 0x00, 0xff, RESP]))) as unknown as Buffer[];
          assert.deepEqual(keys, [key]);
        });
      });

      test(`RESP${RESP}: a 2 MB value round-trips`, async () => {
        await withClient(server.port, { RESP }, async (client) => {
          const bufferClient = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
          const big = Buffer.alloc(2 * 1024 * 1024);
          for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 12)) & 0xff;
          assert.equal(await client.set(`big${RESP}`, big), "OK");
          const back = await bufferClient.get(`big${RESP}`);
          assert.ok(back !== null && big.equals(back), "the 2 MB value comes back identical");
          assert.equal(await client.strLen(`big${RESP}`), big.length);
        });
      });

      test(`RESP${RESP}: 1,000 pipelined commands get their replies in order`, async () => {
        await withClient(server.port, { RESP }, async (client) => {
          const p = `pipe${RESP}:`;
          // node-redis writes every command issued in one tick as one pipeline.
          const replies = await Promise.all(Array.from({ length: 1000 }, (_, i) => {
            switch (i % 4) {
              case 0: return client.set(`${p}${i >> 2}`, `v${i >> 2}`);
              case 1: return client.get(`${p}${i >> 2}`);
              case 2: return client.incr(`${p}counter`);
              default: return client.strLen(`${p}${i >> 2}`);
            }
          }));
          for (let i = 0; i < 250; i++) {
            assert.equal(replies[4 * i], "OK");
            assert.equal(replies[4 * i + 1], `v${i}`);
            assert.equal(replies[4 * i + 2], i + 1);
            assert.equal(replies[4 * i + 3], `v${i}`.length);
          }
          const multi = client.multi();
          for (let i = 0; i < 1000; i++) multi.incr(`${p}batch`);
          const batch = await multi.execAsPipeline();
          assert.deepEqual(batch, Array.from({ length: 1000 }, (_, i) => i + 1));
        });
      });

      test(`RESP${RESP}: errors reject with Redis's texts and the connection carries on`, async () => {
        await withClient(server.port, { RESP }, async (client) => {
          await client.set(`err${RESP}`, "abc");
          await assert.rejects(client.incr(`err${RESP}`), { message: "ERR value is not an integer or out of range" });
          await assert.rejects(client.sendCommand(["GET"]), { message: "ERR wrong number of arguments for 'get' command" });
          await assert.rejects(client.sendCommand(["NOPE"]), { message: "ERR unknown command 'NOPE', with args beginning with: " });
          await assert.rejects(client.sendCommand(["SELECT", "99"]), { message: "ERR DB index is out of range" });
          assert.equal(await client.get(`err${RESP}`), "abc");
        });
      });
    }

    test("50 concurrent clients doing 200 INCRs each leave the counter at exactly 10,000", async () => {
      const clients = await Promise.all(Array.from({ length: 50 }, () => connect(server.port, { RESP: 3 })));
      try {
        const replies = await Promise.all(clients.map(async (client) => {
          const mine: number[] = [];
          for (let i = 0; i < 200; i++) mine.push(await client.incr("nrace:counter"));
          return mine;
        }));
        const all = replies.flat().sort((a, b) => a - b);
        assert.deepEqual(all, Array.from({ length: 10_000 }, (_, i) => i + 1));
        assert.equal(await clients[0]!.get("nrace:counter"), "10000");
      } finally {
        for (const client of clients) client.destroy();
      }
    });

    test("databases are isolated: the database option and SELECT", async () => {
      const db0 = await connect(server.port);
      const db5 = await connect(server.port, { database: 5, RESP: 3 });
      try {
        await db0.set("nsel:k", "zero");
        await db5.set("nsel:k", "five");
        assert.equal(await db0.get("nsel:k"), "zero");
        assert.equal(await db5.get("nsel:k"), "five");
        assert.equal(await db5.dbSize(), 1);
        await db0.select(5);
        assert.equal(await db0.get("nsel:k"), "five");
        await db5.flushDb();
        assert.equal(await db0.get("nsel:k"), null);
        await db0.select(0);
        assert.equal(await db0.get("nsel:k"), "zero", "FLUSHDB in db 5 leaves db 0 alone");
      } finally {
        db0.destroy();
        db5.destroy();
      }
    });

    test("RESP: 3 negotiates HELLO 3: HELLO replies a map, nulls are RESP3 nulls", async () => {
      await withClient(server.port, { RESP: 3 }, async (client) => {
        const hello = (await client.hello()) as unknown as Record<string, unknown>;
        assert.equal(hello.server, "redis");
        assert.equal(hello.proto, 3);
        assert.equal(hello.mode, "standalone");
        assert.equal(hello.role, "master");
        assert.deepEqual(hello.modules, []);
        assert.equal(typeof hello.id, "number");
        assert.equal(hello.id, await client.clientId());
        assert.equal(await client.get("r3:none"), null);
        const info = (await client.sendCommand(["CLIENT", "INFO"])) as unknown;
        assert.match(String(info), /(^| )resp=3( |$)/);
      });
    });

    test("the name option and CLIENT SETNAME / GETNAME", async () => {
      await withClient(server.port, { name: "nr-worker", RESP: 3 }, async (client) => {
        assert.equal(await client.clientGetName(), "nr-worker");
        assert.equal(await client.clientSetName("renamed"), "OK");
        assert.equal(await client.clientGetName(), "renamed");
        assert.equal(await client.clientSetName(""), "OK");
        assert.equal(await client.clientGetName(), null);
        const list = String(await client.sendCommand(["CLIENT", "LIST"]));
        assert.match(list, /lib-name=node-redis/, "node-redis's CLIENT SETINFO is recorded");
      });
    });
  });
}

describe("node-redis against materia serve with MATERIA_PASSWORD=secret", () => {
  let server: ServerProcess;
  before(async () => {
    server = await spawnServer(["--engine", "memory"], { env: { MATERIA_PASSWORD: "secret" } });
  });
  after(async () => {
    await signalServer(server, "SIGTERM");
  });

  test("with the password option it connects over RESP2 (AUTH) and RESP3 (HELLO 3 AUTH)", async () => {
    for (const RESP of [2, 3] as const) {
      await withClient(server.port, { password: "secret", RESP }, async (client) => {
        assert.equal(await client.set(`nauth:${RESP}`, "ok"), "OK");
        assert.equal(await client.get(`nauth:${RESP}`), "ok");
      });
    }
    await withClient(server.port, { username: "someone", password: "secret", RESP: 3 }, async (client) => {
      assert.equal(await client.ping(), "PONG");
    });
  });

  test("with a wrong password the connection fails with WRONGPASS", async () => {
    for (const RESP of [2, 3] as const) {
      await assert.rejects(connect(server.port, { password: "bad", RESP }), {
        message: "WRONGPASS invalid username-password pair or user is disabled.",
      });
    }
  });

  test("unauthenticated commands get NOAUTH; AUTH wrong, AUTH secret, AUTH anyuser secret, HELLO 3 AUTH", async () => {
    await withClient(server.port, { RESP: 2 }, async (client) => {
      await assert.rejects(client.get("k"), { message: "NOAUTH Authentication required." });
      await assert.rejects(client.sendCommand(["AUTH", "wrong"]), {
        message: "WRONGPASS invalid username-password pair or user is disabled.",
      });
      assert.equal(await client.sendCommand(["AUTH", "secret"]), "OK");
      assert.equal(await client.get("k"), null);
      assert.equal(await client.sendCommand(["AUTH", "anyuser", "secret"]), "OK");
      const hello = (await client.sendCommand(["HELLO", "3", "AUTH", "default", "secret"])) as Record<string, unknown>;
      assert.equal(hello.proto, 3);
      assert.equal(hello.server, "redis");
    });
  });
});
