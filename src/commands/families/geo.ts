// Geo commands: GEOADD, GEOPOS, GEODIST, GEOHASH, GEOSEARCH, GEOSEARCHSTORE,
// GEORADIUS, GEORADIUSBYMEMBER and the _RO forms. A geo index is a sorted set
// whose scores are 52-bit geohashes (src/model/geohash.ts): GEOADD is ZADD of
// those scores, the searches scan score ranges (src/model/geo_search.ts).
//
// The arguments are parsed by geo_arguments.ts and the replies shaped by
// geo_replies.ts; this module opens the sorted set (WRONGTYPE first, as Redis
// checks the key's type before the searches' arguments), runs them, and
// writes the destination of STORE, STOREDIST and GEOSEARCHSTORE.
import { onlyKeyAt } from "../key_positions.ts";
import type { MaybePromise, ReadTxn } from "../../engine/contract.ts";
import { then } from "../../engine/maybe_promise.ts";
import { openGeoSource } from "../../model/geo_source.ts";
import type { GeoScoreSource } from "../../model/geo_search.ts";
import type { Keyspace } from "../../model/keyspace.ts";
import * as zsets from "../../model/sorted_sets.ts";
import type { ErrorReply, Reply } from "../../resp/reply.ts";
import { type ArgumentDoc, block, double, integer, key, multiple, oneOf, optional, string, token, withToken } from "../arguments.ts";
import { type GeoQueryArguments, type GeoQueryCommand, parseGeoAdd, parseGeoDist, parseGeoMembers, parseGeoQuery, resolveGeoQuery } from "../geo_arguments.ts";
import { geodistReply, geohashReply, geoposReply, runGeoQuery } from "../geo_replies.ts";
import { MEMBER_TOO_LARGE, WRONGTYPE } from "../errors.ts";
import { type CommandSpec, defineCommand, type TxContext } from "../spec.ts";

const KEY_ONLY = { first: 1, last: 1, step: 1 } as const;

/** The sorted set at `key` as a geo source (undefined: missing), then `next`; WRONGTYPE for any other type. */
function withSource(
  at: { readonly tx: ReadTxn; readonly ks: Keyspace; readonly nowMs: number },
  key: Uint8Array,
  next: (source: GeoScoreSource | undefined) => MaybePromise<Reply>,
): MaybePromise<Reply> {
  return then(openGeoSource(at.tx, at.ks, key, at.nowMs), (source) => (source === "WRONGTYPE" ? WRONGTYPE : next(source)));
}

// --- GEOADD ---

const geoadd = defineCommand({
  name: "geoadd",
  arity: -5,
  flags: ["write", "denyoom"],
  keys: KEY_ONLY,
  group: "geo",
  summary: "Adds points (longitude, latitude, member) to a geo index, a sorted set scored by geohash; NX and XX choose which changes apply, CH counts updates too.",
  since: "3.2.0",
  complexity: "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
  arguments: [
    key("key"),
    optional(oneOf("condition", token("NX"), token("XX"))),
    optional(token("CH")),
    multiple(block("data", double("longitude"), double("latitude"), string("member"))),
  ],
  access: "write",
  parse: parseGeoAdd,
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
    then(zsets.addMembers(tx, ks, args.key, { entries: args.points, options: { nx: args.nx, xx: args.xx }, nowMs }), (outcome) => {
      if (outcome === "WRONGTYPE") return WRONGTYPE;
      if (outcome === "MEMBER_TOO_LARGE") return MEMBER_TOO_LARGE;
      if (outcome === "SCORE_NAN") throw new Error("a geohash score is never NaN");
      return args.ch ? outcome.added + outcome.changed : outcome.added;
    }),
});

// --- GEOPOS, GEOHASH, GEODIST ---

const geopos = defineCommand({
  name: "geopos",
  arity: -2,
  flags: ["readonly"],
  keys: KEY_ONLY,
  group: "geo",
  summary: "Returns the longitude and latitude of members of a geo index (their cell's centre), nil for each one missing.",
  since: "3.2.0",
  complexity: "O(1) for each member requested.",
  arguments: [key("key"), optional(multiple(string("member")))],
  access: "read",
  parse: parseGeoMembers,
  exec: (ctx, args): MaybePromise<Reply> => withSource(ctx, args.key, (source) => geoposReply(source, args.members)),
});

const geohash = defineCommand({
  name: "geohash",
  arity: -2,
  flags: ["readonly"],
  keys: KEY_ONLY,
  group: "geo",
  summary: "Returns the standard 11-character geohash strings of members of a geo index, nil for each one missing.",
  since: "3.2.0",
  complexity: "O(1) for each member requested.",
  arguments: [key("key"), optional(multiple(string("member")))],
  access: "read",
  parse: parseGeoMembers,
  exec: (ctx, args): MaybePromise<Reply> => withSource(ctx, args.key, (source) => geohashReply(source, args.members)),
});

const UNIT = oneOf("unit", token("M"), token("KM"), token("FT"), token("MI"));

const geodist = defineCommand({
  name: "geodist",
  arity: -4,
  flags: ["readonly"],
  keys: KEY_ONLY,
  group: "geo",
  summary: "Returns the distance between two members of a geo index in meters, kilometers, feet or miles; nil when one is missing.",
  since: "3.2.0",
  complexity: "O(1)",
  arguments: [key("key"), string("member1"), string("member2"), optional(UNIT)],
  access: "read",
  parse: parseGeoDist,
  exec: (ctx, args): MaybePromise<Reply> => withSource(ctx, args.key, (source) => geodistReply(source, args)),
});

// --- the searches ---

/** Runs a parsed search (georadiusGeneric): type check, recorded checks, search, then the reply or the store. */
function runSearch(ctx: TxContext, args: GeoQueryArguments): MaybePromise<Reply> {
  return withSource(ctx, args.key, (source) =>
    then(resolveGeoQuery(args, source), (plan) =>
      then(runGeoQuery(plan, source), (outcome): MaybePromise<Reply> => {
        if (outcome.store === undefined) return outcome.reply;
        return zsets.storeSortedSet(ctx.tx, ctx.ks, outcome.store.key, { entries: outcome.store.entries, event: outcome.store.event, nowMs: ctx.nowMs }).then((stored): Reply | ErrorReply =>
          stored === "MEMBER_TOO_LARGE" ? MEMBER_TOO_LARGE : stored
        );
      })));
}

/** Redis matches STORE and STOREDIST against argv as sent, from `from` to the last argument but one. */
function isWord(bytes: Uint8Array, word: string): boolean {
  if (bytes.length !== word.length) return false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if ((b >= 0x61 && b <= 0x7a ? b - 32 : b) !== word.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * GEORADIUS and GEORADIUSBYMEMBER's keys: the source, then the keys Redis
 * 7.0's key specs find (the argument after the first STORE, after the first
 * STOREDIST, searched from `from`), then the destination the parser actually
 * writes (the last STORE or STOREDIST) when it is not one of them, so that
 * authorisation and WATCH always see the key written.
 */
function radiusKeys(argv: readonly Uint8Array[], command: GeoQueryCommand, from: number): number[] {
  const positions = [1];
  for (const word of ["STORE", "STOREDIST"]) {
    for (let i = from; i < argv.length - 1; i++) {
      if (isWord(argv[i]!, word)) {
        positions.push(i + 1);
        break;
      }
    }
  }
  if (argv.length > from) {
    const written = parseGeoQuery(argv, command).store?.key;
    const at = written === undefined ? -1 : argv.indexOf(written);
    if (at > 0 && !positions.includes(at)) positions.push(at);
  }
  return positions;
}

const COUNT_DOC = optional(block("count", withToken("COUNT", integer("count")), optional(token("ANY"))));
const ORDER_DOC = optional(oneOf("order", token("ASC"), token("DESC")));
const WITH_DOCS = [optional(token("WITHCOORD")), optional(token("WITHDIST")), optional(token("WITHHASH"))];
const FROM_DOC = oneOf("from", withToken("FROMMEMBER", string("member")), withToken("FROMLONLAT", block("longitude_latitude", double("longitude"), double("latitude"))));
const BY_DOC = oneOf(
  "by",
  block("circle", withToken("BYRADIUS", double("radius")), UNIT),
  block("box", withToken("BYBOX", double("width")), double("height"), UNIT),
);
const RADIUS_COMPLEXITY = "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.";
const SEARCH_COMPLEXITY = "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape";

function radiusCommand(spec: { name: GeoQueryCommand; byMember: boolean; readOnly: boolean; summary: string }): CommandSpec {
  const centre: ArgumentDoc[] = spec.byMember ? [string("member")] : [double("longitude"), double("latitude")];
  const stores: ArgumentDoc[] = spec.readOnly ? [] : [optional(withToken("STORE", { ...key("key"), keySpecIndex: 1 })), optional(withToken("STOREDIST", { ...key("key"), keySpecIndex: 2 }))];
  const replacedBy = spec.byMember ? "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments" : "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument";
  const from = spec.byMember ? 5 : 6;
  return defineCommand({
    name: spec.name,
    arity: spec.byMember ? -5 : -6,
    flags: spec.readOnly ? ["readonly"] : ["write", "denyoom", "movablekeys"],
    keys: KEY_ONLY,
    ...(spec.readOnly ? {} : {
      movableKeys: (argv: readonly Uint8Array[]) => radiusKeys(argv, spec.name, from),
      // The searched key is only read: the STORE or STOREDIST key is what changes.
      writtenKeys: (argv: readonly Uint8Array[]) => radiusKeys(argv, spec.name, from).filter((at) => at !== 1),
    }),
    group: "geo",
    summary: spec.summary,
    since: spec.readOnly ? "3.2.10" : "3.2.0",
    complexity: RADIUS_COMPLEXITY,
    deprecated: { since: "6.2.0", replacedBy },
    arguments: [key("key"), ...centre, double("radius"), UNIT, ...WITH_DOCS, COUNT_DOC, ORDER_DOC, ...stores],
    access: spec.readOnly ? "read" : "write",
    ...(spec.readOnly ? { longRead: true as const } : {}),
    parse: (argv) => parseGeoQuery(argv, spec.name),
    exec: runSearch,
  });
}

const georadius = radiusCommand({
  name: "georadius",
  byMember: false,
  readOnly: false,
  summary: "Returns the members of a geo index within a radius of a point, optionally with distances, hashes and coordinates, sorted and counted; STORE and STOREDIST write them to a key instead.",
});
const georadiusbymember = radiusCommand({
  name: "georadiusbymember",
  byMember: true,
  readOnly: false,
  summary: "Returns the members of a geo index within a radius of one of its members, as GEORADIUS does around a point; STORE and STOREDIST write them to a key instead.",
});
const georadiusRo = radiusCommand({
  name: "georadius_ro",
  byMember: false,
  readOnly: true,
  summary: "Returns the members of a geo index within a radius of a point: GEORADIUS without STORE, for read-only clients.",
});
const georadiusbymemberRo = radiusCommand({
  name: "georadiusbymember_ro",
  byMember: true,
  readOnly: true,
  summary: "Returns the members of a geo index within a radius of one of its members: GEORADIUSBYMEMBER without STORE, for read-only clients.",
});

const geosearch = defineCommand({
  name: "geosearch",
  arity: -7,
  flags: ["readonly"],
  keys: KEY_ONLY,
  group: "geo",
  summary: "Returns the members of a geo index inside a circle (BYRADIUS) or a box (BYBOX) around a member or a point, optionally with distances, hashes and coordinates, sorted and counted.",
  since: "6.2.0",
  complexity: SEARCH_COMPLEXITY,
  arguments: [key("key"), FROM_DOC, BY_DOC, ORDER_DOC, COUNT_DOC, ...WITH_DOCS],
  access: "read",
  longRead: true,
  parse: (argv) => parseGeoQuery(argv, "geosearch"),
  exec: runSearch,
});

const geosearchstore = defineCommand({
  name: "geosearchstore",
  arity: -8,
  flags: ["write", "denyoom"],
  keys: { first: 1, last: 2, step: 1 },
  writtenKeys: onlyKeyAt(1),
  group: "geo",
  summary: "Stores the members of a geo index found as GEOSEARCH finds them at a destination key, replacing it (scores: geohashes, or distances with STOREDIST); returns how many.",
  since: "6.2.0",
  complexity: SEARCH_COMPLEXITY,
  arguments: [key("destination"), { ...key("source"), keySpecIndex: 1 }, FROM_DOC, BY_DOC, ORDER_DOC, COUNT_DOC, optional(token("STOREDIST"))],
  access: "write",
  parse: (argv) => parseGeoQuery(argv, "geosearchstore"),
  exec: runSearch,
});

export const GEO_COMMANDS: readonly CommandSpec[] = [
  geoadd,
  geopos,
  geohash,
  geodist,
  georadius,
  georadiusbymember,
  georadiusRo,
  georadiusbymemberRo,
  geosearch,
  geosearchstore,
];
