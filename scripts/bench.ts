// Materia next to Redis on the same machine, in the same run: redis-benchmark
// drives both servers of a pair with the same load, runs alternate A B A B so
// drift hits both, and the table shows medians of ops/s, p50 and p99 per side
// and the ratio Materia/Redis. Pairs make the same promise:
//   memory: materia --engine memory  vs  redis-server --save "" --appendonly no
//   sqlite: materia --engine sqlite  vs  redis-server --appendonly yes --appendfsync always
// (both durable before the reply). Results go to bench-results/<time>.json and
// an SVG chart next to it. Needs redis-server and redis-tools (Debian).
//
// Usage: bun scripts/bench.ts [--quick] [--binary] [--runs 3] [--scale 1] [--pairs memory,sqlite] [--keys 1000000] [--only zadd,zset]
//   --quick   the rows with targets only, fewer requests, 100k keys instead of 1M: under 2.5 minutes
//   --only    these workloads only (ids below: p1, p16, ops, big, keys-small, auth, zadd, evalsha, zset, xadd, xadd-capped, xreadgroup, keys-large)
//   --binary  run dist/materia (npm run build) instead of the sources under bun
//   --scale   multiply every request count (0.2 = a fifth)
//   --source DIR  run materia from another checkout's sources (to compare before and after a change)
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpus, loadavg, release, totalmem } from "node:os";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ratioChart, type ChartGroup } from "./bench/chart.ts";
import { type BenchmarkRun, preloadKeys, runBenchmark, type Sample } from "./bench/load.ts";
import {
  comparisonTable, formatRate, memoryTable, type MemoryPoint, ratioOf, renderTable, type Row, summarize,
} from "./bench/results.ts";
import {
  type HowToRunMateria, missingPrograms, type RunningServer, type ServerSpec, SkipSide, startServer, versionOf,
} from "./bench/servers.ts";
import { type ConsumerLoad, prepareConsumers, runConsumers } from "./bench/stream_consumers.ts";

const { values: flags } = parseArgs({
  args: process.argv.slice(2),
  options: {
    quick: { type: "boolean", default: false },
    binary: { type: "boolean", default: false },
    runs: { type: "string" },
    scale: { type: "string" },
    pairs: { type: "string", default: "memory,sqlite" },
    keys: { type: "string" },
    out: { type: "string", default: "bench-results" },
    source: { type: "string" },
    only: { type: "string" },
  },
});

const root = new URL("../", import.meta.url).pathname;
const quick = flags.quick === true;
const runs = Number(flags.runs ?? 3);
const scale = Number(flags.scale ?? (quick ? 0.2 : 1));
const largeKeys = Number(flags.keys ?? (quick ? 100_000 : 1_000_000));
const SMALL_KEYS = 10_000;
const MEMORY_CHECKPOINT = 100_000;
const CLIENTS = 50;
const TIMEOUT_MS = 300_000;

function bunPath(): string {
  const local = join(root, "node_modules/.bin/bun");
  return existsSync(local) ? local : process.execPath;
}

const materia: HowToRunMateria = flags.binary
  ? { command: [join(root, "dist/materia")] }
  : { command: [bunPath(), join(flags.source ?? root, "src/adapter/bun/main.ts")] };

// ---- What is measured -------------------------------------------------------

interface Workload {
  readonly id: string;
  /** One redis-benchmark run, or several in turn (one arbitrary command each). */
  readonly run?: BenchmarkRun | readonly BenchmarkRun[];
  /** Instead of redis-benchmark: a consumer group draining a filled stream (stream_consumers.ts); its row's test is XREADGROUP. */
  readonly consumers?: ConsumerLoad;
  /** "small" runs on a near-empty database; "large" after loading `largeKeys` keys. */
  readonly phase: "small" | "large";
  /** Runs on the pair's auth-on servers instead of the main ones. */
  readonly auth?: boolean;
  /** Left out of --quick, which keeps the rows with targets. */
  readonly fullOnly?: boolean;
  /** Row label per redis-benchmark test name. */
  readonly labels: Readonly<Record<string, string>>;
  /** Commands sent (with redis-cli) to both servers before the workload's first run: SCRIPT LOAD. */
  readonly setup?: readonly (readonly string[])[];
}

const n = (requests: number): number => Math.max(1000, Math.round(requests * scale));
const keysLabel = (keys: number): string => (keys >= 1_000_000 ? `${keys / 1_000_000}M` : `${keys / 1000}k`);
const runsOf = (workload: Workload): readonly BenchmarkRun[] =>
  workload.run === undefined ? [] : Array.isArray(workload.run) ? workload.run : [workload.run as BenchmarkRun];

/**
 * Sorted sets (issue 14): one set, members "member:<12 digits>" drawn from
 * ZSET_MEMBERS, scores random integers. ZADD grows it (about 40k members after
 * the first full run); the reads and ZINCRBY follow on the same set; ZPOPMIN
 * pops half as many as ZADD adds, so it never runs dry. --quick keeps ZADD,
 * the row with a target (sqlite).
 */
const ZSET_KEY = "zset:bench";
const ZSET_MEMBERS = 100_000;
const zsetRun = (test: string, command: readonly string[], requests: number): BenchmarkRun => ({
  tests: test, command, requests: n(requests), clients: CLIENTS, pipeline: 1, dataBytes: 100, keyspace: ZSET_MEMBERS,
});

/**
 * Scripts (issue 16): a rate limiter as applications write it, run by EVALSHA
 * over 10k client keys: count the request, and start the window's expiry on
 * the first one.
 */
const RATE_LIMITER = "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n";
const RATE_LIMITER_SHA = createHash("sha1").update(RATE_LIMITER).digest("hex");

/**
 * Streams (issue 17): XADD of one 100-byte field with an id of `*`, as
 * producers of an event log send it: all producers to one hot stream, then
 * spread over 10k streams (a stream per user or device). --quick keeps both,
 * whose sqlite rows have the target. The full run adds a capped stream as
 * BullMQ writes its events (MAXLEN ~ 10000: past 10k entries every XADD also
 * trims), and a consumer group draining a stream (stream_consumers.ts).
 */
const STREAM_VALUE = "v".repeat(100);
const xaddRun = (test: string, command: readonly string[], keyspace?: number): BenchmarkRun => ({
  tests: test, command, requests: n(50_000), clients: CLIENTS, pipeline: 1, dataBytes: 100, keyspace,
});
const STREAM_CONSUMERS: ConsumerLoad = { key: "stream:consumed", entries: n(100_000), valueBytes: 100, consumers: CLIENTS, count: 10 };

const ALL_WORKLOADS: readonly Workload[] = [
  {
    id: "p1", phase: "small",
    run: { tests: "set,get", requests: n(100_000), clients: CLIENTS, pipeline: 1, dataBytes: 100 },
    labels: { SET: "SET 100 B", GET: "GET 100 B" },
  },
  {
    id: "p16", phase: "small",
    run: { tests: "set,get", requests: n(500_000), clients: CLIENTS, pipeline: 16, dataBytes: 100 },
    labels: { SET: "SET 100 B, pipeline 16", GET: "GET 100 B, pipeline 16" },
  },
  {
    id: "ops", phase: "small", fullOnly: true,
    run: { tests: "incr,lpush,lpop,hset,mset", requests: n(50_000), clients: CLIENTS, pipeline: 1, dataBytes: 100 },
    labels: { INCR: "INCR", LPUSH: "LPUSH", LPOP: "LPOP", HSET: "HSET", "MSET (10 keys)": "MSET 10 keys" },
  },
  {
    id: "big", phase: "small", fullOnly: true,
    run: { tests: "set,get", requests: n(20_000), clients: CLIENTS, pipeline: 1, dataBytes: 10_240 },
    labels: { SET: "SET 10 KiB", GET: "GET 10 KiB" },
  },
  {
    id: "keys-small", phase: "small",
    run: { tests: "set,get", requests: n(100_000), clients: CLIENTS, pipeline: 1, dataBytes: 100, keyspace: SMALL_KEYS },
    labels: { SET: `SET over ${keysLabel(SMALL_KEYS)} keys`, GET: `GET over ${keysLabel(SMALL_KEYS)} keys` },
  },
  {
    id: "auth", phase: "small", auth: true,
    run: { tests: "set,get", requests: n(100_000), clients: CLIENTS, pipeline: 1, dataBytes: 100, keyspace: SMALL_KEYS },
    labels: { SET: `SET over ${keysLabel(SMALL_KEYS)} keys, auth on`, GET: `GET over ${keysLabel(SMALL_KEYS)} keys, auth on` },
  },
  {
    id: "zadd", phase: "small",
    run: zsetRun("ZADD", ["ZADD", ZSET_KEY, "__rand_int__", "member:__rand_int__"], 50_000),
    labels: { ZADD: "ZADD" },
  },
  {
    id: "evalsha", phase: "small",
    setup: [["SCRIPT", "LOAD", RATE_LIMITER]],
    run: {
      tests: "EVALSHA", command: ["EVALSHA", RATE_LIMITER_SHA, "1", "rate:__rand_int__", "60"],
      requests: n(50_000), clients: CLIENTS, pipeline: 1, dataBytes: 100, keyspace: 10_000,
    },
    labels: { EVALSHA: "EVALSHA rate limiter (INCR + EXPIRE)" },
  },
  {
    id: "zset", phase: "small", fullOnly: true,
    run: [
      zsetRun("ZINCRBY", ["ZINCRBY", ZSET_KEY, "1", "member:__rand_int__"], 25_000),
      zsetRun("ZRANGE", ["ZRANGE", ZSET_KEY, "0", "9"], 25_000),
      zsetRun("ZREVRANK", ["ZREVRANK", ZSET_KEY, "member:__rand_int__"], 25_000),
      zsetRun("ZPOPMIN", ["ZPOPMIN", ZSET_KEY], 25_000),
    ],
    labels: { ZINCRBY: "ZINCRBY", ZRANGE: "ZRANGE 0 9", ZREVRANK: "ZREVRANK", ZPOPMIN: "ZPOPMIN" },
  },
  {
    id: "xadd", phase: "small",
    run: [
      xaddRun("XADD", ["XADD", "stream:hot", "*", "payload", STREAM_VALUE]),
      xaddRun("XADD-spread", ["XADD", "stream:__rand_int__", "*", "payload", STREAM_VALUE], 10_000),
    ],
    labels: { XADD: "XADD * to one stream", "XADD-spread": "XADD * over 10k streams" },
  },
  {
    id: "xadd-capped", phase: "small", fullOnly: true,
    run: xaddRun("XADD-MAXLEN", ["XADD", "stream:capped", "MAXLEN", "~", "10000", "*", "payload", STREAM_VALUE]),
    labels: { "XADD-MAXLEN": "XADD MAXLEN ~ 10000 * to one stream" },
  },
  {
    id: "xreadgroup", phase: "small", fullOnly: true,
    consumers: STREAM_CONSUMERS,
    labels: { XREADGROUP: `XREADGROUP COUNT ${STREAM_CONSUMERS.count} + XACK, ${CLIENTS} consumers` },
  },
  {
    id: "keys-large", phase: "large",
    run: { tests: "set,get", requests: n(100_000), clients: CLIENTS, pipeline: 1, dataBytes: 100, keyspace: largeKeys },
    labels: { SET: `SET over ${keysLabel(largeKeys)} keys`, GET: `GET over ${keysLabel(largeKeys)} keys` },
  },
];

const only = flags.only?.split(",");
const unknown = only?.filter((id) => !ALL_WORKLOADS.some((w) => w.id === id)) ?? [];
if (unknown.length > 0) {
  console.error(`bench: --only ${unknown.join(",")}: no such workload (${ALL_WORKLOADS.map((w) => w.id).join(", ")})`);
  process.exit(2);
}
const WORKLOADS = ALL_WORKLOADS.filter((w) => (only === undefined ? !quick || w.fullOnly !== true : only.includes(w.id)));
/** The keys are loaded (and memory measured) only when a large-keyspace workload follows, or for the whole table. */
const loadsKeys = only === undefined || WORKLOADS.some((w) => w.phase === "large");
/** Auth-on servers start only when the auth workload runs. */
const runsAuth = WORKLOADS.some((w) => w.auth === true);

interface Pair {
  readonly id: "memory" | "sqlite";
  readonly materia: ServerSpec;
  readonly redis: ServerSpec;
  /** Auth-on servers for the "auth" workload; pairs without them skip it. */
  readonly auth?: { readonly materia: ServerSpec; readonly redis: ServerSpec };
  /** Targets of issue 7, by row id. */
  readonly targets: Readonly<Record<string, number>>;
}

const NO_PERSISTENCE = ["--save", "", "--appendonly", "no"];
const PAIRS: readonly Pair[] = [
  {
    id: "memory",
    materia: { id: "materia-memory", product: "materia", engine: "memory" },
    redis: { id: "redis-no-persistence", product: "redis", redisOptions: NO_PERSISTENCE },
    auth: {
      materia: { id: "materia-memory-token", product: "materia", engine: "memory", auth: true },
      redis: { id: "redis-requirepass", product: "redis", redisOptions: NO_PERSISTENCE, auth: true },
    },
    targets: { "p1:SET": 0.8, "p1:GET": 0.8, "p16:SET": 0.5, "p16:GET": 0.5, "evalsha:EVALSHA": 0.5 },
  },
  {
    id: "sqlite",
    materia: { id: "materia-sqlite", product: "materia", engine: "sqlite" },
    redis: { id: "redis-aof-always", product: "redis", redisOptions: ["--save", "", "--appendonly", "yes", "--appendfsync", "always"] },
    // EVALSHA has issue 16's target against Redis as such (the memory pair); here it is a durable write like SET's, and reported.
    targets: { "p1:SET": 1.0, "p1:GET": 0.7, "zadd:ZADD": 1.0, "xadd:XADD": 1.0, "xadd:XADD-spread": 1.0 },
  },
];

// ---- Progress ---------------------------------------------------------------

const startedAt = new Date();
const clockStart = performance.now();
let stepsDone = 0;
let stepsTotal = 0;

function elapsed(): string {
  const s = Math.round((performance.now() - clockStart) / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

function progress(message: string): void {
  console.log(`[${String(stepsDone).padStart(3)}/${stepsTotal} ${elapsed()}] ${message}`);
}

// ---- The run ----------------------------------------------------------------

const selectedPairs = PAIRS.filter((pair) => flags.pairs!.split(",").includes(pair.id));
const rows = new Map<string, Row>();
/** "<pair>/<workload>/<side>" of sides that cannot run a workload (a server without its commands). */
const skipped = new Set<string>();
const memoryPoints: MemoryPoint[] = [];
const notes: string[] = [];

function workloadsOf(pair: Pair, phase: "small" | "large"): Workload[] {
  return WORKLOADS.filter((w) => w.phase === phase && (w.auth !== true || pair.auth !== undefined));
}

for (const pair of selectedPairs) {
  for (const workload of WORKLOADS) {
    if (workload.auth === true && pair.auth === undefined) continue;
    for (const [test, label] of Object.entries(workload.labels)) {
      const id = `${workload.id}:${test}`;
      rows.set(`${pair.id}/${id}`, { pair: pair.id, id, label, target: pair.targets[id], materia: [], redis: [] });
    }
  }
  const measured = workloadsOf(pair, "small").length + workloadsOf(pair, "large").length;
  // warm-ups (2 or 4 servers), measured runs (2 sides each), two loads of keys.
  stepsTotal += (pair.auth && runsAuth ? 4 : 2) + runs * measured * 2 + (loadsKeys ? 2 : 0);
}

async function measure(pair: Pair, workload: Workload, side: "materia" | "redis", server: RunningServer, rep: number): Promise<void> {
  const where = `${pair.id} · ${workload.id} · ${server.spec.id} (run ${rep}/${runs})`;
  const rowOf = (test: string): Row => rows.get(`${pair.id}/${workload.id}:${test}`)!;
  if (server.exited !== undefined || skipped.has(`${pair.id}/${workload.id}/${side}`)) {
    stepsDone++;
    return;
  }
  try {
    const samples = new Map<string, Sample>();
    for (const run of runsOf(workload)) for (const [test, sample] of await runBenchmark(server, run, TIMEOUT_MS)) samples.set(test, sample);
    // A new group per run, so that each run drains the whole stream.
    if (workload.consumers !== undefined) samples.set("XREADGROUP", await runConsumers(server, workload.consumers, `group-${rep}`));
    stepsDone++;
    const parts: string[] = [];
    for (const [test, sample] of samples) {
      if (workload.labels[test] === undefined) continue;
      rowOf(test)[side].push(sample);
      parts.push(`${test} ${formatRate(sample.rps)}/s p99 ${sample.p99.toFixed(2)} ms`);
    }
    progress(`${where}: ${parts.join(", ")}`);
  } catch (error) {
    stepsDone++;
    const message = error instanceof Error ? error.message : String(error);
    const died = server.exited !== undefined ? ` (server ${server.exited}: ${server.recentOutput.split("\n").slice(-3).join(" / ")})` : "";
    progress(`${where}: FAILED ${message}${died}`);
    for (const test of Object.keys(workload.labels)) rowOf(test).note ??= `${side} failed: ${message.slice(0, 60)}`;
  }
}

async function loadKeys(pair: Pair, sides: readonly RunningServer[], from: number, to: number): Promise<void> {
  for (const server of sides) {
    if (server.exited !== undefined) continue;
    try {
      const rate = await preloadKeys(server, { from, to }, 100);
      progress(`${pair.id} · loaded keys ${from.toLocaleString("en-US")}..${to.toLocaleString("en-US")} into ${server.spec.id} at ${formatRate(rate)} keys/s`);
    } catch (error) {
      progress(`${pair.id} · loading keys into ${server.spec.id} FAILED: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  stepsDone++;
  // Let both settle (a GC, a checkpoint) before reading their memory.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const [m, r] = sides as [RunningServer, RunningServer];
  const point: MemoryPoint = {
    pair: pair.id, keys: to,
    materiaRssBytes: m.rssBytes(), redisRssBytes: r.rssBytes(),
    materiaDiskBytes: m.diskBytes(), redisDiskBytes: r.diskBytes(),
  };
  memoryPoints.push(point);
  progress(`${pair.id} · ${to.toLocaleString("en-US")} keys: RSS materia ${(point.materiaRssBytes / 2 ** 20).toFixed(0)} MiB, redis ${(point.redisRssBytes / 2 ** 20).toFixed(0)} MiB`);
}

async function runPair(pair: Pair): Promise<void> {
  const started: RunningServer[] = [];
  try {
    progress(`${pair.id}: starting ${pair.materia.id} and ${pair.redis.id}`);
    const main = { materia: await startServer(pair.materia, materia), redis: await startServer(pair.redis, materia) };
    started.push(main.materia, main.redis);
    let auth: { materia: RunningServer; redis: RunningServer } | undefined;
    if (pair.auth !== undefined && runsAuth) {
      try {
        const authMateria = await startServer(pair.auth.materia, materia);
        started.push(authMateria);
        const authRedis = await startServer(pair.auth.redis, materia);
        started.push(authRedis);
        auth = { materia: authMateria, redis: authRedis };
      } catch (error) {
        if (!(error instanceof SkipSide)) throw error;
        progress(`${pair.id}: ${error.message}`);
        notes.push(`${pair.id}: ${error.message}`);
        for (const test of Object.keys(WORKLOADS.find((w) => w.auth)!.labels)) {
          rows.get(`${pair.id}/auth:${test}`)!.note = "skipped: no token";
        }
        stepsTotal -= 2 + runs * 2;
      }
    }
    // Warm-up: JIT and allocator for Materia, fair start for Redis; not recorded.
    for (const server of started) {
      await runBenchmark(server, { tests: "set,get", requests: n(20_000), clients: CLIENTS, pipeline: 1, dataBytes: 100 }, TIMEOUT_MS)
        .catch((error) => progress(`${pair.id} · warm-up of ${server.spec.id} failed: ${error instanceof Error ? error.message : String(error)}`));
      stepsDone++;
    }
    progress(`${pair.id}: warmed up`);
    const sidesOf = (workload: Workload): Array<["materia" | "redis", RunningServer]> => {
      const servers = workload.auth ? auth! : main;
      return [["materia", servers.materia], ["redis", servers.redis]];
    };
    const phase = async (workloads: readonly Workload[]): Promise<void> => {
      for (const workload of workloads) {
        for (const [side, server] of sidesOf(workload)) {
          for (const command of workload.setup ?? []) {
            const done = spawnSync("redis-cli", ["-p", String(server.port), ...command], { encoding: "utf8" });
            if (done.status !== 0 || /^ERR|^NOSCRIPT|^\(error\)/.test(done.stdout)) throw new Error(`${server.spec.id}: setup ${command.join(" ")} failed: ${done.stdout}${done.stderr}`);
          }
          if (workload.consumers === undefined) continue;
          try {
            await prepareConsumers(server, workload.consumers);
            progress(`${pair.id} · ${workload.id} · ${server.spec.id}: stream filled with ${workload.consumers.entries.toLocaleString("en-US")} entries`);
          } catch (error) {
            if (!(error instanceof SkipSide)) throw error;
            // The other side still runs: its figures are worth having while this one lacks the commands.
            skipped.add(`${pair.id}/${workload.id}/${side}`);
            progress(`${pair.id} · ${workload.id}: ${side} skipped, ${error.message}`);
            notes.push(`${pair.id} · ${workload.id}: ${side} skipped, ${error.message}`);
            for (const test of Object.keys(workload.labels)) rows.get(`${pair.id}/${workload.id}:${test}`)!.note = `skipped: ${error.message}`;
          }
        }
      }
      for (let rep = 1; rep <= runs; rep++) {
        for (const workload of workloads) {
          for (const [side, server] of sidesOf(workload)) await measure(pair, workload, side, server, rep);
        }
      }
    };
    await phase(workloadsOf(pair, "small").filter((w) => !w.auth || auth !== undefined));
    if (loadsKeys) {
      const checkpoint = Math.min(MEMORY_CHECKPOINT, largeKeys);
      await loadKeys(pair, [main.materia, main.redis], 0, checkpoint);
      if (largeKeys > checkpoint) await loadKeys(pair, [main.materia, main.redis], checkpoint, largeKeys);
      else stepsDone++;
    }
    await phase(workloadsOf(pair, "large"));
  } finally {
    for (const server of started) await server.stop();
  }
}

const missing = missingPrograms(materia);
if (missing.length > 0) {
  console.error(`bench: missing programs:\n  ${missing.join("\n  ")}\nInstall them (apt-get install redis-server redis-tools${flags.binary ? "; npm run build for dist/materia" : ""}) and run again.`);
  process.exit(2);
}
console.log(`materia bench (${quick ? "quick" : "full"}): ${runs} runs per side, alternating Materia and Redis; ${CLIENTS} clients; ` +
  `requests x${scale}; ${keysLabel(largeKeys)} keys for the large keyspace; materia from ${flags.binary ? "dist/materia" : `${flags.source ?? "this checkout"} under bun`}`);
console.log(`machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}; ` +
  "redis-benchmark shares the cores with the server, so compare ratios, not absolute figures");
const loadBefore = loadavg();
for (const pair of selectedPairs) await runPair(pair);
const loadAfter = loadavg();

// ---- Report -----------------------------------------------------------------

const rowList = [...rows.values()];
console.log("");
console.log(comparisonTable(rowList));
console.log("");
console.log(memoryTable(memoryPoints));

// Derived figures the targets speak of: the large keyspace against the small one, auth on against off.
const derived: Array<{ name: string; pair: string; test: string; materia: number; redis: number }> = [];
for (const pair of selectedPairs) {
  for (const test of ["SET", "GET"]) {
    const small = rows.get(`${pair.id}/keys-small:${test}`);
    const large = rows.get(`${pair.id}/keys-large:${test}`);
    if (small && large) {
      derived.push({
        name: `${test} ops/s over ${keysLabel(largeKeys)} keys / over ${keysLabel(SMALL_KEYS)} keys`, pair: pair.id, test,
        materia: summarize(large.materia).rps / summarize(small.materia).rps,
        redis: summarize(large.redis).rps / summarize(small.redis).rps,
      });
    }
    const auth = rows.get(`${pair.id}/auth:${test}`);
    if (small && auth && auth.materia.length > 0) {
      derived.push({
        name: `${test} ops/s auth on / auth off`, pair: pair.id, test,
        materia: summarize(auth.materia).rps / summarize(small.materia).rps,
        redis: summarize(auth.redis).rps / summarize(small.redis).rps,
      });
    }
  }
}
console.log("");
console.log(renderTable(
  ["pair", "figure", "Materia", "Redis", "target"],
  derived.map((d) => [d.pair, d.name, d.materia.toFixed(2), d.redis.toFixed(2), d.name.includes("auth") ? "≥0.95" : "≥0.80"]),
  new Set([2, 3]),
));
for (const note of notes) console.log(`note: ${note}`);

const stamp = startedAt.toISOString().replace(/[:]/g, "-").replace(/\.\d+Z$/, "Z");
const outDir = resolve(root, flags.out!);
mkdirSync(outDir, { recursive: true });
const result = {
  format: 1,
  startedAt: startedAt.toISOString(),
  seconds: Math.round((performance.now() - clockStart) / 1000),
  mode: quick ? "quick" : "full",
  settings: { runs, scale, clients: CLIENTS, largeKeys, smallKeys: SMALL_KEYS, binary: flags.binary === true },
  machine: {
    cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "", kernel: release(), memoryBytes: totalmem(),
    loadAverageBefore: loadBefore, loadAverageAfter: loadAfter,
  },
  software: {
    redisServer: versionOf("redis-server"),
    redisBenchmark: versionOf("redis-benchmark"),
    materia: versionOf(materia.command[0]!, [...materia.command.slice(1), "--version"]),
  },
  workloads: WORKLOADS.map((w) => ({ id: w.id, phase: w.phase, auth: w.auth === true, runs: runsOf(w), consumers: w.consumers ?? null })),
  rows: rowList.map((row) => ({
    pair: row.pair, id: row.id, label: row.label, target: row.target ?? null, note: row.note ?? null,
    ratio: ratioOf(row), materia: { ...summarize(row.materia), samples: row.materia }, redis: { ...summarize(row.redis), samples: row.redis },
  })),
  memory: memoryPoints,
  derived,
  notes,
};
const jsonPath = join(outDir, `${stamp}.json`);
writeFileSync(jsonPath, JSON.stringify(result, (_key, value: unknown) => (typeof value === "number" && !Number.isFinite(value) ? null : value), 2) + "\n");

const groups = new Map<string, ChartGroup & { bars: Array<ChartGroup["bars"][number]> }>();
for (const row of rowList) {
  const group = groups.get(row.label) ?? { label: row.label, bars: [] };
  group.bars.push({ series: row.pair, value: ratioOf(row), target: row.target });
  groups.set(row.label, group);
}
const svgPath = join(outDir, `${stamp}.svg`);
writeFileSync(svgPath, ratioChart(
  "Materia / Redis throughput (median ops/s ratio)",
  `${startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC · ${cpus().length} CPUs · ${CLIENTS} clients · ${runs} runs · memory vs no persistence, sqlite vs appendfsync always`,
  [...groups.values()],
  selectedPairs.map((p) => p.id),
));
console.log(`\nwrote ${jsonPath}\nwrote ${svgPath}\n(${elapsed()})`);
