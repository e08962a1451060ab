// A value as the RDB format carries it, apart from any encoding: what the
// value reader (rdb_value_reader.ts) produces from any of Redis's encodings
// and the value writer (rdb_value_writer.ts) turns into the encoding Redis 7.0
// would choose. The model's adapters (model/dump_value.ts) read a key into
// one and write one into a key; DUMP/RESTORE and RDB files share them.
import type { StreamId } from "../stream_id.ts";

/** RDB type bytes (rdb.h). */
export const RdbType = {
  STRING: 0,
  LIST: 1,
  SET: 2,
  ZSET: 3,
  HASH: 4,
  ZSET_2: 5,
  MODULE: 6,
  MODULE_2: 7,
  HASH_ZIPMAP: 9,
  LIST_ZIPLIST: 10,
  SET_INTSET: 11,
  ZSET_ZIPLIST: 12,
  HASH_ZIPLIST: 13,
  LIST_QUICKLIST: 14,
  STREAM_LISTPACKS: 15,
  HASH_LISTPACK: 16,
  ZSET_LISTPACK: 17,
  LIST_QUICKLIST_2: 18,
  STREAM_LISTPACKS_2: 19,
  SET_LISTPACK: 20,
  STREAM_LISTPACKS_3: 21,
} as const;

export interface ScoredMember {
  readonly member: Uint8Array;
  readonly score: number;
}

export interface RdbStreamEntry {
  readonly id: StreamId;
  /** field, value, field, value... */
  readonly fields: readonly Uint8Array[];
}

export interface RdbPendingEntry {
  readonly id: StreamId;
  /** Unix ms of the last delivery. */
  readonly deliveryMs: number;
  readonly deliveries: bigint;
}

export interface RdbConsumer {
  readonly name: Uint8Array;
  /** Unix ms the consumer was last seen. */
  readonly seenMs: number;
  /** The ids of the group's pending entries it owns, ascending. */
  readonly pending: readonly StreamId[];
}

export interface RdbStreamGroup {
  readonly name: Uint8Array;
  readonly lastId: StreamId;
  /**
   * The logical read counter; -1 when unknown (Redis's SCG_INVALID_ENTRIES_READ);
   * undefined when the encoding has none (streams v1): the loader estimates it
   * from the group's position, as Redis does.
   */
  readonly entriesRead: bigint | undefined;
  /** The group's PEL, ascending; every entry is owned by exactly one consumer. */
  readonly pending: readonly RdbPendingEntry[];
  readonly consumers: readonly RdbConsumer[];
}

export interface RdbStream {
  /** The live entries, ascending. */
  readonly entries: readonly RdbStreamEntry[];
  readonly lastId: StreamId;
  readonly firstId: StreamId;
  readonly maxDeletedId: StreamId;
  readonly entriesAdded: bigint;
  readonly groups: readonly RdbStreamGroup[];
}

/** A value of one of the types Materia has. Collections are never empty (a stream may be). */
export type RdbValue =
  | { readonly type: "string"; readonly value: Uint8Array }
  | { readonly type: "list"; readonly items: readonly Uint8Array[] }
  | { readonly type: "hash"; readonly fields: ReadonlyArray<readonly [Uint8Array, Uint8Array]> }
  | { readonly type: "set"; readonly members: readonly Uint8Array[] }
  | { readonly type: "zset"; readonly entries: readonly ScoredMember[] }
  | { readonly type: "stream"; readonly stream: RdbStream };
