// Local locks for hot keys. FoundationDB's concurrency is optimistic: when
// many clients of this server read-modify-write one key (INCR of a shared
// counter), every commit but one conflicts, the losers retry together and
// collide again, and some run out of retries (TRYAGAIN) although nothing is
// wrong. So the engine learns which keys conflict here and, for a short
// while, lets the transactions of this process that read such a key take
// turns: each waits for the key before its first read (before its read
// version is taken), so it reads the latest value and commits without a
// conflict. Other servers on the same cluster still conflict as usual, and
// keys that never conflict never wait.
//
// No deadlock: a transaction waits for a key only while holding no lock (at
// its first read), or, retrying after a conflict, before anything else, for
// the hot keys it read last time in key order.
import { byteString, compareBytes } from "../bytes.ts";

/** A key stays hot this long after its last conflict. */
const HOT_FOR_MS = 2_000;
/** At most this many hot keys are remembered (the oldest are forgotten first). */
const MAX_HOT_KEYS = 10_000;
/** A failed transaction that read more keys than this marks none: it is not a hot-key pattern. */
export const MAX_KEYS_MARKED = 8;

interface HotKey {
  lastConflict: number;
  /** Resolves when the current holder releases the key; undefined when free. */
  tail: Promise<void> | undefined;
  waiters: number;
}

/** Releases a key taken with `acquire`. */
export type Release = () => void;

export class HotKeys {
  private readonly keys = new Map<string, HotKey>();

  constructor(private readonly clock: () => number) {}

  get size(): number {
    return this.keys.size;
  }

  /** The keys read by an attempt that failed with a conflict become hot. */
  markConflicted(keys: readonly Uint8Array[]): void {
    if (keys.length === 0 || keys.length > MAX_KEYS_MARKED) return;
    const now = this.clock();
    for (const key of keys) {
      const id = idOf(key);
      const entry = this.keys.get(id);
      if (entry !== undefined) {
        entry.lastConflict = now;
        continue;
      }
      if (this.keys.size >= MAX_HOT_KEYS) this.forgetOldest();
      this.keys.set(id, { lastConflict: now, tail: undefined, waiters: 0 });
    }
  }

  isHot(key: Uint8Array): boolean {
    return this.entry(idOf(key)) !== undefined;
  }

  /** Waits for `key` if it is hot and returns its release; undefined (at once) when it is not hot. */
  acquire(key: Uint8Array): Promise<Release> | undefined {
    const id = idOf(key);
    const entry = this.entry(id);
    if (entry === undefined) return undefined;
    const previous = entry.tail;
    let release: Release = () => {};
    const mine = new Promise<void>((resolve) => {
      release = () => {
        entry.waiters--;
        if (entry.tail === mine) entry.tail = undefined;
        resolve();
      };
    });
    entry.tail = mine;
    entry.waiters++;
    if (previous === undefined) return Promise.resolve(release);
    return previous.then(() => release);
  }

  /** Takes every hot key of `keys`, in key order; returns their releases. */
  async acquireAll(keys: readonly Uint8Array[]): Promise<Release[]> {
    const sorted = [...keys].sort(compareBytes);
    const releases: Release[] = [];
    let last: Uint8Array | undefined;
    for (const key of sorted) {
      if (last !== undefined && compareBytes(last, key) === 0) continue;
      last = key;
      const waiting = this.acquire(key);
      if (waiting !== undefined) releases.push(await waiting);
    }
    return releases;
  }

  private entry(id: string): HotKey | undefined {
    const entry = this.keys.get(id);
    if (entry === undefined) return undefined;
    if (entry.waiters === 0 && this.clock() - entry.lastConflict > HOT_FOR_MS) {
      this.keys.delete(id);
      return undefined;
    }
    return entry;
  }

  private forgetOldest(): void {
    for (const [id, entry] of this.keys) {
      if (entry.waiters === 0) {
        this.keys.delete(id);
        return;
      }
    }
  }
}

/** A string naming the key's bytes, for the map. */
const idOf = byteString;
