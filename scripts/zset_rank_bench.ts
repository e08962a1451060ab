// Rank at any size (issue 14): ZREVRANK of a random member and ZRANGE by
// index (ZRANGE k i i+9 at a random i) on sorted sets of 1,000 and 1,000,000
// members, in process (a real MateriaServer fed encoded commands, no
// sockets), on the memory and sqlite engines. The ranked set (ranked_set.ts)
// makes both O(log n) reads, so the cost at 1M should stay within 3x of the
// cost at 1k. Reports µs per command (wall, one command at a time), the ratio
// 1M/1k, and the engine reads per command (get and getRange calls, and the
// rows those returned), counted by a wrapper around the engine.
//
// The sets are built with ZADD of BATCH members per command (one transaction
// each, far within FoundationDB's 10 MB and 5 s), scores drawn at random so
// that the score order is not the member order.
//
// Usage: bun scripts/zset_rank_bench.ts [--engines memory,sqlite] [--sizes 1000,1000000] [--ops 20000]
//        npm run bench:zset-rank
import { parseArgs } from "node:util";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { openAccess } from "../src/auth/static_password.ts";
import type { Engine, KeyRange, KeyValue, MaybePromise, RangeOptions, ReadTxn, RunOptions, Txn } from "../src/engine/contract.ts";
import { MemoryEngine } from "../src/engine/memory/engine.ts";
import { SqliteEngine } from "../src/engine/sqlite/engine.ts";
import { MateriaServer } from "../src/server/server.ts";
import type { SocketEvents, TransportSocket } from "../src/server/transport.ts";
import { encodeCommand } from "../tests/support/raw_client.ts";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    engines: { type: "string", default: "memory,sqlite" },
    sizes: { type: "string", default: "1000,1000000" },
    ops: { type: "string", default: "20000" },
  },
});
const engines = values.engines!.split(",");
const sizes = values.sizes!.split(",").map(Number);
const OPS = Number(values.ops);
const BATCH = 1000;
const RANGE = 10;

// ---- Counting the engine's reads -------------------------------------------

class ReadCounts {
  gets = 0;
  ranges = 0;
  rows = 0;
}

function countingReads(tx: ReadTxn, counts: ReadCounts): ReadTxn {
  return {
    get(key: Uint8Array): MaybePromise<Uint8Array | undefined> {
      counts.gets++;
      return tx.get(key);
    },
    getRange(range: KeyRange, options?: RangeOptions): MaybePromise<KeyValue[]> {
      counts.ranges++;
      const rows = tx.getRange(range, options);
      if (rows instanceof Promise) return rows.then((r) => ((counts.rows += r.length), r));
      counts.rows += rows.length;
      return rows;
    },
  };
}

/** The engine, with every read of every transaction counted. */
class CountingEngine implements Engine {
  readonly counts = new ReadCounts();
  constructor(readonly inner: Engine) {}
  get name(): string {
    return this.inner.name;
  }
  private wrap(tx: Txn): Txn {
    const reads = countingReads(tx, this.counts);
    const snapshot = countingReads(tx.snapshot, this.counts);
    return {
      get: reads.get,
      getRange: reads.getRange,
      snapshot,
      set: (key, value) => tx.set(key, value),
      clear: (key) => tx.clear(key),
      clearRange: (range) => tx.clearRange(range),
      add: (key, delta) => tx.add(key, delta),
      addReadConflictRange: (range) => tx.addReadConflictRange(range),
    };
  }
  read<T>(body: (tx: Txn) => MaybePromise<T>, options?: RunOptions): MaybePromise<T> {
    return this.inner.read((tx) => body(this.wrap(tx)), options);
  }
  write<T>(body: (tx: Txn) => MaybePromise<T>, options?: RunOptions): MaybePromise<T> {
    return this.inner.write((tx) => body(this.wrap(tx)), options);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

// ---- A socket that hands back whole replies ---------------------------------

/** Length of the first complete RESP2 value in `text`, or -1 while it is incomplete. */
function respLength(text: string, at = 0): number {
  const eol = text.indexOf("\r\n", at);
  if (eol < 0) return -1;
  const type = text[at];
  if (type === "+" || type === "-" || type === ":") return eol + 2 - at;
  const n = Number(text.slice(at + 1, eol));
  if (type === "$") return n < 0 ? eol + 2 - at : text.length >= eol + 2 + n + 2 ? eol + 2 + n + 2 - at : -1;
  if (type !== "*") throw new Error(`unexpected reply ${JSON.stringify(text.slice(at, at + 40))}`);
  let end = eol + 2;
  for (let i = 0; i < Math.max(0, n); i++) {
    const len = respLength(text, end);
    if (len < 0) return -1;
    end += len;
  }
  return end - at;
}

class ReplySocket implements TransportSocket {
  readonly pendingBytes = 0;
  readonly remoteAddress = "127.0.0.1:50000";
  readonly localAddress = "127.0.0.1:6378";
  private buffer = "";
  private waiting: ((reply: string) => void) | undefined;
  private readonly decoder = new TextDecoder("latin1");

  write(bytes: Uint8Array): void {
    this.buffer += this.decoder.decode(bytes);
    this.deliver();
  }

  private deliver(): void {
    if (this.waiting === undefined) return;
    const length = respLength(this.buffer);
    if (length < 0) return;
    const reply = this.buffer.slice(0, length);
    this.buffer = this.buffer.slice(length);
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve(reply);
  }

  next(): Promise<string> {
    const promise = new Promise<string>((resolve) => (this.waiting = resolve));
    this.deliver();
    return promise;
  }

  end(): void {}
  destroy(): void {}
}

// ---- The run -----------------------------------------------------------------

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const member = (i: number): string => `member:${String(i).padStart(8, "0")}`;

async function openEngine(name: string): Promise<{ engine: Engine; cleanup: () => void }> {
  if (name === "memory") return { engine: new MemoryEngine(), cleanup: () => {} };
  if (name !== "sqlite") throw new Error(`--engines ${name}: expected memory or sqlite`);
  if (typeof Bun === "undefined") throw new Error("the sqlite engine needs Bun (bun:sqlite)");
  const { openSqlite } = await import("../src/adapter/bun/sqlite_driver.ts");
  const directory = mkdtempSync(join(tmpdir(), "materia-zset-rank-"));
  return { engine: SqliteEngine.openNow(directory, { openDriver: openSqlite }), cleanup: () => rmSync(directory, { recursive: true, force: true }) };
}

interface Figure {
  readonly usPerOp: number;
  readonly getsPerOp: number;
  readonly rangesPerOp: number;
  readonly rowsPerOp: number;
}

interface Result {
  readonly engine: string;
  readonly size: number;
  readonly buildSeconds: number;
  readonly zrevrank: Figure;
  readonly zrange: Figure;
}

async function measure(
  call: (argv: string[]) => Promise<string>, counts: ReadCounts, argvOf: (rnd: () => number) => string[], check: (reply: string) => boolean,
): Promise<Figure> {
  const rnd = random(7);
  const warmup = Math.min(2000, OPS);
  for (let i = 0; i < warmup; i++) await call(argvOf(rnd));
  const before = { ...counts };
  const started = performance.now();
  for (let i = 0; i < OPS; i++) {
    const argv = argvOf(rnd);
    const reply = await call(argv);
    if (!check(reply)) throw new Error(`${argv.join(" ")}: unexpected reply ${JSON.stringify(reply.slice(0, 80))}`);
  }
  const ms = performance.now() - started;
  return {
    usPerOp: (ms * 1000) / OPS,
    getsPerOp: (counts.gets - before.gets) / OPS,
    rangesPerOp: (counts.ranges - before.ranges) / OPS,
    rowsPerOp: (counts.rows - before.rows) / OPS,
  };
}

async function runOne(engineName: string, size: number): Promise<Result> {
  const { engine: inner, cleanup } = await openEngine(engineName);
  const engine = new CountingEngine(inner);
  const server = new MateriaServer({ engine, auth: openAccess(), version: "bench", dataDirectory: "" });
  const socket = new ReplySocket();
  const events = server.accept(socket) as SocketEvents;
  const call = (argv: string[]): Promise<string> => {
    const reply = socket.next();
    events.data(encodeCommand(argv));
    return reply;
  };
  const key = "zset:rank";
  try {
    const rnd = random(size);
    const buildStarted = performance.now();
    let lastShown = buildStarted;
    for (let at = 0; at < size; at += BATCH) {
      const argv = ["ZADD", key];
      const end = Math.min(size, at + BATCH);
      for (let i = at; i < end; i++) argv.push(String(Math.floor(rnd() * 1e9)), member(i));
      const reply = await call(argv);
      if (reply !== `:${end - at}\r\n`) throw new Error(`ZADD of members ${at}..${end - 1}: ${JSON.stringify(reply.slice(0, 120))}`);
      const now = performance.now();
      if (now - lastShown > 2000 || end === size) {
        lastShown = now;
        const seconds = (now - buildStarted) / 1000;
        process.stdout.write(`\r  ${engineName} · building ${size.toLocaleString("en-US")} members: ${end.toLocaleString("en-US")} (${Math.round(end / seconds).toLocaleString("en-US")} members/s)   `);
      }
    }
    const buildSeconds = (performance.now() - buildStarted) / 1000;
    process.stdout.write(`\r  ${engineName} · built ${size.toLocaleString("en-US")} members in ${buildSeconds.toFixed(1)} s (${Math.round(size / buildSeconds).toLocaleString("en-US")} members/s, ZADD of ${BATCH} members per command)\n`);
    const card = await call(["ZCARD", key]);
    if (card !== `:${size}\r\n`) throw new Error(`ZCARD after the build: ${card}`);
    const zrevrank = await measure(call, engine.counts, (r) => ["ZREVRANK", key, member(Math.floor(r() * size))], (reply) => reply.startsWith(":"));
    const zrange = await measure(
      call, engine.counts,
      (r) => {
        const i = Math.floor(r() * (size - RANGE + 1));
        return ["ZRANGE", key, String(i), String(i + RANGE - 1)];
      },
      (reply) => reply.startsWith(`*${RANGE}\r\n`),
    );
    return { engine: engineName, size, buildSeconds, zrevrank, zrange };
  } finally {
    events.closed();
    await server.shutdown({ timeoutMs: 1000 });
    cleanup();
  }
}

const fmt = (n: number, digits = 1): string => n.toFixed(digits);

console.log(
  `zset rank bench: ZREVRANK <random member> and ZRANGE k i i+${RANGE - 1} <random i>, ${OPS.toLocaleString("en-US")} each, one at a time, in process; ` +
    `runtime ${typeof Bun !== "undefined" ? `bun ${Bun.version}` : `node ${process.versions.node}`}; load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`,
);
const results: Result[] = [];
for (const engineName of engines) {
  for (const size of sizes) {
    const result = await runOne(engineName, size);
    results.push(result);
    for (const [name, f] of [["ZREVRANK", result.zrevrank], [`ZRANGE i i+${RANGE - 1}`, result.zrange]] as const) {
      console.log(
        `  ${engineName} · ${size.toLocaleString("en-US").padStart(9)} members · ${name.padEnd(14)} ${fmt(f.usPerOp).padStart(7)} µs/op · ` +
          `reads per op: ${fmt(f.getsPerOp)} get, ${fmt(f.rangesPerOp)} getRange, ${fmt(f.rowsPerOp)} rows`,
      );
    }
  }
}

console.log("");
const small = Math.min(...sizes);
const large = Math.max(...sizes);
console.log(`engine  command          µs/op at ${small.toLocaleString("en-US")}  µs/op at ${large.toLocaleString("en-US")}  ratio  target`);
for (const engineName of engines) {
  const a = results.find((r) => r.engine === engineName && r.size === small)!;
  const b = results.find((r) => r.engine === engineName && r.size === large)!;
  for (const [name, fa, fb] of [["ZREVRANK", a.zrevrank, b.zrevrank], [`ZRANGE i i+${RANGE - 1}`, a.zrange, b.zrange]] as const) {
    const ratio = fb.usPerOp / fa.usPerOp;
    console.log(
      `${engineName.padEnd(7)} ${name.padEnd(16)} ${fmt(fa.usPerOp).padStart(12)}  ${fmt(fb.usPerOp).padStart(14)}  ${fmt(ratio, 2).padStart(5)}  ≤3.00 ${ratio <= 3 ? "ok" : "MISS"}`,
    );
  }
}
console.log(`(load average ${loadavg().map((l) => l.toFixed(2)).join(" ")})`);
process.exit(0);
