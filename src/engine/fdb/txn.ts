// One attempt of a transaction on FoundationDB, behind the engine's Txn
// interface. FoundationDB does the real work (read-your-writes, conflicts,
// atomic adds); this layer enforces the same limits, with the same errors, as
// the other engines' write buffer, checks them before FoundationDB would (so
// the 5 s limit follows the engine's clock, which tests can inject), and
// hides the engine's own idempotency markers from range reads and clears.
import { encodeInt64 } from "../atomic_add.ts";
import { compareBytes } from "../bytes.ts";
import type { Bytes, KeyRange, KeyValue, RangeOptions, ReadTxn, Txn } from "../contract.ts";
import { addTransactionBytes, checkKeyLength, checkRangeEndLength, checkTransactionAge, checkValueLength } from "../limit_checks.ts";
import type { FdbTransaction } from "./client.ts";
import { engineErrorOf, type ErrorClassifier } from "./error_map.ts";
import { firstGreaterOrEqual, firstGreaterThan, type KeySelector, MutationType, StreamingMode } from "./fdb_c.ts";
import { FdbError } from "./futures.ts";
import { type HotKeys, MAX_KEYS_MARKED, type Release } from "./hot_keys.ts";

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
  /** Set while the first read waits for a hot key: later reads wait too, so none takes the read version early. */
  private firstReadGate: Promise<void> | undefined;
  private readStarted = false;
  private lettingGo = false;
  /** Keys read with conflicts (point reads), up to one more than MAX_KEYS_MARKED. */
  private readonly pointReads: Uint8Array[] = [];

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
  async readKey(key: Bytes, snapshot: boolean): Promise<Bytes | undefined> {
    this.checkLive();
    if (!snapshot) {
      this.count(key.length);
      if (this.pointReads.length <= MAX_KEYS_MARKED) this.pointReads.push(key);
    }
    await this.beforeRead(snapshot ? undefined : key);
    try {
      return await this.tr.get(key, snapshot);
    } catch (error) {
      throw this.translate(error);
    }
  }

  /** @internal The read behind `getRange` and `snapshot.getRange`. */
  async readRange(range: KeyRange, options: RangeOptions | undefined, snapshot: boolean): Promise<KeyValue[]> {
    this.checkLive();
    if (!snapshot) this.count(range.start.length + range.end.length);
    const limit = options?.limit !== undefined && options.limit > 0 ? options.limit : 0;
    const reverse = options?.reverse === true;
    await this.beforeRead(undefined);
    const parts = visibleParts(range, this.options.hidden);
    if (reverse) parts.reverse();
    const out: KeyValue[] = [];
    try {
      for (const part of parts) {
        await this.readWhole(part, { limit: limit === 0 ? 0 : limit - out.length, reverse, snapshot }, out);
        if (limit > 0 && out.length >= limit) break;
      }
    } catch (error) {
      throw this.translate(error);
    }
    return out;
  }

  set(key: Bytes, value: Bytes): void {
    this.checkWrite(key);
    checkValueLength(value);
    this.count(key.length + value.length);
    this.tr.set(key, value);
    this.wrote = true;
  }

  clear(key: Bytes): void {
    this.checkWrite(key);
    this.count(key.length);
    this.tr.clear(key);
    this.wrote = true;
  }

  clearRange(range: KeyRange): void {
    const { start, end } = range;
    this.checkWrite(start);
    checkRangeEndLength(end);
    this.count(start.length + end.length);
    if (compareBytes(start, end) >= 0) return;
    for (const part of visibleParts(range, this.options.hidden)) this.tr.clearRange(part.start, part.end);
    this.wrote = true;
  }

  add(key: Bytes, delta: bigint): void {
    this.checkWrite(key);
    this.count(key.length + 8);
    this.tr.atomicOp(key, encodeInt64(delta), MutationType.ADD);
    this.wrote = true;
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
   * the attempt holds none, wait for the key. Later reads wait for that wait.
   */
  private async beforeRead(key: Uint8Array | undefined): Promise<void> {
    if (!this.readStarted) {
      this.readStarted = true;
      const waiting = key === undefined || this.held.length > 0 ? undefined : this.options.hotKeys?.acquire(key);
      if (waiting !== undefined) {
        this.firstReadGate = waiting.then((release) => {
          // The attempt may have ended meanwhile (a body that did not await all its reads).
          if (this.lettingGo) release();
          else this.held.push(release);
          this.firstReadGate = undefined;
        });
      }
    }
    if (this.firstReadGate !== undefined) {
      await this.firstReadGate;
      this.checkLive();
    }
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
