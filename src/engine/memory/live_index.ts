// Point reads of the memory engine's live version by hash rather than down
// the B+tree. Keys are tuple-encoded byte strings with long common prefixes,
// and with 100,000 keys a lookup down the tree compares some 17 of them, each
// a separate object: under redis-benchmark that was a fifth of the server's
// CPU. This map answers the same lookup with one hash.
//
// It mirrors the live store only (the version every transaction reads unless
// a commit froze an older one for it): the engine updates it with every
// mutation it applies, and drops it whole on a clear of many keys (FLUSHALL),
// after which reads fill it again. Snapshot reads go down the tree.
import type { Bytes } from "../contract.ts";
import { bytesEqual, keyIdentity } from "../bytes.ts";
import type { OrderedMap } from "../ordered_map.ts";

/** A range clear touching more keys than this empties the whole index instead of deleting them one by one. */
const CLEAR_ONE_BY_ONE_LIMIT = 256;

export class LiveIndex {
  private readonly values = new Map<string, Bytes>();
  /** The last key turned into an id, and its id: a write's commit sets the key it has just read. */
  private lastKey: Bytes = new Uint8Array(0);
  private lastId = "";

  constructor(private readonly store: OrderedMap<Bytes>) {}

  private idOf(key: Bytes): string {
    if (bytesEqual(key, this.lastKey)) return this.lastId;
    this.lastKey = key;
    this.lastId = keyIdentity(key);
    return this.lastId;
  }

  /** The live value of `key`, from the index, else from the tree (then remembered). */
  get(key: Bytes): Bytes | undefined {
    const id = this.idOf(key);
    const known = this.values.get(id);
    if (known !== undefined) return known;
    const value = this.store.get(key);
    if (value !== undefined) this.values.set(id, value);
    return value;
  }

  /** The store now holds `value` at `key`. */
  set(key: Bytes, value: Bytes): void {
    this.values.set(this.idOf(key), value);
  }

  /** The store no longer holds `key`. */
  delete(key: Bytes): void {
    if (this.values.size > 0) this.values.delete(this.idOf(key));
  }

  /** The store is about to clear [start, end): called before the tree's deleteRange. */
  clearing(start: Bytes, end: Bytes): void {
    if (this.values.size === 0) return;
    const doomed = this.store.scan({ start, end }, { limit: CLEAR_ONE_BY_ONE_LIMIT + 1 });
    if (doomed.length > CLEAR_ONE_BY_ONE_LIMIT) {
      this.values.clear();
      return;
    }
    for (const entry of doomed) this.values.delete(keyIdentity(entry.key));
  }
}
