// The tests of LCS (src/commands/families/lcs.ts): the differential cases of
// lcs_cases.ts against redis-server (or its recorded replies), then Materia's
// own tests: the bound on the table it builds.
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { CASES, METADATA_COMMANDS } from "./lcs_cases.ts";

differentialSuite("lcs", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("lcs").specs });

// Materia's own tests: the table LCS builds is bounded as Redis bounds it, by
// proto-max-bulk-len, which is Materia's 5 MB value limit.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { RawClient } from "../support/raw_client.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";

const TABLE_TOO_LARGE = "-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n";

describe("LCS refuses a table over 5 MB before reading the values, and keeps serving others", () => {
  let server: RunningServer;
  let client: RawClient;
  before(async () => {
    server = await startInProcess();
    client = await RawClient.connect(server.port);
  });
  after(async () => {
    client.close();
    await server.stop();
  });

  test("(len1+1) * (len2+1) * 4 bytes up to 5,242,880 is computed; one more byte of string is refused", async () => {
    // 1,143 x 1,145: 1,144 * 1,146 * 4 = 5,244,096 > 5,242,880; 1,143 x 1,144: 1,144 * 1,145 * 4 = 5,239,520.
    assert.equal(await client.call("SET", "a", "x".repeat(1_143)), "+OK\r\n");
    assert.equal(await client.call("SET", "b", "x".repeat(1_144)), "+OK\r\n");
    assert.equal(await client.call("LCS", "a", "b", "LEN"), ":1143\r\n");
    assert.equal(await client.call("APPEND", "b", "x"), ":1145\r\n");
    assert.equal(await client.call("LCS", "a", "b", "LEN"), TABLE_TOO_LARGE);
    assert.equal(await client.call("LCS", "b", "a", "IDX"), TABLE_TOO_LARGE);
  });

  test("two 5 MB strings answer the error at once, and the server answers the next command", async () => {
    const big = "y".repeat(5 * 1024 * 1024);
    assert.equal(await client.call("SET", "big1", big), "+OK\r\n");
    assert.equal(await client.call("SET", "big2", big), "+OK\r\n");
    assert.equal(await client.call("LCS", "big1", "big2"), TABLE_TOO_LARGE);
    // A missing key is an empty string, but the table still has a row per byte of the other (5 MB + 1 cells of 4 bytes).
    assert.equal(await client.call("LCS", "big1", "missing", "LEN"), TABLE_TOO_LARGE);
    assert.equal(await client.call("LCS", "a", "missing", "LEN"), ":0\r\n");
    assert.equal(await client.call("PING"), "+PONG\r\n");
  });
});
