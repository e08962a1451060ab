// Scripts belong to a tenant, and a long script holds up its own tenant only:
// past busy-reply-threshold the tenant's other clients get BUSY, SCRIPT KILL
// stops a script that has not written, and a script that has written runs to
// the engine's transaction limit and then fails whole, with nothing applied.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import Redis from "ioredis";
import { passwordTenants } from "../support/password_tenants.ts";
import { type RunningServer, startInProcess } from "../support/servers.ts";

describe("scripts: tenancy, BUSY and SCRIPT KILL", () => {
  let server: RunningServer;
  const clients: Redis[] = [];
  const connect = async (password: string): Promise<Redis> => {
    const client = new Redis({ port: server.port, host: "127.0.0.1", password, lazyConnect: true, maxRetriesPerRequest: 0 });
    await client.connect();
    clients.push(client);
    return client;
  };

  before(async () => {
    server = await startInProcess({ auth: passwordTenants() });
    // 100 ms rather than Redis's 5 s, so that the test does not wait long (CONFIG SET busy-reply-threshold is the operator's).
    server.server.scripting.running.busyThresholdMs = 100;
    // Scripts stop at 1 s rather than the engine's 5 s limit, which is the same code path, sooner.
    server.server.scripting.running.deadlineMs = 1_000;
  });
  after(async () => {
    for (const client of clients) client.disconnect();
    await server.stop();
  });

  test("a tenant cannot run, detect or flush another tenant's scripts", async () => {
    const a = await connect("a");
    const b = await connect("b");
    const sha = (await a.script("LOAD", "return 'mine'")) as string;
    assert.deepEqual(await a.script("EXISTS", sha), [1]);
    assert.deepEqual(await b.script("EXISTS", sha), [0]);
    await assert.rejects(b.evalsha(sha, 0), /NOSCRIPT No matching script/);
    await b.script("FLUSH");
    assert.equal(await a.evalsha(sha, 0), "mine");
    // Keys too: a script sees its own tenant's data only.
    await a.set("k", "from a");
    assert.equal(await b.eval("return redis.call('get', KEYS[1])", 1, "k"), null);
    assert.equal(await a.eval("return redis.call('get', KEYS[1])", 1, "k"), "from a");
  });

  test("a prefix-limited token's script touches only keys under its prefixes, checked at each key it touches", async () => {
    const limited = await connect("p");
    assert.equal(await limited.eval("redis.call('set', 'p:one', '1') return redis.call('get', 'p:one')", 0), "1");
    await assert.rejects(
      limited.eval("redis.call('set', 'p:two', '2') return redis.call('get', 'elsewhere')", 0),
      /ERR The user executing the script can't access at least one of the keys mentioned in the command script: [0-9a-f]{40}, on @user_script:1\./,
    );
    // Redis keeps the writes a failed script made before its error; so does Materia.
    assert.equal(await limited.get("p:two"), "2");
    // Declared keys outside the prefixes are refused before the script runs.
    await assert.rejects(limited.eval("return 1", 1, "elsewhere"), /NOPERM/);
  });

  test("function libraries belong to a tenant: another tenant neither lists, calls nor flushes them", async () => {
    const a = await connect("a");
    const b = await connect("b");
    await a.function("FLUSH");
    assert.equal(await a.function("LOAD", "#!lua name=alib\nredis.register_function('afn', function() return 'a ran' end)"), "alib");
    assert.deepEqual(await b.function("LIST"), []);
    await assert.rejects(b.fcall("afn", 0), /ERR Function not found/);
    // The same names are free for b: its own library, its own function.
    assert.equal(await b.function("LOAD", "#!lua name=alib\nredis.register_function('afn', function() return 'b ran' end)"), "alib");
    await b.function("FLUSH");
    assert.equal(await a.fcall("afn", 0), "a ran");
    const stats = (await a.function("STATS")) as unknown[];
    assert.deepEqual(stats.slice(2), ["engines", ["LUA", ["libraries_count", 1, "functions_count", 1]]]);
  });

  test("FUNCTION LOAD stops library code that runs past 500 ms, as Redis does, and later functions run as before", async () => {
    const a = await connect("a");
    await assert.rejects(a.function("LOAD", "#!lua name=endless\nwhile true do end"), /^ReplyError: ERR Error registering functions: ERR FUNCTION LOAD timeout$/);
    assert.equal(await a.function("LOAD", "REPLACE", "#!lua name=after\nredis.register_function('sum', function() local n = 0 for i = 1, 1000 do n = n + i end return n end)"), "after");
    assert.equal(await a.fcall("sum", 0), 500500);
  });

  test("a script's Lua memory is bounded: past the limit it fails, and the server and the tenant's next script are fine", async () => {
    const a = await connect("a");
    await assert.rejects(a.eval("local t = {} for i = 1, 1e9 do t[i] = i end return #t", 0), /not enough memory/);
    await assert.rejects(a.eval("return #string.rep('x', 2 ^ 30)", 0), /not enough memory|too large/);
    assert.equal(await a.eval("return 'still here'", 0), "still here");
  });

  test("a read-only token's script is refused writes, with Redis's script wording", async () => {
    const reader = await connect("r");
    await assert.rejects(
      reader.eval("return redis.call('set', 'k', 'v')", 0),
      /ERR The user executing the script can't run this command or subcommand script: [0-9a-f]{40}, on @user_script:1\./,
    );
    assert.equal(await reader.eval("return redis.call('get', 'k')", 0), "from a");
  });

  test("past the threshold the tenant's other clients get BUSY, other tenants do not, and SCRIPT KILL stops the script", async () => {
    const runner = await connect("a");
    const other = await connect("a");
    const elsewhere = await connect("b");
    const running = runner.eval("local n = 0 while true do n = n + 1 end", 0).then(() => "finished", (error: Error) => error.message);
    // The script runs on: wait until it is past the threshold (BUSY), without timing it.
    let busy = "";
    for (let i = 0; i < 200 && !busy.startsWith("BUSY"); i++) {
      busy = await other.get("k").then(() => "", (error: Error) => error.message);
      if (!busy.startsWith("BUSY")) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(busy, "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
    assert.equal(await elsewhere.set("k", "b's"), "OK");
    assert.equal(await other.script("KILL"), "OK");
    assert.match(await running, /^ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.$/);
    assert.equal(await other.get("k"), "from a");
    await assert.rejects(other.script("KILL"), /NOTBUSY No scripts in execution right now\./);
  });

  test("a script that wrote cannot be killed; at the engine's time limit it fails whole, and its writes are not applied", { timeout: 30_000 }, async () => {
    const runner = await connect("a");
    const other = await connect("a");
    const running = runner.eval("redis.call('set', 'written', 'yes') while true do end", 0).then(() => "finished", (error: Error) => error.message);
    let answer = "";
    for (let i = 0; i < 200 && !answer.startsWith("UNKILLABLE"); i++) {
      answer = await other.script("KILL").then(String, (error: Error) => error.message);
      if (!answer.startsWith("UNKILLABLE")) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.match(answer, /^UNKILLABLE Sorry the script already executed write commands against the dataset\./);
    assert.match(await running, /transaction limit/);
    assert.equal(await other.exists("written"), 0);
  });
});
