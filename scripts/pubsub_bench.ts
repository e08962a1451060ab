// Pub/sub throughput and latency, side by side with redis-server
// (redis-benchmark has no pub/sub test). One load generator, this process,
// drives every server the same way over loopback:
//
// - throughput: S subscribers on one channel, P publishers each keeping W
//   PUBLISHes in flight, for D seconds: PUBLISH/s and messages delivered/s;
// - latency: one publisher at a fixed rate (R messages/s, one at a time), one
//   subscriber: the time from sending a PUBLISH to receiving its message,
//   p50 / p99, read with performance.now() in this process.
//
// Materia runs from source (memory and sqlite engines, auth off) against
// redis-server without persistence. The client and the servers share the
// machine's cores: compare ratios, not absolute numbers.
//
// Usage: bun scripts/pubsub_bench.ts [--seconds 5] [--subscribers 10] [--publishers 4] [--window 32]
//                                     [--rate 2000] [--payload 32] [--engines memory,sqlite]
import { parseArgs } from "node:util";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { type HowToRunMateria, type RunningServer, startServer } from "./bench/servers.ts";
import { encodeCommand } from "../tests/support/raw_client.ts";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    seconds: { type: "string", default: "5" },
    subscribers: { type: "string", default: "10" },
    publishers: { type: "string", default: "4" },
    window: { type: "string", default: "32" },
    rate: { type: "string", default: "2000" },
    payload: { type: "string", default: "32" },
    engines: { type: "string", default: "memory,sqlite" },
  },
});
const SECONDS = Number(values.seconds);
const SUBSCRIBERS = Number(values.subscribers);
const PUBLISHERS = Number(values.publishers);
const WINDOW = Number(values.window);
const RATE = Number(values.rate);
const PAYLOAD = Number(values.payload);
const CHANNEL = "bench";

const root = join(import.meta.dirname ?? ".", "..");
const materia: HowToRunMateria = { command: [process.execPath, join(root, "src/adapter/bun/main.ts")] };

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1" }, () => resolve(socket));
    socket.setNoDelay(true);
    socket.once("error", reject);
  });
}

/** The number of "\r\n" in a chunk: one per integer reply, the only replies a publisher gets. */
function countLines(chunk: Uint8Array): number {
  let lines = 0;
  for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
  return lines;
}

/** Subscribes `socket` to the channel and resolves once confirmed. */
async function subscribe(socket: Socket): Promise<void> {
  await new Promise<void>((resolve) => {
    socket.once("data", () => resolve());
    socket.write(encodeCommand(["SUBSCRIBE", CHANNEL]));
  });
}

/** The bytes of one message frame as a subscriber receives it. */
function frameLength(payloadBytes: number): number {
  const bulk = (n: number): number => `$${n}\r\n`.length + n + 2;
  return "*3\r\n".length + bulk("message".length) + bulk(CHANNEL.length) + bulk(payloadBytes);
}

async function throughput(port: number): Promise<{ publishes: number; deliveries: number }> {
  const subscribers = await Promise.all(Array.from({ length: SUBSCRIBERS }, () => open(port)));
  await Promise.all(subscribers.map(subscribe));
  let receivedBytes = 0;
  for (const socket of subscribers) socket.on("data", (chunk: Uint8Array) => (receivedBytes += chunk.length));
  const publishers = await Promise.all(Array.from({ length: PUBLISHERS }, () => open(port)));
  const command = encodeCommand(["PUBLISH", CHANNEL, "x".repeat(PAYLOAD)]);
  let publishes = 0;
  let running = true;
  for (const socket of publishers) {
    socket.on("data", (chunk: Uint8Array) => {
      const replies = countLines(chunk);
      publishes += replies;
      if (!running) return;
      const batch = new Uint8Array(command.length * replies);
      for (let i = 0; i < replies; i++) batch.set(command, i * command.length);
      socket.write(batch);
    });
    const first = new Uint8Array(command.length * WINDOW);
    for (let i = 0; i < WINDOW; i++) first.set(command, i * command.length);
    socket.write(first);
  }
  const startBytes = receivedBytes;
  const startPublishes = publishes;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  const elapsed = (performance.now() - started) / 1000;
  const result = {
    publishes: (publishes - startPublishes) / elapsed,
    deliveries: (receivedBytes - startBytes) / frameLength(PAYLOAD) / elapsed,
  };
  running = false;
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (const socket of [...subscribers, ...publishers]) socket.destroy();
  return result;
}

async function latency(port: number): Promise<{ p50: number; p99: number; samples: number }> {
  const subscriber = await open(port);
  await subscribe(subscriber);
  const publisher = await open(port);
  publisher.on("data", () => {});
  const sentAt = new Map<number, number>();
  const samples: number[] = [];
  // Every frame has the same length (payloads are padded): cut the stream into frames and read each one's sequence number.
  const frame = frameLength(PAYLOAD);
  let pending: Buffer = Buffer.alloc(0);
  subscriber.on("data", (chunk: Buffer) => {
    const now = performance.now();
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let offset = 0;
    for (; offset + frame <= pending.length; offset += frame) {
      const sequence = Number(pending.toString("latin1", offset + frame - 2 - PAYLOAD, offset + frame - 2));
      const at = sentAt.get(sequence);
      if (at !== undefined) {
        samples.push(now - at);
        sentAt.delete(sequence);
      }
    }
    pending = pending.subarray(offset);
  });
  const total = Math.max(100, Math.round(RATE * SECONDS));
  const intervalMs = 1000 / RATE;
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    sentAt.set(i, performance.now());
    publisher.write(encodeCommand(["PUBLISH", CHANNEL, String(i).padStart(PAYLOAD, "0")]));
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  subscriber.destroy();
  publisher.destroy();
  samples.sort((a, b) => a - b);
  const at = (q: number): number => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), samples: samples.length };
}

interface Measured {
  readonly name: string;
  readonly publishes: number;
  readonly deliveries: number;
  readonly p50: number;
  readonly p99: number;
}

async function measure(name: string, server: RunningServer): Promise<Measured> {
  console.error(`${name}: throughput (${SUBSCRIBERS} subscribers, ${PUBLISHERS} publishers x ${WINDOW} in flight, ${SECONDS} s)...`);
  const { publishes, deliveries } = await throughput(server.port);
  console.error(`${name}: latency (${RATE} messages/s, ${SECONDS} s)...`);
  const { p50, p99 } = await latency(server.port);
  return { name, publishes, deliveries, p50, p99 };
}

const rows: Measured[] = [];
const redis = await startServer({ id: "redis", product: "redis", redisOptions: ["--save", "", "--appendonly", "no"] }, materia);
try {
  rows.push(await measure("redis-server", redis));
} finally {
  await redis.stop();
}
for (const engine of values.engines!.split(",") as ("memory" | "sqlite")[]) {
  const server = await startServer({ id: `materia-${engine}`, product: "materia", engine }, materia);
  try {
    rows.push(await measure(`materia ${engine}`, server));
  } finally {
    await server.stop();
  }
}
const redisRow = rows[0]!;
const k = (n: number): string => `${(n / 1000).toFixed(1)}k`;
console.log(`| server | PUBLISH/s | messages delivered/s | ratio | latency p50 / p99 ms |`);
console.log(`|---|---|---|---|---|`);
for (const row of rows) {
  console.log(`| ${row.name} | ${k(row.publishes)} | ${k(row.deliveries)} | ${(row.deliveries / redisRow.deliveries).toFixed(2)} | ${row.p50.toFixed(3)} / ${row.p99.toFixed(3)} |`);
}
