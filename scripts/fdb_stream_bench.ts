// How fast one hot stream takes XADD over the FoundationDB engine, and why
// (issue 17): Materia servers in process on FdbEngine over the C test double
// (tests/fdb-sim), --producers connections each sending `XADD <key> * payload
// <100 B>` one at a time, for --count commands in all:
//   hot     every producer appends to one stream
//   spread  producer i appends to stream i (no two share one)
// With --servers 2 the producers are split over two servers (two engines in
// one process over the same double, as two Materia processes over one
// cluster would be). Each XADD reads the stream's header in its meta and
// rewrites it (stream_layout.ts), so appends to one stream conflict on that
// key; the engine's figures (commits, conflicts, retries) and the double's
// show how that plays out. --latency-us delays each read and commit of the
// double (FDB_SIM_LATENCY_US), as a real cluster's round trips would.
// Usage: bun scripts/fdb_stream_bench.ts [--count 20000] [--producers 50] [--servers 1,2] [--latency-us 0,1000]
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { openAccess } from "../src/auth/static_password.ts";
import { FdbEngine, type FdbEngineStats } from "../src/engine/fdb/engine.ts";
import { MateriaServer } from "../src/server/server.ts";
import type { SocketEvents, TransportSocket } from "../src/server/transport.ts";
import { configureSim, FDB_SIM_LIBRARY, simStats, testClusterFile, testLibrary } from "../tests/fdb/support.ts";
import { encodeCommand } from "../tests/support/raw_client.ts";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    count: { type: "string", default: "20000" },
    producers: { type: "string", default: "50" },
    servers: { type: "string", default: "1,2" },
    "latency-us": { type: "string", default: "0,1000" },
  },
});
if (!existsSync(FDB_SIM_LIBRARY)) {
  console.error(`fdb_stream_bench: ${FDB_SIM_LIBRARY} is missing; build it with npm run build:fdb-sim`);
  process.exit(1);
}
const count = Number(values.count);
const producers = Number(values.producers);
const library = (await testLibrary())!;
const clusterFile = testClusterFile();
const value = "v".repeat(100);
/** The double's counters worth showing (fdb_sim_stats_json): its commits, the conflicts it found, on_error retries. */
const SIM_FIGURES = ["commits", "conflicts", "retries"];

/**
 * Counts XADD replies as they are written: an id ("$<n>", then the id) or an
 * error line (TRYAGAIN once retries run out), kept apart.
 */
class XaddReplySocket implements TransportSocket {
  readonly pendingBytes = 0;
  readonly remoteAddress = "127.0.0.1:50000";
  readonly localAddress = "127.0.0.1:6378";
  replies = 0;
  readonly errors: string[] = [];
  private partial = "";
  private bulkNext = false;
  private waiting: { replies: number; resolve: () => void } | undefined;

  write(bytes: Uint8Array): void {
    const lines = (this.partial + new TextDecoder().decode(bytes)).split("\r\n");
    this.partial = lines.pop()!;
    for (const line of lines) {
      if (this.bulkNext) {
        this.bulkNext = false;
        this.replies++;
      } else if (line.startsWith("$") && line !== "$-1") this.bulkNext = true;
      else {
        if (line.startsWith("-")) this.errors.push(line);
        this.replies++;
      }
    }
    if (this.waiting !== undefined && this.replies >= this.waiting.replies) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve();
    }
  }

  /** Resolves once `replies` replies in all have been written. */
  until(replies: number): Promise<void> | undefined {
    if (this.replies >= replies) return undefined;
    return new Promise((resolve) => (this.waiting = { replies, resolve }));
  }

  end(): void {}
  destroy(): void {}
}

/** A socket that keeps what it is sent, for the one check at the end (XLEN). */
class KeepingSocket implements TransportSocket {
  readonly pendingBytes = 0;
  readonly remoteAddress = "127.0.0.1:50001";
  readonly localAddress = "127.0.0.1:6378";
  text = "";
  write(bytes: Uint8Array): void {
    this.text += new TextDecoder().decode(bytes);
  }
  end(): void {}
  destroy(): void {}
}

async function xlen(server: InstanceType<typeof MateriaServer>, key: string): Promise<number> {
  const socket = new KeepingSocket();
  const events = server.accept(socket) as SocketEvents;
  events.data(encodeCommand(["XLEN", key]));
  while (!socket.text.includes("\r\n")) await new Promise((resolve) => setTimeout(resolve, 1));
  events.closed();
  return Number(socket.text.slice(1, socket.text.indexOf("\r")));
}

const difference = (after: FdbEngineStats, before: FdbEngineStats): { commits: number; conflicts: number; retries: number } => ({
  commits: after.commits - before.commits,
  conflicts: after.conflicts - before.conflicts,
  retries: after.retries - before.retries,
});

console.log(`XADD over the FoundationDB engine on the C test double (Bun ${Bun.version}): ${count} XADDs per run, ${producers} producers`);
for (const latencyUs of values["latency-us"]!.split(",")) {
  await configureSim("FDB_SIM_LATENCY_US", latencyUs);
  console.log(`\ndouble's latency per read and commit: ${latencyUs} µs`);
  for (const serverCount of values.servers!.split(",").map(Number)) {
    const engines = await Promise.all(Array.from({ length: serverCount }, () => FdbEngine.open({ library, clusterFile })));
    const servers = engines.map((engine) => new MateriaServer({ engine, auth: openAccess(), version: "bench", dataDirectory: "" }));
    for (const shape of ["hot", "spread"] as const) {
      const run = `${Date.now()}`;
      const keyOf = (producer: number): string => (shape === "hot" ? `stream:hot:${run}` : `stream:${producer}:${run}`);
      const perProducer = Math.ceil(count / producers);
      const connections = Array.from({ length: producers }, (_, p) => {
        const socket = new XaddReplySocket();
        return { socket, events: servers[p % serverCount]!.accept(socket) as SocketEvents, command: encodeCommand(["XADD", keyOf(p), "*", "payload", value]) };
      });
      const before = engines.map((engine) => engine.stats);
      const simBefore = await simStats();
      const started = performance.now();
      // Progress every few seconds: a hot stream over two servers can crawl.
      const ticker = setInterval(() => {
        const done = connections.reduce((n, { socket }) => n + socket.replies, 0);
        const conflicts = engines.reduce((n, engine, i) => n + engine.stats.conflicts - before[i]!.conflicts, 0);
        console.log(`  ... ${((performance.now() - started) / 1000).toFixed(0)} s: ${done} XADDs answered, ${conflicts} conflicts`);
      }, 5_000);
      await Promise.all(connections.map(async ({ socket, events, command }) => {
        for (let i = 0; i < perProducer; i++) {
          events.data(command);
          await socket.until(socket.replies + 1);
        }
      }));
      const seconds = (performance.now() - started) / 1000;
      clearInterval(ticker);
      const errors = connections.flatMap(({ socket }) => socket.errors);
      const stats = engines.map((engine, i) => difference(engine.stats, before[i]!));
      const sum = (field: "commits" | "conflicts" | "retries"): number => stats.reduce((n, s) => n + s[field], 0);
      const simAfter = await simStats();
      const simDelta = (name: string): number => (simAfter[name] ?? 0) - (simBefore[name] ?? 0);
      for (const { events } of connections) events.closed();
      const total = perProducer * producers - errors.length;
      const stored = shape === "hot"
        ? await xlen(servers[0]!, keyOf(0))
        : (await Promise.all(Array.from({ length: producers }, (_, p) => xlen(servers[0]!, keyOf(p))))).reduce((a, b) => a + b, 0);
      if (stored !== total) throw new Error(`${shape}: ${total} XADDs answered with an id but the streams hold ${stored} entries`);
      console.log(
        `${serverCount} server(s), ${shape === "hot" ? "one hot stream  " : `${producers} streams     `}: ${Math.round(total / seconds).toString().padStart(6)} XADD/s in ${seconds.toFixed(1)} s; ` +
          `${sum("commits")} commits, ${sum("conflicts")} conflicts (${(sum("conflicts") / total).toFixed(2)} per XADD), ${sum("retries")} retries; ` +
          `double: ${JSON.stringify(Object.fromEntries(SIM_FIGURES.map((name) => [name, simDelta(name)])))}` +
          (errors.length === 0 ? "" : `; ${errors.length} XADDs refused, first: ${errors[0]}`),
      );
    }
    for (const server of servers) await server.shutdown({ timeoutMs: 100 });
    for (const engine of engines) await engine.close();
  }
}
process.exit(0);
