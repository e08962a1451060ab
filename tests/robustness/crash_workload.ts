// Crash cycles against `materia serve --engine sqlite` spawned as a real
// process: writers pipeline SET, INCR, RPUSH, HSET, MSET and MULTI/EXEC at
// full speed, the server is killed (SIGKILL) or stopped (SIGTERM) at a random
// moment, restarted on the same data, and everything is checked against what
// was acknowledged:
// - every acknowledged write is there, with its value;
// - a counter is at least its last acknowledged value and at most that plus
//   the INCRs sent after it;
// - a list holds what it held plus a prefix of what was pushed since, at
//   least every acknowledged push; LLEN and HLEN match the contents;
// - MSET and MULTI/EXEC are all or nothing;
// - no key holds a value that was never written, and no key exists that was
//   never written (KEYS * at the end, DBSIZE every cycle).
// After SIGTERM the check is exact: every command answered with success is
// applied and every other one (unanswered, or refused with an error) is not.
// Used by tests/robustness/crash_test.ts and scripts/crash_test.ts.
import assert from "node:assert/strict";
import { SeededRandom } from "../../src/engine/seeded_random.ts";
import { signalServer, TempDirs } from "../support/processes.ts";
import { spawnServer, type ServerProcess } from "../support/servers.ts";
import { type Argv, bulk, PipelinedClient } from "./pipelined_client.ts";

export interface CrashOptions {
  /** SIGKILL cycles, then SIGTERM cycles, on one data directory. */
  readonly killCycles: number;
  readonly termCycles: number;
  readonly seed: number;
  readonly writers?: number;
  /** The signal comes at a random moment in this many ms of writing. */
  readonly writeMs?: readonly [number, number];
  readonly log?: (line: string) => void;
}

export interface CrashResult {
  readonly cycles: number;
  /** Write commands whose success reply was received, each checked after the restart that followed. */
  readonly acknowledgedWrites: number;
  readonly commandsSent: number;
  /** Keys in the database at the end, each checked. */
  readonly keys: number;
  readonly elapsedMs: number;
}

/** Commands each writer keeps in flight. */
const WINDOW = 256;
const OPS_PER_SEND = 24;

type Op =
  | { kind: "set"; key: string; value: string }
  | { kind: "incr" }
  | { kind: "rpush"; element: string }
  | { kind: "hset"; field: string; value: string }
  | { kind: "mset"; keys: readonly [string, string]; value: string }
  | { kind: "tx"; seq: string };

interface SentOp {
  readonly op: Op;
  /** Index in the client's replies of the op's deciding reply (EXEC's for a transaction). */
  readonly replyIndex: number;
}

/** One writer: its keys, what the data held at the last check, and this cycle's ops. */
class Writer {
  readonly counterKey: string;
  readonly listKey: string;
  readonly hashKey: string;
  readonly txCounterKey: string;
  readonly txListKey: string;
  /** Verified state after the last restart. */
  counter = 0;
  list: string[] = [];
  hash = new Map<string, string>();
  txList: string[] = [];
  private next = 0;
  sent: SentOp[] = [];
  client: PipelinedClient | undefined;

  constructor(readonly id: number, private readonly random: SeededRandom) {
    this.counterKey = `c:${id}`;
    this.listKey = `l:${id}`;
    this.hashKey = `h:${id}`;
    this.txCounterKey = `tx:${id}`;
    this.txListKey = `txl:${id}`;
  }

  txKey(seq: string): string {
    return `txs:${this.id}:${seq}`;
  }

  private makeOp(cycle: number): Op {
    const n = `${cycle}.${this.next++}`;
    const roll = this.random.int(100);
    if (roll < 30) return { kind: "set", key: `u:${this.id}:${n}`, value: `v${n}:${"x".repeat(this.random.int(40))}` };
    if (roll < 50) return { kind: "incr" };
    if (roll < 65) return { kind: "rpush", element: n };
    if (roll < 80) return { kind: "hset", field: `f${n}`, value: `hv${n}` };
    if (roll < 90) return { kind: "mset", keys: [`m:${this.id}:${n}:a`, `m:${this.id}:${n}:b`], value: `mv${n}` };
    return { kind: "tx", seq: n };
  }

  private commandsOf(op: Op): Argv[] {
    switch (op.kind) {
      case "set": return [["SET", op.key, op.value]];
      case "incr": return [["INCR", this.counterKey]];
      case "rpush": return [["RPUSH", this.listKey, op.element]];
      case "hset": return [["HSET", this.hashKey, op.field, op.value]];
      case "mset": return [["MSET", op.keys[0], op.value, op.keys[1], op.value]];
      case "tx": return [["MULTI"], ["INCR", this.txCounterKey], ["RPUSH", this.txListKey, op.seq], ["SET", this.txKey(op.seq), op.seq], ["EXEC"]];
    }
  }

  /** Pipelines ops at full speed, a window of commands in flight, until the connection ends or `stop()` says so. */
  async write(cycle: number, stop: () => boolean): Promise<void> {
    const client = this.client!;
    while (!client.isClosed && !stop()) {
      if (client.inFlight >= WINDOW) {
        await client.progress(50);
        continue;
      }
      const commands: Argv[] = [];
      for (let i = 0; i < OPS_PER_SEND; i++) {
        const op = this.makeOp(cycle);
        const argv = this.commandsOf(op);
        commands.push(...argv);
        this.sent.push({ op, replyIndex: client.sent.length + commands.length - 1 });
      }
      client.send(commands);
      // Let replies in between sends, as a real client's event loop would.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/** Reads with one pipelined round trip per batch of commands. */
async function query(client: PipelinedClient, commands: readonly Argv[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < commands.length; i += 2_000) {
    const batch = commands.slice(i, i + 2_000);
    const first = client.sent.length;
    client.send(batch);
    if (!(await client.drain(30_000))) throw new Error(`the verifier got no reply (connection ${client.ending ?? "open"})`);
    out.push(...client.replies.slice(first, first + batch.length));
  }
  return out;
}

/** Decodes a RESP2 array of bulk strings (LRANGE, HGETALL, KEYS). */
function bulkArray(reply: string): string[] {
  const header = /^\*(\d+)\r\n/.exec(reply);
  assert.ok(header, `an array reply, not ${JSON.stringify(reply.slice(0, 80))}`);
  const items: string[] = [];
  let at = header[0].length;
  for (let i = 0; i < Number(header[1]); i++) {
    const length = /^\$(\d+)\r\n/.exec(reply.slice(at, at + 24));
    assert.ok(length, `bulk string at ${at} of ${JSON.stringify(reply.slice(0, 80))}`);
    at += length[0].length;
    items.push(reply.slice(at, at + Number(length[1])));
    at += Number(length[1]) + 2;
  }
  return items;
}

const nullOr = (reply: string): string | null => (reply === "$-1\r\n" ? null : bulkArray(`*1\r\n${reply}`)[0]!);
const integer = (reply: string): number => {
  const match = /^:(-?\d+)\r\n$/.exec(reply);
  assert.ok(match, `an integer reply, not ${JSON.stringify(reply)}`);
  return Number(match[1]);
};

/** What the replies of one writer's cycle say: which ops were acknowledged, checked reply by reply. */
function acknowledged(writer: Writer, exact: boolean): { acked: Set<SentOp>; writes: number } {
  const replies = writer.client!.replies;
  const acked = new Set<SentOp>();
  let writes = 0;
  let counter = writer.counter;
  let listLength = writer.list.length;
  for (const sent of writer.sent) {
    const reply = replies[sent.replyIndex];
    if (reply === undefined) continue;
    // Refused while stopping: allowed after SIGTERM, and then the op must not be applied.
    if (reply.startsWith("-") && exact) continue;
    const op = sent.op;
    switch (op.kind) {
      case "set":
      case "mset":
        assert.equal(reply, "+OK\r\n", `reply to ${op.kind.toUpperCase()}`);
        writes++;
        break;
      case "incr":
        assert.equal(integer(reply), ++counter, `writer ${writer.id}: INCR replies count up by one from the verified ${writer.counter}`);
        writes++;
        break;
      case "rpush":
        assert.equal(integer(reply), ++listLength, `writer ${writer.id}: RPUSH replies count the list's length`);
        writes++;
        break;
      case "hset":
        assert.equal(reply, ":1\r\n", `HSET of the new field ${op.field}`);
        writes++;
        break;
      case "tx": {
        const queued = replies.slice(sent.replyIndex - 4, sent.replyIndex);
        assert.deepEqual(queued, ["+OK\r\n", "+QUEUED\r\n", "+QUEUED\r\n", "+QUEUED\r\n"], "MULTI and the queued commands");
        assert.match(reply, /^\*3\r\n:\d+\r\n:\d+\r\n\+OK\r\n$/, "EXEC answers its three replies");
        writes += 3;
        break;
      }
    }
    acked.add(sent);
  }
  return { acked, writes };
}

export async function runCrashCycles(options: CrashOptions): Promise<CrashResult> {
  const log = options.log ?? (() => {});
  const random = new SeededRandom(options.seed);
  const [minMs, maxMs] = options.writeMs ?? [150, 600];
  const dirs = new TempDirs();
  const data = dirs.make("crash");
  const args = ["--engine", "sqlite", "--data", data, "--no-auth"];
  const writers = Array.from({ length: options.writers ?? 4 }, (_, id) => new Writer(id, new SeededRandom(options.seed + id + 1)));
  /** SET and MSET keys present at the last check, with their values. */
  const strings = new Map<string, string>();
  const startedAt = Date.now();
  let acknowledgedWrites = 0;
  let commandsSent = 0;
  let server: ServerProcess | undefined;
  const totalCycles = options.killCycles + options.termCycles;
  try {
    server = await spawnServer(args);
    for (let cycle = 1; cycle <= totalCycles; cycle++) {
      const signal = cycle <= options.killCycles ? "SIGKILL" : "SIGTERM";
      const exact = signal === "SIGTERM";
      const label = `cycle ${cycle} (${signal}, seed ${options.seed})`;
      for (const writer of writers) {
        writer.sent = [];
        writer.client = await PipelinedClient.open(server.port);
      }
      let stopWriting = false;
      const writing = Promise.all(writers.map((w) => w.write(cycle, () => stopWriting)));
      await new Promise((resolve) => setTimeout(resolve, minMs + random.int(maxMs - minMs + 1)));
      const exit = await signalServer(server, signal);
      stopWriting = true;
      await writing;
      for (const writer of writers) {
        await writer.client!.closed(10_000);
        writer.client!.destroy();
      }
      if (exact) assert.equal(exit, 0, `${label}: materia exits 0 on SIGTERM; output:\n${server.output()}`);
      else assert.equal(exit, "SIGKILL", label);

      server = await spawnServer(args);
      const verifier = await PipelinedClient.open(server.port);
      try {
        let answered = 0;
        for (const writer of writers) {
          const { acked, writes } = acknowledged(writer, exact);
          acknowledgedWrites += writes;
          answered += writer.client!.replies.length;
          commandsSent += writer.client!.sent.length;
          await verifyWriter(verifier, writer, acked, strings, { exact, label });
        }
        const keys = expectedKeyCount(writers, strings);
        assert.equal(integer((await query(verifier, [["DBSIZE"]]))[0]!), keys, `${label}: DBSIZE counts exactly the keys written`);
        log(`${label}: ${answered} replies of ${writers.reduce((n, w) => n + w.client!.sent.length, 0)} commands sent; ${keys} keys checked`);
      } finally {
        verifier.destroy();
      }
    }
    const verifier = await PipelinedClient.open(server.port);
    let keys: number;
    try {
      keys = await verifyEverything(verifier, writers, strings);
    } finally {
      verifier.destroy();
    }
    return { cycles: totalCycles, acknowledgedWrites, commandsSent, keys, elapsedMs: Date.now() - startedAt };
  } finally {
    if (server) await signalServer(server, "SIGKILL");
    dirs.removeAll();
  }
}

/** Checks one writer's keys after a restart, then adopts what they hold as the new verified state. */
async function verifyWriter(
  verifier: PipelinedClient,
  writer: Writer,
  acked: ReadonlySet<SentOp>,
  strings: Map<string, string>,
  context: { exact: boolean; label: string },
): Promise<void> {
  const { exact } = context;
  const where = `${context.label}, writer ${writer.id}`;
  const ops = writer.sent;
  const [counterReply, listReply, llenReply, hashReply, hlenReply, txCounterReply, txListReply] = await query(verifier, [
    ["GET", writer.counterKey],
    ["LRANGE", writer.listKey, "0", "-1"],
    ["LLEN", writer.listKey],
    ["HGETALL", writer.hashKey],
    ["HLEN", writer.hashKey],
    ["GET", writer.txCounterKey],
    ["LRANGE", writer.txListKey, "0", "-1"],
  ]);

  // Counter: [last acknowledged, last acknowledged + INCRs sent after it].
  const counter = Number(nullOr(counterReply!) ?? "0");
  let base = writer.counter;
  let unansweredAfter = 0;
  for (const sent of ops) {
    if (sent.op.kind !== "incr") continue;
    if (acked.has(sent)) {
      base++;
      unansweredAfter = 0;
    } else unansweredAfter++;
  }
  assert.ok(counter >= base, `${where}: counter ${counter} below its last acknowledged value ${base}`);
  assert.ok(counter <= base + (exact ? 0 : unansweredAfter), `${where}: counter ${counter} above ${base} + ${unansweredAfter} INCRs in flight${exact ? " (exact after SIGTERM)" : ""}`);
  writer.counter = counter;

  // List: the old contents plus a prefix of this cycle's pushes, at least every acknowledged one.
  const list = bulkArray(listReply!);
  assert.equal(integer(llenReply!), list.length, `${where}: LLEN matches LRANGE`);
  const pushes = ops.filter((s) => s.op.kind === "rpush");
  const ackedPushes = pushes.filter((s) => acked.has(s)).length;
  const expected = [...writer.list, ...pushes.map((s) => (s.op as { element: string }).element)];
  assert.deepEqual(list, expected.slice(0, list.length), `${where}: the list holds only pushed elements, in order, and keeps the old ones`);
  assert.ok(list.length >= writer.list.length + ackedPushes, `${where}: list of ${list.length} lost acknowledged pushes (${writer.list.length} + ${ackedPushes})`);
  if (exact) assert.equal(list.length, writer.list.length + ackedPushes, `${where}: no unanswered RPUSH applied`);
  writer.list = list;

  // Hash: acknowledged fields present, every field written, HLEN matches.
  const flat = bulkArray(hashReply!);
  const hash = new Map<string, string>();
  for (let i = 0; i < flat.length; i += 2) hash.set(flat[i]!, flat[i + 1]!);
  assert.equal(integer(hlenReply!), hash.size, `${where}: HLEN matches HGETALL`);
  const written = new Map(writer.hash);
  for (const sent of ops) {
    if (sent.op.kind !== "hset") continue;
    written.set(sent.op.field, sent.op.value);
    if (acked.has(sent)) assert.equal(hash.get(sent.op.field), sent.op.value, `${where}: acknowledged HSET ${sent.op.field}`);
    else if (exact) assert.equal(hash.has(sent.op.field), false, `${where}: unanswered HSET ${sent.op.field} not applied`);
  }
  for (const [field, value] of writer.hash) assert.equal(hash.get(field), value, `${where}: field ${field} survives`);
  for (const [field, value] of hash) assert.equal(written.get(field), value, `${where}: field ${field} holds a value written to it`);
  writer.hash = hash;

  // SET and MSET keys: acknowledged ones exact; unanswered ones absent or exact; MSET pairs whole.
  const stringOps = ops.filter((s) => s.op.kind === "set" || s.op.kind === "mset");
  const keysOf = (op: Op): string[] => (op.kind === "set" ? [op.key] : op.kind === "mset" ? [...op.keys] : []);
  const values = await query(verifier, stringOps.flatMap((s) => keysOf(s.op).map((key) => ["GET", key])));
  let at = 0;
  for (const sent of stringOps) {
    const op = sent.op as Extract<Op, { kind: "set" | "mset" }>;
    const got = keysOf(op).map(() => nullOr(values[at++]!));
    const present = got.map((v) => v !== null);
    if (acked.has(sent)) assert.deepEqual(got, got.map(() => op.value), `${where}: acknowledged ${op.kind.toUpperCase()} ${keysOf(op)}`);
    else {
      assert.ok(present.every((p) => p === present[0]), `${where}: MSET ${keysOf(op)} half applied`);
      for (const v of got) assert.ok(v === null || v === op.value, `${where}: ${keysOf(op)} holds '${v}', never written`);
      if (exact) assert.ok(!present[0], `${where}: unanswered ${op.kind.toUpperCase()} ${keysOf(op)} not applied`);
    }
    if (present[0]) for (const key of keysOf(op)) strings.set(key, op.value);
  }

  // MULTI/EXEC: counter, list and key of each transaction all or nothing, applied ones a prefix of those sent.
  const txCounter = Number(nullOr(txCounterReply!) ?? "0");
  const txList = bulkArray(txListReply!);
  const txs = ops.filter((s) => s.op.kind === "tx");
  const ackedTxs = txs.filter((s) => acked.has(s)).length;
  const txExpected = [...writer.txList, ...txs.map((s) => (s.op as { seq: string }).seq)];
  assert.equal(txCounter, txList.length, `${where}: transactions applied whole (counter ${txCounter}, list of ${txList.length})`);
  assert.deepEqual(txList, txExpected.slice(0, txList.length), `${where}: transactions applied in order`);
  assert.ok(txList.length >= writer.txList.length + ackedTxs, `${where}: acknowledged EXEC lost`);
  if (exact) assert.equal(txList.length, writer.txList.length + ackedTxs, `${where}: no unanswered EXEC applied`);
  const txKeys = await query(verifier, txs.map((s) => ["GET", writer.txKey((s.op as { seq: string }).seq)]));
  txs.forEach((s, i) => {
    const seq = (s.op as { seq: string }).seq;
    const applied = txList.includes(seq);
    assert.equal(txKeys[i], applied ? bulk(seq) : "$-1\r\n", `${where}: the SET of transaction ${seq} is ${applied ? "applied with it" : "absent with it"}`);
  });
  writer.txList = txList;
}

function expectedKeyCount(writers: readonly Writer[], strings: ReadonlyMap<string, string>): number {
  let keys = strings.size;
  for (const w of writers) {
    keys += (w.counter > 0 ? 1 : 0) + (w.list.length > 0 ? 1 : 0) + (w.hash.size > 0 ? 1 : 0);
    keys += w.txList.length > 0 ? 2 + w.txList.length : 0;
  }
  return keys;
}

/** At the end: KEYS * is exactly the keys written, and every string holds its value. */
async function verifyEverything(verifier: PipelinedClient, writers: readonly Writer[], strings: ReadonlyMap<string, string>): Promise<number> {
  const expected = new Set(strings.keys());
  for (const w of writers) {
    if (w.counter > 0) expected.add(w.counterKey);
    if (w.list.length > 0) expected.add(w.listKey);
    if (w.hash.size > 0) expected.add(w.hashKey);
    if (w.txList.length > 0) expected.add(w.txCounterKey).add(w.txListKey);
    for (const seq of w.txList) expected.add(w.txKey(seq));
  }
  const keys = bulkArray((await query(verifier, [["KEYS", "*"]]))[0]!);
  const stray = keys.filter((k) => !expected.has(k));
  const present = new Set(keys);
  const missing = [...expected].filter((k) => !present.has(k));
  assert.deepEqual(stray.slice(0, 10), [], `keys never written: ${stray.length}`);
  assert.deepEqual(missing.slice(0, 10), [], `keys lost: ${missing.length}`);
  const names = [...strings.keys()];
  const values = await query(verifier, names.map((key) => ["GET", key]));
  names.forEach((key, i) => assert.equal(values[i], bulk(strings.get(key)!), `${key} keeps its value to the end`));
  return keys.length;
}
