// Running one differential case against one server (Redis or Materia) and
// turning its replies into observations: the reply bytes after the step's
// normalization (case_types.ts `Compare`). The differential test and
// scripts/record_differential.ts both call runCase and commandInfo, so a
// recording holds exactly what the live test compares.
import { encodeCommand, RawClient } from "../support/raw_client.ts";
import { bin, type Arg, type CommandStep, type DifferentialCase, type Step } from "./case_types.ts";
import { decode, firstDifference, maskDiagnostics, maskHello, maskInteger, maskStreamTimes, maskTimeIds, show, sortedAggregate, type RespValue } from "./compare.ts";

const REPLY_TIMEOUT_MS = 2_000;
const CLOSE_TIMEOUT_MS = 2_000;
const MAX_SCAN_PAGES = 10_000;
/** A ttl/pttl integer this close to the clock is an absolute time (EXPIRETIME): kept relative to now. */
const NEAR_NOW_S = 86_400;
/** A ttl/pttl integer above this many seconds (3 million years) counts down to a fixed far time. */
const FAR_TTL_S = 100_000_000_000_000n;

export interface Observation {
  /** The step, stable across runs (argument functions such as msFromNow show as `<time>`). */
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

function describeArgv(argv: readonly Arg[]): string {
  return argv.map((arg) => {
    if (typeof arg === "function") return "<time>";
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

/**
 * A TTL-like integer reply, made independent of when it is observed: an
 * absolute time near the clock (EXPIRETIME of a key set with EXAT now+200)
 * becomes `now+200`, a TTL to a far-future time (PEXPIREAT INT64_MAX) becomes
 * `<that time>-now`; other integers stay as they are.
 */
function timeReply(reply: string, unitMs: number): string {
  const match = /^:(-?\d+)\r\n$/.exec(reply);
  if (!match) return reply;
  const value = BigInt(match[1]!);
  const now = BigInt(Math.floor(Date.now() / unitMs));
  const delta = value - now;
  const unitsPerDay = BigInt(NEAR_NOW_S * 1000 / unitMs);
  if (delta < unitsPerDay && delta > -unitsPerDay) return `now${delta < 0n ? "" : "+"}${delta}`;
  if (value > FAR_TTL_S * 1000n / BigInt(unitMs)) return `${value + now}-now`;
  return reply;
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
  const label = describeArgv(argv) + (compare === "exact" ? "" : ` (compare: ${compare})`);
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
      case "timeIds":
        return { label, bytes: maskTimeIds(reply) };
      case "streamTimes":
        return { label, bytes: maskStreamTimes(reply) };
      case "diagnostics":
        return { label, bytes: maskDiagnostics(reply) };
      case "ttl":
        return { label, bytes: timeReply(reply, 1000), tolerance: 1 };
      case "pttl":
        return { label, bytes: timeReply(reply, 1), tolerance: 100 };
      default:
        return { label, bytes: reply };
    }
  } catch (error) {
    return { label, bytes: `<${(error as Error).message}>` };
  }
}

/** Runs a case on a fresh connection after FLUSHALL: one observation per step (sleeps have none). */
export async function runCase(port: number, script: DifferentialCase): Promise<Observation[]> {
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

/** Two integer replies (or two `now±N`, or two `N-now`) closer than the step's tolerance. */
export function withinTolerance(redis: Observation | undefined, ours: Observation | undefined): boolean {
  const tolerance = redis?.tolerance ?? 0;
  const pattern = /^(?::(-?\d+)\r\n|now([+-]\d+)|(\d+)-now)$/;
  const a = pattern.exec(redis?.bytes ?? "");
  const b = pattern.exec(ours?.bytes ?? "");
  if (tolerance === 0 || a === null || b === null) return false;
  const kind = (m: RegExpExecArray) => [1, 2, 3].find((i) => m[i] !== undefined)!;
  if (kind(a) !== kind(b)) return false;
  const difference = BigInt(a[kind(a)]!) - BigInt(b[kind(b)]!);
  return (difference < 0n ? -difference : difference) <= BigInt(tolerance);
}

/** The steps whose observations differ, one message each (`theirs` names the reference: redis, recorded...). */
export function mismatches(redis: readonly Observation[], ours: readonly Observation[], names = { theirs: "redis", ours: "ours" }): string[] {
  const out: string[] = [];
  const pad = Math.max(names.theirs.length, names.ours.length) + 1;
  for (let i = 0; i < Math.max(redis.length, ours.length); i++) {
    const r = redis[i];
    const o = ours[i];
    if (r?.bytes === o?.bytes || withinTolerance(r, o)) continue;
    out.push(
      `step ${i + 1}: ${r?.label ?? o?.label}\n    ${`${names.theirs}:`.padEnd(pad)} ${show(r?.bytes ?? "<no step>")}\n    ${`${names.ours}:`.padEnd(pad)} ${show(o?.bytes ?? "<no step>")}` +
        firstDifference(r?.bytes ?? "", o?.bytes ?? "", { a: names.theirs, b: names.ours }),
    );
  }
  return out;
}

export interface EntryMetadata {
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

export async function commandInfo(port: number, name: string): Promise<{ reply: string; entry: EntryMetadata | undefined }> {
  const client = await RawClient.connect(port);
  try {
    const reply = await send(client, ["COMMAND", "INFO", name]);
    const value = decode(reply);
    return { reply, entry: value.items[0] ? metadataOf(value.items[0]) : undefined };
  } finally {
    client.close();
  }
}

/** The `redis_version` of INFO server (Materia answers with the version it claims). */
export async function serverVersion(port: number): Promise<string> {
  const client = await RawClient.connect(port);
  try {
    const value = decode(await send(client, ["INFO", "server"]));
    return /^redis_version:(\S+)/m.exec(value.value ?? "")?.[1] ?? "unknown";
  } finally {
    client.close();
  }
}
