// Geo searches (GEOSEARCH, GEOSEARCHSTORE, GEORADIUS, GEORADIUSBYMEMBER)
// over a sorted set of geohash scores, as Redis's geo.c runs them: the
// shape's centre cell and its neighbours become up to nine score ranges;
// each member in them is decoded and kept when it lies inside the shape;
// the matches are sorted by distance, then cut to COUNT.
//
// The sorted set is reached through `GeoScoreSource`, so this module knows
// nothing of how sorted sets are stored: the command layer passes a source
// over the sorted-set model.
import { type MaybePromise, then } from "../engine/maybe_promise.ts";
import {
  decodeScore,
  distanceIfWithin,
  type GeoCoordinates,
  type GeoHashBits,
  geohashAlign52Bits,
  geohashGetAreasByShapeWGS84,
  type GeoShape,
  isNoCell,
} from "./geohash.ts";

export interface ScoredMember {
  readonly member: Uint8Array;
  readonly score: number;
}

/** What a geo search needs from the sorted set it reads. */
export interface GeoScoreSource {
  /**
   * Members whose score s satisfies `min <= s < max` (max excluded, as Redis's
   * geo ranges are), in sorted-set order: by score, then by member bytes.
   * With `offset`/`count`, only that window of them (ZRANGEBYSCORE's LIMIT).
   */
  membersInScoreRange(range: ScoreRangeQuery): MaybePromise<readonly ScoredMember[]>;
  /** The member's score, or undefined when it is not in the set. */
  scoreOf(member: Uint8Array): MaybePromise<number | undefined>;
}

export interface ScoreRangeQuery {
  readonly min: number;
  /** Excluded. */
  readonly max: number;
  readonly offset?: number;
  readonly count?: number;
}

/** One score range to scan: [min, max). */
export interface ScoreRange {
  readonly min: number;
  readonly max: number;
}

export type GeoSort = "none" | "asc" | "desc";

export interface GeoSearch {
  readonly shape: GeoShape;
  readonly sort: GeoSort;
  /** At most this many results; 0 for all. */
  readonly count: number;
  /** With COUNT: stop at the first `count` matches found, nearest or not. */
  readonly any: boolean;
}

/** A member inside the searched shape. */
export interface GeoMatch {
  readonly member: Uint8Array;
  readonly score: number;
  /** The decoded position (the centre of the member's cell). */
  readonly longitude: number;
  readonly latitude: number;
  /** From the shape's centre, in meters. */
  readonly distanceMeters: number;
}

/**
 * The score ranges a search scans, in Redis's order: the centre cell, then
 * north, south, east, west, north-east, north-west, south-east, south-west.
 * Excluded neighbours are left out, and so is a cell equal to the last one
 * scanned (huge radii make neighbours coincide). Redis compares with the
 * last scanned cell only, and never with the centre cell: kept here.
 */
export function scoreRangesOf(shape: GeoShape): ScoreRange[] {
  const { hash, neighbors: n } = geohashGetAreasByShapeWGS84(shape);
  const cells = [hash, n.north, n.south, n.east, n.west, n.northEast, n.northWest, n.southEast, n.southWest];
  const ranges: ScoreRange[] = [];
  let lastScanned = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    if (isNoCell(cell)) continue;
    const last = cells[lastScanned]!;
    if (lastScanned !== 0 && cell.bits === last.bits && cell.step === last.step) continue;
    ranges.push(scoresOfCell(cell));
    lastScanned = i;
  }
  return ranges;
}

/** scoresOfGeoHashBox: every 52-bit score under the cell's prefix, [min, max). */
export function scoresOfCell(cell: GeoHashBits): ScoreRange {
  return {
    min: Number(geohashAlign52Bits(cell)),
    max: Number(geohashAlign52Bits({ bits: cell.bits + 1n, step: cell.step })),
  };
}

/** How many members an ANY search asks a range for at a time. */
const ANY_PAGE = 64;

/**
 * The members inside the shape, sorted and cut as the search asks. Without
 * a sort (and without COUNT) they come in scan order, as in Redis.
 */
export function searchGeo(source: GeoScoreSource, search: GeoSearch): MaybePromise<GeoMatch[]> {
  const limit = search.any ? search.count : 0;
  const ranges = scoreRangesOf(search.shape);
  const found: GeoMatch[] = [];
  const scanFrom = (index: number): MaybePromise<GeoMatch[]> => {
    for (let i = index; i < ranges.length; i++) {
      if (found.length > 0 && limit > 0 && found.length >= limit) break;
      const scanned = scanRange(source, { range: ranges[i]!, shape: search.shape, limit, found });
      if (scanned instanceof Promise) return scanned.then(() => scanFrom(i + 1));
    }
    return orderAndCut(found, search);
  };
  return scanFrom(0);
}

/** geoGetPointsInRange: appends the range's members inside the shape to `found`, stopping at `limit` (0: none). */
function scanRange(
  source: GeoScoreSource,
  scan: { readonly range: ScoreRange; readonly shape: GeoShape; readonly limit: number; readonly found: GeoMatch[] },
): MaybePromise<void> {
  const { range, shape, limit, found } = scan;
  const take = (members: readonly ScoredMember[]): boolean => {
    for (const { member, score } of members) {
      const point = decodeScore(score);
      const distanceMeters = distanceIfWithin(shape, point);
      if (distanceMeters !== undefined) found.push({ member, score, ...point, distanceMeters });
      if (found.length > 0 && limit > 0 && found.length >= limit) return true;
    }
    return false;
  };
  if (limit === 0) return then(source.membersInScoreRange({ min: range.min, max: range.max }), (members) => void take(members));
  const page = (offset: number): MaybePromise<void> =>
    then(source.membersInScoreRange({ min: range.min, max: range.max, offset, count: ANY_PAGE }), (members) => {
      if (take(members) || members.length < ANY_PAGE) return;
      return page(offset + ANY_PAGE);
    });
  return page(0);
}

function orderAndCut(found: GeoMatch[], search: GeoSearch): GeoMatch[] {
  // COUNT without ASC/DESC means the nearest ones, except with ANY.
  const sort = search.count !== 0 && search.sort === "none" && !search.any ? "asc" : search.sort;
  const returned = search.count === 0 || found.length < search.count ? found.length : search.count;
  if (sort !== "none") {
    const compare = sort === "asc" ? ascending : descending;
    // glibc's qsort is a stable merge sort at these sizes, as is Array#sort;
    // a partial sort goes through Redis's own pqsort, which is not stable.
    if (returned === found.length) found.sort(compare);
    else partialQuickSort(found, compare, { from: 0, to: returned - 1 });
  }
  found.length = returned;
  return found;
}

function ascending(a: GeoMatch, b: GeoMatch): number {
  return a.distanceMeters > b.distanceMeters ? 1 : a.distanceMeters === b.distanceMeters ? 0 : -1;
}

function descending(a: GeoMatch, b: GeoMatch): number {
  return -ascending(a, b);
}

/**
 * Redis's pqsort.c (Bentley and McIlroy's quicksort, recursing only into the
 * parts that overlap positions from..to), so that members at equal distance
 * come out in Redis's order when COUNT cuts the result.
 */
export function partialQuickSort<T>(items: T[], compare: (a: T, b: T) => number, range: { from: number; to: number }): void {
  pqsort(items, compare, { start: 0, n: items.length, lrange: range.from, rrange: range.to });
}

function pqsort<T>(a: T[], cmp: (x: T, y: T) => number, span: { start: number; n: number; lrange: number; rrange: number }): void {
  let { start, n } = span;
  const { lrange, rrange } = span;
  const swap = (i: number, j: number) => {
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  };
  const vecswap = (i: number, j: number, count: number) => {
    for (let k = 0; k < count; k++) swap(i + k, j + k);
  };
  const c = (i: number, j: number) => cmp(a[i]!, a[j]!);
  const med3 = (x: number, y: number, z: number) =>
    c(x, y) < 0 ? (c(y, z) < 0 ? y : c(x, z) < 0 ? z : x) : c(y, z) > 0 ? y : c(x, z) < 0 ? x : z;
  // Whether the part [from, from + count) holds none of the wanted positions.
  const outside = (from: number, count: number) => {
    const last = from + count - 1;
    return (lrange < from && rrange < from) || (lrange > last && rrange > last);
  };

  for (;;) {
    if (n < 7) {
      for (let pm = start + 1; pm < start + n; pm++) {
        for (let pl = pm; pl > start && c(pl - 1, pl) > 0; pl--) swap(pl, pl - 1);
      }
      return;
    }
    let pm = start + Math.floor(n / 2);
    if (n > 7) {
      let pl = start;
      let pn = start + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        pl = med3(pl, pl + d, pl + 2 * d);
        pm = med3(pm - d, pm, pm + d);
        pn = med3(pn - 2 * d, pn - d, pn);
      }
      pm = med3(pl, pm, pn);
    }
    swap(start, pm);
    let pa = start + 1;
    let pb = pa;
    let pc = start + n - 1;
    let pd = pc;
    for (;;) {
      let r: number;
      while (pb <= pc && (r = c(pb, start)) <= 0) {
        if (r === 0) {
          swap(pa, pb);
          pa++;
        }
        pb++;
      }
      while (pb <= pc && (r = c(pc, start)) >= 0) {
        if (r === 0) {
          swap(pc, pd);
          pd--;
        }
        pc--;
      }
      if (pb > pc) break;
      swap(pb, pc);
      pb++;
      pc--;
    }
    const pn = start + n;
    let r = Math.min(pa - start, pb - pa);
    vecswap(start, pb - r, r);
    r = Math.min(pd - pc, pn - pd - 1);
    vecswap(pb, pn - r, r);
    if ((r = pb - pa) > 1 && !outside(start, r)) pqsort(a, cmp, { start, n: r, lrange, rrange });
    if ((r = pd - pc) > 1) {
      start = pn - r;
      n = r;
      if (!outside(start, n)) continue;
    }
    return;
  }
}

/** The member's decoded position, or undefined when it is not in the set. */
export function positionOf(source: GeoScoreSource, member: Uint8Array): MaybePromise<GeoCoordinates | undefined> {
  return then(source.scoreOf(member), (score) => (score === undefined ? undefined : decodeScore(score)));
}

/** GEOSEARCHSTORE/STORE: the destination's members and scores (geohash scores, or distances in the unit with STOREDIST). */
export function storedEntries(matches: readonly GeoMatch[], store: { readonly distances: boolean; readonly unit: number }): ScoredMember[] {
  return matches.map((m) => ({ member: m.member, score: store.distances ? m.distanceMeters / store.unit : m.score }));
}
