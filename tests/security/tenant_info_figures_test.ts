// Issue 12 item 12: tenants of a shared server saw server-wide figures: the
// process id, executable and data directory, the server's connection,
// command, network and expiry totals, CONFIG GET dir, and sequential CLIENT
// IDs that count everyone's connections. Now a tenant's token sees its own
// tenant's figures and random client ids; the operator sees the server's.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { type AuthServer, OK, rawAuthed, sleep, startAuthServer } from "../auth/support.ts";
import { RawClient } from "../support/raw_client.ts";
import { startInProcess } from "../support/servers.ts";

/** INFO's fields as name → value. */
async function info(client: RawClient, section = "everything"): Promise<Map<string, string>> {
  const reply = await client.call("INFO", section);
  return new Map([...reply.matchAll(/^([a-z_]+):(.*)\r$/gm)].map((m) => [m[1]!, m[2]!]));
}

const number = (fields: Map<string, string>, name: string): number => {
  const value = fields.get(name);
  assert.ok(value !== undefined, `INFO has ${name}`);
  return Number(value);
};

const HOST_FIELDS = ["process_id", "executable", "materia_data_dir"];

describe("what a tenant sees of the server", () => {
  let s: AuthServer;
  let tokenA: string;
  let tokenB: string;
  let a: RawClient;
  before(async () => {
    s = await startAuthServer();
    tokenA = await s.mint("kv_a");
    tokenB = await s.mint("kv_b");
    a = await rawAuthed(s.port, tokenA);
  });
  after(async () => {
    a.close();
    await s.stop();
  });

  test("INFO shows a tenant no process id, executable or data directory, and CONFIG GET dir answers nothing", async () => {
    const fields = await info(a);
    for (const name of HOST_FIELDS) assert.equal(fields.has(name), false, `a tenant sees ${name}`);
    assert.equal(fields.get("redis_version") !== undefined, true);
    assert.equal(await a.call("CONFIG", "GET", "dir"), "*0\r\n");
  });

  test("INFO stats counts the tenant's own connections, commands and network bytes, whatever another tenant does", async () => {
    const first = await info(a, "stats");
    // Another tenant: 10 connections, 500 commands, 1 MB sent.
    const others = await Promise.all(Array.from({ length: 10 }, () => rawAuthed(s.port, tokenB)));
    for (const b of others) {
      for (let i = 0; i < 50; i++) assert.equal(await b.call("SET", `k${i}`, "x".repeat(2_000)), OK);
    }
    for (const b of others) b.close();
    const second = await info(a, "stats");
    assert.equal(number(second, "total_connections_received"), number(first, "total_connections_received"), "no new connection of this tenant");
    assert.equal(number(second, "total_commands_processed"), number(first, "total_commands_processed") + 1, "only the first INFO ran since");
    assert.ok(number(second, "total_net_input_bytes") - number(first, "total_net_input_bytes") < 100, "only the INFO request came in");
    assert.ok(number(second, "total_net_output_bytes") - number(first, "total_net_output_bytes") < 10_000, "only the first INFO reply went out");

    const b = await rawAuthed(s.port, tokenB);
    try {
      const ofB = await info(b, "stats");
      assert.equal(number(ofB, "total_connections_received"), 11);
      // AUTH runs before the connection has a tenant, so it counts only in the server's total.
      assert.equal(number(ofB, "total_commands_processed"), 500 + 1, "the SETs and this INFO");
      assert.ok(number(ofB, "total_net_input_bytes") > 1_000_000);
    } finally {
      b.close();
    }
  });

  test("expired_keys counts the tenant's own keys removed by the sweeper", async () => {
    const b = await rawAuthed(s.port, tokenB);
    try {
      for (let i = 0; i < 20; i++) assert.equal(await b.call("SET", `gone${i}`, "v", "PX", "1"), OK);
      let expired = 0;
      const deadline = Date.now() + 5_000;
      while (expired < 20 && Date.now() < deadline) {
        await sleep(50);
        expired = number(await info(b, "stats"), "expired_keys");
      }
      assert.equal(expired, 20);
      assert.equal(number(await info(a, "stats"), "expired_keys"), 0, "the other tenant's expired keys are not this tenant's");
    } finally {
      b.close();
    }
  });

  test("CLIENT ID values are random: a tenant cannot count the connections made between two of its own", async () => {
    const idOf = async (client: RawClient) => Number((await client.call("CLIENT", "ID")).slice(1, -2));
    const one = await rawAuthed(s.port, tokenA);
    const others = await Promise.all(Array.from({ length: 20 }, () => RawClient.connect(s.port)));
    const two = await rawAuthed(s.port, tokenA);
    try {
      const [first, second] = [await idOf(one), await idOf(two)];
      // Sequential ids would be 21 apart.
      assert.ok(Math.abs(second - first) > 1_000_000, `ids ${first} and ${second}`);
      assert.ok(Number.isSafeInteger(first) && first > 0 && Number.isSafeInteger(second) && second > 0);
      assert.match(await one.call("CLIENT", "LIST", "ID", String(second)), new RegExp(`id=${second} `));
      assert.equal(await one.call("CLIENT", "KILL", "ID", String(second)), ":1\r\n", "CLIENT KILL ID works within the tenant");
      assert.equal(await two.closedByServer(), true);
    } finally {
      for (const c of [one, two, ...others]) c.close();
    }
  });
});

describe("what the operator sees", () => {
  test("with auth off (the operator), INFO shows the host fields, server-wide totals and CONFIG GET dir", async () => {
    const server = await startInProcess();
    const clients = await Promise.all(Array.from({ length: 3 }, () => RawClient.connect(server.port)));
    try {
      const fields = await info(clients[0]!);
      for (const name of HOST_FIELDS) assert.equal(fields.has(name), true, `the operator sees ${name}`);
      assert.equal(number(fields, "total_connections_received"), 3);
      assert.match(await clients[1]!.call("CONFIG", "GET", "dir"), /^\*2\r\n\$3\r\ndir\r\n/);
    } finally {
      for (const c of clients) c.close();
      await server.stop();
    }
  });
});
