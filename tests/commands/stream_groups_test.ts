// The tests of the stream consumer-group commands
// (src/commands/families/stream_groups.ts): the differential cases and
// XREADGROUP BLOCK scenarios of stream_groups_cases.ts against redis-server
// (or its recorded replies), on the memory and SQLite engines; then
// Materia's own tests of what is Materia's alone: tenants and token rights
// around consumer groups, and many consumers of one group woken together.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { scenarioSuite } from "../differential/scenario_suite.ts";
import { passwordTenants } from "../support/password_tenants.ts";
import { RawClient } from "../support/raw_client.ts";
import { waitBlocked } from "../support/blocked_clients.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { CASES, METADATA_COMMANDS, SCENARIOS } from "./stream_groups_cases.ts";

differentialSuite("stream_groups", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("stream_groups").specs });
scenarioSuite("stream_groups", SCENARIOS);

const bulk = (text: string): string => `$${new TextEncoder().encode(text).length}\r\n${text}\r\n`;
const command = (...words: string[]): string => `*${words.length}\r\n${words.map(bulk).join("")}`;
const NOPERM_KEYS = "-NOPERM this user has no permissions to access one of the keys used as arguments\r\n";
const noPermCommand = (name: string): string => `-NOPERM this user has no permissions to run the '${name}' command\r\n`;


/** The entry ids in a reply. */
const idsIn = (reply: string): string[] => [...reply.matchAll(/\$\d+\r\n(\d+-\d+)\r\n/g)].map((m) => m[1]!);

describe("consumer groups, tenants and rights", () => {
  let server: RunningServer;
  const clients: RawClient[] = [];
  before(async () => {
    server = await startInProcess({ auth: passwordTenants() });
  });
  after(async () => {
    for (const client of clients) client.close();
    await server.stop();
  });

  async function login(password: string): Promise<RawClient> {
    const client = await RawClient.connect(server.port);
    clients.push(client);
    assert.equal(await client.call("AUTH", password), "+OK\r\n");
    return client;
  }

  test("two tenants' streams of one name have their own groups, pending entries and consumers", async () => {
    const a = await login("a");
    const b = await login("b");
    assert.equal(await a.call("XADD", "jobs", "1-1", "job", "a1"), bulk("1-1"));
    assert.equal(await a.call("XGROUP", "CREATE", "jobs", "workers", "0"), "+OK\r\n");
    assert.equal(await b.call("XINFO", "GROUPS", "jobs"), "-ERR no such key\r\n");
    assert.equal(await b.call("XREADGROUP", "GROUP", "workers", "w", "STREAMS", "jobs", ">"), "-NOGROUP No such key 'jobs' or consumer group 'workers' in XREADGROUP with GROUP option\r\n");
    assert.equal(await b.call("XGROUP", "CREATE", "jobs", "workers", "$", "MKSTREAM"), "+OK\r\n");
    assert.equal(await b.call("XADD", "jobs", "5-5", "job", "b1"), bulk("5-5"));
    assert.deepEqual(idsIn(await b.call("XREADGROUP", "GROUP", "workers", "w", "STREAMS", "jobs", ">")), ["5-5"]);
    assert.deepEqual(idsIn(await a.call("XREADGROUP", "GROUP", "workers", "w", "STREAMS", "jobs", ">")), ["1-1"]);
    assert.equal(await a.call("XACK", "jobs", "workers", "5-5"), ":0\r\n", "tenant a cannot acknowledge tenant b's entry");
    assert.match(await b.call("XPENDING", "jobs", "workers"), /^\*4\r\n:1\r\n\$3\r\n5-5\r\n/);
    assert.match(await a.call("XPENDING", "jobs", "workers"), /^\*4\r\n:1\r\n\$3\r\n1-1\r\n/);
  });

  test("a consumer blocked on tenant a's stream is served by tenant a's XADD, not by tenant b's", async () => {
    const consumer = await login("a");
    const writerA = await login("a");
    const writerB = await login("b");
    assert.equal(await writerA.call("XGROUP", "CREATE", "feed", "g", "$", "MKSTREAM"), "+OK\r\n");
    assert.equal(await writerB.call("XGROUP", "CREATE", "feed", "g", "$", "MKSTREAM"), "+OK\r\n");
    consumer.writeRaw(command("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "feed", ">"));
    await waitBlocked(writerA, 1);
    assert.equal(await writerB.call("XADD", "feed", "1-1", "from", "b"), bulk("1-1"));
    await assert.rejects(consumer.readReply(200), /no complete reply/);
    assert.equal(await writerA.call("XADD", "feed", "2-1", "from", "a"), bulk("2-1"));
    assert.deepEqual(idsIn(await consumer.readReply()), ["2-1"]);
    assert.match(await writerB.call("XINFO", "GROUPS", "feed"), /\$7\r\npending\r\n:0\r\n/, "tenant b's group delivered nothing");
  });

  test("a read-only token reads pending entries and group details but cannot read as a consumer, acknowledge, claim or change groups", async () => {
    const writer = await login("a");
    const reader = await login("r");
    assert.equal(await writer.call("XADD", "ro", "1-1", "f", "v"), bulk("1-1"));
    assert.equal(await writer.call("XGROUP", "CREATE", "ro", "g", "0"), "+OK\r\n");
    assert.deepEqual(idsIn(await writer.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "ro", ">")), ["1-1"]);
    // XREADGROUP writes (the group's last id, the pending list): Redis's ACL counts it a write command too.
    assert.equal(await reader.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "ro", "0"), noPermCommand("xreadgroup"));
    assert.equal(await reader.call("XACK", "ro", "g", "1-1"), noPermCommand("xack"));
    assert.equal(await reader.call("XCLAIM", "ro", "g", "c2", "0", "1-1"), noPermCommand("xclaim"));
    assert.equal(await reader.call("XAUTOCLAIM", "ro", "g", "c2", "0", "0"), noPermCommand("xautoclaim"));
    assert.equal(await reader.call("XGROUP", "CREATE", "ro", "g2", "0"), noPermCommand("xgroup|create"));
    assert.equal(await reader.call("XGROUP", "DESTROY", "ro", "g"), noPermCommand("xgroup|destroy"));
    assert.match(await reader.call("XPENDING", "ro", "g"), /^\*4\r\n:1\r\n/);
    assert.match(await reader.call("XINFO", "CONSUMERS", "ro", "g"), /\$1\r\nc\r\n/);
    assert.match(await reader.call("XINFO", "STREAM", "ro", "FULL"), /pel-count/);
    assert.match(await writer.call("XPENDING", "ro", "g"), /^\*4\r\n:1\r\n/, "nothing was acknowledged");
  });

  test("a token limited to a key prefix reaches only streams under it, whatever the position of the key in XREADGROUP", async () => {
    const prefixed = await login("p");
    assert.equal(await prefixed.call("XGROUP", "CREATE", "p:s", "g", "$", "MKSTREAM"), "+OK\r\n");
    assert.equal(await prefixed.call("XGROUP", "CREATE", "other", "g", "$", "MKSTREAM"), NOPERM_KEYS);
    assert.equal(await prefixed.call("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "p:s", "other", ">", ">"), NOPERM_KEYS);
    assert.equal(await prefixed.call("XREADGROUP", "GROUP", "g", "c", "NOACK", "STREAMS", "other", ">"), NOPERM_KEYS);
    assert.equal(await prefixed.call("XINFO", "GROUPS", "other"), NOPERM_KEYS);
    assert.equal(await prefixed.call("XPENDING", "other", "g"), NOPERM_KEYS);
    assert.equal(await prefixed.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "p:s", ">"), "*-1\r\n");
  });
});

describe("XREADGROUP BLOCK with many consumers of one group", () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess();
  });
  after(() => server.stop());

  test("thirty entries added in one MULTI serve thirty blocked consumers, one entry each, in the order they blocked", async () => {
    const consumers = await Promise.all(Array.from({ length: 30 }, () => RawClient.connect(server.port)));
    const writer = await RawClient.connect(server.port);
    try {
      assert.equal(await writer.call("XGROUP", "CREATE", "q", "g", "$", "MKSTREAM"), "+OK\r\n");
      for (const [i, consumer] of consumers.entries()) {
        consumer.writeRaw(command("XREADGROUP", "GROUP", "g", `c${i}`, "COUNT", "1", "BLOCK", "0", "STREAMS", "q", ">"));
        await waitBlocked(writer, i + 1);
      }
      assert.equal(await writer.call("MULTI"), "+OK\r\n");
      for (let i = 1; i <= 30; i++) assert.equal(await writer.call("XADD", "q", `${i}-0`, "n", String(i)), "+QUEUED\r\n");
      assert.match(await writer.call("EXEC"), /^\*30\r\n/);
      const got = await Promise.all(consumers.map((consumer) => consumer.readReply()));
      assert.deepEqual(got.map((reply) => idsIn(reply)), Array.from({ length: 30 }, (_, i) => [`${i + 1}-0`]), "the first blocked gets the first entry");
      await waitBlocked(writer, 0);
      assert.match(await writer.call("XPENDING", "q", "g"), /^\*4\r\n:30\r\n/);
    } finally {
      for (const consumer of consumers) consumer.close();
      writer.close();
    }
  });
});
