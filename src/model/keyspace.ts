// Where each piece of a database lives in the engine's ordered keyspace
// (DESIGN.md "Keyspace layout"). Everything is tuple-encoded, so the range of
// one key's members never contains another key's members.
//
//   <tenant,db> m <key>               meta: type, expiry, generation, inline string
//   <tenant,db> d <key> <gen> <sub>   members: string chunks, list items, fields...
//   <tenant,db> c <name>              counters, by atomic add
//   (null) x <bucket> <expireAt> <tenant> <db> <key>   expiry index, global
//   (null) i <minute> <id>            reserved: the FoundationDB engine's idempotency markers (engine/fdb/idempotency.ts)
//   (null) e <topic> ...              reserved: the FoundationDB engine's event log per tenant (engine/fdb/event_log.ts)
//   (null) h <bucket> <expireAt> <tenant> <db> <key> <field>   hash-field expiry index (hash_field_ttl.ts)
//   (null) s <tenant> <name>          a tenant's own settings (notify-keyspace-events): outside its
//                                     databases, so FLUSHALL keeps them, as Redis keeps its config
//
// The expiry index is global (one background sweeper finds every tenant's
// due keys) and split in buckets by key hash, so that writes of keys expiring
// at the same moment do not all land in one hot range. Its prefix starts with
// the tuple null (0x00), below every tenant's string prefix (0x02). Entries
// left behind by FLUSHDB are dropped by the sweeper's re-check.
import { concatBytes } from "../engine/bytes.ts";
import type { KeyRange } from "../engine/contract.ts";
import { appendBytesElement, childRange, packTuple, prefixRange, unpackTuple } from "../engine/tuple.ts";


/**
 * The classes of `notify-keyspace-events` (Redis's notify.c), by the letter
 * the setting uses: g generic, $ string, l list, s set, h hash, z sorted set,
 * t stream, x expired, e evicted, d module, m key miss, n new key.
 */
export type EventClass = "g" | "$" | "l" | "s" | "h" | "z" | "t" | "x" | "e" | "d" | "m" | "n";

/** Who hears of the keyspace events of one operation attempt (core's Effects). */
export interface KeyspaceEventSink {
  notify(ks: Keyspace, type: EventClass, event: string, key: Uint8Array): void;
}

/** The key prefixes of a scope, sorted, none a prefix of another (auth's KeyScope satisfies it). */
export interface KeyPrefixes {
  readonly scanPrefixes: readonly Uint8Array[];
}

export class Keyspace {
  /** Tuple prefix of this tenant and database. */
  readonly prefix: Uint8Array;
  private readonly metaPrefix: Uint8Array;
  private readonly memberPrefix: Uint8Array;
  private readonly counterPrefix: Uint8Array;
  /** Views of this keyspace limited to a scope, made once per scope. */
  private scopedViews: WeakMap<KeyPrefixes, Keyspace> | undefined;
  /** The keyspace this one is a view of (scopedTo, withEvents); undefined: itself. */
  private base: Keyspace | undefined;
  private retiredFlag = false;

  /**
   * `scope`: the key prefixes a prefix-limited token may touch. The
   * keyspace-wide operations (KEYS, SCAN, DBSIZE, RANDOMKEY, FLUSHDB,
   * FLUSHALL: model/scoped_keys.ts) see only those keys; the executor hands
   * operations this view, so no command looks at the token itself.
   */
  constructor(
    readonly tenant: string,
    readonly db: number,
    readonly scope?: KeyPrefixes,
    /** Who hears of the changes made through this view (withEvents); undefined: nobody, and notify is free. */
    readonly events?: KeyspaceEventSink,
    /**
     * Where the database's data is stored: the tenant's physical database
     * (model/database_map.ts). It differs from `db`, the number clients
     * select, only after a SWAPDB; `db` names the database for WATCH,
     * waiting clients and keyspace events, `slot` places its keys.
     */
    readonly slot: number = db,
  ) {
    this.prefix = packTuple([tenant, slot]);
    this.metaPrefix = concatBytes(this.prefix, packTuple(["m"]));
    this.memberPrefix = concatBytes(this.prefix, packTuple(["d"]));
    this.counterPrefix = concatBytes(this.prefix, packTuple(["c"]));
  }

  /** This keyspace as seen by a principal limited to `scope`. */
  scopedTo(scope: KeyPrefixes): Keyspace {
    this.scopedViews ??= new WeakMap();
    let view = this.scopedViews.get(scope);
    if (view === undefined) {
      view = new Keyspace(this.tenant, this.db, scope, undefined, this.slot);
      view.base = this.base ?? this;
      this.scopedViews.set(scope, view);
    }
    return view;
  }

  /**
   * This keyspace as one operation attempt sees it when its tenant has
   * keyspace notifications on: its changes are reported to `events`. Made
   * only then, so that a tenant without notifications pays nothing.
   */
  withEvents(events: KeyspaceEventSink): Keyspace {
    const view = new Keyspace(this.tenant, this.db, this.scope, events, this.slot);
    view.base = this.base ?? this;
    return view;
  }

  /**
   * True once the tenant's database map changed (a SWAPDB) after this
   * keyspace was made: `slot` may no longer hold database `db`. Whoever
   * keeps a keyspace makes a new one then; an attempt that ran under it
   * is retried (core/executor.ts).
   */
  get retired(): boolean {
    return (this.base ?? this).retiredFlag;
  }

  /** Marks this keyspace and its views retired (the server, when the tenant's map changes). */
  retire(): void {
    (this.base ?? this).retiredFlag = true;
  }

  /** Reports a keyspace event of `key` (Redis's notifyKeyspaceEvent), if anybody listens. */
  notify(type: EventClass, event: string, key: Uint8Array): void {
    if (this.events !== undefined) this.events.notify(this, type, event, key);
  }

  /** Database `db` of the same tenant, under the same scope, reporting to the same listener. */
  sibling(db: number, keyspaceOf: (tenant: string, db: number) => Keyspace): Keyspace {
    const other = keyspaceOf(this.tenant, db);
    const scoped = this.scope === undefined ? other : other.scopedTo(this.scope);
    return this.events === undefined ? scoped : scoped.withEvents(this.events);
  }

  /** The whole database: FLUSHDB clears it. */
  get all(): KeyRange {
    return prefixRange(this.prefix);
  }

  metaKey(key: Uint8Array): Uint8Array {
    return appendBytesElement(this.metaPrefix, key);
  }

  /** Every meta entry: SCAN, KEYS, RANDOMKEY. */
  get metaRange(): KeyRange {
    return prefixRange(this.metaPrefix);
  }

  /** Meta entries whose user key starts with `keyPrefix`. */
  metaRangeWithKeyPrefix(keyPrefix: Uint8Array): KeyRange {
    if (keyPrefix.length === 0) return this.metaRange;
    // A byte-string element is 0x01, escaped bytes, 0x00: drop the terminator to get a prefix.
    const element = appendBytesElement(this.metaPrefix, keyPrefix);
    return prefixRange(element.subarray(0, element.length - 1));
  }

  /** The user key of a meta entry's engine key. */
  userKeyOfMeta(metaKey: Uint8Array): Uint8Array {
    return unpackTuple(metaKey.subarray(this.metaPrefix.length))[0] as Uint8Array;
  }

  /** All members of a key, every generation: DEL clears this range. */
  membersOfKey(key: Uint8Array): KeyRange {
    // childRange, not prefixRange: the element of "a" is a byte prefix of the element of "a\0".
    return childRange(appendBytesElement(this.memberPrefix, key));
  }

  /** The member prefix of one generation of a key; the caller appends the member's sub-key. */
  memberPrefixOf(key: Uint8Array, gen: number): Uint8Array {
    return concatBytes(appendBytesElement(this.memberPrefix, key), packTuple([gen]));
  }

  // Members of one generation are told apart by the tuple type of their sub-key:
  //   null (0x00)       the collection's cardinality counter (atomic add)
  //   bytes (0x01)      hash fields and set members
  //   string (0x02)     stream spaces: "o" chunks of large entries (stream_layout.ts)
  //   integer (0x0c-1c) list items and string chunks, by index; stream entries, by id (ms, seq)

  /** A hash field or set member. */
  fieldKey(key: Uint8Array, gen: number, field: Uint8Array): Uint8Array {
    return appendBytesElement(this.memberPrefixOf(key, gen), field);
  }

  /** Every field (or set member) of one generation, in byte order of the field. */
  fieldsRange(key: Uint8Array, gen: number): KeyRange {
    const prefix = this.memberPrefixOf(key, gen);
    return { start: concatBytes(prefix, BYTES_CODE), end: concatBytes(prefix, AFTER_BYTES_CODE) };
  }

  /** The field of a key from fieldsRange. */
  fieldOf(fieldKey: Uint8Array, key: Uint8Array, gen: number): Uint8Array {
    return unpackTuple(fieldKey.subarray(this.memberPrefixOf(key, gen).length))[0] as Uint8Array;
  }

  /** A list item or string chunk by its index. */
  indexKey(key: Uint8Array, gen: number, index: number): Uint8Array {
    return concatBytes(this.memberPrefixOf(key, gen), packTuple([index]));
  }

  /** The cardinality counter of a hash or set (little-endian int64, by atomic add). */
  cardinalityKey(key: Uint8Array, gen: number): Uint8Array {
    return concatBytes(this.memberPrefixOf(key, gen), NULL_ELEMENT);
  }

  /** Prefix of every counter of this database (counterKey's space). */
  get counterSpace(): Uint8Array {
    return this.counterPrefix;
  }

  counterKey(name: string): Uint8Array {
    return concatBytes(this.counterPrefix, packTuple([name]));
  }

  /** The expiry index entry of `key` expiring at `expireAtMs`. */
  expiryKey(expireAtMs: number, key: Uint8Array): Uint8Array {
    // The slot, not the database number: a SWAPDB leaves the index as it is.
    const head = packTuple([null, "x", expiryBucketOf(key), tupleInteger(expireAtMs), this.tenant, this.slot]);
    return appendBytesElement(head, key);
  }
}

const NULL_ELEMENT = new Uint8Array([0x00]);
const BYTES_CODE = new Uint8Array([0x01]);
const AFTER_BYTES_CODE = new Uint8Array([0x02]);

/** Buckets of the expiry index. */
export const EXPIRY_BUCKETS = 16;

/** The whole expiry index, every bucket. */
export function expiryIndexRange(): KeyRange {
  return { start: packTuple([null, "x"]), end: packTuple([null, "x", EXPIRY_BUCKETS]) };
}

/** Entries of one bucket whose expiry is before `nowMs`, i.e. keys expired at `nowMs`. */
export function expiredEntries(bucket: number, nowMs: number): KeyRange {
  return { start: packTuple([null, "x", bucket]), end: packTuple([null, "x", bucket, tupleInteger(nowMs)]) };
}

export interface ExpiryEntry {
  readonly expireAt: number;
  readonly tenant: string;
  /** The physical database (Keyspace.slot). */
  readonly slot: number;
  readonly key: Uint8Array;
}

export function decodeExpiryEntry(entryKey: Uint8Array): ExpiryEntry {
  const [, , , expireAt, tenant, slot, key] = unpackTuple(entryKey);
  return { expireAt: Number(expireAt), tenant: tenant as string, slot: Number(slot), key: key as Uint8Array };
}

/** FNV-1a of the key, so a key always lands in the same bucket (the hash-field expiry index buckets by it too). */
export function expiryBucketOf(key: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key[i]!, 0x01000193);
  return (hash >>> 0) % EXPIRY_BUCKETS;
}

/** Redis allows expiry times up to 2^63 ms; beyond 2^53 the tuple needs a bigint. */
function tupleInteger(ms: number): number | bigint {
  return Number.isSafeInteger(ms) ? ms : BigInt(Math.min(ms, 2 ** 63 - 1024));
}

/** Where a tenant's own value of setting `name` is kept (CONFIG SET by the tenant). */
export function tenantSettingKey(tenant: string, name: string): Uint8Array {
  return packTuple([null, "s", tenant, name]);
}

/** Every database of a tenant: FLUSHALL clears it. */
export function tenantRange(tenant: string): KeyRange {
  return prefixRange(packTuple([tenant]));
}

/**
 * Where a tenant's function libraries are kept (FUNCTION LOAD), outside its
 * databases as its settings are: FLUSHALL leaves them, as Redis's does.
 * `parts`: "version", or "library", name, chunk number.
 */
export function tenantFunctionKey(tenant: string, ...parts: (string | number)[]): Uint8Array {
  return packTuple([null, "f", tenant, ...parts]);
}

/** Every library of a tenant (FUNCTION FLUSH, and reading them all). */
export function tenantLibrariesRange(tenant: string): KeyRange {
  return prefixRange(packTuple([null, "f", tenant, "library"]));
}
