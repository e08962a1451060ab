// Keyspace-wide operations (KEYS, SCAN, DBSIZE, RANDOMKEY, FLUSHDB and
// FLUSHALL) over a keyspace view: the whole database, or, for a principal
// limited to key prefixes (a prefix-scoped token), only the keys under its
// prefixes (`ks.scope`, set by the executor). The scoped forms read the
// prefixes' ranges, so they cost O(keys in scope) where the unscoped ones
// read a counter or clear one range. This is the one place that looks at
// the scope: commands call the functions at the end of this module.
import { compareBytes } from "../engine/bytes.ts";
import type { ReadTxn, Txn } from "../engine/contract.ts";
import { deleteKeys, flushDatabase, flushTenant, keyCounts, randomKey, type ScanFilter, type ScanPage, scanPage } from "./keys.ts";
import type { KeyPrefixes, Keyspace } from "./keyspace.ts";
import { DATABASE_COUNT } from "./limits.ts";

export type { KeyPrefixes };

/** SCAN and KEYS over the scope: pages over each prefix's range in turn, resumable by engine key. */
export async function scopedScanPage(
  tx: ReadTxn,
  ks: Keyspace,
  scope: KeyPrefixes,
  page: { readonly resumeAfter?: Uint8Array; readonly limit: number; readonly filter: ScanFilter; readonly nowMs: number },
): Promise<ScanPage> {
  const keys: Uint8Array[] = [];
  let resumeAfter = page.resumeAfter;
  for (const prefix of scope.scanPrefixes) {
    const range = ks.metaRangeWithKeyPrefix(prefix);
    // Ranges wholly before the resume point were finished by earlier pages.
    if (resumeAfter !== undefined && compareBytes(resumeAfter, range.end) >= 0) continue;
    const from = resumeAfter !== undefined && compareBytes(resumeAfter, range.start) >= 0 ? resumeAfter : undefined;
    const result = await scanPage(tx, ks, { ...page, resumeAfter: from, filter: { ...page.filter, keyPrefix: prefix } });
    keys.push(...result.keys);
    if (result.resumeAfter !== undefined) return { keys, resumeAfter: result.resumeAfter };
    resumeAfter = undefined;
  }
  return { keys, resumeAfter: undefined };
}

const PAGE = 1_000;

/** Every live key in scope, in key order. */
export async function scopedKeys(tx: ReadTxn, ks: Keyspace, scope: KeyPrefixes, filter: ScanFilter, nowMs: number): Promise<Uint8Array[]> {
  const all: Uint8Array[] = [];
  let resumeAfter: Uint8Array | undefined;
  do {
    const page = await scopedScanPage(tx, ks, scope, { resumeAfter, limit: PAGE, filter, nowMs });
    all.push(...page.keys);
    resumeAfter = page.resumeAfter;
  } while (resumeAfter !== undefined);
  return all;
}

/** DBSIZE in scope. */
export async function scopedCount(tx: ReadTxn, ks: Keyspace, scope: KeyPrefixes, nowMs: number): Promise<number> {
  return (await scopedKeys(tx, ks, scope, {}, nowMs)).length;
}

/** RANDOMKEY in scope: uniform over the live keys. */
export async function scopedRandomKey(tx: ReadTxn, ks: Keyspace, scope: KeyPrefixes, nowMs: number, random: () => number = Math.random): Promise<Uint8Array | undefined> {
  const keys = await scopedKeys(tx, ks, scope, {}, nowMs);
  return keys.length === 0 ? undefined : keys[Math.floor(random() * keys.length)];
}

/** FLUSHDB in scope: deletes each key, with its members, counters and expiry. */
export async function scopedFlush(tx: Txn, ks: Keyspace, scope: KeyPrefixes, nowMs: number): Promise<number> {
  return deleteKeys(tx, ks, await scopedKeys(tx, ks, scope, {}, nowMs), nowMs);
}

/** SCAN and KEYS: a page of the keys the view holds. */
export function scanKeys(
  tx: ReadTxn,
  ks: Keyspace,
  page: { readonly resumeAfter?: Uint8Array; readonly limit: number; readonly filter: ScanFilter; readonly nowMs: number },
): Promise<ScanPage> {
  return ks.scope === undefined ? scanPage(tx, ks, page) : scopedScanPage(tx, ks, ks.scope, page);
}

/** DBSIZE: the keys the view holds. */
export async function countKeys(tx: ReadTxn, ks: Keyspace, nowMs: number): Promise<number> {
  return ks.scope === undefined ? (await keyCounts(tx, ks)).keys : scopedCount(tx, ks, ks.scope, nowMs);
}

/** RANDOMKEY: one of the live keys the view holds, uniformly. */
export function randomKeyOf(tx: ReadTxn, ks: Keyspace, nowMs: number): Promise<Uint8Array | undefined> {
  return ks.scope === undefined ? randomKey(tx, ks, { nowMs }) : scopedRandomKey(tx, ks, ks.scope, nowMs);
}

/** FLUSHDB: every key the view holds. */
export async function flushView(tx: Txn, ks: Keyspace, nowMs: number): Promise<void> {
  if (ks.scope === undefined) flushDatabase(tx, ks);
  else await scopedFlush(tx, ks, ks.scope, nowMs);
}

/** FLUSHALL: every key the view holds in every database of its tenant. */
export async function flushViewEverywhere(tx: Txn, ks: Keyspace, options: { readonly nowMs: number; readonly keyspaceOf: (tenant: string, db: number) => Keyspace }): Promise<void> {
  if (ks.scope === undefined) {
    flushTenant(tx, ks.tenant);
    return;
  }
  for (let db = 0; db < DATABASE_COUNT; db++) await scopedFlush(tx, ks.sibling(db, options.keyspaceOf), ks.scope, options.nowMs);
}

/**
 * Whether every key that starts with `head` lies inside the view's key
 * prefixes (always true without a scope): SORT's BY and GET patterns may read
 * only keys their token may read, whatever the elements substituted.
 */
export function everyKeyWithPrefixInScope(ks: Keyspace, head: Uint8Array): boolean {
  if (ks.scope === undefined) return true;
  return ks.scope.scanPrefixes.some((prefix) => prefix.length <= head.length && compareBytes(head.subarray(0, prefix.length), prefix) === 0);
}
