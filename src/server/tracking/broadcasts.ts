// BCAST tracking: connections register key prefixes of their tenant (the
// empty prefix: every key), and every written key that starts with one of
// them is collected, then sent once per event-loop turn, one frame per prefix
// and connection, as Redis's trackingBroadcastInvalidationMessages does in
// beforeSleep. Within a frame the keys are in byte order, each once, and each
// remembers its last writer so that a NOLOOP connection is not told of its own.
import { byteString, compareBytes } from "../../engine/bytes.ts";

/** What a prefix's collected keys are sent to. */
export interface BroadcastClient {
  readonly id: number;
  readonly noloop: boolean;
}

/** The keys written under one prefix during a turn, and who registered that prefix. */
export interface BroadcastBatch<C extends BroadcastClient> {
  readonly clients: readonly C[];
  /** In byte order; `writer` is the last writer's connection id (undefined: the server, e.g. expiry). */
  readonly keys: readonly { readonly key: Uint8Array; readonly writer: number | undefined }[];
}

interface Prefix<C> {
  readonly prefix: Uint8Array;
  readonly clients: Set<C>;
  /** key bytes → the key and its last writer, since the last batch. */
  pending: Map<string, { readonly key: Uint8Array; readonly writer: number | undefined }>;
}

export class BroadcastTable<C extends BroadcastClient> {
  /** tenant → prefix bytes → its state. */
  private readonly tenants = new Map<string, Map<string, Prefix<C>>>();
  /** Prefixes with keys collected since the last batch. */
  private readonly dirty = new Set<Prefix<C>>();

  get empty(): boolean {
    return this.tenants.size === 0;
  }

  add(tenant: string, prefix: Uint8Array, client: C): void {
    let prefixes = this.tenants.get(tenant);
    if (prefixes === undefined) {
      prefixes = new Map();
      this.tenants.set(tenant, prefixes);
    }
    const id = byteString(prefix);
    let state = prefixes.get(id);
    if (state === undefined) {
      state = { prefix: prefix.slice(), clients: new Set(), pending: new Map() };
      prefixes.set(id, state);
    }
    state.clients.add(client);
  }

  remove(tenant: string, prefix: Uint8Array, client: C): void {
    const prefixes = this.tenants.get(tenant);
    const id = byteString(prefix);
    const state = prefixes?.get(id);
    if (state === undefined) return;
    state.clients.delete(client);
    if (state.clients.size > 0) return;
    prefixes!.delete(id);
    this.dirty.delete(state);
    if (prefixes!.size === 0) this.tenants.delete(tenant);
  }

  /** Collects a written key for every prefix of `tenant` it starts with; true when a batch is now due. */
  written(tenant: string, key: Uint8Array, writer: number | undefined): boolean {
    const prefixes = this.tenants.get(tenant);
    if (prefixes === undefined) return false;
    let due = false;
    for (const state of prefixes.values()) {
      if (!startsWith(key, state.prefix)) continue;
      state.pending.set(byteString(key), { key: key.slice(), writer });
      this.dirty.add(state);
      due = true;
    }
    return due;
  }

  /** The batches collected since the last call, prefixes in byte order within each tenant; the collection starts again. */
  take(): BroadcastBatch<C>[] {
    const states = [...this.dirty].sort((a, b) => compareBytes(a.prefix, b.prefix));
    this.dirty.clear();
    const batches: BroadcastBatch<C>[] = [];
    for (const state of states) {
      const keys = [...state.pending.values()].sort((a, b) => compareBytes(a.key, b.key));
      state.pending = new Map();
      if (keys.length > 0) batches.push({ clients: [...state.clients], keys });
    }
    return batches;
  }
}

function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > key.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}
