// Differential cases of the geo commands (src/commands/families/geo.ts), by
// command; run by geo_test.ts against redis-server or its recorded replies.
// Scores (ZRANGE WITHSCORES after GEOADD and the stores), positions, hashes
// and distances compare byte for byte. The searches run over a few hundred
// points drawn from a fixed seed (a cluster around Sicily, points over the
// whole map, repeated positions for ties), with every option.
import { sleep, ttl, type Arg, type CasesByCommand, type Step } from "../differential/case_types.ts";

/** A fixed pseudo-random sequence in [0, 1). */
function random(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

/** GEOADD steps of `batch` points each, `count` points `p<n>` in all: a dense cluster around (13.5, 38), then points anywhere Redis accepts. */
export function pointSteps(key: string, count: number, seed: number, batch = 50): Arg[][] {
  const next = random(seed);
  const points: string[] = [];
  for (let i = 0; i < count; i++) {
    let lon: number;
    let lat: number;
    if (i % 3 !== 2) {
      lon = 11 + next() * 5;
      lat = 36.5 + next() * 3;
    } else {
      lon = -180 + next() * 360;
      lat = -85 + next() * 170;
    }
    // Every tenth point repeats an earlier position: equal distances, ordered as Redis orders them.
    if (i % 10 === 9) points.push(points[(i - 9) * 3]!, points[(i - 9) * 3 + 1]!, `p${i}`);
    else points.push(lon.toFixed(i % 4 === 0 ? 6 : 4), lat.toFixed(i % 5 === 0 ? 7 : 5), `p${i}`);
  }
  const steps: Arg[][] = [];
  for (let from = 0; from < points.length; from += 3 * batch) steps.push(["GEOADD", key, ...points.slice(from, from + 3 * batch)]);
  return steps;
}

const POINTS = pointSteps("pts", 300, 7);
const SICILY: Arg[] = ["GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania", "12.758489", "38.788135", "edge1", "17.241510", "38.788135", "edge2"];

/** One search's variants: every combination of sorting, counting and extras that tells them apart. */
function searchVariants(prefix: Arg[]): Arg[][] {
  return [
    [...prefix],
    [...prefix, "ASC"],
    [...prefix, "DESC", "WITHDIST"],
    [...prefix, "COUNT", "7"],
    [...prefix, "COUNT", "7", "DESC", "WITHDIST", "WITHHASH"],
    [...prefix, "COUNT", "5", "ANY"],
    [...prefix, "COUNT", "5", "ANY", "ASC", "WITHCOORD"],
    [...prefix, "WITHCOORD", "WITHDIST", "WITHHASH", "ASC", "COUNT", "12"],
    [...prefix, "count", "1000", "asc", "withdist"],
  ];
}

const LARGE = ["GEOSEARCH", "pts"];

export const CASES: CasesByCommand = {
  GEOADD: [
    {
      name: "GEOADD stores 52-bit geohash scores; ZSCORE and ZRANGE WITHSCORES read them",
      steps: [
        SICILY, ["ZRANGE", "Sicily", "0", "-1", "WITHSCORES"], ["ZSCORE", "Sicily", "Palermo"], ["TYPE", "Sicily"], ["ZCARD", "Sicily"],
        ["GEOADD", "edges", "-180", "-85.05112878", "sw", "180", "85.05112878", "ne", "0", "0", "origin", "-0", "-0", "negzero", "179.9999999", "-85.05112877", "se", "-179.99999", "85.05", "nw"],
        ["ZRANGE", "edges", "0", "-1", "WITHSCORES"],
        ["GEOADD", "fmt", "1e1", "2.5E1", "e", "0x10", "0x1p3", "hex", "+5", "-.5", "signs", "inf", "1", "inf"],
        ["GEOADD", "fmt", "1e1", "2.5E1", "e", "0x10", "0x1p3", "hex", "+5", "-.5", "signs"], ["ZRANGE", "fmt", "0", "-1", "WITHSCORES"],
        ["GEOADD", "Sicily", "13.361389", "38.115556", "Palermo"], ["GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "13.361389", "38.115556", "Palermo2"],
        ["GEOADD", "dup", "1", "1", "m", "2", "2", "m"], ["ZRANGE", "dup", "0", "-1", "WITHSCORES"],
      ],
    },
    {
      name: "GEOADD NX, XX and CH choose which changes apply and what is counted",
      steps: [
        ["GEOADD", "g", "1", "1", "a", "2", "2", "b"], ["GEOADD", "g", "NX", "5", "5", "a", "3", "3", "c"], ["GEOADD", "g", "XX", "6", "6", "a", "4", "4", "d"],
        ["GEOADD", "g", "XX", "CH", "7", "7", "a", "4", "4", "d"], ["GEOADD", "g", "CH", "7", "7", "a", "8", "8", "b", "9", "9", "e"], ["GEOADD", "g", "ch", "nx", "10", "10", "a", "11", "11", "f"],
        ["GEOADD", "g", "xx", "ch", "xx", "12", "12", "f"], ["GEOADD", "g", "NX", "XX", "1", "1", "a"], ["GEOADD", "g", "XX", "NX", "CH", "1", "1", "a"], ["ZRANGE", "g", "0", "-1", "WITHSCORES"],
        ["GEOADD", "nokey", "XX", "1", "1", "a"], ["EXISTS", "nokey"], ["GEOADD", "nokey", "XX", "CH", "1", "1", "a"], ["GEOADD", "g", "CH", "CH", "1", "1", "z"],
        ["GEOADD", "g", "GT", "1", "1", "a"], ["GEOADD", "g", "INCR", "1", "1", "a"],
      ],
    },
    {
      name: "GEOADD refuses invalid coordinates, bad numbers and incomplete triples before writing",
      steps: [
        ["GEOADD", "g", "181", "1", "a"], ["GEOADD", "g", "-180.0000001", "1", "a"], ["GEOADD", "g", "1", "85.05112879", "a"], ["GEOADD", "g", "1", "-85.0511288", "a"],
        ["GEOADD", "g", "1", "90", "a"], ["GEOADD", "g", "1e10", "1e-10", "a"], ["GEOADD", "g", "1", "1", "ok", "200", "1", "a"], ["EXISTS", "g"],
        ["GEOADD", "g", "x", "1", "a"], ["GEOADD", "g", "1", "y", "a"], ["GEOADD", "g", "x", "200", "a"], ["GEOADD", "g", "200", "y", "a"], ["GEOADD", "g", "", "1", "a"],
        ["GEOADD", "g", " 1", "1", "a"], ["GEOADD", "g", "1 ", "1", "a"], ["GEOADD", "g", "nan", "1", "a"], ["GEOADD", "g", "1", "-inf", "a"], ["GEOADD", "g", "1e400", "1", "a"],
        ["GEOADD", "g", "1e-400", "1", "a"], ["GEOADD", "g", "1", "1", "a", "2"], ["GEOADD", "g", "1", "1", "a", "2", "2"], ["GEOADD", "g", "NX", "1", "1"], ["GEOADD", "g", "CH", "NX", "XX"],
        ["GEOADD", "g", "XX", "1", "x", "a", "1", "1", "a"], ["EXISTS", "g"], ["GEOADD", "g", "1", "1", "a", "200", "1", "b"], ["EXISTS", "g"],
      ],
    },
  ],
  GEOPOS: [
    {
      name: "GEOPOS answers each member's cell centre, or a null array",
      steps: [
        SICILY, ["GEOPOS", "Sicily", "Palermo", "Catania", "nope", "Palermo"], ["GEOPOS", "Sicily"], ["GEOPOS", "nokey", "a", "b"], ["GEOPOS", "nokey"],
        ["GEOADD", "edges", "-180", "-85.05112878", "sw", "180", "85.05112878", "ne", "0", "0", "origin", "-0.00001", "-0.00001", "tiny", "0.000001", "0.000001", "tinier"],
        ["GEOPOS", "edges", "sw", "ne", "origin", "tiny", "tinier"], ["ZADD", "z", "0", "zero", "4503599627370495", "top", "1", "one"], ["GEOPOS", "z", "zero", "top", "one"],
      ],
    },
    {
      name: "GEOPOS in RESP3: the coordinates are doubles",
      resp3: true,
      steps: [SICILY, ["GEOPOS", "Sicily", "Palermo", "nope", "Catania"], ["GEOPOS", "nokey", "a"], ["GEOADD", "o", "0", "0", "origin"], ["GEOPOS", "o", "origin"]],
    },
  ],
  GEOHASH: [
    {
      name: "GEOHASH answers standard 11-character geohashes, or nil",
      steps: [
        SICILY, ["GEOHASH", "Sicily", "Palermo", "Catania", "nope", "edge1"], ["GEOHASH", "Sicily"], ["GEOHASH", "nokey", "a"],
        ["GEOADD", "edges", "-180", "-85.05112878", "sw", "180", "85.05112878", "ne", "0", "0", "origin"], ["GEOHASH", "edges", "sw", "ne", "origin"],
        ["ZADD", "z", "0", "zero", "4503599627370495", "top", "1.5", "frac"], ["GEOHASH", "z", "zero", "top", "frac"],
      ],
    },
  ],
  GEODIST: [
    {
      name: "GEODIST in every unit, nil for a missing member or key",
      steps: [
        SICILY, ["GEODIST", "Sicily", "Palermo", "Catania"], ["GEODIST", "Sicily", "Palermo", "Catania", "m"], ["GEODIST", "Sicily", "Palermo", "Catania", "km"],
        ["GEODIST", "Sicily", "Palermo", "Catania", "MI"], ["GEODIST", "Sicily", "Palermo", "Catania", "Ft"], ["GEODIST", "Sicily", "Catania", "Palermo", "KM"],
        ["GEODIST", "Sicily", "Palermo", "Palermo"], ["GEODIST", "Sicily", "Palermo", "nope"], ["GEODIST", "Sicily", "nope", "Palermo", "km"], ["GEODIST", "nokey", "a", "b"],
        ["GEODIST", "Sicily", "edge1", "edge2", "mi"], ["GEODIST", "Sicily", "Palermo", "Catania", "yd"], ["GEODIST", "nokey", "a", "b", "yd"], ["GEODIST", "Sicily", "Palermo", "Catania", "km", "x"],
        ["GEODIST", "Sicily", "Palermo", "Catania", ""], ["GEOADD", "far", "-179", "-80", "a", "179", "80", "b", "0", "0", "c", "180", "0", "d"], ["GEODIST", "far", "a", "b"], ["GEODIST", "far", "c", "d", "km"],
        ...POINTS, ...["p0", "p1", "p2", "p5", "p9", "p17", "p100", "p299"].flatMap((m): Arg[][] => [["GEODIST", "pts", "p3", m], ["GEODIST", "pts", m, "p250", "ft"]]),
      ],
    },
  ],
  GEOSEARCH: [
    {
      name: "GEOSEARCH BYRADIUS and BYBOX from a point, over a few hundred points, with every option",
      steps: [
        ...POINTS,
        ...searchVariants([...LARGE, "FROMLONLAT", "13.5", "38", "BYRADIUS", "60", "km"]),
        ...searchVariants([...LARGE, "FROMLONLAT", "14", "37.5", "BYBOX", "150", "90", "km"]),
        ...searchVariants([...LARGE, "FROMLONLAT", "12.25", "36.75", "BYRADIUS", "40", "mi"]),
        ...searchVariants([...LARGE, "FROMLONLAT", "-170", "10", "BYBOX", "6000", "6000", "km"]),
        [...LARGE, "FROMLONLAT", "13", "38", "BYRADIUS", "200000", "ft", "COUNT", "3"], [...LARGE, "FROMLONLAT", "13", "38", "BYRADIUS", "0", "m"],
        [...LARGE, "FROMLONLAT", "0", "0", "BYRADIUS", "20000", "km", "COUNT", "4", "DESC"], [...LARGE, "FROMLONLAT", "0", "0", "BYBOX", "40000", "20000", "km", "COUNT", "4"],
        [...LARGE, "FROMLONLAT", "179.9", "84", "BYRADIUS", "3000", "km", "WITHDIST"], [...LARGE, "FROMLONLAT", "-179.9", "-84", "BYBOX", "3000", "3000", "km", "WITHDIST"],
      ],
    },
    {
      name: "GEOSEARCH from a member, with every option",
      steps: [
        ...POINTS,
        ...searchVariants([...LARGE, "FROMMEMBER", "p0", "BYRADIUS", "45000", "m"]),
        ...searchVariants([...LARGE, "FROMMEMBER", "p9", "BYBOX", "100", "100", "km"]),
        [...LARGE, "FROMMEMBER", "p2", "BYRADIUS", "1500", "km", "ASC", "WITHDIST"], [...LARGE, "FROMMEMBER", "p5", "BYBOX", "1", "1", "m", "WITHCOORD"],
        [...LARGE, "BYRADIUS", "10", "km", "FROMMEMBER", "p1", "ASC"], [...LARGE, "FROMMEMBER", "nope", "BYRADIUS", "10", "km"], ["GEOSEARCH", "nokey", "FROMMEMBER", "nope", "BYRADIUS", "10", "km"],
        ["GEOSEARCH", "nokey", "FROMLONLAT", "1", "1", "BYBOX", "1", "1", "km", "WITHDIST"],
      ],
    },
    {
      name: "GEOSEARCH checks its options in Redis's order",
      steps: [
        SICILY, ["GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "0"], ["GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "-1"],
        ["GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "x"], ["GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ANY"],
        ["GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT"], ["GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "yd"],
        ["GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "-1", "km"], ["GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "x", "km"],
        ["GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "x", "1", "km"], ["GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "1", "y", "km"],
        ["GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "-1", "1", "km"], ["GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "1", "-1", "yd"],
        ["GEOSEARCH", "Sicily", "FROMLONLAT", "200", "37", "BYRADIUS", "1", "km"], ["GEOSEARCH", "Sicily", "FROMLONLAT", "x", "37", "BYRADIUS", "1", "km"],
        ["GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km"], ["GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km"],
        ["GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km", "BYBOX", "1", "1", "km"], ["GEOSEARCH", "Sicily", "BYRADIUS", "1", "km", "ASC", "WITHDIST", "COUNT", "1"],
        ["GEOsearch", "Sicily", "FROMMEMBER", "Palermo", "ASC", "WITHDIST", "COUNT", "1"], ["GEOSEARCH", "Sicily", "FROMMEMBER", "nope", "BYRADIUS", "x", "km"],
        ["GEOSEARCH", "Sicily", "FROMMEMBER", "nope", "BYRADIUS", "1", "km", "ANY"], ["GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km", "STORE", "d"],
        ["GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km", "STOREDIST"], ["GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km", "NOPE"],
        ["GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "1"], ["GEOSEARCH", "Sicily", "FROMLONLAT", "15", "BYRADIUS", "1", "km"],
        ["GEOSEARCH", "nokey", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "0"], ["GEOSEARCH", "nokey", "FROMMEMBER", "x", "BYRADIUS", "1", "km", "ANY"],
        ["GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "KM", "count", "1", "any", "desc", "withhash"],
      ],
    },
  ],
  GEOSEARCHSTORE: [
    {
      name: "GEOSEARCHSTORE stores geohash scores or distances, replacing the destination; an empty result deletes it",
      steps: [
        ...POINTS, ["SET", "d", "old"], ["EXPIRE", "d", "100"],
        ["GEOSEARCHSTORE", "d", "pts", "FROMLONLAT", "13.5", "38", "BYRADIUS", "60", "km"], ["ZRANGE", "d", "0", "-1", "WITHSCORES"], ["TTL", "d"], ["TYPE", "d"],
        ["GEOSEARCHSTORE", "d", "pts", "FROMLONLAT", "13.5", "38", "BYRADIUS", "60", "km", "STOREDIST"], ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
        ["GEOSEARCHSTORE", "d", "pts", "FROMMEMBER", "p0", "BYBOX", "200", "100", "mi", "COUNT", "9", "DESC", "STOREDIST"], ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
        ["GEOSEARCHSTORE", "d", "pts", "FROMMEMBER", "p0", "BYBOX", "200", "100", "mi", "COUNT", "4", "ANY"], ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
        ["GEOSEARCHSTORE", "d", "pts", "FROMLONLAT", "13.5", "38", "BYRADIUS", "60", "ft", "STOREDIST"], ["EXISTS", "d"],
        ["SET", "d", "x"], ["GEOSEARCHSTORE", "d", "nokey", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km"], ["EXISTS", "d"],
        ["SET", "d", "x"], ["GEOSEARCHSTORE", "d", "nokey", "FROMMEMBER", "nope", "BYRADIUS", "1", "km"], ["EXISTS", "d"],
        ["GEOSEARCHSTORE", "pts", "pts", "FROMMEMBER", "p3", "BYRADIUS", "30", "km", "STOREDIST", "ASC", "COUNT", "5"], ["ZRANGE", "pts", "0", "-1", "WITHSCORES"],
      ],
    },
    {
      name: "GEOSEARCHSTORE refuses WITH* options, missing members and a source of another type",
      steps: [
        SICILY, ["SET", "d", "keep"], ["GEOSEARCHSTORE", "d", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km", "WITHDIST"],
        ["GEOSEARCHSTORE", "d", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km", "WITHCOORD", "STOREDIST"], ["GEOSEARCHSTORE", "d", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km", "WITHHASH", "COUNT", "0"],
        ["GEOSEARCHSTORE", "d", "Sicily", "FROMMEMBER", "nope", "BYRADIUS", "200", "km"], ["GEOSEARCHSTORE", "d", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km", "ANY"],
        ["GEOSEARCHSTORE", "d", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km", "STORE", "x"], ["GEOSEARCHSTORE", "d", "Sicily", "FROMMEMBER", "Palermo", "BYBOX", "200", "km"],
        ["GET", "d"], ["LPUSH", "list", "x"], ["GEOSEARCHSTORE", "d", "list", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km"], ["GEOSEARCHSTORE", "d", "list", "nonsense", "x", "y", "z"],
        ["GEOSEARCHSTORE", "list", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km", "storedist"], ["ZRANGE", "list", "0", "-1", "WITHSCORES"],
      ],
    },
  ],
  GEORADIUS: [
    {
      name: "GEORADIUS over a few hundred points, with every option",
      steps: [
        ...POINTS,
        ...searchVariants(["GEORADIUS", "pts", "13.5", "38", "60", "km"]),
        ...searchVariants(["GEORADIUS", "pts", "-100", "-40", "2500", "mi"]),
        ["GEORADIUS", "pts", "13.5", "38", "0", "km"], ["GEORADIUS", "pts", "0", "0", "20000", "km", "COUNT", "3", "WITHDIST"], ["GEORADIUS", "nokey", "1", "1", "1", "km"],
        ["GEORADIUS", "nokey", "1", "1", "1", "km", "WITHDIST", "COUNT", "3"],
      ],
    },
    {
      name: "GEORADIUS STORE and STOREDIST write the destination; errors in Redis's order",
      steps: [
        ...POINTS, ["SET", "d", "old"], ["GEORADIUS", "pts", "13.5", "38", "50", "km", "STORE", "d"], ["ZRANGE", "d", "0", "-1", "WITHSCORES"], ["TYPE", "d"],
        ["GEORADIUS", "pts", "13.5", "38", "50", "km", "STOREDIST", "d", "COUNT", "6"], ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
        ["GEORADIUS", "pts", "13.5", "38", "50", "mi", "STORE", "a", "STOREDIST", "b", "DESC", "COUNT", "4"], ["EXISTS", "a"], ["ZRANGE", "b", "0", "-1", "WITHSCORES"],
        ["GEORADIUS", "pts", "13.5", "38", "50", "km", "STOREDIST", "a", "STORE", "b"], ["ZRANGE", "b", "0", "-1", "WITHSCORES"],
        ["GEORADIUS", "pts", "13.5", "38", "1", "m", "STORE", "d"], ["EXISTS", "d"], ["SET", "d", "x"], ["GEORADIUS", "nokey", "1", "1", "1", "km", "STORE", "d"], ["EXISTS", "d"],
        ["GEORADIUS", "pts", "13.5", "38", "50", "km", "WITHDIST", "STORE", "d"], ["GEORADIUS", "pts", "13.5", "38", "50", "km", "STORE", "d", "WITHHASH"], ["GEORADIUS", "pts", "13.5", "38", "50", "km", "STORE"],
        ["GEORADIUS", "pts", "200", "38", "50", "km"], ["GEORADIUS", "pts", "x", "38", "50", "km"], ["GEORADIUS", "pts", "13", "y", "x", "km"], ["GEORADIUS", "pts", "13", "38", "x", "km"],
        ["GEORADIUS", "pts", "13", "38", "-5", "km"], ["GEORADIUS", "pts", "13", "38", "5", "yd"], ["GEORADIUS", "pts", "13", "38", "5", "km", "COUNT", "0"], ["GEORADIUS", "pts", "13", "38", "5", "km", "ANY"],
        ["GEORADIUS", "pts", "13", "38", "5", "km", "FROMMEMBER", "p1"], ["GEORADIUS", "pts", "13", "38", "5", "km", "BYRADIUS", "1", "km"], ["GEORADIUS", "nokey", "200", "38", "50", "km"],
        ["GEORADIUS", "nokey", "13", "38", "5", "km", "COUNT", "0"], ["GEORADIUS", "nokey", "13", "38", "5", "km", "WITHDIST", "STORE", "d"],
        ["GEORADIUS", "pts", "13.5", "38", "50", "km", "COUNT", "3", "STORE", "pts"], ["ZRANGE", "pts", "0", "-1", "WITHSCORES"],
      ],
    },
  ],
  GEORADIUS_RO: [
    {
      name: "GEORADIUS_RO searches as GEORADIUS and refuses STORE",
      steps: [
        ...POINTS, ...searchVariants(["GEORADIUS_RO", "pts", "14", "37", "70", "km"]), ["GEORADIUS_RO", "pts", "13.5", "38", "50", "km", "STORE", "d"],
        ["GEORADIUS_RO", "pts", "13.5", "38", "50", "km", "STOREDIST", "d"], ["GEORADIUS_RO", "nokey", "1", "1", "1", "km"], ["GEORADIUS_RO", "pts", "1", "1", "1", "yd"],
      ],
    },
  ],
  GEORADIUSBYMEMBER: [
    {
      name: "GEORADIUSBYMEMBER around a member, stores included; a missing key skips the radius",
      steps: [
        ...POINTS, ...searchVariants(["GEORADIUSBYMEMBER", "pts", "p0", "80", "km"]), ["GEORADIUSBYMEMBER", "pts", "p9", "0", "km", "WITHDIST"],
        ["GEORADIUSBYMEMBER", "pts", "p4", "30", "km", "STORE", "d"], ["ZRANGE", "d", "0", "-1", "WITHSCORES"], ["GEORADIUSBYMEMBER", "pts", "p4", "30", "km", "STOREDIST", "d", "ASC", "COUNT", "3"],
        ["ZRANGE", "d", "0", "-1", "WITHSCORES"], ["GEORADIUSBYMEMBER", "pts", "nope", "30", "km"], ["GEORADIUSBYMEMBER", "pts", "nope", "x", "km"], ["GEORADIUSBYMEMBER", "pts", "p1", "x", "km"],
        ["GEORADIUSBYMEMBER", "pts", "p1", "-1", "km"], ["GEORADIUSBYMEMBER", "pts", "p1", "1", "yd"], ["GEORADIUSBYMEMBER", "pts", "p1", "1", "km", "COUNT", "0"],
        ["GEORADIUSBYMEMBER", "pts", "nope", "1", "km", "ANY"], ["GEORADIUSBYMEMBER", "pts", "p1", "1", "km", "WITHDIST", "STORE", "d"],
        ["GEORADIUSBYMEMBER", "nokey", "nope", "x", "yd"], ["GEORADIUSBYMEMBER", "nokey", "nope", "-1", "km", "STORE", "d"], ["EXISTS", "d"],
        ["GEORADIUSBYMEMBER", "nokey", "nope", "1", "km", "COUNT", "0"], ["GEORADIUSBYMEMBER", "nokey", "nope", "1", "km", "ANY"], ["GEORADIUSBYMEMBER", "nokey", "nope", "1", "km", "NOPE"],
      ],
    },
  ],
  GEORADIUSBYMEMBER_RO: [
    {
      name: "GEORADIUSBYMEMBER_RO searches as GEORADIUSBYMEMBER and refuses STORE",
      steps: [
        ...POINTS, ...searchVariants(["GEORADIUSBYMEMBER_RO", "pts", "p2", "2000", "km"]), ["GEORADIUSBYMEMBER_RO", "pts", "p2", "20", "km", "STORE", "d"],
        ["GEORADIUSBYMEMBER_RO", "pts", "nope", "20", "km"], ["GEORADIUSBYMEMBER_RO", "nokey", "nope", "x", "km"],
      ],
    },
  ],
  "resp3": [
    {
      name: "geo replies in RESP3: coordinates are doubles, distances and hashes stay as in RESP2",
      resp3: true,
      steps: [
        SICILY, ["GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHCOORD", "WITHDIST", "WITHHASH", "ASC"],
        ["GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHCOORD"], ["GEORADIUSBYMEMBER_RO", "Sicily", "Palermo", "200", "km", "WITHDIST"], ["GEODIST", "Sicily", "Palermo", "Catania"],
        ["GEOHASH", "Sicily", "Palermo", "nope"], ["GEOSEARCHSTORE", "d", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km", "STOREDIST"], ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
        ["GEOSEARCH", "nokey", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"],
      ],
    },
  ],
  "arity": [
    {
      name: "geo commands check their arity",
      steps: [
        ["GEOADD", "g", "1", "1"], ["GEOADD", "g"], ["GEOPOS"], ["GEOHASH"], ["GEODIST", "g", "a"], ["GEORADIUS", "g", "1", "1", "1"], ["GEORADIUS_RO", "g", "1", "1", "1"],
        ["GEORADIUSBYMEMBER", "g", "m", "1"], ["GEORADIUSBYMEMBER_RO", "g", "m", "1"], ["GEOSEARCH", "g", "FROMMEMBER", "m", "BYRADIUS", "1"], ["GEOSEARCHSTORE", "d", "g", "FROMMEMBER", "m", "BYRADIUS", "1"],
      ],
    },
  ],
  "wrong types": [
    {
      name: "every geo command answers WRONGTYPE on a string, a list and a set, before its other checks",
      steps: [
        ["SET", "str", "x"], ["LPUSH", "list", "x"], ["SADD", "set", "x"], ["GEOADD", "g", "1", "1", "a"],
        ...["str", "list", "set"].flatMap((k): Arg[][] => [
          ["GEOADD", k, "1", "1", "a"], ["GEOADD", k, "200", "1", "a"], ["GEOPOS", k, "a"], ["GEOPOS", k], ["GEOHASH", k, "a"], ["GEODIST", k, "a", "b"], ["GEODIST", k, "a", "b", "yd"],
          ["GEORADIUS", k, "1", "1", "1", "km"], ["GEORADIUS", k, "200", "1", "x", "yd", "COUNT", "0"], ["GEORADIUS_RO", k, "1", "1", "1", "km"], ["GEORADIUSBYMEMBER", k, "a", "1", "km"],
          ["GEORADIUSBYMEMBER_RO", k, "a", "x", "km"], ["GEOSEARCH", k, "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km"], ["GEOSEARCH", k, "nonsense", "1", "2", "3", "4"],
          ["GEOSEARCHSTORE", "d", k, "FROMMEMBER", "a", "BYRADIUS", "1", "km"], ["GEORADIUS", k, "1", "1", "1", "km", "STORE", "d"],
        ]),
        ["GET", "str"], ["EXISTS", "d"], ["SET", "dstr", "x"], ["GEOSEARCHSTORE", "dstr", "g", "FROMMEMBER", "a", "BYRADIUS", "1", "km"], ["ZRANGE", "dstr", "0", "-1", "WITHSCORES"],
      ],
    },
  ],
  "keyspace": [
    {
      name: "geo indexes are sorted sets: TYPE, ZREM, expiry, COMMAND GETKEYS",
      steps: [
        SICILY, ["TYPE", "Sicily"], ["ZREM", "Sicily", "Palermo"], ["GEOPOS", "Sicily", "Palermo"], ["PEXPIRE", "Sicily", "50"], sleep(120) as Step, ["GEOPOS", "Sicily", "Catania"],
        ["GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"], ["GEOADD", "t", "1", "1", "a"], ["EXPIRE", "t", "100"], ["GEOADD", "t", "2", "2", "b"], ttl("TTL", "t"),
        ["COMMAND", "GETKEYS", "GEORADIUS", "k", "0", "0", "1", "m", "STORE", "d"], ["COMMAND", "GETKEYS", "GEORADIUS", "k", "0", "0", "1", "m", "STOREDIST", "d", "STORE", "e"],
        ["COMMAND", "GETKEYS", "GEORADIUSBYMEMBER", "k", "m", "1", "m", "store", "d"], ["COMMAND", "GETKEYS", "GEORADIUS", "k", "0", "0", "1", "m", "WITHDIST"],
        ["COMMAND", "GETKEYS", "GEOSEARCHSTORE", "d", "s", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m"], ["COMMAND", "GETKEYS", "GEORADIUS_RO", "k", "0", "0", "1", "m"],
        ["COMMAND", "GETKEYS", "GEOADD", "k", "0", "0", "m"],
      ],
    },
  ],
};

export const METADATA_COMMANDS: readonly string[] = [
  "geoadd", "geopos", "geohash", "geodist", "georadius", "georadiusbymember", "georadius_ro", "georadiusbymember_ro", "geosearch", "geosearchstore",
];
