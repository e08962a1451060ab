// Where committed messages go (the executor's MessageSink): pub/sub messages
// and keyspace events, delivered to this server's subscribers, and, when the
// engine is shared by several servers (FoundationDB), to every server's.
//
// - One server owns the data (memory, SQLite): messages are delivered at
//   once, in the order their operations were applied.
// - Several servers share the engine: a message is appended to its tenant's
//   log in the engine (Engine.eventLog) and delivered by each server that
//   follows that tenant (one with subscribers of it), in log order. Every
//   server sees one order, the publishing one included: publish order per
//   channel holds across the cluster. PUBLISH then answers the receivers on
//   the server it ran on, as Redis Cluster does.
//
// Pub/sub is at most once, as in Redis: a message appended while a server
// is down, or published by a server that dies before appending it, is lost.
import type { EventLog, EventLogFollower } from "../../engine/contract.ts";
import type { ChannelMessage, KeyspaceEvent, MessageSink } from "../messages.ts";
import type { ChannelHub } from "./channel_hub.ts";

/** Turns committed keyspace events into channel messages per tenant (notify-keyspace-events decides which). */
export type KeyspaceEventRouter = (events: readonly KeyspaceEvent[]) => Iterable<{ readonly tenant: string; readonly message: ChannelMessage }>;

const textEncoder = new TextEncoder();

export class MessageBus implements MessageSink {
  private readonly followers = new Map<string, EventLogFollower>();
  /** Followers known to be ready (their first read of the log is done). */
  private readonly ready = new WeakSet<EventLogFollower>();
  private router: KeyspaceEventRouter | undefined;

  constructor(private readonly hub: ChannelHub, private readonly log: EventLog | undefined) {
    if (log !== undefined) {
      hub.onActivity({
        active: (tenant) => this.follow(tenant),
        idle: (tenant) => {
          this.followers.get(tenant)?.stop();
          this.followers.delete(tenant);
        },
      });
    }
  }

  /** True when messages reach other servers through the engine's log (PUBLISH's count is then this server's). */
  get clustered(): boolean {
    return this.log !== undefined;
  }

  /** Keyspace events go through `router` from now on (none: they are dropped). */
  routeKeyspaceEvents(router: KeyspaceEventRouter): void {
    this.router = router;
  }

  publish(tenant: string, messages: readonly ChannelMessage[]): void {
    if (this.log === undefined) {
      for (const message of messages) this.hub.deliver(tenant, message);
      return;
    }
    this.log.append(textEncoder.encode(tenant), messages.map(encodeMessage)).catch((error) => {
      console.error(`materia: ${messages.length} pub/sub message(s) of a tenant were not delivered to other servers: ${String(error)}`);
    });
  }

  /**
   * PUBLISH outside a transaction on a server that shares its engine: the
   * message is appended to the tenant's log now, and the promise settles
   * once this server has delivered it. PUBLISH answers then, so that, as in
   * Redis, a subscriber hears its own message before the reply, and a
   * message published afterwards through any server comes after it.
   */
  publishAndDeliver(tenant: string, messages: readonly ChannelMessage[]): Promise<void> {
    if (this.log === undefined) {
      this.publish(tenant, messages);
      return Promise.resolve();
    }
    return this.log.append(textEncoder.encode(tenant), messages.map(encodeMessage));
  }

  keyspaceEvents(events: readonly KeyspaceEvent[]): void {
    const router = this.router;
    if (router === undefined) return;
    let tenant: string | undefined;
    let batch: ChannelMessage[] = [];
    for (const routed of router(events)) {
      if (tenant !== undefined && routed.tenant !== tenant) {
        this.publish(tenant, batch);
        batch = [];
      }
      tenant = routed.tenant;
      batch.push(routed.message);
    }
    if (tenant !== undefined && batch.length > 0) this.publish(tenant, batch);
  }

  /**
   * Where messages cross servers: settles once every message published from
   * then on, through any server, will reach this server's subscribers of
   * `tenant`. A subscription is confirmed then, so that a client that saw its
   * SUBSCRIBE answered hears what is published after. Undefined when no wait
   * is needed (one server owns the data, or the log is already followed).
   */
  following(tenant: string): Promise<void> | undefined {
    const follower = this.followers.get(tenant);
    if (follower === undefined || this.ready.has(follower)) return undefined;
    return follower.ready.then(() => {
      this.ready.add(follower);
    }, (error) => {
      console.error(`materia: following the event log of a tenant failed; its subscribers hear only this server's messages: ${String(error)}`);
    });
  }

  /** Stops following every tenant's log (shutdown). */
  close(): void {
    for (const follower of this.followers.values()) follower.stop();
    this.followers.clear();
  }

  private follow(tenant: string): void {
    if (this.followers.has(tenant)) return;
    const follower = this.log!.follow(textEncoder.encode(tenant), (entries) => {
      for (const entry of entries) {
        const message = decodeMessage(entry);
        if (message !== undefined) this.hub.deliver(tenant, message);
      }
    });
    this.followers.set(tenant, follower);
  }
}

/**
 * A log entry: one byte of kind (0 channel, 1 shard), the channel's length
 * as 4 bytes big-endian, the channel, then the message to the end.
 */
export function encodeMessage(message: ChannelMessage): Uint8Array {
  const { channel, message: payload } = message;
  const entry = new Uint8Array(5 + channel.length + payload.length);
  entry[0] = message.shard ? 1 : 0;
  new DataView(entry.buffer).setUint32(1, channel.length);
  entry.set(channel, 5);
  entry.set(payload, 5 + channel.length);
  return entry;
}

/** The message of a log entry; undefined for an entry this version does not understand (written by a newer server). */
export function decodeMessage(entry: Uint8Array): ChannelMessage | undefined {
  if (entry.length < 5 || entry[0]! > 1) return undefined;
  const channelLength = new DataView(entry.buffer, entry.byteOffset, entry.byteLength).getUint32(1);
  if (5 + channelLength > entry.length) return undefined;
  return {
    shard: entry[0] === 1,
    channel: entry.subarray(5, 5 + channelLength),
    message: entry.subarray(5 + channelLength),
  };
}
