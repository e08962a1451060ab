// notify-keyspace-events on a running server, observed as a client sees it
// (a `__key*__:*` subscriber): CONFIG SET and CONFIG GET as Redis answers
// them, each tenant's own setting (set with the write right, never another
// tenant's), each tenant's events on its own channels only, and the events
// of MULTI, JSON commands and the expiry sweeper.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { RevocationList } from "../../src/auth/revocation_list.ts";
import { tokenAuthenticator } from "../../src/auth/token_authenticator.ts";
import { generateRootKey, mintToken, parseRootKey } from "../../src/auth/tokens.ts";
import { formatNotifyFlags } from "../../src/core/notify_keyspace_events.ts";
import type { MateriaServer } from "../../src/server/server.ts";
import { EventSubscriber, startNotifyingServer } from "../support/keyspace_events.ts";
import { runMateria, signalServer, TempDirs } from "../support/processes.ts";
import { spawnServer } from "../support/servers.ts";
import { RawClient } from "../support/raw_client.ts";

const OK = "+OK\r\n";
const bulk = (text: string): string => `$${new TextEncoder().encode(text).length}\r\n${text}\r\n`;
const configGet = (value: string) => `*2\r\n${bulk("notify-keyspace-events")}${bulk(value)}`;
const INVALID = "-ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.\r\n";
const NOPERM = "-NOPERM this user has no permissions to run the 'config|set' command\r\n";

describe("notify-keyspace-events with auth off (the operator's server)", () => {
  let running: Awaited<ReturnType<typeof startNotifyingServer>>;
  let client: RawClient;
  /** Publishes the subscriber's sentinel: `client` may be inside MULTI. */
  let other: RawClient;
  let events: EventSubscriber;
  before(async () => {
    running = await startNotifyingServer({ sweepIntervalMs: 3_600_000 });
    client = await RawClient.connect(running.port);
    other = await RawClient.connect(running.port);
    events = await EventSubscriber.connect(running.port);
  });
  after(async () => {
    events.close();
    client.close();
    other.close();
    await running.stop();
  });

  test("CONFIG GET and CONFIG SET answer as redis-server 7.0 does", async () => {
    assert.equal(await client.call("CONFIG", "GET", "notify-keyspace-events"), configGet(""));
    assert.equal(await client.call("CONFIG", "SET", "notify-keyspace-events", "KEA"), OK);
    assert.equal(await client.call("CONFIG", "GET", "notify-keyspace-events"), configGet("AKE"));
    assert.equal(await client.call("CONFIG", "SET", "notify-keyspace-events", "Kg$lshzxetdnmE"), OK);
    assert.equal(await client.call("CONFIG", "GET", "notify-keyspace-events"), configGet("AKEm"));
    assert.equal(await client.call("CONFIG", "SET", "notify-keyspace-events", "KEAq"), INVALID);
    assert.equal(await client.call("CONFIG", "GET", "notify-keyspace-events"), configGet("AKEm"), "a refused value changes nothing");
    assert.equal(await client.call("CONFIG", "SET", "NOTIFY-KEYSPACE-EVENTS", ""), OK);
    assert.equal(await client.call("CONFIG", "GET", "notify-*"), configGet(""));
  });

  test("MULTI/EXEC: the events of each queued command, in order, once EXEC commits", async () => {
    assert.equal(await client.call("CONFIG", "SET", "notify-keyspace-events", "Eg$ln"), OK);
    await events.drain(other);
    await client.call("MULTI");
    for (const argv of [["SET", "a", "1"], ["LPUSH", "l", "x"], ["DEL", "a"]]) await client.call(...argv);
    assert.deepEqual(await events.drain(other), [], "nothing before EXEC");
    await client.call("EXEC");
    assert.deepEqual(await events.drain(other), [
      "__keyevent@0__:new a",
      "__keyevent@0__:set a",
      "__keyevent@0__:new l",
      "__keyevent@0__:lpush l",
      "__keyevent@0__:del a",
    ]);
  });

  test("with notifications off nothing is published", async () => {
    assert.equal(await client.call("CONFIG", "SET", "notify-keyspace-events", ""), OK);
    await client.call("SET", "a", "1");
    await client.call("GET", "missing");
    assert.deepEqual(await events.drain(client), []);
  });

  test("JSON commands publish RedisJSON's module events (class d)", async () => {
    assert.equal(await client.call("CONFIG", "SET", "notify-keyspace-events", "Ed"), OK);
    await client.call("JSON.SET", "j", "$", '{"a":1,"b":[1],"t":true}');
    await client.call("JSON.NUMINCRBY", "j", "$.a", "2");
    await client.call("JSON.ARRAPPEND", "j", "$.b", "2");
    await client.call("JSON.TOGGLE", "j", "$.t");
    await client.call("JSON.MERGE", "j", "$", '{"c":3}');
    await client.call("JSON.CLEAR", "j", "$.b");
    await client.call("JSON.DEL", "j", "$.c");
    await client.call("JSON.SET", "j", "$.nope.deeper", "1");
    await client.call("JSON.DEL", "j");
    assert.deepEqual(await events.drain(client), [
      "__keyevent@0__:json.set j",
      "__keyevent@0__:json.numincrby j",
      "__keyevent@0__:json.arrappend j",
      "__keyevent@0__:json.toggle j",
      "__keyevent@0__:json.merge j",
      "__keyevent@0__:json.clear j",
      "__keyevent@0__:json.del j",
      "__keyevent@0__:json.del j",
    ]);
    assert.equal(await client.call("CONFIG", "SET", "notify-keyspace-events", ""), OK);
  });
});

describe("notify-keyspace-events per tenant", () => {
  const dirs = new TempDirs();
  let running: Awaited<ReturnType<typeof startNotifyingServer>>;
  let server: MateriaServer;
  let tokens: { a: string; b: string; readOnly: string };
  let a: RawClient;
  let b: RawClient;
  let readOnly: RawClient;
  let eventsA: EventSubscriber;
  let eventsB: EventSubscriber;
  const authed = async (token: string) => {
    const client = await RawClient.connect(running.port);
    assert.equal(await client.call("AUTH", token), OK);
    return client;
  };
  before(async () => {
    const root = await parseRootKey(await generateRootKey());
    const auth = await tokenAuthenticator({ root, revocations: new RevocationList(`${dirs.make("auth")}/revoked.txt`) });
    running = await startNotifyingServer({ sweepIntervalMs: 20, auth });
    server = running.server;
    tokens = { a: await mintToken(root, "kv_a"), b: await mintToken(root, "kv_ab"), readOnly: await mintToken(root, "kv_a", { readOnly: true }) };
    a = await authed(tokens.a);
    b = await authed(tokens.b);
    readOnly = await authed(tokens.readOnly);
    eventsA = await EventSubscriber.connect(running.port, tokens.a);
    eventsB = await EventSubscriber.connect(running.port, tokens.b);
  });
  after(async () => {
    for (const client of [a, b, readOnly]) client.close();
    eventsA.close();
    eventsB.close();
    await running.stop();
    dirs.removeAll();
  });

  test("a tenant's CONFIG SET changes its own setting only; other parameters stay the operator's", async () => {
    assert.equal(await a.call("CONFIG", "SET", "notify-keyspace-events", "KEA"), OK);
    assert.equal(await a.call("CONFIG", "GET", "notify-keyspace-events"), configGet("AKE"));
    assert.equal(await b.call("CONFIG", "GET", "notify-keyspace-events"), configGet(""));
    assert.equal(await readOnly.call("CONFIG", "GET", "notify-keyspace-events"), configGet("AKE"), "the same tenant, another connection");
    assert.equal(await a.call("CONFIG", "SET", "timeout", "5"), NOPERM);
    assert.equal(await a.call("CONFIG", "SET", "notify-keyspace-events", "KEx", "timeout", "5"), NOPERM, "all or nothing");
    assert.equal(await a.call("CONFIG", "SET", "notify-keyspace-events", "KEq"), INVALID);
    assert.equal(formatNotifyFlags(server.notifications.effectiveFor("kv_a")), "AKE");
  });

  test("a principal without the write right may not change its tenant's setting", async () => {
    assert.equal(await readOnly.call("CONFIG", "SET", "notify-keyspace-events", ""), NOPERM);
    assert.equal(formatNotifyFlags(server.notifications.effectiveFor("kv_a")), "AKE");
  });

  test("each tenant's events reach its own subscribers only, with its database number", async () => {
    await b.call("SELECT", "2");
    await b.call("SET", "k", "from-b");
    await a.call("SELECT", "2");
    await a.call("SET", "k", "from-a");
    await a.call("SELECT", "0");
    // AKE: no `new` (n is not in A).
    assert.deepEqual(await eventsA.drain(a), ["__keyspace@2__:k set", "__keyevent@2__:set k"]);
    assert.deepEqual(await eventsB.drain(b), [], "kv_ab has notifications off");
    assert.equal(await b.call("CONFIG", "SET", "notify-keyspace-events", "E$"), OK);
    await b.call("SET", "k", "again");
    assert.deepEqual(await eventsB.drain(b), ["__keyevent@2__:set k"]);
    assert.deepEqual(await eventsA.drain(a), []);
    await b.call("SELECT", "0");
  });

  test("the expiry sweeper publishes each removed key to its own tenant, under that tenant's setting", async () => {
    assert.equal(await b.call("CONFIG", "SET", "notify-keyspace-events", "Ex"), OK);
    await a.call("SET", "gone-a", "1", "PX", "10");
    await b.call("SET", "gone-b", "1", "PX", "10");
    await eventsA.drain(a);
    // The sweeper runs every 100 ms; a loaded machine may take longer: collect until the events came (or 5 s).
    const seenA: string[] = [];
    const seenB: string[] = [];
    for (const deadline = Date.now() + 5_000; (seenA.length < 2 || seenB.length < 1) && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      seenA.push(...await eventsA.drain(a));
      seenB.push(...await eventsB.drain(b));
    }
    assert.deepEqual(seenA, ["__keyspace@0__:gone-a expired", "__keyevent@0__:expired gone-a"]);
    assert.deepEqual(seenB, ["__keyevent@0__:expired gone-b"]);
  });
});

describe("materia serve --notify-keyspace-events", () => {
  test("sets the default of tenants that set none; the environment variable too; a bad letter stops the start", async () => {
    for (const [args, env] of [[["--notify-keyspace-events", "KEA"], {}], [[], { MATERIA_NOTIFY_KEYSPACE_EVENTS: "KEA" }]] as const) {
      const server = await spawnServer(["--engine", "memory", ...args], { env: { ...env } });
      const client = await RawClient.connect(server.port);
      try {
        assert.equal(await client.call("CONFIG", "GET", "notify-keyspace-events"), configGet("AKE"));
      } finally {
        client.close();
        await signalServer(server, "SIGTERM");
      }
    }
    const refused = await runMateria(["serve", "--engine", "memory", "--port", "0", "--notify-keyspace-events", "KEq"], { env: { MATERIA_AUTH: "off" } });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--notify-keyspace-events \(or MATERIA_NOTIFY_KEYSPACE_EVENTS\) must be letters of Ag\$lshzxeKEtmdn, not 'KEq'/);
  });
});
