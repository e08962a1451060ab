// Which physical database (a slot) holds each of a tenant's 16 databases.
//
// SWAPDB on an ordered store: the keys of a database live under the prefix
// <tenant, slot>, so swapping two databases by moving their keys would cost
// O(keys), and beyond FoundationDB's 10 MB per transaction it could not be
// done at all; yet SWAPDB exists to publish a whole database rebuilt aside.
// So the tenant keeps a map from the number a client selects to the slot
// that holds it, and SWAPDB exchanges two entries of the map: one key
// written, O(1) and atomic whatever the databases hold.
//
// The map is one engine key per tenant, outside its databases, absent until
// the tenant's first SWAPDB (the identity). FLUSHALL leaves it: the slots
// are emptied, the mapping among them does not matter. Servers cache it
// (core/database_maps.ts): a server that owns its engine makes every change
// itself; servers sharing FoundationDB check their copy in each transaction.
import type { MaybePromise, ReadTxn, Txn } from "../engine/contract.ts";
import { then } from "../engine/maybe_promise.ts";
import { packTuple } from "../engine/tuple.ts";
import { DATABASE_COUNT } from "./limits.ts";

/** Slot of each database, by database number; a permutation of 0..15. */
export type DatabaseSlots = readonly number[];

/** Where `tenant`'s map is kept (below every tenant's own keys, as its settings are). */
export function databaseMapKey(tenant: string): Uint8Array {
  return packTuple([null, "b", tenant]);
}

/** The identity map: database n is stored in slot n. */
export const IDENTITY_SLOTS: DatabaseSlots = Object.freeze(Array.from({ length: DATABASE_COUNT }, (_, db) => db));

/** The stored form: one byte per database; undefined (no key) for the identity. */
export function encodeSlots(slots: DatabaseSlots): Uint8Array | undefined {
  return isIdentity(slots) ? undefined : Uint8Array.from(slots);
}

/** A stored map; anything that is not a permutation of the slots is refused rather than followed. */
export function decodeSlots(bytes: Uint8Array | undefined): DatabaseSlots {
  if (bytes === undefined) return IDENTITY_SLOTS;
  const seen = new Set(bytes);
  if (bytes.length !== DATABASE_COUNT || seen.size !== DATABASE_COUNT || [...seen].some((slot) => slot >= DATABASE_COUNT)) {
    throw new Error("the database map of a tenant is damaged: expected a permutation of 16 slots");
  }
  return Object.freeze([...bytes]);
}

export function isIdentity(slots: DatabaseSlots): boolean {
  return slots.every((slot, db) => slot === db);
}

/** Whether two maps agree. */
export function sameSlots(a: DatabaseSlots, b: DatabaseSlots): boolean {
  return a === b || a.every((slot, db) => slot === b[db]);
}

/** The tenant's map as stored, read in `tx` (and so conflicting with a concurrent SWAPDB). */
export function readSlots(tx: ReadTxn, tenant: string): MaybePromise<DatabaseSlots> {
  return then(tx.get(databaseMapKey(tenant)), decodeSlots);
}

/** SWAPDB in the engine: exchanges the slots of databases `a` and `b`; returns the new map. */
export function swapSlots(tx: Txn, tenant: string, pair: { readonly a: number; readonly b: number }): MaybePromise<DatabaseSlots> {
  return then(readSlots(tx, tenant), (slots) => {
    if (pair.a === pair.b) return slots;
    const swapped = [...slots];
    swapped[pair.a] = slots[pair.b]!;
    swapped[pair.b] = slots[pair.a]!;
    const stored = encodeSlots(swapped);
    if (stored === undefined) tx.clear(databaseMapKey(tenant));
    else tx.set(databaseMapKey(tenant), stored);
    return Object.freeze(swapped);
  });
}
