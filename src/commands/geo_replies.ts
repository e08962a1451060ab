// Geo replies shaped and printed as Redis 7.0 sends them (geo.c):
// distances with exactly four decimals (fixedpoint_d2string), coordinates
// as "%.17Lf" without trailing zeros (ld2string's human mode), hashes as the
// integer score. A search result is the bare member, or an array of the
// member then, in this order, distance, hash and [longitude, latitude].
import { all, type MaybePromise, then } from "../engine/maybe_promise.ts";
import { type GeoMatch, type GeoScoreSource, type ScoredMember, searchGeo, storedEntries } from "../model/geo_search.ts";
import { decodeScore, type GeoCoordinates, geohashGetDistance, geohashString } from "../model/geohash.ts";
import { DoubleReply, ErrorReply, NullArray, type Reply } from "../resp/reply.ts";
import type { GeoDistArguments, GeoQueryOnMissingKey, GeoQueryPlan } from "./geo_arguments.ts";

/**
 * fixedpoint_d2string(d, 4): d·10^4 rounded half to even (llrint), printed
 * with four decimals. "%.4f" would round the exact value instead; the two
 * differ when the product rounds.
 */
export function formatDistance(value: number): string {
  if (value === 0) return "0.0000";
  const scaled = value * 10000;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  let rounded = diff > 0.5 ? floor + 1 : diff < 0.5 ? floor : floor % 2 === 0 ? floor : floor + 1;
  const negative = rounded < 0;
  if (negative) rounded = -rounded;
  const digits = (Number.isSafeInteger(rounded) ? String(rounded) : BigInt(rounded).toString()).padStart(5, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -4)}.${digits.slice(-4)}`;
}

/**
 * printf's "%.Nf" as glibc prints a double: the exact binary value rounded
 * to N decimals, ties to even. toFixed rounds the exact value too but sends
 * ties away from zero, and switches to exponents from 1e21. A tie needs the
 * value to end exactly on its (N+1)th binary fraction digit, which is checked.
 */
export function formatFixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  const sign = value < 0 || Object.is(value, -0) ? "-" : "";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e21) return `${sign}${BigInt(magnitude).toString()}${digits > 0 ? "." + "0".repeat(digits) : ""}`;
  let text = magnitude.toFixed(digits);
  if (Number.isInteger(magnitude * 2 ** (digits + 1)) && !Number.isInteger(magnitude * 2 ** digits)) {
    const truncated = magnitude.toFixed(digits + 1).slice(0, -1); // exact: the value has digits + 1 decimals
    if (Number(truncated.at(-1)) % 2 === 0) text = truncated.endsWith(".") ? truncated.slice(0, -1) : truncated;
  }
  return sign + text;
}

/**
 * A coordinate as Redis prints it: "%.17Lf" of the double (a long double
 * holds it exactly), trailing zeros and a bare point removed, "-0" as "0".
 */
export function formatCoordinate(value: number): string {
  let text = formatFixed(value, 17);
  if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
  return text === "-0" ? "0" : text;
}

/** A coordinate: Redis's `%.17Lg` text, as a bulk string in RESP2 and a double in RESP3 (`,13.36138933897018433`). */
export function coordinateReply(value: number): Reply {
  return new DoubleReply(value, formatCoordinate(value));
}

/** GEOPOS: for each member, [longitude, latitude], or a null array when it is missing. */
export function positionsReply(points: readonly (GeoCoordinates | undefined)[]): Reply {
  return points.map((p) => (p === undefined ? NullArray.instance : [coordinateReply(p.longitude), coordinateReply(p.latitude)]));
}

/** GEODIST: the distance in the unit, or null when a member (or the key) is missing. */
export function distanceReply(meters: number | undefined, unit: number): Reply {
  return meters === undefined ? null : formatDistance(meters / unit);
}

/** GEOHASH: for each member, its 11-character geohash, or null. */
export function hashesReply(hashes: readonly (string | undefined)[]): Reply {
  return hashes.map((h) => h ?? null);
}

export interface GeoWithOptions {
  readonly withDist: boolean;
  readonly withHash: boolean;
  readonly withCoord: boolean;
}

/** A search's reply: members, each with the extras asked for (distances in `unit`). */
export function searchReply(matches: readonly GeoMatch[], options: GeoWithOptions & { readonly unit: number }): Reply {
  const extras = options.withDist || options.withHash || options.withCoord;
  return matches.map((m): Reply => {
    if (!extras) return m.member;
    const item: Reply[] = [m.member];
    if (options.withDist) item.push(formatDistance(m.distanceMeters / options.unit));
    if (options.withHash) item.push(hashReply(m.score));
    if (options.withCoord) item.push([coordinateReply(m.longitude), coordinateReply(m.latitude)]);
    return item;
  });
}

/** addReplyLongLong of the score, which C truncates to an integer (a search only meets scores in [0, 2^52]). */
function hashReply(score: number): Reply {
  return Math.trunc(score);
}

/**
 * What a search command does: reply, or (STORE, STOREDIST, GEOSEARCHSTORE)
 * write `entries` as the destination sorted set, replacing whatever it
 * held, or delete the destination when `entries` is empty; then reply.
 */
export type GeoQueryOutcome =
  | { readonly reply: Reply; readonly store?: undefined }
  | { readonly reply: number; readonly store: { readonly key: Uint8Array; readonly entries: ScoredMember[]; readonly event: string } };

/**
 * georadiusGeneric from the search on: `plan` is what resolveGeoQuery
 * (geo_arguments.ts) made of the arguments, `source` the searched sorted
 * set (undefined when the key is missing).
 */
export function runGeoQuery(
  plan: GeoQueryPlan | GeoQueryOnMissingKey | ErrorReply,
  source: GeoScoreSource | undefined,
): MaybePromise<GeoQueryOutcome> {
  if (plan instanceof ErrorReply) return { reply: plan };
  if ("missingKey" in plan || source === undefined) {
    return plan.store === undefined ? { reply: [] } : { reply: 0, store: { key: plan.store.key, entries: [], event: plan.store.event } };
  }
  return then(searchGeo(source, plan.search), (matches): GeoQueryOutcome => {
    const unit = plan.search.shape.unit;
    if (plan.store === undefined) return { reply: searchReply(matches, { ...plan, unit }) };
    const entries = storedEntries(matches, { distances: plan.store.distances, unit });
    return { reply: entries.length, store: { key: plan.store.key, entries, event: plan.store.event } };
  });
}

// GEOPOS, GEOHASH and GEODIST over a sorted set (undefined: the key is
// missing), after the command layer's type check.

/** Each member's score, undefined for a missing member or a missing key. */
function scoresOf(source: GeoScoreSource | undefined, members: readonly Uint8Array[]): MaybePromise<(number | undefined)[]> {
  if (source === undefined) return members.map(() => undefined);
  return all(members.map((m) => source.scoreOf(m)));
}

export function geoposReply(source: GeoScoreSource | undefined, members: readonly Uint8Array[]): MaybePromise<Reply> {
  return then(scoresOf(source, members), (scores) => positionsReply(scores.map((s) => (s === undefined ? undefined : decodeScore(s)))));
}

export function geohashReply(source: GeoScoreSource | undefined, members: readonly Uint8Array[]): MaybePromise<Reply> {
  return then(scoresOf(source, members), (scores) => hashesReply(scores.map((s) => (s === undefined ? undefined : geohashString(s)))));
}

export function geodistReply(source: GeoScoreSource | undefined, args: GeoDistArguments): MaybePromise<Reply> {
  return then(scoresOf(source, [args.from, args.to]), ([from, to]) => {
    if (from === undefined || to === undefined) return null;
    return distanceReply(geohashGetDistance(decodeScore(from), decodeScore(to)), args.unit);
  });
}
