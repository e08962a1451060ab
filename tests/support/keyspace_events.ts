// Keyspace events of a command sequence, as a client subscribed to
// `__key*__:*` would receive them: from a real redis-server (a subscriber
// connection), and from Materia (a recording MessageSink, whose events are
// turned into channel messages by keyspaceMessagesByTenant under each
// tenant's setting, as the pub/sub hub does). Each message reads
// `<channel> <message>`.
import { Redis } from "ioredis";
import { openAccess } from "../../src/auth/static_password.ts";
import type { Authenticator } from "../../src/commands/spec.ts";
import { keyspaceMessagesByTenant } from "../../src/core/keyspace_channels.ts";
import type { KeyspaceEvent, MessageSink } from "../../src/core/messages.ts";
import type { Engine } from "../../src/engine/contract.ts";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { MateriaServer } from "../../src/server/server.ts";
import { RawClient } from "./raw_client.ts";
import { startRedis, type RedisProcess } from "./redis_server.ts";
import { runtimeListen } from "./runtime.ts";

/** A command, or a pause (expiry needs time to pass). */
export type EventStep = readonly string[] | { readonly sleepMs: number };

export interface EventCase {
  readonly name: string;
  readonly steps: readonly EventStep[];
  /** notify-keyspace-events while the case runs (default every class: AKEmn). */
  readonly flags?: string;
}

export const ALL_EVENTS = "AKEmn";

const TEXT = new TextDecoder("latin1");

function line(channel: Uint8Array, message: Uint8Array): string {
  return `${TEXT.decode(channel)} ${TEXT.decode(message)}`;
}

/** Where a case runs: each gives the messages the case's commands published. */
export interface EventTarget {
  run(script: EventCase): Promise<string[]>;
  stop(): Promise<void>;
}

async function runSteps(client: RawClient, steps: readonly EventStep[]): Promise<void> {
  for (const step of steps) {
    if ("sleepMs" in step) await new Promise((resolve) => setTimeout(resolve, step.sleepMs));
    else await client.call(...step);
  }
}

/** A redis-server; `activeExpiry` false turns its expire cycle off (DEBUG SET-ACTIVE-EXPIRE 0), so expiry is lazy only. */
export async function redisTarget(options: { readonly activeExpiry: boolean }): Promise<EventTarget> {
  const redis: RedisProcess = await startRedis({ args: ["--enable-debug-command", "yes"] });
  const client = await RawClient.connect(redis.port);
  await client.call("DEBUG", "SET-ACTIVE-EXPIRE", options.activeExpiry ? "1" : "0");
  const subscriber = new Redis({ port: redis.port, host: "127.0.0.1", lazyConnect: true });
  await subscriber.connect();
  let received: string[] = [];
  let sentinelSeen: (() => void) | undefined;
  subscriber.on("pmessageBuffer", (_pattern: Buffer, channel: Buffer, message: Buffer) => {
    const text = line(channel, message);
    if (text === SENTINEL) sentinelSeen?.();
    else received.push(text);
  });
  await subscriber.psubscribe("__key*__:*");
  return {
    async run(script) {
      await client.call("SELECT", "0");
      await client.call("FLUSHALL");
      await client.call("CONFIG", "SET", "notify-keyspace-events", script.flags ?? ALL_EVENTS);
      received = [];
      await runSteps(client, script.steps);
      await client.call("SELECT", "0");
      // Messages arrive in publish order: once the sentinel's arrived, every earlier one has.
      const done = new Promise<void>((resolve) => (sentinelSeen = resolve));
      await client.call("PUBLISH", "__keyspace@0__:sentinel", "end");
      await done;
      return received;
    },
    async stop() {
      subscriber.disconnect();
      client.close();
      await redis.stop();
    },
  };
}

const SENTINEL = "__keyspace@0__:sentinel end";

/** Keyspace events recorded by a MessageSink, for tests. */
export class RecordingSink implements MessageSink {
  readonly events: KeyspaceEvent[] = [];
  publish(): void {}
  keyspaceEvents(events: readonly KeyspaceEvent[]): void {
    this.events.push(...events);
  }
}

/** An in-process Materia whose keyspace events are recorded; `sweepIntervalMs` large keeps expiry lazy. */
export async function materiaTarget(options: { readonly sweepIntervalMs: number; readonly engine?: Engine; readonly auth?: Authenticator }): Promise<EventTarget & { readonly server: MateriaServer; readonly port: number; readonly sink: RecordingSink }> {
  const sink = new RecordingSink();
  const server = new MateriaServer({
    engine: options.engine ?? new MemoryEngine(),
    auth: options.auth ?? openAccess(),
    version: "test",
    dataDirectory: "",
    sweepIntervalMs: options.sweepIntervalMs,
    messages: sink,
  });
  const listener = await server.listen(await runtimeListen(), { host: "127.0.0.1", port: 0 });
  const client = await RawClient.connect(listener.port);
  return {
    server,
    port: listener.port,
    sink,
    async run(script) {
      await client.call("SELECT", "0");
      await client.call("FLUSHALL");
      await client.call("CONFIG", "SET", "notify-keyspace-events", script.flags ?? ALL_EVENTS);
      sink.events.length = 0;
      await runSteps(client, script.steps);
      return messagesOf(server, sink.events);
    },
    async stop() {
      client.close();
      await server.shutdown({ timeoutMs: 2_000 });
    },
  };
}

/** The messages `events` publish, each tenant's under its own setting. */
export function messagesOf(server: MateriaServer, events: readonly KeyspaceEvent[]): string[] {
  const out: string[] = [];
  for (const messages of keyspaceMessagesByTenant((tenant) => server.notifications.effectiveFor(tenant), events).values()) {
    for (const { channel, message } of messages) out.push(line(channel, message));
  }
  return out;
}
