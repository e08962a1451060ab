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

describe("OBJECT IDLETIME and the last access of keys", () => {
  let server: RunningServer;
  let client: RawClient;
  /** The server's clock, moved by the tests (keys get no TTL here, so expiry plays no part). */
  let now = Date.UTC(2026, 0, 1);
  const advance = (ms: number): void => {
    now += ms;
  };
  const idle = async (key: string): Promise<string> => await client.call("OBJECT", "IDLETIME", key);
  before(async () => {
    server = await startInProcess({ clock: () => now });
    client = await RawClient.connect(server.port);
  });
  after(async () => {
    client.close();
    await server.stop();
  });

  test("OBJECT IDLETIME counts whole seconds since the last command that used the key", async () => {
    await client.call("SET", "k", "v");
    assert.equal(await idle("k"), ":0\r\n");
    advance(4_999);
    assert.equal(await idle("k"), ":4\r\n");
    advance(1);
    assert.equal(await idle("k"), ":5\r\n");
    await client.call("GET", "k");
    assert.equal(await idle("k"), ":0\r\n");
    assert.equal(await idle("nokey"), "$-1\r\n");
  });

  test("TYPE, EXISTS, the TTL family, OBJECT, MEMORY USAGE, SCAN, KEYS, DBSIZE and RANDOMKEY leave the last access as it was; TOUCH and writes refresh it", async () => {
    await client.call("FLUSHALL");
    await client.call("RPUSH", "l", "a");
    advance(7_000);
    for (const command of [["TYPE", "l"], ["EXISTS", "l"], ["TTL", "l"], ["PTTL", "l"], ["EXPIRETIME", "l"], ["PEXPIRETIME", "l"],
      ["OBJECT", "ENCODING", "l"], ["OBJECT", "REFCOUNT", "l"], ["OBJECT", "FREQ", "l"], ["MEMORY", "USAGE", "l"], ["SCAN", "0"], ["KEYS", "*"],
      ["DBSIZE"], ["RANDOMKEY"]]) {
      await client.call(...command);
      assert.equal(await idle("l"), ":7\r\n", `${command.join(" ")} used the key`);
    }
    assert.equal(await client.call("TOUCH", "l"), ":1\r\n");
    assert.equal(await idle("l"), ":0\r\n");
    advance(3_000);
    await client.call("LLEN", "l");
    assert.equal(await idle("l"), ":0\r\n");
    advance(3_000);
    await client.call("RPUSH", "l", "b");
    assert.equal(await idle("l"), ":0\r\n");
  });

  test("MOVE, COPY ... DB and SWAPDB carry a key's last access to its new database", async () => {
    await client.call("FLUSHALL");
    await client.call("SET", "m", "v");
    await client.call("SET", "s", "v");
    advance(10_000);
    await client.call("MOVE", "m", "1");
    assert.equal(await idle("s"), ":10\r\n");
    await client.call("SWAPDB", "0", "1");
    assert.equal(await idle("m"), ":0\r\n");
    await client.call("SELECT", "1");
    assert.equal(await idle("s"), ":10\r\n");
    advance(2_000);
    assert.equal(await client.call("COPY", "s", "c", "DB", "2"), ":1\r\n");
    await client.call("SELECT", "2");
    assert.equal(await idle("c"), ":0\r\n");
    await client.call("SELECT", "0");
  });

  test("OBJECT FREQ answers Redis's error for an existing key, as under Materia's noeviction policy", async () => {
    await client.call("SET", "f", "v");
    assert.match(await client.call("OBJECT", "FREQ", "f"), /^-ERR An LFU maxmemory policy is not selected, access frequency not tracked/);
    assert.equal(await client.call("OBJECT", "FREQ", "nokey"), "$-1\r\n");
    assert.equal(await client.call("CONFIG", "GET", "maxmemory-policy"), "*2\r\n$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n");
  });
});
