// Keyspace events of a command sequence, as a client subscribed to
// `__key*__:*` receives them, from a real redis-server and from Materia
// alike: a subscriber connection collects `<channel> <message>` lines while
// another connection runs the commands.
import { Redis } from "ioredis";
import { openAccess } from "../../src/auth/static_password.ts";
import type { Authenticator } from "../../src/commands/spec.ts";
import { MateriaServer } from "../../src/server/server.ts";
import { RawClient } from "./raw_client.ts";
import { startRedis } from "./redis_server.ts";
import { runtimeListen } from "./runtime.ts";
import { defaultTestEngine } from "./servers.ts";

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

/** Where a case runs: each gives the messages the case's commands published. */
export interface EventTarget {
  readonly port: number;
  run(script: EventCase): Promise<string[]>;
  stop(): Promise<void>;
}

/** The sentinel published after a case: every message published before it has arrived once it has. */
const SENTINEL = ["__keyspace@0__:sentinel", "end"] as const;

/** A `__key*__:*` subscriber (authenticated with `token` when given) collecting message lines. */
export class EventSubscriber {
  private received: string[] = [];
  private sentinelSeen: (() => void) | undefined;

  private constructor(private readonly redis: Redis) {
    redis.on("pmessageBuffer", (_pattern: Buffer, channel: Buffer, message: Buffer) => {
      const line = `${TEXT.decode(channel)} ${TEXT.decode(message)}`;
      if (line === SENTINEL.join(" ")) this.sentinelSeen?.();
      else this.received.push(line);
    });
  }

  static async connect(port: number, token?: string): Promise<EventSubscriber> {
    const redis = new Redis({ port, host: "127.0.0.1", lazyConnect: true, password: token, maxRetriesPerRequest: 0 });
    await redis.connect();
    await redis.psubscribe("__key*__:*");
    return new EventSubscriber(redis);
  }

  /** Forgets what arrived so far. */
  clear(): void {
    this.received = [];
  }

  /** Everything that arrived before the sentinel `publisher` publishes now (on its tenant's channels). */
  async drain(publisher: RawClient): Promise<string[]> {
    const seen = new Promise<void>((resolve) => (this.sentinelSeen = resolve));
    await publisher.call("PUBLISH", ...SENTINEL);
    await seen;
    const out = this.received;
    this.received = [];
    return out;
  }

  close(): void {
    this.redis.disconnect();
  }
}

async function runSteps(client: RawClient, steps: readonly EventStep[]): Promise<void> {
  for (const step of steps) {
    if ("sleepMs" in step) await new Promise((resolve) => setTimeout(resolve, step.sleepMs));
    else await client.call(...step);
  }
}

/** Runs cases on the server at `port`: one connection for the commands, one subscriber. */
async function subscribedTarget(port: number, stopServer: () => Promise<void>): Promise<EventTarget & { readonly client: RawClient }> {
  const client = await RawClient.connect(port);
  const subscriber = await EventSubscriber.connect(port);
  return {
    port,
    client,
    async run(script) {
      await client.call("SELECT", "0");
      await client.call("FLUSHALL");
      await client.call("CONFIG", "SET", "notify-keyspace-events", script.flags ?? ALL_EVENTS);
      subscriber.clear();
      await runSteps(client, script.steps);
      await client.call("SELECT", "0");
      return subscriber.drain(client);
    },
    async stop() {
      subscriber.close();
      client.close();
      await stopServer();
    },
  };
}

/** A redis-server; `activeExpiry` false turns its expire cycle off (DEBUG SET-ACTIVE-EXPIRE 0), so expiry is lazy only. */
export async function redisTarget(options: { readonly activeExpiry: boolean }): Promise<EventTarget> {
  const redis = await startRedis({ args: ["--enable-debug-command", "yes"] });
  const target = await subscribedTarget(redis.port, () => redis.stop());
  await target.client.call("DEBUG", "SET-ACTIVE-EXPIRE", options.activeExpiry ? "1" : "0");
  return target;
}

/** An in-process Materia on the tests' engine (memory, or FoundationDB under test:fdb-sim); a long `sweepIntervalMs` keeps expiry lazy. */
export async function startNotifyingServer(options: { readonly sweepIntervalMs: number; readonly auth?: Authenticator }): Promise<{ server: MateriaServer; port: number; stop(): Promise<void> }> {
  const server = new MateriaServer({
    engine: await defaultTestEngine(),
    auth: options.auth ?? openAccess(),
    version: "test",
    dataDirectory: "",
    sweepIntervalMs: options.sweepIntervalMs,
  });
  const listener = await server.listen(await runtimeListen(), { host: "127.0.0.1", port: 0 });
  return { server, port: listener.port, stop: () => server.shutdown({ timeoutMs: 2_000 }) };
}

/** Materia as a target of the same cases. */
export async function materiaTarget(options: { readonly sweepIntervalMs: number }): Promise<EventTarget> {
  const running = await startNotifyingServer(options);
  return subscribedTarget(running.port, () => running.stop());
}
