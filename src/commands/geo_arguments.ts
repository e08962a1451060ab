// Parsing the geo commands' arguments with Redis 7.0's rules, texts and
// order of errors (geo.c). GEOADD, GEOPOS, GEOHASH and GEODIST parse in one
// go. The searches (GEOSEARCH, GEOSEARCHSTORE, GEORADIUS, GEORADIUSBYMEMBER
// and the _RO forms) cannot: Redis checks the key's type before any
// argument, looks FROMMEMBER's member up in the middle of the options, and
// skips GEORADIUSBYMEMBER's radius when the key is missing. Their parse
// therefore records the checks in order (`steps`), and `resolveGeoQuery`
// runs them once the source sorted set is known.
import { type MaybePromise, then } from "../engine/maybe_promise.ts";
import { type GeoScoreSource, type GeoSearch, type GeoSort, positionOf } from "../model/geo_search.ts";
import { type GeoCoordinates, geohashScore, type GeoShape, isValidCoordinates } from "../model/geohash.ts";
import { parseInt64 } from "../model/integers.ts";
import { ErrorReply } from "../resp/reply.ts";
import { byteString } from "../engine/bytes.ts";
import {
  GEO_ANY_WITHOUT_COUNT as ANY_WITHOUT_COUNT,
  GEO_BOX_NEGATIVE as BOX_NEGATIVE,
  GEO_COUNT_NOT_POSITIVE as COUNT_NOT_POSITIVE,
  GEO_MEMBER_NOT_FOUND as MEMBER_NOT_FOUND,
  GEO_NEED_NUMERIC_HEIGHT as NEED_NUMERIC_HEIGHT,
  GEO_NEED_NUMERIC_RADIUS as NEED_NUMERIC_RADIUS,
  GEO_NEED_NUMERIC_WIDTH as NEED_NUMERIC_WIDTH,
  GEO_RADIUS_NEGATIVE as RADIUS_NEGATIVE,
  GEO_UNSUPPORTED_UNIT as UNSUPPORTED_UNIT,
  geoInvalidPair,
  geoNeedsCentre,
  geoNeedsShape,
  GEORADIUS_STORE_WITH,
  GEOSEARCHSTORE_WITH,
  NOT_FLOAT,
  NOT_INTEGER,
  SYNTAX,
} from "./errors.ts";
import { formatFixed, type GeoWithOptions } from "./geo_replies.ts";

/** "%f,%f" of the refused pair, as Redis prints it. */
export function invalidLongitudeLatitude(longitude: number, latitude: number): ErrorReply {
  return geoInvalidPair(formatFixed(longitude, 6), formatFixed(latitude, 6));
}

/** The command name as the client sent it (Redis prints argv[0] as is). */
function needsCentre(commandName: Uint8Array): ErrorReply {
  return geoNeedsCentre(byteString(cString(commandName)));
}

function needsShape(commandName: Uint8Array): ErrorReply {
  return geoNeedsShape(byteString(cString(commandName)));
}

const DECIMAL = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const HEX = /^([+-]?)0[xX](?:([0-9a-fA-F]+)\.?([0-9a-fA-F]*)|\.([0-9a-fA-F]+))(?:[pP]([+-]?[0-9]+))?$/;
const INFINITY = /^([+-]?)(?:inf|infinity)$/i;
const NONZERO_DIGIT = /[1-9]/;

/**
 * string2d (getDoubleFromObject): strtod over the whole argument. Refused:
 * an empty argument, a leading space, trailing bytes (a NUL included), NaN,
 * overflow to infinity and underflow to zero. Accepted: "inf", hex floats.
 */
export function parseGeoDouble(bytes: Uint8Array): number | undefined {
  if (bytes.length === 0 || bytes.length > 400 || bytes.includes(0)) return undefined;
  const text = byteString(bytes);
  const infinity = INFINITY.exec(text);
  if (infinity) return infinity[1] === "-" ? -Infinity : Infinity;
  let value: number;
  let nonZero: boolean;
  if (DECIMAL.test(text)) {
    value = Number(text);
    nonZero = NONZERO_DIGIT.test(text.replace(/[eE].*$/, ""));
  } else {
    const hex = HEX.exec(text);
    if (!hex) return undefined;
    const [, sign, whole = "", fraction = "", onlyFraction = "", power = "0"] = hex;
    const digits = whole + (onlyFraction || fraction);
    const mantissa = BigInt(`0x${digits}`);
    const exponent = Number(power) - 4 * (onlyFraction || fraction).length;
    value = (sign === "-" ? -1 : 1) * Number(mantissa) * 2 ** exponent;
    nonZero = mantissa !== 0n;
  }
  if (!Number.isFinite(value) || Number.isNaN(value)) return undefined;
  if (value === 0 && nonZero) return undefined;
  return value;
}

/** The bytes up to the first NUL: what C's string functions see of an argument. */
function cString(bytes: Uint8Array): Uint8Array {
  const nul = bytes.indexOf(0);
  return nul < 0 ? bytes : bytes.subarray(0, nul);
}

/** strcasecmp against an upper-case word. */
function isWord(bytes: Uint8Array, word: string): boolean {
  const c = cString(bytes);
  if (c.length !== word.length) return false;
  for (let i = 0; i < c.length; i++) {
    const b = c[i]!;
    if ((b >= 0x61 && b <= 0x7a ? b - 32 : b) !== word.charCodeAt(i)) return false;
  }
  return true;
}

/** extractUnitOrReply: meters per unit, or undefined. */
export function unitOf(bytes: Uint8Array): number | undefined {
  if (isWord(bytes, "M")) return 1;
  if (isWord(bytes, "KM")) return 1000;
  if (isWord(bytes, "FT")) return 0.3048;
  if (isWord(bytes, "MI")) return 1609.34;
  return undefined;
}

/** extractLongLatOrReply: both numbers first, then the range. */
function readCoordinates(longitude: Uint8Array, latitude: Uint8Array): GeoCoordinates | ErrorReply {
  const lon = parseGeoDouble(longitude);
  if (lon === undefined) return NOT_FLOAT;
  const lat = parseGeoDouble(latitude);
  if (lat === undefined) return NOT_FLOAT;
  if (!isValidCoordinates(lon, lat)) return invalidLongitudeLatitude(lon, lat);
  return { longitude: lon, latitude: lat };
}

// GEOADD key [NX|XX] [CH] longitude latitude member [...]

export interface GeoAddArguments {
  readonly key: Uint8Array;
  readonly nx: boolean;
  readonly xx: boolean;
  /** Reply with added plus updated members, as ZADD CH. */
  readonly ch: boolean;
  /** What ZADD receives: each member with its geohash score, in argument order. */
  readonly points: ReadonlyArray<{ readonly score: number; readonly member: Uint8Array }>;
}

/** GEOADD: every error here comes before the key's type is checked, as in Redis. */
export function parseGeoAdd(argv: readonly Uint8Array[]): GeoAddArguments | ErrorReply {
  let nx = false;
  let xx = false;
  let ch = false;
  let at = 2;
  for (; at < argv.length; at++) {
    const option = argv[at]!;
    if (isWord(option, "NX")) nx = true;
    else if (isWord(option, "XX")) xx = true;
    else if (isWord(option, "CH")) ch = true;
    else break;
  }
  const left = argv.length - at;
  // No point at all passes here and fails in ZADD, with the same text.
  if (left % 3 !== 0 || (nx && xx) || left === 0) return SYNTAX;
  const points: Array<{ score: number; member: Uint8Array }> = [];
  for (; at < argv.length; at += 3) {
    const point = readCoordinates(argv[at]!, argv[at + 1]!);
    if (point instanceof ErrorReply) return point;
    points.push({ score: geohashScore(point.longitude, point.latitude)!, member: argv[at + 2]! });
  }
  return { key: argv[1]!, nx, xx, ch, points };
}

// GEOPOS key [member ...], GEOHASH key [member ...]

export function parseGeoMembers(argv: readonly Uint8Array[]): { readonly key: Uint8Array; readonly members: Uint8Array[] } {
  return { key: argv[1]!, members: argv.slice(2) };
}

// GEODIST key member1 member2 [M|KM|FT|MI]

export interface GeoDistArguments {
  readonly key: Uint8Array;
  readonly from: Uint8Array;
  readonly to: Uint8Array;
  /** Meters per unit. */
  readonly unit: number;
}

/** GEODIST: the unit and the argument count are checked before the key. */
export function parseGeoDist(argv: readonly Uint8Array[]): GeoDistArguments | ErrorReply {
  if (argv.length > 5) return SYNTAX;
  let unit = 1;
  if (argv.length === 5) {
    const found = unitOf(argv[4]!);
    if (found === undefined) return UNSUPPORTED_UNIT;
    unit = found;
  }
  return { key: argv[1]!, from: argv[2]!, to: argv[3]!, unit };
}

// The searches.

export type GeoQueryCommand = "geosearch" | "geosearchstore" | "georadius" | "georadius_ro" | "georadiusbymember" | "georadiusbymember_ro";

/** How a search command takes its arguments (the flags Redis's georadiusGeneric is called with). */
export interface GeoQueryForm {
  /**
   * Where the centre and the shape come from: GEORADIUS's `longitude latitude
   * radius unit`, GEORADIUSBYMEMBER's `member radius unit`, or GEOSEARCH's
   * FROMMEMBER/FROMLONLAT and BYRADIUS/BYBOX options.
   */
  readonly centre: "coordinates" | "member" | "options";
  /** Where results may be stored: STORE/STOREDIST options, the first key (GEOSEARCHSTORE), or nowhere. */
  readonly store: "options" | "destination" | "none";
}

export const GEO_QUERY_FORMS: Readonly<Record<GeoQueryCommand, GeoQueryForm>> = {
  georadius: { centre: "coordinates", store: "options" },
  georadius_ro: { centre: "coordinates", store: "none" },
  georadiusbymember: { centre: "member", store: "options" },
  georadiusbymember_ro: { centre: "member", store: "none" },
  geosearch: { centre: "options", store: "none" },
  geosearchstore: { centre: "options", store: "destination" },
};

/**
 * A check to run in order once the source is known: look a member up for
 * the centre (an error when it is missing), or fail. A step marked
 * `onlyWithSource` is skipped when the source key is missing.
 */
export type GeoQueryStep =
  | { readonly member: Uint8Array }
  | { readonly error: ErrorReply; readonly onlyWithSource: boolean };

/** The keyspace event of a search that stores, by where the command takes its destination from. */
const STORE_EVENTS = { options: "georadiusstore", destination: "geosearchstore" } as const;

export interface GeoStore {
  readonly key: Uint8Array;
  /** Its keyspace event: GEORADIUS's STORE option or GEOSEARCHSTORE (by the command's declared form). */
  readonly event: string;
  /** STOREDIST: scores are distances in the query's unit; else geohash scores. */
  readonly distances: boolean;
}

export interface GeoQueryArguments extends GeoWithOptions {
  /** The sorted set searched. */
  readonly key: Uint8Array;
  readonly store: GeoStore | undefined;
  readonly steps: readonly GeoQueryStep[];
  /** FROMLONLAT or GEORADIUS's point; undefined when the centre is a member (see `steps`). */
  readonly point: GeoCoordinates | undefined;
  readonly shape: GeoShapeArguments | undefined;
  readonly sort: GeoSort;
  /** 0: no COUNT. */
  readonly count: number;
  readonly any: boolean;
}

export type GeoShapeArguments =
  | { readonly kind: "radius"; readonly unit: number; readonly radius: number }
  | { readonly kind: "box"; readonly unit: number; readonly width: number; readonly height: number };

/** The search to run, once the centre is known. */
export interface GeoQueryPlan extends GeoWithOptions {
  readonly search: GeoSearch;
  readonly store: GeoStore | undefined;
}

/** The source key is missing: an empty array, or with a store, delete the destination and reply 0. */
export interface GeoQueryOnMissingKey {
  readonly missingKey: true;
  readonly store: GeoStore | undefined;
}

/**
 * georadiusGeneric's argument handling, up to the search. Never an error
 * by itself: the errors are steps, since the key's type comes first.
 */
export function parseGeoQuery(argv: readonly Uint8Array[], command: GeoQueryCommand): GeoQueryArguments {
  const form = GEO_QUERY_FORMS[command];
  const searchOptions = form.centre === "options";
  const steps: GeoQueryStep[] = [];
  const fail = (error: ErrorReply) => void steps.push({ error, onlyWithSource: false });
  let key: Uint8Array;
  let store: GeoStore | undefined;
  let point: GeoCoordinates | undefined;
  let shape: GeoShapeArguments | undefined;
  let at: number;
  let withDist = false;
  let withHash = false;
  let withCoord = false;
  let sort: GeoSort = "none";
  let count = 0;
  let any = false;

  const parsed = (): GeoQueryArguments => ({
    key, store, steps, point, shape, sort, count, any, withDist, withHash, withCoord,
  });
  // Redis answers the first bad argument and reads no further.
  const stop = (error: ErrorReply): GeoQueryArguments => {
    fail(error);
    return parsed();
  };

  if (form.centre === "coordinates") {
    key = argv[1]!;
    at = 6;
    const centre = readCoordinates(argv[2]!, argv[3]!);
    if (centre instanceof ErrorReply) return stop(centre);
    point = centre;
    const radius = readRadius(argv[4]!, argv[5]!);
    if (radius instanceof ErrorReply) return stop(radius);
    shape = radius;
  } else if (form.centre === "member") {
    key = argv[1]!;
    at = 5;
    steps.push({ member: argv[2]! });
    const radius = readRadius(argv[3]!, argv[4]!);
    if (radius instanceof ErrorReply) steps.push({ error: radius, onlyWithSource: true });
    else shape = radius;
  } else {
    at = form.store === "destination" ? 3 : 2;
    key = argv[at - 1]!;
    if (form.store === "destination") store = { key: argv[1]!, distances: false, event: STORE_EVENTS.destination };
  }

  let fromMember = false;
  let fromPoint = false;
  let byRadius = false;
  let byBox = false;
  const remaining = argv.length - at;
  for (let i = 0; i < remaining; i++) {
    const arg = argv[at + i]!;
    const next = (k: number) => argv[at + i + k]!;
    if (isWord(arg, "WITHDIST")) withDist = true;
    else if (isWord(arg, "WITHHASH")) withHash = true;
    else if (isWord(arg, "WITHCOORD")) withCoord = true;
    else if (isWord(arg, "ANY")) any = true;
    else if (isWord(arg, "ASC")) sort = "asc";
    else if (isWord(arg, "DESC")) sort = "desc";
    else if (isWord(arg, "COUNT") && i + 1 < remaining) {
      const n = parseInt64(next(1));
      if (n === undefined) return stop(NOT_INTEGER);
      if (n <= 0n) return stop(COUNT_NOT_POSITIVE);
      count = n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
      i++;
    } else if ((isWord(arg, "STORE") || isWord(arg, "STOREDIST")) && i + 1 < remaining && form.store === "options") {
      store = { key: next(1), distances: isWord(arg, "STOREDIST"), event: STORE_EVENTS.options };
      i++;
    } else if (isWord(arg, "STOREDIST") && form.store === "destination") {
      store = { ...store!, distances: true };
    } else if (isWord(arg, "FROMMEMBER") && i + 1 < remaining && searchOptions && !fromPoint) {
      steps.push({ member: next(1) });
      fromMember = true;
      i++;
    } else if (isWord(arg, "FROMLONLAT") && i + 2 < remaining && searchOptions && !fromMember) {
      const centre = readCoordinates(next(1), next(2));
      if (centre instanceof ErrorReply) return stop(centre);
      point = centre;
      fromPoint = true;
      i += 2;
    } else if (isWord(arg, "BYRADIUS") && i + 2 < remaining && searchOptions && !byBox) {
      const radius = readRadius(next(1), next(2));
      if (radius instanceof ErrorReply) return stop(radius);
      shape = radius;
      byRadius = true;
      i += 2;
    } else if (isWord(arg, "BYBOX") && i + 3 < remaining && searchOptions && !byRadius) {
      const box = readBox(next(1), next(2), next(3));
      if (box instanceof ErrorReply) return stop(box);
      shape = box;
      byBox = true;
      i += 3;
    } else {
      return stop(SYNTAX);
    }
  }

  if (store !== undefined && (withDist || withHash || withCoord)) {
    fail(form.store === "destination" ? GEOSEARCHSTORE_WITH : GEORADIUS_STORE_WITH);
  } else if (searchOptions && !(fromMember || fromPoint)) {
    fail(needsCentre(argv[0]!));
  } else if (searchOptions && !(byRadius || byBox)) {
    fail(needsShape(argv[0]!));
  } else if (any && count === 0) {
    fail(ANY_WITHOUT_COUNT);
  }
  return parsed();
}

/** extractDistanceOrReply: radius, then unit. */
function readRadius(radius: Uint8Array, unit: Uint8Array): GeoShapeArguments | ErrorReply {
  const r = parseGeoDouble(radius);
  if (r === undefined) return NEED_NUMERIC_RADIUS;
  if (r < 0) return RADIUS_NEGATIVE;
  const u = unitOf(unit);
  if (u === undefined) return UNSUPPORTED_UNIT;
  return { kind: "radius", unit: u, radius: r };
}

/** extractBoxOrReply: width, height, their signs, then unit. */
function readBox(width: Uint8Array, height: Uint8Array, unit: Uint8Array): GeoShapeArguments | ErrorReply {
  const w = parseGeoDouble(width);
  if (w === undefined) return NEED_NUMERIC_WIDTH;
  const h = parseGeoDouble(height);
  if (h === undefined) return NEED_NUMERIC_HEIGHT;
  if (h < 0 || w < 0) return BOX_NEGATIVE;
  const u = unitOf(unit);
  if (u === undefined) return UNSUPPORTED_UNIT;
  return { kind: "box", unit: u, width: w, height: h };
}

/**
 * Runs the recorded checks against the source sorted set (undefined when
 * the key is missing; the caller has answered WRONGTYPE already) and
 * returns the search to run, the first error, or what to do on a missing key.
 */
export function resolveGeoQuery(
  args: GeoQueryArguments,
  source: GeoScoreSource | undefined,
): MaybePromise<GeoQueryPlan | GeoQueryOnMissingKey | ErrorReply> {
  let centre: GeoCoordinates | undefined = args.point;
  const run = (index: number): MaybePromise<GeoQueryPlan | GeoQueryOnMissingKey | ErrorReply> => {
    for (let i = index; i < args.steps.length; i++) {
      const step = args.steps[i]!;
      if ("error" in step) {
        if (source !== undefined || !step.onlyWithSource) return step.error;
        continue;
      }
      if (source === undefined) continue;
      const found = positionOf(source, step.member);
      const next = (position: GeoCoordinates | undefined) => {
        if (position === undefined) return MEMBER_NOT_FOUND;
        centre = position;
        return run(i + 1);
      };
      return then(found, next);
    }
    if (source === undefined) return { missingKey: true, store: args.store };
    return planOf(args, centre!);
  };
  return run(0);
}

function planOf(args: GeoQueryArguments, centre: GeoCoordinates): GeoQueryPlan {
  const s = args.shape!;
  const shape: GeoShape = s.kind === "radius"
    ? { kind: "radius", centre, unit: s.unit, radius: s.radius }
    : { kind: "box", centre, unit: s.unit, width: s.width, height: s.height };
  return {
    search: { shape, sort: args.sort, count: args.count, any: args.any },
    store: args.store,
    withDist: args.withDist,
    withHash: args.withHash,
    withCoord: args.withCoord,
  };
}
