// Introspection that clients and GUIs use, over a real socket: INFO
// commandstats/errorstats/stats, CONFIG GET/SET/RESETSTAT, CLIENT KILL
// (own tenant only), TIME, LOLWUT and RESET.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Authenticator, Principal } from "../../src/auth/contract.ts";
import { RawClient } from "../support/raw_client.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";

/** Two tenants: password "a" logs in to tenant A, "b" to tenant B. */
function twoTenants(): Authenticator {
  const anonymous: Principal = { user: "default", tenant: "", canWrite: true };
  return {
    required: true,
    anonymous,
    authenticate(_user, secret) {
      const password = new TextDecoder().decode(secret);
      if (password === "a" || password === "b") return Promise.resolve({ user: "default", tenant: password, canWrite: true });
      return Promise.resolve(undefined);
    },
  };
}

function field(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)\r$`, "m").exec(info)?.[1];
}

function bulk(reply: string): string {
  return reply.slice(reply.indexOf("\r\n") + 2, -2);
}

describe("introspection", () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess();
  });
  after(() => server.stop());

  test("INFO commandstats counts calls and failures per command; errorstats counts error codes", async () => {
    const client = await RawClient.connect(server.port);
    try {
      assert.equal(await client.call("CONFIG", "RESETSTAT"), "+OK\r\n");
      await client.call("SET", "k", "v");
      await client.call("GET", "k");
      await client.call("GET", "k");
      await client.call("LPUSH", "k", "x"); // WRONGTYPE
      await client.call("NOSUCHCOMMAND");
      await client.call("CLIENT", "LIST");
      const info = bulk(await client.call("INFO", "commandstats"));
      assert.match(info, /^# Commandstats\r\n/);
      assert.match(field(info, "cmdstat_get") ?? "", /^calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0$/);
      assert.match(field(info, "cmdstat_lpush") ?? "", /^calls=1,.*failed_calls=1$/);
      assert.match(field(info, "cmdstat_client\\|list") ?? "", /^calls=1,/);
      const errors = bulk(await client.call("INFO", "errorstats"));
      assert.equal(field(errors, "errorstat_WRONGTYPE"), "count=1");
      assert.equal(field(errors, "errorstat_ERR"), "count=1");
      const stats = bulk(await client.call("INFO", "stats"));
      assert.equal(field(stats, "total_error_replies"), "2");
      assert.ok(Number(field(stats, "total_net_input_bytes")) > 0);
      assert.ok(Number(field(stats, "total_net_output_bytes")) > 0);
      assert.match(field(stats, "instantaneous_ops_per_sec") ?? "", /^\d+$/);
      assert.equal(await client.call("CONFIG", "RESETSTAT"), "+OK\r\n");
      assert.equal(field(bulk(await client.call("INFO", "errorstats")), "errorstat_ERR"), undefined);
    } finally {
      client.close();
    }
  });

  test("INFO's default sections are Redis's, with cluster disabled", async () => {
    const client = await RawClient.connect(server.port);
    try {
      const info = bulk(await client.call("INFO"));
      const titles = info.split("\r\n").filter((line) => line.startsWith("# "));
      assert.deepEqual(titles, ["# Server", "# Clients", "# Memory", "# Persistence", "# Stats", "# Replication", "# CPU", "# Modules", "# Errorstats", "# Cluster", "# Keyspace"]);
      assert.equal(field(info, "cluster_enabled"), "0");
      assert.ok(bulk(await client.call("INFO", "all")).includes("# Commandstats\r\n"));
    } finally {
      client.close();
    }
  });

  test("CONFIG GET answers Materia's values; CONFIG SET and REWRITE say configuration is managed", async () => {
    const client = await RawClient.connect(server.port);
    try {
      assert.equal(await client.call("CONFIG", "GET", "proto-max-bulk-len"), "*2\r\n$18\r\nproto-max-bulk-len\r\n$7\r\n5242880\r\n");
      assert.equal(await client.call("CONFIG", "GET", "maxclients"), "*2\r\n$10\r\nmaxclients\r\n$5\r\n10000\r\n");
      assert.equal(await client.call("CONFIG", "GET", "port"), `*2\r\n$4\r\nport\r\n$${String(server.port).length}\r\n${server.port}\r\n`);
      const maxmemory = await client.call("CONFIG", "GET", "maxmemory*");
      assert.match(maxmemory, /^\*8\r\n/);
      assert.ok(maxmemory.includes("$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n"), maxmemory);
    } finally {
      client.close();
    }
    const other = await RawClient.connect(server.port);
    try {
      assert.match(await other.call("CONFIG", "SET", "maxmemory", "1"), /^-ERR CONFIG SET is not supported: Materia is configured by its command-line flags and environment/);
      assert.match(await other.call("CONFIG", "REWRITE"), /^-ERR CONFIG REWRITE is not supported/);
    } finally {
      other.close();
    }
  });

  test("TIME is two bulk strings near the wall clock; LOLWUT shows art and the version", async () => {
    const client = await RawClient.connect(server.port);
    try {
      const reply = await client.call("TIME");
      const match = /^\*2\r\n\$\d+\r\n(\d+)\r\n\$\d+\r\n(\d+)\r\n$/.exec(reply);
      assert.ok(match, reply);
      assert.ok(Math.abs(Number(match[1]) - Date.now() / 1000) < 5);
      assert.ok(Number(match[2]) < 1_000_000);
      const art = bulk(await client.call("LOLWUT", "VERSION", "5"));
      assert.ok(art.endsWith("Materia ver. test\n"), art);
    } finally {
      client.close();
    }
  });

  test("every CLUSTER subcommand answers that cluster support is disabled; CLIENT NO-TOUCH is accepted", async () => {
    const client = await RawClient.connect(server.port);
    try {
      const commands = [
      ["CLUSTER", "ADDSLOTS", "1"],
      ["CLUSTER", "ADDSLOTSRANGE", "1", "1"],
      ["CLUSTER", "BUMPEPOCH"],
      ["CLUSTER", "COUNT-FAILURE-REPORTS", "1"],
      ["CLUSTER", "COUNTKEYSINSLOT", "1"],
      ["CLUSTER", "DELSLOTS", "1"],
      ["CLUSTER", "DELSLOTSRANGE", "1", "1"],
      ["CLUSTER", "FAILOVER"],
      ["CLUSTER", "FLUSHSLOTS"],
      ["CLUSTER", "FORGET", "1"],
      ["CLUSTER", "GETKEYSINSLOT", "1", "1"],
      ["CLUSTER", "HELP"],
      ["CLUSTER", "INFO"],
      ["CLUSTER", "KEYSLOT", "1"],
      ["CLUSTER", "LINKS"],
      ["CLUSTER", "MEET", "1", "1"],
      ["CLUSTER", "MYID"],
      ["CLUSTER", "NODES"],
      ["CLUSTER", "REPLICAS", "1"],
      ["CLUSTER", "REPLICATE", "1"],
      ["CLUSTER", "RESET"],
      ["CLUSTER", "SAVECONFIG"],
      ["CLUSTER", "SET-CONFIG-EPOCH", "1"],
      ["CLUSTER", "SETSLOT", "1", "1"],
      ["CLUSTER", "SHARDS"],
      ["CLUSTER", "SLAVES", "1"],
      ["CLUSTER", "SLOTS"],
      ];
      for (const argv of commands) assert.equal(await client.call(...argv), "-ERR This instance has cluster support disabled\r\n", argv.join(" "));
      assert.equal(await client.call("CLIENT", "NO-TOUCH", "on"), "+OK\r\n");
      assert.equal(await client.call("CLIENT", "NO-TOUCH", "maybe"), "-ERR syntax error\r\n");
    } finally {
      client.close();
    }
  });

  test("RESET returns to RESP2, database 0 and no name", async () => {
    const client = await RawClient.connect(server.port);
    try {
      await client.call("HELLO", "3");
      await client.call("SELECT", "2");
      await client.call("CLIENT", "SETNAME", "x");
      assert.equal(await client.call("RESET"), "+RESET\r\n");
      assert.equal(await client.call("CLIENT", "GETNAME"), "$-1\r\n");
      assert.match(await client.call("CLIENT", "INFO"), / db=0 .* resp=2 /);
    } finally {
      client.close();
    }
  });
});

describe("CLIENT KILL and RESET with auth", () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess({ auth: twoTenants() });
  });
  after(() => server.stop());

  test("CLIENT KILL closes connections of the caller's tenant only", async () => {
    const killer = await RawClient.connect(server.port);
    const sameTenant = await RawClient.connect(server.port);
    const otherTenant = await RawClient.connect(server.port);
    try {
      assert.equal(await killer.call("AUTH", "a"), "+OK\r\n");
      assert.equal(await sameTenant.call("AUTH", "a"), "+OK\r\n");
      assert.equal(await otherTenant.call("AUTH", "b"), "+OK\r\n");
      const otherId = /^:(\d+)/.exec(await otherTenant.call("CLIENT", "ID"))![1]!;
      const sameId = /^:(\d+)/.exec(await sameTenant.call("CLIENT", "ID"))![1]!;
      assert.equal(await killer.call("CLIENT", "KILL", "ID", otherId), ":0\r\n");
      assert.equal(await killer.call("CLIENT", "KILL", "ID", sameId), ":1\r\n");
      assert.ok(await sameTenant.closedByServer());
      assert.equal(await otherTenant.call("PING"), "+PONG\r\n");
      // The old form, on itself: OK, then the connection closes.
      const addr = / addr=(\S+) /.exec(bulk(await killer.call("CLIENT", "INFO")))![1]!;
      assert.equal(await killer.call("CLIENT", "KILL", addr), "+OK\r\n");
      assert.ok(await killer.closedByServer());
    } finally {
      killer.close();
      sameTenant.close();
      otherTenant.close();
    }
  });

  test("RESET logs the connection out when auth is required", async () => {
    const client = await RawClient.connect(server.port);
    try {
      assert.equal(await client.call("AUTH", "a"), "+OK\r\n");
      assert.equal(await client.call("RESET"), "+RESET\r\n");
      assert.match(await client.call("GET", "k"), /^-NOAUTH/);
    } finally {
      client.close();
    }
  });
});
