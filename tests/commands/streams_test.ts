// The tests of the stream commands (src/commands/families/streams.ts): the
// differential cases and XREAD BLOCK scenarios of streams_cases.ts against
// redis-server (or its recorded replies), on the memory and SQLite engines;
// then Materia's own tests of what is Materia's alone: tenants and rights
// around XREAD BLOCK, and many readers woken by one XADD.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { scenarioSuite } from "../differential/scenario_suite.ts";
import { passwordTenants } from "../support/password_tenants.ts";
import { RawClient } from "../support/raw_client.ts";
import { waitBlocked } from "../support/blocked_clients.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { CASES, METADATA_COMMANDS, SCENARIOS } from "./streams_cases.ts";

differentialSuite("streams", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("streams").specs });
scenarioSuite("streams", SCENARIOS);

const bulk = (text: string): string => `$${new TextEncoder().encode(text).length}\r\n${text}\r\n`;
const XREAD_BLOCK_NEW = (key: string): string => `*6\r\n$5\r\nXREAD\r\n$5\r\nBLOCK\r\n$1\r\n0\r\n$7\r\nSTREAMS\r\n${bulk(key)}$1\r\n$\r\n`;


describe("XREAD BLOCK, tenants and rights", () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess({ auth: passwordTenants() });
  });
  after(() => server.stop());

  async function login(password: string): Promise<RawClient> {
    const client = await RawClient.connect(server.port);
    assert.equal(await client.call("AUTH", password), "+OK\r\n");
    return client;
  }

  test("XREAD is a read: a read-only principal blocks on a stream and is served by its tenant's XADD, not another tenant's", async () => {
    const reader = await login("r");
    const writerA = await login("a");
    const writerB = await login("b");
    try {
      assert.equal(await reader.call("XADD", "s", "*", "f", "v"), "-NOPERM this user has no permissions to run the 'xadd' command\r\n");
      reader.writeRaw(XREAD_BLOCK_NEW("s"));
      await waitBlocked(writerA, 1);
      assert.equal(await writerB.call("XADD", "s", "1-1", "from", "b"), bulk("1-1"));
      await assert.rejects(reader.readReply(200), /no complete reply/);
      assert.equal(await writerA.call("XADD", "s", "2-1", "from", "a"), bulk("2-1"));
      assert.equal(await reader.readReply(), `*1\r\n*2\r\n${bulk("s")}*1\r\n*2\r\n${bulk("2-1")}*2\r\n${bulk("from")}${bulk("a")}`);
    } finally {
      reader.close();
      writerA.close();
      writerB.close();
    }
  });
});

describe("XREAD BLOCK with many readers", () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess();
  });
  after(() => server.stop());

  test("one XADD serves fifty readers waiting on the stream, each with the same entry, and none stays blocked", async () => {
    const readers = await Promise.all(Array.from({ length: 50 }, () => RawClient.connect(server.port)));
    const writer = await RawClient.connect(server.port);
    try {
      for (const reader of readers) reader.writeRaw(XREAD_BLOCK_NEW("fan"));
      await waitBlocked(writer, 50);
      assert.equal(await writer.call("XADD", "fan", "7-7", "k", "v"), bulk("7-7"));
      const expected = `*1\r\n*2\r\n${bulk("fan")}*1\r\n*2\r\n${bulk("7-7")}*2\r\n${bulk("k")}${bulk("v")}`;
      for (const reply of await Promise.all(readers.map((reader) => reader.readReply()))) assert.equal(reply, expected);
      await waitBlocked(writer, 0);
    } finally {
      for (const reader of readers) reader.close();
      writer.close();
    }
  });
});
