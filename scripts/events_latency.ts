// Latency of waiting and listening, one server and two servers: the time
// from sending a PUBLISH to a subscriber receiving it, and (when BLPOP
// exists) from sending an RPUSH to a BLPOP waiter receiving its element.
// In process, over real sockets: a memory and a sqlite server, then two
// servers sharing FoundationDB over the C test double (tests/fdb-sim: no
// network, no disk; FDB_SIM_LATENCY_US adds latency to its reads and
// commits), with the publisher on one and the subscriber on either.
// One message at a time (the next is sent once the last arrived); reports
// p50 / p99 in ms.
//
// Usage: bun scripts/events_latency.ts [--count 500] [--sim-latency-us 0]
//        (needs `npm run build:fdb-sim` for the two-server rows)
import { parseArgs } from "node:util";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFdbLibrary } from "../src/adapter/bun/fdb_ffi.ts";
import { openAccess } from "../src/auth/static_password.ts";
import type { Engine } from "../src/engine/contract.ts";
import { FdbEngine } from "../src/engine/fdb/engine.ts";
import { MemoryEngine } from "../src/engine/memory/engine.ts";
import { SqliteEngine } from "../src/engine/sqlite/engine.ts";
import { MateriaServer } from "../src/server/server.ts";
import { RawClient } from "../tests/support/raw_client.ts";
import { runtimeListen, runtimeOpenSqlite } from "../tests/support/runtime.ts";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { count: { type: "string", default: "500" }, "sim-latency-us": { type: "string", default: "0" } },
});
const COUNT = Number(values.count);

async function serve(engine: Engine): Promise<{ port: number; server: MateriaServer }> {
  const server = new MateriaServer({ engine, auth: openAccess(), version: "bench", dataDirectory: "" });
  const listener = await server.listen(await runtimeListen(), { host: "127.0.0.1", port: 0 });
  return { port: listener.port, server };
}

function percentiles(samples: number[]): string {
  samples.sort((a, b) => a - b);
  const at = (q: number): number => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return `${at(0.5).toFixed(3)} / ${at(0.99).toFixed(3)}`;
}

/** PUBLISH through `publisherPort`, received by a subscriber of `subscriberPort`. */
async function publishLatency(publisherPort: number, subscriberPort: number): Promise<string> {
  const subscriber = await RawClient.connect(subscriberPort);
  const publisher = await RawClient.connect(publisherPort);
  try {
    await subscriber.call("SUBSCRIBE", "latency");
    const samples: number[] = [];
    for (let i = 0; i < COUNT; i++) {
      const started = performance.now();
      publisher.writeRaw(`*3\r\n$7\r\nPUBLISH\r\n$7\r\nlatency\r\n$${String(i).length}\r\n${i}\r\n`);
      await subscriber.readReply();
      samples.push(performance.now() - started);
      await publisher.readReply();
    }
    return percentiles(samples);
  } finally {
    subscriber.close();
    publisher.close();
  }
}

/** RPUSH through `pusherPort` to a BLPOP waiter on `waiterPort`; undefined where BLPOP does not exist yet. */
async function wakeLatency(pusherPort: number, waiterPort: number): Promise<string | undefined> {
  const waiter = await RawClient.connect(waiterPort);
  const pusher = await RawClient.connect(pusherPort);
  try {
    if ((await waiter.call("BLPOP", "latency-queue", "0.01")).startsWith("-ERR unknown command")) return undefined;
    const samples: number[] = [];
    for (let i = 0; i < COUNT; i++) {
      waiter.writeRaw("*3\r\n$5\r\nBLPOP\r\n$13\r\nlatency-queue\r\n$1\r\n0\r\n");
      // Give the waiter time to park (its WOULD_BLOCK attempt, and on FoundationDB its watch).
      await new Promise((resolve) => setTimeout(resolve, 2));
      const started = performance.now();
      pusher.writeRaw(`*3\r\n$5\r\nRPUSH\r\n$13\r\nlatency-queue\r\n$1\r\nx\r\n`);
      await waiter.readReply();
      samples.push(performance.now() - started);
      await pusher.readReply();
    }
    return percentiles(samples);
  } finally {
    waiter.close();
    pusher.close();
  }
}

const rows: string[][] = [];
async function measure(label: string, publisherPort: number, subscriberPort: number): Promise<void> {
  console.error(`${label}...`);
  const publish = await publishLatency(publisherPort, subscriberPort);
  const wake = await wakeLatency(publisherPort, subscriberPort);
  rows.push([label, publish, wake ?? "(no BLPOP)"]);
}

{
  const memory = await serve(new MemoryEngine());
  await measure("memory, one server", memory.port, memory.port);
  await memory.server.shutdown();
}
{
  const dir = mkdtempSync(join(tmpdir(), "materia-events-latency-"));
  const sqlite = await serve(await SqliteEngine.open(dir, { openDriver: await runtimeOpenSqlite() }));
  await measure("sqlite, one server", sqlite.port, sqlite.port);
  await sqlite.server.shutdown();
  rmSync(dir, { recursive: true, force: true });
}
const libraryPath = join(new URL("../", import.meta.url).pathname, "tests/fdb-sim/build/libfdb_c.so");
if (existsSync(libraryPath)) {
  process.env.FDB_SIM_LATENCY_US = values["sim-latency-us"];
  const clusterFile = join(tmpdir(), "materia-events-latency.cluster");
  writeFileSync(clusterFile, "materia:sim@127.0.0.1:4500\n");
  const library = loadFdbLibrary(libraryPath);
  const a = await serve(await FdbEngine.open({ library, clusterFile }));
  const b = await serve(await FdbEngine.open({ library, clusterFile }));
  await measure(`fdb double (${values["sim-latency-us"]} µs), same server`, a.port, a.port);
  await measure(`fdb double (${values["sim-latency-us"]} µs), across two servers`, a.port, b.port);
  await a.server.shutdown();
  await b.server.shutdown();
} else {
  console.error(`${libraryPath} is missing (npm run build:fdb-sim): no FoundationDB rows`);
}
console.log(`| setup | PUBLISH → message p50 / p99 ms | RPUSH → BLPOP reply p50 / p99 ms |`);
console.log(`|---|---|---|`);
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
process.exit(0);
