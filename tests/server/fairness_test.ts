// Fairness between tenants (issue 13), over real sockets to an in-process
// server, on the memory and SQLite engines: a long read (LRANGE, KEYS...) lets
// another client's commands through while it runs, its reply is still one
// snapshot, byte for byte what an unpaged reply would be, and a big FLUSHALL
// on SQLite is atomic for clients while its rows are deleted in the
// background. Ordering is what the tests check, never tight timings.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import type { Engine } from "../../src/engine/contract.ts";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { SqliteEngine } from "../../src/engine/sqlite/engine.ts";
import { ReplyWriter } from "../../src/resp/writer.ts";
import type { Reply } from "../../src/resp/reply.ts";
import { encodeCommand, RawClient } from "../support/raw_client.ts";
import { ReplyCounter } from "../support/reply_counter.ts";
import { runtimeOpenSqlite } from "../support/runtime.ts";
import { type RunningServer, startInProcess } from "../support/servers.ts";
import { TempDirs } from "../support/processes.ts";
import { concatBytes } from "../../src/engine/bytes.ts";

const dirs = new TempDirs();
after(() => dirs.removeAll());

const LIST_ITEMS = 200_000;
const KEY_COUNT = 60_000;
const BATCH = 1_000;
const REPLY_TIMEOUT_MS = 60_000;

/** A connection that keeps every byte it receives and counts whole replies, cheaply even for big ones. */
class Recorder {
  private readonly chunks: Uint8Array[] = [];
  private readonly counter = new ReplyCounter();
  private waiters: (() => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on("data", (chunk: Uint8Array) => {
      this.chunks.push(new Uint8Array(chunk));
      this.counter.feed(chunk);
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    });
  }

  static open(port: number): Promise<Recorder> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: "127.0.0.1" }, () => resolve(new Recorder(socket)));
      socket.once("error", reject);
    });
  }

  send(...commands: (readonly string[])[]): void {
    for (const argv of commands) this.socket.write(encodeCommand(argv));
  }

  /** Resolves once `count` replies in all have arrived. */
  async replies(count: number): Promise<void> {
    const deadline = Date.now() + REPLY_TIMEOUT_MS;
    while (this.counter.replies < count) {
      if (Date.now() > deadline) throw new Error(`only ${this.counter.replies} of ${count} replies within ${REPLY_TIMEOUT_MS} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1_000);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  get repliesSoFar(): number {
    return this.counter.replies;
  }

  /** Everything received, in one buffer. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The RESP2 bytes of `reply`, encoded whole. */
function encoded(reply: Reply): Uint8Array {
  const writer = new ReplyWriter();
  writer.write(reply, 2);
  return writer.take();
}

const text = (n: number) => new TextEncoder().encode(String(n));

/** Sends `commands` pipelined in windows and checks none failed. */
async function fill(client: RawClient, commands: Iterable<string[]>): Promise<void> {
  let window: string[][] = [];
  const drain = async () => {
    for (const argv of window) client.writeRaw(encodeCommand(argv));
    for (let i = 0; i < window.length; i++) {
      const reply = await client.readReply(REPLY_TIMEOUT_MS);
      assert.ok(!reply.startsWith("-"), reply);
    }
    window = [];
  };
  for (const argv of commands) {
    window.push(argv);
    if (window.length === 20) await drain();
  }
  await drain();
}

function* pushes(): Generator<string[]> {
  for (let from = 0; from < LIST_ITEMS; from += BATCH) {
    yield ["RPUSH", "list", ...Array.from({ length: BATCH }, (_, i) => String(from + i))];
  }
}

function* keySets(): Generator<string[]> {
  for (let from = 0; from < KEY_COUNT; from += BATCH) {
    yield ["MSET", ...Array.from({ length: BATCH }, (_, i) => [`key:${from + i}`, "v"]).flat()];
  }
}

const ENGINES: ReadonlyArray<{ name: string; open(): Promise<Engine> }> = [
  { name: "memory", open: () => Promise.resolve(new MemoryEngine()) },
  { name: "sqlite", open: async () => SqliteEngine.open(dirs.make("fairness"), { openDriver: await runtimeOpenSqlite() }) },
];

for (const engine of ENGINES) {
  describe(`fairness on the ${engine.name} engine`, { timeout: 120_000 }, () => {
    let server: RunningServer;
    let filler: RawClient;
    const listItems = Array.from({ length: LIST_ITEMS }, (_, i) => text(i));

    before(async () => {
      server = await startInProcess({ engine: await engine.open() });
      filler = await RawClient.connect(server.port);
      await fill(filler, pushes());
      await fill(filler, keySets());
    });
    after(async () => {
      filler.close();
      await server.stop();
    });

    test("another client's PING is answered while a long LRANGE runs, and the LRANGE reply is the whole list, byte for byte", async () => {
      const heavy = await Recorder.open(server.port);
      const bystander = await Recorder.open(server.port);
      try {
        heavy.send(["LRANGE", "list", "0", "-1"]);
        // Sent after the LRANGE: before paging, its PONG came only after the whole reply.
        await new Promise((r) => setTimeout(r, 5));
        bystander.send(["PING"]);
        await bystander.replies(1);
        const heavyDoneBeforePong = heavy.repliesSoFar;
        await heavy.replies(1);
        assert.equal(heavyDoneBeforePong, 0, "the PONG came only after the whole LRANGE reply");
        assert.deepEqual(heavy.bytes(), encoded(listItems));
      } finally {
        heavy.close();
        bystander.close();
      }
    });

    test("writes that land while a long LRANGE runs are not in its reply (one snapshot), and they do not wait for it", async () => {
      const heavy = await Recorder.open(server.port);
      const writer = await Recorder.open(server.port);
      try {
        heavy.send(["LRANGE", "list", "0", "-1"]);
        await new Promise((r) => setTimeout(r, 5));
        writer.send(["LSET", "list", "0", "changed"], ["RPUSH", "list", "extra"], ["LSET", "list", "0", "0"], ["RPOP", "list"]);
        await writer.replies(4);
        const heavyDoneBeforeWrites = heavy.repliesSoFar;
        await heavy.replies(1);
        assert.equal(heavyDoneBeforeWrites, 0, "the writes waited for the whole LRANGE");
        assert.deepEqual(heavy.bytes(), encoded(listItems));
      } finally {
        heavy.close();
        writer.close();
      }
    });

    test("KEYS over many keys lets another client in and replies every key once, as an unpaged read would", async () => {
      const heavy = await Recorder.open(server.port);
      const bystander = await Recorder.open(server.port);
      try {
        heavy.send(["KEYS", "key:*"]);
        await new Promise((r) => setTimeout(r, 5));
        bystander.send(["PING"]);
        await bystander.replies(1);
        const heavyDoneBeforePong = heavy.repliesSoFar;
        await heavy.replies(1);
        assert.equal(heavyDoneBeforePong, 0, "the PONG came only after the whole KEYS reply");
        const expected = Array.from({ length: KEY_COUNT }, (_, i) => `key:${i}`).sort().map((k) => new TextEncoder().encode(k));
        assert.deepEqual(heavy.bytes(), encoded(expected));
      } finally {
        heavy.close();
        bystander.close();
      }
    });

    test("a pipeline of long reads is answered in order, each reply whole", async () => {
      const heavy = await Recorder.open(server.port);
      try {
        heavy.send(["LRANGE", "list", "0", "9"], ["LRANGE", "list", "0", "-1"], ["PING"], ["LRANGE", "list", "-2", "-1"]);
        await heavy.replies(4);
        const expected = [
          encoded(listItems.slice(0, 10)),
          encoded(listItems),
          new TextEncoder().encode("+PONG\r\n"),
          encoded(listItems.slice(-2)),
        ];
        assert.deepEqual(heavy.bytes(), concatBytes(...expected));
      } finally {
        heavy.close();
      }
    });

    test("FLUSHALL of many keys: everything is gone at once for every client, DBSIZE is 0, new writes stay", async () => {
      const client = await RawClient.connect(server.port);
      try {
        assert.equal(await client.call("FLUSHALL"), "+OK\r\n");
        assert.equal(await client.call("DBSIZE"), ":0\r\n");
        assert.equal(await client.call("KEYS", "*"), "*0\r\n");
        assert.equal(await client.call("LLEN", "list"), ":0\r\n");
        assert.equal(await client.call("SET", "after", "flush"), "+OK\r\n");
        await waitForCleanup(server);
        assert.equal(await client.call("DBSIZE"), ":1\r\n");
        assert.equal(await client.call("GET", "after"), "$5\r\nflush\r\n");
        assert.equal(await client.call("KEYS", "*"), "*1\r\n$5\r\nafter\r\n");
      } finally {
        client.close();
      }
    });
  });
}


/** Waits until the SQLite engine has no clear pending in the background (at once on other engines). */
async function waitForCleanup(server: RunningServer): Promise<void> {
  const engine = server.server.engine;
  if (!(engine instanceof SqliteEngine)) return;
  const deadline = Date.now() + REPLY_TIMEOUT_MS;
  while (engine.stats.pendingClears > 0) {
    assert.ok(Date.now() < deadline, "the background clear never finished");
    await new Promise((r) => setTimeout(r, 10));
  }
}
