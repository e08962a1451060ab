// The tests of CLUSTER, LOLWUT and TIME (src/commands/families/cluster.ts): the
// differential cases of cluster_cases.ts against redis-server (or its recorded
// replies), then Materia's own tests of the replies that differ by nature.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { differentialSuite } from "../differential/suite.ts";
import { RawClient } from "../support/raw_client.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { family } from "./families.ts";
import { CASES, METADATA_COMMANDS } from "./cluster_cases.ts";

differentialSuite("cluster", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("cluster").specs });

function bulk(reply: string): string {
  return reply.slice(reply.indexOf("\r\n") + 2, -2);
}

describe("TIME and LOLWUT", () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess();
  });
  after(() => server.stop());

  test("TIME is two bulk strings near the wall clock; LOLWUT shows art and the version", async () => {
    const client = await RawClient.connect(server.port);
    try {
      const reply = await client.call("TIME");
      const match = /^\*2\r\n\$\d+\r\n(\d+)\r\n\$\d+\r\n(\d+)\r\n$/.exec(reply);
      assert.ok(match, reply);
      assert.ok(Math.abs(Number(match[1]) - Date.now() / 1000) < 5);
      assert.ok(Number(match[2]) < 1_000_000);
      const art = bulk(await client.call("LOLWUT", "VERSION", "5"));
      assert.ok(art.endsWith("Materia ver. test\n"), art);
    } finally {
      client.close();
    }
  });
});
