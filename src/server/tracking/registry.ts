// Client-side caching (CLIENT TRACKING), per server: the tracking
// connections, the keys they read (default mode) or the prefixes they follow
// (BCAST), and the invalidations that committed writes send them.
//
// It listens to the core's KeyEvents: every committed write (commands, EXEC,
// the expiry sweeper) and every flush reaches it with the writer's id, which
// NOLOOP needs. Everything is per tenant: keys are remembered per tenant and
// database, a redirect target must belong to the same tenant, and a tenant's
// writes and flushes reach only its own connections.
//
// Per server: on FoundationDB, a write made through another server of the
// cluster does not invalidate this server's clients (docs/COMPATIBILITY.md).
import type { ClientTracking, TrackingRequest, TrackingService } from "../../commands/client_tracking.ts";
import type { Session } from "../../commands/spec.ts";
import { byteString, compareBytes } from "../../engine/bytes.ts";
import type { KeyEventListener } from "../../core/key_events.ts";
import type { Keyspace } from "../../model/keyspace.ts";
import { BroadcastTable } from "./broadcasts.ts";
import { type InvalidationRecipient, sendInvalidation } from "./invalidation.ts";
import { effectiveMaxKeys, type TrackedKey, TrackingTable } from "./tracking_table.ts";

const EMPTY_PREFIX = new Uint8Array(0);

/** One connection's tracking: Session.tracking while it is on. */
class TrackingState implements ClientTracking, InvalidationRecipient {
  redirect = 0;
  bcast = false;
  optin = false;
  optout = false;
  noloop = false;
  brokenRedirect = false;
  caching = false;
  /** BCAST prefixes by their bytes. */
  readonly prefixBytes = new Map<string, Uint8Array>();

  constructor(readonly session: Session, readonly tenant: string, private readonly registry: TrackingRegistry) {}

  get id(): number {
    return this.session.id;
  }

  get tracksReads(): boolean {
    if (this.bcast) return false;
    if (this.optin) return this.caching;
    if (this.optout) return !this.caching;
    return true;
  }

  prefixes(): Uint8Array[] {
    return [...this.prefixBytes.values()].sort(compareBytes);
  }

  remember(ks: Keyspace, keys: readonly Uint8Array[]): void {
    this.registry.remember(this, ks, keys);
  }
}

export class TrackingRegistry implements TrackingService, KeyEventListener {
  private readonly table = new TrackingTable();
  private readonly broadcasts = new BroadcastTable<TrackingState>();
  /** Tracking connections by id (the table names readers by id, as Redis does). */
  private readonly clients = new Map<number, TrackingState>();
  /** tenant → its tracking connections, for flushes. */
  private readonly byTenant = new Map<string, Set<TrackingState>>();
  /** Connections named as redirect targets, until they disconnect. */
  private readonly targets = new Map<number, Session>();
  private broadcastScheduled = false;
  private readonly targetOf = (id: number): Session | undefined => this.targets.get(id);

  constructor(private readonly limits: { readonly trackingTableMaxKeys: number }) {}

  /** Nobody tracks and nothing is remembered: writes need not be announced. */
  get listening(): boolean {
    return this.clients.size > 0 || this.table.size > 0;
  }

  /** Connections with tracking on (INFO's tracking_clients). */
  get trackingClients(): number {
    return this.clients.size;
  }

  /** Keys remembered in the table (INFO's tracking_total_keys). */
  get trackedKeys(): number {
    return this.table.size;
  }

  enable(session: Session, request: TrackingRequest): void {
    let state = this.clients.get(session.id);
    if (state === undefined) {
      state = new TrackingState(session, session.principal?.tenant ?? "", this);
      this.clients.set(session.id, state);
      let tenantClients = this.byTenant.get(state.tenant);
      if (tenantClients === undefined) {
        tenantClients = new Set();
        this.byTenant.set(state.tenant, tenantClients);
      }
      tenantClients.add(state);
      session.tracking = state;
    }
    // As Redis's enableTracking: the options replace the previous ones (the redirect too); BCAST prefixes add up.
    state.redirect = request.redirect?.id ?? 0;
    if (request.redirect !== undefined) this.targets.set(request.redirect.id, request.redirect);
    state.brokenRedirect = false;
    state.bcast = request.bcast;
    state.optin = request.optin;
    state.optout = request.optout;
    state.noloop = request.noloop;
    if (request.bcast) {
      for (const prefix of request.prefixes.length === 0 ? [EMPTY_PREFIX] : request.prefixes) {
        state.prefixBytes.set(byteString(prefix), prefix.slice());
        this.broadcasts.add(state.tenant, prefix, state);
      }
    }
  }

  disable(session: Session): void {
    const state = this.clients.get(session.id);
    if (state === undefined) return;
    this.clients.delete(session.id);
    const tenantClients = this.byTenant.get(state.tenant);
    tenantClients?.delete(state);
    if (tenantClients?.size === 0) this.byTenant.delete(state.tenant);
    for (const prefix of state.prefixBytes.values()) this.broadcasts.remove(state.tenant, prefix, state);
    session.tracking = undefined;
  }

  /** A connection closed: its tracking ends, and redirections to it break. */
  disconnected(session: Session): void {
    this.targets.delete(session.id);
    this.disable(session);
    // Keys read outlive CLIENT TRACKING OFF (tracking again, a connection hears of them, as in Redis);
    // once no connection tracks any more, nobody can, and the table is emptied.
    if (this.clients.size === 0) this.table.clear();
  }

  /** @internal TrackingState.remember: keys read by `state` in `ks`. */
  remember(state: TrackingState, ks: Keyspace, keys: readonly Uint8Array[]): void {
    const maxKeys = effectiveMaxKeys(this.limits.trackingTableMaxKeys);
    for (const key of keys) {
      const evicted = this.table.remember(ks, key, state.id, maxKeys);
      // Forgetting a key must not leave a cached value stale: its readers drop it now.
      for (const entry of evicted) this.invalidate(entry, undefined);
    }
  }

  written(ks: Keyspace, keys: readonly Uint8Array[], origin?: number): void {
    const broadcasting = !this.broadcasts.empty;
    for (const key of keys) {
      if (this.table.size > 0) {
        const entry = this.table.take(ks.tenant, ks.db, key);
        if (entry !== undefined) this.invalidate(entry, origin);
      }
      if (broadcasting && this.broadcasts.written(ks.tenant, key, origin)) this.scheduleBroadcast();
    }
  }

  flushed(tenant: string, db: number | undefined): void {
    this.table.forget(tenant, db);
    const tenantClients = this.byTenant.get(tenant);
    // Every tracking connection of the tenant, whatever it read, BCAST and NOLOOP ones included (as Redis).
    if (tenantClients !== undefined) for (const state of [...tenantClients]) sendInvalidation(state, null, this.targetOf);
  }

  /** One key's invalidation to each of its readers still tracking in default mode; NOLOOP readers skip their own writes. */
  private invalidate(entry: TrackedKey, origin: number | undefined): void {
    for (const id of entry.readers) {
      const state = this.clients.get(id);
      if (state === undefined || state.bcast) continue;
      if (state.noloop && id === origin) continue;
      sendInvalidation(state, [entry.key], this.targetOf);
    }
  }

  /** BCAST keys go out once per event-loop turn (Redis sends them in beforeSleep). */
  private scheduleBroadcast(): void {
    if (this.broadcastScheduled) return;
    this.broadcastScheduled = true;
    setImmediate(() => {
      this.broadcastScheduled = false;
      this.sendBroadcasts();
    });
  }

  private sendBroadcasts(): void {
    for (const batch of this.broadcasts.take()) {
      for (const state of batch.clients) {
        if (this.clients.get(state.id) !== state) continue;
        const keys = state.noloop ? batch.keys.filter((k) => k.writer !== state.id) : batch.keys;
        if (keys.length > 0) sendInvalidation(state, keys.map((k) => k.key), this.targetOf);
      }
    }
  }
}
