// SCAN cursors: clients parse cursors as unsigned integers (redis-py int(),
// go-redis ReadUint), so a cursor cannot be the storage key itself, and a
// resume key (up to 8 KB) cannot be packed into 64 bits. We hand out a
// decimal id standing for "resume after this engine key", kept in memory.
//
// Each tenant has its own bounded table, so one tenant's scans can only
// evict its own cursors, and ids are random 63-bit numbers, so they say
// nothing about anyone's activity and cannot be guessed (a guess must also
// name the same tenant, database and key to be accepted). An unknown cursor
// (evicted, or from before a restart) answers ERR invalid cursor: the client
// starts again at 0 (docs/COMPATIBILITY.md).
import type { CursorOwner, ScanCursors } from "../commands/spec.ts";

/** Cursors one tenant may hold; the oldest is forgotten past it. */
export const MAX_CURSORS_PER_TENANT = 4_096;
/** Bytes of resume keys and owners one tenant's cursors may hold (resume keys reach 8 KB). */
export const MAX_CURSOR_BYTES_PER_TENANT = 4 * 1024 * 1024;
/** Fixed cost counted per cursor besides its keys (map entry, object). */
const ENTRY_OVERHEAD_BYTES = 64;

interface Entry {
  readonly scope: string;
  readonly resumeAfter: Uint8Array;
  readonly bytes: number;
}

/** One tenant's cursors, oldest first (a Map keeps insertion order). */
class TenantCursors {
  readonly entries = new Map<bigint, Entry>();
  bytes = 0;

  add(id: bigint, entry: Entry): void {
    this.entries.set(id, entry);
    this.bytes += entry.bytes;
    while (this.entries.size > MAX_CURSORS_PER_TENANT || (this.bytes > MAX_CURSOR_BYTES_PER_TENANT && this.entries.size > 1)) {
      const [oldest, evicted] = this.entries.entries().next().value!;
      this.entries.delete(oldest);
      this.bytes -= evicted.bytes;
    }
  }
}

export class ScanCursorTable implements ScanCursors {
  private readonly tenants = new Map<string, TenantCursors>();

  constructor(private readonly randomId: () => bigint = randomCursorId) {}

  issue(owner: CursorOwner, resumeAfter: Uint8Array): bigint {
    let table = this.tenants.get(owner.tenant);
    if (table === undefined) {
      table = new TenantCursors();
      this.tenants.set(owner.tenant, table);
    }
    let id = this.randomId();
    // 0 means "scan complete", and an id in use must not be overwritten.
    while (id === 0n || table.entries.has(id)) id = this.randomId();
    table.add(id, { scope: owner.scope, resumeAfter, bytes: resumeAfter.length + owner.scope.length * 2 + ENTRY_OVERHEAD_BYTES });
    return id;
  }

  resolve(owner: CursorOwner, cursor: bigint): Uint8Array | undefined {
    const entry = this.tenants.get(owner.tenant)?.entries.get(cursor);
    // A cursor of another database, key or command is as good as unknown.
    return entry !== undefined && entry.scope === owner.scope ? entry.resumeAfter : undefined;
  }

  /**
   * Forgets every cursor of `tenant` (after a SWAPDB: a cursor's resume point
   * is a stored key of the slot its database had). Those ids then answer
   * `ERR invalid cursor`, and the client starts again.
   */
  forgetTenant(tenant: string): void {
    this.tenants.delete(tenant);
  }

  /** Cursors held for a tenant (tests and introspection). */
  sizeOf(tenant: string): number {
    return this.tenants.get(tenant)?.entries.size ?? 0;
  }
}

/** A uniformly random id below 2^63, so it also fits clients that parse cursors as signed 64-bit. */
function randomCursorId(): bigint {
  const words = new Uint32Array(2);
  crypto.getRandomValues(words);
  return (BigInt(words[0]! & 0x7fff_ffff) << 32n) | BigInt(words[1]!);
}
