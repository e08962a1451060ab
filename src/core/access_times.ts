// When each key was last used, for OBJECT IDLETIME: kept in the server's
// memory, not in the engine, so that a read writes nothing (Redis keeps it in
// the value's object header, also in memory only).
//
// Bounded: at most `maxKeys` keys are remembered (all tenants together). When
// full, the oldest remembered key is forgotten, unless it was used in the
// more recent half of the time since the last one forgotten: then it gets a
// second chance (CLOCK, an approximation of least-recently-used that costs
// one Map write per use). A key this server does not remember (forgotten, or
// not used through it since it started) reports the idle time it is known
// to have at least: since the latest use of any forgotten key of its tenant,
// or since the server started. IDLETIME thus never overstates a key's idle time as this
// server saw it (it may understate a forgotten key's); servers sharing
// FoundationDB each see the uses made through them only.
//
// Keys are remembered per tenant and slot (the physical database: a SWAPDB
// moves keys with their access times, as Redis's does), by a 53-bit hash of
// their name: converting each key to a string would cost more than the rest
// of this. Two keys of one database with the same hash (about one chance in
// 10^6 among 100,000 keys) would share an access time; never two tenants'.
// A deleted key's entry stays until forgotten: every command that creates a
// key uses it, and so refreshes the entry.
import type { Keyspace } from "../model/keyspace.ts";

/** Keys remembered at most, unless the server says otherwise: a few MB of entries. */
export const DEFAULT_ACCESS_TIMES_MAX_KEYS = 100_000;

/** Keys looked at per forgetting before the oldest is forgotten whatever its use. */
const SECOND_CHANCES = 16;

type Uses = Map<number, number>;

/** One tenant's remembered keys, by slot, and the latest use among its forgotten ones. */
interface TenantUses {
  readonly slots: Uses[];
  forgottenBefore: number;
}

export class AccessTimes {
  /** tenant → slot → key hash → last use (ms). */
  private readonly tenants = new Map<string, TenantUses>();
  /** Remembered keys in the order they were first remembered (or given a second chance): the next to forget first. */
  private queue: { tenant: TenantUses; uses: Uses; hash: number }[] = [];
  private head = 0;
  /** The server's start: no key was used through it before. */
  private readonly startedAtMs: number;
  /** Of all tenants, the latest use of a forgotten key: what decides second chances. */
  private forgottenBefore: number;
  private readonly maxKeys: number;

  constructor(options: { readonly startedAtMs: number; readonly maxKeys?: number }) {
    this.startedAtMs = options.startedAtMs;
    this.forgottenBefore = options.startedAtMs;
    this.maxKeys = Math.max(1, options.maxKeys ?? DEFAULT_ACCESS_TIMES_MAX_KEYS);
  }

  /** How many keys are remembered. */
  get size(): number {
    return this.queue.length - this.head;
  }

  /** `key` of `ks` was used at `nowMs`. */
  touch(ks: Keyspace, key: Uint8Array, nowMs: number): void {
    const uses = this.usesOf(ks);
    const hash = hashKey(key);
    const before = uses.size;
    uses.set(hash, nowMs);
    if (uses.size === before) return;
    this.queue.push({ tenant: this.lastTenant!, uses, hash });
    if (this.size > this.maxKeys) this.forget(nowMs);
  }

  /** Milliseconds since `key` of `ks` was last used, as far as this server knows (see above). */
  idleMs(ks: Keyspace, key: Uint8Array, nowMs: number): number {
    const tenant = this.tenants.get(ks.tenant);
    // A tenant's bound moves with its own forgotten keys only: another tenant's activity does not show in it.
    const last = tenant?.slots[ks.slot]?.get(hashKey(key)) ?? tenant?.forgottenBefore ?? this.startedAtMs;
    return Math.max(0, nowMs - last);
  }

  /** The keyspace of the last use and its map: commands of one connection come in runs. */
  private lastKeyspace: Keyspace | undefined;
  private lastUses: Uses | undefined;
  private lastTenant: TenantUses | undefined;

  private usesOf(ks: Keyspace): Uses {
    if (ks === this.lastKeyspace) return this.lastUses!;
    let tenant = this.tenants.get(ks.tenant);
    if (tenant === undefined) {
      tenant = { slots: [], forgottenBefore: this.startedAtMs };
      this.tenants.set(ks.tenant, tenant);
    }
    const uses = tenant.slots[ks.slot] ??= new Map();
    this.lastKeyspace = ks;
    this.lastUses = uses;
    this.lastTenant = tenant;
    return uses;
  }

  /** Forgets one key: the oldest remembered, after up to SECOND_CHANCES recently used ones are sent to the back. */
  private forget(nowMs: number): void {
    const recent = this.forgottenBefore + (nowMs - this.forgottenBefore) / 2;
    for (let chances = SECOND_CHANCES; ; chances--) {
      const entry = this.queue[this.head]!;
      this.queue[this.head++] = undefined as never;
      const at = entry.uses.get(entry.hash)!;
      if (chances > 0 && at > recent) {
        this.queue.push(entry);
        continue;
      }
      entry.uses.delete(entry.hash);
      if (at > this.forgottenBefore) this.forgottenBefore = at;
      if (at > entry.tenant.forgottenBefore) entry.tenant.forgottenBefore = at;
      break;
    }
    // The queue's consumed head is dropped now and then, not at every forgetting.
    if (this.head > this.maxKeys) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}

/** A 53-bit hash of the key's bytes (two 32-bit multiplicative hashes, cyrb53's mixing). */
function hashKey(key: Uint8Array): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < key.length; i++) {
    const byte = key[i]!;
    h1 = Math.imul(h1 ^ byte, 2654435761);
    h2 = Math.imul(h2 ^ byte, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
