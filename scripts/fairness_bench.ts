// Fairness between tenants: how long one tenant's big command stalls another
// tenant's PING. For each engine, one tenant fills a keyspace (1,000,000
// keys, a 1,000,000-item list, a 500,000-member set, a 500,000-field hash),
// then runs KEYS *, LRANGE of the whole list, SMEMBERS of the whole set,
// HGETALL of the whole hash, a pipeline of the last three, and FLUSHALL
// while a bystander of another tenant PINGs every 5 ms (in a worker: this
// script's CPU does not count); after FLUSHALL, until a KEYS answers (so its
// background cleanup on SQLite counts too). Issue 13's target: the
// bystander's p99 under 100 ms.
// Usage: bun scripts/fairness_bench.ts [--engines memory,sqlite] [--scale 1]
import { connect, type Socket } from "node:net";
import { parseArgs } from "node:util";
import { generateRootKey, mintToken, parseRootKey } from "../src/auth/tokens.ts";
import { encodeCommand, RawClient } from "../tests/support/raw_client.ts";
import { TempDirs } from "../tests/support/processes.ts";
import { spawnServer } from "../tests/support/servers.ts";
import { startBystander } from "./bystander.ts";
import { ReplyCounter } from "../tests/support/reply_counter.ts";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { engines: { type: "string", default: "memory,sqlite" }, scale: { type: "string", default: "1" } },
});
const scale = Number(values.scale);
const KEYS = Math.round(1_000_000 * scale);
const LIST_ITEMS = Math.round(1_000_000 * scale);
const SET_MEMBERS = Math.round(500_000 * scale);
const HASH_FIELDS = Math.round(500_000 * scale);
/** A big reply can take seconds to arrive and parse in the client. */
const HEAVY_REPLY_TIMEOUT_MS = 120_000;
const BATCH = 1_000;

/** Sends `requests` pipelined in windows of 50, reading every reply; shows progress on one line. */
async function pipelined(client: RawClient, requests: Iterable<readonly string[]>, total: number, label: string): Promise<void> {
  let sent = 0;
  let window: Uint8Array[] = [];
  const started = performance.now();
  const drain = async (): Promise<void> => {
    const bytes = new Uint8Array(window.reduce((n, part) => n + part.length, 0));
    let at = 0;
    for (const part of window) {
      bytes.set(part, at);
      at += part.length;
    }
    client.writeRaw(bytes);
    for (let i = 0; i < window.length; i++) {
      const reply = await client.readReply(120_000);
      if (reply.startsWith("-")) throw new Error(`${label}: ${reply.trim()}`);
    }
    window = [];
  };
  for (const argv of requests) {
    window.push(encodeCommand(argv));
    sent++;
    if (window.length === 50) {
      await drain();
      process.stdout.write(`\r  ${label}: ${sent}/${total} requests (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
  }
  if (window.length > 0) await drain();
  process.stdout.write(`\r  ${label}: ${total}/${total} requests in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

function* batches(count: number, make: (from: number, to: number) => string[]): Generator<string[]> {
  for (let from = 0; from < count; from += BATCH) yield make(from, Math.min(count, from + BATCH));
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

async function fill(client: RawClient): Promise<void> {
  await pipelined(client, batches(KEYS, (from, to) => ["MSET", ...range(from, to).flatMap((i) => [`key:${i}`, "v"])]), Math.ceil(KEYS / BATCH), `MSET ${KEYS} keys`);
  await pipelined(client, batches(LIST_ITEMS, (from, to) => ["RPUSH", "list", ...range(from, to).map(String)]), Math.ceil(LIST_ITEMS / BATCH), `RPUSH ${LIST_ITEMS} items`);
  await pipelined(client, batches(SET_MEMBERS, (from, to) => ["SADD", "set", ...range(from, to).map((i) => `m${i}`)]), Math.ceil(SET_MEMBERS / BATCH), `SADD ${SET_MEMBERS} members`);
  await pipelined(client, batches(HASH_FIELDS, (from, to) => ["HSET", "hash", ...range(from, to).flatMap((i) => [`f${i}`, "v"])]), Math.ceil(HASH_FIELDS / BATCH), `HSET ${HASH_FIELDS} fields`);
}

/**
 * Sends the commands in one write (a pipeline) over a connection of their own
 * and waits for every reply, counting bytes without keeping them (a client
 * that parses a 16 MiB reply would add seconds of its own). Returns the bytes.
 */
async function heavyCalls(port: number, token: string, commands: readonly (readonly string[])[]): Promise<number> {
  const counter = new ReplyCounter();
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect({ port, host: "127.0.0.1" }, () => resolve(s));
    s.once("error", reject);
  });
  const done = new Promise<void>((resolve, reject) => {
    socket.on("data", (chunk: Uint8Array) => {
      counter.feed(chunk);
      if (counter.replies === commands.length + 1) resolve();
    });
    socket.on("close", () => reject(new Error(`connection closed after ${counter.replies} replies`)));
  });
  const parts = [encodeCommand(["AUTH", token]), ...commands.map((argv) => encodeCommand(argv))];
  socket.write(new Uint8Array(parts.flatMap((part) => [...part])));
  const timer = setTimeout(() => socket.destroy(), HEAVY_REPLY_TIMEOUT_MS);
  try {
    await done;
  } finally {
    clearTimeout(timer);
    socket.removeAllListeners("close");
    socket.destroy();
  }
  return counter.bytes;
}

const READS = [["LRANGE", "list", "0", "-1"], ["SMEMBERS", "set"], ["HGETALL", "hash"]];
const SCENARIOS: readonly { readonly label: string; readonly commands: readonly (readonly string[])[] }[] = [
  { label: "KEYS *", commands: [["KEYS", "*"]] },
  ...READS.map((argv) => ({ label: argv.join(" "), commands: [argv] })),
  { label: "pipeline of 3 reads", commands: READS },
  { label: "FLUSHALL", commands: [["FLUSHALL"]] },
];

const dirs = new TempDirs();
const rootText = await generateRootKey();
const root = await parseRootKey(rootText);
const rows: string[] = [];
try {
  for (const engine of values.engines!.split(",")) {
    console.log(`${engine} engine: filling`);
    const server = await spawnServer(["--engine", engine, "--data", dirs.make(`fair-${engine}`), "--quota-storage", "4gb"], { env: { MATERIA_ROOT_KEY: rootText }, timeoutMs: 60_000 });
    try {
      const heavy = await RawClient.connect(server.port);
      const heavyToken = await mintToken(root, "kv_heavy");
      await heavy.call("AUTH", heavyToken);
      await fill(heavy);
      for (const { label, commands } of SCENARIOS) {
        const bystander = await startBystander(server.port, await mintToken(root, "kv_bystander"));
        await new Promise((r) => setTimeout(r, 100));
        const started = performance.now();
        const replyLength = await heavyCalls(server.port, heavyToken, commands);
        const elapsed = performance.now() - started;
        // Until a KEYS over the metas (last in key order) answers, the bystander keeps measuring: a FLUSHALL's
        // background cleanup on SQLite counts too (reads into what it still has to delete wait for it).
        if (label === "FLUSHALL") await heavy.call("KEYS", "*");
        await new Promise((r) => setTimeout(r, 100));
        const report = await bystander.stop();
        const line = `${engine.padEnd(6)}  ${label.padEnd(20)}  ${elapsed.toFixed(0).padStart(7)} ms  ${(replyLength / 2 ** 20).toFixed(1).padStart(6)} MiB  ` +
          `p50 ${report.p50.toFixed(1).padStart(7)} ms  p99 ${report.p99.toFixed(1).padStart(7)} ms  worst ${report.worst.toFixed(1).padStart(7)} ms  (${report.pings} PINGs)`;
        console.log(line);
        rows.push(line);
      }
      heavy.close();
    } finally {
      await server.kill("SIGTERM");
    }
  }
} finally {
  dirs.removeAll();
}
console.log(`\nengine  command               command    reply  bystander's PING (target: p99 < 100 ms)\n${rows.join("\n")}`);
process.exit(0);
