// Pub/sub, keyspace notifications and blocking pops across two Materia servers sharing one
// FoundationDB cluster (two engines over the C double in one process: every
// database handle sees the same data). Messages cross servers through the
// engine's event log (core/pubsub/message_bus.ts, engine/fdb/event_log.ts):
// a subscriber on either server hears what is published through the other,
// and every subscriber sees one order.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FdbEngine } from "../../src/engine/fdb/engine.ts";
import { encodeCommand, RawClient } from "../support/raw_client.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { fdbSkipReason, openTestFdbEngine } from "./support.ts";

const skip = await fdbSkipReason();
const bulk = (text: string): string => `$${text.length}\r\n${text}\r\n`;
const message = (channel: string, payload: string): string => `*3\r\n$7\r\nmessage\r\n${bulk(channel)}${bulk(payload)}`;

describe("pub/sub across two servers on the fdb engine", { skip }, () => {
  let engines: FdbEngine[];
  let a: RunningServer;
  let b: RunningServer;
  const clients: RawClient[] = [];
  const connect = async (server: RunningServer): Promise<RawClient> => {
    const client = await RawClient.connect(server.port);
    clients.push(client);
    return client;
  };
  before(async () => {
    // Both engines first: opening one clears the cluster.
    engines = [await openTestFdbEngine(), await openTestFdbEngine()];
    a = await startInProcess({ engine: engines[0] });
    b = await startInProcess({ engine: engines[1] });
  });
  after(async () => {
    for (const client of clients) client.close();
    await a.stop();
    await b.stop();
  });

  test("a message published through one server reaches subscribers of both, the publisher's own first", async () => {
    const onA = await connect(a);
    const onB = await connect(b);
    const publisher = await connect(a);
    assert.equal(await onA.call("SUBSCRIBE", "news"), "*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n");
    assert.equal(await onB.call("PSUBSCRIBE", "n*"), "*3\r\n$10\r\npsubscribe\r\n$2\r\nn*\r\n:1\r\n");
    // PUBLISH counts the receivers of the server it ran on, as Redis Cluster does.
    assert.equal(await publisher.call("PUBLISH", "news", "hello"), ":1\r\n");
    assert.equal(await onA.readReply(), message("news", "hello"));
    assert.equal(await onB.readReply(), "*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$5\r\nhello\r\n");
    const otherPublisher = await connect(b);
    assert.equal(await otherPublisher.call("PUBLISH", "news", "from b"), ":1\r\n");
    assert.equal(await onA.readReply(), message("news", "from b"));
    assert.match(await onB.readReply(), /from b/);
  });

  test("publishes through both servers reach every subscriber in one order", async () => {
    const onA = await connect(a);
    const onB = await connect(b);
    await onA.call("SUBSCRIBE", "seq");
    await onB.call("SUBSCRIBE", "seq");
    const publisherA = await connect(a);
    const publisherB = await connect(b);
    const count = 100;
    const batch = (tag: string): string => Array.from({ length: count }, (_, i) => new TextDecoder().decode(encodeCommand(["PUBLISH", "seq", `${tag}${i}`]))).join("");
    publisherA.writeRaw(batch("a"));
    publisherB.writeRaw(batch("b"));
    for (let i = 0; i < count; i++) {
      await publisherA.readReply();
      await publisherB.readReply();
    }
    const heardA: string[] = [];
    const heardB: string[] = [];
    for (let i = 0; i < 2 * count; i++) {
      heardA.push(await onA.readReply());
      heardB.push(await onB.readReply());
    }
    assert.deepEqual(heardB, heardA, "both servers deliver the log's order");
    for (const tag of ["a", "b"]) {
      const own = heardA.map((frame) => /\$\d+\r\n([ab]\d+)\r\n$/.exec(frame)![1]!).filter((payload) => payload.startsWith(tag));
      assert.deepEqual(own, Array.from({ length: count }, (_, i) => `${tag}${i}`), `${tag}'s messages in publish order`);
    }
  });

  test("a PUBLISH inside MULTI on one server is delivered on the other once EXEC commits", async () => {
    const onB = await connect(b);
    await onB.call("SUBSCRIBE", "tx");
    const publisher = await connect(a);
    assert.equal(await publisher.call("MULTI"), "+OK\r\n");
    assert.equal(await publisher.call("PUBLISH", "tx", "one"), "+QUEUED\r\n");
    assert.equal(await publisher.call("SET", "k", "v"), "+QUEUED\r\n");
    await assert.rejects(onB.readReply(150), /no complete reply/);
    assert.equal(await publisher.call("EXEC"), "*2\r\n:0\r\n+OK\r\n");
    assert.equal(await onB.readReply(), message("tx", "one"));
  });

  test("a BLPOP waiting on one server is served by an RPUSH through the other; waiters of one server in order", async () => {
    const first = await connect(b);
    const second = await connect(b);
    const pusher = await connect(a);
    first.writeRaw(encodeCommand(["BLPOP", "jobs", "0"]));
    await new Promise((resolve) => setTimeout(resolve, 30));
    second.writeRaw(encodeCommand(["BLPOP", "jobs", "0"]));
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(await pusher.call("RPUSH", "jobs", "j1", "j2"), ":2\r\n");
    assert.equal(await first.readReply(), "*2\r\n$4\r\njobs\r\n$2\r\nj1\r\n");
    assert.equal(await second.readReply(), "*2\r\n$4\r\njobs\r\n$2\r\nj2\r\n");
    assert.equal(await pusher.call("EXISTS", "jobs"), ":0\r\n");
  });

  test("a BLMOVE on one server moves what another server pushes, exactly once with waiters on both", async () => {
    const onA = await connect(a);
    const onB = await connect(b);
    onA.writeRaw(encodeCommand(["BLMOVE", "queue", "processing", "LEFT", "RIGHT", "0"]));
    onB.writeRaw(encodeCommand(["BLMOVE", "queue", "processing", "LEFT", "RIGHT", "0"]));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const pusher = await connect(a);
    assert.equal(await pusher.call("LPUSH", "queue", "only"), ":1\r\n");
    // One waiter is served, the other times out its read (and stays blocked).
    const [fromA, fromB] = await Promise.allSettled([onA.readReply(1_000), onB.readReply(1_000)]);
    const served = [fromA, fromB].filter((result) => result.status === "fulfilled");
    assert.equal(served.length, 1, "exactly one waiter is served");
    assert.equal((served[0] as PromiseFulfilledResult<string>).value, "$4\r\nonly\r\n");
    assert.equal(await pusher.call("LRANGE", "processing", "0", "-1"), "*1\r\n$4\r\nonly\r\n");
    const other = fromA.status === "fulfilled" ? onB : onA;
    assert.equal(await pusher.call("LPUSH", "queue", "second"), ":1\r\n");
    assert.equal(await other.readReply(), "$6\r\nsecond\r\n");
  });

  test("keyspace notifications of a write through one server reach subscribers on the other", async () => {
    const admin = [await connect(a), await connect(b)];
    // The operator's setting is each server's own (as each Redis Cluster node's config).
    for (const client of admin) assert.equal(await client.call("CONFIG", "SET", "notify-keyspace-events", "KEA"), "+OK\r\n");
    try {
      const onB = await connect(b);
      await onB.call("PSUBSCRIBE", "__keyspace@0__:cross*");
      await onB.call("SUBSCRIBE", "__keyevent@0__:set");
      const writer = await connect(a);
      assert.equal(await writer.call("SET", "cross:1", "v"), "+OK\r\n");
      const frames = [await onB.readReply(), await onB.readReply()];
      assert.match(frames[0]!, /__keyspace@0__:cross:1\r\n\$3\r\nset\r\n$/);
      assert.match(frames[1]!, /__keyevent@0__:set\r\n\$7\r\ncross:1\r\n$/);
    } finally {
      for (const client of admin) await client.call("CONFIG", "SET", "notify-keyspace-events", "");
    }
  });
});
