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

  test("MEMORY HELP lists the subcommands Materia has as status lines", async () => {
    const help = await client.call("MEMORY", "HELP");
    assert.match(help, /^\*14\r\n\+MEMORY <subcommand> /);
    for (const line of ["USAGE <key> [SAMPLES <count>]", "DOCTOR", "MALLOC-STATS", "PURGE", "STATS", "HELP"]) assert.ok(help.includes(`\r\n+${line}\r\n`), line);
  });

  test("MEMORY STATS counts the tenant's keys per database and the bytes it stores, with Redis's names", async () => {
    await client.call("FLUSHALL");
    await client.call("SET", "a", "x".repeat(100));
    await client.call("SELECT", "3");
    await client.call("SET", "b", "y", "EX", "100");
    await client.call("SELECT", "0");
    await client.call("HELLO", "3");
    const stats = await client.call("MEMORY", "STATS");
    await client.call("HELLO", "2");
    assert.match(stats, /^%\d+\r\n/);
    assert.ok(stats.includes("$4\r\ndb.0\r\n%2\r\n$4\r\nkeys\r\n:1\r\n$7\r\nexpires\r\n:0\r\n"), stats);
    assert.ok(stats.includes("$4\r\ndb.3\r\n%2\r\n$4\r\nkeys\r\n:1\r\n$7\r\nexpires\r\n:1\r\n"), stats);
    assert.ok(stats.includes("$10\r\nkeys.count\r\n:2\r\n"), stats);
    const dataset = Number(/\$13\r\ndataset\.bytes\r\n:(\d+)\r\n/.exec(stats)?.[1]);
    assert.ok(dataset > 100, `dataset.bytes ${dataset}`);
    assert.match(stats, /\$18\r\ndataset\.percentage\r\n,[\d.e+-]+\r\n/);
    assert.equal(await client.call("MEMORY", "STATS", "x"), "-ERR wrong number of arguments for 'memory|stats' command\r\n");
  });

  test("MEMORY DOCTOR reports the tenant's storage; MEMORY MALLOC-STATS says the allocator keeps no statistics; MEMORY PURGE succeeds", async () => {
    assert.match(await client.call("MEMORY", "DOCTOR"), /^\$\d+\r\nThis tenant stores \d+ keys in [\d.]+[BKMG]/);
    assert.equal(await client.call("MEMORY", "MALLOC-STATS"), "$45\r\nStats not supported for the current allocator\r\n");
    assert.equal(await client.call("MEMORY", "PURGE"), "+OK\r\n");
  });
});
