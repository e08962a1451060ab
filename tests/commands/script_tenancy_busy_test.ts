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
