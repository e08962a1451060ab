// The tests of pub/sub (src/commands/families/pubsub.ts, src/core/pubsub/):
// the one-connection differential cases of pubsub_cases.ts, then scenarios
// with several clients (compared with redis-server where Redis defines the
// outcome), real clients, tenancy and token prefixes, and the pub/sub output
// buffer limit.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { type AuthServer, noPermission, OK, rawAuthed, sleep, startAuthServer } from "../auth/support.ts";
import { redisServerAvailable, startRedis, type RedisProcess } from "../support/redis_server.ts";
import { encodeCommand, RawClient } from "../support/raw_client.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { differentialSuite } from "../differential/suite.ts";
import { family } from "./families.ts";
import { CASES, METADATA_COMMANDS } from "./pubsub_cases.ts";

differentialSuite("pubsub", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("pubsub").specs });

const NO_CHANNEL_PERMISSION = "-NOPERM this user has no permissions to access one of the channels used as arguments\r\n";

/** A RESP bulk string's bytes. */
const bulk = (text: string): string => `$${text.length}\r\n${text}\r\n`;
const message = (channel: string, payload: string): string => `*3\r\n$7\r\nmessage\r\n${bulk(channel)}${bulk(payload)}`;

/** Resolves true when `client` has received nothing within `ms`. */
async function silentFor(client: RawClient, ms: number): Promise<boolean> {
  try {
    const reply = await client.readReply(ms);
    assert.fail(`expected no frame, got ${JSON.stringify(reply)}`);
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    return true;
  }
}

/**
 * A scenario with several clients, run the same way against redis-server
 * and Materia: what every client read, in order, must be the same.
 */
type Scenario = (clients: RawClient[], log: (entry: string) => void) => Promise<void>;

async function transcript(port: number, clientCount: number, scenario: Scenario): Promise<string[]> {
  const clients = await Promise.all(Array.from({ length: clientCount }, () => RawClient.connect(port)));
  const entries: string[] = [];
  try {
    await scenario(clients, (entry) => entries.push(entry));
  } finally {
    for (const client of clients) client.close();
  }
  return entries;
}

const SCENARIOS: Record<string, { clients: number; run: Scenario }> = {
  "a message reaches channel subscribers, then pattern subscribers; PUBLISH counts both": {
    clients: 3,
    async run([channel, pattern, publisher], log) {
      log(await channel!.call("SUBSCRIBE", "news"));
      log(await pattern!.call("PSUBSCRIBE", "n*"));
      log(await publisher!.call("PUBLISH", "news", "hello"));
      log(await channel!.readReply());
      log(await pattern!.readReply());
      log(await publisher!.call("PUBLISH", "nope", "x"));
      log(await pattern!.readReply());
      log(await publisher!.call("PUBLISH", "other", "x"));
    },
  },
  "messages inside MULTI are delivered once EXEC runs, in order": {
    clients: 2,
    async run([subscriber, publisher], log) {
      log(await subscriber!.call("SUBSCRIBE", "t"));
      log(await publisher!.call("MULTI"));
      log(await publisher!.call("PUBLISH", "t", "one"));
      log(await publisher!.call("PUBLISH", "t", "two"));
      log(String(await silentFor(subscriber!, 100)));
      log(await publisher!.call("EXEC"));
      log(await subscriber!.readReply());
      log(await subscriber!.readReply());
      log(await publisher!.call("MULTI"));
      log(await publisher!.call("PUBLISH", "t", "dropped"));
      log(await publisher!.call("DISCARD"));
      log(String(await silentFor(subscriber!, 100)));
    },
  },
  "a RESP3 subscriber gets pushes between its own replies": {
    clients: 2,
    async run([subscriber, publisher], log) {
      log((await subscriber!.call("HELLO", "3")).length > 0 ? "hello" : "");
      log(await subscriber!.call("SUBSCRIBE", "c"));
      log(await publisher!.call("PUBLISH", "c", "1"));
      log(await subscriber!.readReply());
      log(await subscriber!.call("SET", "k", "v"));
      log(await publisher!.call("PUBLISH", "c", "2"));
      log(await subscriber!.call("GET", "k"));
      log(await subscriber!.readReply());
    },
  },
  "a pipeline of publishes arrives in publish order": {
    clients: 2,
    async run([subscriber, publisher], log) {
      log(await subscriber!.call("SUBSCRIBE", "seq"));
      const count = 200;
      publisher!.writeRaw(Array.from({ length: count }, (_, i) => new TextDecoder().decode(encodeCommand(["PUBLISH", "seq", String(i)]))).join(""));
      for (let i = 0; i < count; i++) log(await publisher!.readReply());
      for (let i = 0; i < count; i++) log(await subscriber!.readReply());
    },
  },
  "UNSUBSCRIBE stops delivery; a closed subscriber is forgotten": {
    clients: 3,
    async run([kept, leaving, publisher], log) {
      log(await kept!.call("SUBSCRIBE", "c"));
      log(await leaving!.call("SUBSCRIBE", "c"));
      log(await publisher!.call("PUBSUB", "NUMSUB", "c"));
      log(await leaving!.call("UNSUBSCRIBE", "c"));
      log(await publisher!.call("PUBLISH", "c", "x"));
      log(await kept!.readReply());
      log(await leaving!.call("SUBSCRIBE", "c"));
      leaving!.close();
      await sleep(100);
      log(await publisher!.call("PUBSUB", "NUMSUB", "c"));
      log(await publisher!.call("PUBLISH", "c", "y"));
    },
  },
};

describe("pub/sub with several clients, against redis-server", async () => {
  const live = await redisServerAvailable();
  let redis: RedisProcess | undefined;
  let materia: RunningServer;
  before(async () => {
    if (live) redis = await startRedis();
    materia = await startInProcess();
  });
  after(async () => {
    await redis?.stop();
    await materia.stop();
  });

  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    test(name, { skip: live ? false : "redis-server is not installed" }, async () => {
      const theirs = await transcript(redis!.port, scenario.clients, scenario.run);
      const ours = await transcript(materia.port, scenario.clients, scenario.run);
      assert.deepEqual(ours, theirs);
    });
  }
});

describe("pub/sub tenancy and token rights", () => {
  let s: AuthServer;
  let tokenA: string;
  let tokenB: string;
  before(async () => {
    s = await startAuthServer();
    tokenA = await s.mint("tenant_a");
    tokenB = await s.mint("tenant_b");
  });
  after(() => s.stop());

  test("a tenant never hears, counts or lists another tenant's channels", async () => {
    const a = await rawAuthed(s.port, tokenA);
    const aPattern = await rawAuthed(s.port, tokenA);
    const b = await rawAuthed(s.port, tokenB);
    try {
      assert.equal(await a.call("SUBSCRIBE", "shared"), "*3\r\n$9\r\nsubscribe\r\n$6\r\nshared\r\n:1\r\n");
      assert.equal(await aPattern.call("PSUBSCRIBE", "*"), "*3\r\n$10\r\npsubscribe\r\n$1\r\n*\r\n:1\r\n");
      assert.equal(await b.call("PUBLISH", "shared", "from b"), ":0\r\n");
      assert.equal(await b.call("PUBSUB", "CHANNELS"), "*0\r\n");
      assert.equal(await b.call("PUBSUB", "NUMSUB", "shared"), "*2\r\n$6\r\nshared\r\n:0\r\n");
      assert.equal(await b.call("PUBSUB", "NUMPAT"), ":0\r\n");
      assert.ok(await silentFor(a, 100));
      assert.ok(await silentFor(aPattern, 10));
      const ownPublisher = await rawAuthed(s.port, tokenA);
      try {
        assert.equal(await ownPublisher.call("PUBLISH", "shared", "from a"), ":2\r\n");
        assert.equal(await a.readReply(), message("shared", "from a"));
        assert.equal(await ownPublisher.call("PUBSUB", "NUMPAT"), ":1\r\n");
      } finally {
        ownPublisher.close();
      }
    } finally {
      a.close();
      aPattern.close();
      b.close();
    }
  });

  test("a client that authenticates as another tenant loses its subscriptions", async () => {
    const client = await RawClient.connect(s.port);
    const publisher = await rawAuthed(s.port, tokenA);
    try {
      await client.call("HELLO", "3", "AUTH", "default", tokenA);
      assert.match(await client.call("SUBSCRIBE", "c"), /^>3\r\n/);
      assert.equal(await publisher.call("PUBSUB", "NUMSUB", "c"), "*2\r\n$1\r\nc\r\n:1\r\n");
      assert.equal(await client.call("AUTH", tokenB), OK);
      assert.equal(await publisher.call("PUBSUB", "NUMSUB", "c"), "*2\r\n$1\r\nc\r\n:0\r\n");
      assert.equal(await publisher.call("PUBLISH", "c", "x"), ":0\r\n");
    } finally {
      client.close();
      publisher.close();
    }
  });

  test("publishing needs the write right, subscribing the read right", async () => {
    const readOnly = await rawAuthed(s.port, await s.mint("tenant_a", { readOnly: true }));
    try {
      assert.equal(await readOnly.call("PUBLISH", "c", "x"), noPermission("publish"));
      assert.equal(await readOnly.call("SPUBLISH", "c", "x"), noPermission("spublish"));
      assert.equal(await readOnly.call("SUBSCRIBE", "c"), "*3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n");
    } finally {
      readOnly.close();
    }
  });

  test("a token limited to key prefixes is limited to channels and patterns under them", async () => {
    const limited = await rawAuthed(s.port, await s.mint("tenant_a", { prefixes: ["app:"] }));
    const full = await rawAuthed(s.port, tokenA);
    try {
      await limited.call("HELLO", "3");
      assert.equal(await limited.call("SUBSCRIBE", "other"), NO_CHANNEL_PERMISSION);
      assert.equal(await limited.call("SUBSCRIBE", "app:x", "other"), NO_CHANNEL_PERMISSION, "all or nothing");
      assert.equal(await limited.call("PSUBSCRIBE", "ap*"), NO_CHANNEL_PERMISSION);
      assert.equal(await limited.call("PSUBSCRIBE", "*"), NO_CHANNEL_PERMISSION);
      assert.equal(await limited.call("SUBSCRIBE", "__keyevent@0__:set"), NO_CHANNEL_PERMISSION);
      assert.equal(await limited.call("PUBLISH", "other", "x"), NO_CHANNEL_PERMISSION);
      assert.equal(await limited.call("SPUBLISH", "other", "x"), NO_CHANNEL_PERMISSION);
      assert.match(await limited.call("SUBSCRIBE", "app:x"), /^>3\r\n/);
      assert.match(await limited.call("PSUBSCRIBE", "app:*"), /^>3\r\n/);
      assert.match(await limited.call("SUBSCRIBE", "__keyspace@0__:app:k"), /^>3\r\n/);
      assert.match(await limited.call("PSUBSCRIBE", "__keyspace@3__:app:*"), /^>3\r\n/);
      assert.equal(await full.call("SUBSCRIBE", "other"), "*3\r\n$9\r\nsubscribe\r\n$5\r\nother\r\n:1\r\n");
      assert.equal(await limited.call("PUBSUB", "CHANNELS"), "*2\r\n$5\r\napp:x\r\n$20\r\n__keyspace@0__:app:k\r\n");
      assert.equal(await limited.call("PUBSUB", "NUMSUB", "other", "app:x"), "*4\r\n$5\r\nother\r\n:0\r\n$5\r\napp:x\r\n:1\r\n");
    } finally {
      limited.close();
      full.close();
    }
  });

  test("a subscriber whose token has expired hears nothing more", async () => {
    const shortLived = await rawAuthed(s.port, await s.mint("tenant_a", { expiresAt: new Date(Date.now() + 1_500) }));
    const publisher = await rawAuthed(s.port, tokenA);
    try {
      await shortLived.call("SUBSCRIBE", "c");
      assert.equal(await publisher.call("PUBLISH", "c", "before"), ":1\r\n");
      assert.equal(await shortLived.readReply(), message("c", "before"));
      await sleep(1_700);
      await publisher.call("PUBLISH", "c", "after");
      assert.ok(await silentFor(shortLived, 200));
      assert.equal(await publisher.call("PUBSUB", "NUMSUB", "c"), "*2\r\n$1\r\nc\r\n:0\r\n");
    } finally {
      shortLived.close();
      publisher.close();
    }
  });
});

describe("the pubsub output buffer limit", () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess();
  });
  after(() => server.stop());

  test("a subscriber that does not read is disconnected at the pubsub class's hard limit; other clients are not", async () => {
    const admin = await RawClient.connect(server.port);
    const socket = connect({ port: server.port, host: "127.0.0.1" });
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    let closed = false;
    socket.on("close", () => (closed = true));
    socket.on("error", () => {});
    try {
      assert.equal(await admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 512kb 60"), OK);
      socket.write(encodeCommand(["SUBSCRIBE", "firehose"]));
      await sleep(50);
      socket.pause();
      const payload = "x".repeat(64 * 1024);
      for (let i = 0; i < 200 && !closed; i++) {
        await admin.call("PUBLISH", "firehose", payload);
        if (i % 10 === 9) await sleep(5);
      }
      const deadline = Date.now() + 3_000;
      while (Date.now() < deadline && (await admin.call("PUBSUB", "NUMSUB", "firehose")) !== "*2\r\n$8\r\nfirehose\r\n:0\r\n") await sleep(20);
      assert.equal(await admin.call("PUBSUB", "NUMSUB", "firehose"), "*2\r\n$8\r\nfirehose\r\n:0\r\n", "the subscriber was dropped");
      assert.equal(await admin.call("PING"), "+PONG\r\n");
    } finally {
      await admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 32mb 8mb 60");
      admin.close();
      socket.destroy();
    }
  });
});

describe("pub/sub through real clients", () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess();
  });
  after(() => server.stop());

  test("ioredis: subscribe, psubscribe, publish and unsubscribe", async () => {
    const subscriber = new Redis({ port: server.port, host: "127.0.0.1", lazyConnect: true });
    const publisher = new Redis({ port: server.port, host: "127.0.0.1", lazyConnect: true });
    await subscriber.connect();
    await publisher.connect();
    try {
      const received: string[] = [];
      subscriber.on("message", (channel, text) => received.push(`${channel}:${text}`));
      subscriber.on("pmessage", (pattern, channel, text) => received.push(`${pattern}|${channel}:${text}`));
      assert.equal(await subscriber.subscribe("orders", "users"), 2);
      assert.equal(await subscriber.psubscribe("user*"), 3);
      assert.equal(await publisher.publish("orders", "o1"), 1);
      assert.equal(await publisher.publish("users", "u1"), 2);
      const deadline = Date.now() + 2_000;
      while (received.length < 3 && Date.now() < deadline) await sleep(10);
      assert.deepEqual(received, ["orders:o1", "users:u1", "user*|users:u1"]);
      // By name: ioredis 6.0 (RESP3) never settles a bare unsubscribe(), against redis-server 7.0 too.
      await subscriber.unsubscribe("orders", "users");
      await subscriber.punsubscribe("user*");
      assert.equal(await publisher.publish("orders", "o2"), 0);
      assert.deepEqual(await publisher.pubsub("NUMSUB", "orders"), ["orders", 0]);
    } finally {
      subscriber.disconnect();
      publisher.disconnect();
    }
  });

  for (const resp of [2, 3] as const) {
    test(`node-redis (RESP${resp}): subscribe, pSubscribe, sSubscribe and publish`, async () => {
      const publisher = createClient({ socket: { port: server.port, host: "127.0.0.1" }, RESP: resp });
      await publisher.connect();
      const subscriber = publisher.duplicate();
      await subscriber.connect();
      try {
        const received: string[] = [];
        await subscriber.subscribe("chat", (text, channel) => received.push(`${channel}:${text}`));
        await subscriber.pSubscribe("ch*", (text, channel) => received.push(`p ${channel}:${text}`));
        await subscriber.sSubscribe("shard", (text, channel) => received.push(`s ${channel}:${text}`));
        assert.equal(await publisher.publish("chat", "hi"), 2);
        assert.equal(await publisher.sPublish("shard", "sh"), 1);
        const deadline = Date.now() + 2_000;
        while (received.length < 3 && Date.now() < deadline) await sleep(10);
        assert.deepEqual(received.sort(), ["chat:hi", "p chat:hi", "s shard:sh"]);
        if (resp === 3) assert.equal(await subscriber.get("k"), null, "RESP3: ordinary commands run while subscribed");
        await subscriber.unsubscribe("chat");
        assert.equal(await publisher.publish("chat", "again"), 1);
      } finally {
        await subscriber.quit().catch(() => {});
        await publisher.quit().catch(() => {});
      }
    });
  }
});
