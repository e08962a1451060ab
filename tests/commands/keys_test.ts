// The tests of the keyspace commands (src/commands/families/keys.ts), by command:
// the differential cases of keys_cases.ts against redis-server (or its recorded
// replies), then Materia's own tests of what differs by design.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { differentialSuite } from "../differential/suite.ts";
import { RawClient } from "../support/raw_client.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { family } from "./families.ts";
import { CASES, METADATA_COMMANDS } from "./keys_cases.ts";

differentialSuite("keys", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("keys").specs });

describe("MEMORY", () => {
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

  // Redis's help lists DOCTOR, STATS and more; Materia has USAGE and HELP only (docs/COMPATIBILITY.md).
  test("MEMORY HELP lists the subcommands Materia has, USAGE and HELP, as status lines", async () => {
    const help = await client.call("MEMORY", "HELP");
    assert.match(help, /^\*6\r\n\+MEMORY <subcommand> /);
    assert.ok(help.includes("\r\n+USAGE <key> [SAMPLES <count>]\r\n"), help);
    assert.ok(help.includes("\r\n+HELP\r\n"), help);
    assert.equal(await client.call("MEMORY", "DOCTOR"), "-ERR unknown subcommand 'DOCTOR'. Try MEMORY HELP.\r\n");
  });
});
