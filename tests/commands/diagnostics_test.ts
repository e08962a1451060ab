// The tests of MONITOR, SLOWLOG and LATENCY (src/commands/families/diagnostics.ts):
// the differential cases of diagnostics_cases.ts; MONITOR's lines compared
// with redis-server's through real sockets (a raw client, ioredis' monitor()
// and redis-cli MONITOR); what a monitoring connection may do; tenants seeing
// only their own commands, slow log entries and latency spikes; and a
// monitor that does not read being disconnected by its output buffer limit.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { connect, type Socket } from "node:net";
import { Redis } from "ioredis";
import type { Authenticator, Principal } from "../../src/auth/contract.ts";
import { differentialSuite } from "../differential/suite.ts";
import { passwordTenants } from "../support/password_tenants.ts";
import { hasProgram } from "../support/processes.ts";
import { encodeCommand, RawClient } from "../support/raw_client.ts";
import { redisServerAvailable, startRedis, type RedisProcess } from "../support/redis_server.ts";
import { type RunningServer, startInProcess } from "../support/servers.ts";
import { family } from "./families.ts";
import { CASES, METADATA_COMMANDS, SPIKE_MS, SPIN_60_MS } from "./diagnostics_cases.ts";

differentialSuite("diagnostics", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("diagnostics").specs });

const LIVE_REDIS = await redisServerAvailable();
const HAS_REDIS_CLI = hasProgram("redis-cli");

/** A line without its clock and client port: `<t> [0 127.0.0.1:P] "SET" "k" "v"`. */
function normalized(line: string): string {
  return line.replace(/^(\+?)\d+\.\d{6} /, "$1<t> ").replace(/^(\+?<t> \[\d+ )127\.0\.0\.1:\d+\]/, "$1127.0.0.1:P]");
}

/** What one client sends, in Redis's order of interest: plain commands, secrets, a script, transactions, databases, refusals. */
const TRANSCRIPT: readonly (readonly (string | Uint8Array)[])[] = [
  ["SET", "k", "v"],
  ["GET", "k"],
  ["SET", "bin", new Uint8Array([0, 0xff, 0x22, 0x5c, 0x0a, 0x0d, 0x09, 0x07, 0x08, 0x20, 0xc3, 0xa9, 0x7e])],
  ["INCR", "counter"],
  ["AUTH", "lonely-password"],
  ["AUTH", "default", "secret"],
  ["HELLO", "3", "AUTH", "default", "other", "SETNAME", "watched"],
  ["HELLO", "2"],
  ["EVAL", "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])", "1", "ek", "ev"],
  ["MULTI"], ["SET", "m", "1"], ["INCR", "m"], ["EXEC"],
  ["MULTI"], ["SET", "dropped", "1"], ["DISCARD"],
  ["SELECT", "2"], ["SET", "in-db-2", "v"], ["SELECT", "0"],
  ["CONFIG", "GET", "maxmemory"],
  ["SLOWLOG", "LEN"],
  ["GET"],
  ["NOSUCHCOMMAND", "x"],
  ["SET", "k", "v", "EX", "abc"],
  ["PUBLISH", "channel", "message"],
  ["PING"],
  ["ECHO", "__end__"],
];

async function runTranscript(port: number): Promise<void> {
  const actor = await RawClient.connect(port);
  try {
    for (const argv of TRANSCRIPT) await actor.call(...argv);
  } finally {
    actor.close();
  }
}

/** Reads monitor lines from a raw connection until the transcript's last command shows. */
async function rawMonitorLines(monitor: RawClient): Promise<string[]> {
  const lines: string[] = [];
  while (!lines.at(-1)?.includes('"ECHO" "__end__"')) lines.push((await monitor.readReply()).slice(0, -2));
  return lines;
}

describe("MONITOR lines are Redis's", { skip: !LIVE_REDIS && "needs redis-server" }, () => {
  let redis: RedisProcess;
  let materia: RunningServer;
  before(async () => {
    [redis, materia] = await Promise.all([startRedis(), startInProcess()]);
  });
  after(async () => {
    await redis?.stop();
    await materia?.stop();
  });

  async function rawTranscript(port: number): Promise<string[]> {
    const monitor = await RawClient.connect(port);
    try {
      assert.equal(await monitor.call("MONITOR"), "+OK\r\n");
      const [lines] = await Promise.all([rawMonitorLines(monitor), runTranscript(port)]);
      return lines.map(normalized);
    } finally {
      monitor.close();
    }
  }

  test("MONITOR through a raw socket: the same lines byte for byte, times and ports aside", async () => {
    const [theirs, ours] = await Promise.all([rawTranscript(redis.port), rawTranscript(materia.port)]);
    assert.deepEqual(ours, theirs);
    // What the comparison covers, so that it cannot pass on two empty transcripts.
    assert.ok(theirs.includes('+<t> [0 127.0.0.1:P] "AUTH" "(redacted)" "(redacted)"'), theirs.join("\n"));
    assert.ok(theirs.includes('+<t> [0 lua] "SET" "ek" "ev"'));
    assert.ok(theirs.includes('+<t> [2 127.0.0.1:P] "SET" "in-db-2" "v"'));
    assert.ok(theirs.includes('+<t> [0 127.0.0.1:P] "SET" "bin" "\\x00\\xff\\"\\\\\\n\\r\\t\\a\\b \\xc3\\xa9~"'));
  });

  async function ioredisTranscript(port: number): Promise<string[]> {
    const client = new Redis({ port, host: "127.0.0.1", lazyConnect: true });
    const monitor = await client.monitor();
    try {
      const lines: string[] = [];
      const done = new Promise<void>((resolve) => {
        monitor.on("monitor", (_time: string, args: string[], source: string, database: string) => {
          lines.push(`${database} ${source === "lua" ? "lua" : "client"} ${JSON.stringify(args)}`);
          if (args[0] === "ECHO" && args[1] === "__end__") resolve();
        });
      });
      await runTranscript(port);
      await done;
      return lines;
    } finally {
      monitor.disconnect();
      client.disconnect();
    }
  }

  test("MONITOR through ioredis' monitor(): the same commands, arguments, databases and sources", async () => {
    const [theirs, ours] = await Promise.all([ioredisTranscript(redis.port), ioredisTranscript(materia.port)]);
    assert.deepEqual(ours, theirs);
    assert.ok(theirs.includes('0 lua ["GET","ek"]'), theirs.join("\n"));
  });

  async function redisCliTranscript(port: number): Promise<string[]> {
    const child = spawn("redis-cli", ["-h", "127.0.0.1", "-p", String(port), "MONITOR"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      let output = "";
      let started!: () => void;
      const okSeen = new Promise<void>((resolve) => (started = resolve));
      const ended = new Promise<void>((resolve) => {
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString("latin1");
          if (output.startsWith("OK\n")) started();
          if (output.includes('"ECHO" "__end__"\n')) resolve();
        });
      });
      await okSeen;
      await runTranscript(port);
      await ended;
      return output.split("\n").slice(1, -1).map(normalized);
    } finally {
      child.kill();
    }
  }

  test("redis-cli MONITOR prints the same lines", { skip: !HAS_REDIS_CLI && "needs redis-cli" }, async () => {
    const [theirs, ours] = await Promise.all([redisCliTranscript(redis.port), redisCliTranscript(materia.port)]);
    assert.deepEqual(ours, theirs);
    assert.ok(theirs.includes('<t> [0 127.0.0.1:P] "EXEC"'), theirs.join("\n"));
  });

  /** What a monitoring connection gets for each command, and what shows on it. */
  async function monitorMode(port: number): Promise<string[]> {
    const client = await RawClient.connect(port);
    const seen: string[] = [];
    const read = async () => seen.push(normalized(await client.readReply()));
    try {
      await client.call("SET", "k", "v");
      seen.push(await client.call("MONITOR"));
      for (const argv of [["GET", "k"], ["SET", "k", "w"], ["EVAL", "return 1", "0"], ["PUBLISH", "c", "m"], ["DBSIZE"]]) {
        seen.push(await client.call(...argv));
      }
      // PING answers, then shows on the monitor itself.
      seen.push(await client.call("PING"));
      await read();
      // A second MONITOR is ignored without a reply: the next reply is ECHO's.
      client.writeRaw(encodeCommand(["MONITOR"]));
      seen.push(await client.call("ECHO", "after"));
      await read();
      seen.push(await client.call("RESET"));
      seen.push(await client.call("PING"));
      seen.push(await client.call("GET", "k"));
      return seen;
    } finally {
      client.close();
    }
  }

  test("a monitoring connection may not touch the keyspace, ignores a second MONITOR, and RESET ends it", async () => {
    const [theirs, ours] = await Promise.all([monitorMode(redis.port), monitorMode(materia.port)]);
    assert.deepEqual(ours, theirs);
    assert.ok(theirs.includes("-ERR Replica can't interact with the keyspace\r\n"), theirs.join("|"));
    assert.equal(theirs.at(-1), "$1\r\nv\r\n");
  });
});

/** Password "a" or "b": tenant A or B; "r": A, read-only; "p": A, keys under "p:"; "op": the operator. */
function tenantsWithOperator(): Authenticator {
  const tenants = passwordTenants();
  const operator: Principal = { user: "operator", tenant: "", canWrite: true, operator: true };
  return {
    ...tenants,
    authenticate: (user, secret) => (new TextDecoder().decode(secret) === "op" ? Promise.resolve(operator) : tenants.authenticate(user, secret)),
  };
}

describe("tenants see only their own commands; the operator sees all", () => {
  let server: RunningServer;
  const clients: RawClient[] = [];
  async function as(password: string): Promise<RawClient> {
    const client = await RawClient.connect(server.port);
    clients.push(client);
    assert.equal(await client.call("AUTH", password), "+OK\r\n");
    return client;
  }
  before(async () => {
    server = await startInProcess({ auth: tenantsWithOperator() });
  });
  after(async () => {
    for (const client of clients) client.close();
    await server.stop();
  });

  test("MONITOR of a tenant shows its own clients' commands only; the operator's shows every tenant's", async () => {
    const [monitorA, monitorB, monitorOperator] = await Promise.all([as("a"), as("b"), as("op")]);
    for (const monitor of [monitorA, monitorB, monitorOperator]) assert.equal(await monitor.call("MONITOR"), "+OK\r\n");
    const [a, b] = await Promise.all([as("a"), as("b")]);
    await a.call("SET", "from-a", "1");
    await b.call("SET", "from-b", "2");
    await a.call("ECHO", "end-a");
    await b.call("ECHO", "end-b");
    const until = async (monitor: RawClient, marks: string[]) => {
      const lines: string[] = [];
      while (!marks.every((mark) => lines.some((line) => line.includes(mark)))) lines.push(await monitor.readReply());
      return lines.join("");
    };
    const seenByA = await until(monitorA, ['"end-a"']);
    const seenByB = await until(monitorB, ['"end-b"']);
    const seenByOperator = await until(monitorOperator, ['"end-a"', '"end-b"']);
    assert.match(seenByA, /"SET" "from-a" "1"/);
    assert.doesNotMatch(seenByA, /from-b/);
    assert.match(seenByB, /"SET" "from-b" "2"/);
    assert.doesNotMatch(seenByB, /from-a/);
    assert.match(seenByOperator, /"SET" "from-a" "1"[\s\S]*"SET" "from-b" "2"/);
    // B's later commands never reach A's monitor: the next line A's monitor sees is A's own.
    await b.call("SET", "from-b-again", "3");
    await a.call("ECHO", "second-a");
    assert.match(await monitorA.readReply(), /"ECHO" "second-a"/);
    // RESET ends monitoring; lines sent before it may still be unread.
    for (const monitor of [monitorA, monitorB, monitorOperator]) {
      monitor.writeRaw(encodeCommand(["RESET"]));
      while ((await monitor.readReply()) !== "+RESET\r\n");
    }
  });

  test("MONITOR and SLOWLOG GET need a principal that sees the whole tenant; SLOWLOG RESET needs the write right", async () => {
    const [scoped, reader] = await Promise.all([as("p"), as("r")]);
    assert.equal(await scoped.call("MONITOR"), "-NOPERM this user has no permissions to run the 'monitor' command\r\n");
    assert.equal(await scoped.call("SLOWLOG", "GET"), "-NOPERM this user has no permissions to run the 'slowlog|get' command\r\n");
    assert.equal(await reader.call("SLOWLOG", "RESET"), "-NOPERM this user has no permissions to run the 'slowlog|reset' command\r\n");
    assert.match(await reader.call("SLOWLOG", "LEN"), /^:\d+\r\n$/);
  });

  test("SLOWLOG: each tenant has its own entries and ids, set by the operator's thresholds; the operator sees all", async () => {
    const [operator, a, b] = await Promise.all([as("op"), as("a"), as("b")]);
    assert.match(await a.call("CONFIG", "SET", "slowlog-log-slower-than", "0"), /^-NOPERM /);
    assert.equal(await operator.call("CONFIG", "SET", "slowlog-log-slower-than", "0"), "+OK\r\n");
    assert.equal(await operator.call("SLOWLOG", "RESET"), "+OK\r\n");
    assert.equal(await a.call("SLOWLOG", "RESET"), "+OK\r\n");
    assert.equal(await b.call("SLOWLOG", "RESET"), "+OK\r\n");
    await a.call("SET", "slow-a", "1");
    await b.call("SET", "slow-b", "1");
    await b.call("SET", "slow-b2", "1");
    const ofA = await a.call("SLOWLOG", "GET", "-1");
    const ofB = await b.call("SLOWLOG", "GET", "-1");
    assert.match(ofA, /slow-a/);
    assert.doesNotMatch(ofA, /slow-b/);
    assert.match(ofB, /slow-b2[\s\S]*slow-b/);
    assert.doesNotMatch(ofB, /slow-a/);
    assert.match(await operator.call("SLOWLOG", "GET", "-1"), /slow-b2[\s\S]*slow-b[\s\S]*slow-a/);
    // A's reset leaves B's entries.
    const lengthOfB = await b.call("SLOWLOG", "LEN");
    await a.call("SLOWLOG", "RESET");
    assert.equal(await a.call("SLOWLOG", "LEN"), ":1\r\n", "A's log holds its RESET only");
    const lengthOfBAfter = Number(/^:(\d+)/.exec(await b.call("SLOWLOG", "LEN"))![1]);
    assert.equal(lengthOfBAfter, Number(/^:(\d+)/.exec(lengthOfB)![1]) + 1, "B's log lost nothing (and logged its own LEN)");
    assert.equal(await operator.call("CONFIG", "SET", "slowlog-log-slower-than", "10000"), "+OK\r\n");
    assert.equal(await a.call("CONFIG", "GET", "slowlog-log-slower-than"), "*2\r\n$23\r\nslowlog-log-slower-than\r\n$5\r\n10000\r\n");
  });

  test("LATENCY: a tenant sees its own spikes only; the operator sees the server's", async () => {
    const [operator, a, b] = await Promise.all([as("op"), as("a"), as("b")]);
    assert.match(await a.call("CONFIG", "SET", "latency-monitor-threshold", SPIKE_MS), /^-NOPERM /);
    assert.equal(await operator.call("CONFIG", "SET", "latency-monitor-threshold", SPIKE_MS), "+OK\r\n");
    await operator.call("LATENCY", "RESET");
    assert.equal(await a.call("EVAL", SPIN_60_MS, "0"), ":1\r\n");
    assert.match(await a.call("LATENCY", "LATEST"), /^\*1\r\n\*4\r\n\$7\r\ncommand\r\n/);
    assert.match(await a.call("LATENCY", "HISTORY", "command"), /^\*[1-9]\d*\r\n\*2\r\n:\d+\r\n:\d+\r\n/);
    assert.equal(await b.call("LATENCY", "HISTORY", "command"), "*0\r\n");
    assert.doesNotMatch(await b.call("LATENCY", "LATEST"), /command/);
    assert.match(await operator.call("LATENCY", "LATEST"), /\$7\r\ncommand\r\n/);
    assert.equal(await b.call("LATENCY", "RESET"), ":0\r\n");
    assert.match(await a.call("LATENCY", "LATEST"), /command/, "B's reset leaves A's events");
    assert.equal(await operator.call("CONFIG", "SET", "latency-monitor-threshold", "0"), "+OK\r\n");
  });
});

describe("LATENCY DOCTOR, GRAPH and HELP", () => {
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

  test("LATENCY DOCTOR and LATENCY GRAPH describe the command event's spikes", async () => {
    await client.call("CONFIG", "SET", "latency-monitor-threshold", SPIKE_MS);
    await client.call("LATENCY", "RESET");
    assert.match(await client.call("LATENCY", "DOCTOR"), /Dave, no latency spike was observed/);
    await client.call("EVAL", SPIN_60_MS, "0");
    const doctor = await client.call("LATENCY", "DOCTOR");
    assert.match(doctor, /Dave, I have observed latency spikes in this Redis instance\. You don't mind talking about it, do you Dave\?\n\n1\. command: 1 latency spikes \(average \d+ms, mean deviation \d+ms, period [\d.]+ sec\)\. Worst all time event \d+ms\.\n/);
    assert.match(doctor, /I have a few advices for you:\n\n- Check your Slow Log/);
    const graph = await client.call("LATENCY", "GRAPH", "command");
    const [header, rule, ...rest] = graph.slice(graph.indexOf("\r\n") + 2, -2).split("\n");
    assert.match(header!, /^command - high \d+ ms, low \d+ ms \(all time high \d+ ms\)$/);
    assert.equal(rule, "-".repeat(80));
    assert.ok(rest.some((line) => line.includes("_")), graph);
    await client.call("CONFIG", "SET", "latency-monitor-threshold", "0");
  });

  test("LATENCY HELP lists the subcommands Materia has", async () => {
    const help = await client.call("LATENCY", "HELP");
    for (const word of ["DOCTOR", "GRAPH <event>", "HISTORY <event>", "LATEST", "RESET [<event> ...]", "HELP"]) assert.ok(help.includes(`+${word}\r\n`), word);
    assert.ok(help.startsWith("*14\r\n+LATENCY <subcommand>"));
  });
});

describe("a monitor that does not read", () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess();
  });
  after(async () => {
    await server.stop();
  });

  test("is disconnected by client-output-buffer-limit instead of growing the server's memory", async () => {
    const writer = await RawClient.connect(server.port);
    try {
      assert.equal(await writer.call("CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0"), "+OK\r\n");
      const monitor: Socket = await new Promise((resolve, reject) => {
        const socket = connect({ port: server.port, host: "127.0.0.1" }, () => resolve(socket));
        socket.once("error", reject);
      });
      let closed = false;
      monitor.on("close", () => (closed = true));
      monitor.on("error", () => {});
      const ok = new Promise<void>((resolve) => monitor.once("data", () => resolve()));
      monitor.write(encodeCommand(["MONITOR"]));
      await ok;
      monitor.pause();
      const monitorLine = (await writer.call("CLIENT", "LIST")).split("\n").find((line) => line.includes("cmd=monitor"));
      assert.match(monitorLine ?? "", / flags=O /, "CLIENT LIST flags a monitor with O, as Redis");
      const monitorId = monitorLine?.match(/id=(\d+)/)?.[1];
      assert.ok(monitorId, "the monitor is listed");
      // 40 MB of monitor output: far more than the kernel's socket buffers hold.
      const value = "x".repeat(100_000);
      for (let round = 0; round < 20 && (await writer.call("CLIENT", "LIST")).includes(`id=${monitorId} `); round++) {
        for (let i = 0; i < 20; i++) writer.writeRaw(encodeCommand(["SET", `key${i}`, value]));
        for (let i = 0; i < 20; i++) assert.equal(await writer.readReply(), "+OK\r\n");
      }
      assert.ok(!(await writer.call("CLIENT", "LIST")).includes(`id=${monitorId} `), "the monitor was disconnected");
      monitor.resume();
      for (let i = 0; i < 100 && !closed; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok(closed, "the monitor's socket is closed");
      assert.equal(await writer.call("PING"), "+PONG\r\n");
      monitor.destroy();
    } finally {
      writer.close();
    }
  });
});
