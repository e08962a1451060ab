// Crash durability of the blocking pops on `materia serve --engine sqlite`:
// 50 clients wait in BLPOP on three queues while 10 clients push one to
// three elements at a time; the server is SIGKILLed at a random moment,
// restarted on the same data, and what the queues hold is checked against
// what was pushed and what the consumers received:
// - no element is received twice, and none is both received and still queued;
// - every queued or received element was pushed, and queued at most once;
// - every element of an acknowledged push is still queued or was received,
//   except one per BLPOP that was unanswered when the server died: a pop
//   that committed but whose reply never left (Redis loses it the same way;
//   docs/COMPATIBILITY.md). The count of such losses is reported.
// A last cycle stops the server with SIGTERM: then nothing at all is lost.
// The same is run with BLMOVE into a processing list per consumer (the
// reliable-queue pattern): there no element may be lost, even under SIGKILL.
// A failure names the seed; MATERIA_CRASH_SEED=S replays its timings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SeededRandom } from "../../src/engine/seeded_random.ts";
import { signalServer, TempDirs } from "../support/processes.ts";
import { spawnServer, type ServerProcess } from "../support/servers.ts";
import { type Argv, PipelinedClient } from "./pipelined_client.ts";

const SEED = process.env.MATERIA_CRASH_SEED === undefined ? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0 : Number(process.env.MATERIA_CRASH_SEED);
const KILL_CYCLES = 6;
const CONSUMERS = 50;
const PUSHERS = 10;
const QUEUES = ["q:a", "q:b", "q:c"];

/** Decodes a RESP2 array of bulk strings. */
function bulkArray(reply: string): string[] {
  const header = /^\*(-?\d+)\r\n/.exec(reply);
  assert.ok(header, `an array reply, not ${JSON.stringify(reply.slice(0, 80))}`);
  const items: string[] = [];
  let at = header[0].length;
  for (let i = 0; i < Number(header[1]); i++) {
    const length = /^\$(\d+)\r\n/.exec(reply.slice(at, at + 24))!;
    at += length[0].length;
    items.push(reply.slice(at, at + Number(length[1])));
    at += Number(length[1]) + 2;
  }
  return items;
}

/** Waits until the client has the reply to command `index`; false when the connection ended first. */
async function replyTo(client: PipelinedClient, index: number): Promise<string | undefined> {
  while (client.replies.length <= index && !client.isClosed) await client.progress(1_000);
  return client.replies[index];
}

type Mode = "BLPOP" | "BLMOVE";

interface Push {
  readonly elements: readonly string[];
  readonly replyIndex: number;
}

/** What all cycles have seen, checked after each restart. */
class Ledger {
  /** Every element ever sent in a push. */
  readonly pushed = new Set<string>();
  /** Elements of pushes the server acknowledged. */
  readonly acknowledged = new Set<string>();
  /** Element → the consumers that received it (BLPOP's reply, or BLMOVE's). */
  readonly received = new Map<string, number[]>();
  /** BLPOPs (or BLMOVEs) that had no reply when the server died: each may have popped one element that is now lost. */
  unansweredAtKill = 0;

  receive(element: string, consumer: number): void {
    const by = this.received.get(element) ?? [];
    by.push(consumer);
    this.received.set(element, by);
  }
}

async function consume(client: PipelinedClient, id: number, mode: Mode, ledger: Ledger): Promise<void> {
  // Each consumer waits on two of the queues, so waiters of one queue also wait elsewhere.
  const keys = [QUEUES[id % QUEUES.length]!, QUEUES[(id + 1) % QUEUES.length]!];
  while (!client.isClosed) {
    const index = client.sent.length;
    const command: Argv = mode === "BLPOP" ? ["BLPOP", ...keys, "0"] : ["BLMOVE", keys[0]!, `processing:${id}`, "LEFT", "RIGHT", "0.5"];
    client.send([command]);
    const reply = await replyTo(client, index);
    if (reply === undefined) {
      if (!client.isClosed) continue;
      ledger.unansweredAtKill++;
      return;
    }
    // A shutdown answers a waiting client with an error; a BLMOVE may time out (*-1).
    if (reply.startsWith("-") || reply === "*-1\r\n") continue;
    if (mode === "BLPOP") {
      const [key, element] = bulkArray(reply);
      assert.ok(keys.includes(key!), `consumer ${id} was served from ${key}, one of its keys`);
      ledger.receive(element!, id);
    } else {
      const element = bulkArray(`*1\r\n${reply}`)[0]!;
      ledger.receive(element, id);
      // Done with it: off the processing list. The reply may be lost in a crash: then the element stays there.
      const done = client.sent.length;
      client.send([["LREM", `processing:${id}`, "1", element]]);
      if ((await replyTo(client, done)) === undefined) return;
    }
  }
}

async function push(client: PipelinedClient, id: number, cycle: number, random: SeededRandom, ledger: Ledger, stop: () => boolean): Promise<Push[]> {
  const pushes: Push[] = [];
  let n = 0;
  while (!client.isClosed && !stop()) {
    if (client.inFlight >= 4) {
      await client.progress(20);
      continue;
    }
    const count = 1 + random.int(3);
    const elements = Array.from({ length: count }, () => `p${id}.${cycle}.${n++}`);
    for (const element of elements) ledger.pushed.add(element);
    pushes.push({ elements, replyIndex: client.sent.length });
    client.send([[random.int(2) === 0 ? "RPUSH" : "LPUSH", QUEUES[random.int(QUEUES.length)]!, ...elements]]);
    await new Promise((resolve) => setTimeout(resolve, random.int(4)));
  }
  return pushes;
}

/** After a restart: what the queues (and processing lists) hold, checked against the ledger. */
async function check(port: number, mode: Mode, ledger: Ledger, label: string): Promise<{ queued: number; lost: number }> {
  const verifier = await PipelinedClient.open(port);
  try {
    const where = new Map<string, string>();
    const lists = [...QUEUES, ...(mode === "BLMOVE" ? Array.from({ length: CONSUMERS }, (_, i) => `processing:${i}`) : [])];
    for (const list of lists) {
      for (const element of bulkArray(await verifier.call("LRANGE", list, "0", "-1"))) {
        assert.ok(ledger.pushed.has(element), `${label}: ${list} holds ${element}, which was never pushed`);
        assert.ok(!where.has(element), `${label}: ${element} is in ${where.get(element)} and in ${list}`);
        where.set(element, list);
      }
    }
    for (const [element, by] of ledger.received) {
      assert.equal(by.length, 1, `${label}: ${element} was received ${by.length} times (consumers ${by.join(", ")})`);
      const list = where.get(element);
      // BLMOVE: a received element may still be on its own consumer's processing list (the LREM's reply was lost).
      if (list !== undefined) assert.equal(list, `processing:${by[0]}`, `${label}: ${element} was received by consumer ${by[0]} and is still in ${list}`);
    }
    let lost = 0;
    for (const element of ledger.acknowledged) if (!where.has(element) && !ledger.received.has(element)) lost++;
    return { queued: where.size, lost };
  } finally {
    verifier.destroy();
  }
}

async function crashCycles(mode: Mode): Promise<{ lost: number; unanswered: number; received: number; acknowledged: number }> {
  const random = new SeededRandom(SEED + (mode === "BLPOP" ? 0 : 1));
  const dirs = new TempDirs();
  const args = ["--engine", "sqlite", "--data", dirs.make(`blocking-crash-${mode}`), "--no-auth"];
  const ledger = new Ledger();
  let server: ServerProcess | undefined = await spawnServer(args);
  let lost = 0;
  try {
    for (let cycle = 1; cycle <= KILL_CYCLES + 1; cycle++) {
      const signal = cycle <= KILL_CYCLES ? "SIGKILL" : "SIGTERM";
      const label = `${mode} cycle ${cycle} (${signal}, seed ${SEED})`;
      const consumers = await Promise.all(Array.from({ length: CONSUMERS }, () => PipelinedClient.open(server!.port)));
      const pushers = await Promise.all(Array.from({ length: PUSHERS }, () => PipelinedClient.open(server!.port)));
      const consuming = consumers.map((client, id) => consume(client, id, mode, ledger));
      let stopPushing = false;
      const pushing = pushers.map((client, id) => push(client, id, cycle, new SeededRandom(random.int(2 ** 30)), ledger, () => stopPushing));
      await new Promise((resolve) => setTimeout(resolve, 200 + random.int(600)));
      const unansweredBefore = ledger.unansweredAtKill;
      const exit = await signalServer(server, signal);
      stopPushing = true;
      const pushes = await Promise.all(pushing);
      await Promise.all(consuming);
      for (const client of [...consumers, ...pushers]) client.destroy();
      assert.equal(exit, signal === "SIGKILL" ? "SIGKILL" : 0, `${label}: materia's exit; output:\n${server.output()}`);
      for (const [id, client] of pushers.entries()) {
        for (const sent of pushes[id]!) {
          const reply = client.replies[sent.replyIndex];
          if (reply !== undefined && /^:\d+\r\n$/.test(reply)) for (const element of sent.elements) ledger.acknowledged.add(element);
        }
      }
      server = await spawnServer(args);
      const found = await check(server.port, mode, ledger, label);
      const newlyLost = found.lost - lost;
      lost = found.lost;
      if (mode === "BLMOVE" || signal === "SIGTERM") {
        assert.equal(newlyLost, 0, `${label}: ${newlyLost} acknowledged elements are neither queued nor received`);
      } else {
        assert.ok(newlyLost <= ledger.unansweredAtKill - unansweredBefore, `${label}: ${newlyLost} elements lost, more than the ${ledger.unansweredAtKill - unansweredBefore} BLPOPs unanswered at the kill`);
      }
    }
    return { lost, unanswered: ledger.unansweredAtKill, received: ledger.received.size, acknowledged: ledger.acknowledged.size };
  } finally {
    if (server) await signalServer(server, "SIGKILL");
    dirs.removeAll();
  }
}

test(`SIGKILL while ${CONSUMERS} clients wait in BLPOP and ${PUSHERS} push: every element is queued or received by exactly one client, never both (seed ${SEED})`, async () => {
  const result = await crashCycles("BLPOP");
  console.log(
    `blocking crash test (BLPOP): seed ${SEED}, ${result.acknowledged} acknowledged elements, ${result.received} received; ` +
      `${result.lost} lost with their pop's reply (${result.unanswered} BLPOPs unanswered at the kills)`,
  );
  assert.ok(result.received >= 100, `the consumers were served: ${result.received} elements`);
});

test(`SIGKILL while ${CONSUMERS} clients wait in BLMOVE into their processing lists: no element is ever lost (seed ${SEED})`, async () => {
  const result = await crashCycles("BLMOVE");
  console.log(`blocking crash test (BLMOVE): seed ${SEED}, ${result.acknowledged} acknowledged elements, ${result.received} received, none lost`);
  assert.ok(result.received >= 100, `the consumers were served: ${result.received} elements`);
});
