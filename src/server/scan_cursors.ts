// SCAN cursors: clients parse cursors as unsigned integers (redis-py int(),
// go-redis ReadUint), so a cursor cannot be the storage key itself. We hand
// out a decimal id standing for "resume after this engine key", kept in a
// bounded in-memory table. An unknown cursor (evicted, or from before a
// restart) answers ERR invalid cursor: the client starts again at 0
// (docs/COMPATIBILITY.md).
import type { ScanCursors } from "../commands/spec.ts";

const MAX_CURSORS = 16_384;

interface Entry {
  readonly owner: string;
  readonly resumeAfter: Uint8Array;
}

export class ScanCursorTable implements ScanCursors {
  private readonly entries = new Map<bigint, Entry>();
  private nextId: bigint;

  constructor(seed: number = Math.floor(Math.random() * 2 ** 31)) {
    // Start somewhere random so cursors of different server runs rarely collide.
    this.nextId = BigInt(seed) * 4096n + 1n;
  }

  issue(owner: string, resumeAfter: Uint8Array): bigint {
    const id = this.nextId++;
    this.entries.set(id, { owner, resumeAfter });
    if (this.entries.size > MAX_CURSORS) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return id;
  }

  resolve(owner: string, cursor: bigint): Uint8Array | undefined {
    const entry = this.entries.get(cursor);
    // A cursor of another tenant or database is as good as unknown.
    return entry !== undefined && entry.owner === owner ? entry.resumeAfter : undefined;
  }
}
