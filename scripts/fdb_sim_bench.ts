// Throughput of the FoundationDB engine over the C test double
// (tests/fdb-sim), in process: a MateriaServer on FdbEngine, 50 connections
// each sending SET or GET one at a time (FoundationDB's throughput comes from
// concurrency), for a fixed number of commands. With --source, the server
// comes from another checkout, so that a change can be compared with the
// code before it in the same run:
//   git worktree add /tmp/before <commit> && bun scripts/fdb_sim_bench.ts --source /tmp/before
// Issue 13's rule: the FDB engine's throughput is not lower after the core.
// Usage: bun scripts/fdb_sim_bench.ts [--source DIR] [--count 20000] [--clients 50]
import { parseArgs } from "node:util";
import { existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeCommand } from "../tests/support/raw_client.ts";
import { CountingSocket } from "./bench/counting_socket.ts";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    source: { type: "string" },
    count: { type: "string", default: "20000" },
    clients: { type: "string", default: "50" },
  },
});
const here = new URL("../", import.meta.url).pathname;
const source = values.source === undefined ? here : `${values.source.replace(/\/$/, "")}/`;
const count = Number(values.count);
const clients = Number(values.clients);

const library = join(here, "tests/fdb-sim/build/libfdb_c.so");
if (!existsSync(library)) {
  console.error(`fdb_sim_bench: ${library} is missing; build it with npm run build:fdb-sim`);
  process.exit(1);
}
const clusterFile = join(tmpdir(), "materia-fdb-sim-bench.cluster");
writeFileSync(clusterFile, "materia:sim@127.0.0.1:4500\n");

const { MateriaServer } = await import(`${source}src/server/server.ts`);
const { openAccess } = await import(`${source}src/auth/static_password.ts`);
const { openFdbEngine } = await import(`${source}src/engine/fdb/open_engine.ts`);
const { loadFdbLibrary } = await import(`${source}src/adapter/bun/fdb_ffi.ts`);


const engine = await openFdbEngine({ env: { FDB_LIBRARY_PATH: library }, loadLibrary: loadFdbLibrary, clusterFile });
const server = new MateriaServer({ engine, auth: openAccess(), version: "bench", dataDirectory: "" });
const value = "v".repeat(100);
const workloads = [
  { name: "SET 100 B", argv: (i: number) => ["SET", `key:${i % 1000}`, value], replyBytes: 5 },
  { name: "GET 100 B", argv: (i: number) => ["GET", `key:${i % 1000}`], replyBytes: 108 },
];
console.log(`FoundationDB engine over the C test double: ${count} commands per workload, ${clients} connections; source ${source}`);
for (const workload of workloads) {
  const perClient = Math.ceil(count / clients);
  const connections = Array.from({ length: clients }, () => {
    const socket = new CountingSocket();
    return { socket, events: server.accept(socket) };
  });
  const started = performance.now();
  await Promise.all(connections.map(async ({ socket, events }, c) => {
    for (let i = 0; i < perClient; i++) {
      const expected = socket.written + workload.replyBytes;
      events.data(encodeCommand(workload.argv(c * perClient + i)));
      await socket.until(expected);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  console.log(`${workload.name.padEnd(12)} ${Math.round((perClient * clients) / seconds)} commands/s`);
  for (const { events } of connections) events.closed();
}
await server.shutdown({ timeoutMs: 100 });
process.exit(0);
