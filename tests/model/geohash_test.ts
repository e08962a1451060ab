// Geohash scores, positions, hashes and distances against redis-server 7.0.15.
// The tables below are Redis's own answers, recorded with GEOADD then ZSCORE,
// GEOHASH, GEOPOS and GEODIST (m, km, ft, mi) on a real server; our encoder,
// decoder and formatting must give the same bytes.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseGeoDouble } from "../../src/commands/geo_arguments.ts";
import { formatCoordinate, formatDistance, formatFixed } from "../../src/commands/geo_replies.ts";
import {
  decodeScore,
  geohashAlign52Bits,
  geohashDecode,
  geohashEncode,
  geohashEstimateStepsByRadius,
  geohashGetAreasByShapeWGS84,
  geohashGetDistance,
  geohashNeighbors,
  geohashScore,
  geohashString,
  isValidCoordinates,
} from "../../src/model/geohash.ts";

const number = (text: string): number => {
  const value = parseGeoDouble(new TextEncoder().encode(text));
  assert.ok(value !== undefined, text);
  return value;
};

const POINTS: ReadonlyArray<{ lon: string; lat: string; member: string; score: string; hash: string; pos: [string, string] }> = [
  { lon: "13.361389", lat: "38.115556", member: "Palermo", score: "3479099956230698", hash: "sqc8b49rny0", pos: ["13.36138933897018433", "38.11555639549629859"] },
  { lon: "15.087269", lat: "37.502669", member: "Catania", score: "3479447370796909", hash: "sqdtr74hyu0", pos: ["15.08726745843887329", "37.50266842333162032"] },
  { lon: "0", lat: "0", member: "origin", score: "3377699720527872", hash: "s0000000000", pos: ["0.00000268220901489", "0.00000126736058093"] },
  { lon: "180", lat: "85.05112878", member: "ne-limit", score: "13510798882111488", hash: "bp05b5048p0", pos: ["180", "85.0511287799999991"] },
  { lon: "-180", lat: "-85.05112878", member: "sw-limit", score: "0", hash: "00bh0hbj200", pos: ["-179.99999731779098511", "-85.05112751263942528"] },
  { lon: "180", lat: "0", member: "east-edge", score: "10133099161583616", hash: "80000000000", pos: ["180", "0.00000126736058093"] },
  { lon: "-180", lat: "0", member: "west-edge", score: "1125899906842624", hash: "80000000000", pos: ["-179.99999731779098511", "0.00000126736058093"] },
  { lon: "0", lat: "85.05112878", member: "north-limit", score: "6755399441055744", hash: "up05b5048p0", pos: ["0.00000268220901489", "85.0511287799999991"] },
  { lon: "0", lat: "-85.05112878", member: "south-limit", score: "2251799813685248", hash: "h0bh0hbj200", pos: ["0.00000268220901489", "-85.05112751263942528"] },
  { lon: "179.999999", lat: "85.0511", member: "near-ne", score: "4503599627370426", hash: "zzpgzgpfxf0", pos: ["179.99999731779098511", "85.05109963070665913"] },
  { lon: "-179.999999", lat: "-85.0511", member: "near-sw", score: "69", hash: "00bh0hbj2j0", pos: ["-179.99999731779098511", "-85.05109963070665913"] },
  { lon: "-0.1278", lat: "51.5074", member: "London", score: "2163557714755072", hash: "gcpvj0duq50", pos: ["-0.12779921293258667", "51.50740077990133159"] },
  { lon: "-74.006", lat: "40.7128", member: "NewYork", score: "1791873974549446", hash: "dr5regw3pp0", pos: ["-74.0060010552406311", "40.71279898695150479"] },
  { lon: "151.2093", lat: "-33.8688", member: "Sydney", score: "3252046221964352", hash: "r3gx2f77bj0", pos: ["151.20929986238479614", "-33.86880091934155956"] },
  { lon: "139.6917", lat: "35.6895", member: "Tokyo", score: "4171231230197045", hash: "xn774c06kt0", pos: ["139.69170123338699341", "35.68950126697937009"] },
  { lon: "-43.1729", lat: "-22.9068", member: "Rio", score: "1008484280450656", hash: "75cm9tfqnw0", pos: ["-43.17289799451828003", "-22.90680107158666345"] },
  { lon: "-149.9003", lat: "61.2181", member: "Anchorage", score: "1467997318785192", hash: "bdvkkbmvmb0", pos: ["-149.90030139684677124", "61.21810004125232751"] },
  { lon: "-21.9426", lat: "64.1466", member: "Reykjavik", score: "2216643466013004", hash: "ge2kuttch20", pos: ["-21.94260209798812866", "64.14660027157923139"] },
  { lon: "15.6469", lat: "78.2232", member: "Longyearbyen", score: "3757807884290690", hash: "umgjh01epj0", pos: ["15.64689964056015015", "78.22319957717968464"] },
  { lon: "166.6863", lat: "-77.8419", member: "McMurdo", score: "2998149636825436", hash: "pdnt1j36060", pos: ["166.68630033731460571", "-77.84189893845916686"] },
  { lon: "90", lat: "45", member: "p90-45", score: "4222486838317376", hash: "y0000000000", pos: ["90.00000268220901489", "45.00000100864581043"] },
  { lon: "-90", lat: "-45", member: "m90-45", score: "656412758000661", hash: "4pbpbpbpbp0", pos: ["-89.99999731779098511", "-45.00000100864581043"] },
  { lon: "45.5", lat: "0", member: "p45.5-0", score: "3518446480392744", hash: "t00252h04b0", pos: ["45.49999862909317017", "0.00000126736058093"] },
  { lon: "0", lat: "45.5", member: "p0-45.5", score: "3660279914517520", hash: "u004b5008n0", pos: ["0.00000268220901489", "45.50000010453700838"] },
  { lon: "-0.5", lat: "-0.5", member: "m0.5", score: "1125869160217991", hash: "7zzthsgzm10", pos: ["-0.49999862909317017", "-0.50000036325177888"] },
  { lon: "123.456789", lat: "-12.345678", member: "p123", score: "3210278889860086", hash: "qtzcc2d3pw0", pos: ["123.45678895711898804", "-12.34567751406586211"] },
  { lon: "-179.5", lat: "84.9", member: "far-nw", score: "1501207733797736", hash: "bp06grs46g0", pos: ["-179.50000137090682983", "84.89999983295615493"] },
  { lon: "179.5", lat: "-84.9", member: "far-se", score: "3002391893572759", hash: "pbzth87vth0", pos: ["179.50000137090682983", "-84.89999983295615493"] },
  { lon: "0.000001", lat: "-0.000001", member: "tiny", score: "2627099782632789", hash: "kpbpbpbpbp0", pos: ["0.00000268220901489", "-0.00000126736058093"] },
  { lon: "1e-10", lat: "-1e-10", member: "tinier", score: "2627099782632789", hash: "kpbpbpbpbp0", pos: ["0.00000268220901489", "-0.00000126736058093"] },
  { lon: "0x1.8p3", lat: "0x10", member: "hex", score: "3408520825882701", hash: "s6be10dnu20", pos: ["12.00000196695327759", "16.00000021781178106"] },
  { lon: "-122.4194", lat: "37.7749", member: "SanFrancisco", score: "1367859919124626", hash: "9q8yyk8ytp0", pos: ["-122.41940170526504517", "37.77490001056577995"] },
];

/** [from, to, m, km, ft, mi] */
const DISTANCES: ReadonlyArray<readonly [string, string, string, string, string, string]> = [
  ["Palermo", "Catania", "166274.1516", "166.2742", "545518.8700", "103.3182"],
  ["London", "NewYork", "5571793.9676", "5571.7940", "18280163.9358", "3462.1609"],
  ["Sydney", "Tokyo", "7828823.5342", "7828.8235", "25685116.5820", "4864.6175"],
  ["origin", "ne-limit", "10560811.4940", "10560.8115", "34648331.6733", "6562.2003"],
  ["sw-limit", "ne-limit", "18919844.5891", "18919.8446", "62072980.9353", "11756.2756"],
  ["east-edge", "west-edge", "0.2983", "0.0003", "0.9788", "0.0002"],
  ["north-limit", "south-limit", "18919844.5891", "18919.8446", "62072980.9353", "11756.2756"],
  ["tiny", "origin", "0.2819", "0.0003", "0.9250", "0.0002"],
  ["tinier", "origin", "0.2819", "0.0003", "0.9250", "0.0002"],
  ["far-nw", "far-se", "18886269.0156", "18886.2690", "61962824.8545", "11735.4127"],
  ["Rio", "Reykjavik", "9856486.7971", "9856.4868", "32337555.1085", "6124.5522"],
  ["McMurdo", "Longyearbyen", "19358317.9325", "19358.3179", "63511541.7733", "12028.7310"],
  ["p90-45", "m90-45", "20020734.0000", "20020.7340", "65684822.8346", "12440.3383"],
  ["p0-45.5", "north-limit", "4399125.7034", "4399.1257", "14432827.1109", "2733.4968"],
  ["Anchorage", "SanFrancisco", "3226963.3233", "3226.9633", "10587150.0108", "2005.1470"],
  ["hex", "Palermo", "2463442.6413", "2463.4426", "8082160.8966", "1530.7161"],
  ["Palermo", "Palermo", "0.0000", "0.0000", "0.0000", "0.0000"],
];

const scoreOf = (member: string): number => Number(POINTS.find((p) => p.member === member)!.score);

describe("geohash scores as Redis stores them", () => {
  test("GEOADD's score (ZSCORE) for every recorded point", () => {
    for (const p of POINTS) assert.equal(geohashScore(number(p.lon), number(p.lat)), Number(p.score), p.member);
  });

  test("GEOPOS decodes each score to the cell centre, printed as Redis prints it", () => {
    for (const p of POINTS) {
      const { longitude, latitude } = decodeScore(Number(p.score));
      assert.deepEqual([formatCoordinate(longitude), formatCoordinate(latitude)], p.pos, p.member);
    }
  });

  test("GEOHASH re-encodes with the standard latitude range and ends in '0'", () => {
    for (const p of POINTS) assert.equal(geohashString(Number(p.score)), p.hash, p.member);
  });

  test("GEODIST in m, km, ft and mi, four decimals", () => {
    const units = [1, 1000, 0.3048, 1609.34];
    for (const [from, to, ...expected] of DISTANCES) {
      const meters = geohashGetDistance(decodeScore(scoreOf(from)), decodeScore(scoreOf(to)));
      assert.deepEqual(units.map((u) => formatDistance(meters / u)), expected, `${from} ${to}`);
    }
  });

  test("a point on the upper edges spills past 52 bits, and decodes clamped to the limits", () => {
    assert.equal(geohashScore(180, 85.05112878), 13510798882111488);
    assert.deepEqual(decodeScore(13510798882111488), { longitude: 180, latitude: 85.05112878 });
  });

  test("any sorted-set score decodes as x86-64 C converts it to uint64 (recorded from GEOPOS and GEOHASH)", () => {
    // ZADD odd -1 neg 1.5 frac 1e20 big inf pinf -inf ninf 4503599627370496 two52 9007199254740993 over53 1e19 e19
    const cases: Array<[number, string, string, string]> = [
      [-1, "180", "85.0511287799999991", "bp05b5048p0"],
      [1.5, "-179.99999731779098511", "-85.05112497791824921", "00bh0hbj210"],
      [1e20, "-179.99999731779098511", "-85.05112751263942528", "00bh0hbj200"],
      [Infinity, "-179.99999731779098511", "-85.05112751263942528", "00bh0hbj200"],
      [-Infinity, "180", "-85.05112751263942528", "00bh0hbj200"],
      [4503599627370496, "-179.99999731779098511", "85.0511287799999991", "bp05b5048p0"],
      [9007199254740993, "180", "-85.05112751263942528", "00bh0hbj200"],
      [1e19, "180", "85.0511287799999991", "bp05b5048p0"],
    ];
    for (const [score, lon, lat, hash] of cases) {
      const p = decodeScore(score);
      assert.deepEqual([formatCoordinate(p.longitude), formatCoordinate(p.latitude), geohashString(score)], [lon, lat, hash], String(score));
    }
    // GEODIST odd neg frac
    assert.equal(formatDistance(geohashGetDistance(decodeScore(-1), decodeScore(1.5))), "18919844.3072");
  });

  test("the accepted coordinates are lon in [-180, 180] and lat in [-85.05112878, 85.05112878]", () => {
    assert.ok(isValidCoordinates(-180, -85.05112878));
    assert.ok(isValidCoordinates(180, 85.05112878));
    assert.ok(!isValidCoordinates(180.0000001, 0));
    assert.ok(!isValidCoordinates(0, -85.05112879));
    assert.equal(geohashScore(0, 86), undefined);
  });
});

describe("geohash cells", () => {
  test("a cell decodes to the ranges that contain the encoded point", () => {
    const hash = geohashEncode({ longitude: 13.361389, latitude: 38.115556 }, { step: 10 })!;
    const area = geohashDecode(hash);
    assert.ok(area.longitude.min <= 13.361389 && 13.361389 < area.longitude.max);
    assert.ok(area.latitude.min <= 38.115556 && 38.115556 < area.latitude.max);
    assert.equal(area.longitude.max - area.longitude.min, 360 / 1024);
  });

  test("neighbours are the adjacent cells, sharing edges with the centre cell", () => {
    const hash = geohashEncode({ longitude: 13.36, latitude: 38.11 }, { step: 8 })!;
    const centre = geohashDecode(hash);
    const n = geohashNeighbors(hash);
    assert.equal(geohashDecode(n.north).latitude.min, centre.latitude.max);
    assert.equal(geohashDecode(n.south).latitude.max, centre.latitude.min);
    assert.equal(geohashDecode(n.east).longitude.min, centre.longitude.max);
    assert.equal(geohashDecode(n.west).longitude.max, centre.longitude.min);
    const ne = geohashDecode(n.northEast);
    assert.equal(ne.latitude.min, centre.latitude.max);
    assert.equal(ne.longitude.min, centre.longitude.max);
    const sw = geohashDecode(n.southWest);
    assert.equal(sw.latitude.max, centre.latitude.min);
    assert.equal(sw.longitude.max, centre.longitude.min);
  });

  test("moving east from the last column wraps around to the first, as Redis's bit arithmetic does", () => {
    const hash = geohashEncode({ longitude: 179.9, latitude: 0 }, { step: 4 })!;
    assert.equal(geohashDecode(geohashNeighbors(hash).east).longitude.min, -180);
  });

  test("a cell's scores are its bits aligned to 52", () => {
    const hash = geohashEncode({ longitude: 0, latitude: 0 }, { step: 1 })!;
    assert.equal(geohashAlign52Bits(hash), hash.bits << 50n);
  });

  test("the step estimate follows the radius and widens towards the poles", () => {
    assert.equal(geohashEstimateStepsByRadius(0, 0), 26);
    // Expected values from Redis's C function compiled as is.
    assert.equal(geohashEstimateStepsByRadius(1, 0), 24);
    assert.equal(geohashEstimateStepsByRadius(1000, 0), 14);
    assert.equal(geohashEstimateStepsByRadius(1000, 70), 13);
    assert.equal(geohashEstimateStepsByRadius(1000, -81), 12);
    assert.equal(geohashEstimateStepsByRadius(5_000_000, 0), 2);
    assert.equal(geohashEstimateStepsByRadius(Infinity, 0), 1);
  });

  test("a small search excludes the neighbours its bounding box cannot reach", () => {
    const areas = geohashGetAreasByShapeWGS84({ kind: "radius", centre: { longitude: 13.3, latitude: 38.1 }, unit: 1000, radius: 1 });
    const cells = Object.values(areas.neighbors).filter((c) => !(c.bits === 0n && c.step === 0));
    assert.ok(cells.length < 8);
    assert.ok(areas.bounds.minLongitude < 13.3 && areas.bounds.maxLongitude > 13.3);
  });
});

describe("number formats", () => {
  test("distances: d·10^4 rounded half to even (llrint), then four decimals", () => {
    // Expected values from C's llrint(d * 10000) on this machine.
    assert.equal(formatDistance(0), "0.0000");
    assert.equal(formatDistance(0.00004), "0.0000");
    assert.equal(formatDistance(0.00005), "0.0000"); // scales to 0.5: to even
    assert.equal(formatDistance(0.00015), "0.0001"); // scales to 1.4999999999999998
    assert.equal(formatDistance(0.00025), "0.0002"); // 2.5: to even
    assert.equal(formatDistance(0.00035), "0.0004"); // 3.5: to even
    assert.equal(formatDistance(1.00005), "1.0001"); // 10000.500000000002
    assert.equal(formatDistance(1.5), "1.5000");
    assert.equal(formatDistance(166274.15156960033), "166274.1516");
    assert.equal(formatDistance(-2.25), "-2.2500");
  });

  test("%f as glibc prints it: exact value, ties to even, no exponent", () => {
    assert.equal(formatFixed(181, 6), "181.000000");
    assert.equal(formatFixed(181.0078125, 6), "181.007812");
    assert.equal(formatFixed(181.0234375, 6), "181.023438");
    assert.equal(formatFixed(1e300, 6).length, 301 + 7);
    assert.equal(formatFixed(-0, 6), "-0.000000");
    assert.equal(formatFixed(Infinity, 6), "inf");
    assert.equal(formatFixed(-Infinity, 6), "-inf");
  });

  test("coordinates: %.17Lf without trailing zeros, never -0", () => {
    assert.equal(formatCoordinate(180), "180");
    assert.equal(formatCoordinate(-0), "0");
    assert.equal(formatCoordinate(13.5), "13.5");
    assert.equal(formatCoordinate(2 ** -18), "0.00000381469726562");
  });
});
