// A reference model of one Redis stream with consumer groups, written from
// Redis 7.0's t_stream.c and checked against redis-server by
// stream_groups_test.ts: XADD, XREADGROUP (`>` and history, COUNT, NOACK),
// XACK, XCLAIM, XAUTOCLAIM, XPENDING, XGROUP CREATE / CREATECONSUMER /
// DELCONSUMER / SETID, XDEL, XTRIM, and the reads the final checks use.
// Replies are RESP2 wire text.
//
// Time is modelled in two buckets, since a test cannot know exact idle times:
// a pending entry is "recent" (delivered or claimed during the test, idle far
// below IDLE_THRESHOLD_MS) or "old" (given an idle time far above it by
// XCLAIM IDLE or TIME). Commands only ever use 0 or IDLE_THRESHOLD_MS as a
// minimum idle time, and XPENDING's idle column is compared by bucket, so
// every reply is deterministic.

/** Idle times at or above this are "old"; the test never runs anywhere near this long. */
export const IDLE_THRESHOLD_MS = 1_000_000;
/** What XCLAIM IDLE gives an entry to make it old. */
export const OLD_IDLE_MS = 5_000_000;

export interface StreamId {
  readonly ms: number;
  readonly seq: number;
}

interface Entry {
  readonly id: StreamId;
  readonly fields: readonly string[];
}

/** A pending entry: its owner, its delivery count, and its idle bucket. */
interface Nack {
  consumer: string;
  deliveries: number;
  old: boolean;
}

interface Group {
  lastId: StreamId;
  /** Id text → pending entry, the group's PEL (each consumer's PEL is the part it owns). */
  readonly pel: Map<string, Nack>;
  readonly consumers: Set<string>;
}

export interface StreamState {
  readonly entries: Entry[];
  lastId: StreamId;
  readonly groups: Map<string, Group>;
}

/** What a command did that the test's invariants need: deliveries through `>` and moves of a group's last-delivered id. */
export interface StepEvents {
  readonly deliveredNew: Array<{ group: string; id: StreamId }>;
  readonly moved: Array<{ group: string; from: StreamId | undefined; to: StreamId }>;
}

export interface StepResult {
  readonly reply: string;
  /** The state after the command (the input state is left as it was). */
  readonly state: StreamState | undefined;
  readonly events: StepEvents;
}

/** The one stream key every command names. */
export const STREAM_KEY = "s";

const ZERO: StreamId = { ms: 0, seq: 0 };
const MAX_ID: StreamId = { ms: Number.MAX_SAFE_INTEGER, seq: Number.MAX_SAFE_INTEGER };

export const idText = (id: StreamId): string => `${id.ms}-${id.seq}`;
export function compareIds(a: StreamId, b: StreamId): number {
  return a.ms !== b.ms ? a.ms - b.ms : a.seq - b.seq;
}
export function parseId(text: string): StreamId {
  // A bare millisecond time means its first id, as Redis reads ids outside ranges.
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (m === null) throw new Error(`the model only takes ids, not ${text}`);
  return { ms: Number(m[1]), seq: Number(m[2] ?? "0") };
}
const nextId = (id: StreamId): StreamId => ({ ms: id.ms, seq: id.seq + 1 });
const previousId = (id: StreamId): StreamId => (id.seq > 0 ? { ms: id.ms, seq: id.seq - 1 } : { ms: id.ms - 1, seq: Number.MAX_SAFE_INTEGER });

// ---- RESP2 -------------------------------------------------------------------

export const bulk = (text: string): string => `$${text.length}\r\n${text}\r\n`;
const integer = (n: number): string => `:${n}\r\n`;
const array = (items: readonly string[]): string => `*${items.length}\r\n${items.join("")}`;
const error = (text: string): string => `-${text}\r\n`;
const OK = "+OK\r\n";
const NULL_BULK = "$-1\r\n";
const NULL_ARRAY = "*-1\r\n";
const entryReply = (entry: Entry): string => array([bulk(idText(entry.id)), array(entry.fields.map(bulk))]);

const NOGROUP = (group: string) => error(`NOGROUP No such key '${STREAM_KEY}' or consumer group '${group}'`);
const NOGROUP_XGROUP = (group: string) => error(`NOGROUP No such consumer group '${group}' for key name '${STREAM_KEY}'`);
const XGROUP_NEEDS_KEY = error(
  "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.",
);

// ---- state ---------------------------------------------------------------------

function cloneState(state: StreamState | undefined): StreamState | undefined {
  if (state === undefined) return undefined;
  const groups = new Map<string, Group>();
  for (const [name, g] of state.groups) {
    groups.set(name, {
      lastId: g.lastId,
      pel: new Map([...g.pel].map(([id, nack]) => [id, { ...nack }])),
      consumers: new Set(g.consumers),
    });
  }
  return { entries: [...state.entries], lastId: state.lastId, groups };
}

const findEntry = (s: StreamState, id: StreamId): Entry | undefined => s.entries.find((e) => compareIds(e.id, id) === 0);
/** The group's PEL in id order, optionally one consumer's part of it. */
function pelInOrder(group: Group, consumer?: string): Array<[StreamId, Nack]> {
  return [...group.pel]
    .map(([text, nack]) => [parseId(text), nack] as [StreamId, Nack])
    .filter(([, nack]) => consumer === undefined || nack.consumer === consumer)
    .sort((a, b) => compareIds(a[0], b[0]));
}

// ---- arguments -------------------------------------------------------------------

/** A range bound of XPENDING and XAUTOCLAIM: `-`, `+`, a full id, or `(id` exclusive. */
function rangeBound(text: string, isEnd: boolean): StreamId {
  if (text === "-") return ZERO;
  if (text === "+") return MAX_ID;
  if (text.startsWith("(")) return isEnd ? previousId(parseId(text.slice(1))) : nextId(parseId(text.slice(1)));
  return parseId(text);
}

/** Options after the fixed arguments, upper-cased names with their values. */
function options(args: readonly string[], withValue: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const name = args[i]!.toUpperCase();
    out.set(name, withValue.has(name) ? args[++i]! : "");
  }
  return out;
}

// ---- commands ----------------------------------------------------------------------

type Handler = (s: StreamState | undefined, args: readonly string[], events: StepEvents) => { reply: string; state: StreamState | undefined };

function ensureConsumer(group: Group, name: string): void {
  group.consumers.add(name);
}

function moveLastId(events: StepEvents, groupName: string, group: Group, to: StreamId): void {
  events.moved.push({ group: groupName, from: group.lastId, to });
  group.lastId = to;
}

const HANDLERS: Record<string, Handler> = {
  XADD(s, args) {
    const [, idArg, ...fields] = args as [string, string, ...string[]];
    let id: StreamId;
    const top = s?.lastId ?? ZERO;
    const partial = /^(\d+)-\*$/.exec(idArg);
    if (partial !== null) {
      const ms = Number(partial[1]);
      if (ms < top.ms) return { reply: error("ERR The ID specified in XADD is equal or smaller than the target stream top item"), state: s };
      id = ms === top.ms ? { ms, seq: top.seq + 1 } : { ms, seq: 0 };
    } else {
      id = parseId(idArg);
      if (compareIds(id, ZERO) === 0) return { reply: error("ERR The ID specified in XADD must be greater than 0-0"), state: s };
      if (compareIds(id, top) <= 0) return { reply: error("ERR The ID specified in XADD is equal or smaller than the target stream top item"), state: s };
    }
    const next: StreamState = s ?? { entries: [], lastId: ZERO, groups: new Map() };
    next.entries.push({ id, fields });
    next.lastId = id;
    return { reply: bulk(idText(id)), state: next };
  },

  XREADGROUP(s, args, events) {
    // GROUP g c [COUNT n] [NOACK] STREAMS s id
    const groupName = args[1]!;
    const consumerName = args[2]!;
    const streamsAt = args.findIndex((a) => a.toUpperCase() === "STREAMS");
    const opts = options(args.slice(3, streamsAt), new Set(["COUNT"]));
    const count = Math.max(0, Number(opts.get("COUNT") ?? "0"));
    const noack = opts.has("NOACK");
    const start = args[streamsAt + 2]!;
    const group = s?.groups.get(groupName);
    if (s === undefined || group === undefined) {
      return { reply: error(`NOGROUP No such key '${STREAM_KEY}' or consumer group '${groupName}' in XREADGROUP with GROUP option`), state: s };
    }
    const served = (items: readonly string[]) => array([array([bulk(STREAM_KEY), array(items)])]);
    if (start !== ">") {
      // History: the consumer's own PEL after the id; deleted entries come back as [id, nil].
      ensureConsumer(group, consumerName);
      const after = nextId(parseId(start));
      const items: string[] = [];
      for (const [id, nack] of pelInOrder(group, consumerName)) {
        if (compareIds(id, after) < 0) continue;
        if (count > 0 && items.length >= count) break;
        const entry = findEntry(s, id);
        if (entry === undefined) {
          items.push(array([bulk(idText(id)), NULL_ARRAY]));
        } else {
          nack.deliveries++;
          nack.old = false;
          items.push(entryReply(entry));
        }
      }
      return { reply: served(items), state: s };
    }
    const fresh = s.entries.filter((e) => compareIds(e.id, group.lastId) > 0);
    // Nothing newer than the group's last-delivered id: a null reply, and the consumer is not created.
    if (fresh.length === 0) return { reply: NULL_ARRAY, state: s };
    ensureConsumer(group, consumerName);
    const delivered = count > 0 ? fresh.slice(0, count) : fresh;
    for (const entry of delivered) {
      group.lastId = entry.id;
      events.deliveredNew.push({ group: groupName, id: entry.id });
      if (noack) continue;
      // Already pending (the group's id was set back): it moves to this consumer with one delivery.
      group.pel.set(idText(entry.id), { consumer: consumerName, deliveries: 1, old: false });
    }
    return { reply: served(delivered.map(entryReply)), state: s };
  },

  XACK(s, args) {
    const group = s?.groups.get(args[1]!);
    if (group === undefined) return { reply: integer(0), state: s };
    let acknowledged = 0;
    for (const id of args.slice(2)) if (group.pel.delete(idText(parseId(id)))) acknowledged++;
    return { reply: integer(acknowledged), state: s };
  },

  XCLAIM(s, args, events) {
    // s g consumer min-idle id... [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id]
    const [groupName, consumerName, minIdleArg] = [args[1]!, args[2]!, args[3]!];
    const group = s?.groups.get(groupName);
    if (s === undefined || group === undefined) return { reply: NOGROUP(groupName), state: s };
    const rest = args.slice(4);
    const firstOption = rest.findIndex((a) => !/^\d+-\d+$/.test(a));
    const ids = (firstOption < 0 ? rest : rest.slice(0, firstOption)).map(parseId);
    const opts = options(firstOption < 0 ? [] : rest.slice(firstOption), new Set(["IDLE", "TIME", "RETRYCOUNT", "LASTID"]));
    const minIdle = Number(minIdleArg);
    const justId = opts.has("JUSTID");
    const force = opts.has("FORCE");
    // IDLE and TIME set the delivery time: old when far in the past, else now (TIME in the future is clamped to now).
    let old = false;
    if (opts.has("IDLE")) old = Number(opts.get("IDLE")) >= IDLE_THRESHOLD_MS;
    if (opts.has("TIME")) old = Number(opts.get("TIME")) < Date.now() - IDLE_THRESHOLD_MS;
    const retryCount = opts.has("RETRYCOUNT") ? Number(opts.get("RETRYCOUNT")) : -1;
    if (opts.has("LASTID")) {
      const lastId = parseId(opts.get("LASTID")!);
      if (compareIds(lastId, group.lastId) > 0) moveLastId(events, groupName, group, lastId);
    }
    const items: string[] = [];
    for (const id of ids) {
      const key = idText(id);
      let nack = group.pel.get(key);
      const entry = findEntry(s, id);
      if (entry === undefined) {
        // A pending entry whose stream entry is gone is dropped from the PEL.
        group.pel.delete(key);
        continue;
      }
      let forced = false;
      if (force && nack === undefined) {
        nack = { consumer: "", deliveries: 1, old: false };
        group.pel.set(key, nack);
        forced = true;
      }
      if (nack === undefined) continue;
      if (!forced && minIdle > 0 && !(nack.old && minIdle <= IDLE_THRESHOLD_MS)) continue;
      ensureConsumer(group, consumerName);
      nack.consumer = consumerName;
      nack.old = old;
      if (retryCount >= 0) nack.deliveries = retryCount;
      else if (!justId) nack.deliveries++;
      items.push(justId ? bulk(key) : entryReply(entry));
    }
    return { reply: array(items), state: s };
  },

  XAUTOCLAIM(s, args) {
    // s g consumer min-idle start [COUNT n] [JUSTID]
    const [groupName, consumerName, minIdleArg, startArg] = [args[1]!, args[2]!, args[3]!, args[4]!];
    const group = s?.groups.get(groupName);
    if (s === undefined || group === undefined) return { reply: NOGROUP(groupName), state: s };
    const opts = options(args.slice(5), new Set(["COUNT"]));
    let count = Number(opts.get("COUNT") ?? "100");
    const justId = opts.has("JUSTID");
    const minIdle = Number(minIdleArg);
    let attempts = count * 10;
    const start = rangeBound(startArg, false);
    const candidates = pelInOrder(group).filter(([id]) => compareIds(id, start) >= 0);
    const claimed: string[] = [];
    const deleted: string[] = [];
    let examined = 0;
    // As Redis's loop: every PEL entry looked at costs an attempt; claims and deletions count against COUNT.
    while (attempts-- > 0 && count > 0 && examined < candidates.length) {
      const [id, nack] = candidates[examined++]!;
      const entry = findEntry(s, id);
      if (entry === undefined) {
        group.pel.delete(idText(id));
        deleted.push(bulk(idText(id)));
        count--;
        continue;
      }
      if (minIdle > 0 && !(nack.old && minIdle <= IDLE_THRESHOLD_MS)) continue;
      ensureConsumer(group, consumerName);
      nack.consumer = consumerName;
      nack.old = false;
      if (!justId) nack.deliveries++;
      claimed.push(justId ? bulk(idText(id)) : entryReply(entry));
      count--;
    }
    const cursor = examined < candidates.length ? candidates[examined]![0] : ZERO;
    return { reply: array([bulk(idText(cursor)), array(claimed), array(deleted)]), state: s };
  },

  XPENDING(s, args) {
    const groupName = args[1]!;
    const group = s?.groups.get(groupName);
    if (s === undefined || group === undefined) return { reply: NOGROUP(groupName), state: s };
    if (args.length === 2) {
      const pel = pelInOrder(group);
      if (pel.length === 0) return { reply: array([integer(0), NULL_BULK, NULL_BULK, NULL_ARRAY]), state: s };
      const perConsumer = [...group.consumers].sort()
        .map((name) => [name, pel.filter(([, n]) => n.consumer === name).length] as const)
        .filter(([, n]) => n > 0)
        .map(([name, n]) => array([bulk(name), bulk(String(n))]));
      return { reply: array([integer(pel.length), bulk(idText(pel[0]![0])), bulk(idText(pel.at(-1)![0])), array(perConsumer)]), state: s };
    }
    let rest = args.slice(2);
    let minIdle = 0;
    if (rest[0]!.toUpperCase() === "IDLE") {
      minIdle = Number(rest[1]);
      rest = rest.slice(2);
    }
    const start = rangeBound(rest[0]!, false);
    const end = rangeBound(rest[1]!, true);
    let count = Math.max(0, Number(rest[2]));
    const consumer = rest[3];
    if (consumer !== undefined && !group.consumers.has(consumer)) return { reply: array([]), state: s };
    const items: string[] = [];
    for (const [id, nack] of pelInOrder(group, consumer)) {
      if (count === 0) break;
      if (compareIds(id, start) < 0) continue;
      if (compareIds(id, end) > 0) break;
      if (minIdle > 0 && !(nack.old && minIdle <= IDLE_THRESHOLD_MS)) continue;
      count--;
      items.push(array([bulk(idText(id)), bulk(nack.consumer), idleBucket(nack.old), integer(nack.deliveries)]));
    }
    return { reply: array(items), state: s };
  },

  XGROUP(s, args, events) {
    const sub = args[0]!.toUpperCase();
    const groupName = args[2]!;
    const mkstream = sub === "CREATE" && args.slice(4).some((a) => a.toUpperCase() === "MKSTREAM");
    if (s === undefined && !mkstream) return { reply: XGROUP_NEEDS_KEY, state: s };
    const group = s?.groups.get(groupName);
    if (group === undefined && sub !== "CREATE") return { reply: NOGROUP_XGROUP(groupName), state: s };
    switch (sub) {
      case "CREATE": {
        const next: StreamState = s ?? { entries: [], lastId: ZERO, groups: new Map() };
        if (next.groups.has(groupName)) return { reply: error("BUSYGROUP Consumer Group name already exists"), state: next };
        const id = args[3] === "$" ? next.lastId : parseId(args[3]!);
        events.moved.push({ group: groupName, from: undefined, to: id });
        next.groups.set(groupName, { lastId: id, pel: new Map(), consumers: new Set() });
        return { reply: OK, state: next };
      }
      case "SETID":
        moveLastId(events, groupName, group!, args[3] === "$" ? s!.lastId : parseId(args[3]!));
        return { reply: OK, state: s };
      case "CREATECONSUMER": {
        const created = !group!.consumers.has(args[3]!);
        ensureConsumer(group!, args[3]!);
        return { reply: integer(created ? 1 : 0), state: s };
      }
      case "DELCONSUMER": {
        const name = args[3]!;
        if (!group!.consumers.has(name)) return { reply: integer(0), state: s };
        let pending = 0;
        for (const [id, nack] of [...group!.pel]) {
          if (nack.consumer !== name) continue;
          group!.pel.delete(id);
          pending++;
        }
        group!.consumers.delete(name);
        return { reply: integer(pending), state: s };
      }
    }
    throw new Error(`the model has no XGROUP ${sub}`);
  },

  XDEL(s, args) {
    if (s === undefined) return { reply: integer(0), state: s };
    let deleted = 0;
    for (const text of args.slice(1)) {
      const at = s.entries.findIndex((e) => compareIds(e.id, parseId(text)) === 0);
      if (at < 0) continue;
      s.entries.splice(at, 1);
      deleted++;
    }
    return { reply: integer(deleted), state: s };
  },

  XTRIM(s, args) {
    // s MAXLEN = n | s MINID = id
    if (s === undefined) return { reply: integer(0), state: s };
    const before = s.entries.length;
    const keep = args[1]!.toUpperCase() === "MAXLEN"
      ? s.entries.slice(Math.max(0, s.entries.length - Number(args[3])))
      : s.entries.filter((e) => compareIds(e.id, parseId(args[3]!)) >= 0);
    s.entries.splice(0, s.entries.length, ...keep);
    return { reply: integer(before - keep.length), state: s };
  },

  XLEN(s) {
    return { reply: integer(s?.entries.length ?? 0), state: s };
  },

  XRANGE(s) {
    // Only `XRANGE s - +` (the final check).
    return { reply: array((s?.entries ?? []).map(entryReply)), state: s };
  },
};

/** Runs one command on a copy of the state. */
export function step(state: StreamState | undefined, argv: readonly string[]): StepResult {
  const name = argv[0]!.toUpperCase();
  const handler = HANDLERS[name];
  if (handler === undefined) throw new Error(`the stream model has no ${name}`);
  const events: StepEvents = { deliveredNew: [], moved: [] };
  const { reply, state: next } = handler(cloneState(state), argv.slice(1), events);
  return { reply, state: next, events };
}

/** The commands the model runs (XINFO only in the final checks, as `groupSummary` and `consumerSummary`). */
export const MODEL_COMMANDS = Object.keys(HANDLERS);

// ---- idle times and XINFO, compared by what is deterministic ----------------------

/** XPENDING's idle column as the model knows it. */
const idleBucket = (old: boolean): string => `:<${old ? "old" : "recent"}>\r\n`;

/** The group's last-delivered id in the model, for the invariants. */
export function groupLastId(state: StreamState | undefined, group: string): StreamId | undefined {
  return state?.groups.get(group)?.lastId;
}

export function groupNames(state: StreamState | undefined): string[] {
  return [...(state?.groups.keys() ?? [])].sort();
}

export function consumerNames(state: StreamState | undefined, group: string): string[] {
  return [...(state?.groups.get(group)?.consumers ?? [])].sort();
}

/** XINFO GROUPS reduced to name, consumers, pending and last-delivered-id per group (entries-read and lag are not modelled). */
export function groupSummary(state: StreamState | undefined): string {
  return array(groupNames(state).map((name) => {
    const g = state!.groups.get(name)!;
    return array([bulk(name), integer(g.consumers.size), integer(g.pel.size), bulk(idText(g.lastId))]);
  }));
}

/** XINFO CONSUMERS reduced to name and pending per consumer (idle times are not deterministic). */
export function consumerSummary(state: StreamState | undefined, group: string): string {
  const g = state?.groups.get(group);
  if (g === undefined) return array([]);
  return array([...g.consumers].sort().map((name) => array([bulk(name), integer([...g.pel.values()].filter((n) => n.consumer === name).length)])));
}
