// Keyspace-wide operations for a principal limited to key prefixes (a
// prefix-scoped token): KEYS, SCAN, DBSIZE, RANDOMKEY, FLUSHDB and FLUSHALL
// see and touch only the keys under its prefixes. They read the prefixes'
// ranges, so they cost O(keys in scope) where the unscoped ones read a
// counter or clear one range.
import { compareBytes } from "../engine/bytes.ts";
import type { ReadTxn, Txn } from "../engine/contract.ts";
import { deleteKeys, type ScanFilter, type ScanPage, scanPage } from "./keys.ts";
import type { Keyspace } from "./keyspace.ts";

/** The key prefixes of a scope, sorted, none a prefix of another (auth's KeyScope satisfies it). */
export interface KeyPrefixes {
  readonly scanPrefixes: readonly Uint8Array[];
}

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
