// ioredis, a real client library, against Materia: in-process on the memory
// engine and as a `materia serve --engine sqlite` process. Covers the
// handshake (HELLO, the INFO ready check), the string and key commands of
// this slice, binary safety, large values, pipelining, concurrency, SELECT,
// RESP3, client names, error texts and password authentication.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Redis, type RedisOptions } from "ioredis";
import { RawClient } from "../support/raw_client.ts";
import { spawnServer, type ServerProcess } from "../support/servers.ts";
import { signalServer, TARGETS, type TargetServer } from "../support/processes.ts";

/** Connects and waits until ready (HELLO, then the INFO ready check). */
async function connect(port: number, options: RedisOptions = {}): Promise<Redis> {
  const client = new Redis({
    host: "127.0.0.1",
    port,
    lazyConnect: true,
    // A test that fails must not leave a client reconnecting forever.
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    ...options,
  });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return client;
}

/** Runs `body` with a connected client, then closes it. */
async function withClient<T>(port: number, body: (client: Redis) => Promise<T>, options: RedisOptions = {}): Promise<T> {
  const client = await connect(port, options);
  try {
    return await body(client);
  } finally {
    client.disconnect();
  }
}

/** Bytes no text encoding survives: CR LF, NUL, 0xff, and every other byte value. */
function binaryBytes(): Buffer {
  const bytes = Buffer.alloc(256 + 6);
  for (let i = 0; i < 256; i++) bytes[i] = i;
  bytes.set([0x0d, 0x0a, 0x00, 0xff, 0x0d, 0x0a], 256);
  return bytes;
}

/** `size` bytes of a repeating, position-dependent pattern (so a misplaced chunk shows). */
function patterned(size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + (i >> 10)) & 0xff;
  return out;
}

for (const target of TARGETS) {
  describe(`ioredis against ${target.name}`, () => {
    let server: TargetServer;
    before(async () => {
      server = await target.start();
    });
    after(async () => {
      await server.stop();
    });

    test("connects through HELLO 3 and the INFO ready check, then answers PING", async () => {
      await withClient(server.port, async (client) => {
        assert.equal(client.status, "ready");
        assert.equal(await client.ping(), "PONG");
        const info = await client.info();
        assert.match(info, /^# Server\r\n/);
        assert.match(info, /\r\nredis_version:\d+\.\d+\.\d+\r\n/);
      });
    });

    test("connects over RESP2 (no HELLO) with the ready check", async () => {
      await withClient(server.port, async (client) => {
        assert.equal(client.status, "ready");
        assert.equal(await client.echo("hi"), "hi");
      }, { protocol: 2 });
    });

    test("SET, GET, MSET, MGET, DEL and EXISTS", async () => {
      await withClient(server.port, async (client) => {
        assert.equal(await client.set("str:a", "1"), "OK");
        assert.equal(await client.get("str:a"), "1");
        assert.equal(await client.get("str:missing"), null);
        assert.equal(await client.mset("str:b", "2", "str:c", "3"), "OK");
        assert.deepEqual(await client.mget("str:a", "str:missing", "str:b", "str:c"), ["1", null, "2", "3"]);
        assert.equal(await client.exists("str:a", "str:b", "str:missing", "str:a"), 3);
        assert.equal(await client.del("str:a", "str:b", "str:missing"), 2);
        assert.equal(await client.exists("str:a", "str:b"), 0);
        assert.equal(await client.set("str:c", "x", "NX"), null);
        assert.equal(await client.set("str:c", "y", "XX", "GET"), "3");
        assert.equal(await client.get("str:c"), "y");
      });
    });

    test("INCR, DECR, INCRBY and DECRBY", async () => {
      await withClient(server.port, async (client) => {
        assert.equal(await client.incr("num:n"), 1);
        assert.equal(await client.incrby("num:n", 41), 42);
        assert.equal(await client.decr("num:n"), 41);
        assert.equal(await client.decrby("num:n", 50), -9);
        assert.equal(await client.get("num:n"), "-9");
      });
    });

    test("INCR past the 64-bit limit and on a non-integer fail with Redis's error texts", async () => {
      await withClient(server.port, async (client) => {
        await client.set("num:top", "9223372036854775806");
        await client.incr("num:top");
        assert.equal(await client.get("num:top"), "9223372036854775807");
        await assert.rejects(client.incr("num:top"), { message: "ERR increment or decrement would overflow" });
        await client.set("num:text", "abc");
        await assert.rejects(client.incr("num:text"), { name: "ReplyError", message: "ERR value is not an integer or out of range" });
        await assert.rejects(client.incrby("num:text", 1), { message: "ERR value is not an integer or out of range" });
        assert.equal(await client.get("num:text"), "abc");
      });
    });

    test("APPEND, STRLEN, GETRANGE and TYPE", async () => {
      await withClient(server.port, async (client) => {
        assert.equal(await client.append("app:k", "Hello"), 5);
        assert.equal(await client.append("app:k", ", world"), 12);
        assert.equal(await client.strlen("app:k"), 12);
        assert.equal(await client.strlen("app:missing"), 0);
        assert.equal(await client.getrange("app:k", 0, 4), "Hello");
        assert.equal(await client.getrange("app:k", -5, -1), "world");
        assert.equal(await client.getrange("app:k", 100, 200), "");
        assert.equal(await client.type("app:k"), "string");
        assert.equal(await client.type("app:missing"), "none");
      });
    });

    test("KEYS matches Redis globs and scanStream visits every key exactly once", async () => {
      await withClient(server.port, async (client) => {
        const expected = new Set<string>();
        const pipeline = client.pipeline();
        for (let i = 0; i < 300; i++) {
          const key = `scan:${i}`;
          expected.add(key);
          pipeline.set(key, String(i));
        }
        pipeline.set("other:1", "x");
        pipeline.set("scan?literal", "y");
        await pipeline.exec();

        const seen: string[] = [];
        const stream = client.scanStream({ match: "scan:*", count: 37 });
        for await (const batch of stream) seen.push(...(batch as string[]));
        assert.equal(seen.length, 300, "no key is returned twice");
        assert.deepEqual(new Set(seen), expected);

        assert.deepEqual((await client.keys("scan:1?")).sort(), Array.from({ length: 10 }, (_, i) => `scan:1${i}`).sort());
        assert.deepEqual(await client.keys("scan\\?literal"), ["scan?literal"]);
        assert.deepEqual((await client.keys("scan:2[5-6]")).sort(), ["scan:25", "scan:26"]);
      });
    });

    test("binary values and keys with CR LF, NUL and 0xff round-trip byte for byte", async () => {
      await withClient(server.port, async (client) => {
        const value = binaryBytes();
        const key = Buffer.from([0x62, 0x00, 0x0d, 0x0a, 0xff]);
        assert.equal(await client.set(key, value), "OK");
        assert.deepEqual(await client.getBuffer(key), value);
        assert.equal(await client.strlen(key), value.length);
        assert.deepEqual(await client.getrangeBuffer(key, 256, 259), Buffer.from([0x0d, 0x0a, 0x00, 0xff]));
        assert.equal(await client.append(key, Buffer.from([0x00])), value.length + 1);
        assert.deepEqual(await client.mgetBuffer(key, "bin:missing"), [Buffer.concat([value, Buffer.from([0])]), null]);
        assert.equal(await client.exists(key), 1);
      });
    });

    test("a 2 MB value round-trips, and STRLEN and GETRANGE read it in place", async () => {
      await withClient(server.port, async (client) => {
        const big = patterned(2 * 1024 * 1024);
        assert.equal(await client.set("big:v", big), "OK");
        const back = await client.getBuffer("big:v");
        assert.ok(back !== null && big.equals(back), "the 2 MB value comes back identical");
        assert.equal(await client.strlen("big:v"), big.length);
        const from = 1_000_000;
        assert.deepEqual(await client.getrangeBuffer("big:v", from, from + 99_999), big.subarray(from, from + 100_000));
        assert.equal(await client.append("big:v", "tail"), big.length + 4);
        assert.equal(await client.getrange("big:v", -4, -1), "tail");
      });
    });

    test("a pipeline of 1,000 commands gets its replies back in order", async () => {
      await withClient(server.port, async (client) => {
        const pipeline = client.pipeline();
        for (let i = 0; i < 250; i++) {
          pipeline.set(`pipe:${i}`, `v${i}`);
          pipeline.get(`pipe:${i}`);
          pipeline.incr("pipe:counter");
          pipeline.append(`pipe:${i}`, "!");
        }
        const results = await pipeline.exec();
        assert.ok(results !== null);
        assert.equal(results.length, 1000);
        for (let i = 0; i < 250; i++) {
          assert.deepEqual(results[4 * i], [null, "OK"]);
          assert.deepEqual(results[4 * i + 1], [null, `v${i}`]);
          assert.deepEqual(results[4 * i + 2], [null, i + 1]);
          assert.deepEqual(results[4 * i + 3], [null, `v${i}!`.length]);
        }
      });
    });

    test("an error in a pipeline answers its own command and the rest still run in order", async () => {
      await withClient(server.port, async (client) => {
        const results = await client.pipeline().set("perr:a", "x").incr("perr:a").get("perr:a").call("GET").exec();
        assert.ok(results !== null);
        assert.deepEqual(results[0], [null, "OK"]);
        assert.equal((results[1]![0] as Error).message, "ERR value is not an integer or out of range");
        assert.deepEqual(results[2], [null, "x"]);
        assert.equal((results[3]![0] as Error).message, "ERR wrong number of arguments for 'get' command");
      });
    });

    test("50 concurrent clients doing 200 INCRs each leave the counter at exactly 10,000", async () => {
      const clients = await Promise.all(Array.from({ length: 50 }, () => connect(server.port)));
      try {
        const replies = await Promise.all(clients.map(async (client) => {
          const mine: number[] = [];
          for (let i = 0; i < 200; i++) mine.push(await client.incr("race:counter"));
          return mine;
        }));
        const all = replies.flat().sort((a, b) => a - b);
        assert.equal(all.length, 10_000);
        // Every INCR saw a distinct value: no two were applied on the same base.
        assert.deepEqual(all, Array.from({ length: 10_000 }, (_, i) => i + 1));
        assert.equal(await clients[0]!.get("race:counter"), "10000");
      } finally {
        for (const client of clients) client.disconnect();
      }
    });

    test("databases are isolated: the db option and SELECT switch between them", async () => {
      const db0 = await connect(server.port);
      const db1 = await connect(server.port, { db: 1 });
      try {
        await db0.set("sel:k", "zero");
        await db1.set("sel:k", "one");
        await db1.set("sel:only1", "x");
        assert.equal(await db0.get("sel:k"), "zero");
        assert.equal(await db1.get("sel:k"), "one");
        assert.equal(await db0.exists("sel:only1"), 0);
        assert.equal(await db0.select(1), "OK");
        assert.equal(await db0.get("sel:k"), "one");
        assert.equal(await db0.select(15), "OK");
        assert.equal(await db0.get("sel:k"), null);
        await assert.rejects(db0.select(16), { message: "ERR DB index is out of range" });
        assert.equal(await db0.get("sel:k"), null, "a failed SELECT keeps the current database");
      } finally {
        db0.disconnect();
        db1.disconnect();
      }
    });

    test("RESP3: HELLO 3 replies a map that ioredis reads as an object", async () => {
      await withClient(server.port, async (client) => {
        const hello = (await client.call("HELLO", "3")) as Record<string, unknown>;
        assert.equal(hello.server, "redis");
        assert.equal(hello.proto, 3);
        assert.equal(typeof hello.id, "number");
        assert.equal(hello.mode, "standalone");
        assert.equal(hello.role, "master");
        assert.deepEqual(hello.modules, []);
        assert.equal(await client.set("r3:k", "v"), "OK");
        assert.equal(await client.get("r3:missing"), null);
        assert.equal(await client.incr("r3:n"), 1);
      }, { protocol: 3, replyMapping: "resp3" });
    });

    test("RESP3 with ioredis's legacy mapping reads replies as in RESP2", async () => {
      await withClient(server.port, async (client) => {
        const hello = (await client.call("HELLO", "3")) as unknown[];
        assert.deepEqual(hello.slice(0, 2), ["server", "redis"]);
        assert.equal(hello[hello.indexOf("proto") + 1], 3);
        assert.deepEqual(await client.mget("r3:none", "r3:none2"), [null, null]);
      }, { protocol: 3 });
    });

    test("CLIENT SETNAME and GETNAME, and the connectionName option", async () => {
      await withClient(server.port, async (client) => {
        assert.equal(await client.client("GETNAME"), "worker-1");
        assert.equal(await client.client("SETNAME", "worker-2"), "OK");
        assert.equal(await client.client("GETNAME"), "worker-2");
        await assert.rejects(client.client("SETNAME", "has space"), {
          message: "ERR Client names cannot contain spaces, newlines or special characters.",
        });
        const list = (await client.client("LIST")) as string;
        assert.match(list, /(^| )name=worker-2 /m);
      }, { connectionName: "worker-1" });
    });

    test("SET accepts expiry times beyond 2^53 milliseconds, as Redis does", async () => {
      await withClient(server.port, async (client) => {
        // Redis takes any expire time that fits in 64 bits once converted to an absolute time in ms.
        assert.equal(await client.set("far:ex", "v", "EX", "9999999999999"), "OK");
        assert.equal(await client.get("far:ex"), "v");
        assert.equal(await client.set("far:pxat", "v", "PXAT", "9007199254740993"), "OK");
        assert.equal(await client.get("far:pxat"), "v");
        await assert.rejects(client.set("far:bad", "v", "EX", "9223372036854776"), { message: "ERR invalid expire time in 'set' command" });
      });
    });

    test("errors reach the client as ReplyErrors with Redis's texts", async () => {
      await withClient(server.port, async (client) => {
        await assert.rejects(client.call("NOSUCHCOMMAND", "a", "b"), {
          name: "ReplyError",
          message: "ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'a' 'b' ",
        });
        await assert.rejects(client.call("GET"), { message: "ERR wrong number of arguments for 'get' command" });
        await assert.rejects(client.call("SET", "k", "v", "BOGUS"), { message: "ERR syntax error" });
        await assert.rejects(client.call("SET", "k", "v", "EX", "0"), { message: "ERR invalid expire time in 'set' command" });
        assert.equal(await client.ping(), "PONG", "the connection still works after errors");
      });
    });
  });
}

describe("ioredis and raw clients against materia serve with MATERIA_PASSWORD=secret", () => {
  let server: ServerProcess;
  before(async () => {
    server = await spawnServer(["--engine", "memory"], { env: { MATERIA_PASSWORD: "secret" } });
  });
  after(async () => {
    await signalServer(server, "SIGTERM");
  });

  test("the ready line says auth is on", () => {
    assert.match(server.output(), /auth password/);
  });

  test("without AUTH every data command gets NOAUTH", async () => {
    const raw = await RawClient.connect(server.port);
    try {
      assert.equal(await raw.call("GET", "k"), "-NOAUTH Authentication required.\r\n");
      assert.equal(await raw.call("SET", "k", "v"), "-NOAUTH Authentication required.\r\n");
      // PING is for health checks, which hold no credentials (a Materia difference from Redis).
      assert.equal(await raw.call("PING"), "+PONG\r\n");
    } finally {
      raw.close();
    }
  });

  test("AUTH with a wrong password is WRONGPASS, AUTH secret and AUTH anyuser secret are OK", async () => {
    const raw = await RawClient.connect(server.port);
    try {
      assert.equal(await raw.call("AUTH", "wrong"), "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
      assert.equal(await raw.call("GET", "k"), "-NOAUTH Authentication required.\r\n");
      assert.equal(await raw.call("AUTH", "secret"), "+OK\r\n");
      assert.equal(await raw.call("SET", "auth:k", "v"), "+OK\r\n");
      assert.equal(await raw.call("GET", "auth:k"), "$1\r\nv\r\n");
    } finally {
      raw.close();
    }
    const other = await RawClient.connect(server.port);
    try {
      assert.equal(await other.call("AUTH", "anyuser", "secret"), "+OK\r\n");
      assert.equal(await other.call("GET", "auth:k"), "$1\r\nv\r\n");
    } finally {
      other.close();
    }
  });

  test("HELLO 3 needs authentication, and HELLO 3 AUTH default secret replies the map", async () => {
    const raw = await RawClient.connect(server.port);
    try {
      assert.match(await raw.call("HELLO", "3"), /^-NOAUTH HELLO must be called with the client already authenticated/);
      assert.equal(await raw.call("HELLO", "3", "AUTH", "default", "nope"), "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
      const hello = await raw.call("HELLO", "3", "AUTH", "default", "secret");
      assert.match(hello, /^%7\r\n\$6\r\nserver\r\n\$5\r\nredis\r\n/);
      assert.match(hello, /\$5\r\nproto\r\n:3\r\n/);
      assert.equal(await raw.call("GET", "hello:none"), "_\r\n");
    } finally {
      raw.close();
    }
  });

  test("ioredis with the password option connects (HELLO 3 AUTH, and AUTH over RESP2)", async () => {
    for (const protocol of [3, 2] as const) {
      await withClient(server.port, async (client) => {
        assert.equal(client.status, "ready");
        assert.equal(await client.set(`auth:io${protocol}`, "yes"), "OK");
        assert.equal(await client.get(`auth:io${protocol}`), "yes");
      }, { password: "secret", protocol });
    }
  });

  test("ioredis with a wrong password fails to connect with WRONGPASS", async () => {
    for (const protocol of [3, 2] as const) {
      const client = new Redis({ host: "127.0.0.1", port: server.port, lazyConnect: true, retryStrategy: () => null, password: "wrong", protocol });
      const errors: string[] = [];
      client.on("error", (error: Error) => errors.push(error.message));
      try {
        await assert.rejects(client.connect());
        assert.ok(
          errors.some((message) => message.startsWith("WRONGPASS invalid username-password pair or user is disabled.")),
          `protocol ${protocol}: errors were ${JSON.stringify(errors)}`,
        );
      } finally {
        client.disconnect();
      }
    }
  });

  test("ioredis without a password gets NOAUTH on its commands", async () => {
    const client = await connect(server.port, { protocol: 2, enableReadyCheck: false });
    try {
      await assert.rejects(client.get("k"), { message: "NOAUTH Authentication required." });
    } finally {
      client.disconnect();
    }
  });
});
