// Geohashes as Redis computes them (geohash.c, geohash_helper.c in 7.0), so
// that geo scores, positions, distances and search areas match Redis bit for
// bit. A point becomes a 52-bit integer: its longitude and latitude are each
// scaled to 26 bits over their range, then interleaved (longitude in the odd
// bits, latitude in the even ones). That integer is the sorted-set score.
//
// Cells at a coarser step are prefixes of that integer, which is what makes a
// geo search a handful of score-range scans (see geo_search.ts).
//
// Arithmetic follows the C code operation for operation: the same doubles,
// in the same order, so that rounding matches. Bit work on whole hashes uses
// bigints (a hash may pass 53 bits at the edges); decoding a score, done for
// every search candidate, uses two 32-bit halves instead.

/** 26 steps of latitude and of longitude: 52 bits. */
export const GEO_STEP_MAX = 26;
/** Web Mercator's latitude limits: Redis cannot index the poles. */
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;
/** Redis's Earth radius (quadratic mean, WGS-84), in meters. */
export const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;
const D_R = Math.PI / 180.0;

export interface GeoRange {
  readonly min: number;
  readonly max: number;
}

/** A cell: `step` bits of longitude and of latitude, interleaved in the low 2·step bits of `bits`. */
export interface GeoHashBits {
  readonly bits: bigint;
  readonly step: number;
}

export interface GeoHashArea {
  readonly hash: GeoHashBits;
  readonly longitude: GeoRange;
  readonly latitude: GeoRange;
}

export interface GeoHashNeighbors {
  readonly north: GeoHashBits;
  readonly east: GeoHashBits;
  readonly west: GeoHashBits;
  readonly south: GeoHashBits;
  readonly northEast: GeoHashBits;
  readonly southEast: GeoHashBits;
  readonly northWest: GeoHashBits;
  readonly southWest: GeoHashBits;
}

/** A point, longitude first as in every geo command. */
export interface GeoCoordinates {
  readonly longitude: number;
  readonly latitude: number;
}

/** Redis's own ranges: the latitude stops at Web Mercator's limits. */
export const WGS84_LONGITUDE: GeoRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
export const WGS84_LATITUDE: GeoRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };
/** The standard geohash ranges, which GEOHASH re-encodes with. */
const STANDARD_LATITUDE: GeoRange = { min: -90, max: 90 };

/** A "zero" cell, Redis's GZERO: a neighbour excluded from a search. */
export const NO_CELL: GeoHashBits = { bits: 0n, step: 0 };

export function isNoCell(hash: GeoHashBits): boolean {
  return hash.bits === 0n && hash.step === 0;
}

/** Whether GEOADD, FROMLONLAT and GEORADIUS accept the point. */
export function isValidCoordinates(longitude: number, latitude: number): boolean {
  return !(longitude < GEO_LONG_MIN || longitude > GEO_LONG_MAX || latitude < GEO_LAT_MIN || latitude > GEO_LAT_MAX);
}

/**
 * geohashEncode: the cell of `step` bits holding the point, or undefined
 * when the point is outside Redis's limits or the given ranges. A point on
 * the upper edge of a range scales to 2^step and spills one bit past 2·step
 * bits, as in Redis.
 */
export function geohashEncode(
  point: GeoCoordinates,
  options: { readonly step: number; readonly longitudeRange?: GeoRange; readonly latitudeRange?: GeoRange },
): GeoHashBits | undefined {
  const { longitude, latitude } = point;
  const { step } = options;
  const longRange = options.longitudeRange ?? WGS84_LONGITUDE;
  const latRange = options.latitudeRange ?? WGS84_LATITUDE;
  if (step > 32 || step === 0) return undefined;
  if (!isValidCoordinates(longitude, latitude)) return undefined;
  if (latitude < latRange.min || latitude > latRange.max || longitude < longRange.min || longitude > longRange.max) return undefined;
  let latOffset = (latitude - latRange.min) / (latRange.max - latRange.min);
  let longOffset = (longitude - longRange.min) / (longRange.max - longRange.min);
  latOffset *= 2 ** step;
  longOffset *= 2 ** step;
  // C converts the doubles to uint32_t: truncation.
  return { bits: interleave(Math.trunc(latOffset), Math.trunc(longOffset)), step };
}

/** geohashEncodeWGS84 at 26 steps, aligned to 52 bits: the score GEOADD stores (undefined off the limits). */
export function geohashScore(longitude: number, latitude: number): number | undefined {
  const hash = geohashEncode({ longitude, latitude }, { step: GEO_STEP_MAX });
  // ZADD receives the integer as text and parses it as a double: Number() rounds the same way.
  return hash === undefined ? undefined : Number(geohashAlign52Bits(hash));
}

/** The hash shifted to fill 52 bits: a cell's lowest score. */
export function geohashAlign52Bits(hash: GeoHashBits): bigint {
  return hash.bits << BigInt(52 - hash.step * 2);
}

/** geohashDecode: the cell's longitude and latitude ranges. */
export function geohashDecode(hash: GeoHashBits, ranges?: { readonly longitude: GeoRange; readonly latitude: GeoRange }): GeoHashArea {
  const longRange = ranges?.longitude ?? WGS84_LONGITUDE;
  const latRange = ranges?.latitude ?? WGS84_LATITUDE;
  const lo = Number(hash.bits & 0xffffffffn);
  const hi = Number((hash.bits >> 32n) & 0xffffffffn);
  const { lat, lon } = deinterleave(hi, lo);
  return { hash, ...cellRanges(lat, lon, hash.step, { longitude: longRange, latitude: latRange }) };
}

function cellRanges(ilato: number, ilono: number, step: number, ranges: { readonly longitude: GeoRange; readonly latitude: GeoRange }) {
  const latScale = ranges.latitude.max - ranges.latitude.min;
  const longScale = ranges.longitude.max - ranges.longitude.min;
  const cells = 2 ** step;
  return {
    latitude: {
      min: ranges.latitude.min + (ilato * 1.0 / cells) * latScale,
      max: ranges.latitude.min + ((ilato + 1) * 1.0 / cells) * latScale,
    },
    longitude: {
      min: ranges.longitude.min + (ilono * 1.0 / cells) * longScale,
      max: ranges.longitude.min + ((ilono + 1) * 1.0 / cells) * longScale,
    },
  };
}

/** geohashDecodeAreaToLongLat: the cell's centre, clamped to Redis's limits. */
export function areaCentre(area: Pick<GeoHashArea, "longitude" | "latitude">): GeoCoordinates {
  let longitude = (area.longitude.min + area.longitude.max) / 2;
  if (longitude > GEO_LONG_MAX) longitude = GEO_LONG_MAX;
  if (longitude < GEO_LONG_MIN) longitude = GEO_LONG_MIN;
  let latitude = (area.latitude.min + area.latitude.max) / 2;
  if (latitude > GEO_LAT_MAX) latitude = GEO_LAT_MAX;
  if (latitude < GEO_LAT_MIN) latitude = GEO_LAT_MIN;
  return { longitude, latitude };
}

/**
 * decodeGeohash in geo.c: the point a sorted-set score stands for (GEOPOS,
 * GEODIST, search candidates). Any score decodes, as in Redis: it is first
 * converted to a 64-bit unsigned integer the way x86-64 C does.
 */
export function decodeScore(score: number): GeoCoordinates {
  let hi: number;
  let lo: number;
  if (score >= 0 && score < 2 ** 53) {
    const bits = Math.trunc(score);
    hi = Math.floor(bits / 2 ** 32);
    lo = bits - hi * 2 ** 32;
  } else {
    const bits = doubleToUint64(score);
    hi = Number(bits >> 32n);
    lo = Number(bits & 0xffffffffn);
  }
  const { lat, lon } = deinterleave(hi, lo);
  return areaCentre(cellRanges(lat, lon, GEO_STEP_MAX, { longitude: WGS84_LONGITUDE, latitude: WGS84_LATITUDE }));
}

const TWO_63 = 2 ** 63;
const UINT64_MASK = (1n << 64n) - 1n;
const INT64_INDEFINITE = 1n << 63n;

/**
 * `(uint64_t)d` as gcc compiles it on x86-64: values from 2^63 up are
 * converted after subtracting 2^63; the rest go through the signed
 * conversion, whose out-of-range answer (infinities, NaN) is 2^63.
 */
function doubleToUint64(d: number): bigint {
  if (d >= TWO_63) {
    const rest = d - TWO_63;
    const converted = rest < TWO_63 ? BigInt(Math.trunc(rest)) : INT64_INDEFINITE;
    return (converted ^ INT64_INDEFINITE) & UINT64_MASK;
  }
  if (!(d > -TWO_63)) return INT64_INDEFINITE; // -inf, NaN, or below int64's range
  return BigInt(Math.trunc(d)) & UINT64_MASK;
}

/** GEOHASH's 11 characters for a stored score, or undefined if it cannot be re-encoded. */
export function geohashString(score: number): string | undefined {
  const point = decodeScore(score);
  const hash = geohashEncode(point, { step: GEO_STEP_MAX, longitudeRange: WGS84_LONGITUDE, latitudeRange: STANDARD_LATITUDE });
  if (hash === undefined) return undefined;
  let out = "";
  for (let i = 0; i < 11; i++) {
    // 52 bits make ten characters and two bits; Redis prints '0' for the eleventh.
    const index = i === 10 ? 0 : Number((hash.bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn);
    out += GEO_ALPHABET[index];
  }
  return out;
}

const GEO_ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";

/** geohashNeighbors: the eight cells around `hash` at its step (wrapping around the bit range). */
export function geohashNeighbors(hash: GeoHashBits): GeoHashNeighbors {
  return {
    east: move(hash, 1, 0),
    west: move(hash, -1, 0),
    south: move(hash, 0, -1),
    north: move(hash, 0, 1),
    northWest: move(hash, -1, 1),
    northEast: move(hash, 1, 1),
    southEast: move(hash, 1, -1),
    southWest: move(hash, -1, -1),
  };
}

const ODD_BITS = 0xaaaaaaaaaaaaaaaan;
const EVEN_BITS = 0x5555555555555555n;

function move(hash: GeoHashBits, dx: number, dy: number): GeoHashBits {
  let bits = hash.bits;
  const shift = BigInt(64 - hash.step * 2);
  if (dx !== 0) bits = moveAlong(bits, { direction: dx, moving: ODD_BITS, fill: EVEN_BITS >> shift, keep: ODD_BITS >> shift });
  if (dy !== 0) bits = moveAlong(bits, { direction: dy, moving: EVEN_BITS, fill: ODD_BITS >> shift, keep: EVEN_BITS >> shift });
  return { bits, step: hash.step };
}

/**
 * geohash_move_x / geohash_move_y: add or subtract one along the bits of one
 * coordinate, carrying through the other coordinate's bits (set to ones).
 */
function moveAlong(bits: bigint, how: { direction: number; moving: bigint; fill: bigint; keep: bigint }): bigint {
  let x = bits & how.moving;
  const y = bits & ~how.moving & UINT64_MASK;
  if (how.direction > 0) {
    x = (x + (how.fill + 1n)) & UINT64_MASK;
  } else {
    x = x | how.fill;
    x = (x - (how.fill + 1n)) & UINT64_MASK;
  }
  x &= how.keep;
  return x | y;
}

/** geohashEstimateStepsByRadius: the coarsest step whose cells still bound a search of this radius. */
export function geohashEstimateStepsByRadius(rangeMeters: number, latitude: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2; // Redis's margin: the range stays inside in most cases
  // Meridians converge towards the poles: wider cells there.
  if (latitude > 66 || latitude < -66) {
    step--;
    if (latitude > 80 || latitude < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** What a search covers: a circle, or an axis-aligned box, around a centre; sizes in `unit`s (meters per unit). */
export type GeoShape =
  | { readonly kind: "radius"; readonly centre: GeoCoordinates; readonly unit: number; readonly radius: number }
  | { readonly kind: "box"; readonly centre: GeoCoordinates; readonly unit: number; readonly width: number; readonly height: number };

export interface GeoBounds {
  readonly minLongitude: number;
  readonly minLatitude: number;
  readonly maxLongitude: number;
  readonly maxLatitude: number;
}

/**
 * geohashBoundingBox: longitude and latitude bounds of the shape. The
 * longitude spread is taken at the edge nearer the pole (the box is a
 * trapezoid on the map).
 */
export function geohashBoundingBox(shape: GeoShape): GeoBounds {
  const { longitude, latitude } = shape.centre;
  const height = shape.unit * (shape.kind === "radius" ? shape.radius : shape.height / 2);
  const width = shape.unit * (shape.kind === "radius" ? shape.radius : shape.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const longDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude + latDelta)));
  const longDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude - latDelta)));
  const southern = latitude < 0;
  return {
    minLongitude: southern ? longitude - longDeltaBottom : longitude - longDeltaTop,
    maxLongitude: southern ? longitude + longDeltaBottom : longitude + longDeltaTop,
    minLatitude: latitude - latDelta,
    maxLatitude: latitude + latDelta,
  };
}

/** The centre cell and the neighbours a search scans; excluded neighbours are NO_CELL. */
export interface GeoHashRadius {
  readonly hash: GeoHashBits;
  readonly area: GeoHashArea;
  readonly neighbors: GeoHashNeighbors;
  readonly bounds: GeoBounds;
}

/**
 * geohashCalculateAreasByShapeWGS84: the cell around the centre at a step
 * fitted to the shape's size, and its eight neighbours, less those the
 * bounding box cannot reach.
 */
export function geohashGetAreasByShapeWGS84(shape: GeoShape): GeoHashRadius {
  const bounds = geohashBoundingBox(shape);
  const { centre } = shape;
  // A box is bounded by the circle through its corners.
  let radiusMeters = shape.kind === "radius"
    ? shape.radius
    : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  radiusMeters *= shape.unit;

  let steps = geohashEstimateStepsByRadius(radiusMeters, centre.latitude);
  let hash = cellAt(centre, steps);
  let neighbors = geohashNeighbors(hash);
  let area = geohashDecode(hash);

  // Near a cell's edge the estimated step can be too fine for a neighbour to
  // reach the bounding box: one step coarser then.
  const north = geohashDecode(neighbors.north);
  const south = geohashDecode(neighbors.south);
  const east = geohashDecode(neighbors.east);
  const west = geohashDecode(neighbors.west);
  const decreaseStep = north.latitude.max < bounds.maxLatitude || south.latitude.min > bounds.minLatitude ||
    east.longitude.max < bounds.maxLongitude || west.longitude.min > bounds.minLongitude;
  if (steps > 1 && decreaseStep) {
    steps--;
    hash = cellAt(centre, steps);
    neighbors = geohashNeighbors(hash);
    area = geohashDecode(hash);
  }

  if (steps >= 2) {
    const n = { ...neighbors } as { -readonly [K in keyof GeoHashNeighbors]: GeoHashBits };
    if (area.latitude.min < bounds.minLatitude) n.south = n.southWest = n.southEast = NO_CELL;
    if (area.latitude.max > bounds.maxLatitude) n.north = n.northEast = n.northWest = NO_CELL;
    if (area.longitude.min < bounds.minLongitude) n.west = n.southWest = n.northWest = NO_CELL;
    if (area.longitude.max > bounds.maxLongitude) n.east = n.southEast = n.northEast = NO_CELL;
    neighbors = n;
  }
  return { hash, area, neighbors, bounds };
}

function cellAt(centre: GeoCoordinates, step: number): GeoHashBits {
  // The centre was validated by the caller; Redis ignores a failure here and keeps a zero hash.
  return geohashEncode(centre, { step }) ?? { bits: 0n, step };
}

function degRad(angle: number): number {
  return angle * D_R;
}

function radDeg(angle: number): number {
  return angle / D_R;
}

/** geohashGetLatDistance: the distance along a meridian, in meters. */
export function geohashGetLatDistance(lat1: number, lat2: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2) - degRad(lat1));
}

/** geohashGetDistance: the haversine distance in meters (along the meridian when the longitudes are equal). */
export function geohashGetDistance(from: GeoCoordinates, to: GeoCoordinates): number {
  const lon1r = degRad(from.longitude);
  const lon2r = degRad(to.longitude);
  const v = Math.sin((lon2r - lon1r) / 2);
  if (v === 0.0) return geohashGetLatDistance(from.latitude, to.latitude);
  const lat1r = degRad(from.latitude);
  const lat2r = degRad(to.latitude);
  const u = Math.sin((lat2r - lat1r) / 2);
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
}

/**
 * geoWithinShape's test: the distance from the shape's centre to `point`
 * when the point is inside the shape, else undefined. A box is tested along
 * the meridian, then along the point's parallel.
 */
export function distanceIfWithin(shape: GeoShape, point: GeoCoordinates): number | undefined {
  const centre = shape.centre;
  if (shape.kind === "radius") {
    const distance = geohashGetDistance(centre, point);
    return distance > shape.radius * shape.unit ? undefined : distance;
  }
  const widthMeters = shape.width * shape.unit;
  const heightMeters = shape.height * shape.unit;
  if (geohashGetLatDistance(point.latitude, centre.latitude) > heightMeters / 2) return undefined;
  const alongParallel = geohashGetDistance(point, { longitude: centre.longitude, latitude: point.latitude });
  if (alongParallel > widthMeters / 2) return undefined;
  return geohashGetDistance(centre, point);
}

/** interleave64: latitude bits in the even positions, longitude bits in the odd ones. */
function interleave(lat: number, lon: number): bigint {
  // Each offset has at most 27 bits (2^26 at the upper edge): spread 16 low bits and 16 high bits apart.
  const lo = (spread16(lat & 0xffff) | (spread16(lon & 0xffff) << 1)) >>> 0;
  const hi = (spread16(lat >>> 16) | (spread16(lon >>> 16) << 1)) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** The 16 bits of `x` moved to the even positions of a 32-bit word. */
function spread16(x: number): number {
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x >>> 0;
}

/** The even bits of a 32-bit word, packed into 16 bits. */
function squeeze16(x: number): number {
  x &= 0x55555555;
  x = (x | (x >>> 1)) & 0x33333333;
  x = (x | (x >>> 2)) & 0x0f0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  x = (x | (x >>> 8)) & 0x0000ffff;
  return x;
}

/** deinterleave64 over two 32-bit halves: the 32-bit latitude and longitude offsets. */
function deinterleave(hi: number, lo: number): { lat: number; lon: number } {
  const lat = (squeeze16(lo) | (squeeze16(hi) << 16)) >>> 0;
  const lon = (squeeze16(lo >>> 1) | (squeeze16(hi >>> 1) << 16)) >>> 0;
  return { lat, lon };
}
