// Sets over the engine. Each member is its own engine key
// ks.fieldKey(key, gen, member) with an empty value; the meta has no body;
// the size is the cardinality counter (collections.ts). SADD of one member
// reads the meta and that member only, so writers of different members never
// conflict.
//
// Operations over several sets (SINTER, SUNION, SDIFF and their STORE and
// CARD forms) read with bounded range reads and point reads inside one
// transaction: a set too large for FoundationDB's limits (5 s; 10 MB read by
// a writing transaction) fails with the engine's limit error, never hangs.
import type { MaybePromise, ReadTxn, Txn } from "../engine/contract.ts";
import { all, sequence, then } from "../engine/maybe_promise.ts";
import {
  addCardinality,
  countTrue,
  createCollection,
  lookupCollection,
  lookupCollectionForWrite,
  MEMBER_PAGE,
  memberKeyFits,
  notifyRemoval,
  pickRandom,
  readAllMembers,
  readCardinality,
  readMemberPage,
  removedMembers,
  replaceWithCollection,
} from "./collections.ts";
import { byteString, bytesEqual } from "../engine/bytes.ts";
import { lookupForWrite, removeKey } from "./db.ts";
import type { Keyspace } from "./keyspace.ts";
import { KeyType, type Meta } from "./meta.ts";
import type { Status } from "./status.ts";

const EMPTY = new Uint8Array(0);
const SET = { type: KeyType.Set } as const;

/** A member as a Map key (one char per byte). */
const idOf = byteString;

function hasMember(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly gen: number; readonly member: Uint8Array }): MaybePromise<boolean> {
  if (!memberKeyFits(ks, key, at)) return false;
  return then(tx.get(ks.fieldKey(key, at.gen, at.member)), (value) => value !== undefined);
}

/** SADD: how many members are new. A member too long to store fails the command before any write. */
export function addMembers(tx: Txn, ks: Keyspace, key: Uint8Array, change: { readonly members: readonly Uint8Array[]; readonly nowMs: number }): MaybePromise<number | Status> {
  return then(lookupCollectionForWrite(tx, ks, key, { ...SET, nowMs: change.nowMs }), (meta) => {
    if (meta === "WRONGTYPE") return meta;
    const gen = meta?.gen ?? 0;
    for (const member of change.members) if (!memberKeyFits(ks, key, { gen, member })) return "MEMBER_TOO_LARGE";
    if (meta === undefined) createCollection(tx, ks, key, KeyType.Set);
    // One member after the other: a member named twice is added once (read-your-writes).
    return then(sequence(change.members, (member) => addMember(tx, ks, key, { gen, member })), (outcomes) => {
      const added = countTrue(outcomes);
      addCardinality(tx, ks, key, { gen, delta: added });
      if (added > 0) ks.notify("s", "sadd", key);
      return added;
    });
  });
}

/** SADD of one member: true when it is new. */
function addMember(tx: Txn, ks: Keyspace, key: Uint8Array, at: { readonly gen: number; readonly member: Uint8Array }): MaybePromise<boolean> {
  const memberKey = ks.fieldKey(key, at.gen, at.member);
  return then(tx.get(memberKey), (stored) => {
    if (stored !== undefined) return false;
    tx.set(memberKey, EMPTY);
    return true;
  });
}

/** SREM: how many of `members` were there; the key goes with its last member. */
export function removeMembers(tx: Txn, ks: Keyspace, key: Uint8Array, change: { readonly members: readonly Uint8Array[]; readonly nowMs: number }): MaybePromise<number | "WRONGTYPE"> {
  return then(lookupCollectionForWrite(tx, ks, key, { ...SET, nowMs: change.nowMs }), (meta) => {
    if (meta === undefined) return 0;
    if (meta === "WRONGTYPE") return meta;
    // One member after the other: a member named twice is removed once.
    return then(sequence(change.members, (member) => removeMember(tx, ks, key, { gen: meta.gen, member })), (outcomes) => {
      const removed = countTrue(outcomes);
      return then(removedMembers(tx, ks, key, { meta, removed }), (emptied) => {
        if (removed > 0) notifyRemoval(ks, key, { type: "s", event: "srem", emptied });
        return removed;
      });
    });
  });
}

/** SREM of one member: true when it was there. */
function removeMember(tx: Txn, ks: Keyspace, key: Uint8Array, at: { readonly gen: number; readonly member: Uint8Array }): MaybePromise<boolean> {
  return then(hasMember(tx, ks, key, at), (found) => {
    if (found) tx.clear(ks.fieldKey(key, at.gen, at.member));
    return found;
  });
}

/** SCARD: the counter, one point read. */
export function cardinality(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<number | "WRONGTYPE"> {
  return then(lookupCollection(tx, ks, key, { ...SET, nowMs }), (meta) => {
    if (meta === undefined || meta === "WRONGTYPE") return meta ?? 0;
    return readCardinality(tx, ks, key, meta.gen);
  });
}

/** SISMEMBER and SMISMEMBER: one flag per member (all false for a missing key). */
export function areMembers(tx: ReadTxn, ks: Keyspace, key: Uint8Array, at: { readonly members: readonly Uint8Array[]; readonly nowMs: number }): MaybePromise<boolean[] | "WRONGTYPE"> {
  return then(lookupCollection(tx, ks, key, { ...SET, nowMs: at.nowMs }), (meta) => {
    if (meta === "WRONGTYPE") return meta;
    if (meta === undefined) return at.members.map(() => false);
    // Every read issued at once: one round trip on FoundationDB.
    return all(at.members.map((member) => hasMember(tx, ks, key, { gen: meta.gen, member })));
  });
}

/** SMEMBERS: every member in byte order ([] for a missing key). */
export async function members(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): Promise<Uint8Array[] | "WRONGTYPE"> {
  const meta = await lookupCollection(tx, ks, key, { ...SET, nowMs });
  if (meta === undefined || meta === "WRONGTYPE") return meta ?? [];
  return (await readAllMembers(tx, ks, key, meta.gen)).map((entry) => entry.member);
}

/**
 * SRANDMEMBER with a count (pickRandom's rules); undefined for a missing key.
 * It reads the whole set: O(N), where Redis is O(count).
 */
export async function randomMembers(tx: ReadTxn, ks: Keyspace, key: Uint8Array, pick: { readonly count: number; readonly nowMs: number }): Promise<Uint8Array[] | undefined | "WRONGTYPE"> {
  const meta = await lookupCollection(tx, ks, key, { ...SET, nowMs: pick.nowMs });
  if (meta === undefined || meta === "WRONGTYPE") return meta;
  return pickRandom(await readAllMembers(tx, ks, key, meta.gen), pick.count).map((entry) => entry.member);
}

/**
 * SPOP: removes and returns up to `count` distinct random members; undefined
 * for a missing key. The members are read with snapshot reads: the counter
 * read of removedMembers conflicts with any concurrent add or removal, and
 * the chosen members are read again with conflicts before they are cleared.
 */
export async function popMembers(tx: Txn, ks: Keyspace, key: Uint8Array, pick: { readonly count: number; readonly nowMs: number }): Promise<Uint8Array[] | undefined | "WRONGTYPE"> {
  const meta = await lookupCollectionForWrite(tx, ks, key, { ...SET, nowMs: pick.nowMs });
  if (meta === undefined || meta === "WRONGTYPE") return meta;
  if (pick.count === 0) return [];
  const all = await readAllMembers(tx.snapshot, ks, key, meta.gen);
  const chosen = pickRandom(all, pick.count).map((entry) => entry.member);
  for (const member of chosen) {
    const memberKey = ks.fieldKey(key, meta.gen, member);
    await tx.get(memberKey);
    tx.clear(memberKey);
  }
  const emptied = await removedMembers(tx, ks, key, { meta, removed: chosen.length });
  notifyRemoval(ks, key, { type: "s", event: "spop", emptied });
  return chosen;
}

/** SMOVE: 1 when `member` moved (or, for source = destination, is there). */
export async function moveMember(
  tx: Txn,
  ks: Keyspace,
  move: { readonly source: Uint8Array; readonly destination: Uint8Array; readonly member: Uint8Array; readonly nowMs: number },
): Promise<0 | 1 | "WRONGTYPE" | "MEMBER_TOO_LARGE"> {
  const source = await lookupCollectionForWrite(tx, ks, move.source, { ...SET, nowMs: move.nowMs });
  const destination = await lookupCollectionForWrite(tx, ks, move.destination, { ...SET, nowMs: move.nowMs });
  // Redis's order: a missing source answers 0 before the destination's type is checked.
  if (source === undefined) return 0;
  if (source === "WRONGTYPE" || destination === "WRONGTYPE") return "WRONGTYPE";
  const { member } = move;
  if (!(await hasMember(tx, ks, move.source, { gen: source.gen, member }))) return 0;
  if (bytesEqual(move.source, move.destination)) return 1;
  if (!memberKeyFits(ks, move.destination, { gen: destination?.gen ?? 0, member })) return "MEMBER_TOO_LARGE";
  tx.clear(ks.fieldKey(move.source, source.gen, member));
  const emptied = await removedMembers(tx, ks, move.source, { meta: source, removed: 1 });
  notifyRemoval(ks, move.source, { type: "s", event: "srem", emptied });
  const target = destination ?? createCollection(tx, ks, move.destination, KeyType.Set);
  const memberKey = ks.fieldKey(move.destination, target.gen, member);
  if ((await tx.get(memberKey)) === undefined) {
    tx.set(memberKey, EMPTY);
    addCardinality(tx, ks, move.destination, { gen: target.gen, delta: 1 });
    ks.notify("s", "sadd", move.destination);
  }
  return 1;
}

export interface SetMemberPage {
  readonly members: Uint8Array[];
  /** The last member read: the next page starts after it. Undefined when the set is exhausted. */
  readonly resumeAfter: Uint8Array | undefined;
}

/** One SSCAN page: up to `limit` members after `after`, then filtered by `match`; undefined for a missing key. */
export async function scanMembers(
  tx: ReadTxn,
  ks: Keyspace,
  key: Uint8Array,
  page: { readonly after?: Uint8Array; readonly limit: number; readonly match?: (member: Uint8Array) => boolean; readonly nowMs: number },
): Promise<SetMemberPage | undefined | "WRONGTYPE"> {
  const meta = await lookupCollection(tx, ks, key, { ...SET, nowMs: page.nowMs });
  if (meta === undefined || meta === "WRONGTYPE") return meta;
  const entries = await readMemberPage(tx, ks, key, { gen: meta.gen, after: page.after, limit: page.limit });
  const found = entries.map((entry) => entry.member);
  const last = found[found.length - 1];
  return {
    members: page.match ? found.filter(page.match) : found,
    resumeAfter: entries.length < page.limit || last === undefined ? undefined : last,
  };
}

export type SetOperation = "inter" | "union" | "diff";

interface Source {
  readonly key: Uint8Array;
  /** Undefined: a missing key, an empty set. */
  readonly meta: Meta | undefined;
}

/** The metas of every source; WRONGTYPE when any key holds another type (Redis checks them all first). */
async function lookupSources(tx: ReadTxn, ks: Keyspace, keys: readonly Uint8Array[], nowMs: number): Promise<Source[] | "WRONGTYPE"> {
  const sources: Source[] = [];
  for (const key of keys) {
    const meta = await lookupCollection(tx, ks, key, { ...SET, nowMs });
    if (meta === "WRONGTYPE") return meta;
    sources.push({ key, meta });
  }
  return sources;
}

/**
 * Members of the smallest source that are in every other one, stopping at
 * `limit` (0: no limit). The smallest set is read in pages; the others by
 * point reads, as Redis does.
 */
async function intersect(tx: ReadTxn, ks: Keyspace, sources: readonly Source[], limit: number): Promise<Uint8Array[]> {
  if (sources.some((source) => source.meta === undefined)) return [];
  const sized = await Promise.all(sources.map(async (source) => ({ source, size: await readCardinality(tx, ks, source.key, source.meta!.gen) })));
  sized.sort((a, b) => a.size - b.size);
  const [smallest, ...others] = sized.map((entry) => entry.source);
  const out: Uint8Array[] = [];
  let after: Uint8Array | undefined;
  for (;;) {
    const page = await readMemberPage(tx, ks, smallest!.key, { gen: smallest!.meta!.gen, after, limit: MEMBER_PAGE });
    const present = await Promise.all(page.map(async ({ member }) => {
      for (const other of others) if (!(await hasMember(tx, ks, other.key, { gen: other.meta!.gen, member }))) return false;
      return true;
    }));
    for (let i = 0; i < page.length; i++) {
      if (!present[i]) continue;
      out.push(page[i]!.member);
      if (limit > 0 && out.length >= limit) return out;
    }
    if (page.length < MEMBER_PAGE) return out;
    after = page[page.length - 1]!.member;
  }
}

async function union(tx: ReadTxn, ks: Keyspace, sources: readonly Source[]): Promise<Uint8Array[]> {
  const seen = new Map<string, Uint8Array>();
  for (const source of sources) {
    if (source.meta === undefined) continue;
    for (const { member } of await readAllMembers(tx, ks, source.key, source.meta.gen)) seen.set(idOf(member), member);
  }
  return [...seen.values()];
}

/** Members of the first source in none of the others: point reads into the others. */
async function difference(tx: ReadTxn, ks: Keyspace, sources: readonly Source[]): Promise<Uint8Array[]> {
  const [first, ...others] = sources;
  if (first?.meta === undefined) return [];
  const present = others.filter((other) => other.meta !== undefined);
  const out: Uint8Array[] = [];
  let after: Uint8Array | undefined;
  for (;;) {
    const page = await readMemberPage(tx, ks, first.key, { gen: first.meta.gen, after, limit: MEMBER_PAGE });
    const kept = await Promise.all(page.map(async ({ member }) => {
      for (const other of present) if (await hasMember(tx, ks, other.key, { gen: other.meta!.gen, member })) return false;
      return true;
    }));
    for (let i = 0; i < page.length; i++) if (kept[i]) out.push(page[i]!.member);
    if (page.length < MEMBER_PAGE) return out;
    after = page[page.length - 1]!.member;
  }
}

function combine(tx: ReadTxn, ks: Keyspace, sources: readonly Source[], operation: SetOperation): Promise<Uint8Array[]> {
  switch (operation) {
    case "inter":
      return intersect(tx, ks, sources, 0);
    case "union":
      return union(tx, ks, sources);
    case "diff":
      return difference(tx, ks, sources);
  }
}

/** SINTER, SUNION, SDIFF. */
export async function combineSets(tx: ReadTxn, ks: Keyspace, keys: readonly Uint8Array[], options: { readonly operation: SetOperation; readonly nowMs: number }): Promise<Uint8Array[] | "WRONGTYPE"> {
  const sources = await lookupSources(tx, ks, keys, options.nowMs);
  if (sources === "WRONGTYPE") return sources;
  return combine(tx, ks, sources, options.operation);
}

/** SINTERCARD: the intersection's size, counting no further than `limit` (0: no limit). */
export async function intersectionSize(tx: ReadTxn, ks: Keyspace, keys: readonly Uint8Array[], options: { readonly limit: number; readonly nowMs: number }): Promise<number | "WRONGTYPE"> {
  const sources = await lookupSources(tx, ks, keys, options.nowMs);
  if (sources === "WRONGTYPE") return sources;
  return (await intersect(tx, ks, sources, options.limit)).length;
}

/**
 * SINTERSTORE, SUNIONSTORE, SDIFFSTORE: the result replaces whatever
 * `destination` holds (any type; its TTL goes); an empty result deletes it.
 * Returns the result's size.
 */
export async function storeCombination(
  tx: Txn,
  ks: Keyspace,
  store: { readonly destination: Uint8Array; readonly keys: readonly Uint8Array[]; readonly operation: SetOperation; readonly nowMs: number },
): Promise<number | "WRONGTYPE"> {
  const sources = await lookupSources(tx, ks, store.keys, store.nowMs);
  if (sources === "WRONGTYPE") return sources;
  const result = await combine(tx, ks, sources, store.operation);
  // Whatever type the destination holds is replaced.
  const previousMeta = await lookupForWrite(tx, ks, store.destination, store.nowMs);
  if (result.length === 0) {
    if (previousMeta !== undefined) {
      removeKey(tx, ks, store.destination, previousMeta);
      ks.notify("g", "del", store.destination);
    }
    return 0;
  }
  const meta = replaceWithCollection(tx, ks, store.destination, { previous: previousMeta, type: KeyType.Set });
  for (const member of result) tx.set(ks.fieldKey(store.destination, meta.gen, member), EMPTY);
  addCardinality(tx, ks, store.destination, { gen: meta.gen, delta: result.length });
  ks.notify("s", STORE_EVENTS[store.operation], store.destination);
  return result.length;
}

/** The keyspace event of each *STORE command. */
const STORE_EVENTS: Readonly<Record<SetOperation, string>> = {
  inter: "sinterstore",
  union: "sunionstore",
  diff: "sdiffstore",
};
