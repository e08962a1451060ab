// From the keyspace events of a committed operation to the pub/sub messages
// Redis's notifyKeyspaceEvent publishes for them: for each event whose class
// the tenant's setting includes, `__keyspace@<db>__:<key>` carrying the event
// name (with K), then `__keyevent@<db>__:<event>` carrying the key (with E).
import { concatBytes } from "../engine/bytes.ts";
import type { ChannelMessage, KeyspaceEvent } from "./messages.ts";
import type { KeyspaceEventRouter } from "./pubsub/message_bus.ts";
import { CLASS_FLAGS, NOTIFY_KEYEVENT, NOTIFY_KEYSPACE, type NotifyFlags, publishesAny } from "./notify_keyspace_events.ts";

const ASCII = new TextEncoder();

/** The messages `events` publish under `flags`, in the order Redis publishes them. */
export function keyspaceMessages(flags: NotifyFlags, events: readonly KeyspaceEvent[]): ChannelMessage[] {
  const messages: ChannelMessage[] = [];
  if (!publishesAny(flags)) return messages;
  for (const event of events) addMessagesOf(event, { flags, messages });
  return messages;
}

/** Appends the messages one event publishes under `flags` (none when its class is not set). */
function addMessagesOf({ ks, type, event, key }: KeyspaceEvent, to: { readonly flags: NotifyFlags; readonly messages: ChannelMessage[] }): void {
  const { flags, messages } = to;
  if ((flags & CLASS_FLAGS[type]) === 0) return;
  const name = ASCII.encode(event);
  if (flags & NOTIFY_KEYSPACE) {
    messages.push({ channel: concatBytes(ASCII.encode(`__keyspace@${ks.db}__:`), key), message: name, shard: false });
  }
  if (flags & NOTIFY_KEYEVENT) {
    messages.push({ channel: ASCII.encode(`__keyevent@${ks.db}__:${event}`), message: key, shard: false });
  }
}

/**
 * The message bus's router (MessageBus.routeKeyspaceEvents): each event's
 * messages under its tenant's setting, in the events' order. Events of
 * tenants without notifications (the sweeper reports every removal) give
 * nothing.
 */
export function keyspaceEventRouter(flagsOf: (tenant: string) => NotifyFlags): KeyspaceEventRouter {
  return function* (events) {
    let tenant: string | undefined;
    let flags: NotifyFlags = 0;
    const messages: ChannelMessage[] = [];
    for (const event of events) {
      if (event.ks.tenant !== tenant) {
        tenant = event.ks.tenant;
        flags = flagsOf(tenant);
      }
      if (!publishesAny(flags)) continue;
      messages.length = 0;
      addMessagesOf(event, { flags, messages });
      for (const message of messages) yield { tenant, message };
    }
  };
}
