// Model-based tests of stream consumer groups: fast-check generates random
// sequences of XADD, XREADGROUP (`>` and history, COUNT, NOACK), XACK,
// XCLAIM, XAUTOCLAIM, XPENDING, XGROUP CREATE / CREATECONSUMER / DELCONSUMER /
// SETID, XDEL and XTRIM over one stream, two groups and three consumers
// (stream_groups_arbitraries.ts), runs each through a real socket and against
// the reference model (stream_groups_model.ts), and compares every reply:
// delivery counts exactly, idle times by bucket (the model's "recent" or
// "old"; commands only use minimum idle times the buckets decide).
//
// After each sequence the final state is read (XRANGE, XPENDING summary and
// extended per group and per consumer, XINFO GROUPS and CONSUMERS reduced to
// what is deterministic), compared with the model, and these invariants are
// checked on what the server answered:
// - no entry is delivered twice to a group through `>` unless the group's
//   last-delivered id was set back below it in between (only claims and
//   history reads deliver again);
// - none is lost: every entry still in the stream at or below a group's
//   last-delivered id was delivered to it through `>`, or the group's id was
//   moved over it (CREATE, SETID, XCLAIM LASTID);
// - a group's PEL is the disjoint union of its consumers' PELs, and the
//   XPENDING summary and XINFO counts agree with it.
//
// Targets as in model_based_test.ts: redis-server first (no faults; keeps the
// model honest), then Materia on the memory engine, on SQLite, and on memory
// injecting retryable commit errors that leave no effect (a retried
// XREADGROUP must neither deliver twice nor lose an entry; TRYAGAIN after
// exhausted retries is accepted, and the model then expects no effect).
// Environment: MATERIA_MODEL_RUNS=N runs per target; MATERIA_MODEL_SEED=S
// (and MATERIA_MODEL_PATH=P) replays a failure.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { openAccess } from "../../src/auth/static_password.ts";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import type { InjectedFault } from "../../src/engine/memory/fault_injector.ts";
import { SqliteEngine } from "../../src/engine/sqlite/engine.ts";
import { MateriaServer } from "../../src/server/server.ts";
import { decode, type RespValue } from "../differential/compare.ts";
import { encodeCommand, RawClient } from "../support/raw_client.ts";
import { redisServerAvailable, startRedis, type RedisProcess } from "../support/redis_server.ts";
import { runtimeListen, runtimeName, runtimeOpenSqlite } from "../support/runtime.ts";
import { TempDirs } from "../support/processes.ts";
import { type Argv, groupSequence } from "./stream_groups_arbitraries.ts";
import {
  compareIds,
  consumerNames,
  consumerSummary,
  groupNames,
  groupSummary,
  IDLE_THRESHOLD_MS,
  parseId,
  step,
  STREAM_KEY,
  type StreamId,
  type StreamState,
} from "./stream_groups_model.ts";

const RUNS = process.env.MATERIA_MODEL_RUNS === undefined ? undefined : Number(process.env.MATERIA_MODEL_RUNS);
const SEED = process.env.MATERIA_MODEL_SEED === undefined ? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0 : Number(process.env.MATERIA_MODEL_SEED);
const PATH = process.env.MATERIA_MODEL_PATH;
const MAX_COMMANDS = 50;
/** Sequences per target by default, for about 15 s for the whole file on either runtime. */
const DEFAULT_RUNS = { redis: 150, memory: 200, sqlite: 60, faults: 60 };
const NO_EFFECT_FAULTS: readonly InjectedFault[] = ["not_committed", "transaction_too_old"];
const FAULT_RATE = 0.2;
const NO_SWEEPS_MS = 3_600_000;
/** Far more than any sequence leaves pending: the final XPENDING reads whole PELs. */
const ALL = "100000";

if (RUNS !== undefined && !(Number.isInteger(RUNS) && RUNS > 0)) throw new Error(`MATERIA_MODEL_RUNS must be a positive integer, got ${process.env.MATERIA_MODEL_RUNS}`);

interface Run {
  readonly commands: Argv[];
  readonly pipelined: boolean;
  readonly faultSeed: number;
}

interface Target {
  acquire(faultSeed: number): Promise<{ port: number; release(): Promise<void> }>;
  readonly faults: boolean;
}

interface Counters {
  sequences: number;
  commands: number;
  tryAgains: number;
  deliveredNew: number;
  claimed: number;
}

const toBytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const show = (argv: Argv): string => argv.map((a) => JSON.stringify(a)).join(" ");
const shorten = (text: string): string => (text.length > 300 ? `${JSON.stringify(text.slice(0, 280))}... (${text.length} bytes)` : JSON.stringify(text));

function startServer(engine: MemoryEngine | SqliteEngine): Promise<{ port: number; server: MateriaServer }> {
  const server = new MateriaServer({ engine, auth: openAccess(), version: "test", dataDirectory: "", sweepIntervalMs: NO_SWEEPS_MS });
  return runtimeListen()
    .then((listen) => server.listen(listen, { host: "127.0.0.1", port: 0 }))
    .then((listener) => ({ port: listener.port, server }));
}

// ---- replies compared by what is deterministic ---------------------------------------

/** A map reply (RESP2 flat array of name, value) as an object. */
function fieldsOf(value: RespValue): Map<string, RespValue> {
  const out = new Map<string, RespValue>();
  for (let i = 0; i + 1 < value.items.length; i += 2) out.set(value.items[i]!.value!, value.items[i + 1]!);
  return out;
}

const bulk = (text: string): string => `$${text.length}\r\n${text}\r\n`;
const integer = (text: string | null): string => `:${text}\r\n`;
const array = (items: readonly string[]): string => `*${items.length}\r\n${items.join("")}`;

/** The server's reply in the form the model gives it: XPENDING idle times bucketed, XINFO reduced to its deterministic fields. */
function normalize(argv: Argv, reply: string): string {
  if (reply.startsWith("-")) return reply;
  const name = argv[0]!.toUpperCase();
  if (name === "XPENDING" && argv.length > 3) {
    return reply.replace(/(\*4\r\n\$\d+\r\n\d+-\d+\r\n\$\d+\r\n[^\r]*\r\n):(\d+)\r\n/g, (_, head: string, idle: string) =>
      `${head}:<${Number(idle) >= IDLE_THRESHOLD_MS ? "old" : "recent"}>\r\n`);
  }
  if (name === "XINFO" && argv[1]!.toUpperCase() === "GROUPS") {
    return array(decode(reply).items.map((g) => {
      const f = fieldsOf(g);
      return array([bulk(f.get("name")!.value!), integer(f.get("consumers")!.value), integer(f.get("pending")!.value), bulk(f.get("last-delivered-id")!.value!)]);
    }));
  }
  if (name === "XINFO" && argv[1]!.toUpperCase() === "CONSUMERS") {
    return array(decode(reply).items.map((c) => {
      const f = fieldsOf(c);
      return array([bulk(f.get("name")!.value!), integer(f.get("pending")!.value)]);
    }));
  }
  return reply;
}

/** The model's reply to a command, including the final checks' XINFO reads. */
function expectedOf(state: StreamState | undefined, argv: Argv): ReturnType<typeof step> {
  if (argv[0] === "XINFO") {
    const reply = argv[1] === "GROUPS" ? groupSummary(state) : consumerSummary(state, argv[3]!);
    return { reply, state, events: { deliveredNew: [], moved: [] } };
  }
  return step(state, argv);
}

/** Entry ids in an XREADGROUP reply (RESP2: [[stream, [[id, fields]...]]]). */
function idsRead(reply: string): string[] {
  if (!reply.startsWith("*1\r\n")) return [];
  return decode(reply).items[0]!.items[1]!.items.map((entry) => entry.items[0]!.value!);
}

// ---- invariants -----------------------------------------------------------------------

/** What the invariants track through one sequence. */
class DeliveryLog {
  /** Group → ids delivered through `>` since the group's id last went back below them. */
  private readonly sinceReset = new Map<string, Set<string>>();
  /** Group → every id ever delivered through `>`. */
  private readonly ever = new Map<string, Set<string>>();
  /** Group → intervals (from, to] its last-delivered id was moved over without delivering. */
  private readonly skipped = new Map<string, Array<[StreamId, StreamId]>>();

  delivered(group: string, id: string, where: string): void {
    const since = this.sinceReset.get(group) ?? new Set();
    assert.ok(!since.has(id), `${where}: entry ${id} was delivered twice to group ${group} through >`);
    since.add(id);
    this.sinceReset.set(group, since);
    this.ever.set(group, (this.ever.get(group) ?? new Set()).add(id));
  }

  moved(group: string, from: StreamId | undefined, to: StreamId): void {
    const start = from ?? { ms: 0, seq: 0 };
    if (compareIds(to, start) > 0) {
      this.skipped.set(group, [...(this.skipped.get(group) ?? []), [start, to]]);
    } else {
      // Set back: entries above `to` may rightly be delivered through > again.
      const since = this.sinceReset.get(group);
      for (const id of since ?? []) if (compareIds(parseId(id), to) > 0) since!.delete(id);
    }
  }

  /** Whether an entry at or below the group's last-delivered id is accounted for. */
  accountedFor(group: string, id: string): boolean {
    if (this.ever.get(group)?.has(id)) return true;
    const parsed = parseId(id);
    return (this.skipped.get(group) ?? []).some(([from, to]) => compareIds(parsed, from) > 0 && compareIds(parsed, to) <= 0);
  }
}

/** The final reads: their argv, in the order `checkFinalState` expects them. */
function finalReads(state: StreamState | undefined): Argv[] {
  const reads: Argv[] = [["XRANGE", STREAM_KEY, "-", "+"]];
  if (state === undefined) return reads;
  reads.push(["XINFO", "GROUPS", STREAM_KEY]);
  for (const group of groupNames(state)) {
    reads.push(["XPENDING", STREAM_KEY, group], ["XPENDING", STREAM_KEY, group, "-", "+", ALL], ["XINFO", "CONSUMERS", STREAM_KEY, group]);
    for (const consumer of consumerNames(state, group)) reads.push(["XPENDING", STREAM_KEY, group, "-", "+", ALL, consumer]);
  }
  return reads;
}

/** The invariants over the server's (already model-checked) final replies. */
function checkFinalState(state: StreamState | undefined, reads: readonly Argv[], replies: readonly string[], log: DeliveryLog, where: string): void {
  const at = (argv: Argv): RespValue => decode(replies[reads.findIndex((r) => r.join(" ") === argv.join(" "))]!);
  const present = at(["XRANGE", STREAM_KEY, "-", "+"]).items.map((e) => e.items[0]!.value!);
  if (state === undefined) return;
  const groups = new Map(at(["XINFO", "GROUPS", STREAM_KEY]).items.map((g) => {
    const f = fieldsOf(g);
    return [f.get("name")!.value!, { pending: Number(f.get("pending")!.value), lastId: f.get("last-delivered-id")!.value! }] as const;
  }));
  for (const group of groupNames(state)) {
    const info = groups.get(group)!;
    for (const id of present) {
      if (compareIds(parseId(id), parseId(info.lastId)) <= 0) {
        assert.ok(log.accountedFor(group, id), `${where}: entry ${id} is at or below group ${group}'s last-delivered id ${info.lastId} but was never delivered to it (lost)`);
      }
    }
    const summary = at(["XPENDING", STREAM_KEY, group]);
    const pel = at(["XPENDING", STREAM_KEY, group, "-", "+", ALL]).items.map((p) => ({ id: p.items[0]!.value!, consumer: p.items[1]!.value! }));
    assert.equal(Number(summary.items[0]!.value), pel.length, `${where}: XPENDING ${group} counts ${summary.items[0]!.value}, its extended form lists ${pel.length}`);
    assert.equal(info.pending, pel.length, `${where}: XINFO GROUPS says ${info.pending} pending in ${group}, XPENDING lists ${pel.length}`);
    if (pel.length > 0) {
      assert.equal(summary.items[1]!.value, pel[0]!.id, `${where}: XPENDING ${group}'s smallest id`);
      assert.equal(summary.items[2]!.value, pel.at(-1)!.id, `${where}: XPENDING ${group}'s greatest id`);
    }
    const union: Array<{ id: string; consumer: string }> = [];
    const perConsumerCounts: string[] = [];
    for (const consumer of consumerNames(state, group)) {
      const own = at(["XPENDING", STREAM_KEY, group, "-", "+", ALL, consumer]).items.map((p) => ({ id: p.items[0]!.value!, consumer: p.items[1]!.value! }));
      for (const p of own) assert.equal(p.consumer, consumer, `${where}: ${consumer}'s PEL in ${group} lists ${p.id} as ${p.consumer}'s`);
      union.push(...own);
      if (own.length > 0) perConsumerCounts.push(`${consumer}=${own.length}`);
    }
    union.sort((a, b) => compareIds(parseId(a.id), parseId(b.id)));
    assert.deepEqual(union, pel, `${where}: group ${group}'s PEL is not the union of its consumers' PELs`);
    const summaryCounts = (summary.items[3]?.items ?? []).map((c) => `${c.items[0]!.value}=${c.items[1]!.value}`);
    assert.deepEqual(summaryCounts, perConsumerCounts, `${where}: XPENDING ${group}'s per-consumer counts`);
  }
}

// ---- running a sequence -----------------------------------------------------------------

async function check(port: number, run: Run, options: { faults: boolean; counters: Counters }): Promise<void> {
  const client = await RawClient.connect(port);
  const story: string[] = [];
  const log = new DeliveryLog();
  let state: StreamState | undefined;
  const where = () => `seed ${SEED}, ${run.pipelined ? "pipelined" : "one at a time"}${options.faults ? `, fault seed ${run.faultSeed}` : ""}`;
  const fail = (i: number, argv: Argv, expected: string, got: string): never => {
    throw new Error(
      `reply ${i + 1} differs from the reference model's (${where()})\n` +
        `  sequence so far:\n    ${[...story, `${i + 1}. ${show(argv)}`].join("\n    ")}\n` +
        `  model (Redis): ${shorten(expected)}\n` +
        `  server:        ${shorten(got)}\n` +
        `  replay: MATERIA_MODEL_SEED=${SEED} MATERIA_MODEL_PATH=<the path fast-check prints>`,
    );
  };
  const compare = (i: number, argv: Argv, reply: string): void => {
    const expected = expectedOf(state, argv);
    options.counters.commands++;
    if (options.faults && reply.startsWith("-TRYAGAIN ")) {
      options.counters.tryAgains++;
      story.push(`${i + 1}. ${show(argv)} -> ${shorten(reply)} (retries ran out; no effect expected)`);
      return;
    }
    const got = normalize(argv, reply);
    if (got !== expected.reply) fail(i, argv, expected.reply, got);
    story.push(`${i + 1}. ${show(argv)} -> ${shorten(reply)}`);
    // The invariants follow what the server delivered, the model only says when a group's id moved.
    if (argv[0] === "XREADGROUP" && argv.at(-1) === ">") {
      for (const id of idsRead(reply)) log.delivered(argv[2]!, id, `${where()}, reply ${i + 1}`);
      options.counters.deliveredNew += expected.events.deliveredNew.length;
    }
    if (argv[0] === "XCLAIM" || argv[0] === "XAUTOCLAIM") options.counters.claimed++;
    for (const move of expected.events.moved) log.moved(move.group, move.from, move.to);
    state = expected.state;
  };
  try {
    let flushed = await client.call("FLUSHALL");
    for (let i = 0; options.faults && flushed.startsWith("-TRYAGAIN ") && i < 3; i++) flushed = await client.call("FLUSHALL");
    assert.equal(flushed, "+OK\r\n", "FLUSHALL");
    if (run.pipelined) {
      const frames = run.commands.map((argv) => encodeCommand(argv.map(toBytes)));
      const all = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
      let offset = 0;
      for (const f of frames) {
        all.set(f, offset);
        offset += f.length;
      }
      client.writeRaw(all);
      const replies: string[] = [];
      for (let i = 0; i < run.commands.length; i++) replies.push(await client.readReply());
      run.commands.forEach((argv, i) => compare(i, argv, replies[i]!));
    } else {
      for (const [i, argv] of run.commands.entries()) compare(i, argv, await client.call(...argv.map(toBytes)));
    }
    story.push("-- final state:");
    const reads = finalReads(state);
    const replies: string[] = [];
    for (const argv of reads) {
      let reply = await client.call(...argv);
      // Reads draw faults too (transaction_too_old); the final state must be read whole.
      for (let i = 0; options.faults && reply.startsWith("-TRYAGAIN ") && i < 3; i++) reply = await client.call(...argv);
      compare(run.commands.length, argv, reply);
      replies.push(reply);
    }
    checkFinalState(state, reads, replies, log, where());
    options.counters.sequences++;
  } finally {
    client.close();
  }
}

async function property(target: Target, numRuns: number): Promise<Counters> {
  const counters: Counters = { sequences: 0, commands: 0, tryAgains: 0, deliveredNew: 0, claimed: 0 };
  const runs = fc.record({
    commands: groupSequence({ maxLength: MAX_COMMANDS }),
    pipelined: fc.boolean(),
    faultSeed: fc.integer({ min: 1, max: 0x7fffffff }),
  });
  await fc.assert(
    fc.asyncProperty(runs, async (run) => {
      const { port, release } = await target.acquire(run.faultSeed);
      try {
        await check(port, run, { faults: target.faults, counters });
      } finally {
        await release();
      }
    }),
    { seed: SEED, path: PATH, numRuns, endOnFailure: false },
  );
  return counters;
}

function report(label: string, counters: Counters, startedAt: number): void {
  const faults = counters.tryAgains > 0 ? `, ${counters.tryAgains} TRYAGAIN after exhausted retries` : "";
  console.log(
    `stream groups model [${runtimeName}] ${label}: seed ${SEED}, ${counters.sequences} sequences, ${counters.commands} commands ` +
      `(${counters.deliveredNew} entries delivered through >, ${counters.claimed} claims) in ${Date.now() - startedAt} ms${faults}`,
  );
}

const redisAvailable = await redisServerAvailable();

describe("random consumer-group sequences agree with the reference model", () => {
  const dirs = new TempDirs();
  let memory: { port: number; server: MateriaServer } | undefined;
  let sqlite: { port: number; server: MateriaServer } | undefined;

  before(async () => {
    memory = await startServer(new MemoryEngine());
    sqlite = await startServer(await SqliteEngine.open(dirs.make("stream-groups-model"), { openDriver: await runtimeOpenSqlite() }));
  });

  after(async () => {
    await memory?.server.shutdown({ timeoutMs: 2_000 });
    await sqlite?.server.shutdown({ timeoutMs: 2_000 });
    dirs.removeAll();
  });

  const shared = (server: () => { port: number } | undefined): Target => ({
    faults: false,
    acquire: () => Promise.resolve({ port: server()!.port, release: () => Promise.resolve() }),
  });

  test("the reference model agrees with redis-server", { skip: redisAvailable ? false : "redis-server is not installed", timeout: 600_000 }, async () => {
    const redis: RedisProcess = await startRedis();
    try {
      const startedAt = Date.now();
      report("redis-server", await property(shared(() => redis), RUNS ?? DEFAULT_RUNS.redis), startedAt);
    } finally {
      await redis.stop();
    }
  });

  test("memory engine", { timeout: 600_000 }, async () => {
    const startedAt = Date.now();
    report("memory engine", await property(shared(() => memory), RUNS ?? DEFAULT_RUNS.memory), startedAt);
  });

  test("sqlite engine", { timeout: 600_000 }, async () => {
    const startedAt = Date.now();
    report("sqlite engine", await property(shared(() => sqlite), RUNS ?? DEFAULT_RUNS.sqlite), startedAt);
  });

  test(`memory engine injecting ${NO_EFFECT_FAULTS.join(" and ")} at rate ${FAULT_RATE}`, { timeout: 600_000 }, async () => {
    const startedAt = Date.now();
    let injected = 0;
    const target: Target = {
      faults: true,
      async acquire(faultSeed) {
        const engine = new MemoryEngine({ faults: { seed: faultSeed, rate: FAULT_RATE, codes: NO_EFFECT_FAULTS } });
        const { port, server } = await startServer(engine);
        return {
          port,
          async release() {
            injected += engine.stats.injectedFaults;
            await server.shutdown({ timeoutMs: 2_000 });
          },
        };
      },
    };
    const counters = await property(target, RUNS ?? DEFAULT_RUNS.faults);
    report(`memory engine with faults (${injected} injected)`, counters, startedAt);
    assert.ok(RUNS !== undefined || injected > 0, "the injector injected nothing");
  });
});

