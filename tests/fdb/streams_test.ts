// Streams across two servers on the FoundationDB engine (the test double):
// an XADD through server A wakes an XREAD BLOCK or an XREADGROUP BLOCK
// waiting on server B through the watch its blocked run set on the stream's
// meta key (every stream write rewrites the meta), producers on both servers
// never lose or duplicate an entry, and consumers of one group blocked on
// both servers share its entries: each delivered once, to one of them.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { RawClient } from "../support/raw_client.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { fdbSkipReason, openTestFdbEngine } from "./support.ts";

const skip = await fdbSkipReason();

const bulk = (text: string): string => `$${text.length}\r\n${text}\r\n`;
const entry = (id: string, field: string, value: string): string => `*2\r\n${bulk(id)}*2\r\n${bulk(field)}${bulk(value)}`;
const command = (...argv: string[]): string => `*${argv.length}\r\n${argv.map(bulk).join("")}`;

/** Waits until the server on `port` has at least `count` blocked clients. */
async function blockedClients(port: number, count: number): Promise<void> {
  const watcher = await RawClient.connect(port);
  try {
    const deadline = Date.now() + 3_000;
    while (Number(/blocked_clients:(\d+)/.exec(await watcher.call("INFO", "clients"))?.[1]) < count) {
      assert.ok(Date.now() < deadline, `server on port ${port} never had ${count} blocked clients`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    watcher.close();
  }
}

/** The entry ids of an XREADGROUP reply over one stream (RESP2), in order. */
const idsIn = (reply: string): string[] => [...reply.matchAll(/\*2\r\n\$\d+\r\n(\d+-\d+)\r\n\*/g)].map((m) => m[1]!);

describe("streams across two servers on the fdb engine", { skip }, () => {
  const servers: RunningServer[] = [];
  const clients: RawClient[] = [];
  after(async () => {
    for (const client of clients) client.close();
    for (const server of servers) await server.stop();
  });
  async function twoServers(): Promise<[RawClient, RawClient]> {
    for (let i = 0; i < 2; i++) servers.push(await startInProcess({ engine: await openTestFdbEngine() }));
    const pair = [await RawClient.connect(servers.at(-2)!.port), await RawClient.connect(servers.at(-1)!.port)] as [RawClient, RawClient];
    clients.push(...pair);
    return pair;
  }

  test("an XADD through server A answers an XREAD BLOCK $ waiting on server B", async () => {
    const [onA, onB] = await twoServers();
    assert.equal(await onA.call("DEL", "cross"), ":0\r\n");
    assert.equal(await onA.call("XADD", "cross", "1-1", "old", "x"), bulk("1-1"));
    onB.writeRaw("*6\r\n$5\r\nXREAD\r\n$5\r\nBLOCK\r\n$4\r\n5000\r\n$7\r\nSTREAMS\r\n$5\r\ncross\r\n$1\r\n$\r\n");
    // Until B's reader is blocked, its first run could read A's XADD instead: both are right, but only one tests the watch.
    const watcher = await RawClient.connect(servers.at(-1)!.port);
    clients.push(watcher);
    const deadline = Date.now() + 3_000;
    while (!(await watcher.call("INFO", "clients")).includes("blocked_clients:1\r\n")) {
      assert.ok(Date.now() < deadline, "the reader on server B never blocked");
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.equal(await onA.call("XADD", "cross", "2-1", "new", "y"), bulk("2-1"));
    assert.equal(await onB.readReply(4_000), `*1\r\n*2\r\n${bulk("cross")}*1\r\n${entry("2-1", "new", "y")}`);
  });

  test("producers on both servers: every XADD lands once, in id order, and XLEN counts them", async () => {
    const [onA, onB] = await twoServers();
    await onA.call("DEL", "shared");
    const n = 40;
    const added = await Promise.all(Array.from({ length: n }, (_, i) => (i % 2 === 0 ? onA : onB).call("XADD", "shared", "*", "n", String(i))));
    for (const reply of added) assert.match(reply, /^\$\d+\r\n\d+-\d+\r\n$/);
    assert.equal(await onB.call("XLEN", "shared"), `:${n}\r\n`);
    const ids = added.map((reply) => reply.split("\r\n")[1]!);
    assert.equal(new Set(ids).size, n, "no id given twice");
    const range = await onA.call("XRANGE", "shared", "-", "+");
    const order = [...range.matchAll(/\$\d+\r\n(\d+-\d+)\r\n\*2/g)].map((m) => m[1]!);
    const sorted = [...ids].sort((x, y) => {
      const [xm, xs] = x.split("-").map(BigInt) as [bigint, bigint];
      const [ym, ys] = y.split("-").map(BigInt) as [bigint, bigint];
      return xm !== ym ? (xm < ym ? -1 : 1) : xs < ys ? -1 : xs > ys ? 1 : 0;
    });
    assert.deepEqual(order, sorted);
  });

  test("an XADD through server A answers an XREADGROUP BLOCK > waiting on server B, and the entry is pending for B's consumer", async () => {
    const [onA, onB] = await twoServers();
    assert.equal(await onA.call("XGROUP", "CREATE", "jobs", "workers", "$", "MKSTREAM"), "+OK\r\n");
    onB.writeRaw(command("XREADGROUP", "GROUP", "workers", "on-b", "BLOCK", "5000", "STREAMS", "jobs", ">"));
    // Until B's consumer is blocked, its first run could read A's XADD instead: both are right, but only one tests the watch.
    await blockedClients(servers.at(-1)!.port, 1);
    assert.equal(await onA.call("XADD", "jobs", "5-1", "job", "one"), bulk("5-1"));
    assert.equal(await onB.readReply(4_000), `*1\r\n*2\r\n${bulk("jobs")}*1\r\n${entry("5-1", "job", "one")}`);
    assert.equal(await onA.call("XPENDING", "jobs", "workers"), `*4\r\n:1\r\n${bulk("5-1")}${bulk("5-1")}*1\r\n*2\r\n${bulk("on-b")}${bulk("1")}`);
    // Delivered through > once: the group's last-delivered id moved past it on both servers.
    assert.equal(await onA.call("XREADGROUP", "GROUP", "workers", "on-a", "STREAMS", "jobs", ">"), "*-1\r\n");
  });

  test("two consumers of one group blocked on servers A and B get distinct entries", async () => {
    const [onA, onB] = await twoServers();
    assert.equal(await onA.call("XGROUP", "CREATE", "tasks", "workers", "$", "MKSTREAM"), "+OK\r\n");
    onA.writeRaw(command("XREADGROUP", "GROUP", "workers", "on-a", "COUNT", "1", "BLOCK", "5000", "STREAMS", "tasks", ">"));
    onB.writeRaw(command("XREADGROUP", "GROUP", "workers", "on-b", "COUNT", "1", "BLOCK", "5000", "STREAMS", "tasks", ">"));
    await blockedClients(servers.at(-2)!.port, 1);
    await blockedClients(servers.at(-1)!.port, 1);
    const producer = await RawClient.connect(servers.at(-2)!.port);
    clients.push(producer);
    assert.equal(await producer.call("XADD", "tasks", "1-1", "task", "first"), bulk("1-1"));
    assert.equal(await producer.call("XADD", "tasks", "1-2", "task", "second"), bulk("1-2"));
    const [gotA, gotB] = [idsIn(await onA.readReply(4_000)), idsIn(await onB.readReply(4_000))];
    assert.equal(gotA.length, 1, "COUNT 1: one entry for A's consumer");
    assert.equal(gotB.length, 1, "COUNT 1: one entry for B's consumer");
    assert.deepEqual([...gotA, ...gotB].sort(), ["1-1", "1-2"], "each entry delivered to exactly one of them");
    const pending = await onB.call("XPENDING", "tasks", "workers", "-", "+", "10");
    assert.deepEqual([...pending.matchAll(/\$\d+\r\n(\d+-\d+)\r\n\$\d+\r\n(on-[ab])\r\n:\d+\r\n:1\r\n/g)].map((m) => `${m[1]}=${m[2]}`), [
      `1-1=${gotA[0] === "1-1" ? "on-a" : "on-b"}`,
      `1-2=${gotA[0] === "1-2" ? "on-a" : "on-b"}`,
    ]);
  });

  test("consumers of one group looping on both servers, producers on both: every entry delivered once", async () => {
    const [onA, onB] = await twoServers();
    const ports = [servers.at(-2)!.port, servers.at(-1)!.port];
    assert.equal(await onA.call("XGROUP", "CREATE", "feed", "readers", "$", "MKSTREAM"), "+OK\r\n");
    const n = 24;
    const delivered = new Map<string, string>();
    let done = false;
    const consumer = async (name: string, port: number): Promise<void> => {
      const client = await RawClient.connect(port);
      clients.push(client);
      while (!done) {
        // A short BLOCK, so that the loop ends soon after the last entry is taken.
        const reply = await client.call("XREADGROUP", "GROUP", "readers", name, "COUNT", "2", "BLOCK", "300", "STREAMS", "feed", ">");
        for (const id of idsIn(reply)) {
          assert.ok(!delivered.has(id), `${id} delivered to ${delivered.get(id)} and again to ${name}`);
          delivered.set(id, name);
        }
        if (delivered.size === n) done = true;
      }
    };
    const consuming = ["a1", "a2", "a3", "b1", "b2", "b3"].map((name, i) => consumer(name, ports[i < 3 ? 0 : 1]!));
    await blockedClients(ports[0]!, 3);
    await blockedClients(ports[1]!, 3);
    const added: string[] = [];
    for (let i = 0; i < n; i++) {
      const reply = await (i % 2 === 0 ? onA : onB).call("XADD", "feed", "*", "n", String(i));
      added.push(reply.split("\r\n")[1]!);
    }
    const deadline = Date.now() + 10_000;
    while (!done && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    done = true;
    await Promise.all(consuming);
    assert.deepEqual([...delivered.keys()].sort(), [...added].sort(), "every entry delivered, once");
    assert.match(await onA.call("XPENDING", "feed", "readers"), new RegExp(`^\\*4\\r\\n:${n}\\r\\n`));
    console.log(`cross-server consumers: ${[...new Set(delivered.values())].length} of 6 consumers served ${n} entries`);
  });
});
