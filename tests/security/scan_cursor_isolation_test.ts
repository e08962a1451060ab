// Issue 12 item 7: SCAN, HSCAN and SSCAN cursors shared one server-wide table
// of 16,384 entries with sequential ids, so another tenant's 17,000
// `SCAN 0 COUNT 1` invalidated your cursor, and the ids told you how many
// scans others ran. Now each tenant has its own table and ids are random.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { type AuthServer, OK, startAuthServer } from "../auth/support.ts";
import { PipelinedClient } from "../robustness/pipelined_client.ts";

/** The cursor of a raw SCAN-family reply (`*2\r\n$N\r\n<cursor>\r\n...`). */
function cursorOf(reply: string): string {
  const match = /^\*2\r\n\$\d+\r\n(\d+)\r\n/.exec(reply);
  assert.ok(match, `not a SCAN reply: ${JSON.stringify(reply.slice(0, 80))}`);
  return match[1]!;
}

async function authed(port: number, token: string): Promise<PipelinedClient> {
  const client = await PipelinedClient.open(port);
  assert.equal(await client.call("AUTH", token), OK);
  return client;
}

describe("SCAN cursor isolation between tenants", () => {
  let s: AuthServer;
  let victim: PipelinedClient;
  let attacker: PipelinedClient;
  before(async () => {
    s = await startAuthServer();
    victim = await authed(s.port, await s.mint("kv_victim"));
    attacker = await authed(s.port, await s.mint("kv_attacker"));
    victim.send([
      ...Array.from({ length: 20 }, (_, i) => ["SET", `k${i}`, "v"]),
      ["HSET", "h", ...Array.from({ length: 20 }, (_, i) => [`f${i}`, "v"]).flat()],
      ["SADD", "s", ...Array.from({ length: 20 }, (_, i) => `m${i}`)],
    ]);
    assert.ok(await victim.drain());
    attacker.send(Array.from({ length: 20 }, (_, i) => ["SET", `k${i}`, "v"]));
    assert.ok(await attacker.drain());
  });
  after(async () => {
    victim.destroy();
    attacker.destroy();
    await s.stop();
  });

  test("17,000 SCAN 0 COUNT 1 of another tenant leave a tenant's SCAN, HSCAN and SSCAN cursors valid", async () => {
    const scan = cursorOf(await victim.call("SCAN", "0", "COUNT", "1"));
    const hscan = cursorOf(await victim.call("HSCAN", "h", "0", "COUNT", "1"));
    const sscan = cursorOf(await victim.call("SSCAN", "s", "0", "COUNT", "1"));
    for (const cursor of [scan, hscan, sscan]) assert.notEqual(cursor, "0");

    const first = attacker.sent.length;
    attacker.send(Array.from({ length: 17_000 }, () => ["SCAN", "0", "COUNT", "1"]));
    assert.ok(await attacker.drain(30_000), "the other tenant's scans were all answered");
    assert.match(attacker.replies[first]!, /^\*2\r\n/);

    assert.match(await victim.call("SCAN", scan, "COUNT", "1"), /^\*2\r\n/, "SCAN cursor still valid");
    assert.match(await victim.call("HSCAN", "h", hscan, "COUNT", "1"), /^\*2\r\n/, "HSCAN cursor still valid");
    assert.match(await victim.call("SSCAN", "s", sscan, "COUNT", "1"), /^\*2\r\n/, "SSCAN cursor still valid");
  });

  test("cursor ids are random unsigned 64-bit integers that reveal nothing of other tenants' scans", async () => {
    const before = BigInt(cursorOf(await victim.call("SCAN", "0", "COUNT", "1")));
    attacker.send(Array.from({ length: 100 }, () => ["SCAN", "0", "COUNT", "1"]));
    assert.ok(await attacker.drain());
    const afterIds = BigInt(cursorOf(await victim.call("SCAN", "0", "COUNT", "1")));
    // Sequential ids would differ by exactly 101 here.
    const gap = afterIds > before ? afterIds - before : before - afterIds;
    assert.ok(gap > 1_000_000n, `consecutive cursors of one tenant are ${gap} apart: ids are guessable`);
    for (const id of [before, afterIds]) assert.ok(id > 0n && id < 2n ** 63n, `cursor ${id} fits a signed and an unsigned 64-bit integer`);
  });

  test("a tenant cannot resume another tenant's cursor", async () => {
    const cursor = cursorOf(await victim.call("SCAN", "0", "COUNT", "1"));
    assert.equal(await attacker.call("SCAN", cursor, "COUNT", "1"), "-ERR invalid cursor\r\n");
  });
});
