// One client's subscriptions: what SUBSCRIBE, PSUBSCRIBE and SSUBSCRIBE
// added, in order, and the counts their replies carry. The hub holds the
// other direction (channel → clients); both change together, here.
import { byteString } from "../../engine/bytes.ts";
import type { ChannelHub, Subscriber, SubscriptionKind } from "./channel_hub.ts";

export class ClientSubscriptions {
  private readonly held: Record<SubscriptionKind, Map<string, Uint8Array>> = {
    channel: new Map(),
    pattern: new Map(),
    shard: new Map(),
  };
  /** The tenant whose channels these are: a client that authenticates as another tenant loses them. */
  private heldTenant: string | undefined;

  constructor(private readonly hub: ChannelHub, private readonly subscriber: Subscriber) {}

  get tenant(): string | undefined {
    return this.heldTenant;
  }

  /** Channels and patterns: the count in (P)SUBSCRIBE replies, and what keeps RESP2 in subscribed mode. */
  get count(): number {
    return this.held.channel.size + this.held.pattern.size;
  }

  /** Shard channels: the count in SSUBSCRIBE replies. */
  get shardCount(): number {
    return this.held.shard.size;
  }

  /** Any subscription at all: the client is a pub/sub client (output buffer class, subscribed mode). */
  get active(): boolean {
    return this.count + this.shardCount > 0;
  }

  countOf(kind: SubscriptionKind): number {
    return kind === "shard" ? this.shardCount : this.count;
  }

  /** How many of one kind the client holds (CLIENT LIST's sub, psub, ssub). */
  sizeOf(kind: SubscriptionKind): number {
    return this.held[kind].size;
  }

  holds(kind: SubscriptionKind, name: Uint8Array): boolean {
    return this.held[kind].has(byteString(name));
  }

  /** What the client holds of one kind, in the order it subscribed. */
  names(kind: SubscriptionKind): Uint8Array[] {
    return [...this.held[kind].values()];
  }

  add(tenant: string, kind: SubscriptionKind, name: Uint8Array): void {
    if (this.heldTenant !== undefined && this.heldTenant !== tenant) this.clear();
    this.heldTenant = tenant;
    const id = byteString(name);
    const table = this.held[kind];
    if (table.has(id)) return;
    table.set(id, name);
    this.hub.subscribe(tenant, kind, name, this.subscriber);
  }

  /** True when the client held it. */
  remove(kind: SubscriptionKind, name: Uint8Array): boolean {
    const id = byteString(name);
    const table = this.held[kind];
    if (!table.delete(id)) return false;
    this.hub.unsubscribe(this.heldTenant!, kind, name, this.subscriber);
    return true;
  }

  /** Drops every subscription (RESET, disconnection, a change of tenant). */
  clear(): void {
    for (const kind of ["channel", "pattern", "shard"] as const) {
      for (const name of this.names(kind)) this.remove(kind, name);
    }
  }
}
