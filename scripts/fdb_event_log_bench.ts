// The FoundationDB engine's event log over the C test double (tests/fdb-sim):
// two engine instances in one process stand for two servers over one cluster.
// - Append throughput: --appenders concurrent callers on server A, each
//   appending --count entries of --size bytes one call at a time (group
//   commit packs concurrent calls into one transaction); followers on A and
//   B must receive every entry.
// - Follow latency: single appends on A, one at a time; the time from the
//   append() call to the entry in the hands of a follower on A (read right
//   after the commit) and on B (woken by its watch on the topic's tick).
// Usage: bun scripts/fdb_event_log_bench.ts [--appenders 50] [--count 200] [--size 100] [--samples 300]
import { parseArgs } from "node:util";
import { existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FdbEngine } from "../src/engine/fdb/engine.ts";
import { loadFdbLibrary } from "../src/adapter/bun/fdb_ffi.ts";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    appenders: { type: "string", default: "50" },
    count: { type: "string", default: "200" },
    size: { type: "string", default: "100" },
    samples: { type: "string", default: "300" },
  },
});
const appenders = Number(values.appenders);
const count = Number(values.count);
const size = Number(values.size);
const samples = Number(values.samples);

const here = new URL("../", import.meta.url).pathname;
const libraryPath = join(here, "tests/fdb-sim/build/libfdb_c.so");
if (!existsSync(libraryPath)) {
  console.error(`fdb_event_log_bench: ${libraryPath} is missing; build it with npm run build:fdb-sim`);
  process.exit(1);
}
const clusterFile = join(tmpdir(), "materia-fdb-sim-bench.cluster");
writeFileSync(clusterFile, "materia:sim@127.0.0.1:4500\n");
const library = loadFdbLibrary(libraryPath);
const open = () => FdbEngine.open({ library, clusterFile });
const [a, b] = [await open(), await open()];
const topic = new TextEncoder().encode(`bench-${Date.now()}`);
const pct = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!.toFixed(2);

// ---- throughput ----
let onA = 0;
let onB = 0;
const followA = a.eventLog.follow(topic, (entries) => (onA += entries.length));
const followB = b.eventLog.follow(topic, (entries) => (onB += entries.length));
await Promise.all([followA.ready, followB.ready]);
const total = appenders * count;
const entry = new Uint8Array(size).fill(0x61);
const before = a.eventLog.stats;
const started = performance.now();
await Promise.all(Array.from({ length: appenders }, async () => {
  for (let i = 0; i < count; i++) await a.eventLog.append(topic, [entry]);
}));
const committed = performance.now();
while (onA < total || onB < total) await new Promise((resolve) => setTimeout(resolve, 1));
const delivered = performance.now();
const transactions = a.eventLog.stats.appendTransactions - before.appendTransactions;
console.log(`event log over the FoundationDB test double (Bun ${Bun.version}):`);
console.log(
  `  append: ${total} entries of ${size} B from ${appenders} concurrent callers in ${(committed - started).toFixed(0)} ms = ` +
    `${Math.round(total / ((committed - started) / 1000))} entries/s committed, ${transactions} transactions ` +
    `(${(total / transactions).toFixed(1)} calls per group commit); all delivered on A and B after ${(delivered - started).toFixed(0)} ms`,
);
followA.stop();
followB.stop();

// ---- follow latency ----
const sent = new Map<string, number>();
const latency = { local: [] as number[], remote: [] as number[] };
const dec = new TextDecoder();
const record = (into: number[]) => (entries: readonly Uint8Array[]) => {
  const now = performance.now();
  for (const e of entries) into.push(now - sent.get(dec.decode(e))!);
};
const local = a.eventLog.follow(topic, record(latency.local));
const remote = b.eventLog.follow(topic, record(latency.remote));
await Promise.all([local.ready, remote.ready]);
for (let i = 0; i < samples; i++) {
  const name = `s${i}`;
  sent.set(name, performance.now());
  await a.eventLog.append(topic, [new TextEncoder().encode(name)]);
  while (latency.remote.length <= i || latency.local.length <= i) await new Promise((resolve) => setTimeout(resolve, 0));
}
console.log(`  follow latency, append() call -> entry delivered, ${samples} single appends:`);
console.log(`    same engine (read after commit): p50 ${pct(latency.local, 0.5)} ms, p99 ${pct(latency.local, 0.99)} ms`);
console.log(`    other engine (tick watch):       p50 ${pct(latency.remote, 0.5)} ms, p99 ${pct(latency.remote, 0.99)} ms`);
local.stop();
remote.stop();
await a.close();
await b.close();
