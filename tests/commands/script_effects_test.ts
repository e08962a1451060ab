// A script's effects are applied once, after its transaction commits:
// keyspace notifications of every write it made, its PUBLISHes (delivered
// after the commit, their receiver counts answered inside the script), and
// the wake-up of clients blocked on a key it pushed to.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import Redis from "ioredis";
import { type RunningServer, startInProcess } from "../support/servers.ts";

let server: RunningServer;
const clients: Redis[] = [];
async function connect(): Promise<Redis> {
  const client = new Redis({ port: server.port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0 });
  await client.connect();
  clients.push(client);
  return client;
}

before(async () => {
  server = await startInProcess();
  // A runaway script stops at 1 s rather than the engine's 5 s limit: the same code path, sooner.
  server.server.scripting.running.deadlineMs = 1_000;
});
after(async () => {
  for (const client of clients) client.disconnect();
  await server.stop();
});

test("a script's writes notify, its PUBLISHes are delivered after the commit, and it wakes a blocked client", async () => {
  const admin = await connect();
  await admin.config("SET", "notify-keyspace-events", "KEA");
  const listener = await connect();
  const heard: string[] = [];
  listener.on("pmessage", (_pattern: string, channel: string, message: string) => heard.push(`${channel} ${message}`));
  listener.on("message", (channel: string, message: string) => heard.push(`${channel} ${message}`));
  await listener.psubscribe("__keyevent@0__:*");
  await listener.subscribe("news");

  const blocked = await connect();
  const popped = blocked.blpop("jobs", 5);
  // The waiter is parked once CLIENT LIST shows it blocked (b flag).
  for (let i = 0; i < 100 && !/flags=b/.test(String(await admin.client("LIST"))); i++) await new Promise((r) => setTimeout(r, 10));

  const script = await connect();
  const receivers = await script.eval(
    "redis.call('set', KEYS[1], 'v') redis.call('incr', KEYS[2]) redis.call('lpush', KEYS[3], 'job-1') return redis.call('publish', 'news', 'hello')",
    3, "s:key", "s:counter", "jobs",
  );
  assert.equal(receivers, 1);
  assert.deepEqual(await popped, ["jobs", "job-1"]);
  for (let i = 0; i < 100 && heard.length < 6; i++) await new Promise((r) => setTimeout(r, 10));
  // The blocked client's pop (lpop, then del of the emptied list) is its own command's events.
  assert.deepEqual(heard.filter((line) => !line.includes(":lpop ") && !line.includes(":del ")), [
    "__keyevent@0__:set s:key",
    "__keyevent@0__:incrby s:counter",
    "__keyevent@0__:lpush jobs",
    "news hello",
  ]);
  await admin.config("SET", "notify-keyspace-events", "");
});

test("a script whose transaction fails whole (the engine's time limit after a write) notifies and publishes nothing", { timeout: 30_000 }, async () => {
  const admin = await connect();
  await admin.config("SET", "notify-keyspace-events", "KEA");
  const listener = await connect();
  const heard: string[] = [];
  listener.on("pmessage", (_pattern: string, channel: string, message: string) => heard.push(`${channel} ${message}`));
  listener.on("message", (channel: string, message: string) => heard.push(`${channel} ${message}`));
  await listener.psubscribe("__keyevent@0__:*");
  await listener.subscribe("news");
  const script = await connect();
  await assert.rejects(script.eval("redis.call('set', 'lost', 'v') redis.call('publish', 'news', 'never') while true do end", 0), /transaction limit/);
  // A later write's event arrives; nothing of the failed script came before it.
  await admin.set("after", "1");
  for (let i = 0; i < 100 && heard.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(heard, ["__keyevent@0__:set after"]);
  assert.equal(await admin.exists("lost"), 0);
  await admin.config("SET", "notify-keyspace-events", "");
});
