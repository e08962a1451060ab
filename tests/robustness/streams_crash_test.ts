// Crash durability of streams and consumer groups on `materia serve --engine
// sqlite`: producers XADD to a stream (ids from `*`, recorded from the
// replies) and to a second stream with explicit ids, while consumers of two
// groups read with XREADGROUP ... `>` (some with BLOCK) and XACK what they
// got. The server is SIGKILLed at a random moment, restarted on the same
// data, and what it holds is checked against what the clients saw:
// - every acknowledged XADD is there (XRANGE), with its fields, and no entry
//   is there that was never sent, nor one sent twice;
// - no entry was delivered twice through `>` to a group (across all cycles);
// - every acknowledged XACK stays acknowledged: its entries are not pending;
// - an entry a consumer received is pending for that consumer or was acked;
// - none is lost: every entry at or below a group's last-delivered id was
//   received by one of its consumers or is pending;
// - pending entries no consumer received are those of an XREADGROUP that
//   committed but whose reply never left when the server died (Redis does
//   the same); they are counted and bounded by the COUNTs of the reads
//   unanswered at the kills.
// A last cycle stops the server with SIGTERM: then no read may be lost so.
// A failure names the seed; MATERIA_CRASH_SEED=S replays its timings.
// MATERIA_CRASH_TARGET=redis-server runs the same against redis-server with
// appendfsync always (to check the checks; not in the ordinary suite).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { SeededRandom } from "../../src/engine/seeded_random.ts";
import { decode } from "../differential/compare.ts";
import { signalServer, TempDirs } from "../support/processes.ts";
import { freePort } from "../support/redis_server.ts";
import { runtimeName } from "../support/runtime.ts";
import { spawnServer } from "../support/servers.ts";
import { RawClient } from "../support/raw_client.ts";
import { type Argv, PipelinedClient } from "./pipelined_client.ts";

const SEED = process.env.MATERIA_CRASH_SEED === undefined ? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0 : Number(process.env.MATERIA_CRASH_SEED);
const TARGET = process.env.MATERIA_CRASH_TARGET === "redis-server" ? "redis-server" : "materia";
const KILL_CYCLES = 8;
const STREAM = "jobs";
/** Written with explicit ids by one producer, read by nobody: durability of explicit ids. */
const EXPLICIT_STREAM = "ledger";
const PRODUCERS = 4;
/** Per group: its consumers, and how each reads (BLOCK milliseconds, or none). */
const GROUPS: ReadonlyArray<{ name: string; consumers: ReadonlyArray<{ block?: string }> }> = [
  { name: "g1", consumers: [{}, {}, {}, { block: "200" }, { block: "200" }, { block: "0" }] },
  { name: "g2", consumers: [{ block: "0" }, {}] },
];

interface Server {
  readonly port: number;
  /** Sends the signal and resolves with the exit code, or the signal's name. */
  stop(signal: NodeJS.Signals): Promise<number | string>;
}

/** `materia serve --engine sqlite` on a data directory, or redis-server with every write fsynced to its AOF. */
async function startServer(dir: string): Promise<Server> {
  if (TARGET === "materia") {
    const server = await spawnServer(["--engine", "sqlite", "--data", dir, "--no-auth"]);
    return { port: server.port, stop: (signal) => signalServer(server, signal) };
  }
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "yes", "--appendfsync", "always"], { stdio: "ignore" });
  const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code ?? -1)));
  for (let ready = false; !ready;) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    ready = await RawClient.connect(port).then(async (c) => ((await c.call("PING")) === "+PONG\r\n" ? (c.close(), true) : (c.close(), false)), () => false);
  }
  // process.kill, not child.kill: Deno reports any child stopped through child.kill as ended by the signal (signalServer says more).
  return { port, stop: (signal) => (process.kill(child.pid!, signal), exited) };
}

/** Waits until the client has the reply to command `index`; undefined when the connection ended first. */
async function replyTo(client: PipelinedClient, index: number): Promise<string | undefined> {
  while (client.replies.length <= index && !client.isClosed) await client.progress(1_000);
  return client.replies[index];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What all cycles have seen, checked after each restart. */
class Ledger {
  /** Tag → times sent (a tag is sent once). */
  readonly sentTags = new Set<string>();
  /** Acknowledged XADDs to STREAM: id → tag. */
  readonly addedIds = new Map<string, string>();
  readonly sentExplicit = new Set<string>();
  readonly addedExplicit = new Set<string>();
  /** Group → id → the consumer that received it through `>`. */
  readonly received = new Map<string, Map<string, string>>(GROUPS.map((g) => [g.name, new Map()]));
  /** Group → ids an XACK was sent for, and those whose XACK was answered. */
  readonly ackSent = new Map<string, Set<string>>(GROUPS.map((g) => [g.name, new Set()]));
  readonly ackConfirmed = new Map<string, Set<string>>(GROUPS.map((g) => [g.name, new Set()]));
  /** Sum of the COUNTs of XREADGROUPs unanswered when the server went down: at most this many entries may be pending unreceived. */
  unansweredReadCount = 0;
  /** Pending entries no consumer received (committed reads whose reply was lost). */
  readonly orphans = new Set<string>();

  receive(group: string, id: string, consumer: string): void {
    const received = this.received.get(group)!;
    assert.ok(!received.has(id), `entry ${id} delivered through > to ${received.get(id)} and again to ${consumer} in group ${group}`);
    received.set(id, consumer);
  }
}

/** Entry ids and tags of an XREADGROUP or XRANGE reply's entries. */
function entriesOf(entries: ReturnType<typeof decode>): Array<{ id: string; tag: string }> {
  return entries.items.map((e) => ({ id: e.items[0]!.value!, tag: e.items[1]!.items[1]?.value ?? "" }));
}

async function consume(client: PipelinedClient, options: { group: string; consumer: string; block?: string; random: SeededRandom; ledger: Ledger }): Promise<void> {
  const { group, consumer, ledger } = options;
  const ackSent = ledger.ackSent.get(group)!;
  while (!client.isClosed) {
    const count = 1 + options.random.int(5);
    const index = client.sent.length;
    client.send([["XREADGROUP", "GROUP", group, consumer, "COUNT", String(count), ...(options.block === undefined ? [] : ["BLOCK", options.block]), "STREAMS", STREAM, ">"]]);
    const reply = await replyTo(client, index);
    if (reply === undefined) {
      ledger.unansweredReadCount += count;
      return;
    }
    // Nothing new (or a timed-out BLOCK), or the server shutting down.
    if (reply === "*-1\r\n" || reply.startsWith("-")) {
      if (options.block === undefined || reply.startsWith("-")) await sleep(2);
      continue;
    }
    const ids = entriesOf(decode(reply).items[0]!.items[1]!).map((e) => e.id);
    for (const id of ids) ledger.receive(group, id, consumer);
    const ack = client.sent.length;
    for (const id of ids) ackSent.add(id);
    client.send([["XACK", STREAM, group, ...ids]]);
    const acked = await replyTo(client, ack);
    if (acked === undefined) return;
    assert.equal(acked, `:${ids.length}\r\n`, `XACK of the ${ids.length} entries ${consumer} of ${group} had just received`);
    for (const id of ids) ledger.ackConfirmed.get(group)!.add(id);
  }
}

interface Sent {
  readonly tag: string;
  readonly replyIndex: number;
}

async function produce(client: PipelinedClient, options: { name: string; explicit: boolean; cycle: number; random: SeededRandom; ledger: Ledger; stop: () => boolean }): Promise<Sent[]> {
  const sent: Sent[] = [];
  for (let n = 1; !client.isClosed && !options.stop(); n++) {
    if (client.inFlight >= 4) {
      await client.progress(20);
      continue;
    }
    let argv: Argv;
    let tag: string;
    if (options.explicit) {
      // One millisecond per cycle, a sequence number per entry: above everything earlier cycles wrote.
      tag = `${options.cycle}-${n}`;
      options.ledger.sentExplicit.add(tag);
      argv = ["XADD", EXPLICIT_STREAM, tag, "n", String(n)];
    } else {
      tag = `${options.name}.${options.cycle}.${n}`;
      options.ledger.sentTags.add(tag);
      argv = ["XADD", STREAM, "*", "tag", tag];
    }
    sent.push({ tag, replyIndex: client.sent.length });
    client.send([argv]);
    await sleep(options.random.int(3));
  }
  return sent;
}

/** After a restart: the streams and groups checked against the ledger. Returns the pending entries no consumer received. */
async function check(port: number, ledger: Ledger, label: string): Promise<{ entries: number; pending: number }> {
  const verifier = await PipelinedClient.open(port);
  try {
    const present = new Map<string, string>();
    const tags = new Set<string>();
    for (const { id, tag } of entriesOf(decode(await verifier.call("XRANGE", STREAM, "-", "+")))) {
      assert.ok(ledger.sentTags.has(tag), `${label}: ${STREAM} holds ${id} tagged ${tag}, never sent`);
      assert.ok(!tags.has(tag), `${label}: ${tag} is in ${STREAM} twice`);
      tags.add(tag);
      present.set(id, tag);
    }
    for (const [id, tag] of ledger.addedIds) assert.equal(present.get(id), tag, `${label}: the acknowledged XADD of ${tag} (id ${id}) is gone`);
    const explicit = new Set(entriesOf(decode(await verifier.call("XRANGE", EXPLICIT_STREAM, "-", "+"))).map((e) => e.id));
    for (const id of explicit) assert.ok(ledger.sentExplicit.has(id), `${label}: ${EXPLICIT_STREAM} holds ${id}, never sent`);
    for (const id of ledger.addedExplicit) assert.ok(explicit.has(id), `${label}: the acknowledged XADD ${EXPLICIT_STREAM} ${id} is gone`);

    const info = decode(await verifier.call("XINFO", "GROUPS", STREAM));
    const lastDelivered = new Map(info.items.map((g) => {
      const fields = new Map<string, string | null>();
      for (let i = 0; i < g.items.length; i += 2) fields.set(g.items[i]!.value!, g.items[i + 1]!.value);
      return [fields.get("name")!, fields.get("last-delivered-id")!];
    }));
    let pendingTotal = 0;
    for (const { name: group } of GROUPS) {
      const pending = new Map(decode(await verifier.call("XPENDING", STREAM, group, "-", "+", "1000000")).items.map((p) => [p.items[0]!.value!, p.items[1]!.value!]));
      pendingTotal += pending.size;
      const received = ledger.received.get(group)!;
      const ackSent = ledger.ackSent.get(group)!;
      for (const id of ledger.ackConfirmed.get(group)!) assert.ok(!pending.has(id), `${label}: ${id} was acknowledged in ${group} (XACK answered) and is pending again`);
      for (const [id, consumer] of received) {
        const owner = pending.get(id);
        if (owner !== undefined) assert.equal(owner, consumer, `${label}: ${id} was delivered to ${consumer} in ${group} and is pending for ${owner}`);
        else assert.ok(ackSent.has(id), `${label}: ${id} was delivered to ${consumer} in ${group}, never acknowledged, and is not pending`);
      }
      for (const id of pending.keys()) if (!received.has(id)) ledger.orphans.add(`${group} ${id}`);
      const last = lastDelivered.get(group);
      assert.ok(last !== undefined, `${label}: XINFO GROUPS lists ${group}`);
      const [lastMs, lastSeq] = last.split("-").map(BigInt) as [bigint, bigint];
      for (const id of present.keys()) {
        const [ms, seq] = id.split("-").map(BigInt) as [bigint, bigint];
        const delivered = ms < lastMs || (ms === lastMs && seq <= lastSeq);
        if (delivered) assert.ok(received.has(id) || pending.has(id), `${label}: ${id} is at or below ${group}'s last-delivered id ${last} but was neither received nor is pending (lost)`);
      }
    }
    assert.ok(
      ledger.orphans.size <= ledger.unansweredReadCount,
      `${label}: ${ledger.orphans.size} entries pending that no consumer received, more than the ${ledger.unansweredReadCount} the reads unanswered at the kills asked for`,
    );
    return { entries: present.size, pending: pendingTotal };
  } finally {
    verifier.destroy();
  }
}

test(`${TARGET === "materia" ? "materia serve --engine sqlite" : "redis-server (appendfsync always)"}: ${KILL_CYCLES} SIGKILLs under stream producers and consumer groups lose no acknowledged XADD or XACK and deliver nothing twice (seed ${SEED})`, { timeout: 120_000 }, async () => {
  const startedAt = Date.now();
  const random = new SeededRandom(SEED);
  const dirs = new TempDirs();
  const dir = dirs.make("streams-crash");
  const ledger = new Ledger();
  let server: Server | undefined = await startServer(dir);
  let entries = 0;
  try {
    const setup = await PipelinedClient.open(server.port);
    for (const { name } of GROUPS) assert.equal(await setup.call("XGROUP", "CREATE", STREAM, name, "0", "MKSTREAM"), "+OK\r\n");
    setup.destroy();
    for (let cycle = 1; cycle <= KILL_CYCLES + 1; cycle++) {
      const signal = cycle <= KILL_CYCLES ? "SIGKILL" : "SIGTERM";
      const label = `cycle ${cycle} (${signal}, seed ${SEED})`;
      const consumers = GROUPS.flatMap((g) => g.consumers.map((c, i) => ({ group: g.name, consumer: `c${i}`, block: c.block })));
      const consumerClients = await Promise.all(consumers.map(() => PipelinedClient.open(server!.port)));
      const producerClients = await Promise.all(Array.from({ length: PRODUCERS + 1 }, () => PipelinedClient.open(server!.port)));
      const consuming = consumers.map((c, i) => consume(consumerClients[i]!, { ...c, random: new SeededRandom(random.int(2 ** 30)), ledger }));
      let stopProducing = false;
      const producing = producerClients.map((client, i) =>
        produce(client, { name: `p${i}`, explicit: i === PRODUCERS, cycle, random: new SeededRandom(random.int(2 ** 30)), ledger, stop: () => stopProducing })
      );
      await sleep(300 + random.int(700));
      const unansweredBefore = ledger.unansweredReadCount;
      const orphansBefore = ledger.orphans.size;
      const exit: number | string = await server.stop(signal);
      server = undefined;
      stopProducing = true;
      const sent = await Promise.all(producing);
      await Promise.all(consuming);
      for (const client of [...consumerClients, ...producerClients]) client.destroy();
      assert.equal(exit, signal === "SIGKILL" ? "SIGKILL" : 0, `${label}: the server's exit`);
      for (const [i, client] of producerClients.entries()) {
        for (const { tag, replyIndex } of sent[i]!) {
          const reply = client.replies[replyIndex];
          if (reply === undefined || reply.startsWith("-")) continue;
          const id = reply.split("\r\n")[1]!;
          if (i === PRODUCERS) ledger.addedExplicit.add(id);
          else ledger.addedIds.set(id, tag);
        }
      }
      server = await startServer(dir);
      const found = await check(server.port, ledger, label);
      entries = found.entries;
      const newOrphans = ledger.orphans.size - orphansBefore;
      // Materia answers every read it committed before a graceful stop; Redis may close before writing a reply.
      if (signal === "SIGTERM" && TARGET === "materia") assert.equal(newOrphans, 0, `${label}: ${newOrphans} reads committed but never answered at SIGTERM`);
      else assert.ok(newOrphans <= ledger.unansweredReadCount - unansweredBefore, `${label}: ${newOrphans} entries newly pending unreceived`);
    }
    const received = [...ledger.received.values()].reduce((n, m) => n + m.size, 0);
    console.log(
      `streams crash test [${TARGET}, ${runtimeName}]: seed ${SEED}, ${KILL_CYCLES + 1} cycles in ${((Date.now() - startedAt) / 1000).toFixed(1)} s; ` +
        `${ledger.addedIds.size + ledger.addedExplicit.size} acknowledged XADDs, ${entries} entries at the end, ${received} deliveries through >, ` +
        `${[...ledger.ackConfirmed.values()].reduce((n, s) => n + s.size, 0)} acknowledged XACKs; ` +
        `${ledger.orphans.size} entries left pending by reads whose reply was lost (${ledger.unansweredReadCount} entries asked for by reads unanswered at the kills)`,
    );
    assert.ok(received >= 100, `the consumers were served: ${received} deliveries`);
    assert.ok(ledger.addedIds.size >= 100, `the producers were answered: ${ledger.addedIds.size} XADDs`);
  } finally {
    if (server) await server.stop("SIGKILL");
    dirs.removeAll();
  }
});
