// notify-keyspace-events on a running server: CONFIG SET and CONFIG GET as
// Redis answers them, each tenant's own setting (set with the write right,
// never another tenant's), the events of each tenant carried in its own
// keyspace, and the events of MULTI, JSON commands and the expiry sweeper.
// Events are read from a recording MessageSink until pub/sub delivers them.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { RevocationList } from "../../src/auth/revocation_list.ts";
import { tokenAuthenticator } from "../../src/auth/token_authenticator.ts";
import { generateRootKey, mintToken, parseRootKey, type RootKeys } from "../../src/auth/tokens.ts";
import { formatNotifyFlags } from "../../src/core/notify_keyspace_events.ts";
import { TempDirs } from "../support/processes.ts";
import { RawClient } from "../support/raw_client.ts";
import { materiaTarget, messagesOf } from "../support/keyspace_events.ts";

const OK = "+OK\r\n";
const bulk = (text: string): string => `$${new TextEncoder().encode(text).length}\r\n${text}\r\n`;
const configGet = (value: string) => `*2\r\n${bulk("notify-keyspace-events")}${bulk(value)}`;
const INVALID = "-ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.\r\n";
const NOPERM = "-NOPERM this user has no permissions to run the 'config|set' command\r\n";

describe("notify-keyspace-events with auth off (the operator's server)", () => {
  let target: Awaited<ReturnType<typeof materiaTarget>>;
  let client: RawClient;
  before(async () => {
    target = await materiaTarget({ sweepIntervalMs: 20 });
    client = await RawClient.connect(target.port);
  });
  after(async () => {
    client.close();
    await target.stop();
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

  test("MULTI/EXEC: the events of each queued command, in order, after the commit", async () => {
    assert.equal(await client.call("CONFIG", "SET", "notify-keyspace-events", "KEA"), OK);
    target.sink.events.length = 0;
    await client.call("MULTI");
    for (const argv of [["SET", "a", "1"], ["LPUSH", "l", "x"], ["DEL", "a"]]) await client.call(...argv);
    assert.equal(target.sink.events.length, 0, "nothing before EXEC commits");
    await client.call("EXEC");
    assert.deepEqual(target.sink.events.map((e) => `${e.type} ${e.event}`), ["n new", "$ set", "n new", "l lpush", "g del"]);
    assert.equal(await client.call("CONFIG", "SET", "notify-keyspace-events", ""), OK);
  });

  test("a tenant with notifications off records no event at all", async () => {
    target.sink.events.length = 0;
    await client.call("SET", "a", "1");
    await client.call("GET", "missing");
    assert.deepEqual(target.sink.events, []);
  });

  test("JSON commands report RedisJSON's module events (class d)", async () => {
    assert.equal(await client.call("CONFIG", "SET", "notify-keyspace-events", "KEd"), OK);
    target.sink.events.length = 0;
    await client.call("JSON.SET", "j", "$", '{"a":1,"b":[1],"t":true}');
    await client.call("JSON.NUMINCRBY", "j", "$.a", "2");
    await client.call("JSON.ARRAPPEND", "j", "$.b", "2");
    await client.call("JSON.TOGGLE", "j", "$.t");
    await client.call("JSON.MERGE", "j", "$", '{"c":3}');
    await client.call("JSON.CLEAR", "j", "$.b");
    await client.call("JSON.DEL", "j", "$.c");
    await client.call("JSON.DEL", "j");
    assert.deepEqual(messagesOf(target.server, target.sink.events).filter((m) => m.startsWith("__keyevent")), [
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
  let root: RootKeys;
  let target: Awaited<ReturnType<typeof materiaTarget>>;
  let a: RawClient;
  let b: RawClient;
  let readOnly: RawClient;
  const authed = async (token: string) => {
    const client = await RawClient.connect(target.port);
    assert.equal(await client.call("AUTH", token), OK);
    return client;
  };
  before(async () => {
    root = await parseRootKey(await generateRootKey());
    const auth = await tokenAuthenticator({ root, revocations: new RevocationList(`${dirs.make("auth")}/revoked.txt`) });
    target = await materiaTarget({ sweepIntervalMs: 20, auth });
    a = await authed(await mintToken(root, "kv_a"));
    b = await authed(await mintToken(root, "kv_ab"));
    readOnly = await authed(await mintToken(root, "kv_a", { readOnly: true }));
  });
  after(async () => {
    for (const client of [a, b, readOnly]) client.close();
    await target.stop();
    dirs.removeAll();
  });

  test("a tenant's CONFIG SET changes its own setting only; other parameters stay the operator's", async () => {
    assert.equal(await a.call("CONFIG", "SET", "notify-keyspace-events", "KEA"), OK);
    assert.equal(await a.call("CONFIG", "GET", "notify-keyspace-events"), configGet("AKE"));
    assert.equal(await b.call("CONFIG", "GET", "notify-keyspace-events"), configGet(""));
    assert.equal(await readOnly.call("CONFIG", "GET", "notify-keyspace-events"), configGet("AKE"), "the same tenant, another connection");
    assert.equal(await a.call("CONFIG", "SET", "timeout", "5"), NOPERM);
    assert.equal(await a.call("CONFIG", "SET", "notify-keyspace-events", "KEA", "timeout", "5"), NOPERM, "all or nothing");
    assert.equal(await a.call("CONFIG", "SET", "notify-keyspace-events", "KEq"), INVALID);
    assert.equal(formatNotifyFlags(target.server.notifications.effectiveFor("kv_a")), "AKE");
  });

  test("a principal without the write right may not change its tenant's setting", async () => {
    assert.equal(await readOnly.call("CONFIG", "SET", "notify-keyspace-events", ""), NOPERM);
    assert.equal(formatNotifyFlags(target.server.notifications.effectiveFor("kv_a")), "AKE");
  });

  test("events carry the tenant's own keyspace; a tenant without notifications records none", async () => {
    target.sink.events.length = 0;
    await b.call("SELECT", "2");
    await b.call("SET", "k", "from-b");
    await a.call("SELECT", "2");
    await a.call("SET", "k", "from-a");
    await a.call("SELECT", "0");
    assert.deepEqual(target.sink.events.map((e) => `${e.ks.tenant} ${e.ks.db} ${e.event}`), ["kv_a 2 new", "kv_a 2 set"]);
    // AKE: no `new` (n is not in A).
    assert.deepEqual(messagesOf(target.server, target.sink.events), ["__keyspace@2__:k set", "__keyevent@2__:set k"]);
  });

  test("the expiry sweeper reports each removed key to its own tenant, under that tenant's setting", async () => {
    target.sink.events.length = 0;
    await a.call("SET", "gone-a", "1", "PX", "10");
    await b.call("SET", "gone-b", "1", "PX", "10");
    const deadline = Date.now() + 3_000;
    while (target.sink.events.filter((e) => e.event === "expired").length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const expired = target.sink.events.filter((e) => e.event === "expired").map((e) => `${e.ks.tenant} ${new TextDecoder().decode(e.key)}`).sort();
    assert.deepEqual(expired, ["kv_a gone-a", "kv_ab gone-b"]);
    // kv_ab publishes nothing: its setting is off.
    assert.deepEqual(messagesOf(target.server, target.sink.events.filter((e) => e.event === "expired")), [
      "__keyspace@0__:gone-a expired",
      "__keyevent@0__:expired gone-a",
    ]);
  });
});
