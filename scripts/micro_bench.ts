// In-process micro-benchmark of the path every command takes, without
// sockets: a connection of a real MateriaServer (memory engine, auth off) fed
// encoded commands, its replies counted as they are written. Reports CPU time
// per command (process.cpuUsage over the whole run, so waiting is excluded)
// and, under Node, promises created per command (async_hooks sees every
// promise, including those of async functions and await).
//
// Usage: bun scripts/micro_bench.ts [--count N]
//        npm run bench:micro        (CPU on Bun, then promise counts on Node)
import { parseArgs } from "node:util";
import { openAccess } from "../src/auth/static_password.ts";
import { MemoryEngine } from "../src/engine/memory/engine.ts";
import { MateriaServer } from "../src/server/server.ts";
import type { SocketEvents, TransportSocket } from "../src/server/transport.ts";
import { encodeCommand } from "../tests/support/raw_client.ts";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { count: { type: "string", default: "200000" }, promises: { type: "boolean", default: false } },
});
const count = Number(values.count);

/** A socket that keeps nothing: it counts the reply bytes and wakes whoever waits for them. */
class CountingSocket implements TransportSocket {
  readonly pendingBytes = 0;
  readonly remoteAddress = "127.0.0.1:50000";
  readonly localAddress = "127.0.0.1:6378";
  written = 0;
  private waiting: { bytes: number; resolve: () => void } | undefined;
  write(bytes: Uint8Array): void {
    this.written += bytes.length;
    if (this.waiting !== undefined && this.written >= this.waiting.bytes) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve();
    }
  }
  until(bytes: number): Promise<void> | undefined {
    if (this.written >= bytes) return undefined;
    return new Promise((resolve) => (this.waiting = { bytes, resolve }));
  }
  end(): void {}
  destroy(): void {}
}

interface Workload {
  readonly name: string;
  readonly argv: string[];
  /** Bytes of one reply, to know when a burst is answered. */
  readonly replyBytes: number;
  readonly pipeline: number;
}

const value = "v".repeat(100);
const workloads: Workload[] = [
  { name: "SET 100 B", argv: ["SET", "key:1", value], replyBytes: 5, pipeline: 1 },
  { name: "GET 100 B", argv: ["GET", "key:1"], replyBytes: 108, pipeline: 1 },
  { name: "SET 100 B, pipeline 16", argv: ["SET", "key:1", value], replyBytes: 5, pipeline: 16 },
  { name: "GET 100 B, pipeline 16", argv: ["GET", "key:1"], replyBytes: 108, pipeline: 16 },
];

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

const server = new MateriaServer({ engine: new MemoryEngine(), auth: openAccess(), version: "micro", dataDirectory: "" });
console.log(`micro-benchmark: ${count} commands per workload, memory engine, one connection, no sockets; runtime ${typeof Bun !== "undefined" ? `bun ${Bun.version}` : `node ${process.versions.node}`}`);
for (const workload of workloads) {
  const socket = new CountingSocket();
  const events: SocketEvents = server.accept(socket);
  const one = encodeCommand(workload.argv);
  const burst = new Uint8Array(one.length * workload.pipeline);
  for (let i = 0; i < workload.pipeline; i++) burst.set(one, i * one.length);
  const bursts = Math.max(1, Math.floor(count / workload.pipeline));
  const run = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const expected = socket.written + workload.replyBytes * workload.pipeline;
      events.data(burst);
      await socket.until(expected);
    }
  };
  await run(Math.min(bursts, 2_000)); // warm-up: the JIT, the key's first write
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const promises = await countingPromises(() => run(bursts));
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - wallBefore;
  const commands = bursts * workload.pipeline;
  const cpuUsPerCommand = (cpu.user + cpu.system) / commands;
  // The harness's own: one until() and one await per burst, counted with the server's.
  const promiseText = promises === undefined ? "" : `, ${((promises - 2 * bursts) / commands).toFixed(1)} promises per command`;
  console.log(`${workload.name.padEnd(24)} ${cpuUsPerCommand.toFixed(2)} µs CPU per command, ${(commands / wallMs * 1000 / 1000).toFixed(0)}k commands/s${promiseText}`);
  events.closed();
}
await server.shutdown({ timeoutMs: 100 });
process.exit(0);
