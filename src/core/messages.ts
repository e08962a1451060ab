// What a committed operation tells the world beyond its reply: pub/sub
// messages (PUBLISH, SPUBLISH) and keyspace events (notify-keyspace-events),
// collected in the operation's Effects and handed over once, after commit.
// The server delivers them (server/pubsub/): in process on a server that
// owns its data, through the engine's event log where several servers share
// one FoundationDB cluster.
import type { EventClass, Keyspace } from "../model/keyspace.ts";

export type { EventClass };

/** A message for one channel of one tenant. */
export interface ChannelMessage {
  readonly channel: Uint8Array;
  readonly message: Uint8Array;
  /** SPUBLISH: for SSUBSCRIBE clients only, never for patterns. */
  readonly shard: boolean;
}

/** One keyspace event, as an operation reports it: turned into channel messages only if the tenant's setting asks. */
export interface KeyspaceEvent {
  readonly ks: Keyspace;
  readonly type: EventClass;
  /** Redis's event name: "set", "lpush", "expired", "new"... */
  readonly event: string;
  readonly key: Uint8Array;
}

/** Where the executor hands messages and events once their operation has committed. */
export interface MessageSink {
  /** Messages published by a committed operation of `tenant`, in order. */
  publish(tenant: string, messages: readonly ChannelMessage[]): void;
  /** Keyspace events of a committed operation, in the order it reported them. */
  keyspaceEvents(events: readonly KeyspaceEvent[]): void;
}
