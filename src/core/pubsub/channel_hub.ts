// Who listens to which channel, per tenant, on this server: the channels,
// patterns and shard channels of every subscribed client, and the delivery
// of a message to them in Redis's order (channel subscribers, then each
// matching pattern). Protocol-free: a subscriber turns a Delivery into its
// own frame. Tenants never meet here: every table is the tenant's own.
import { byteString } from "../../engine/bytes.ts";
import { compileGlob, type GlobMatcher } from "../../model/glob.ts";
import type { ChannelMessage } from "../messages.ts";

/** The three kinds of subscription, as Redis names their replies. */
export type SubscriptionKind = "channel" | "pattern" | "shard";

/** One message as one subscriber receives it; shared by every subscriber it reaches the same way. */
export interface Delivery {
  readonly kind: "message" | "pmessage" | "smessage";
  /** The pattern that matched (pmessage only). */
  readonly pattern: Uint8Array | undefined;
  readonly channel: Uint8Array;
  readonly message: Uint8Array;
  /** The subscriber's encoded frame, built once for all who receive this delivery. */
  frame?: unknown;
}

export interface Subscriber {
  readonly id: number;
  receive(delivery: Delivery): void;
}

interface Pattern {
  readonly matcher: GlobMatcher;
  readonly subscribers: Map<number, Subscriber>;
}

class TenantChannels {
  /** channel id → subscribers in the order they subscribed. */
  readonly channels = new Map<string, { readonly name: Uint8Array; readonly subscribers: Map<number, Subscriber> }>();
  readonly shards = new Map<string, { readonly name: Uint8Array; readonly subscribers: Map<number, Subscriber> }>();
  readonly patterns = new Map<string, Pattern>();

  get empty(): boolean {
    return this.channels.size === 0 && this.shards.size === 0 && this.patterns.size === 0;
  }
}

/** Told when a tenant gets its first subscription on this server, or loses its last (the cluster bus follows it meanwhile). */
export interface TenantActivity {
  active(tenant: string): void;
  idle(tenant: string): void;
}

export class ChannelHub {
  private readonly tenants = new Map<string, TenantChannels>();
  private activity: TenantActivity | undefined;

  onActivity(activity: TenantActivity): void {
    this.activity = activity;
  }

  /** Tenants with at least one subscription here. */
  activeTenants(): Iterable<string> {
    return this.tenants.keys();
  }

  subscribe(tenant: string, kind: SubscriptionKind, name: Uint8Array, subscriber: Subscriber): void {
    let channels = this.tenants.get(tenant);
    if (channels === undefined) {
      channels = new TenantChannels();
      this.tenants.set(tenant, channels);
      this.activity?.active(tenant);
    }
    const id = byteString(name);
    if (kind === "pattern") {
      let pattern = channels.patterns.get(id);
      if (pattern === undefined) {
        pattern = { matcher: compileGlob(name), subscribers: new Map() };
        channels.patterns.set(id, pattern);
      }
      pattern.subscribers.set(subscriber.id, subscriber);
      return;
    }
    const table = kind === "shard" ? channels.shards : channels.channels;
    let entry = table.get(id);
    if (entry === undefined) {
      entry = { name, subscribers: new Map() };
      table.set(id, entry);
    }
    entry.subscribers.set(subscriber.id, subscriber);
  }

  unsubscribe(tenant: string, kind: SubscriptionKind, name: Uint8Array, subscriber: Subscriber): void {
    const channels = this.tenants.get(tenant);
    if (channels === undefined) return;
    const id = byteString(name);
    const table = kind === "pattern" ? channels.patterns : kind === "shard" ? channels.shards : channels.channels;
    const entry = table.get(id);
    if (entry === undefined) return;
    entry.subscribers.delete(subscriber.id);
    if (entry.subscribers.size === 0) table.delete(id);
    if (channels.empty) {
      this.tenants.delete(tenant);
      this.activity?.idle(tenant);
    }
  }

  /** Delivers `message` to this server's subscribers of `tenant`; answers how many deliveries were made (PUBLISH's reply). */
  deliver(tenant: string, message: ChannelMessage): number {
    const channels = this.tenants.get(tenant);
    if (channels === undefined) return 0;
    const id = byteString(message.channel);
    if (message.shard) {
      const entry = channels.shards.get(id);
      if (entry === undefined) return 0;
      const delivery: Delivery = { kind: "smessage", pattern: undefined, channel: message.channel, message: message.message };
      // A subscriber may unsubscribe (or be disconnected) while receiving: iterate over a copy.
      for (const subscriber of [...entry.subscribers.values()]) subscriber.receive(delivery);
      return entry.subscribers.size;
    }
    let count = 0;
    const entry = channels.channels.get(id);
    if (entry !== undefined) {
      const delivery: Delivery = { kind: "message", pattern: undefined, channel: message.channel, message: message.message };
      for (const subscriber of [...entry.subscribers.values()]) {
        subscriber.receive(delivery);
        count++;
      }
    }
    for (const pattern of [...channels.patterns.values()]) {
      if (!pattern.matcher.matches(message.channel)) continue;
      const delivery: Delivery = { kind: "pmessage", pattern: pattern.matcher.pattern, channel: message.channel, message: message.message };
      for (const subscriber of [...pattern.subscribers.values()]) {
        subscriber.receive(delivery);
        count++;
      }
    }
    return count;
  }

  /** How many deliveries `message` would make here now (PUBLISH's reply when delivery goes through the cluster's log). */
  receivers(tenant: string, message: ChannelMessage): number {
    const channels = this.tenants.get(tenant);
    if (channels === undefined) return 0;
    const id = byteString(message.channel);
    if (message.shard) return channels.shards.get(id)?.subscribers.size ?? 0;
    let count = channels.channels.get(id)?.subscribers.size ?? 0;
    for (const pattern of channels.patterns.values()) {
      if (pattern.matcher.matches(message.channel)) count += pattern.subscribers.size;
    }
    return count;
  }

  /** PUBSUB CHANNELS / SHARDCHANNELS: the channels with at least one subscriber, matching `pattern` if given. */
  channelNames(tenant: string, kind: "channel" | "shard", pattern: Uint8Array | undefined): Uint8Array[] {
    const channels = this.tenants.get(tenant);
    if (channels === undefined) return [];
    const matcher = pattern === undefined ? undefined : compileGlob(pattern);
    const names: Uint8Array[] = [];
    for (const entry of (kind === "shard" ? channels.shards : channels.channels).values()) {
      if (matcher === undefined || matcher.matches(entry.name)) names.push(entry.name);
    }
    return names;
  }

  /** PUBSUB NUMSUB / SHARDNUMSUB: subscribers of one channel. */
  subscriberCount(tenant: string, kind: "channel" | "shard", channel: Uint8Array): number {
    const channels = this.tenants.get(tenant);
    if (channels === undefined) return 0;
    return (kind === "shard" ? channels.shards : channels.channels).get(byteString(channel))?.subscribers.size ?? 0;
  }

  /** PUBSUB NUMPAT: distinct patterns subscribed to (two clients on `p*` count once). */
  patternCount(tenant: string): number {
    return this.tenants.get(tenant)?.patterns.size ?? 0;
  }
}
