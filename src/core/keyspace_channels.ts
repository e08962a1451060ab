// From the keyspace events of a committed operation to the pub/sub messages
// Redis's notifyKeyspaceEvent publishes for them: for each event whose class
// the tenant's setting includes, `__keyspace@<db>__:<key>` carrying the event
// name (with K), then `__keyevent@<db>__:<event>` carrying the key (with E).
import { concatBytes } from "../engine/bytes.ts";
import type { ChannelMessage, KeyspaceEvent } from "./messages.ts";
import { CLASS_FLAGS, NOTIFY_KEYEVENT, NOTIFY_KEYSPACE, type NotifyFlags, publishesAny } from "./notify_keyspace_events.ts";

const ASCII = new TextEncoder();

/** The messages `events` publish under `flags`, in the order Redis publishes them. */
export function keyspaceMessages(flags: NotifyFlags, events: readonly KeyspaceEvent[]): ChannelMessage[] {
  const messages: ChannelMessage[] = [];
  if (!publishesAny(flags)) return messages;
  for (const { ks, type, event, key } of events) {
    if ((flags & CLASS_FLAGS[type]) === 0) continue;
    const name = ASCII.encode(event);
    if (flags & NOTIFY_KEYSPACE) {
      messages.push({ channel: concatBytes(ASCII.encode(`__keyspace@${ks.db}__:`), key), message: name, shard: false });
    }
    if (flags & NOTIFY_KEYEVENT) {
      messages.push({ channel: ASCII.encode(`__keyevent@${ks.db}__:${event}`), message: key, shard: false });
    }
  }
  return messages;
}

/**
 * The messages of events that may belong to several tenants (the expiry
 * sweeper removes keys of any tenant in one transaction), per tenant, each
 * under its own setting. Tenants in the order of their first event.
 */
export function keyspaceMessagesByTenant(
  flagsOf: (tenant: string) => NotifyFlags,
  events: readonly KeyspaceEvent[],
): Map<string, ChannelMessage[]> {
  const byTenant = new Map<string, KeyspaceEvent[]>();
  for (const event of events) {
    const tenant = event.ks.tenant;
    let list = byTenant.get(tenant);
    if (list === undefined) byTenant.set(tenant, list = []);
    list.push(event);
  }
  const out = new Map<string, ChannelMessage[]>();
  for (const [tenant, list] of byTenant) {
    const messages = keyspaceMessages(flagsOf(tenant), list);
    if (messages.length > 0) out.set(tenant, messages);
  }
  return out;
}
