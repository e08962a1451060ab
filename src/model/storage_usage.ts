// Storage used by a tenant, kept exactly with the data: every transaction
// that writes a tenant's keys also adds the change in bytes (key + value of
// each engine entry) to one counter per database, in the same commit.
//
// UsageMeter wraps the transaction a command runs in. It learns each written
// entry's previous size from what the command already read, else reads it
// just before the write; a range clear reads the range first, except when it
// clears whole databases (FLUSHDB, FLUSHALL), whose counters go with them.
// The database counters (key count, bytes) and the global expiry index are
// not counted: they are Materia's bookkeeping. A collection's cardinality
// counter is counted, since clearing the collection's members clears it too.
import type { Bytes, KeyRange, KeyValue, KeyWatch, MaybePromise, RangeOptions, ReadTxn, Txn } from "../engine/contract.ts";
import { then } from "../engine/maybe_promise.ts";
import { compareBytes } from "../engine/bytes.ts";
import { KeySizes } from "./key_sizes.ts";
import { ADD_VALUE_BYTES, decodeInt64 } from "../engine/atomic_add.ts";
import { packTuple, prefixRange } from "../engine/tuple.ts";
import { Keyspace } from "./keyspace.ts";
import { DATABASE_COUNT } from "./limits.ts";

/** The counter, in each database's counter space, of its bytes. */
export const BYTES_COUNTER = "bytes";

/** What a transaction did to a tenant's usage, per database. */
export interface UsageChange {
  /** Databases cleared whole by this transaction (their usage restarts from `delta`). */
  readonly reset: ReadonlySet<number>;
  /** Bytes added (negative: freed) per database, after its last reset. */
  readonly delta: ReadonlyMap<number, number>;
  /** Sum of the deltas of databases not reset; what the quota check weighs. */
  readonly growth: number;
}

/** The `reset` of a change that cleared no database: shared, never changed. */
const NO_RESET: ReadonlySet<number> = new Set<number>();

const NO_CHANGE: UsageChange = Object.freeze({ reset: new Set<number>(), delta: new Map<number, number>(), growth: 0 });

interface Step {
  readonly db: number;
  /** A size change known now, or one waiting for the read of the previous value. */
  readonly delta: number | Promise<number>;
}

/**
 * Where a tenant's databases and their counters are: built once per tenant,
 * not per write. By slot (the physical database, Keyspace.slot): a SWAPDB
 * changes which database a slot holds, never where the slot's bytes are
 * counted, so usage needs no map.
 */
interface TenantLayout {
  readonly tenantPrefix: Uint8Array;
  readonly dbPrefixes: readonly Uint8Array[];
  readonly counterSpaces: readonly Uint8Array[];
  readonly bytesCounters: readonly Uint8Array[];
}

const layouts = new Map<string, TenantLayout>();

function layoutOf(tenant: string): TenantLayout {
  let layout = layouts.get(tenant);
  if (layout === undefined) {
    const spaces = slotSpaces(tenant);
    layout = {
      tenantPrefix: packTuple([tenant]),
      dbPrefixes: spaces.map((ks) => ks.prefix),
      counterSpaces: spaces.map((ks) => ks.counterSpace),
      bytesCounters: spaces.map((ks) => ks.counterKey(BYTES_COUNTER)),
    };
    layouts.set(tenant, layout);
  }
  return layout;
}

/**
 * The metering transaction: a Txn that forwards every call to the command's
 * transaction and counts the bytes its writes add or free. A class rather
 * than closures: one is made per write command, on the hot path.
 */
export class UsageMeter implements Txn {
  private readonly layout: TenantLayout;
  /** Engine key → its current size in this transaction, when known. */
  private readonly known = new KeySizes();
  private readonly steps: Step[] = [];
  /** Databases cleared whole (FLUSHDB, FLUSHALL) → the number of steps before the clear; null until one is (most writes). */
  private resetAt: Map<number, number> | null = null;
  /** True once the transaction changed anything (even without changing its size). */
  wrote = false;
  /** The engine's watch, where it has one (FoundationDB): a blocked pop watches its keys in its own transaction. */
  readonly watch?: (key: Bytes) => KeyWatch;

  constructor(private readonly inner: Txn, tenant: { readonly name: string }) {
    this.layout = layoutOf(tenant.name);
    if (inner.watch !== undefined) this.watch = (key) => inner.watch!(key);
  }

  /** The transaction to give the command: this meter itself. */
  get txn(): Txn {
    return this;
  }

  get snapshot(): ReadTxn {
    return this.inner.snapshot;
  }

  /**
   * Waits for pending size reads, if any, and adds the change to the
   * counters (in the same transaction). Synchronous when every previous size
   * was already known, as it is for most commands.
   */
  finish(): UsageChange | Promise<UsageChange> {
    const steps = this.steps;
    if (steps.length === 0 && this.resetAt === null) return NO_CHANGE;
    const known: number[] = new Array(steps.length);
    for (let i = 0; i < steps.length; i++) {
      const delta = steps[i]!.delta;
      if (typeof delta !== "number") return Promise.all(steps.map((s) => s.delta)).then((results) => this.total(results));
      known[i] = delta;
    }
    return this.total(known);
  }

  private total(results: readonly number[]): UsageChange {
    const delta = new Map<number, number>();
    results.forEach((change, i) => {
      const { db } = this.steps[i]!;
      if (i < (this.resetAt?.get(db) ?? 0)) return;
      delta.set(db, (delta.get(db) ?? 0) + change);
    });
    let growth = 0;
    for (const [db, change] of delta) {
      if (change !== 0) this.inner.add(this.layout.bytesCounters[db]!, BigInt(change));
      if (this.resetAt === null || !this.resetAt.has(db)) growth += change;
    }
    return { reset: this.resetAt === null ? NO_RESET : new Set(this.resetAt.keys()), delta, growth };
  }

  get(key: Bytes): MaybePromise<Bytes | undefined> {
    const read = this.inner.get(key);
    const db = this.dbOf(key);
    if (db === undefined) return read;
    return then(read, (value) => {
      if (!this.known.has(key)) this.known.set(key, value === undefined ? 0 : key.length + value.length);
      return value;
    });
  }

  getRange(range: KeyRange, options?: RangeOptions): MaybePromise<KeyValue[]> {
    return this.inner.getRange(range, options);
  }

  set(key: Bytes, value: Bytes): void {
    this.wrote = true;
    const db = this.dbOf(key);
    if (db !== undefined) this.record(db, key, key.length + value.length);
    this.inner.set(key, value);
  }

  /** A key known to hold nothing: its previous size is 0 without a read (Txn.setNew). */
  setNew(key: Bytes, value: Bytes): void {
    if (!this.known.has(key)) this.known.set(key, 0);
    this.set(key, value);
  }

  clear(key: Bytes): void {
    this.wrote = true;
    const db = this.dbOf(key);
    if (db !== undefined) this.record(db, key, 0);
    this.inner.clear(key);
  }

  clearRange(range: KeyRange): void {
    this.wrote = true;
    this.clearing(range);
    this.inner.clearRange(range);
  }

  add(key: Bytes, delta: bigint): void {
    this.wrote = true;
    // An add always leaves an 8-byte value; record() skips it when that is no change (an existing counter),
    // and counts the creation when the counter was missing, even if this transaction read or cleared it first.
    const db = this.dbOf(key);
    if (db !== undefined) this.record(db, key, key.length + ADD_VALUE_BYTES, this.inner.snapshot);
    this.inner.add(key, delta);
  }

  addReadConflictRange(range: KeyRange): void {
    this.inner.addReadConflictRange(range);
  }

  /** The entry at `key` now holds `size` bytes (0: gone). */
  private record(db: number, key: Bytes, size: number, reader: ReadTxn = this.inner): void {
    const previous = this.known.get(key);
    this.known.set(key, size);
    if (previous !== undefined) {
      if (size !== previous) this.steps.push({ db, delta: size - previous });
      return;
    }
    // Issued before the write, so read-your-writes gives the value before it.
    // A counter's previous size is read without a conflict: adds must not
    // conflict, and its creation conflicts anyway on its collection's meta.
    this.pending(db, then(reader.get(key), (value) => size - (value === undefined ? 0 : key.length + value.length)));
  }

  /**
   * A size read still under way: finish() awaits it. A body that fails after
   * writing (a script whose later redis.call read failed) never calls
   * finish(), so the read's own failure must not go unhandled: that would
   * end the process on Bun and Deno.
   */
  private pending(db: number, delta: number | Promise<number>): void {
    if (typeof delta !== "number") delta.catch(() => {});
    this.steps.push({ db, delta });
  }

  private clearing(range: KeyRange): void {
    this.known.clear();
    for (let db = 0; db < DATABASE_COUNT; db++) {
      const whole = prefixRange(this.layout.dbPrefixes[db]!);
      if (compareBytes(range.start, whole.start) <= 0 && compareBytes(range.end, whole.end) >= 0) {
        (this.resetAt ??= new Map()).set(db, this.steps.length);
      }
    }
    // Ranges inside one database (a key's members): count what they held.
    const db = this.dbOf(range.start);
    if (db === undefined || this.resetAt?.get(db) === this.steps.length) return;
    const end = prefixRange(this.layout.dbPrefixes[db]!).end;
    const bounded = compareBytes(range.end, end) <= 0 ? range : { start: range.start, end };
    this.pending(db, then(this.inner.getRange(bounded), (entries) => -sumSizes(entries)));
  }

  /** The database of a tenant key, or undefined for keys outside the tenant's data. */
  private dbOf(key: Bytes): number | undefined {
    const { tenantPrefix, dbPrefixes, counterSpaces } = this.layout;
    if (!startsWith(key, tenantPrefix)) return undefined;
    for (let db = 0; db < DATABASE_COUNT; db++) {
      if (startsWith(key, dbPrefixes[db]!)) return startsWith(key, counterSpaces[db]!) ? undefined : db;
    }
    return undefined;
  }
}

/** The keyspace of each slot of a tenant (slot n as database n). */
function slotSpaces(tenant: string): Keyspace[] {
  return Array.from({ length: DATABASE_COUNT }, (_, slot) => new Keyspace(tenant, slot));
}

/** A tenant's bytes per slot (physical database), from the counters. */
export async function readUsage(tx: ReadTxn, tenant: string): Promise<number[]> {
  const reads: MaybePromise<Bytes | undefined>[] = [];
  for (const ks of slotSpaces(tenant)) reads.push(tx.get(ks.counterKey(BYTES_COUNTER)));
  return (await Promise.all(reads)).map((bytes) => (bytes === undefined ? 0 : Number(decodeInt64(bytes))));
}

function sumSizes(entries: readonly KeyValue[]): number {
  let total = 0;
  for (const { key, value } of entries) total += key.length + value.length;
  return total;
}

function startsWith(key: Bytes, prefix: Bytes): boolean {
  if (prefix.length > key.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}

