// The FoundationDB engine's event log (Engine.eventLog): how pub/sub
// messages and keyspace events published through one server reach the
// subscribers of every server, in one order for all (shared/notes/events.md
// §5). One log per topic (a tenant name), in the reserved (null) space:
//
//   (null) "e" <topic> "l" <versionstamp:10> <order:2>  → flag (1 byte), data
//   (null) "e" <topic> "w" <versionstamp:10>            → wall-clock ms of the append (int64 LE)
//   (null) "e" <topic> "t"                              → tick: int64 LE, +1 per append transaction
//
// - Keys of the log are written with SET_VERSIONSTAMPED_KEY: the commit's
//   versionstamp (commit version, batch order; big-endian) makes byte order
//   commit order, the same for every reader, and unique in the cluster.
//   <order> orders the entries of one transaction (call order). An entry
//   larger than CHUNK_BYTES spans several keys: flag 1 = more chunks follow.
// - Append transactions only write (versionstamped keys, an atomic ADD to
//   the tick, a blind "w" mark): they never conflict with each other.
//   Concurrent append() calls of this process share one transaction (group
//   commit), committed one after another, so they commit in call order.
//   commit_unknown_result is resolved by the engine's idempotency markers:
//   a retried append never writes its entries twice (with the engine option
//   idempotencyMarkers off, it may: at-least-once). Group commits go one at
//   a time, so appends per engine are bound by commit latency x batch size.
// - Followers: one watch per followed topic per engine, on the tick. A
//   watch compares values and the tick only grows, so no append is missed
//   (no ABA). On a fire, or right after an append through this engine, the
//   engine reads the log after the last key it has seen, in pages of their
//   own transactions (past the 5 s and size limits), hands each page's
//   entries to every follower in log order, and sets a new watch in the
//   transaction of the last page.
// - "From now on": a new follower joins once a whole read pass that started
//   after its follow() call is done; entries that pass reads were committed
//   before it and go to the earlier followers only. Appends made through
//   this engine wait for pending joins before committing, so an entry
//   appended after follow() (in this process) always reaches the follower;
//   `ready` tells when entries from other servers are sure to (SUBSCRIBE
//   can answer then). A join waits for the pass to read any backlog.
// - Trimming: every trimEveryMs, for each topic this engine appends to or
//   follows, one transaction per page clears the entries whose "w" mark is
//   older than retentionMs (by wall clock; every server may trim, the clears
//   are blind and idempotent). A follower lagging by more than that loses
//   what was trimmed. A topic no engine touches any more keeps its last
//   entries (at most retentionMs worth) and its 8-byte tick.
import { compareBytes, concatBytes, keyAfter, keyIdentity } from "../bytes.ts";
import type { EventLog, EventLogFollower, KeyRange, KeyWatch } from "../contract.ts";
import { EngineError } from "../errors.ts";
import { MAX_TRANSACTION_BYTES, MAX_VALUE_BYTES } from "../limits.ts";
import { packTuple, prefixRange } from "../tuple.ts";
import { type FdbTxn, VERSIONSTAMP_BYTES } from "./txn.ts";

/** Largest entry append() takes. */
export const MAX_ENTRY_BYTES = 4_000_000;
/**
 * Largest total of one append() call. A group commit holds at most this
 * much, or one call: with keys and flags, well under the 10 MB transaction
 * limit (FoundationDB advises far less; bursts this large are rare).
 */
export const MAX_APPEND_BYTES = MAX_TRANSACTION_BYTES * 0.4;
/** Most entries in one append() call: their <order> must fit 2 bytes with room for chunks. */
export const MAX_APPEND_ENTRIES = 10_000;
/** Data bytes per log key: a value holds at most MAX_VALUE_BYTES, the flag byte included. */
export const CHUNK_BYTES = MAX_VALUE_BYTES - 10_000;
/** A group commit takes calls until this many bytes (a first call alone may have MAX_APPEND_BYTES)... */
const BATCH_BYTES = MAX_APPEND_BYTES;
/** ...or keys (the 2-byte <order> allows 65,536 per topic and transaction). */
const BATCH_KEYS = 10_000;
const TRIM_PAGE = 1_000;
const RETRY_BASE_MS = 50;
const RETRY_MAX_MS = 1_000;

const FLAG_LAST = 0;
const FLAG_MORE = 1;

export interface EventLogOptions {
  /** Entries older than this are trimmed (default 60 s). */
  readonly retentionMs?: number;
  /** How often the trimming job runs (default 10 s); 0: only when trim() is called. */
  readonly trimEveryMs?: number;
  /** Log keys read per transaction by followers (default 256). */
  readonly pageRows?: number;
}

/** What the log needs from its engine: transactions that bypass the engine's closed check, and clocks. */
export interface EventLogHost {
  read<T>(body: (tx: FdbTxn) => Promise<T>): Promise<T>;
  write<T>(body: (tx: FdbTxn) => T | Promise<T>): Promise<T>;
  readonly wallClock: () => number;
}

export interface EventLogStats {
  readonly appendCalls: number;
  readonly appendTransactions: number;
  readonly entriesAppended: number;
  /** Read transactions of followers (passes' pages). */
  readonly reads: number;
  readonly entriesRead: number;
  /** Append transactions' marks cleared by trimming (one per topic per append transaction). */
  readonly marksTrimmed: number;
}

/** The keys of one topic. */
export interface TopicKeys {
  readonly log: Uint8Array;
  readonly logRange: KeyRange;
  readonly when: Uint8Array;
  readonly whenRange: KeyRange;
  readonly tick: Uint8Array;
}

/** Below every tenant (tuple strings start 0x02), beside the expiry index "x" and markers "i" (model/keyspace.ts). */
const SPACE_TAG = "e";

export function topicKeys(topic: Uint8Array): TopicKeys {
  // The suffixes after "l" and "w" are raw bytes, not tuple elements: a plain prefix range is exact.
  const log = packTuple([null, SPACE_TAG, topic, "l"]);
  const when = packTuple([null, SPACE_TAG, topic, "w"]);
  return { log, logRange: prefixRange(log), when, whenRange: prefixRange(when), tick: packTuple([null, SPACE_TAG, topic, "t"]) };
}

/** Every key of every topic's log. */
export const EVENT_LOG_SPACE: KeyRange = prefixRange(packTuple([null, SPACE_TAG]));

interface Pending {
  readonly id: string;
  readonly topic: Uint8Array;
  readonly entries: readonly Uint8Array[];
  readonly bytes: number;
  readonly keys: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface Follower {
  readonly onEntries: (entries: readonly Uint8Array[]) => void;
  status: "joining" | "active" | "stopped";
  /** Settles `ready`: when it becomes active, or stops first. */
  readonly joined: () => void;
}

interface Topic {
  readonly id: string;
  readonly keys: TopicKeys;
  readonly followers: Set<Follower>;
  /** First key to read; undefined until the first pass found the end of the log. */
  from: Uint8Array | undefined;
  watch: KeyWatch | undefined;
  /** A read pass is under way (or about to start); `again`: run another after it. */
  running: boolean;
  again: boolean;
  /** The passes under way, for close() to wait on. */
  passes: Promise<void>;
  stopped: boolean;
  /** Chunks of an entry whose last chunk is on the next page. */
  partial: { readonly stamp: Uint8Array; readonly parts: Uint8Array[] } | undefined;
  /** Appends waiting until no follower is joining. */
  joinWaiters: (() => void)[];
}

export class FdbEventLog implements EventLog {
  private readonly retentionMs: number;
  private readonly trimEveryMs: number;
  private readonly pageRows: number;
  private readonly queue: Pending[] = [];
  private committing: Promise<void> | null = null;
  private readonly topics = new Map<string, Topic>();
  /** Topics this engine appended to, and when last: the trimming job's list besides followed topics. */
  private readonly appended = new Map<string, { readonly topic: Uint8Array; at: number }>();
  private trimTimer: ReturnType<typeof setTimeout> | undefined;
  private trimming: Promise<void> | null = null;
  private closing = false;
  private counts = { appendCalls: 0, appendTransactions: 0, entriesAppended: 0, reads: 0, entriesRead: 0, marksTrimmed: 0 };

  constructor(private readonly host: EventLogHost, options: EventLogOptions = {}) {
    this.retentionMs = options.retentionMs ?? 60_000;
    this.trimEveryMs = options.trimEveryMs ?? 10_000;
    this.pageRows = options.pageRows ?? 256;
  }

  get stats(): EventLogStats {
    return { ...this.counts };
  }

  /** Topics followed through this engine now. */
  get followedTopics(): number {
    return this.topics.size;
  }

  append(topic: Uint8Array, entries: readonly Uint8Array[]): Promise<void> {
    if (this.closing) return Promise.reject(closedError());
    if (entries.length > MAX_APPEND_ENTRIES) {
      return Promise.reject(
        new EngineError("transaction_too_large", `one event-log append of ${entries.length} entries exceeds the limit of ${MAX_APPEND_ENTRIES}; append fewer entries per call`),
      );
    }
    let bytes = 0;
    let keys = 0;
    for (const entry of entries) {
      if (entry.length > MAX_ENTRY_BYTES) {
        return Promise.reject(
          new EngineError("value_too_large", `an event-log entry of ${entry.length} bytes exceeds the limit of ${MAX_ENTRY_BYTES} bytes; send a smaller message`),
        );
      }
      bytes += entry.length;
      keys += chunkCount(entry.length);
    }
    if (bytes > MAX_APPEND_BYTES) {
      return Promise.reject(
        new EngineError("transaction_too_large", `one event-log append of ${bytes} bytes exceeds the limit of ${MAX_APPEND_BYTES} bytes; append fewer entries per call`),
      );
    }
    this.counts.appendCalls++;
    if (entries.length === 0) return Promise.resolve();
    this.startTrimming();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ id: keyIdentity(topic), topic: topic.slice(), entries, bytes, keys, resolve, reject });
      this.flush();
    });
  }

  follow(topic: Uint8Array, onEntries: (entries: readonly Uint8Array[]) => void): EventLogFollower {
    if (this.closing) throw closedError();
    const id = keyIdentity(topic);
    let state = this.topics.get(id);
    if (state === undefined) {
      state = {
        id,
        keys: topicKeys(topic),
        followers: new Set(),
        from: undefined,
        watch: undefined,
        running: false,
        again: false,
        passes: Promise.resolve(),
        stopped: false,
        partial: undefined,
        joinWaiters: [],
      };
      this.topics.set(id, state);
    }
    let joined!: () => void;
    const ready = new Promise<void>((resolve) => (joined = resolve));
    const follower: Follower = { onEntries, status: "joining", joined };
    state.followers.add(follower);
    this.startTrimming();
    this.pump(state);
    const topicState = state;
    return { ready, stop: () => this.unfollow(topicState, follower) };
  }

  /** Clears every entry older than the retention of the topics this engine appends to or follows; the count of append marks cleared. */
  trim(): Promise<number> {
    if (this.trimming !== null) return this.trimming.then(() => this.trim());
    const before = this.counts.marksTrimmed;
    const run = this.trimAll().finally(() => {
      this.trimming = null;
    });
    this.trimming = run;
    return run.then(() => this.counts.marksTrimmed - before);
  }

  /**
   * Commits the appends already accepted (they were promised), refuses new
   * ones, stops every follower and the trimming job, and waits until no
   * transaction or watch of the log is left.
   */
  async close(): Promise<void> {
    this.closing = true;
    if (this.trimTimer !== undefined) clearTimeout(this.trimTimer);
    this.trimTimer = undefined;
    const passes = [...this.topics.values()].map((state) => state.passes);
    for (const state of this.topics.values()) this.stopTopic(state);
    this.topics.clear();
    while (this.committing !== null) await this.committing;
    await Promise.all(passes);
    await this.trimming?.catch(() => {});
  }

  // ---- appends -------------------------------------------------------------

  private flush(): void {
    if (this.committing !== null || this.queue.length === 0) return;
    const batch: Pending[] = [];
    let bytes = 0;
    let keys = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (batch.length > 0 && (bytes + next.bytes > BATCH_BYTES || keys + next.keys > BATCH_KEYS)) break;
      batch.push(this.queue.shift()!);
      bytes += next.bytes;
      keys += next.keys;
    }
    this.committing = this.commit(batch).finally(() => {
      this.committing = null;
      this.flush();
    });
  }

  private async commit(batch: readonly Pending[]): Promise<void> {
    const topics = new Map<string, Uint8Array>();
    for (const item of batch) topics.set(item.id, item.topic);
    try {
      // A follower that joins through this engine must be in place before these entries commit (see the top).
      await Promise.all([...topics.keys()].map((id) => this.joined(id)));
      await this.host.write((tx) => {
        const mark = encodeWallMs(this.host.wallClock());
        const orders = new Map<string, number>();
        for (const item of batch) {
          const keys = topicKeys(item.topic);
          let order = orders.get(item.id) ?? 0;
          for (const entry of item.entries) {
            for (const chunk of chunksOf(entry)) tx.setVersionstampedKey(keys.log, orderBytes(order++), chunk);
          }
          orders.set(item.id, order);
        }
        for (const topic of topics.values()) {
          const keys = topicKeys(topic);
          tx.add(keys.tick, 1n);
          tx.setVersionstampedKey(keys.when, EMPTY, mark);
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    this.counts.appendTransactions++;
    const now = this.host.wallClock();
    const reads: Promise<void>[] = [];
    for (const [id, topic] of topics) {
      this.appended.set(id, { topic, at: now });
      // Read at once rather than when the watch fires.
      const state = this.topics.get(id);
      if (state === undefined) continue;
      this.pump(state);
      reads.push(state.passes.catch(() => {}));
    }
    // Settled once this process's followers have the entries too: a publisher that waits for its append
    // knows its own server delivered the message (Redis's order: a subscriber hears its PUBLISH before the reply).
    await Promise.all(reads);
    for (const item of batch) {
      this.counts.entriesAppended += item.entries.length;
      item.resolve();
    }
  }

  /** Resolves once no follower of topic `id` is joining. */
  private joined(id: string): Promise<void> | undefined {
    const state = this.topics.get(id);
    if (state === undefined || this.closing) return undefined;
    for (const follower of state.followers) {
      if (follower.status === "joining") return new Promise<void>((resolve) => state.joinWaiters.push(resolve));
    }
    return undefined;
  }

  // ---- followers -----------------------------------------------------------

  private unfollow(state: Topic, follower: Follower): void {
    if (follower.status === "stopped") return;
    follower.status = "stopped";
    follower.joined();
    state.followers.delete(follower);
    this.releaseJoins(state);
    if (state.followers.size > 0 || state.stopped) return;
    this.stopTopic(state);
    if (this.topics.get(state.id) === state) this.topics.delete(state.id);
  }

  private stopTopic(state: Topic): void {
    state.stopped = true;
    for (const follower of state.followers) follower.joined();
    state.watch?.cancel();
    state.watch = undefined;
    for (const wake of state.joinWaiters.splice(0)) wake();
  }

  private releaseJoins(state: Topic): void {
    for (const follower of state.followers) if (follower.status === "joining") return;
    for (const wake of state.joinWaiters.splice(0)) wake();
  }

  /** Reads the topic's new entries now, or once the pass under way is done. */
  private pump(state: Topic): void {
    if (state.stopped || this.closing) return;
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    // After a microtask: followers added in the same turn join in one pass.
    state.passes = Promise.resolve().then(() => this.passes(state));
  }

  private async passes(state: Topic): Promise<void> {
    let failures = 0;
    try {
      do {
        state.again = false;
        const joiners = [...state.followers].filter((follower) => follower.status === "joining");
        try {
          await this.pass(state);
        } catch {
          // The engine already retried; the log keeps the entries, so read again after a pause.
          if (state.stopped || this.closing) return;
          failures++;
          await pause(Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** failures));
          state.again = true;
          continue;
        }
        failures = 0;
        for (const follower of joiners) {
          if (follower.status !== "joining") continue;
          follower.status = "active";
          follower.joined();
        }
        this.releaseJoins(state);
      } while (state.again && !state.stopped && !this.closing);
    } finally {
      // In the same synchronous step as the loop's last look at `again`: a pump() from now on starts new passes.
      state.running = false;
    }
  }

  /** One pass: reads the log from where the topic is, to its end, and sets a new watch on the tick. */
  private async pass(state: Topic): Promise<void> {
    const { keys } = state;
    if (state.from === undefined) {
      // The first follower: start at the end of the log, delivering nothing older.
      this.counts.reads++;
      const start = await this.host.read(async (tx) => {
        const [last] = await Promise.all([tx.snapshot.getRange(keys.logRange, { limit: 1, reverse: true }), tx.snapshot.get(keys.tick)]);
        // The watch compares with the tick this transaction read: any append committed after its read version fires it.
        const watch = tx.watch(keys.tick);
        return { from: last[0] === undefined ? keys.logRange.start : keyAfter(last[0].key), watch };
      });
      state.from = start.from;
      this.keepWatch(state, start.watch);
      return;
    }
    for (;;) {
      const from = state.from;
      this.counts.reads++;
      const page = await this.host.read(async (tx) => {
        const [rows] = await Promise.all([tx.snapshot.getRange({ start: from, end: keys.logRange.end }, { limit: this.pageRows }), tx.snapshot.get(keys.tick)]);
        // The last page: the watch compares with the tick as of this same read version, so nothing later is missed.
        const watch = rows.length < this.pageRows ? tx.watch(keys.tick) : undefined;
        return { rows, watch };
      });
      const last = page.rows[page.rows.length - 1];
      if (last !== undefined && compareBytes(last.key, state.from) >= 0) {
        state.from = keyAfter(last.key);
        this.deliver(state, page.rows);
      }
      if (page.watch !== undefined) {
        this.keepWatch(state, page.watch);
        return;
      }
      if (state.stopped || this.closing) return;
    }
  }

  private keepWatch(state: Topic, watch: KeyWatch): void {
    state.watch?.cancel();
    if (state.stopped || this.closing) {
      state.watch = undefined;
      watch.cancel();
      return;
    }
    state.watch = watch;
    watch.changed.then(() => {
      if (state.watch !== watch) return;
      state.watch = undefined;
      this.pump(state);
    }, () => {
      // The watch failed (the engine closing, or an error FoundationDB reported): read again after a pause.
      if (state.watch !== watch) return;
      state.watch = undefined;
      if (!state.stopped && !this.closing) void pause(RETRY_BASE_MS).then(() => this.pump(state));
    });
  }

  private deliver(state: Topic, rows: readonly { readonly key: Uint8Array; readonly value: Uint8Array }[]): void {
    const prefix = state.keys.log.length;
    const entries: Uint8Array[] = [];
    for (const row of rows) {
      const stamp = row.key.subarray(prefix, prefix + VERSIONSTAMP_BYTES);
      // A partial entry whose other chunks are gone (trimmed meanwhile) is dropped.
      if (state.partial !== undefined && compareBytes(state.partial.stamp, stamp) !== 0) state.partial = undefined;
      const data = row.value.subarray(1);
      if (row.value[0] === FLAG_MORE) {
        if (state.partial === undefined) state.partial = { stamp: stamp.slice(), parts: [] };
        state.partial.parts.push(data);
        continue;
      }
      if (state.partial !== undefined) {
        entries.push(concatBytes(...state.partial.parts, data));
        state.partial = undefined;
      } else {
        entries.push(data);
      }
    }
    this.counts.entriesRead += entries.length;
    if (entries.length === 0) return;
    for (const follower of [...state.followers]) {
      if (follower.status !== "active") continue;
      try {
        follower.onEntries(entries);
      } catch {
        // One follower's failure must not cost the others their entries, nor stop the log.
      }
    }
  }

  // ---- trimming ------------------------------------------------------------

  private startTrimming(): void {
    if (this.trimEveryMs <= 0 || this.trimTimer !== undefined || this.closing) return;
    this.trimTimer = setTimeout(() => {
      this.trimTimer = undefined;
      void this.trim().catch(() => {
        // Harmless: the next run trims the same entries.
      }).finally(() => {
        if (this.topics.size > 0 || this.appended.size > 0) this.startTrimming();
      });
    }, this.trimEveryMs);
    // The job must not keep a process alive on its own (unref exists on Bun's and Node's timers).
    (this.trimTimer as unknown as { unref?: () => void }).unref?.();
  }

  private async trimAll(): Promise<void> {
    const cutoff = this.host.wallClock() - this.retentionMs;
    const topics = new Map<string, TopicKeys>();
    for (const [id, state] of this.topics) topics.set(id, state.keys);
    for (const [id, appended] of this.appended) if (!topics.has(id)) topics.set(id, topicKeys(appended.topic));
    for (const [id, keys] of topics) {
      await this.trimTopic(keys, cutoff);
      // Everything it appended is now older than the cutoff and gone: nothing left to trim for it.
      const appended = this.appended.get(id);
      if (appended !== undefined && appended.at < cutoff) this.appended.delete(id);
    }
  }

  private async trimTopic(keys: TopicKeys, cutoff: number): Promise<void> {
    for (;;) {
      const more = await this.host.write(async (tx) => {
        const marks = await tx.snapshot.getRange(keys.whenRange, { limit: TRIM_PAGE });
        let last: Uint8Array | undefined;
        let cleared = 0;
        for (const mark of marks) {
          if (decodeWallMs(mark.value) >= cutoff) break;
          last = mark.key.subarray(keys.when.length, keys.when.length + VERSIONSTAMP_BYTES);
          cleared++;
        }
        if (last === undefined) return { cleared: 0, more: false };
        // Log keys are <log> <stamp> <order:2>: the last of this stamp is below <log> <stamp> FF FF 00.
        tx.clearRange({ start: keys.logRange.start, end: keyAfter(concatBytes(keys.log, last, MAX_ORDER)) });
        tx.clearRange({ start: keys.whenRange.start, end: keyAfter(concatBytes(keys.when, last)) });
        return { cleared, more: cleared === marks.length && marks.length === TRIM_PAGE };
      });
      this.counts.marksTrimmed += more.cleared;
      if (!more.more) return;
    }
  }
}

const EMPTY = new Uint8Array(0);
const MAX_ORDER = new Uint8Array([0xff, 0xff]);

function chunkCount(length: number): number {
  return Math.max(1, Math.ceil(length / CHUNK_BYTES));
}

/** The log values of one entry: flag byte, then up to CHUNK_BYTES of data. */
function chunksOf(entry: Uint8Array): Uint8Array[] {
  const count = chunkCount(entry.length);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const data = entry.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES);
    const value = new Uint8Array(1 + data.length);
    value[0] = i === count - 1 ? FLAG_LAST : FLAG_MORE;
    value.set(data, 1);
    out.push(value);
  }
  return out;
}

function orderBytes(order: number): Uint8Array {
  return new Uint8Array([order >> 8, order & 0xff]);
}

function encodeWallMs(ms: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, BigInt(Math.floor(ms)), true);
  return out;
}

function decodeWallMs(value: Uint8Array): number {
  if (value.length < 8) return 0;
  return Number(new DataView(value.buffer, value.byteOffset, 8).getBigInt64(0, true));
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function closedError(): EngineError {
  return new EngineError("engine_closed", "the FoundationDB engine's event log is closed; open the engine again to append or follow");
}

