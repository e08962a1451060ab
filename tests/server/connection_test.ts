// One connection's contract, over a real socket to an in-process server:
// pipelined commands answered in order and each in the protocol in effect
// when it ran, QUIT and protocol errors closing after earlier replies,
// maxclients, and the limits on unauthenticated peers (CLIENT LIST and CLIENT
// INFO: tests/commands/connection_test.ts). Byte-exact, with the raw RESP client.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { staticPassword } from "../../src/auth/static_password.ts";
import type { Engine } from "../../src/engine/contract.ts";
import { SqliteEngine } from "../../src/engine/sqlite/engine.ts";
import { encodeCommand, RawClient } from "../support/raw_client.ts";
import { runtimeOpenSqlite } from "../support/runtime.ts";
import { defaultTestEngine, defaultTestEngineName, startInProcess, type RunningServer } from "../support/servers.ts";
import { TempDirs } from "../support/processes.ts";

const dirs = new TempDirs();
after(() => dirs.removeAll());

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Sends every command in one write, then reads one reply per command. */
async function pipeline(client: RawClient, commands: ReadonlyArray<ReadonlyArray<string>>): Promise<string[]> {
  client.writeRaw(concat(commands.map((argv) => encodeCommand(argv))));
  const replies: string[] = [];
  for (let i = 0; i < commands.length; i++) replies.push(await client.readReply());
  return replies;
}

async function withClient<T>(port: number, body: (client: RawClient) => Promise<T>): Promise<T> {
  const client = await RawClient.connect(port);
  try {
    return await body(client);
  } finally {
    client.close();
  }
}

const bulk = (text: string) => `$${text.length}\r\n${text}\r\n`;

const ENGINES: ReadonlyArray<{ name: string; open(): Promise<Engine> }> = [
  { name: `${defaultTestEngineName} engine`, open: defaultTestEngine },
  {
    name: "sqlite engine (group commit)",
    async open() {
      return SqliteEngine.open(dirs.make("connection"), { openDriver: await runtimeOpenSqlite() });
    },
  },
];

for (const engine of ENGINES) {
  describe(`pipelining on the ${engine.name}`, () => {
    let server: RunningServer;
    before(async () => {
      server = await startInProcess({ engine: await engine.open() });
    });
    after(async () => {
      await server.stop();
    });

    test("engine and connection commands mixed in one pipeline are answered in order, each in the protocol in effect", async () => {
      await withClient(server.port, async (client) => {
        const replies = await pipeline(client, [
          ["SET", "k", "v"],
          ["SELECT", "1"],
          ["GET", "k"],
          ["SET", "k", "one"],
          ["SELECT", "0"],
          ["GET", "k"],
          ["INCR", "n"],
          ["HELLO", "3"],
          ["GET", "missing"],
          ["MGET", "k", "missing"],
          ["GET", "k"],
          ["SELECT", "1"],
          ["GET", "k"],
          ["HELLO", "2"],
          ["GET", "missing"],
          ["MGET", "k", "missing"],
          ["SELECT", "0"],
          ["APPEND", "k", "w"],
          ["HELLO", "3"],
          ["GET", "k"],
          ["CLIENT", "GETNAME"],
          ["HELLO", "2"],
          ["CLIENT", "GETNAME"],
          ["PING"],
        ]);
        const hello3 = replies[7]!;
        const hello2 = replies[13]!;
        assert.match(hello3, /^%7\r\n\$6\r\nserver\r\n\$5\r\nredis\r\n/, "HELLO 3 answers in RESP3 already");
        assert.match(hello3, /\$5\r\nproto\r\n:3\r\n/);
        assert.match(hello2, /^\*14\r\n\$6\r\nserver\r\n/, "HELLO 2 answers in RESP2 already");
        assert.match(hello2, /\$5\r\nproto\r\n:2\r\n/);
        assert.equal(replies[18]!.slice(0, 4), "%7\r\n");
        assert.equal(replies[21]!.slice(0, 5), "*14\r\n");
        assert.deepEqual(
          replies.filter((_, i) => ![7, 13, 18, 21].includes(i)),
          [
            "+OK\r\n", // SET k v
            "+OK\r\n", // SELECT 1
            "$-1\r\n", // GET k in db 1: RESP2 null
            "+OK\r\n", // SET k one (db 1)
            "+OK\r\n", // SELECT 0
            bulk("v"), // GET k in db 0
            ":1\r\n", // INCR n
            "_\r\n", // GET missing: RESP3 null
            `*2\r\n${bulk("v")}_\r\n`, // MGET in RESP3
            bulk("v"),
            "+OK\r\n", // SELECT 1
            bulk("one"),
            "$-1\r\n", // GET missing: RESP2 null again
            `*2\r\n${bulk("one")}$-1\r\n`, // MGET in RESP2
            "+OK\r\n", // SELECT 0
            ":2\r\n", // APPEND k w
            bulk("vw"), // GET k, RESP3
            "_\r\n", // CLIENT GETNAME: RESP3 null
            "$-1\r\n", // CLIENT GETNAME: RESP2 null
            "+PONG\r\n",
          ],
        );
      });
    });

    test("a long pipeline of writes and reads comes back in order", async () => {
      await withClient(server.port, async (client) => {
        const commands: string[][] = [];
        for (let i = 0; i < 500; i++) commands.push(["SET", `p:${i}`, String(i)], ["GET", `p:${i}`], ["INCR", "p:n"]);
        const replies = await pipeline(client, commands);
        for (let i = 0; i < 500; i++) {
          assert.equal(replies[3 * i], "+OK\r\n");
          assert.equal(replies[3 * i + 1], bulk(String(i)));
          assert.equal(replies[3 * i + 2], `:${i + 1}\r\n`);
        }
      });
    });

    test("two pipelining clients each get their own replies in their own order", async () => {
      const [a, b] = await Promise.all([RawClient.connect(server.port), RawClient.connect(server.port)]);
      try {
        const commandsOf = (who: string) => Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? ["SET", `${who}:${i}`, `${who}${i}`] : ["GET", `${who}:${i - 1}`]));
        const [ra, rb] = await Promise.all([pipeline(a, commandsOf("a")), pipeline(b, commandsOf("b"))]);
        for (let i = 1; i < 300; i += 2) {
          assert.equal(ra[i], bulk(`a${i - 1}`));
          assert.equal(rb[i], bulk(`b${i - 1}`));
        }
      } finally {
        a.close();
        b.close();
      }
    });

    test("QUIT answers +OK after every earlier reply, then the server closes; later commands get no reply", async () => {
      await withClient(server.port, async (client) => {
        client.writeRaw(concat([
          encodeCommand(["SET", "q", "1"]),
          encodeCommand(["INCR", "q"]),
          encodeCommand(["GET", "q"]),
          encodeCommand(["QUIT"]),
          encodeCommand(["SET", "q", "after-quit"]),
        ]));
        assert.equal(await client.readReply(), "+OK\r\n");
        assert.equal(await client.readReply(), ":2\r\n");
        assert.equal(await client.readReply(), bulk("2"));
        assert.equal(await client.readReply(), "+OK\r\n");
        assert.ok(await client.closedByServer(), "closed after QUIT");
        await assert.rejects(client.readReply(500), /connection closed; unread bytes: ""/);
      });
      await withClient(server.port, async (client) => {
        assert.equal(await client.call("GET", "q"), bulk("2"), "the command after QUIT did not run");
      });
    });
  });
}

describe("connection behaviour on an in-process server", () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess();
  });
  after(async () => {
    await server.stop();
  });

  const protocolErrors: Array<{ name: string; input: string; error: string }> = [
    { name: "a non-numeric bulk length", input: "*1\r\n$x\r\n", error: "-ERR Protocol error: invalid bulk length\r\n" },
    { name: "a negative bulk length", input: "*1\r\n$-3\r\n", error: "-ERR Protocol error: invalid bulk length\r\n" },
    { name: "a non-numeric multibulk length", input: "*abc\r\n", error: "-ERR Protocol error: invalid multibulk length\r\n" },
    { name: "a multibulk length above 1024*1024", input: "*1048577\r\n", error: "-ERR Protocol error: invalid multibulk length\r\n" },
    { name: "an argument that is not a bulk string", input: "*1\r\n+PING\r\n", error: "-ERR Protocol error: expected '$', got '+'\r\n" },
    { name: "unbalanced quotes in an inline command", input: 'SET "k v\r\n', error: "-ERR Protocol error: unbalanced quotes in request\r\n" },
  ];
  for (const c of protocolErrors) {
    test(`${c.name}: earlier replies, then the exact protocol error, then the connection closes`, async () => {
      await withClient(server.port, async (client) => {
        client.writeRaw(concat([encodeCommand(["SET", "pe", "1"]), encodeCommand(["GET", "pe"]), new TextEncoder().encode(c.input + "PING\r\n")]));
        assert.equal(await client.readReply(), "+OK\r\n");
        assert.equal(await client.readReply(), bulk("1"));
        assert.equal(await client.readReply(), c.error);
        assert.ok(await client.closedByServer(), "the server closes the connection");
        await assert.rejects(client.readReply(500), /connection closed; unread bytes: ""/, "nothing after the error");
      });
    });
  }

  test("a command split across TCP segments is answered once it is whole", async () => {
    await withClient(server.port, async (client) => {
      client.writeRaw("*2\r\n$4\r\nEC");
      await new Promise((r) => setTimeout(r, 30));
      client.writeRaw("HO\r\n$5\r\nhel");
      await new Promise((r) => setTimeout(r, 30));
      client.writeRaw("lo\r\n");
      assert.equal(await client.readReply(), bulk("hello"));
    });
  });

  test("a client that disconnects with thousands of commands in flight leaves the server serving others", async () => {
    const leaver = await RawClient.connect(server.port);
    leaver.writeRaw(concat(Array.from({ length: 5_000 }, () => encodeCommand(["INCR", "leaver:n"]))));
    leaver.close();
    await withClient(server.port, async (client) => {
      assert.equal(await client.call("PING"), "+PONG\r\n");
      const counter = /^\$\d+\r\n(\d+)\r\n$|^\$-1\r\n$/.exec(await client.call("GET", "leaver:n"));
      assert.ok(counter, "the counter is a number or absent");
      assert.ok(Number(counter[1] ?? 0) <= 5_000);
    });
  });


});

describe("maxclients", () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess({ maxClients: 2 });
  });
  after(async () => {
    await server.stop();
  });

  test("the third client is refused with Redis's error and closed; a freed slot admits a new client", async () => {
    const first = await RawClient.connect(server.port);
    const second = await RawClient.connect(server.port);
    try {
      assert.equal(await first.call("PING"), "+PONG\r\n");
      assert.equal(await second.call("PING"), "+PONG\r\n");
      const third = await RawClient.connect(server.port);
      try {
        assert.equal(await third.readReply(), "-ERR max number of clients reached\r\n");
        assert.ok(await third.closedByServer());
      } finally {
        third.close();
      }
      assert.equal(await first.call("PING"), "+PONG\r\n", "the admitted clients carry on");

      second.close();
      const deadline = Date.now() + 2_000;
      let admitted = false;
      while (!admitted && Date.now() < deadline) {
        const next = await RawClient.connect(server.port);
        try {
          admitted = (await next.call("PING")) === "+PONG\r\n";
        } catch {
          // Refused while the server has not yet seen the close.
        } finally {
          next.close();
        }
      }
      assert.ok(admitted, "a client is admitted once one has left");
    } finally {
      first.close();
      second.close();
    }
  });
});

describe("unauthenticated clients (password auth)", () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess({ auth: staticPassword("pw") });
  });
  after(async () => {
    await server.stop();
  });

  test("a 10-element command gets NOAUTH, an 11-element one the protocol error and the connection closes", async () => {
    await withClient(server.port, async (client) => {
      const ten = ["MSET", "a", "1", "b", "2", "c", "3", "d", "4", "e"];
      assert.equal(await client.call(...ten), "-NOAUTH Authentication required.\r\n");
      client.writeRaw(encodeCommand([...ten, "5"]));
      assert.equal(await client.readReply(), "-ERR Protocol error: unauthenticated multibulk length\r\n");
      assert.ok(await client.closedByServer(), "the server closes the connection");
    });
  });

  test("a bulk longer than 16 KiB before AUTH gets the protocol error and the connection closes", async () => {
    await withClient(server.port, async (client) => {
      client.writeRaw(encodeCommand(["AUTH", "x".repeat(16 * 1024 + 1)]));
      assert.equal(await client.readReply(), "-ERR Protocol error: unauthenticated bulk length\r\n");
      assert.ok(await client.closedByServer());
    });
  });

  test("after AUTH the limits are lifted, even for a command pipelined right behind AUTH", async () => {
    await withClient(server.port, async (client) => {
      const big = ["MSET", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5", "f", "6"];
      const replies = await pipeline(client, [["AUTH", "pw"], big, ["SET", "long", "y".repeat(20_000)], ["STRLEN", "long"]]);
      assert.deepEqual(replies, ["+OK\r\n", "+OK\r\n", "+OK\r\n", ":20000\r\n"]);
    });
  });

  test("a wrong AUTH keeps the limits", async () => {
    await withClient(server.port, async (client) => {
      assert.equal(await client.call("AUTH", "nope"), "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
      client.writeRaw(encodeCommand(["MSET", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5"]));
      assert.equal(await client.readReply(), "-ERR Protocol error: unauthenticated multibulk length\r\n");
      assert.ok(await client.closedByServer());
    });
  });
});
