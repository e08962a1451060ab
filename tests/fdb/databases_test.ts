// SWAPDB across two servers sharing one FoundationDB (the test double): the
// tenant's database map is in the engine, each server caches it and checks
// its copy in every transaction, so a server that did not run the SWAPDB
// never reads or writes a database through the old map; a client blocked
// on the other server is re-checked, as Redis re-checks blocked clients.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { waitBlocked } from "../support/blocked_clients.ts";
import { RawClient } from "../support/raw_client.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { fdbSkipReason, openTestFdbEngine } from "./support.ts";

const skip = await fdbSkipReason();
const bulk = (text: string): string => `$${new TextEncoder().encode(text).length}\r\n${text}\r\n`;

describe("SWAPDB across servers sharing FoundationDB", { skip }, () => {
  let one: RunningServer;
  let two: RunningServer;
  const clients: RawClient[] = [];
  before(async () => {
    // Both engines open before any write: opening one clears the double's keyspace.
    const engines = [await openTestFdbEngine(), await openTestFdbEngine()];
    one = await startInProcess({ engine: engines[0] });
    two = await startInProcess({ engine: engines[1] });
  });
  after(async () => {
    for (const client of clients) client.close();
    await one?.stop();
    await two?.stop();
  });
  async function connect(server: RunningServer, db = 0): Promise<RawClient> {
    const client = await RawClient.connect(server.port);
    clients.push(client);
    if (db !== 0) assert.equal(await client.call("SELECT", String(db)), "+OK\r\n");
    return client;
  }

  test("after a SWAPDB through one server, the other reads and writes each database through the new map at once", async () => {
    const a0 = await connect(one);
    const a1 = await connect(one, 1);
    const b0 = await connect(two);
    const b1 = await connect(two, 1);
    await a0.call("FLUSHALL");
    await a0.call("SET", "k", "zero");
    await a1.call("SET", "k", "one");
    await a1.call("SET", "only-in-one", "x");
    // The second server has seen the map as it was.
    assert.equal(await b0.call("GET", "k"), bulk("zero"));
    assert.equal(await b1.call("GET", "k"), bulk("one"));

    assert.equal(await a0.call("SWAPDB", "0", "1"), "+OK\r\n");
    assert.equal(await b0.call("GET", "k"), bulk("one"));
    assert.equal(await b1.call("GET", "k"), bulk("zero"));
    assert.equal(await b0.call("DBSIZE"), ":2\r\n");
    assert.equal(await b1.call("DBSIZE"), ":1\r\n");
    // A write through the second server lands in the database its client selected, as the first server sees it.
    assert.equal(await b0.call("SET", "written-by-two", "v"), "+OK\r\n");
    assert.equal(await a0.call("GET", "written-by-two"), bulk("v"));
    assert.equal(await a1.call("EXISTS", "written-by-two"), ":0\r\n");

    // And back, through the other server.
    assert.equal(await b1.call("SWAPDB", "1", "0"), "+OK\r\n");
    assert.equal(await a0.call("GET", "k"), bulk("zero"));
    assert.equal(await a1.call("GET", "k"), bulk("one"));
    assert.equal(await a1.call("GET", "written-by-two"), bulk("v"));
    assert.equal(await a0.call("INFO", "keyspace"), await b0.call("INFO", "keyspace"));
  });

  test("a client blocked in BLPOP on one server is served when a SWAPDB through the other brings its database a list", async () => {
    const admin = await connect(one, 1);
    await admin.call("FLUSHALL");
    await admin.call("RPUSH", "queue", "swapped-in");
    const waiter = await connect(two);
    const watcher = await connect(two);
    waiter.writeRaw("*3\r\n$5\r\nBLPOP\r\n$5\r\nqueue\r\n$1\r\n0\r\n");
    await waitBlocked(watcher, 1);
    assert.equal(await admin.call("SWAPDB", "0", "1"), "+OK\r\n");
    assert.equal(await waiter.readReply(), `*2\r\n${bulk("queue")}${bulk("swapped-in")}`);
  });
});
