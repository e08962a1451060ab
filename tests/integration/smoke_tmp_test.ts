import { test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { startInProcess } from "../support/servers.ts";

test("smoke", async () => {
  const s = await startInProcess();
  const r = new Redis({ host: "127.0.0.1", port: s.port, lazyConnect: true });
  await r.connect();
  console.log(await r.set("a", "1"), await r.get("a"), await r.info("server").then(x=>x.slice(0,50)));
  console.log(await r.call("HELLO", "3"));
  await r.quit();
  const c = createClient({ socket: { host: "127.0.0.1", port: s.port }, RESP: 3 });
  c.on("error", (e) => console.log("err", e));
  await c.connect();
  console.log(await c.set("b", "2"), await c.get("b"), await c.sendCommand(["HELLO", "3"]));
  await c.close();
  await s.stop();
});
