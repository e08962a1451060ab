// Where each piece of a database lives in the engine's ordered keyspace
// (DESIGN.md "Keyspace layout"). Everything is tuple-encoded, so the range of
// one key's members never contains another key's members.
//
//   <tenant,db> m <key>               meta: type, expiry, generation, inline string
//   <tenant,db> d <key> <gen> <sub>   members: string chunks, list items, fields...
//   <tenant,db> c <name>              counters, by atomic add
//   <tenant,db> x <expireAt> <key>    expiry index
import type { KeyRange } from "../engine/contract.ts";
import { appendBytesElement, childRange, packTuple, prefixRange } from "../engine/tuple.ts";

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
};

export class Keyspace {
  /** Tuple prefix of this tenant and database. */
  readonly prefix: Uint8Array;
  private readonly metaPrefix: Uint8Array;
  private readonly memberPrefix: Uint8Array;
  private readonly counterPrefix: Uint8Array;
  private readonly expiryPrefix: Uint8Array;

  constructor(readonly tenant: string, readonly db: number) {
    this.prefix = packTuple([tenant, db]);
    this.metaPrefix = concat(this.prefix, packTuple(["m"]));
    this.memberPrefix = concat(this.prefix, packTuple(["d"]));
    this.counterPrefix = concat(this.prefix, packTuple(["c"]));
    this.expiryPrefix = concat(this.prefix, packTuple(["x"]));
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
    return decodeBytesElement(metaKey, this.metaPrefix.length);
  }

  /** All members of a key, every generation: DEL clears this range. */
  membersOfKey(key: Uint8Array): KeyRange {
    // childRange, not prefixRange: the element of "a" is a byte prefix of the element of "a\0".
    return childRange(appendBytesElement(this.memberPrefix, key));
  }

  /** The member prefix of one generation of a key; the caller appends the member's sub-key. */
  memberPrefixOf(key: Uint8Array, gen: number): Uint8Array {
    return concat(appendBytesElement(this.memberPrefix, key), packTuple([gen]));
  }

  counterKey(name: string): Uint8Array {
    return concat(this.counterPrefix, packTuple([name]));
  }

  expiryKey(expireAtMs: number, key: Uint8Array): Uint8Array {
    return appendBytesElement(concat(this.expiryPrefix, packTuple([expireAtMs])), key);
  }

  /** Expiry index entries due at or before `nowMs`. */
  expiryDue(nowMs: number): KeyRange {
    return { start: this.expiryPrefix, end: concat(this.expiryPrefix, packTuple([nowMs + 1])) };
  }
}

/** Every database of a tenant: FLUSHALL clears it. */
export function tenantRange(tenant: string): KeyRange {
  return prefixRange(packTuple([tenant]));
}

/** Decodes a tuple byte-string element (0x01 ... 0x00, with 0x00 0xFF for a zero byte) starting at `offset`. */
export function decodeBytesElement(encoded: Uint8Array, offset: number): Uint8Array {
  let zeros = 0;
  let end = offset + 1;
  for (; end < encoded.length; end++) {
    if (encoded[end] === 0x00) {
      if (encoded[end + 1] === 0xff) {
        zeros++;
        end++;
      } else break;
    }
  }
  const start = offset + 1;
  if (zeros === 0) return encoded.slice(start, end);
  const out = new Uint8Array(end - start - zeros);
  let j = 0;
  for (let i = start; i < end; i++) {
    const byte = encoded[i]!;
    out[j++] = byte;
    if (byte === 0x00) i++; // skip the 0xFF escape
  }
  return out;
}
