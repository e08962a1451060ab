// Pub/sub: SUBSCRIBE and friends, PUBLISH, SPUBLISH and PUBSUB. Channels
// belong to the client's tenant (core/pubsub/channel_hub.ts); a token limited
// to key prefixes is limited to the channels of core/pubsub/channel_scope.ts.
// Subscribing needs the read right, publishing the write right. A PUBLISH
// inside MULTI is delivered once EXEC has committed, through its Effects.
import type { ChannelMessage } from "../../core/messages.ts";
import type { SubscriptionKind } from "../../core/pubsub/channel_hub.ts";
import { scopeNameOfChannel, scopeNameOfPattern } from "../../core/pubsub/channel_scope.ts";
import { ErrorReply, Frames, PushReply, type Reply } from "../../resp/reply.ts";
import { multiple, optional, pattern, string } from "../arguments.ts";
import { helpSubcommand } from "../help_subcommand.ts";
import { type CommandSpec, defineCommand, type LocalContext, type Session } from "../spec.ts";

const SUBSCRIBE_FLAGS = ["pubsub", "noscript", "loading", "stale"] as const;

/** Redis's name of each kind's confirmation frames. */
const FRAME_NAMES: Record<SubscriptionKind, { readonly add: string; readonly remove: string }> = {
  channel: { add: "subscribe", remove: "unsubscribe" },
  pattern: { add: "psubscribe", remove: "punsubscribe" },
  shard: { add: "ssubscribe", remove: "sunsubscribe" },
};

function tenantOf(session: Session): string {
  // Refusals ran first: a client without a principal never gets here.
  return session.principal?.tenant ?? "";
}

/**
 * One confirmation per name, duplicates included, each with the client's
 * count after it. Where messages cross servers, confirmed only once this
 * server follows the tenant's log: what is published after the reply is heard.
 */
function subscribe(kind: SubscriptionKind, { session, server }: LocalContext, names: readonly Uint8Array[]): Reply | Promise<Reply> {
  const subscriptions = session.subscriptions;
  const tenant = tenantOf(session);
  const frames = new Frames(names.map((name) => {
    subscriptions.add(tenant, kind, name);
    return new PushReply([FRAME_NAMES[kind].add, name, subscriptions.countOf(kind)]);
  }));
  const following = server.pubsub.bus.following(tenant);
  return following === undefined ? frames : following.then(() => frames);
}

/** One confirmation per name; with no name, one per subscription held, or a single null one when none is. */
function unsubscribe(kind: SubscriptionKind, { session }: LocalContext, names: readonly Uint8Array[]): Reply {
  const subscriptions = session.subscriptions;
  const frameName = FRAME_NAMES[kind].remove;
  const targets = names.length > 0 ? names : subscriptions.names(kind);
  if (targets.length === 0) return new PushReply([frameName, null, subscriptions.countOf(kind)]);
  return new Frames(targets.map((name) => {
    subscriptions.remove(kind, name);
    return new PushReply([frameName, name, subscriptions.countOf(kind)]);
  }));
}

function subscribeCommand(name: string, kind: SubscriptionKind, since: string, summary: string): CommandSpec {
  const scopeName = kind === "pattern" ? scopeNameOfPattern : scopeNameOfChannel;
  return defineCommand({
    name, arity: -2, flags: SUBSCRIBE_FLAGS, group: "pubsub", summary, since, complexity: "O(N) where N is the number of channels to subscribe to.",
    arguments: [multiple(kind === "pattern" ? pattern("pattern") : string(kind === "shard" ? "shardchannel" : "channel"))],
    allowedWhileSubscribed: true,
    needsRights: ["read"],
    channels: (argv) => argv.slice(1).map(scopeName),
    access: "none",
    parse: (argv) => argv.slice(1),
    exec: (ctx, names: readonly Uint8Array[]) => subscribe(kind, ctx, names),
  });
}

function unsubscribeCommand(name: string, kind: SubscriptionKind, since: string, summary: string): CommandSpec {
  return defineCommand({
    name, arity: -1, flags: SUBSCRIBE_FLAGS, group: "pubsub", summary, since, complexity: "O(N) where N is the number of channels to unsubscribe.",
    arguments: [optional(multiple(kind === "pattern" ? pattern("pattern") : string(kind === "shard" ? "shardchannel" : "channel")))],
    allowedWhileSubscribed: true,
    access: "none",
    parse: (argv) => argv.slice(1),
    exec: (ctx, names: readonly Uint8Array[]) => unsubscribe(kind, ctx, names),
  });
}

function publishCommand(name: string, shard: boolean, since: string, summary: string): CommandSpec {
  return defineCommand({
    name, arity: 3, flags: ["pubsub", "loading", "stale", "fast"], group: "pubsub", summary, since,
    complexity: "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
    arguments: [string(shard ? "shardchannel" : "channel"), string("message")],
    needsRights: ["write"],
    channels: (argv) => [scopeNameOfChannel(argv[1]!)],
    access: "none",
    parse: (argv): ChannelMessage => ({ channel: argv[1]!, message: argv[2]!, shard }),
    exec({ session, server, effects, batched }, message: ChannelMessage): Reply | Promise<Reply> {
      const tenant = tenantOf(session);
      const bus = server.pubsub.bus;
      // Counted now, delivered once the command (or its EXEC) has committed: nothing runs in between on this server.
      const receivers = server.pubsub.hub.receivers(tenant, message);
      if (batched === true || !bus.clustered) {
        effects.publish(tenant, message);
        return receivers;
      }
      return bus.publishAndDeliver(tenant, [message]).then(() => receivers);
    },
  });
}

/** Whether the session's token may see `channel` (a token without key prefixes sees every channel of its tenant). */
function visible(session: Session, channel: Uint8Array): boolean {
  const scope = session.principal?.keys;
  return scope === undefined || scope.allows(scopeNameOfChannel(channel));
}

function subcommandSyntaxError(subcommand: Uint8Array): ErrorReply {
  return new ErrorReply(`ERR unknown subcommand or wrong number of arguments for '${new TextDecoder().decode(subcommand)}'. Try PUBSUB HELP.`);
}

function channelsSubcommand(name: string, kind: "channel" | "shard", since: string): CommandSpec {
  return defineCommand({
    name, arity: -2, flags: ["pubsub", "loading", "stale"], group: "pubsub", since,
    summary: `Lists the ${kind === "shard" ? "shard channels" : "channels"} of the tenant with at least one subscriber on this server, matching the pattern if given.`,
    complexity: "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)",
    arguments: [optional(pattern("pattern"))],
    access: "none",
    parse: (argv) => (argv.length > 3 ? subcommandSyntaxError(argv[1]!) : argv[2]),
    exec: ({ session, server }, matching: Uint8Array | undefined): Reply =>
      server.pubsub.hub.channelNames(tenantOf(session), kind, matching).filter((channel) => visible(session, channel)),
  });
}

function numsubSubcommand(name: string, kind: "channel" | "shard", since: string): CommandSpec {
  return defineCommand({
    name, arity: -2, flags: ["pubsub", "loading", "stale"], group: "pubsub", since,
    summary: `Counts the subscribers of each ${kind === "shard" ? "shard channel" : "channel"} on this server (patterns not included).`,
    complexity: "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
    arguments: [optional(multiple(string(kind === "shard" ? "shardchannel" : "channel")))],
    access: "none",
    parse: (argv) => argv.slice(2),
    exec({ session, server }, channels: readonly Uint8Array[]): Reply {
      const tenant = tenantOf(session);
      return channels.flatMap((channel) => [channel, visible(session, channel) ? server.pubsub.hub.subscriberCount(tenant, kind, channel) : 0]);
    },
  });
}

const numpat = defineCommand({
  name: "numpat", arity: 2, flags: ["pubsub", "loading", "stale"], group: "pubsub", since: "2.8.0",
  summary: "Counts the distinct patterns the tenant's clients subscribe to on this server.", complexity: "O(1)",
  access: "none",
  parse: () => undefined,
  exec: ({ session, server }): Reply => server.pubsub.hub.patternCount(tenantOf(session)),
});

const PUBSUB_HELP = [
  "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CHANNELS [<pattern>]",
  "    Return the currently active channels matching a <pattern> (default: '*').",
  "NUMPAT",
  "    Return number of subscriptions to patterns.",
  "NUMSUB [<channel> ...]",
  "    Return the number of subscribers for the specified channels, excluding",
  "    pattern subscriptions(default: no channels).",
  "SHARDCHANNELS [<pattern>]",
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  "SHARDNUMSUB [<shardchannel> ...]",
  "    Return the number of subscribers for the specified shard level channel(s)",
  "HELP",
  "    Prints this help.",
];

const pubsubContainer = defineCommand({
  name: "pubsub", arity: -2, flags: [], group: "pubsub", since: "2.8.0",
  summary: "A container for pub/sub introspection commands.", complexity: "Depends on subcommand.",
  subcommands: [
    channelsSubcommand("channels", "channel", "2.8.0"),
    numpat,
    numsubSubcommand("numsub", "channel", "2.8.0"),
    channelsSubcommand("shardchannels", "shard", "7.0.0"),
    numsubSubcommand("shardnumsub", "shard", "7.0.0"),
    helpSubcommand("pubsub", { group: "pubsub", since: "6.2.0", lines: PUBSUB_HELP }),
  ],
  access: "none",
  parse: () => undefined,
  exec: (): Reply => new ErrorReply("ERR syntax error"),
});

export const PUBSUB_COMMANDS: readonly CommandSpec[] = [
  subscribeCommand("subscribe", "channel", "2.0.0", "Listens for messages published to the given channels of the tenant."),
  subscribeCommand("psubscribe", "pattern", "2.0.0", "Listens for messages published to the tenant's channels that match the given patterns."),
  subscribeCommand("ssubscribe", "shard", "7.0.0", "Listens for messages published to the given shard channels of the tenant."),
  unsubscribeCommand("unsubscribe", "channel", "2.0.0", "Stops listening to the given channels, or to all of them."),
  unsubscribeCommand("punsubscribe", "pattern", "2.0.0", "Stops listening to the given patterns, or to all of them."),
  unsubscribeCommand("sunsubscribe", "shard", "7.0.0", "Stops listening to the given shard channels, or to all of them."),
  publishCommand("publish", false, "2.0.0", "Posts a message to a channel of the tenant; answers how many subscribers received it (on this server)."),
  publishCommand("spublish", true, "7.0.0", "Posts a message to a shard channel of the tenant; answers how many subscribers received it (on this server)."),
  pubsubContainer,
];
