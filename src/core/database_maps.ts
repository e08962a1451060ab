// Each tenant's database map (model/database_map.ts), cached: every command
// needs its keyspace before its transaction starts.
//
// - A server that owns its engine (memory, SQLite) makes every change itself:
//   a tenant's map is read once (synchronously, these engines answer at once)
//   and then changed only by its own SWAPDBs, when they commit.
// - Servers sharing FoundationDB may see another server's SWAPDB. Each
//   transaction there reads the map beside its own reads (`check`: no extra
//   round trip) and compares it with the copy it ran under; a stale copy is
//   replaced and the attempt retried. The read also puts the map in the
//   transaction's read set, so a SWAPDB that commits meanwhile fails it
//   (retried too): no command ever acts on a database through an old map.
//
// A change retires the tenant's keyspaces (`onChange`): the server builds new
// ones, and an attempt that ran under a retired keyspace is retried.
import type { Engine, MaybePromise, ReadTxn } from "../engine/contract.ts";
import { EngineError } from "../engine/errors.ts";
import { isPromise, then } from "../engine/maybe_promise.ts";
import { type DatabaseSlots, IDENTITY_SLOTS, readSlots, sameSlots } from "../model/database_map.ts";

export class DatabaseMaps {
  private readonly maps = new Map<string, DatabaseSlots>();
  /** Tenants whose map is being read (shared engines read asynchronously). */
  private readonly reading = new Set<string>();
  /** True when other servers may change the maps (FoundationDB): transactions then check them. */
  readonly shared: boolean;

  constructor(private readonly engine: Engine, private readonly onChange: (tenant: string) => void) {
    this.shared = engine.eventLog !== undefined;
  }

  /**
   * The slot of database `db` of `tenant`, as cached. A tenant not seen yet
   * is read from the engine: at once on in-process engines; on a shared one
   * the identity is assumed until the read lands, and `check` corrects it.
   */
  slotOf(tenant: string, db: number): number {
    let slots = this.maps.get(tenant);
    if (slots === undefined) slots = this.load(tenant);
    return slots[db]!;
  }

  /** The database whose data is in `slot` (the expiry sweeper finds keys by slot). */
  dbOfSlot(tenant: string, slot: number): number {
    const slots = this.maps.get(tenant) ?? this.load(tenant);
    const db = slots.indexOf(slot);
    return db < 0 ? slot : db;
  }

  /** A map the server learned from a committed SWAPDB or a check: later commands use it. */
  learned(tenant: string, slots: DatabaseSlots): void {
    const known = this.maps.get(tenant);
    if (known !== undefined && sameSlots(known, slots)) return;
    this.maps.set(tenant, slots);
    if (known !== undefined) this.onChange(tenant);
  }

  /**
   * On a shared engine: reads the tenant's map in `tx` beside the operation's
   * reads; the returned function, called once the operation ran, throws a
   * retryable error when the map was not the one cached (after learning it).
   * Undefined on in-process engines, which need no check.
   */
  check(tx: ReadTxn, tenant: string): (() => MaybePromise<void>) | undefined {
    if (!this.shared) return undefined;
    const cached = this.maps.get(tenant) ?? IDENTITY_SLOTS;
    const stored = readSlots(tx, tenant);
    // Read now, awaited later: a rejection must not go unhandled meanwhile.
    if (isPromise(stored)) stored.catch(() => {});
    return () =>
      then(stored, (slots) => {
        if (sameSlots(slots, cached)) return;
        this.learned(tenant, slots);
        throw new EngineError("not_committed", "the tenant's database map changed (SWAPDB through another server); retrying");
      });
  }

  private load(tenant: string): DatabaseSlots {
    this.maps.set(tenant, IDENTITY_SLOTS);
    if (this.reading.has(tenant)) return IDENTITY_SLOTS;
    this.reading.add(tenant);
    const done = (slots: DatabaseSlots) => {
      this.reading.delete(tenant);
      this.learned(tenant, slots);
    };
    const failed = (error: unknown) => {
      this.reading.delete(tenant);
      // Forgotten: the next command of the tenant reads it again (a shared engine's check covers the meantime).
      this.maps.delete(tenant);
      console.error(`database map: reading a tenant's map failed tenant=${tenant} error=${error instanceof Error ? error.message : error}`);
    };
    try {
      const read = this.engine.read((tx) => readSlots(tx, tenant));
      if (isPromise(read)) read.then(done, failed);
      else done(read);
    } catch (error) {
      failed(error);
    }
    return this.maps.get(tenant) ?? IDENTITY_SLOTS;
  }
}
