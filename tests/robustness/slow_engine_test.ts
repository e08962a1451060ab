// A slow engine (every transaction delayed, some while holding it open, so
// concurrent writes conflict and retry) makes clients wait, and nothing else:
// replies come back in request order, every answered write is there, a
// client that leaves mid-pipeline loses only unanswered writes, and a client
// pipelining faster than the engine goes is read no faster than it is served
// (its unparsed input stays bounded).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Engine, RunOptions, Txn } from "../../src/engine/contract.ts";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { SeededRandom } from "../../src/engine/seeded_random.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { bulk, PipelinedClient } from "./pipelined_client.ts";

const SEED = (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wraps an engine: each transaction waits up to `maxDelayMs` before it starts, and writes sometimes wait inside the body too. */
class SlowEngine implements Engine {
  readonly name = "slow";
  private readonly random: SeededRandom;
  constructor(private readonly inner: Engine, private readonly maxDelayMs: number, seed: number) {
    this.random = new SeededRandom(seed);
  }

  private delay(): Promise<unknown> {
    return sleep(this.random.int(this.maxDelayMs + 1));
  }

  async read<T>(body: (tx: Txn) => Promise<T>, options?: RunOptions): Promise<T> {
    await this.delay();
    return this.inner.read(body, options);
  }

  async write<T>(body: (tx: Txn) => Promise<T>, options?: RunOptions): Promise<T> {
    await this.delay();
    const slowInside = this.random.next() < 0.3;
    return this.inner.write(async (tx) => {
      if (slowInside) await this.delay();
      return body(tx);
    }, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

describe(`a slow engine (seed ${SEED})`, () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess({ engine: new SlowEngine(new MemoryEngine(), 3, SEED) });
  });
  after(async () => {
    await server.stop();
  });

  test("pipelining clients get every reply in order, and every answered write is there", async () => {
    const COMMANDS = 60;
    const clients = await Promise.all(Array.from({ length: 8 }, () => PipelinedClient.open(server.port)));
    try {
      await Promise.all(clients.map(async (client, c) => {
        const commands: string[][] = [];
        for (let i = 0; i < COMMANDS; i++) {
          commands.push(["INCR", `n:${c}`], ["RPUSH", `l:${c}`, String(i)], ["SET", `k:${c}`, `v${i}`], ["GET", `k:${c}`], ["INCR", "shared"]);
        }
        client.send(commands);
        assert.ok(await client.drain(60_000), `client ${c}: every command answered`);
        for (let i = 0; i < COMMANDS; i++) {
          const [incr, rpush, set, get, shared] = client.replies.slice(5 * i, 5 * i + 5);
          assert.equal(incr, `:${i + 1}\r\n`, `client ${c}, command ${5 * i}: INCR in order`);
          assert.equal(rpush, `:${i + 1}\r\n`);
          assert.equal(set, "+OK\r\n");
          assert.equal(get, bulk(`v${i}`), "GET sees the SET before it");
          assert.match(shared!, /^:\d+\r\n$/);
        }
      }));
      const reader = clients[0]!;
      assert.equal(await reader.call("GET", "shared"), bulk(String(8 * COMMANDS)));
      for (let c = 0; c < clients.length; c++) {
        assert.equal(await reader.call("LLEN", `l:${c}`), `:${COMMANDS}\r\n`);
        assert.equal(await reader.call("GET", `n:${c}`), bulk(String(COMMANDS)));
      }
    } finally {
      for (const client of clients) client.destroy();
    }
  });

  test("a client that leaves mid-pipeline keeps every answered write and no write it did not send", async () => {
    const leaver = await PipelinedClient.open(server.port);
    leaver.send(Array.from({ length: 2_000 }, (_, i) => ["RPUSH", "leaver", String(i)]));
    while (leaver.replies.length < 50) await leaver.progress(1_000);
    leaver.destroy();
    const answered = leaver.replies.length;
    const reader = await PipelinedClient.open(server.port);
    try {
      // Commands already read may still finish after the disconnect; wait until the list stops growing.
      let length = -1;
      for (let previous = -2; length !== previous; await sleep(100)) {
        previous = length;
        length = Number(/^:(\d+)\r\n$/.exec(await reader.call("LLEN", "leaver"))![1]);
      }
      assert.ok(length >= answered && length <= 2_000, `${length} elements, ${answered} pushes answered`);
      const elements = await reader.call("LRANGE", "leaver", "0", "-1");
      const expected = Array.from({ length }, (_, i) => bulk(String(i))).join("");
      assert.equal(elements, `*${length}\r\n${expected}`, "the pushes applied are a prefix of those sent, in order");
    } finally {
      reader.destroy();
    }
  });

  test("a client pipelining faster than the engine goes is read no faster than it is served", async () => {
    const writer = await PipelinedClient.open(server.port);
    const watcher = await PipelinedClient.open(server.port);
    try {
      await writer.call("CLIENT", "SETNAME", "flood");
      const value = "x".repeat(20 * 1024);
      const COUNT = 600;
      writer.send(Array.from({ length: COUNT }, (_, i) => ["SET", `flood:${i}`, value]));
      let maxQueued = 0;
      while (writer.inFlight > 0 && !writer.isClosed) {
        const list = await watcher.call("CLIENT", "LIST");
        const qbuf = /name=flood .*? qbuf=(\d+) /.exec(list);
        if (qbuf) maxQueued = Math.max(maxQueued, Number(qbuf[1]));
        await sleep(20);
      }
      assert.ok(await writer.drain(30_000), "every SET answered");
      assert.ok(writer.replies.slice(1).every((r) => r === "+OK\r\n"), "in order, all OK");
      // 12 MiB were sent at once; the server holds about 1 MiB of them at a time (plus one read).
      assert.ok(maxQueued > 0, "the watcher saw the queue");
      assert.ok(maxQueued < 2 * 1024 * 1024, `the server buffered ${maxQueued} bytes of unparsed input`);
      assert.equal(await watcher.call("EXISTS", `flood:0`, `flood:${COUNT - 1}`), ":2\r\n");
    } finally {
      writer.destroy();
      watcher.destroy();
    }
  });
});
