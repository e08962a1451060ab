// Differential tests: every script of cases.ts runs against a real
// redis-server and against Materia (memory engine, then SQLite engine), each
// on a fresh connection after FLUSHALL; replies must be byte-identical, or
// equal after the step's normalization (cases.ts `Compare`).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { SqliteEngine } from "../../src/engine/sqlite/engine.ts";
import { TempDirs } from "../engine/sqlite_support.ts";
import { encodeCommand, RawClient } from "../support/raw_client.ts";
import { redisServerAvailable, startRedis, type RedisProcess } from "../support/redis_server.ts";
import { runtimeOpenSqlite } from "../support/runtime.ts";
import { defaultTestEngineName, startInProcess, type RunningServer } from "../support/servers.ts";
import { ALL_CASES, ALL_METADATA_COMMANDS } from "./all_cases.ts";
import { bin, type Arg, type CommandStep, type DifferentialCase, type Step } from "./case_types.ts";
import { decode, firstDifference, maskHello, maskInteger, show, sortedAggregate, type RespValue } from "./compare.ts";

const REPLY_TIMEOUT_MS = 2_000;
const CLOSE_TIMEOUT_MS = 2_000;
const MAX_SCAN_PAGES = 10_000;

const skipAll = (await redisServerAvailable()) ? false : "redis-server is not installed";

interface Observation {
  readonly label: string;
  readonly bytes: string;
  /** Integer replies may differ by this much (TTLs). */
  readonly tolerance?: number;
}

function latin1(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

function describeArgv(argv: readonly (string | Uint8Array)[]): string {
  return argv.map((arg) => {
    const text = typeof arg === "string" ? arg : latin1(arg);
    return text.length > 60 ? `<${typeof arg === "string" ? new TextEncoder().encode(arg).length : arg.length} bytes>` : JSON.stringify(text);
  }).join(" ");
}

function send(client: RawClient, argv: readonly (string | Uint8Array)[]): Promise<string> {
  client.writeRaw(encodeCommand(argv));
  return client.readReply(REPLY_TIMEOUT_MS);
}

/**
 * A full SCAN (or HSCAN/SSCAN: key first, then cursor) iteration from cursor
 * 0: the sorted set of items (HSCAN's as field=value pairs), or the first
 * page's bytes when it is not a page.
 */
async function scanIteration(client: RawClient, argv: readonly (string | Uint8Array)[]): Promise<string> {
  const keys = new Set<string>();
  let cursor = "0";
  const command = (typeof argv[0] === "string" ? argv[0] : latin1(argv[0]!)).toUpperCase();
  const cursorAt = command === "SCAN" ? 1 : 2;
  const pairs = command === "HSCAN" && !argv.some((a) => typeof a === "string" && a.toUpperCase() === "NOVALUES");
  for (let pages = 0; pages < MAX_SCAN_PAGES; pages++) {
    const reply = await send(client, [...argv.slice(0, cursorAt), cursor, ...argv.slice(cursorAt + 1)]);
    const page: RespValue = decode(reply);
    const [next, found] = page.items;
    if (page.type !== "*" || page.items.length !== 2 || next?.type !== "$" || found?.type !== "*") {
      return pages === 0 ? reply : `page ${pages} is not a SCAN page: ${show(reply)}`;
    }
    const items = found.items.map((item) => item.value ?? "<null>");
    if (pairs) for (let i = 0; i < items.length; i += 2) keys.add(`${items[i]}=${items[i + 1]}`);
    else for (const item of items) keys.add(item);
    cursor = next.value!;
    if (cursor === "0") return `keys ${JSON.stringify([...keys].sort())}`;
  }
  return `no end after ${MAX_SCAN_PAGES} pages`;
}

function isArgv(step: Step): step is readonly Arg[] {
  return Array.isArray(step);
}

async function runStep(client: RawClient, step: Step): Promise<Observation | undefined> {
  if ("sleep" in step) {
    await new Promise((resolve) => setTimeout(resolve, step.sleep));
    return undefined;
  }
  if ("raw" in step) {
    const label = `raw ${show(step.raw, 60)}`;
    let bytes = "";
    try {
      client.writeRaw(bin(step.raw));
      for (let i = 0; i < step.replies; i++) bytes += await client.readReply(REPLY_TIMEOUT_MS);
      if (step.closes) bytes += (await client.closedByServer(CLOSE_TIMEOUT_MS)) ? " <connection closed>" : " <connection still open>";
    } catch (error) {
      bytes += `<${(error as Error).message}>`;
    }
    return { label, bytes };
  }
  const { argv, compare }: CommandStep = isArgv(step) ? { argv: step, compare: "exact" } : step;
  const args = argv.map((arg) => (typeof arg === "function" ? arg() : arg));
  const label = describeArgv(args) + (compare === "exact" ? "" : ` (compare: ${compare})`);
  try {
    if (compare === "scan") return { label, bytes: await scanIteration(client, args) };
    const reply = await send(client, args);
    switch (compare) {
      case "unordered":
        return { label, bytes: sortedAggregate(reply) };
      case "hello":
        return { label, bytes: maskHello(reply) };
      case "integer":
        return { label, bytes: maskInteger(reply) };
      case "ttl":
        return { label, bytes: reply, tolerance: 1 };
      case "pttl":
        return { label, bytes: reply, tolerance: 100 };
      default:
        return { label, bytes: reply };
    }
  } catch (error) {
    return { label, bytes: `<${(error as Error).message}>` };
  }
}

/** Runs a script on a fresh connection after FLUSHALL. */
async function runScript(port: number, script: DifferentialCase): Promise<Observation[]> {
  const client = await RawClient.connect(port);
  try {
    const flushed = await send(client, ["FLUSHALL"]);
    if (flushed !== "+OK\r\n") throw new Error(`FLUSHALL on port ${port} answered ${show(flushed)}`);
    const steps: Step[] = script.resp3 ? [{ argv: ["HELLO", "3"], compare: "hello" }, ...script.steps] : [...script.steps];
    const observations: Observation[] = [];
    for (const step of steps) {
      const observation = await runStep(client, step);
      if (observation) observations.push(observation);
    }
    return observations;
  } finally {
    client.close();
  }
}

/** Two integer replies closer than the step's tolerance. */
function withinTolerance(redis: Observation | undefined, ours: Observation | undefined): boolean {
  const tolerance = redis?.tolerance ?? 0;
  const a = /^:(-?\d+)\r\n$/.exec(redis?.bytes ?? "");
  const b = /^:(-?\d+)\r\n$/.exec(ours?.bytes ?? "");
  return tolerance > 0 && a !== null && b !== null && Math.abs(Number(a[1]) - Number(b[1])) <= tolerance;
}

function mismatches(redis: readonly Observation[], ours: readonly Observation[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.max(redis.length, ours.length); i++) {
    const r = redis[i];
    const o = ours[i];
    if (r?.bytes === o?.bytes || withinTolerance(r, o)) continue;
    out.push(
      `step ${i + 1}: ${r?.label ?? o?.label}\n    redis: ${show(r?.bytes ?? "<no step>")}\n    ours:  ${show(o?.bytes ?? "<no step>")}` +
        firstDifference(r?.bytes ?? "", o?.bytes ?? ""),
    );
  }
  return out;
}

interface EntryMetadata {
  readonly name: string;
  readonly arity: string;
  readonly flags: string;
  readonly keys: string;
}

/** The comparable part of one COMMAND INFO entry: name, arity, flags (as a set), first/last/step. */
function metadataOf(entry: RespValue): EntryMetadata | undefined {
  if (entry.value === null || entry.items.length < 6) return undefined;
  const [name, arity, flags, first, last, step] = entry.items;
  return {
    name: name!.value ?? "",
    arity: arity!.value ?? "",
    flags: flags!.items.map((f) => f.value ?? "").sort().join(" "),
    keys: `${first!.value} ${last!.value} ${step!.value}`,
  };
}

async function commandInfo(port: number, name: string): Promise<{ reply: string; entry: EntryMetadata | undefined }> {
  const client = await RawClient.connect(port);
  try {
    const reply = await send(client, ["COMMAND", "INFO", name]);
    const value = decode(reply);
    return { reply, entry: value.items[0] ? metadataOf(value.items[0]) : undefined };
  } finally {
    client.close();
  }
}

describe("differential against redis-server", { skip: skipAll }, () => {
  const dirs = new TempDirs();
  let redis: RedisProcess | undefined;
  let memory: RunningServer | undefined;
  let sqlite: RunningServer | undefined;

  before(async () => {
    redis = await startRedis();
    memory = await startInProcess();
    const engine = await SqliteEngine.open(dirs.make("differential"), { openDriver: await runtimeOpenSqlite() });
    sqlite = await startInProcess({ engine });
  });

  after(async () => {
    await redis?.stop();
    await memory?.stop();
    await sqlite?.stop();
    dirs.removeAll();
  });

  for (const [engineName, target] of [[defaultTestEngineName, () => memory!], ["sqlite", () => sqlite!]] as const) {
    describe(`${engineName} engine`, () => {
      for (const script of ALL_CASES) {
        test(script.name, { skip: script.skip ?? false }, async () => {
          const [theirs, ours] = await Promise.all([runScript(redis!.port, script), runScript(target().port, script)]);
          const found = mismatches(theirs, ours);
          assert.equal(found.length, 0, `${found.length} of ${theirs.length} replies differ from Redis's:\n  ${found.join("\n  ")}`);
        });
      }
    });
  }

  describe("COMMAND INFO metadata equals Redis's", () => {
    for (const name of ALL_METADATA_COMMANDS) {
      test(`${name}: name, arity, flags and key positions`, async () => {
        const [theirs, ours] = await Promise.all([commandInfo(redis!.port, name), commandInfo(memory!.port, name)]);
        assert.ok(theirs.entry, `COMMAND INFO ${name}: Redis does not describe it (${show(theirs.reply)}); drop it from METADATA_COMMANDS`);
        assert.ok(ours.entry, `COMMAND INFO ${name}: Redis describes it, we answer ${show(ours.reply)}`);
        assert.deepEqual(ours.entry, theirs.entry, `COMMAND INFO ${name}: ours (actual) differs from Redis's (expected)`);
      });
    }
  });
});
