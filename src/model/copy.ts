// RENAME, RENAMENX and COPY for keys of any type. The meta is copied with a
// new generation, and every member of the source's generation (string
// chunks, list items, hash fields, set members, the cardinality counter) is
// re-keyed under the destination: the sub-key suffix after the source's
// member prefix is appended to the destination's member prefix. No type needs
// to be known here, so new types are copied without changes to this file.
//
// The cost is O(size of the value), not O(1) as in Redis: an ordered store
// has no pointer to move. Values beyond FoundationDB's 10 MB per transaction
// cannot be copied in one command; the engine's limit error says so.
import { bytesEqual, concatBytes, keyAfter } from "../engine/bytes.ts";
import type { Txn } from "../engine/contract.ts";
import { childRange } from "../engine/tuple.ts";
import { lookupForWrite, putMeta, removeKey } from "./db.ts";
import { hasFieldTtls, indexCopiedFieldTtls } from "./hash_field_ttl.ts";
import type { Keyspace } from "./keyspace.ts";
import { FLAG_INLINE, KeyType, type Meta } from "./meta.ts";

/** A key in a database. */
export interface KeyRef {
  readonly ks: Keyspace;
  readonly key: Uint8Array;
}

/** Members are read in pages of this many entries (the transaction reads them all; pages bound each read). */
const PAGE = 1_000;

/**
 * Writes every member of `source` (whose live meta is `meta`) under
 * `destination`'s generation `gen`. The destination must hold no members.
 */
async function copyMembers(tx: Txn, source: KeyRef, meta: Meta, target: { readonly destination: KeyRef; readonly gen: number }): Promise<void> {
  if (meta.type === KeyType.String && meta.flags & FLAG_INLINE) return;
  const sourcePrefix = source.ks.memberPrefixOf(source.key, meta.gen);
  const destinationPrefix = target.destination.ks.memberPrefixOf(target.destination.key, target.gen);
  const range = childRange(sourcePrefix);
  let start = range.start;
  for (;;) {
    const entries = await tx.getRange({ start, end: range.end }, { limit: PAGE });
    for (const { key, value } of entries) {
      tx.set(concatBytes(destinationPrefix, key.subarray(sourcePrefix.length)), value);
    }
    const last = entries[entries.length - 1];
    if (entries.length < PAGE || last === undefined) return;
    start = keyAfter(last.key);
  }
}

/** Replaces whatever `destination` holds (live meta `previous`) by a copy of `source`. */
async function writeCopy(tx: Txn, source: KeyRef & { readonly meta: Meta }, destination: KeyRef & { readonly previous: Meta | undefined }): Promise<void> {
  if (destination.previous !== undefined) removeKey(tx, destination.ks, destination.key, destination.previous);
  // Members left under the name without a meta (none are expected) must not mix with the copy.
  else tx.clearRange(destination.ks.membersOfKey(destination.key));
  const gen = destination.previous === undefined ? 0 : destination.previous.gen + 1;
  await copyMembers(tx, source, source.meta, { destination, gen });
  // The field TTLs came with the members; the copy's fields need their own index entries to expire.
  if (source.meta.type === KeyType.Hash && hasFieldTtls(source.meta)) await indexCopiedFieldTtls(tx, destination.ks, destination.key, gen);
  putMeta(tx, destination.ks, destination.key, undefined, { ...source.meta, gen });
}

export type RenameOutcome = "NO_SUCH_KEY" | "RENAMED" | "DESTINATION_EXISTS";

/**
 * RENAME (and RENAMENX with `onlyIfAbsent`): moves the value and its TTL.
 * Renaming a key to itself succeeds (RENAMENX: reports the destination as
 * existing) and changes nothing.
 */
export async function renameKey(
  tx: Txn,
  ks: Keyspace,
  rename: { readonly source: Uint8Array; readonly destination: Uint8Array; readonly onlyIfAbsent: boolean; readonly nowMs: number },
): Promise<RenameOutcome> {
  const meta = await lookupForWrite(tx, ks, rename.source, rename.nowMs);
  if (meta === undefined) return "NO_SUCH_KEY";
  if (bytesEqual(rename.source, rename.destination)) return rename.onlyIfAbsent ? "DESTINATION_EXISTS" : "RENAMED";
  const previous = await lookupForWrite(tx, ks, rename.destination, rename.nowMs);
  if (previous !== undefined && rename.onlyIfAbsent) return "DESTINATION_EXISTS";
  // Redis re-adds the destination (`new`, even over an existing key), then reports both names.
  await writeCopy(tx, { ks, key: rename.source, meta }, { ks, key: rename.destination, previous });
  removeKey(tx, ks, rename.source, meta);
  ks.notify("g", "rename_from", rename.source);
  ks.notify("g", "rename_to", rename.destination);
  return "RENAMED";
}

export type CopyOutcome = "COPIED" | "NO_SOURCE" | "DESTINATION_EXISTS";

/**
 * COPY: copies the value and TTL of `source` to `destination`, possibly in
 * another database. The caller rejects a copy of a key onto itself.
 */
export async function copyKey(
  tx: Txn,
  copy: { readonly source: KeyRef; readonly destination: KeyRef; readonly replace: boolean; readonly nowMs: number },
): Promise<CopyOutcome> {
  const { source, destination } = copy;
  const meta = await lookupForWrite(tx, source.ks, source.key, copy.nowMs);
  if (meta === undefined) {
    // Redis reads the source as a read command does.
    source.ks.notify("m", "keymiss", source.key);
    return "NO_SOURCE";
  }
  const previous = await lookupForWrite(tx, destination.ks, destination.key, copy.nowMs);
  if (previous !== undefined && !copy.replace) return "DESTINATION_EXISTS";
  await writeCopy(tx, { ...source, meta }, { ...destination, previous });
  destination.ks.notify("g", "copy_to", destination.key);
  return "COPIED";
}


export type MoveOutcome = "MOVED" | "NO_SOURCE" | "DESTINATION_EXISTS";

/**
 * MOVE: moves `key` with its TTL from `source` to the same name in
 * `destination` (another database of the tenant), unless that name is taken
 * there. Redis reports the move on both sides: `move_from` in the source
 * database, `move_to` in the destination (after the destination's `new`).
 * Members are copied under the new database's prefix: O(size of the value).
 */
export async function moveKey(
  tx: Txn,
  move: { readonly source: Keyspace; readonly destination: Keyspace; readonly key: Uint8Array; readonly nowMs: number },
): Promise<MoveOutcome> {
  const { source, destination, key } = move;
  const meta = await lookupForWrite(tx, source, key, move.nowMs);
  if (meta === undefined) return "NO_SOURCE";
  const previous = await lookupForWrite(tx, destination, key, move.nowMs);
  if (previous !== undefined) return "DESTINATION_EXISTS";
  await writeCopy(tx, { ks: source, key, meta }, { ks: destination, key, previous: undefined });
  removeKey(tx, source, key, meta);
  source.notify("g", "move_from", key);
  destination.notify("g", "move_to", key);
  return "MOVED";
}
