// The tests of the sorted-set commands (src/commands/families/sorted_sets.ts):
// the differential cases of sorted_sets_cases.ts against redis-server (or its
// recorded replies), then Materia's own tests.
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { CASES, METADATA_COMMANDS } from "./sorted_sets_cases.ts";

differentialSuite("sorted_sets", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("sorted_sets").specs });

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { RawClient } from "../support/raw_client.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";

describe("sorted sets: Materia's own", () => {
  let server: RunningServer;
  let client: RawClient;
  before(async () => {
    server = await startInProcess();
    client = await RawClient.connect(server.port);
  });
  after(async () => {
    client?.close();
    await server?.stop();
  });

  test("ZRANK and ZREVRANK WITHSCORE (Redis 7.2) reply with the rank and the score; nil when missing", async () => {
    await client.call("DEL", "ranked");
    assert.equal(await client.call("ZADD", "ranked", "1", "a", "0.1", "b", "3", "c"), ":3\r\n");
    assert.equal(await client.call("ZRANK", "ranked", "a", "WITHSCORE"), "*2\r\n:1\r\n$1\r\n1\r\n");
    assert.equal(await client.call("ZRANK", "ranked", "b", "withscore"), "*2\r\n:0\r\n$19\r\n0.10000000000000001\r\n");
    assert.equal(await client.call("ZREVRANK", "ranked", "c", "WITHSCORE"), "*2\r\n:0\r\n$1\r\n3\r\n");
    assert.equal(await client.call("ZRANK", "ranked", "nope", "WITHSCORE"), "*-1\r\n");
    assert.equal(await client.call("ZRANK", "nokey", "a", "WITHSCORE"), "*-1\r\n");
    assert.equal(await client.call("ZRANK", "ranked", "a", "WITHSCORES"), "-ERR syntax error\r\n");
    assert.equal(await client.call("ZRANK", "ranked", "a", "WITHSCORE", "x"), "-ERR syntax error\r\n");
    assert.equal(await client.call("ZRANK", "ranked", "a"), ":1\r\n");
  });

  test("in RESP3, ZRANK WITHSCORE's score, ZSCORE and WITHSCORES are doubles", async () => {
    const resp3 = await RawClient.connect(server.port);
    try {
      await resp3.call("HELLO", "3");
      await resp3.call("DEL", "r3");
      await resp3.call("ZADD", "r3", "1.5", "a", "-inf", "b");
      assert.equal(await resp3.call("ZRANK", "r3", "a", "WITHSCORE"), "*2\r\n:1\r\n,1.5\r\n");
      assert.equal(await resp3.call("ZSCORE", "r3", "b"), ",-inf\r\n");
      assert.equal(await resp3.call("ZRANGE", "r3", "0", "-1", "WITHSCORES"), "*2\r\n*2\r\n$1\r\nb\r\n,-inf\r\n*2\r\n$1\r\na\r\n,1.5\r\n");
      assert.equal(await resp3.call("ZRANK", "r3", "nope", "WITHSCORE"), "_\r\n");
    } finally {
      resp3.close();
    }
  });

  test("a member too long for the storage key limit is refused before any write", async () => {
    const long = "m".repeat(10_000);
    assert.match(await client.call("ZADD", "toolong", "1", "ok", "2", long), /^-ERR field or member is too long/);
    assert.equal(await client.call("EXISTS", "toolong"), ":0\r\n");
  });
});
