// A transaction's read-your-writes overlay, shared by the memory and SQLite
// engines: mutations are buffered here and reads merge them over the engine's
// committed state (the "base"), as FoundationDB's client does before a commit.
// The buffer also enforces FoundationDB's limits on every operation, so code
// that fits here fits on FoundationDB.
//
// Pending writes are kept coalesced rather than as a log: one pending state
// per key (set, cleared, or an accumulated ADD delta over an unread base) plus
// the cleared ranges. A clearRange drops the pending keys it covers, so the
// final list "cleared ranges, then pending keys" has the same effect as the
// log replayed in order, touches each key once, and comes out sorted.
import type { Bytes, KeyRange, KeyValue, RangeOptions, ReadTxn, Txn } from "./contract.ts";
import { addToValue, ADD_VALUE_BYTES, combineDeltas } from "./atomic_add.ts";
import { compareBytes, keyAfter } from "./bytes.ts";
import { addTransactionBytes, checkKeyLength, checkRangeEndLength, checkTransactionAge, checkValueLength } from "./limit_checks.ts";
import { type Entry, OrderedMap } from "./ordered_map.ts";

/** Committed state under the buffer. Synchronous: both engines read it in-process. */
export interface BaseReader {
  get(key: Bytes): Bytes | undefined;
  /** Pairs of `[start, end)` in order (or reverse), at most `limit` of them (0 or absent: all). */
  scan(range: KeyRange, options: RangeOptions): KeyValue[];
}

/** Receives a finished transaction's mutations: cleared ranges first, then keys in order. */
export interface MutationSink {
  clearRange(start: Bytes, end: Bytes): void;
  set(key: Bytes, value: Bytes): void;
  clear(key: Bytes): void;
  /** FoundationDB ADD: the committed value (missing = 0) plus `delta`, 8 bytes little-endian. */
  add(key: Bytes, delta: bigint): void;
}

export type Mutation =
  | { readonly type: "clearRange"; readonly start: Bytes; readonly end: Bytes }
  | { readonly type: "set"; readonly key: Bytes; readonly value: Bytes }
  | { readonly type: "clear"; readonly key: Bytes }
  | { readonly type: "add"; readonly key: Bytes; readonly delta: bigint };

export interface WriteBufferOptions {
  /** Milliseconds from a monotonic source; injectable so tests can age a transaction at once. */
  readonly clock: () => number;
  /** Record read conflict ranges, for engines with optimistic concurrency (memory). */
  readonly trackReads?: boolean;
  /** Refuse mutations: the body runs under `engine.read`. */
  readonly readOnly?: boolean;
  /**
   * The engine runs the body synchronously first and calls `waiting()` when
   * it returns a promise: reads and the commit check the transaction's age
   * (the 5 s limit, counted from the start) only from then on. A body that
   * never waits then reads the clock once, a good part of a memory GET.
   */
  readonly ageCheckedAfterWait?: boolean;
}

/**
 * One key's pending write: bytes for a set, null for a clear, a bigint for
 * ADD deltas not yet combined with the committed value. A union of
 * primitives, so buffering a write allocates no wrapper.
 */
type Pending = Bytes | null | bigint;

// Range reads fetch the base in pages, so a limited read of a big range costs
// what it returns. Pages start at the number still wanted and double, since
// buffered clears may hide some of what a page brings.
const MAX_PAGE = 1024;

const NONE: readonly never[] = [];

interface Scanner<V> {
  scan(range: KeyRange, options: RangeOptions): Entry<V>[];
}

/** Walks `[start, end)` of a scanner page by page, in one direction. */
class PagedCursor<V> {
  private page: Entry<V>[] = [];
  private index = 0;
  private done = false;
  private start: Bytes;
  private end: Bytes;

  constructor(
    private readonly source: Scanner<V>,
    range: KeyRange,
    private readonly reverse: boolean,
    private pageSize: number,
  ) {
    this.start = range.start;
    this.end = range.end;
  }

  peek(): Entry<V> | undefined {
    while (this.index >= this.page.length) {
      if (this.done) return undefined;
      this.fetch();
    }
    return this.page[this.index];
  }

  next(): void {
    this.index++;
  }

  private fetch(): void {
    const size = this.pageSize;
    const page = this.source.scan({ start: this.start, end: this.end }, { limit: size, reverse: this.reverse });
    if (size === 0 || page.length < size) {
      this.done = true;
    } else {
      const last = page[page.length - 1]!.key;
      if (this.reverse) this.end = last;
      else this.start = keyAfter(last);
      this.pageSize = Math.min(size * 2, MAX_PAGE);
    }
    this.page = page;
    this.index = 0;
  }
}

/** The base's pairs in `[start, end)` outside the buffer's cleared ranges. */
class BaseCursor {
  private segment = 0;
  private cursor: PagedCursor<Bytes> | null = null;

  constructor(
    private readonly base: BaseReader,
    private readonly segments: KeyRange[],
    private readonly reverse: boolean,
    private pageSize: number,
  ) {}

  peek(): KeyValue | undefined {
    for (;;) {
      if (this.cursor !== null) {
        const entry = this.cursor.peek();
        if (entry !== undefined) return entry;
        this.cursor = null;
      }
      const segment = this.segments[this.segment++];
      if (segment === undefined) return undefined;
      this.cursor = new PagedCursor(this.base, segment, this.reverse, this.pageSize);
    }
  }

  next(): void {
    this.cursor?.next();
  }
}

/** The ReadTxn behind `tx.snapshot` on a buffer that tracks reads. */
class SnapshotView implements ReadTxn {
  constructor(private readonly buffer: WriteBuffer) {}
  get(key: Bytes): Bytes | undefined {
    return this.buffer.getNow(key, true);
  }
  getRange(range: KeyRange, options?: RangeOptions): KeyValue[] {
    return this.buffer.getRangeNow(range, options, true);
  }
}

export class WriteBuffer implements Txn {
  private readonly clock: () => number;
  private readonly trackReads: boolean;
  private readonly readOnly: boolean;
  private readonly startedAt: number;
  private readsCheckAge: boolean;
  private pending: OrderedMap<Pending> | null = null;
  // Disjoint, non-touching, sorted: clearRange merges into them.
  private clearedStarts: Bytes[] | null = null;
  private clearedEnds: Bytes[] | null = null;
  // Read conflicts, as FoundationDB keeps them: ranges, a null end meaning the single key.
  private readStarts: Bytes[] | null = null;
  private readEnds: (Bytes | null)[] | null = null;
  private snapshotView: ReadTxn | null = null;
  private finished = false;
  private totalBytes = 0;

  constructor(
    private readonly base: BaseReader,
    options: WriteBufferOptions,
  ) {
    this.clock = options.clock;
    this.trackReads = options.trackReads === true;
    this.readOnly = options.readOnly === true;
    this.startedAt = options.clock();
    this.readsCheckAge = options.ageCheckedAfterWait !== true;
  }

  /** The body returned a promise: from now on every read checks the transaction's age (see ageCheckedAfterWait). */
  waiting(): void {
    this.readsCheckAge = true;
  }

  /** Bytes counted against MAX_TRANSACTION_BYTES so far. */
  get size(): number {
    return this.totalBytes;
  }

  get hasWrites(): boolean {
    return this.clearedStarts !== null || (this.pending !== null && this.pending.size > 0);
  }

  get snapshot(): ReadTxn {
    // Without conflict tracking, a snapshot read is an ordinary read.
    if (!this.trackReads) return this;
    if (this.snapshotView === null) this.snapshotView = new SnapshotView(this);
    return this.snapshotView;
  }

  // Synchronous: the base is in-process. A failed read (a limit, a read after
  // the end) throws at once; the engine's run turns it into the body's failure.
  get(key: Bytes): Bytes | undefined {
    return this.getNow(key, false);
  }

  getRange(range: KeyRange, options?: RangeOptions): KeyValue[] {
    return this.getRangeNow(range, options, false);
  }

  /** `get`, synchronously: the base is in-process. */
  getNow(key: Bytes, snapshot: boolean): Bytes | undefined {
    this.checkLive();
    if (!snapshot) this.count(key.length);
    const pending = this.pending === null ? undefined : this.pending.get(key);
    if (pending === undefined) {
      if (this.isCleared(key)) return undefined;
      return this.readBase(key, snapshot);
    }
    if (pending === null) return undefined;
    if (typeof pending === "bigint") return addToValue(this.readBase(key, snapshot), pending);
    return pending;
  }

  /** `getRange`, synchronously. */
  getRangeNow(range: KeyRange, options: RangeOptions | undefined, snapshot: boolean): KeyValue[] {
    this.checkLive();
    const { start, end } = range;
    if (!snapshot) this.count(start.length + end.length);
    if (compareBytes(start, end) >= 0) return [];
    const limit = options?.limit !== undefined && options.limit > 0 ? options.limit : 0;
    const reverse = options?.reverse === true;
    const out =
      this.pending === null && this.clearedStarts === null
        ? this.base.scan(range, { limit, reverse })
        : this.merge(range, limit, reverse);
    if (this.trackReads && !snapshot) {
      // A read cut short by its limit conflicts only up to the last pair it returned.
      const last = limit > 0 && out.length === limit ? out[out.length - 1]!.key : undefined;
      if (last === undefined) this.addReadConflict(start, end);
      else if (reverse) this.addReadConflict(last, end);
      else this.addReadConflict(start, keyAfter(last));
    }
    return out;
  }

  set(key: Bytes, value: Bytes): void {
    this.checkWrite(key);
    checkValueLength(value);
    this.count(key.length + value.length);
    this.pendingMap().set(key, value);
  }

  clear(key: Bytes): void {
    this.checkWrite(key);
    this.count(key.length);
    this.pendingMap().set(key, null);
  }

  clearRange(range: KeyRange): void {
    const { start, end } = range;
    this.checkWrite(start);
    checkRangeEndLength(end);
    this.count(start.length + end.length);
    if (compareBytes(start, end) >= 0) return;
    this.pending?.deleteRange(range);
    this.addCleared(start, end);
  }

  add(key: Bytes, delta: bigint): void {
    this.checkWrite(key);
    this.count(key.length + ADD_VALUE_BYTES);
    const map = this.pendingMap();
    const pending = map.get(key);
    if (pending === undefined) {
      // Over a cleared range the base is known to be missing, so the sum is known too.
      map.set(key, this.isCleared(key) ? addToValue(undefined, delta) : BigInt.asIntN(64, delta));
    } else if (pending === null) {
      map.set(key, addToValue(undefined, delta));
    } else if (typeof pending === "bigint") {
      map.set(key, combineDeltas(pending, delta));
    } else {
      map.set(key, addToValue(pending, delta));
    }
  }

  addReadConflictRange(range: KeyRange): void {
    this.checkLive();
    if (this.trackReads && compareBytes(range.start, range.end) < 0) this.addReadConflict(range.start, range.end);
  }

  /**
   * Ends the transaction: later use of it throws. Throws transaction_timed_out
   * when it outlived MAX_TRANSACTION_MS, since its commit must fail then.
   */
  finish(): void {
    this.checkNotFinished();
    // A body that never waited ran in one go: nothing else ran meanwhile, so its age cannot matter (ageCheckedAfterWait).
    if (this.readsCheckAge) checkTransactionAge(this.startedAt, this.clock());
    this.finished = true;
  }

  /** Marks the transaction dead without checks (its body failed). */
  abandon(): void {
    this.finished = true;
  }

  /** Feeds the buffered mutations to `sink`: cleared ranges, then keys in order. */
  replay(sink: MutationSink): void {
    const starts = this.clearedStarts;
    const ends = this.clearedEnds;
    if (starts !== null && ends !== null) {
      for (let i = 0; i < starts.length; i++) sink.clearRange(starts[i]!, ends[i]!);
    }
    this.pending?.forEach((key, pending) => {
      if (pending === null) sink.clear(key);
      else if (typeof pending === "bigint") sink.add(key, pending);
      else sink.set(key, pending);
    });
  }

  /** The final mutation list, as `replay` would deliver it. */
  mutations(): Mutation[] {
    const out: Mutation[] = [];
    this.replay({
      clearRange: (start, end) => out.push({ type: "clearRange", start, end }),
      set: (key, value) => out.push({ type: "set", key, value }),
      clear: (key) => out.push({ type: "clear", key }),
      add: (key, delta) => out.push({ type: "add", key, delta }),
    });
    return out;
  }

  /** Starts of the read conflict ranges (memory engine), in the order read. */
  get readConflictStarts(): readonly Bytes[] {
    return this.readStarts ?? NONE;
  }

  /** Ends of the read conflict ranges; null stands for the single key at the same index of the starts. */
  get readConflictEnds(): readonly (Bytes | null)[] {
    return this.readEnds ?? NONE;
  }

  private readBase(key: Bytes, snapshot: boolean): Bytes | undefined {
    if (this.trackReads && !snapshot) this.addReadConflict(key, null);
    return this.base.get(key);
  }

  private addReadConflict(start: Bytes, end: Bytes | null): void {
    if (this.readStarts === null || this.readEnds === null) {
      this.readStarts = [start];
      this.readEnds = [end];
    } else {
      this.readStarts.push(start);
      this.readEnds.push(end);
    }
  }

  private merge(range: KeyRange, limit: number, reverse: boolean): KeyValue[] {
    const out: KeyValue[] = [];
    const buffered = this.pending === null ? null : new PagedCursor(this.pending, range, reverse, limit);
    const base = new BaseCursor(this.base, this.visibleSegments(range, reverse), reverse, limit);
    const direction = reverse ? -1 : 1;
    while (limit === 0 || out.length < limit) {
      const mine = buffered?.peek();
      const theirs = base.peek();
      if (mine === undefined) {
        if (theirs === undefined) break;
        out.push(theirs);
        base.next();
        continue;
      }
      let baseValue: Bytes | undefined;
      if (theirs !== undefined) {
        const order = compareBytes(mine.key, theirs.key) * direction;
        if (order > 0) {
          out.push(theirs);
          base.next();
          continue;
        }
        if (order === 0) {
          baseValue = theirs.value;
          base.next();
        }
      }
      buffered!.next();
      const pending = mine.value;
      if (pending === null) continue;
      out.push({ key: mine.key, value: typeof pending === "bigint" ? addToValue(baseValue, pending) : pending });
    }
    return out;
  }

  /** `range` minus the cleared ranges, in reading order. */
  private visibleSegments(range: KeyRange, reverse: boolean): KeyRange[] {
    const starts = this.clearedStarts;
    const ends = this.clearedEnds;
    if (starts === null || ends === null) return [range];
    const segments: KeyRange[] = [];
    let pos = range.start;
    // First cleared range ending after `pos`.
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(ends[mid]!, pos) <= 0) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; compareBytes(pos, range.end) < 0; i++) {
      const clearedStart = starts[i];
      if (clearedStart === undefined || compareBytes(clearedStart, range.end) >= 0) {
        segments.push({ start: pos, end: range.end });
        break;
      }
      if (compareBytes(clearedStart, pos) > 0) segments.push({ start: pos, end: clearedStart });
      const clearedEnd = ends[i]!;
      if (compareBytes(clearedEnd, pos) > 0) pos = clearedEnd;
    }
    if (reverse) segments.reverse();
    return segments;
  }

  private isCleared(key: Bytes): boolean {
    const starts = this.clearedStarts;
    const ends = this.clearedEnds;
    if (starts === null || ends === null) return false;
    // Last cleared range starting at or before `key`.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(starts[mid]!, key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && compareBytes(key, ends[lo - 1]!) < 0;
  }

  private addCleared(start: Bytes, end: Bytes): void {
    if (this.clearedStarts === null || this.clearedEnds === null) {
      this.clearedStarts = [start];
      this.clearedEnds = [end];
      return;
    }
    const starts = this.clearedStarts;
    const ends = this.clearedEnds;
    // Ranges i..j-1 overlap or touch [start, end): they merge into one.
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(ends[mid]!, start) < 0) lo = mid + 1;
      else hi = mid;
    }
    const i = lo;
    let j = i;
    while (j < starts.length && compareBytes(starts[j]!, end) <= 0) j++;
    let mergedStart = start;
    let mergedEnd = end;
    if (j > i) {
      if (compareBytes(starts[i]!, mergedStart) < 0) mergedStart = starts[i]!;
      if (compareBytes(ends[j - 1]!, mergedEnd) > 0) mergedEnd = ends[j - 1]!;
    }
    starts.splice(i, j - i, mergedStart);
    ends.splice(i, j - i, mergedEnd);
  }

  private pendingMap(): OrderedMap<Pending> {
    if (this.pending === null) this.pending = new OrderedMap<Pending>();
    return this.pending;
  }

  private checkLive(): void {
    this.checkNotFinished();
    if (this.readsCheckAge) checkTransactionAge(this.startedAt, this.clock());
  }

  private checkNotFinished(): void {
    if (this.finished) {
      throw new Error("transaction used after it finished: a body must await all its reads before returning");
    }
  }

  // Writes skip the clock: time passes at awaits, that is at reads, and
  // finish() checks the age once more before anything commits.
  private checkWrite(key: Bytes): void {
    this.checkNotFinished();
    if (this.readOnly) {
      throw new Error("write inside engine.read: run commands that write with engine.write");
    }
    checkKeyLength(key);
  }

  private count(bytes: number): void {
    this.totalBytes = addTransactionBytes(this.totalBytes, bytes);
  }
}
