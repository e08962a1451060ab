// The server and admin commands on a shared server: each tenant's CONFIG SET
// of a remembered parameter is its own (another tenant, and the same tenant
// on a new connection, see what each set), the operator's parameters and
// SHUTDOWN are refused to tokens, and INFO and ACL show a tenant nothing of
// another.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { SqliteEngine } from "../../src/engine/sqlite/engine.ts";
import { TempDirs } from "../engine/sqlite_support.ts";
import type { RawClient } from "../support/raw_client.ts";
import { runtimeOpenSqlite } from "../support/runtime.ts";
import { type AuthServer, bulk, noPermission, OK, rawAuthed, startAuthServer } from "./support.ts";

const pair = (name: string, value: string) => `*2\r\n${bulk(name)}${bulk(value)}`;

describe("server commands between tenants", () => {
  let s: AuthServer;
  let a: RawClient;
  let b: RawClient;
  let tokenA: string;
  before(async () => {
    s = await startAuthServer();
    tokenA = await s.mint("kv_cfg_a");
    a = await rawAuthed(s.port, tokenA);
    b = await rawAuthed(s.port, await s.mint("kv_cfg_b"));
  });
  after(async () => {
    a.close();
    b.close();
    await s.stop();
  });

  test("a tenant's CONFIG SET of remembered parameters is its own: another tenant keeps Redis's defaults; a new connection of the same tenant sees it", async () => {
    assert.equal(await a.call("CONFIG", "SET", "hash-max-listpack-entries", "1000", "save", "900 1", "appendonly", "yes"), OK);
    assert.equal(await a.call("CONFIG", "GET", "hash-max-ziplist-entries"), pair("hash-max-ziplist-entries", "1000"));
    assert.equal(await a.call("CONFIG", "GET", "save"), pair("save", "900 1"));
    assert.equal(await b.call("CONFIG", "GET", "hash-max-listpack-entries"), pair("hash-max-listpack-entries", "512"));
    assert.equal(await b.call("CONFIG", "GET", "appendonly"), pair("appendonly", "no"));
    const again = await rawAuthed(s.port, tokenA);
    try {
      assert.equal(await again.call("CONFIG", "GET", "appendonly"), pair("appendonly", "yes"));
    } finally {
      again.close();
    }
  });

  test("CONFIG SET is all or none for a tenant: a parameter of the operator's refuses the whole command", async () => {
    assert.equal(await a.call("CONFIG", "SET", "hz", "20", "timeout", "5"), noPermission("config|set"));
    assert.equal(await a.call("CONFIG", "GET", "hz"), pair("hz", "10"));
    assert.equal(await a.call("CONFIG", "SET", "hz", "20", "maxmemory-policy", "allkeys-lru"),
      "-ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - Materia never evicts data: the only policy is noeviction, and storage is bounded by each tenant's quota\r\n");
    assert.equal(await a.call("CONFIG", "GET", "hz"), pair("hz", "10"));
    assert.equal(await a.call("CONFIG", "SET", "maxmemory-policy", "noeviction", "requirepass", ""), OK);
    assert.match(await a.call("CONFIG", "SET", "requirepass", "secret"), /^-ERR CONFIG SET failed \(possibly related to argument 'requirepass'\) - Materia authenticates with/);
  });

  test("a read-only token may not CONFIG SET; a tenant sees no data directory", async () => {
    const reader = await rawAuthed(s.port, await s.mint("kv_cfg_a", { readOnly: true }));
    try {
      assert.equal(await reader.call("CONFIG", "SET", "hz", "20"), noPermission("config|set"));
      assert.equal(await reader.call("CONFIG", "GET", "dir"), "*0\r\n");
      assert.ok(!(await reader.call("CONFIG", "GET", "*")).includes(bulk("dir")));
    } finally {
      reader.close();
    }
  });

  test("INFO shows a tenant no command or error statistics and no server-wide rate; its used_memory is the bytes it stores", async () => {
    await b.call("SET", "b-key", "x".repeat(1000));
    await b.call("NOSUCHCOMMAND");
    const info = await a.call("INFO", "everything");
    for (const title of ["# Commandstats", "# Errorstats", "# Latencystats", "# Keyspace"]) assert.ok(info.includes(`${title}\r\n`), title);
    assert.ok(!/cmdstat_|errorstat_|instantaneous_ops_per_sec|total_error_replies|process_id|executable/.test(info), info);
    const used = /used_memory:(\d+)/.exec(info)?.[1];
    assert.equal(used, /used_storage:(\d+)/.exec(info)?.[1]);
  });

  test("SHUTDOWN is refused to a tenant; ACL USERS and ACL LIST name the caller alone", async () => {
    assert.equal(await a.call("SHUTDOWN", "NOSAVE"), noPermission("shutdown"));
    assert.equal(await a.call("ACL", "USERS"), `*1\r\n${bulk("default")}`);
    assert.equal(await a.call("ACL", "LIST"), `*1\r\n${bulk("user default on ~* &* +@all")}`);
    assert.equal(await b.call("PING"), "+PONG\r\n");
  });
});

test("a tenant's remembered CONFIG values are kept in the engine: a restarted server on the same SQLite data reports them", async () => {
  const dirs = new TempDirs();
  const dir = dirs.make("remembered-config");
  try {
    const first = await startAuthServer({ engine: await SqliteEngine.open(dir, { openDriver: await runtimeOpenSqlite() }) });
    const before = await rawAuthed(first.port, await first.mint("kv_restart"));
    assert.equal(await before.call("CONFIG", "SET", "zset-max-listpack-entries", "64", "loglevel", "warning"), OK);
    before.close();
    await first.stop();
    const second = await startAuthServer({ engine: await SqliteEngine.open(dir, { openDriver: await runtimeOpenSqlite() }) });
    const after = await rawAuthed(second.port, await second.mint("kv_restart"));
    try {
      assert.equal(await after.call("CONFIG", "GET", "zset-max-ziplist-entries"), pair("zset-max-ziplist-entries", "64"));
      assert.equal(await after.call("CONFIG", "GET", "loglevel"), pair("loglevel", "warning"));
      assert.equal(await after.call("FLUSHALL"), OK);
      assert.equal(await after.call("CONFIG", "GET", "loglevel"), pair("loglevel", "warning"));
    } finally {
      after.close();
      await second.stop();
    }
  } finally {
    dirs.removeAll();
  }
});
