// One attempt of a transaction on FoundationDB, behind the engine's Txn
// interface. FoundationDB does the real work (read-your-writes, conflicts,
// atomic adds); this layer enforces the same limits, with the same errors, as
// the other engines' write buffer, checks them before FoundationDB would (so
// the 5 s limit follows the engine's clock, which tests can inject), and
// hides the engine's own idempotency markers from range reads and clears.
//
// Call order. FoundationDB answers a read with the writes made before the
// read (each batch of a range read) was issued, so operations must reach it
// in the order the body called them, as far as they touch the same keys:
// a read goes at once unless an earlier write to its keys still waits; a
// write goes at once unless an earlier read of its keys (a range read with
// batches to come) or write to them still waits. Operations on other keys
// pass them, which no one can observe, so reads stay parallel. The first
// read waiting for a hot key holds everything up. Without this, a read
// answered late would see writes made after it: the storage meter reads a
// range, then the command overwrites it, and the bytes freed would be the
// new ones.
import { encodeInt64 } from "../atomic_add.ts";
import { compareBytes, keyAfter } from "../bytes.ts";
import type { Bytes, KeyRange, KeyValue, KeyWatch, RangeOptions, ReadTxn, Txn } from "../contract.ts";
import { addTransactionBytes, checkKeyLength, checkRangeEndLength, checkTransactionAge, checkValueLength } from "../limit_checks.ts";
import type { FdbTransaction } from "./client.ts";
import { engineErrorOf, type ErrorClassifier } from "./error_map.ts";
import { firstGreaterOrEqual, firstGreaterThan, type KeySelector, MutationType, StreamingMode } from "./fdb_c.ts";
import { FdbError } from "./futures.ts";
import { type HotKeys, MAX_KEYS_MARKED, type Release } from "./hot_keys.ts";
import type { FdbKeyWatch, WatchTable } from "./watches.ts";

/** Bytes of a versionstamp: 8 of commit version, 2 of order within the commit batch, big-endian. */
export const VERSIONSTAMP_BYTES = 10;

export interface FdbTxnOptions {
  readonly clock: () => number;
  readonly readOnly: boolean;
  /** Keys the caller must not see (the idempotency markers). */
  readonly hidden: KeyRange;
  readonly classify: ErrorClassifier;
  /** Keys this process's transactions take turns on (hot_keys.ts). */
  readonly hotKeys?: HotKeys;
  /** Hot keys already taken for this attempt (a retry after a conflict takes them first). */
  readonly held?: Release[];
  /** The engine's live watches: where watch() registers. */
  readonly watches: WatchTable;
}

class SnapshotView implements ReadTxn {
  constructor(private readonly txn: FdbTxn) {}
  get(key: Bytes): Promise<Bytes | undefined> {
    return this.txn.readKey(key, true);
  }
  getRange(range: KeyRange, options?: RangeOptions): Promise<KeyValue[]> {
    return this.txn.readRange(range, options, true);
  }
}

export class FdbTxn implements Txn {
  private readonly startedAt: number;
  private finished = false;
  private totalBytes = 0;
  private wrote = false;
  private snapshotView: ReadTxn | null = null;
  private readonly held: Release[];
  /** Operations not yet done with FoundationDB that later ones on the same keys must wait for (see "Call order"). */
  private readonly waiting = new Set<WaitingOperation>();
  /** Set while the first read waits for a hot key: every operation waits for it. */
  private turn: Promise<void> | undefined;
  private readStarted = false;
  /** A queued write that failed when its turn came (whenIssued reports it). */
  private queuedWriteFailure: unknown = undefined;
  private lettingGo = false;
  /** Keys read with conflicts (point reads), up to one more than MAX_KEYS_MARKED. */
  private readonly pointReads: Uint8Array[] = [];
  /** Watches made by this attempt: live only if it commits (the engine cancels them otherwise). */
  private readonly watchesMade: FdbKeyWatch[] = [];

  constructor(
    private readonly tr: FdbTransaction,
    private readonly options: FdbTxnOptions,
  ) {
    this.startedAt = options.clock();
    this.held = options.held ?? [];
  }

  /** The keys this attempt read with conflicts: the suspects when it conflicts. */
  get conflictKeys(): readonly Uint8Array[] {
    return this.pointReads;
  }

  /** Lets go of the hot keys this attempt holds. */
  releaseHotKeys(): void {
    this.lettingGo = true;
    for (const release of this.held.splice(0)) release();
  }

  /** Whether the body wrote anything (a transaction that did not need not commit). */
  get hasWrites(): boolean {
    return this.wrote;
  }

  /** Whether the body made watches: they start only once the transaction commits, even one that only read. */
  get hasWatches(): boolean {
    return this.watchesMade.length > 0;
  }

  /**
   * The attempt will not commit: its watches reject with `reason` and are
   * freed (they must not hold max_watches slots, nor report a transaction
   * that never committed).
   */
  dropWatches(reason: unknown): void {
    for (const watch of this.watchesMade.splice(0)) watch.fail(reason);
  }

  get snapshot(): ReadTxn {
    if (this.snapshotView === null) this.snapshotView = new SnapshotView(this);
    return this.snapshotView;
  }

  get(key: Bytes): Promise<Bytes | undefined> {
    return this.readKey(key, false);
  }

  getRange(range: KeyRange, options?: RangeOptions): Promise<KeyValue[]> {
    return this.readRange(range, options, false);
  }

  /** @internal The read behind `get` and `snapshot.get`. */
  readKey(key: Bytes, snapshot: boolean): Promise<Bytes | undefined> {
    try {
      this.checkLive();
      if (!snapshot) {
        this.count(key.length);
        if (this.pointReads.length <= MAX_KEYS_MARKED) this.pointReads.push(key);
      }
      this.startReading(snapshot ? undefined : key);
    } catch (error) {
      return Promise.reject(error);
    }
    // A point read is one request: once issued, nothing later can change its answer.
    const answer = this.inOrder({ start: key, end: keyAfter(key), read: true }, () => ({ answer: this.tr.get(key, snapshot) }));
    return answer.catch((error: unknown) => {
      throw this.translate(error);
    });
  }

  /** @internal The read behind `getRange` and `snapshot.getRange`. */
  readRange(range: KeyRange, options: RangeOptions | undefined, snapshot: boolean): Promise<KeyValue[]> {
    let parts: KeyRange[];
    try {
      this.checkLive();
      if (!snapshot) this.count(range.start.length + range.end.length);
      this.startReading(undefined);
      parts = visibleParts(range, this.options.hidden);
    } catch (error) {
      return Promise.reject(error);
    }
    if (parts.length === 0) return Promise.resolve([]);
    const limit = options?.limit !== undefined && options.limit > 0 ? options.limit : 0;
    const reverse = options?.reverse === true;
    if (reverse) parts.reverse();
    const readAll = async (): Promise<KeyValue[]> => {
      const out: KeyValue[] = [];
      for (const part of parts) {
        await this.readWhole(part, { limit: limit === 0 ? 0 : limit - out.length, reverse, snapshot }, out);
        if (limit > 0 && out.length >= limit) break;
      }
      return out;
    };
    // Its later batches are issued later: writes to its keys wait until it is done.
    const rows = this.inOrder({ start: range.start, end: range.end, read: true }, () => {
      const answer = readAll();
      return { issued: answer.then(noop, noop), answer };
    });
    return rows.catch((error: unknown) => {
      throw this.translate(error);
    });
  }

  set(key: Bytes, value: Bytes): void {
    this.checkWrite(key);
    checkValueLength(value);
    this.count(key.length + value.length);
    this.apply({ start: key, end: keyAfter(key), read: false }, () => this.tr.set(key, value));
    this.wrote = true;
  }

  clear(key: Bytes): void {
    this.checkWrite(key);
    this.count(key.length);
    this.apply({ start: key, end: keyAfter(key), read: false }, () => this.tr.clear(key));
    this.wrote = true;
  }

  clearRange(range: KeyRange): void {
    const { start, end } = range;
    this.checkWrite(start);
    checkRangeEndLength(end);
    this.count(start.length + end.length);
    if (compareBytes(start, end) >= 0) return;
    const parts = visibleParts(range, this.options.hidden);
    this.apply({ start, end, read: false }, () => {
      for (const part of parts) this.tr.clearRange(part.start, part.end);
    });
    this.wrote = true;
  }

  add(key: Bytes, delta: bigint): void {
    this.checkWrite(key);
    this.count(key.length + 8);
    const operand = encodeInt64(delta);
    this.apply({ start: key, end: keyAfter(key), read: false }, () => this.tr.atomicOp(key, operand, MutationType.ADD));
    this.wrote = true;
  }

  /**
   * fdb_transaction_watch on `key`, after the body's earlier writes to it
   * (the watch compares with the value this transaction sees, its own
   * writes included). See watches.ts.
   */
  watch(key: Bytes): KeyWatch {
    this.checkLive();
    checkKeyLength(key);
    const watch = this.options.watches.create();
    this.watchesMade.push(watch);
    const span: Span = { start: key, end: keyAfter(key), read: true };
    const blockers = this.blockersOf(span);
    if (blockers.length === 0) {
      watch.issue(this.tr, key);
    } else {
      this.track(span, Promise.all(blockers).then(() => {
        if (!this.finished) watch.issue(this.tr, key);
      }, noop));
    }
    return watch;
  }

  /**
   * @internal The event log's write: `prefix`, then the commit's 10-byte
   * versionstamp, then `suffix` (FoundationDB's SET_VERSIONSTAMPED_KEY, the
   * stamp's offset in the last 4 bytes of the operand key). Not ordered with
   * the body's other operations: only for bodies that read nothing it writes.
   */
  setVersionstampedKey(prefix: Bytes, suffix: Bytes, value: Bytes): void {
    const keyLength = prefix.length + VERSIONSTAMP_BYTES + suffix.length;
    const operand = new Uint8Array(keyLength + 4);
    operand.set(prefix, 0);
    operand.set(suffix, prefix.length + VERSIONSTAMP_BYTES);
    new DataView(operand.buffer).setUint32(keyLength, prefix.length, true);
    this.checkWrite(operand.subarray(0, keyLength));
    checkValueLength(value);
    this.count(keyLength + value.length);
    this.tr.atomicOp(operand, value, MutationType.SET_VERSIONSTAMPED_KEY);
    this.wrote = true;
  }

  addReadConflictRange(range: KeyRange): void {
    this.checkLive();
    if (compareBytes(range.start, range.end) >= 0) return;
    // Like a read, it comes after the hot-key turn, and nothing later can change what it covers.
    if (this.turn === undefined) this.markConflict(range);
    else this.track({ start: range.start, end: range.end, read: true }, this.turn.then(() => this.markConflict(range)));
  }

  private markConflict(range: KeyRange): void {
    try {
      this.tr.addReadConflictRange(range.start, range.end);
    } catch (error) {
      throw this.translate(error);
    }
  }

  /** Resolves once every operation the body called has reached FoundationDB: the engine waits for it before committing. */
  whenIssued(): Promise<void> | undefined {
    if (this.waiting.size === 0 && this.turn === undefined) {
      return this.queuedWriteFailure === undefined ? undefined : Promise.reject(this.queuedWriteFailure);
    }
    const all = [...this.waiting].map((operation) => operation.done);
    if (this.turn !== undefined) all.push(this.turn);
    return Promise.all(all).then(() => this.whenIssued());
  }

  /** @internal A write the engine makes itself (its marker), outside the caller's limits. */
  setUnchecked(key: Bytes, value: Bytes): void {
    this.tr.set(key, value);
    this.wrote = true;
  }

  /** @internal A read the engine makes itself (its marker). */
  async getUnchecked(key: Bytes): Promise<Bytes | undefined> {
    try {
      return await this.tr.get(key, false);
    } catch (error) {
      throw this.translate(error);
    }
  }

  /** Ends the attempt: later use throws. Throws transaction_timed_out when it outlived the limit. */
  finish(): void {
    this.checkLive();
    this.finished = true;
  }

  abandon(): void {
    this.finished = true;
  }

  /** Reads [start, end) in batches until done or `limit` rows, appending to `out`. */
  private async readWhole(
    range: KeyRange,
    request: { readonly limit: number; readonly reverse: boolean; readonly snapshot: boolean },
    out: KeyValue[],
  ): Promise<void> {
    const { limit, reverse, snapshot } = request;
    let begin: KeySelector = firstGreaterOrEqual(range.start);
    let end: KeySelector = firstGreaterOrEqual(range.end);
    const target = limit === 0 ? 0 : out.length + limit;
    // WANT_ALL for a whole range; EXACT when the caller said how many rows it wants.
    const mode = limit === 0 ? StreamingMode.WANT_ALL : StreamingMode.EXACT;
    for (let iteration = 1; ; iteration++) {
      const batch = await this.tr.getRange(begin, end, {
        limit: target === 0 ? 0 : target - out.length,
        mode,
        iteration,
        snapshot,
        reverse,
      });
      for (const entry of batch.entries) out.push(entry);
      const last = batch.entries[batch.entries.length - 1];
      if (!batch.more || last === undefined || (target > 0 && out.length >= target)) return;
      // Continue after the last key returned (before it, in reverse).
      if (reverse) end = firstGreaterOrEqual(last.key);
      else begin = firstGreaterThan(last.key);
      this.checkLive();
    }
  }

  /**
   * Before the first read takes the read version: when it reads a hot key and
   * the attempt holds none, every operation from this read on waits until
   * the key is this attempt's turn (hot_keys.ts).
   */
  private startReading(key: Uint8Array | undefined): void {
    if (this.readStarted) return;
    this.readStarted = true;
    const waiting = key === undefined || this.held.length > 0 ? undefined : this.options.hotKeys?.acquire(key);
    if (waiting === undefined) return;
    const turn = waiting.then((release) => {
      // The attempt may have ended meanwhile (a body that did not await all its reads).
      if (this.lettingGo) release();
      else this.held.push(release);
    });
    this.turn = turn;
    void turn.then(() => {
      if (this.turn === turn) this.turn = undefined;
    }, noop);
  }

  /** What an operation on `span` must wait for: the hot-key turn, and earlier operations on its keys that it may not pass. */
  private blockersOf(span: Span): Promise<void>[] {
    const blockers: Promise<void>[] = [];
    if (this.turn !== undefined) blockers.push(this.turn);
    for (const earlier of this.waiting) {
      // Reads pass reads; anything else on shared keys keeps its order.
      if (span.read && earlier.span.read) continue;
      if (compareBytes(span.start, earlier.span.end) < 0 && compareBytes(earlier.span.start, span.end) < 0) blockers.push(earlier.done);
    }
    return blockers;
  }

  /**
   * Issues a read now, or once what it may not pass is done. `issue` starts
   * it and, for a read issued in several requests, says when its last one
   * is (`issued`): until then, writes to its keys wait.
   */
  private inOrder<T>(span: Span, issue: () => { issued?: Promise<void>; answer: Promise<T> }): Promise<T> {
    const blockers = this.blockersOf(span);
    if (blockers.length === 0) {
      const started = issue();
      if (started.issued !== undefined) this.track(span, started.issued);
      return started.answer;
    }
    let answer!: Promise<T>;
    const issued = Promise.all(blockers).then(() => {
      this.checkLive();
      const started = issue();
      answer = started.answer;
      return started.issued;
    });
    this.track(span, issued.then(noop, noop));
    // A failure to issue (the transaction outlived its limit meanwhile) is the read's failure.
    return issued.then(() => answer);
  }

  /** A write: applied now, or once what it may not pass is done. */
  private apply(span: Span, write: () => void): void {
    const blockers = this.blockersOf(span);
    if (blockers.length === 0) {
      write();
      return;
    }
    this.track(span, Promise.all(blockers).then(() => {
      if (this.finished) return;
      try {
        write();
      } catch (error) {
        // Reported by whenIssued, so the commit fails rather than lose the write.
        this.queuedWriteFailure ??= error;
      }
    }, (error: unknown) => {
      this.queuedWriteFailure ??= error;
    }));
  }

  /** Keeps an operation in `waiting` until `done`. */
  private track(span: Span, done: Promise<void>): void {
    const operation: WaitingOperation = { span, done };
    this.waiting.add(operation);
    void done.then(() => this.waiting.delete(operation), () => this.waiting.delete(operation));
  }

  private translate(error: unknown): unknown {
    return error instanceof FdbError ? engineErrorOf(error, this.options.classify) : error;
  }

  private checkLive(): void {
    this.checkNotFinished();
    checkTransactionAge(this.startedAt, this.options.clock());
  }

  private checkNotFinished(): void {
    if (this.finished) {
      throw new Error("transaction used after it finished: a body must await all its reads before returning");
    }
  }

  private checkWrite(key: Bytes): void {
    this.checkNotFinished();
    if (this.options.readOnly) {
      throw new Error("write inside engine.read: run commands that write with engine.write");
    }
    checkKeyLength(key);
  }

  private count(bytes: number): void {
    this.totalBytes = addTransactionBytes(this.totalBytes, bytes);
  }
}

function noop(): void {}

/** The keys an operation touches, [start, end), and whether it only reads them. */
interface Span {
  readonly start: Bytes;
  readonly end: Bytes;
  readonly read: boolean;
}

interface WaitingOperation {
  readonly span: Span;
  readonly done: Promise<void>;
}

/** `range` minus `hidden`, in key order: zero, one or two ranges. */
export function visibleParts(range: KeyRange, hidden: KeyRange): KeyRange[] {
  const { start, end } = range;
  if (compareBytes(start, end) >= 0) return [];
  if (compareBytes(end, hidden.start) <= 0 || compareBytes(start, hidden.end) >= 0) return [range];
  const parts: KeyRange[] = [];
  if (compareBytes(start, hidden.start) < 0) parts.push({ start, end: hidden.start });
  if (compareBytes(end, hidden.end) > 0) parts.push({ start: hidden.end, end });
  return parts;
}
