// Streams across two servers on the FoundationDB engine (the test double):
// an XADD through server A wakes an XREAD BLOCK waiting on server B through
// the watch its blocked run set on the stream's meta key (every stream write
// rewrites the meta), and producers on both servers never lose or duplicate
// an entry.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { RawClient } from "../support/raw_client.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { fdbSkipReason, openTestFdbEngine } from "./support.ts";

const skip = await fdbSkipReason();

const bulk = (text: string): string => `$${text.length}\r\n${text}\r\n`;
const entry = (id: string, field: string, value: string): string => `*2\r\n${bulk(id)}*2\r\n${bulk(field)}${bulk(value)}`;

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
});
