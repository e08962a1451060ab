// Keyspace-wide operations: existence, deletion, type, counting, scanning
// and flushing. They read metas only, never members.
import { compareBytes, keyAfter } from "../engine/bytes.ts";
import type { KeyRange, MaybePromise, ReadTxn, Txn } from "../engine/contract.ts";
import { then } from "../engine/maybe_promise.ts";
import { readCounter, KEY_COUNT, EXPIRES_COUNT } from "./counters.ts";
import { lookup, lookupForWrite, readEachInOrder, removeKey } from "./db.ts";
import type { GlobMatcher } from "./glob.ts";
import { type Keyspace, tenantRange } from "./keyspace.ts";
import { isExpired, KeyType, type Meta, peekTypeAndExpiry, TYPE_NAMES } from "./meta.ts";
import { byteString } from "../engine/bytes.ts";

// EXISTS and DEL read their keys' metas in parallel: on FoundationDB that is
// one round trip instead of one per key, so a DEL of thousands of keys fits
// in a transaction's 5 seconds.

/** EXISTS: how many of `keys` exist, counting repeats. */
export function countExisting(tx: ReadTxn, ks: Keyspace, keys: readonly Uint8Array[], nowMs: number): MaybePromise<number> {
  return then(readEachInOrder(ks, keys, (view, key) => lookup(tx, view, key, nowMs)), (metas) => metas.filter((meta) => meta !== undefined).length);
}

/** DEL: deletes each key that exists; returns how many were deleted (a repeated key counts once). */
export function deleteKeys(tx: Txn, ks: Keyspace, keys: readonly Uint8Array[], nowMs: number): MaybePromise<number> {
  const seen = new Set<string>();
  const unique = keys.length === 1 ? keys : keys.filter((key) => {
    const id = byteString(key);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return then(readEachInOrder(ks, unique, (view, key) => lookupForWrite(tx, view, key, nowMs)), (metas) => removeFound(tx, ks, unique, metas));
}

/** DEL's writes, once the metas of its keys are known. */
function removeFound(tx: Txn, ks: Keyspace, keys: readonly Uint8Array[], metas: readonly (Meta | undefined)[]): number {
  let deleted = 0;
  for (let i = 0; i < keys.length; i++) {
    const meta = metas[i];
    if (meta === undefined) continue;
    removeKey(tx, ks, keys[i]!, meta);
    ks.notify("g", "del", keys[i]!);
    deleted++;
  }
  return deleted;
}

/** TYPE: the type name, or "none". */
export function typeName(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<string> {
  return then(lookup(tx, ks, key, nowMs), (meta) => meta === undefined ? "none" : TYPE_NAMES[meta.type]);
}

export interface KeyCounts {
  readonly keys: number;
  readonly expires: number;
}

/** DBSIZE and INFO keyspace, from the counters (keys expired but not yet swept still count, as in Redis). */
export async function keyCounts(tx: ReadTxn, ks: Keyspace): Promise<KeyCounts> {
  const [keys, expires] = await Promise.all([readCounter(tx, ks, KEY_COUNT), readCounter(tx, ks, EXPIRES_COUNT)]);
  return { keys, expires };
}

export interface ScanFilter {
  readonly match?: GlobMatcher;
  readonly type?: KeyType;
  /** Only keys starting with these bytes (a prefix-limited token's range). */
  readonly keyPrefix?: Uint8Array;
}

export interface ScanPage {
  /** Live keys of this page that pass the filter, in key order. */
  readonly keys: Uint8Array[];
  /** The engine key to resume after, or undefined when the range is exhausted. */
  readonly resumeAfter: Uint8Array | undefined;
}

/**
 * One page of a scan over metas: reads up to `limit` entries after
 * `resumeAfter` (an engine key from a previous page), then filters. Reads are
 * snapshot-free here because the caller runs them in a read-only transaction.
 */
export async function scanPage(
  tx: ReadTxn,
  ks: Keyspace,
  page: { readonly resumeAfter?: Uint8Array; readonly limit: number; readonly filter: ScanFilter; readonly nowMs: number },
): Promise<ScanPage> {
  const range = scanRange(ks, page.filter);
  if (range === undefined) return { keys: [], resumeAfter: undefined };
  const start = page.resumeAfter ? keyAfter(page.resumeAfter) : range.start;
  if (compareBytes(start, range.end) >= 0) return { keys: [], resumeAfter: undefined };
  const entries = await tx.getRange({ start, end: range.end }, { limit: page.limit });
  const keys: Uint8Array[] = [];
  for (const { key: engineKey, value } of entries) {
    const { type, expireAt } = peekTypeAndExpiry(value);
    if (isExpired(expireAt, page.nowMs)) continue;
    if (page.filter.type !== undefined && type !== page.filter.type) continue;
    const userKey = ks.userKeyOfMeta(engineKey);
    if (page.filter.match && !page.filter.match.matches(userKey)) continue;
    keys.push(userKey);
  }
  const last = entries[entries.length - 1];
  return { keys, resumeAfter: entries.length < page.limit || last === undefined ? undefined : last.key };
}

/** The meta range a filter allows: the longer of the glob's literal prefix and the scope's, undefined when they exclude each other. */
function scanRange(ks: Keyspace, filter: ScanFilter): KeyRange | undefined {
  const literal = filter.match?.literalPrefix;
  const scope = filter.keyPrefix;
  if (scope === undefined) return literal === undefined ? ks.metaRange : ks.metaRangeWithKeyPrefix(literal);
  if (literal === undefined || startsWith(literal, scope)) return ks.metaRangeWithKeyPrefix(literal ?? scope);
  return startsWith(scope, literal) ? ks.metaRangeWithKeyPrefix(scope) : undefined;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

/** FLUSHDB: one range clear; counters and indexes go with it. */
export function flushDatabase(tx: Txn, ks: Keyspace): void {
  tx.clearRange(ks.all);
}

/** FLUSHALL: every database of the tenant. */
export function flushTenant(tx: Txn, tenant: string): void {
  tx.clearRange(tenantRange(tenant));
}

/** RANDOMKEY reads the meta range in pages of this many entries (expired keys are skipped). */
const RANDOM_PAGE = 64;

/** Up to this many keys (by the key counter), RANDOMKEY reads them all and picks one uniformly. */
export const RANDOM_EXACT_KEYS = 256;

/**
 * RANDOMKEY: a live key, undefined when the database has none. A small
 * database (up to RANDOM_EXACT_KEYS keys) is read whole and a live key picked
 * uniformly. A larger one is not read: a random point between the first and
 * the last key, then the first live key at or after it, wrapping around to
 * the start. There, keys after wide gaps come up more often, as Redis's
 * sampling of hash buckets also allows; every live key can come up.
 */
export async function randomKey(tx: ReadTxn, ks: Keyspace, options: { readonly nowMs: number; readonly random?: () => number }): Promise<Uint8Array | undefined> {
  const range = ks.metaRange;
  const random = options.random ?? Math.random;
  if ((await readCounter(tx, ks, KEY_COUNT)) <= RANDOM_EXACT_KEYS) {
    // The counter counts keys expired but not yet swept too: the read is bounded by it, plus one to see past it.
    const entries = await tx.getRange(range, { limit: RANDOM_EXACT_KEYS + 1 });
    if (entries.length <= RANDOM_EXACT_KEYS) {
      const live = entries.filter(({ value }) => !isExpired(peekTypeAndExpiry(value).expireAt, options.nowMs));
      return live.length === 0 ? undefined : ks.userKeyOfMeta(live[Math.floor(random() * live.length)]!.key);
    }
  }
  const [first] = await tx.getRange(range, { limit: 1 });
  if (first === undefined) return undefined;
  const [last] = await tx.getRange(range, { limit: 1, reverse: true });
  const point = ks.metaKey(pointBetween(ks.userKeyOfMeta(first.key), ks.userKeyOfMeta(last!.key), random));
  return (await firstLiveKey(tx, ks, { start: point, end: range.end }, options.nowMs)) ??
    (await firstLiveKey(tx, ks, { start: range.start, end: point }, options.nowMs));
}

async function firstLiveKey(tx: ReadTxn, ks: Keyspace, range: { start: Uint8Array; end: Uint8Array }, nowMs: number): Promise<Uint8Array | undefined> {
  let start = range.start;
  while (compareBytes(start, range.end) < 0) {
    const entries = await tx.getRange({ start, end: range.end }, { limit: RANDOM_PAGE });
    for (const { key, value } of entries) {
      if (!isExpired(peekTypeAndExpiry(value).expireAt, nowMs)) return ks.userKeyOfMeta(key);
    }
    const last = entries[entries.length - 1];
    if (entries.length < RANDOM_PAGE || last === undefined) return undefined;
    start = keyAfter(last.key);
  }
  return undefined;
}

/** Bytes compared after the common prefix when picking a random point: 6 bytes keep the arithmetic exact. */
const POINT_BYTES = 6;

/** A random byte string between `low` and `high` (byte order), uniform over their first differing bytes. */
function pointBetween(low: Uint8Array, high: Uint8Array, random: () => number): Uint8Array {
  let common = 0;
  while (common < low.length && common < high.length && low[common] === high[common]) common++;
  const numberAt = (bytes: Uint8Array) => {
    let n = 0;
    for (let i = 0; i < POINT_BYTES; i++) n = n * 256 + (bytes[common + i] ?? 0);
    return n;
  };
  const from = numberAt(low);
  const to = numberAt(high);
  let picked = from + Math.floor(random() * (to - from + 1));
  const out = new Uint8Array(common + POINT_BYTES);
  out.set(low.subarray(0, common), 0);
  for (let i = POINT_BYTES - 1; i >= 0; i--) {
    out[common + i] = picked % 256;
    picked = Math.floor(picked / 256);
  }
  // Trailing zeros only pad: without them the lowest point is `low` itself, so the first key can come up.
  let end = out.length;
  while (end > common && out[end - 1] === 0) end--;
  return out.subarray(0, end);
}
