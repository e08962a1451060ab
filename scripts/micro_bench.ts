// In-process micro-benchmark of the path every command takes, without
// sockets: a connection of a real MateriaServer (memory engine, auth off) fed
// encoded commands, its replies counted as they are written. Reports CPU time
// per command (process.cpuUsage over the whole run, so waiting is excluded)
// and, under Node, promises created per command (async_hooks sees every
// promise, including those of async functions and await).
//
// Usage: bun scripts/micro_bench.ts [--count N] [--engine memory|sqlite] [--connections N]
//        npm run bench:micro        (CPU on Bun, then promise counts on Node)
//
// --engine sqlite runs on a fresh SQLite file in a temporary directory (Bun
// only: bun:sqlite) with its durable group commit; give it --connections 50
// so that batches form as they do under redis-benchmark's 50 clients.
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import { openAccess } from "../src/auth/static_password.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Engine } from "../src/engine/contract.ts";
import { MemoryEngine } from "../src/engine/memory/engine.ts";
import { SqliteEngine } from "../src/engine/sqlite/engine.ts";
import { MateriaServer } from "../src/server/server.ts";
import type { SocketEvents } from "../src/server/transport.ts";
import { encodeCommand } from "../tests/support/raw_client.ts";
import { CountingSocket, LineCountingSocket } from "./bench/counting_socket.ts";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    count: { type: "string", default: "200000" },
    promises: { type: "boolean", default: false },
    /** Only the workloads whose name is exactly this (to profile one: bun --cpu-prof scripts/micro_bench.ts --only "SET 100 B, pipeline 16"). */
    only: { type: "string" },
    engine: { type: "string", default: "memory" },
    /** Connections sending the workload at once, each waiting for its own replies. */
    connections: { type: "string", default: "1" },
  },
});
const count = Number(values.count);
const connections = Math.max(1, Number(values.connections));


/**
 * One command of a workload and the bytes of its reply (to know when a burst
 * is answered), or, when its size varies (XADD's ids), the lines of its reply.
 */
type Step = { readonly argv: string[]; readonly replyBytes: number } | { readonly argv: string[]; readonly replyLines: number };

interface Workload {
  readonly name: string;
  /** Commands sent in turn, round and round; each cycle leaves the data as it found it, so every reply keeps its size (or its line count). */
  readonly cycle: Step[];
  /** Commands per burst. */
  readonly pipeline: number;
  /** Sent once before the warm-up (a list or set that stays non-empty). */
  readonly setup?: string[][];
}

const value = "v".repeat(100);
const BULK_100 = 108; // $100\r\n + 100 bytes + \r\n
const OK_BYTES = 5; // +OK\r\n
const SMALL_INT = 4; // :1\r\n
/** A rate limiter's script (as npm run bench runs it), answering a constant so that every reply has the same size. */
const RATE_LIMITER = "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return 1";
const RATE_LIMITER_SHA = createHash("sha1").update(RATE_LIMITER).digest("hex");
const pairs: Omit<Workload, "pipeline">[] = [
  { name: "SET 100 B", cycle: [{ argv: ["SET", "key:1", value], replyBytes: OK_BYTES }] },
  { name: "GET 100 B", setup: [["SET", "key:1", value]], cycle: [{ argv: ["GET", "key:1"], replyBytes: BULK_100 }] },
  {
    name: "HSET/HGET",
    cycle: [{ argv: ["HSET", "hash:1", "field", value], replyBytes: SMALL_INT }, { argv: ["HGET", "hash:1", "field"], replyBytes: BULK_100 }],
  },
  {
    name: "RPUSH/LPOP",
    setup: [["RPUSH", "list:1", value, value, value]],
    cycle: [{ argv: ["RPUSH", "list:1", value], replyBytes: SMALL_INT }, { argv: ["LPOP", "list:1"], replyBytes: BULK_100 }],
  },
  {
    name: "SADD/SISMEMBER/SREM",
    setup: [["SADD", "set:1", "other"]],
    cycle: [
      { argv: ["SADD", "set:1", "member"], replyBytes: SMALL_INT },
      { argv: ["SISMEMBER", "set:1", "member"], replyBytes: SMALL_INT },
      { argv: ["SREM", "set:1", "member"], replyBytes: SMALL_INT },
    ],
  },
  {
    name: "EVALSHA rate limiter",
    setup: [["SCRIPT", "LOAD", RATE_LIMITER]],
    cycle: [{ argv: ["EVALSHA", RATE_LIMITER_SHA, "1", "rate:1", "60"], replyBytes: SMALL_INT }],
  },
  {
    name: "EVALSHA return 1",
    setup: [["SCRIPT", "LOAD", "return 1"]],
    cycle: [{ argv: ["EVALSHA", createHash("sha1").update("return 1").digest("hex"), "0"], replyBytes: SMALL_INT }],
  },
  { name: "INCR/DECR", cycle: [{ argv: ["INCR", "counter:1"], replyBytes: SMALL_INT }, { argv: ["DECR", "counter:1"], replyBytes: SMALL_INT }] },
  // The stream grows by one entry per command; its replies (ids) vary in size, not in lines: $<n>, then the id.
  { name: "XADD * to one stream", cycle: [{ argv: ["XADD", "stream:1", "*", "payload", value], replyLines: 2 }] },
  {
    name: "XADD * over 1k streams",
    cycle: Array.from({ length: 1000 }, (_, i) => ({ argv: ["XADD", `stream:${i}`, "*", "payload", value], replyLines: 2 })),
  },
  {
    name: "SET/EXISTS/DEL",
    cycle: [
      { argv: ["SET", "key:2", "x"], replyBytes: OK_BYTES },
      { argv: ["EXISTS", "key:2"], replyBytes: SMALL_INT },
      { argv: ["DEL", "key:2"], replyBytes: SMALL_INT },
    ],
  },
];
const workloads: Workload[] = [
  ...pairs.map((w) => ({ ...w, pipeline: 1 })),
  ...pairs.map((w) => ({ ...w, name: `${w.name}, pipeline 16`, pipeline: 16 })),
].filter((w) => values.only === undefined || w.name === values.only);

/** The bursts of a workload, in turn: `pipeline` commands each, continuing the cycle where the previous burst stopped. */
function burstsOf(workload: Workload): { bytes: Uint8Array; replyBytes: number }[] {
  const { cycle, pipeline } = workload;
  const encoded = cycle.map((step) => encodeCommand(step.argv));
  const out: { bytes: Uint8Array; replyBytes: number }[] = [];
  // After `cycle.length` bursts the cycle is back where it started.
  for (let b = 0; b < cycle.length; b++) {
    const parts: Uint8Array[] = [];
    let replyBytes = 0;
    for (let i = 0; i < pipeline; i++) {
      const at = (b * pipeline + i) % cycle.length;
      parts.push(encoded[at]!);
      const step = cycle[at]!;
      replyBytes += "replyBytes" in step ? step.replyBytes : step.replyLines;
    }
    const bytes = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.length;
    }
    out.push({ bytes, replyBytes });
  }
  return out;
}

/** Counts promises created while `body` runs, on Node (undefined elsewhere). */
async function countingPromises(body: () => Promise<void>): Promise<number | undefined> {
  if (!values.promises) {
    await body();
    return undefined;
  }
  const hooks = await import("node:async_hooks");
  let created = 0;
  const hook = hooks.createHook({ init: (_id, type) => void (type === "PROMISE" && created++) });
  hook.enable();
  await body();
  hook.disable();
  return created;
}

/** The engine under test, and how to remove what it left behind. */
async function openEngine(): Promise<{ engine: Engine; cleanup: () => void }> {
  if (values.engine === "memory") return { engine: new MemoryEngine(), cleanup: () => {} };
  if (values.engine !== "sqlite") throw new Error(`--engine ${values.engine}: expected memory or sqlite`);
  if (typeof Bun === "undefined") throw new Error("--engine sqlite needs Bun (bun:sqlite)");
  const { openSqlite } = await import("../src/adapter/bun/sqlite_driver.ts");
  const directory = mkdtempSync(join(tmpdir(), "materia-micro-"));
  return { engine: SqliteEngine.openNow(directory, { openDriver: openSqlite }), cleanup: () => rmSync(directory, { recursive: true, force: true }) };
}

const { engine, cleanup } = await openEngine();
const server = new MateriaServer({ engine, auth: openAccess(), version: "micro", dataDirectory: "" });
console.log(
  `micro-benchmark: ${count} commands per workload, ${engine.name} engine, ${connections} connection(s), no sockets; runtime ${
    typeof Bun !== "undefined" ? `bun ${Bun.version}` : `node ${process.versions.node}`
  }`,
);
for (const workload of workloads) {
  const byLines = workload.cycle.some((step) => "replyLines" in step);
  const clients = Array.from({ length: connections }, () => {
    const socket = byLines ? new LineCountingSocket() : new CountingSocket();
    return { socket, events: server.accept(socket) as SocketEvents };
  });
  const { socket: first, events: firstEvents } = clients[0]!;
  for (const argv of workload.setup ?? []) {
    const before = first.written;
    firstEvents.data(encodeCommand(argv));
    await first.until(before + 1);
  }
  const bursts = burstsOf(workload);
  // Whole cycles only, so that the data ends as it started.
  const burstCount = Math.max(bursts.length, Math.floor(count / workload.pipeline / bursts.length / connections) * bursts.length);
  const runOne = async ({ socket, events }: (typeof clients)[number], n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const burst = bursts[i % bursts.length]!;
      const expected = socket.written + burst.replyBytes;
      events.data(burst.bytes);
      await socket.until(expected);
    }
  };
  const run = async (n: number): Promise<void> => {
    await Promise.all(clients.map((client) => runOne(client, n)));
  };
  await run(Math.min(burstCount, 2_000 * bursts.length)); // warm-up: the JIT, the keys' first writes
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const promises = await countingPromises(() => run(burstCount));
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - wallBefore;
  const commands = burstCount * workload.pipeline * connections;
  const cpuUsPerCommand = (cpu.user + cpu.system) / commands;
  // The harness's own: one until() and one await per burst, counted with the server's.
  const promiseText = promises === undefined ? "" : `, ${((promises - 2 * burstCount * connections) / commands).toFixed(1)} promises per command`;
  console.log(`${workload.name.padEnd(32)} ${cpuUsPerCommand.toFixed(2)} µs CPU per command, ${(commands / wallMs * 1000 / 1000).toFixed(0)}k commands/s${promiseText}`);
  for (const { events } of clients) events.closed();
}
await server.shutdown({ timeoutMs: 100 });
cleanup();
process.exit(0);
