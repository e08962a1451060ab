// Cross-server wake-up latency of a blocked operation on the FoundationDB
// engine over the C test double (tests/fdb-sim): two engine instances in one
// process stand for two servers over one cluster, each with its own executor
// and KeyEvents. A synthetic blocking pop waits on server B
// (Executor.runBlocking, woken by the watch on its key's meta key); a write
// through server A wakes it. Reports, over --count wake-ups, the time from
// A's commit to the value in B's hands, and from the start of A's write.
// Usage: bun scripts/fdb_wake_latency.ts [--count 200]
import { parseArgs } from "node:util";
import { existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "../src/core/client.ts";
import { Executor, WOULD_BLOCK, type WouldBlock } from "../src/core/executor.ts";
import { KeyEvents } from "../src/core/key_events.ts";
import type { UsageTracker } from "../src/core/metering.ts";
import type { Operation } from "../src/core/operation.ts";
import { FdbEngine } from "../src/engine/fdb/engine.ts";
import { then } from "../src/engine/maybe_promise.ts";
import { lookup, removeKey } from "../src/model/db.ts";
import { Keyspace } from "../src/model/keyspace.ts";
import * as strings from "../src/model/strings.ts";
import { loadFdbLibrary } from "../src/adapter/bun/fdb_ffi.ts";

const { values } = parseArgs({ args: process.argv.slice(2), options: { count: { type: "string", default: "200" } } });
const count = Number(values.count);

const here = new URL("../", import.meta.url).pathname;
const libraryPath = join(here, "tests/fdb-sim/build/libfdb_c.so");
if (!existsSync(libraryPath)) {
  console.error(`fdb_wake_latency: ${libraryPath} is missing; build it with npm run build:fdb-sim`);
  process.exit(1);
}
const clusterFile = join(tmpdir(), "materia-fdb-sim-bench.cluster");
writeFileSync(clusterFile, "materia:sim@127.0.0.1:4500\n");
const library = loadFdbLibrary(libraryPath);

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
const ks = new Keyspace("bench", 0);
const client: Client = { principal: { user: "default", tenant: "bench", canWrite: true }, keyspace: ks };
const usage: UsageTracker = { quotaBytes: Number.MAX_SAFE_INTEGER, cachedBytes: () => 0, usedBytes: () => Promise.resolve(0), applied: () => {} };

/** Takes and deletes a string key: WOULD_BLOCK while it is missing. */
const pop: Operation<string, Uint8Array | WouldBlock> = {
  name: "pop",
  access: "write",
  writes: true,
  reads: true,
  keys: (key) => [enc(key)],
  run: async ({ tx, ks, nowMs }, key) => {
    const value = await strings.getString(tx, ks, enc(key), nowMs);
    if (value === undefined || value === "WRONGTYPE") return WOULD_BLOCK;
    removeKey(tx, ks, enc(key), (await lookup(tx, ks, enc(key), nowMs))!);
    return value;
  },
};
const set: Operation<string, string> = {
  name: "set",
  access: "write",
  writes: true,
  reads: false,
  keys: (key) => [enc(key)],
  run: ({ tx, ks, nowMs }, key) => then(strings.setString(tx, ks, enc(key), enc("v"), { expireAt: 0, nowMs }), () => "OK"),
};

const open = () => FdbEngine.open({ library, clusterFile });
const [a, b] = [await open(), await open()];
const executorOf = (engine: FdbEngine) => new Executor({ engine, clock: Date.now, usage, keyEvents: new KeyEvents(), keyspaceOf: () => ks });
const [onA, onB] = [executorOf(a), executorOf(b)];

const afterCommit: number[] = [];
const fromWrite: number[] = [];
for (let i = 0; i < count; i++) {
  const key = `wake:${i}`;
  const waiting = onB.runBlocking(client, pop, key, { timeoutMs: 10_000 });
  // Measure from a parked waiter: its watch is set.
  while (b.watchStats.live < 1) await new Promise((resolve) => setTimeout(resolve, 1));
  const started = performance.now();
  await onA.run(client, set, key);
  const committed = performance.now();
  const value = await waiting;
  const woken = performance.now();
  if (value === undefined) throw new Error(`waiter ${i} timed out`);
  afterCommit.push(woken - committed);
  fromWrite.push(woken - started);
}
await a.close();
await b.close();

const pct = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!.toFixed(2);
console.log(`cross-server wake-up over the FoundationDB test double (Bun ${Bun.version}), ${count} wake-ups:`);
console.log(`  commit on A -> value on B: p50 ${pct(afterCommit, 0.5)} ms, p99 ${pct(afterCommit, 0.99)} ms, max ${pct(afterCommit, 1)} ms`);
console.log(`  write started on A -> value on B: p50 ${pct(fromWrite, 0.5)} ms, p99 ${pct(fromWrite, 0.99)} ms`);
console.log(`  watches: B ${JSON.stringify(b.watchStats)}`);
