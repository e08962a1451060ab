// Function libraries are kept in the engine, as Redis keeps them in its
// RDB and AOF: after a restart on the same SQLite data they are still there,
// FCALL runs them, and FUNCTION DUMP gives the same payload. The EVAL script
// cache is not persisted, in Redis either: clients send EVAL again on NOSCRIPT.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { SqliteEngine } from "../../src/engine/sqlite/engine.ts";
import { TempDirs } from "../engine/sqlite_support.ts";
import { RawClient } from "../support/raw_client.ts";
import { runtimeOpenSqlite } from "../support/runtime.ts";
import { startInProcess } from "../support/servers.ts";

const dirs = new TempDirs();
after(() => dirs.removeAll());

const LIBRARY = "#!lua name=kept\nredis.register_function('kept_fn', function(keys, args) return redis.call('incrby', keys[1], args[1]) end)";

async function serverOn(dir: string) {
  const engine = await SqliteEngine.open(dir, { openDriver: await runtimeOpenSqlite() });
  return startInProcess({ engine });
}

test("function libraries survive a restart on the same data; the script cache does not", async () => {
  const dir = dirs.make("functions-restart");
  const first = await serverOn(dir);
  let dump: string;
  let sha: string;
  const a = await RawClient.connect(first.port);
  try {
    assert.equal(await a.call("FUNCTION", "LOAD", LIBRARY), "$4\r\nkept\r\n");
    assert.equal(await a.call("FCALL", "kept_fn", "1", "counter", "5"), ":5\r\n");
    dump = await a.call("FUNCTION", "DUMP");
    const loaded = await a.call("SCRIPT", "LOAD", "return 'cached'");
    sha = /^\$40\r\n([0-9a-f]{40})\r\n$/.exec(loaded)![1]!;
  } finally {
    a.close();
    await first.stop();
  }
  const second = await serverOn(dir);
  const b = await RawClient.connect(second.port);
  try {
    assert.equal(await b.call("FCALL", "KEPT_FN", "1", "counter", "2"), ":7\r\n");
    assert.equal(await b.call("FUNCTION", "DUMP"), dump);
    assert.match(await b.call("FUNCTION", "LIST", "WITHCODE"), /kept_fn/);
    assert.equal(await b.call("EVALSHA", sha, "0"), "-NOSCRIPT No matching script. Please use EVAL.\r\n");
  } finally {
    b.close();
    await second.stop();
  }
});
