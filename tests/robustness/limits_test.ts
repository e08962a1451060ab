// Load and resource limits of `materia serve`, spawned as a real process so
// that its memory is its own RSS:
// - 1,000 concurrent clients doing mixed commands are all served, and with
//   --maxclients 1000 the next one is refused with Redis's error;
// - a client that sends but never reads is disconnected at the output buffer
//   limit, while another client's latency and the server's memory hold;
// - `timeout` closes idle clients; CONFIG GET/SET read and change the limits;
// - `tcp-keepalive` turns TCP keepalive on, so half-open connections die;
// - a request over the size limit is refused from its header, its body never
//   buffered.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { connect, type Socket } from "node:net";
import { MAX_STRING_BYTES } from "../../src/model/limits.ts";
import { hasProgram, signalServer, TempDirs } from "../support/processes.ts";
import { encodeCommand, RawClient } from "../support/raw_client.ts";
import { isBun, runtimeName } from "../support/runtime.ts";
import { spawnServer, type ServerProcess } from "../support/servers.ts";
import { bulk, PipelinedClient } from "./pipelined_client.ts";
import { mib, rssOf, sampleRss } from "./rss.ts";

const started: ServerProcess[] = [];
const dirs = new TempDirs();
after(async () => {
  for (const server of started) await signalServer(server, "SIGKILL");
  dirs.removeAll();
});

async function serve(args: readonly string[]): Promise<ServerProcess> {
  const server = await spawnServer(["--no-auth", ...args]);
  started.push(server);
  return server;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** `count` sequential PINGs; their round-trip times in ms, sorted. */
async function pingLatencies(client: PipelinedClient, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    assert.equal(await client.call("PING"), "+PONG\r\n");
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

async function clientNames(client: PipelinedClient): Promise<string[]> {
  const list = await client.call("CLIENT", "LIST");
  return [...list.matchAll(/ name=(\S*) /g)].map((m) => m[1]!);
}

/** Open files this process and its children may have (1,000 clients take 1,000 here and 1,000 in the server). */
const fileLimit = Number(execFileSync("sh", ["-c", "ulimit -n"]).toString().trim().replace("unlimited", "1000000"));

describe("1,000 concurrent clients", { skip: fileLimit >= 2_500 ? false : `ulimit -n is ${fileLimit}; raise it to 2500 or more` }, () => {
  test("all are served doing mixed commands, none dropped; with maxclients 1000 the next is refused with Redis's error", async () => {
    const server = await serve(["--engine", "sqlite", "--data", dirs.make("load"), "--maxclients", "1000"]);
    const memory = sampleRss(server.child.pid!);
    const clients: PipelinedClient[] = [];
    try {
      for (let i = 0; i < 1000; i += 100) {
        clients.push(...(await Promise.all(Array.from({ length: 100 }, () => PipelinedClient.open(server.port)))));
      }
      const ROUNDS = 5;
      await Promise.all(clients.map(async (client, i) => {
        for (let round = 0; round < ROUNDS; round++) {
          const first = client.sent.length;
          client.send([
            ["SET", `k:${i}`, `v${round}`],
            ["GET", `k:${i}`],
            ["INCR", "shared"],
            ["RPUSH", `l:${i}`, String(round)],
            ["HSET", `h:${i}`, `f${round}`, "x"],
            ["SADD", "members", `${i}:${round}`],
            ["MULTI"],
            ["INCR", `c:${i}`],
            ["LLEN", `l:${i}`],
            ["EXEC"],
          ]);
          assert.ok(await client.drain(60_000), `client ${i} round ${round}: every command answered (connection ${client.ending ?? "open"})`);
          const replies = client.replies.slice(first);
          assert.equal(replies[0], "+OK\r\n");
          assert.equal(replies[1], bulk(`v${round}`));
          assert.match(replies[2]!, /^:\d+\r\n$/);
          assert.equal(replies[3], `:${round + 1}\r\n`);
          assert.equal(replies[4], ":1\r\n");
          assert.equal(replies[5], ":1\r\n");
          assert.deepEqual(replies.slice(6, 9), ["+OK\r\n", "+QUEUED\r\n", "+QUEUED\r\n"]);
          assert.equal(replies[9], `*2\r\n:${round + 1}\r\n:${round + 1}\r\n`);
        }
      }));
      assert.ok(clients.every((c) => !c.isClosed), "no client was dropped");
      const peak = memory.stop();

      const refused = await RawClient.connect(server.port);
      try {
        assert.equal(await refused.readReply(), "-ERR max number of clients reached\r\n");
        assert.ok(await refused.closedByServer(), "the refused client is closed");
      } finally {
        refused.close();
      }
      assert.equal(await clients[0]!.call("GET", "shared"), bulk(String(1000 * ROUNDS)), "every INCR counted");
      assert.equal(await clients[1]!.call("SCARD", "members"), `:${1000 * ROUNDS}\r\n`);
      assert.match(await clients[2]!.call("INFO", "clients"), /connected_clients:1000\r\n/);
      console.log(`1,000 clients [${runtimeName}]: ${1000 * ROUNDS * 10} commands answered; server RSS peak ${mib(peak)}`);
    } finally {
      memory.stop();
      for (const client of clients) client.destroy();
    }
  });
});

describe("output buffer limit", () => {
  test("a client that never reads is disconnected at the limit; another client's latency and the server's memory hold", async () => {
    const server = await serve(["--engine", "memory", "--client-output-buffer-limit", "8mb 2mb 1"]);
    const probe = await PipelinedClient.open(server.port);
    let hog: Socket | undefined;
    try {
      assert.equal(
        await probe.call("CONFIG", "GET", "client-output-buffer-limit"),
        `*2\r\n${bulk("client-output-buffer-limit")}${bulk("normal 8388608 2097152 1 slave 268435456 67108864 60 pubsub 33554432 8388608 60")}`,
      );
      assert.equal(await probe.call("SET", "big", "x".repeat(1024 * 1024)), "+OK\r\n");
      const before = await pingLatencies(probe, 200);
      const rssBefore = rssOf(server.child.pid!);
      const memory = sampleRss(server.child.pid!);

      // The hog asks for 400 MiB of replies and reads none of them.
      hog = await new Promise<Socket>((resolve, reject) => {
        const socket = connect({ port: server.port, host: "127.0.0.1" }, () => resolve(socket));
        socket.once("error", reject);
      });
      hog.on("error", () => {});
      hog.pause();
      hog.write(encodeCommand(["CLIENT", "SETNAME", "hog"]));
      const gets = encodeCommand(["GET", "big"]);
      for (let i = 0; i < 400; i++) hog.write(gets);

      const during = await pingLatencies(probe, 200);
      let names: string[] = ["hog"];
      const deadline = Date.now() + 10_000;
      while (names.includes("hog") && Date.now() < deadline) {
        await sleep(20);
        names = await clientNames(probe);
      }
      const peak = memory.stop();
      assert.ok(!names.includes("hog"), "the server disconnected the client that does not read");
      assert.match(server.output(), /closed for overcoming of output buffer limits/);
      assert.equal(await probe.call("GET", "missing"), "$-1\r\n", "the other client is still served");

      const report = (t: number[]) => `p50 ${percentile(t, 0.5).toFixed(2)} ms, p99 ${percentile(t, 0.99).toFixed(2)} ms, max ${t.at(-1)!.toFixed(2)} ms`;
      console.log(
        `output buffer limit [${runtimeName}]: PING before ${report(before)}; while the hog was served ${report(during)}; ` +
          `server RSS ${mib(rssBefore)} before, peak ${mib(peak)}`,
      );
      // Without the limit the server would hold the 400 MiB the hog asked for.
      assert.ok(peak - rssBefore < 64 * 2 ** 20, `the server's RSS grew by ${mib(peak - rssBefore)}`);
      assert.ok(percentile(during, 0.5) < 50, `median PING latency while the hog was served: ${percentile(during, 0.5)} ms`);
    } finally {
      hog?.destroy();
      probe.destroy();
    }
  });
});

describe("idle timeout and CONFIG SET", () => {
  test("--timeout closes idle clients, not active ones; CONFIG SET timeout 0 turns it off", async () => {
    const server = await serve(["--engine", "memory", "--timeout", "1"]);
    const admin = await PipelinedClient.open(server.port);
    const idle = await PipelinedClient.open(server.port);
    try {
      assert.equal(await admin.call("CONFIG", "GET", "timeout"), `*2\r\n${bulk("timeout")}${bulk("1")}`);
      const openedAt = Date.now();
      assert.equal(await idle.call("PING"), "+PONG\r\n");
      // The admin stays active: a PING every 300 ms.
      const closed = idle.closed(4_000);
      while (!idle.isClosed && Date.now() - openedAt < 4_000) {
        assert.equal(await admin.call("PING"), "+PONG\r\n");
        await sleep(300);
      }
      assert.ok(await closed, "the idle client is closed");
      const idleFor = Date.now() - openedAt;
      assert.ok(idleFor >= 900 && idleFor < 3_000, `closed after ${idleFor} ms idle (timeout 1 s)`);
      assert.equal(idle.ending, "end", "closed cleanly");
      assert.equal(await admin.call("PING"), "+PONG\r\n", "the active client is not");

      assert.equal(await admin.call("CONFIG", "SET", "timeout", "0"), "+OK\r\n");
      const spared = await PipelinedClient.open(server.port);
      try {
        await sleep(1_600);
        assert.equal(await spared.call("PING"), "+PONG\r\n", "with timeout 0 an idle client stays");
      } finally {
        spared.destroy();
      }
    } finally {
      admin.destroy();
      idle.destroy();
    }
  });

  test("CONFIG SET answers Redis's errors and applies all parameters or none", async () => {
    const server = await serve(["--engine", "memory"]);
    const client = await PipelinedClient.open(server.port);
    try {
      const failed = (name: string, reason: string) => `-ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}\r\n`;
      const cases: Array<[string[], string]> = [
        [["timeout", "-1"], failed("timeout", "argument must be between 0 and 2147483647 inclusive")],
        [["timeout", "abc"], failed("timeout", "argument couldn't be parsed into an integer")],
        [["timeout", "99999999999999"], failed("timeout", "argument must be between 0 and 2147483647 inclusive")],
        [["tcp-keepalive", "1.5"], failed("tcp-keepalive", "argument couldn't be parsed into an integer")],
        [["timeout", "5", "timeout", "6"], failed("timeout", "duplicate parameter")],
        [["timeout", "5", "tcp-keepalive"], "-ERR syntax error\r\n"],
        [["client-output-buffer-limit", "normal 1mb"], failed("client-output-buffer-limit", "Wrong number of arguments in buffer limit configuration.")],
        [["client-output-buffer-limit", "foo 1 2 3"], failed("client-output-buffer-limit", "Invalid client class specified in buffer limit configuration.")],
        [["client-output-buffer-limit", "normal 1x 2 3"], failed("client-output-buffer-limit", "Error in hard, soft or soft_seconds setting in buffer limit configuration.")],
        // The valid timeout is not applied, since the next parameter fails.
        [["timeout", "7", "client-output-buffer-limit", "1000"], failed("client-output-buffer-limit", "Wrong number of arguments in buffer limit configuration.")],
      ];
      for (const [args, reply] of cases) assert.equal(await client.call("CONFIG", "SET", ...args), reply, `CONFIG SET ${args.join(" ")}`);
      assert.equal(await client.call("CONFIG", "GET", "timeout"), `*2\r\n${bulk("timeout")}${bulk("0")}`);
      // A parameter Materia only reports refuses another value, with its reason (config_parameters.ts).
      assert.match(await client.call("CONFIG", "SET", "maxmemory", "1"), /^-ERR CONFIG SET failed \(possibly related to argument 'maxmemory'\) - Materia never evicts data/);

      assert.equal(await client.call("CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 512kb 10 pubsub 1k 2 3", "tcp-keepalive", "60"), "+OK\r\n");
      assert.equal(
        await client.call("CONFIG", "GET", "client-output-buffer-limit"),
        `*2\r\n${bulk("client-output-buffer-limit")}${bulk("normal 1048576 524288 10 slave 268435456 67108864 60 pubsub 1000 2 3")}`,
      );
      assert.equal(await client.call("CONFIG", "GET", "tcp-keepalive"), `*2\r\n${bulk("tcp-keepalive")}${bulk("60")}`);
    } finally {
      client.destroy();
    }
  });
});

/** The keepalive timer of the server's end of each connection to `port`, from `ss`, in seconds. */
function keepaliveTimers(port: number): number[] {
  const lines = execFileSync("ss", ["-tnoH", "state", "established", `( sport = :${port} )`]).toString().trim().split("\n");
  return lines.flatMap((line) => {
    const timer = /timer:\(keepalive,([^,]+),/.exec(line)?.[1];
    if (timer === undefined) return [];
    // ss prints 6.984ms for 6.984 s, 968ms, 119min.
    const m = /^(?:(\d+)min)?(?:(\d+)\.(\d+)ms|(\d+)ms|(\d+)sec)?$/.exec(timer);
    if (!m) return [NaN];
    return [Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) + Number(m[3] ?? 0) / 1000 + Number(m[4] ?? 0) / 1000 + Number(m[5] ?? 0)];
  });
}

describe("TCP keepalive", { skip: hasProgram("ss") ? false : "ss (iproute2) is not installed" }, () => {
  test("--tcp-keepalive turns keepalive probes on for every client; 0 turns them off", async () => {
    const on = await serve(["--engine", "memory", "--tcp-keepalive", "7"]);
    const off = await serve(["--engine", "memory", "--tcp-keepalive", "0"]);
    const clients = await Promise.all([RawClient.connect(on.port), RawClient.connect(on.port), RawClient.connect(off.port)]);
    try {
      for (const client of clients) assert.equal(await client.call("PING"), "+PONG\r\n");
      const timers = keepaliveTimers(on.port);
      assert.equal(timers.length, 2, `both connections probe: ${JSON.stringify(timers)}`);
      // Bun sets the idle time; Deno can only turn SO_KEEPALIVE on (the kernel's 7200 s then apply).
      for (const seconds of timers) assert.ok(isBun ? seconds > 0 && seconds <= 7 : seconds > 0, `keepalive in ${seconds} s`);
      assert.deepEqual(keepaliveTimers(off.port), [], "no keepalive with --tcp-keepalive 0");
    } finally {
      for (const client of clients) client.close();
    }
  });
});

describe("request size", () => {
  const oneMiB = new Uint8Array(1024 * 1024).fill(120);
  const requests = [
    {
      name: "a bulk over the size limit is refused from its header",
      header: `*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${MAX_STRING_BYTES + 1}\r\n`,
      error: /^-ERR Protocol error: (invalid bulk length|request larger than .*)\r\n$/,
      // then the body, as fast as the server takes it
      next: () => oneMiB,
    },
    {
      name: "a request whose arguments add up past the limit is refused at the header that passes it",
      header: "*1000\r\n$5\r\nRPUSH\r\n$1\r\nk\r\n",
      error: /^-ERR Protocol error: request larger than the \d+-byte limit .*\r\n$/,
      // then 1 MiB arguments, each under the bulk limit
      next: () => new Uint8Array([...new TextEncoder().encode(`$${oneMiB.length}\r\n`), ...oneMiB, 13, 10]),
    },
  ];
  for (const request of requests) {
    test(`${request.name}; the connection is closed and the rest never buffered`, async () => {
      const server = await serve(["--engine", "memory"]);
      const rssBefore = rssOf(server.child.pid!);
      const memory = sampleRss(server.child.pid!);
      const socket = await new Promise<Socket>((resolve, reject) => {
        const s = connect({ port: server.port, host: "127.0.0.1" }, () => resolve(s));
        s.once("error", reject);
      });
      let received = "";
      let ended = false;
      socket.on("data", (chunk: Uint8Array) => (received += String.fromCharCode(...chunk)));
      socket.on("error", () => {});
      socket.on("close", () => (ended = true));
      try {
        socket.write(request.header);
        // Up to 64 MiB, as fast as the server takes it.
        const chunk = request.next();
        for (let sent = 0; sent < 64 * 2 ** 20 && !ended; sent += chunk.length) {
          if (!socket.write(chunk)) await new Promise((resolve) => setTimeout(resolve, 5));
        }
        const deadline = Date.now() + 5_000;
        while (!ended && Date.now() < deadline) await sleep(10);
        assert.match(received, request.error);
        assert.ok(ended, "the server closed the connection");
        const peak = memory.stop();
        assert.ok(peak - rssBefore < 32 * 2 ** 20, `the server's RSS grew by ${mib(peak - rssBefore)} while refusing`);
        const fresh = await RawClient.connect(server.port);
        assert.equal(await fresh.call("PING"), "+PONG\r\n");
        fresh.close();
      } finally {
        memory.stop();
        socket.destroy();
      }
    });
  }
});
