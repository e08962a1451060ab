// The tests of the persistence commands (src/commands/families/persistence.ts):
// the differential cases of persistence_cases.ts against redis-server (or its
// recorded replies), then Materia's own answers on each engine: SAVE, BGSAVE,
// BGREWRITEAOF and LASTSAVE on a durable engine and on memory, WAITAOF (Redis
// 7.2), and SHUTDOWN, the operator's.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { SqliteEngine } from "../../src/engine/sqlite/engine.ts";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { differentialSuite } from "../differential/suite.ts";
import { TempDirs } from "../engine/sqlite_support.ts";
import { RawClient } from "../support/raw_client.ts";
import { runtimeOpenSqlite } from "../support/runtime.ts";
import { defaultTestEngineName, type RunningServer, startInProcess } from "../support/servers.ts";
import { type AuthServer, noPermission, rawAuthed, startAuthServer } from "../auth/support.ts";
import { family } from "./families.ts";
import { CASES, METADATA_COMMANDS } from "./persistence_cases.ts";

differentialSuite("persistence", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("persistence").specs });

const NOTHING_ON_DISK = /^-ERR Materia's memory engine keeps no data on disk/;

describe("SAVE, BGSAVE, BGREWRITEAOF, LASTSAVE and WAITAOF on a durable engine", () => {
  const dirs = new TempDirs();
  let server: RunningServer;
  let client: RawClient;
  before(async () => {
    server = await startInProcess({ engine: await SqliteEngine.open(dirs.make("persistence"), { openDriver: await runtimeOpenSqlite() }) });
    client = await RawClient.connect(server.port);
  });
  after(async () => {
    client.close();
    await server.stop();
    dirs.removeAll();
  });

  test("SAVE, BGSAVE [SCHEDULE] and BGREWRITEAOF succeed at once with Redis's replies: every write is already on disk", async () => {
    assert.equal(await client.call("SAVE"), "+OK\r\n");
    assert.equal(await client.call("BGSAVE"), "+Background saving started\r\n");
    assert.equal(await client.call("BGSAVE", "schedule"), "+Background saving started\r\n");
    assert.equal(await client.call("BGREWRITEAOF"), "+Background append only file rewriting started\r\n");
  });

  test("LASTSAVE is now: the data was last saved with the last acknowledged write", async () => {
    const before = Math.floor(Date.now() / 1000);
    const lastsave = Number(/^:(\d+)\r\n$/.exec(await client.call("LASTSAVE"))?.[1]);
    assert.ok(lastsave >= before && lastsave <= Math.floor(Date.now() / 1000), `LASTSAVE ${lastsave}`);
  });

  test("WAITAOF answers [1, 0]: on the local disk, no replica; WAIT answers 0; their arguments are checked", async () => {
    assert.equal(await client.call("SET", "k", "v"), "+OK\r\n");
    assert.equal(await client.call("WAITAOF", "1", "0", "0"), "*2\r\n:1\r\n:0\r\n");
    assert.equal(await client.call("WAITAOF", "0", "2", "100"), "*2\r\n:1\r\n:0\r\n");
    assert.equal(await client.call("WAIT", "2", "100"), ":0\r\n");
    assert.equal(await client.call("WAITAOF", "2", "0", "0"), "-ERR value is out of range, value must between 0 and 1\r\n");
    assert.equal(await client.call("WAITAOF", "x", "0", "0"), "-ERR value is not an integer or out of range\r\n");
    assert.equal(await client.call("WAITAOF", "0", "-1", "0"), "-ERR value is out of range, must be positive\r\n");
    assert.equal(await client.call("WAITAOF", "0", "0", "-1"), "-ERR timeout is negative\r\n");
    assert.equal(await client.call("WAITAOF", "0", "0"), "-ERR wrong number of arguments for 'waitaof' command\r\n");
  });
});

describe(`WAIT and WAITAOF on the ${defaultTestEngineName} engine`, () => {
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

  test("WAIT for replicas answers at once: the number asked on FoundationDB (a commit is acknowledged once replicated), 0 on an engine without replicas", async () => {
    const replicated = defaultTestEngineName === "fdb";
    assert.equal(await client.call("SET", "k", "v"), "+OK\r\n");
    assert.equal(await client.call("WAIT", "2", "0"), replicated ? ":2\r\n" : ":0\r\n");
    assert.equal(await client.call("WAIT", "1", "100000"), replicated ? ":1\r\n" : ":0\r\n");
    assert.equal(await client.call("WAITAOF", "0", "3", "0"), replicated ? "*2\r\n:1\r\n:3\r\n" : "*2\r\n:0\r\n:0\r\n");
  });
});

describe("SAVE, BGSAVE, BGREWRITEAOF, LASTSAVE and WAITAOF on the memory engine", () => {
  let server: RunningServer;
  let client: RawClient;
  before(async () => {
    server = await startInProcess({ engine: new MemoryEngine() });
    client = await RawClient.connect(server.port);
  });
  after(async () => {
    client.close();
    await server.stop();
  });

  test("SAVE, BGSAVE and BGREWRITEAOF say the memory engine keeps nothing on disk; LASTSAVE is the server's start", async () => {
    assert.match(await client.call("SAVE"), NOTHING_ON_DISK);
    assert.match(await client.call("BGSAVE"), NOTHING_ON_DISK);
    assert.match(await client.call("BGREWRITEAOF"), NOTHING_ON_DISK);
    const started = Math.floor(server.server.serverInfo().startedAtMs / 1000);
    assert.equal(await client.call("LASTSAVE"), `:${started}\r\n`);
  });

  test("WAITAOF with numlocal is refused as Redis refuses it without an append-only file; without, [0, 0]", async () => {
    assert.equal(await client.call("WAITAOF", "1", "0", "0"), "-ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.\r\n");
    assert.equal(await client.call("WAITAOF", "0", "1", "0"), "*2\r\n:0\r\n:0\r\n");
  });

  test("SHUTDOWN SAVE fails without FORCE: there is nothing it could save", async () => {
    assert.equal(await client.call("SHUTDOWN", "SAVE"), "-ERR Errors trying to SHUTDOWN. Check logs.\r\n");
    assert.equal(await client.call("PING"), "+PONG\r\n");
  });
});

describe("SHUTDOWN", () => {
  test("SHUTDOWN from the operator answers nothing, closes the connection and stops the server gracefully", async () => {
    const server = await startInProcess();
    const client = await RawClient.connect(server.port);
    const other = await RawClient.connect(server.port);
    try {
      assert.equal(await client.call("SET", "k", "v"), "+OK\r\n");
      client.writeRaw("*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n");
      assert.equal(await client.closedByServer(5_000), true);
      assert.equal(await other.closedByServer(5_000), true);
      await assert.rejects(RawClient.connect(server.port));
    } finally {
      client.close();
      other.close();
      await server.stop();
    }
  });

  describe("refused to tenants", () => {
    let s: AuthServer;
    before(async () => {
      s = await startAuthServer();
    });
    after(() => s.stop());

    test("SHUTDOWN from a tenant's token is refused and the server keeps running", async () => {
      const tenant = await rawAuthed(s.port, await s.mint("kv_shut"));
      try {
        assert.equal(await tenant.call("SHUTDOWN"), noPermission("shutdown"));
        assert.equal(await tenant.call("SHUTDOWN", "NOSAVE", "NOW", "FORCE"), noPermission("shutdown"));
        assert.equal(await tenant.call("PING"), "+PONG\r\n");
      } finally {
        tenant.close();
      }
    });
  });
});

describe("REPLICAOF and SLAVEOF of another server", () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess();
  });
  after(() => server.stop());

  test("REPLICAOF host port and SLAVEOF host port are refused, naming where replication happens; NO ONE is OK", async () => {
    const client = await RawClient.connect(server.port);
    try {
      for (const command of ["REPLICAOF", "SLAVEOF"]) {
        assert.match(await client.call(command, "127.0.0.1", "6379"), /^-ERR Materia servers do not replicate from one another: .*FoundationDB/);
        assert.equal(await client.call(command, "NO", "ONE"), "+OK\r\n");
      }
      assert.deepEqual(await client.call("ROLE"), "*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n");
    } finally {
      client.close();
    }
  });
});
