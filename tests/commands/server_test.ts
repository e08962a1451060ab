// The tests of the server commands (src/commands/families/server.ts), by command:
// the differential cases of server_cases.ts against redis-server (or its recorded
// replies), then Materia's own tests: COMMAND generated from the command table,
// MODULE, INFO statistics and CONFIG, over a real socket.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ALL_COMMANDS } from "../../src/commands/table.ts";
import { differentialSuite } from "../differential/suite.ts";
import { RawClient } from "../support/raw_client.ts";
import { redisServerAvailable, startRedis } from "../support/redis_server.ts";
import { type RunningServer, startInProcess } from "../support/servers.ts";
import { family } from "./families.ts";
import { CASES, METADATA_COMMANDS } from "./server_cases.ts";

differentialSuite("server", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("server").specs });

function field(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)\r$`, "m").exec(info)?.[1];
}

function bulk(reply: string): string {
  return reply.slice(reply.indexOf("\r\n") + 2, -2);
}

// COMMAND and MODULE as clients and GUIs read them (redis-cli builds its hints from COMMAND DOCS).
describe("COMMAND", () => {
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

  test("COMMAND COUNT counts every declared command", async () => {
    assert.equal(await client.call("COMMAND", "COUNT"), `:${ALL_COMMANDS.length}\r\n`);
  });

  test("COMMAND LIST names every command and subcommand, and FILTERBY narrows it", async () => {
    const all = await client.call("COMMAND", "LIST");
    for (const spec of ALL_COMMANDS) assert.ok(all.includes(`\r\n${spec.name}\r\n`), spec.name);
    assert.ok(all.includes("\r\nclient|setname\r\n"));
    const matching = await client.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "getr*");
    assert.equal(matching, "*1\r\n$8\r\ngetrange\r\n");
    const strings = await client.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "string");
    assert.ok(strings.includes("$4\r\nincr\r\n") && !strings.includes("$4\r\nping\r\n"));
    assert.equal(await client.call("COMMAND", "LIST", "FILTERBY", "MODULE", "json"), "*0\r\n");
    assert.equal(await client.call("COMMAND", "LIST", "FILTERBY", "NOPE", "x"), "-ERR syntax error\r\n");
  });

  test("COMMAND DOCS gives a map per command with summary, since, group, complexity and arguments; unknown names are skipped", async () => {
    const docs = await client.call("COMMAND", "DOCS", "set", "nosuchcommand");
    assert.match(docs, /^\*2\r\n\$3\r\nset\r\n\*\d+\r\n\$7\r\nsummary\r\n/);
    for (const field of ["since", "group", "complexity", "arguments", "token", "EXAT", "optional"]) assert.ok(docs.includes(field), field);
    await client.call("HELLO", "3");
    const resp3 = await client.call("COMMAND", "DOCS", "get");
    assert.match(resp3, /^%1\r\n\$3\r\nget\r\n%5\r\n/);
    const container = await client.call("COMMAND", "DOCS", "client");
    assert.ok(container.includes("subcommands") && container.includes("client|setname"));
    await client.call("HELLO", "2");
    const everything = await client.call("COMMAND", "DOCS");
    assert.match(everything, new RegExp(`^\\*${ALL_COMMANDS.length * 2}\\r\\n`));
  });

  test("COMMAND DOCS documents every command and subcommand: summary, since, group and complexity, and its arguments where it declares them", async () => {
    for (const spec of ALL_COMMANDS) {
      for (const [name, declared] of [[spec.name, spec] as const, ...(spec.subcommands ?? []).map((sub) => [`${spec.name}|${sub.name}`, sub] as const)]) {
        const docs = await client.call("COMMAND", "DOCS", name);
        assert.ok(docs.startsWith(`*2\r\n$${name.length}\r\n${name}\r\n*`), `COMMAND DOCS ${name}: ${docs.slice(0, 80)}`);
        for (const key of ["summary", "since", "group", "complexity"]) assert.ok(docs.includes(`\r\n$${key.length}\r\n${key}\r\n`), `${name}: ${key}`);
        // A container's entry holds its subcommands' entries, arguments and all.
        if (!declared.subcommands) assert.equal(docs.includes("\r\n$9\r\narguments\r\n"), (declared.arguments?.length ?? 0) > 0, `${name}: arguments`);
      }
    }
  });

  test("COMMAND GETKEYSANDFLAGS flags a read's keys RO access and a write's RW update; COMMAND LIST FILTERBY ACLCAT lists a category's commands and subcommands", async () => {
    assert.equal(await client.call("COMMAND", "GETKEYSANDFLAGS", "LPUSH", "k", "v"), "*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+RW\r\n+update\r\n");
    assert.equal(await client.call("COMMAND", "GETKEYSANDFLAGS", "STRLEN", "k"), "*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+RO\r\n+access\r\n");
    const admin = await client.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "ADMIN");
    assert.ok(admin.includes("$10\r\nconfig|set\r\n") && admin.includes("$8\r\nshutdown\r\n") && !admin.includes("$3\r\nget\r\n"), admin);
  });

  test("COMMAND INFO describes the named commands, null for an unknown one; without names, every command", async () => {
    // A null bulk for an unknown name, as Redis's addReplyNull answers in RESP2.
    const reply = await client.call("COMMAND", "INFO", "nosuchcommand", "get");
    assert.match(reply, /^\*2\r\n\$-1\r\n\*10\r\n\$3\r\nget\r\n:2\r\n\*2\r\n\+readonly\r\n\+fast\r\n:1\r\n:1\r\n:1\r\n/);
    assert.match(await client.call("COMMAND", "INFO"), new RegExp(`^\\*${ALL_COMMANDS.length}\\r\\n`));
  });

  test("COMMAND HELP lists its subcommands as status lines", async () => {
    const commandHelp = await client.call("COMMAND", "HELP");
    assert.match(commandHelp, /^\*\d+\r\n\+COMMAND <subcommand>/);
    assert.ok(commandHelp.includes("+DOCS"));
  });

  test("COMMAND GETKEYS finds key positions from the declaration", async () => {
    assert.equal(await client.call("COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2"), "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
    assert.equal(await client.call("COMMAND", "GETKEYS", "GET", "k"), "*1\r\n$1\r\nk\r\n");
  });

  test("COMMAND GETKEYS finds movable keys (SINTERCARD numkeys key...) and dispatch checks their sizes", async () => {
    assert.equal(await client.call("COMMAND", "GETKEYS", "SINTERCARD", "2", "a", "b", "LIMIT", "1"), "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
    const longKey = "k".repeat(9000);
    assert.match(await client.call("SINTERCARD", "1", longKey), /^-ERR key is 9000 bytes/);
  });
});

describe("MODULE", () => {
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

  test("MODULE LIST answers an empty list (GUIs ask it on connect) and MODULE HELP lists the subcommands", async () => {
    assert.equal(await client.call("MODULE", "LIST"), "*0\r\n");
    assert.match(await client.call("MODULE", "HELP"), /^\*\d+\r\n\+MODULE <subcommand>/);
    assert.equal(await client.call("MODULE", "LOAD", "x"), "-ERR unknown subcommand 'LOAD'. Try MODULE HELP.\r\n");
  });
});

describe("INFO and CONFIG", () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess();
  });
  after(() => server.stop());

  test("INFO commandstats counts calls and failures per command; errorstats counts error codes; CONFIG RESETSTAT clears them", async () => {
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

  test("INFO with several section names, default, all and everything answers Redis's sections in Redis's order, with the fields GUIs read", async () => {
    const client = await RawClient.connect(server.port);
    const redis = (await redisServerAvailable()) ? await startRedis() : undefined;
    const theirs = redis ? await RawClient.connect(redis.port) : undefined;
    try {
      const titles = (info: string) => bulk(info).split("\r\n").filter((line) => line.startsWith("# "));
      for (const args of [[], ["default"], ["all"], ["everything"], ["server", "clients"], ["keyspace", "SERVER"], ["all", "commandstats"], ["default", "latencystats"], ["nope"], ["latencystats"]]) {
        const ours = titles(await client.call("INFO", ...args));
        if (theirs) assert.deepEqual(ours, titles(await theirs.call("INFO", ...args)), `INFO ${args.join(" ")}`);
        else assert.ok(ours.length > 0 || args[0] === "nope", `INFO ${args.join(" ")}`);
      }
      const info = bulk(await client.call("INFO", "everything"));
      for (const name of ["redis_version", "uptime_in_seconds", "connected_clients", "used_memory_human", "maxmemory_policy", "loading", "rdb_last_save_time", "aof_enabled", "rdb_bgsave_in_progress", "role", "connected_slaves", "used_cpu_sys", "cluster_enabled"]) {
        assert.notEqual(field(info, name), undefined, name);
      }
      assert.equal(field(info, "loading"), "0");
      assert.equal(field(info, "aof_enabled"), "0");
      assert.match(field(info, "rdb_last_save_time") ?? "", /^\d+$/);
    } finally {
      client.close();
      theirs?.close();
      await redis?.stop();
    }
  });

  test("CONFIG GET answers Materia's values; CONFIG SET refuses another value of a reported parameter; CONFIG REWRITE says configuration is managed", async () => {
    const client = await RawClient.connect(server.port);
    try {
      assert.equal(await client.call("CONFIG", "GET", "proto-max-bulk-len"), "*2\r\n$18\r\nproto-max-bulk-len\r\n$7\r\n5242880\r\n");
      assert.equal(await client.call("CONFIG", "GET", "maxclients"), "*2\r\n$10\r\nmaxclients\r\n$5\r\n10000\r\n");
      assert.equal(await client.call("CONFIG", "GET", "port"), `*2\r\n$4\r\nport\r\n$${String(server.port).length}\r\n${server.port}\r\n`);
      const maxmemory = await client.call("CONFIG", "GET", "maxmemory*");
      assert.match(maxmemory, /^\*10\r\n/);
      assert.ok(maxmemory.includes("$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n"), maxmemory);
    } finally {
      client.close();
    }
    const other = await RawClient.connect(server.port);
    try {
      assert.match(await other.call("CONFIG", "SET", "maxmemory", "1"), /^-ERR CONFIG SET failed \(possibly related to argument 'maxmemory'\) - Materia never evicts data/);
      assert.match(await other.call("CONFIG", "REWRITE"), /^-ERR CONFIG REWRITE is not supported/);
    } finally {
      other.close();
    }
  });
});
