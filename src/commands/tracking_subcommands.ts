// CLIENT TRACKING, CLIENT CACHING, CLIENT GETREDIR and CLIENT TRACKINGINFO:
// client-side caching as Redis 7.0 declares and checks it (networking.c).
// The tracking table itself is the server's (src/server/tracking/).
import { ErrorReply, MapReply, OK, SetReply, type Reply } from "../resp/reply.ts";
import { parseClampedInteger, upper } from "./args.ts";
import { ArgumentReader } from "./argument_reader.ts";
import { integer, multiple, oneOf, optional, string, token, withToken } from "./arguments.ts";
import { bytesEqual } from "../engine/bytes.ts";
import {
  CACHING_NO_WITHOUT_OPTOUT, CACHING_WITHOUT_TRACKING, CACHING_YES_WITHOUT_OPTIN, NOT_INTEGER, SYNTAX, trackingPrefixOverlap,
  TRACKING_BCAST_SWITCH, TRACKING_OPT_SWITCH, TRACKING_OPTIN_AND_OPTOUT, TRACKING_OPTIONS_WITH_BCAST, TRACKING_PREFIX_WITHOUT_BCAST,
  TRACKING_REDIRECT_MISSING, TRACKING_REDIRECT_TWICE, tooManyTrackingPrefixes,
} from "./errors.ts";
import { MAX_TRACKING_PREFIXES } from "./client_tracking.ts";
import { defineCommand, type LocalContext, type Session } from "./spec.ts";

/** An option whose check waits for exec: Redis looks the redirect target up while it reads the options, in order. */
type CheckedInOrder =
  | { readonly redirect: number | undefined }
  | { readonly syntaxError: true };

interface TrackingArgs {
  /** undefined: neither ON nor OFF (a syntax error, answered after the options' own errors). */
  readonly on: boolean | undefined;
  readonly inOrder: readonly CheckedInOrder[];
  readonly bcast: boolean;
  readonly optin: boolean;
  readonly optout: boolean;
  readonly noloop: boolean;
  readonly prefixes: readonly Uint8Array[];
}

function parseTracking(argv: readonly Uint8Array[]): TrackingArgs {
  const args = new ArgumentReader(argv, 2);
  const mode = upper(args.bytes());
  const inOrder: CheckedInOrder[] = [];
  const prefixes: Uint8Array[] = [];
  const flags = { bcast: false, optin: false, optout: false, noloop: false };
  while (args.hasMore) {
    const option = upper(args.bytes());
    if (option === "REDIRECT" && args.hasMore) inOrder.push({ redirect: parseClampedInteger(args.bytes()) });
    else if (option === "PREFIX" && args.hasMore) prefixes.push(args.bytes());
    else if (option === "BCAST") flags.bcast = true;
    else if (option === "OPTIN") flags.optin = true;
    else if (option === "OPTOUT") flags.optout = true;
    else if (option === "NOLOOP") flags.noloop = true;
    else {
      inOrder.push({ syntaxError: true });
      break;
    }
  }
  return { on: mode === "ON" ? true : mode === "OFF" ? false : undefined, inOrder, prefixes, ...flags };
}

/** The redirect target of the same tenant, or the error Redis gives, reading the options in order. */
function redirectOf(ctx: LocalContext, args: TrackingArgs): Session | undefined | ErrorReply {
  let target: Session | undefined;
  for (const step of args.inOrder) {
    if ("syntaxError" in step) return SYNTAX;
    if (target !== undefined) return TRACKING_REDIRECT_TWICE;
    if (step.redirect === undefined) return NOT_INTEGER;
    const tenant = ctx.session.principal?.tenant;
    for (const session of ctx.server.sessions()) {
      // Another tenant's connections do not exist for this one.
      if (session.id === step.redirect && session.principal?.tenant === tenant) target = session;
    }
    if (target === undefined) return TRACKING_REDIRECT_MISSING;
  }
  return target;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return prefix.length <= bytes.length && bytesEqual(bytes.subarray(0, prefix.length), prefix);
}

/** Two prefixes overlap when one starts with the other (so a key would be sent twice). */
function overlaps(a: Uint8Array, b: Uint8Array): boolean {
  return startsWith(a, b) || startsWith(b, a);
}

/** Redis's checkPrefixCollisionsOrReply: against the prefixes already registered, then among the new ones. */
function prefixCollision(session: Session, prefixes: readonly Uint8Array[]): ErrorReply | undefined {
  const existing = session.tracking?.prefixes() ?? [];
  for (let i = 0; i < prefixes.length; i++) {
    const prefix = prefixes[i]!;
    const old = existing.find((other) => overlaps(other, prefix));
    if (old !== undefined) return trackingPrefixOverlap(prefix, old, true);
    for (let j = i + 1; j < prefixes.length; j++) {
      if (overlaps(prefix, prefixes[j]!)) return trackingPrefixOverlap(prefix, prefixes[j]!, false);
    }
  }
  return undefined;
}

export const clientTracking = defineCommand({
  name: "tracking", arity: -3, flags: ["noscript", "loading", "stale"], group: "connection",
  summary: "Turns client-side caching invalidations on or off for this connection: keys it reads, or key prefixes (BCAST).",
  since: "6.0.0", complexity: "O(1). Some options may introduce additional complexity.",
  arguments: [
    oneOf("status", token("ON"), token("OFF")),
    optional(withToken("REDIRECT", integer("client-id"))),
    optional(multiple(withToken("PREFIX", string("prefix")))),
    optional(token("BCAST")),
    optional(token("OPTIN")),
    optional(token("OPTOUT")),
    optional(token("NOLOOP")),
  ],
  access: "none",
  parse: parseTracking,
  exec(ctx, args): Reply {
    const { session, server } = ctx;
    const redirect = redirectOf(ctx, args);
    if (redirect instanceof ErrorReply) return redirect;
    if (args.on === undefined) return SYNTAX;
    if (!args.on) {
      server.tracking.disable(session);
      return OK;
    }
    const current = session.tracking;
    if (!args.bcast && args.prefixes.length > 0) return TRACKING_PREFIX_WITHOUT_BCAST;
    if (current !== undefined && current.bcast !== args.bcast) return TRACKING_BCAST_SWITCH;
    if (args.bcast && (args.optin || args.optout)) return TRACKING_OPTIONS_WITH_BCAST;
    if (args.optin && args.optout) return TRACKING_OPTIN_AND_OPTOUT;
    if ((args.optin && current?.optout) || (args.optout && current?.optin)) return TRACKING_OPT_SWITCH;
    if (args.bcast) {
      const collision = prefixCollision(session, args.prefixes);
      if (collision !== undefined) return collision;
      const followed = (current?.prefixes().length ?? 0) + Math.max(args.prefixes.length, 1);
      if (followed > MAX_TRACKING_PREFIXES) return tooManyTrackingPrefixes(MAX_TRACKING_PREFIXES);
    }
    server.tracking.enable(session, { redirect, bcast: args.bcast, prefixes: args.prefixes, optin: args.optin, optout: args.optout, noloop: args.noloop });
    return OK;
  },
});

export const clientCaching = defineCommand({
  name: "caching", arity: 3, flags: ["noscript", "loading", "stale"], group: "connection",
  summary: "With OPTIN tracking, YES tracks the next command's reads; with OPTOUT, NO leaves them untracked.",
  since: "6.0.0", complexity: "O(1)",
  arguments: [oneOf("mode", token("YES"), token("NO"))],
  access: "none",
  parse: (argv) => upper(new ArgumentReader(argv, 2).bytes()),
  exec({ session }, mode): Reply {
    const tracking = session.tracking;
    if (tracking === undefined) return CACHING_WITHOUT_TRACKING;
    if (mode === "YES") {
      if (!tracking.optin) return CACHING_YES_WITHOUT_OPTIN;
    } else if (mode === "NO") {
      if (!tracking.optout) return CACHING_NO_WITHOUT_OPTOUT;
    } else return SYNTAX;
    tracking.caching = true;
    return OK;
  },
});

export const clientGetRedir = defineCommand({
  name: "getredir", arity: 2, flags: ["noscript", "loading", "stale"], group: "connection",
  summary: "Returns the id invalidations are redirected to: 0 for none, -1 when tracking is off.",
  since: "6.0.0", complexity: "O(1)",
  access: "none", parse: () => undefined,
  exec: ({ session }): Reply => session.tracking?.redirect ?? -1,
});

export const clientTrackingInfo = defineCommand({
  name: "trackinginfo", arity: 2, flags: ["noscript", "loading", "stale"], group: "connection",
  summary: "Describes this connection's client-side caching: its flags, redirect id and BCAST prefixes.",
  since: "6.2.0", complexity: "O(1)",
  access: "none", parse: () => undefined,
  exec({ session }): Reply {
    const tracking = session.tracking;
    if (tracking === undefined) return new MapReply([["flags", new SetReply(["off"])], ["redirect", -1], ["prefixes", []]]);
    const flags: string[] = ["on"];
    if (tracking.bcast) flags.push("bcast");
    if (tracking.optin) flags.push("optin", ...(tracking.caching ? ["caching-yes"] : []));
    if (tracking.optout) flags.push("optout", ...(tracking.caching ? ["caching-no"] : []));
    if (tracking.noloop) flags.push("noloop");
    if (tracking.brokenRedirect) flags.push("broken_redirect");
    return new MapReply([["flags", new SetReply(flags)], ["redirect", tracking.redirect], ["prefixes", tracking.prefixes()]]);
  },
});
