// Reading and normalizing exact reply bytes for the differential tests.
// Replies are latin1 strings (one char per byte), as RawClient returns them.
import { replyLength } from "../support/raw_client.ts";

/** A decoded reply: scalars keep their text, aggregates their items (maps flattened). */
export interface RespValue {
  /** The RESP type byte: "+", "-", ":", "$", "*", "%", "~", "_", ... */
  readonly type: string;
  /** Scalars: the text (bulk payload, simple string, integer digits); null for nulls. */
  readonly value: string | null;
  /** Aggregates: the items, a map's keys and values alternating. */
  readonly items: readonly RespValue[];
  /** The exact bytes of this value. */
  readonly raw: string;
}

function toBytes(latin1: string): Uint8Array {
  const out = new Uint8Array(latin1.length);
  for (let i = 0; i < latin1.length; i++) out[i] = latin1.charCodeAt(i);
  return out;
}

/** Decodes one complete reply. */
export function decode(reply: string): RespValue {
  const bytes = toBytes(reply);
  const [value, end] = decodeAt(reply, bytes, 0);
  if (end !== reply.length) throw new Error(`trailing bytes after a reply: ${show(reply.slice(end))}`);
  return value;
}

function decodeAt(reply: string, bytes: Uint8Array, start: number): [RespValue, number] {
  const length = replyLength(bytes, start);
  if (length < 0) throw new Error(`incomplete reply: ${show(reply.slice(start))}`);
  const end = start + length;
  const raw = reply.slice(start, end);
  const type = reply[start]!;
  const headerEnd = reply.indexOf("\r\n", start);
  const header = reply.slice(start + 1, headerEnd);
  switch (type) {
    case "$": case "=": case "!":
      return [{ type, value: Number(header) < 0 ? null : reply.slice(headerEnd + 2, end - 2), items: [], raw }, end];
    case "*": case "~": case ">": case "%": case "|": {
      const count = Number(header) < 0 ? 0 : Number(header) * (type === "%" || type === "|" ? 2 : 1);
      const items: RespValue[] = [];
      let at = headerEnd + 2;
      for (let i = 0; i < count; i++) {
        const [item, next] = decodeAt(reply, bytes, at);
        items.push(item);
        at = next;
      }
      return [{ type, value: Number(header) < 0 ? null : header, items, raw }, end];
    }
    case "_":
      return [{ type, value: null, items: [], raw }, end];
    default:
      return [{ type, value: header, items: [], raw }, end];
  }
}

/** KEYS and friends: the same elements in any order. */
export function sortedAggregate(reply: string): string {
  const value = decode(reply);
  if (value.type !== "*" && value.type !== "~") return reply;
  const header = reply.slice(0, reply.indexOf("\r\n") + 2);
  return header + value.items.map((item) => item.raw).sort().join("");
}

/** HELLO: the `version` and `id` values differ by nature; everything else must match. */
export function maskHello(reply: string): string {
  return reply
    .replace(/(\$7\r\nversion\r\n)\$\d+\r\n[^\r]*\r\n/, "$1<version>")
    .replace(/(\$2\r\nid\r\n):\d+\r\n/, "$1<id>");
}

/** CLIENT ID: any integer. */
export function maskInteger(reply: string): string {
  return /^:\d+\r\n$/.test(reply) ? ":<integer>\r\n" : reply;
}

/**
 * Stream ids generated from the clock (XADD `*`): bulk strings `<ms>-<seq>`
 * whose ms has 13 digits or more, masked; explicit small ids stay exact.
 */
export function maskTimeIds(reply: string): string {
  return reply.replace(/\$\d+\r\n\d{13,}-\d+\r\n/g, () => "$<time-id>\r\n");
}

/** How finely the stream-time masker keeps times: differences below it are timing noise. */
const STREAM_TIME_GRAIN_MS = 10_000;
/** An idle time or delivery time this close to now is a clock reading; farther ones were given explicitly (XCLAIM TIME 1000). */
const CLOCK_WINDOW_MS = 86_400_000;

const grainSeconds = (ms: number): number => Math.round(ms / STREAM_TIME_GRAIN_MS) * (STREAM_TIME_GRAIN_MS / 1000) || 0;

/** An idle time in ms: rounded; a huge one (the entry was given an old delivery time) as that time instead. */
function idleToken(ms: number, now: number): string {
  return ms < CLOCK_WINDOW_MS ? `<idle ~${grainSeconds(ms)} s>` : `<delivered ~${grainSeconds(now - ms)} s after the epoch>`;
}

/** A unix time in ms: near now, how long ago (rounded); else exact (a time the case gave). */
function clockToken(ms: number, now: number): string | undefined {
  return Math.abs(now - ms) < CLOCK_WINDOW_MS ? `<~${grainSeconds(now - ms)} s ago>` : undefined;
}

/** `value` rebuilt with the scalars `replace` names replaced (a token in the scalar's type), aggregates' headers kept. */
function rebuild(value: RespValue, replace: (item: RespValue, parent: RespValue, index: number, depth: number) => string | undefined, depth = 0): string {
  if (value.items.length === 0) return value.raw;
  const header = value.raw.slice(0, value.raw.indexOf("\r\n") + 2);
  return header + value.items.map((item, i) => {
    const token = replace(item, value, i, depth + 1);
    return token === undefined ? rebuild(item, replace, depth + 1) : `${item.type}${token}\r\n`;
  }).join("");
}

const isInteger = (item: RespValue | undefined): item is RespValue => item?.type === ":" && item.value !== null;
const isBulk = (item: RespValue | undefined): boolean => item?.type === "$" || item?.type === "+";

/**
 * Consumer-group replies made independent of the clock: XPENDING's extended
 * form (each entry's idle time), XINFO CONSUMERS (`idle`), XINFO STREAM FULL
 * (`seen-time`, and the delivery time of each pending entry) keep their times
 * rounded to 10 s, so "just delivered" and "claimed with IDLE 100000" still
 * differ while milliseconds of scheduling do not; an explicit old time (XCLAIM
 * TIME 1000) stays exact. Clock ids are masked as by maskTimeIds. Field
 * names are recognised in key-value position (RESP2 arrays or RESP3 maps),
 * so a case's own stream fields must not be named `idle` or `seen-time`.
 * XINFO STREAM's `radix-tree-keys` and `radix-tree-nodes` stay exact:
 * Materia reports the figures Redis gives for a stream of one radix-tree
 * node (under 100 entries), which is what the cases use.
 */
export function maskStreamTimes(reply: string, now = Date.now()): string {
  const replace = (item: RespValue, parent: RespValue, index: number, depth: number): string | undefined => {
    const key = index % 2 === 1 ? parent.items[index - 1] : undefined;
    const field = isBulk(key) ? key!.value : null;
    if (field === "idle" && isInteger(item)) return idleToken(Number(item.value), now);
    if (field === "seen-time" && isInteger(item)) return clockToken(Number(item.value), now);
    // XINFO STREAM FULL: a group's pending entries are [id, consumer, delivery time, count], a consumer's [id, delivery time, count].
    if (parent.items.length === 4 && index === 2 && depth >= 4 && isBulk(parent.items[1]) && isInteger(item)) return clockToken(Number(item.value), now);
    if (parent.items.length === 3 && index === 1 && depth >= 4 && isBulk(parent.items[0]) && isInteger(item)) return clockToken(Number(item.value), now);
    // XPENDING's extended form: [id, consumer, idle, deliveries] at the top level.
    if (depth === 2 && parent.items.length === 4 && index === 2 && isBulk(parent.items[0]) && isBulk(parent.items[1]) && isInteger(item)) return idleToken(Number(item.value), now);
    return undefined;
  };
  let value: RespValue;
  try {
    value = decode(reply);
  } catch {
    return reply;
  }
  return maskTimeIds(rebuild(value, replace));
}

/**
 * SLOWLOG GET and LATENCY replies made independent of the clock, of the
 * machine's speed and of what ran before: a slow log entry [id, time,
 * duration, args, addr, name] keeps its arguments and client name; its id
 * becomes its distance to the newest entry's, its time (when within a day of
 * now), duration and "ip:port" are masked. LATENCY LATEST's [event, time,
 * latest, max] keeps the event; a LATENCY HISTORY of [time, ms] pairs becomes
 * "<samples>" (how many depends on how many seconds the case spanned).
 */
export function maskDiagnostics(reply: string, now = Date.now()): string {
  let value: RespValue;
  try {
    value = decode(reply);
  } catch {
    return reply;
  }
  if (value.type !== "*" || value.items.length === 0) return reply;
  const nowSeconds = Math.floor(now / 1000);
  const recent = (item: RespValue | undefined) => isInteger(item) && Math.abs(Number(item!.value) - nowSeconds) < 86_400;
  const items = value.items;
  const isEntry = (e: RespValue) => e.type === "*" && e.items.length === 6 && isInteger(e.items[0]) && recent(e.items[1]) && isInteger(e.items[2]) && e.items[3]!.type === "*";
  if (items.every(isEntry)) {
    const newest = Number(items[0]!.items[0]!.value);
    const masked = items.map((e) => {
      const [id, , , args, addr, name] = e.items as [RespValue, RespValue, RespValue, RespValue, RespValue, RespValue];
      const address = /^[\d.]+:\d+$/.test(addr.value ?? "") ? "$6\r\n<addr>\r\n" : addr.raw;
      return `*6\r\n:id${Number(id.value) - newest}\r\n:<time>\r\n:<usec>\r\n${args.raw}${address}${name.raw}`;
    });
    return `*${items.length}\r\n${masked.join("")}`;
  }
  const isLatest = (e: RespValue) => e.type === "*" && e.items.length === 4 && e.items[0]!.type === "$" && recent(e.items[1]) && isInteger(e.items[2]) && isInteger(e.items[3]);
  if (items.every(isLatest)) return `*${items.length}\r\n${items.map((e) => `*4\r\n${e.items[0]!.raw}:<time>\r\n:<ms>\r\n:<ms>\r\n`).join("")}`;
  const isSample = (e: RespValue) => e.type === "*" && e.items.length === 2 && recent(e.items[0]) && isInteger(e.items[1]);
  if (items.every(isSample)) return "<samples>";
  return reply;
}

/** Bytes for display: escaped, and cut when long. */
export function show(bytes: string, max = 240): string {
  if (bytes.length <= max) return JSON.stringify(bytes);
  return `${JSON.stringify(bytes.slice(0, max))}… (${bytes.length} bytes)`;
}

/** Where two long byte strings start to differ, for the failure message. */
export function firstDifference(a: string, b: string, names = { a: "redis", b: "ours" }): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return "";
  return ` first difference at byte ${i}: ${names.a} ${show(a.slice(i, i + 40))} vs ${names.b} ${show(b.slice(i, i + 40))}`;
}
