// Parsing of the geo commands, against redis-server 7.0.15. RECORDED holds
// Redis's own replies (RESP2, decoded), sent on a server where `s` holds
// Palermo and Catania, `str` is a string and `nokey` is missing. Each line
// runs here through the geo parse, resolution and reply functions with the
// command layer's remaining duty (the key's type check) emulated, so that
// error texts, their order, and the replies around them must all match.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  type GeoQueryCommand,
  parseGeoAdd,
  parseGeoDist,
  parseGeoDouble,
  parseGeoMembers,
  parseGeoQuery,
  resolveGeoQuery,
  unitOf,
} from "../../src/commands/geo_arguments.ts";
import { geodistReply, geohashReply, geoposReply, runGeoQuery } from "../../src/commands/geo_replies.ts";
import { WRONGTYPE } from "../../src/commands/errors.ts";
import type { MaybePromise } from "../../src/engine/maybe_promise.ts";
import type { GeoScoreSource, ScoredMember, ScoreRangeQuery } from "../../src/model/geo_search.ts";
import { geohashScore } from "../../src/model/geohash.ts";
import { DoubleReply, ErrorReply, NullArray, type Reply } from "../../src/resp/reply.ts";
import { formatDouble } from "../../src/resp/writer.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

type Recorded = string | number | null | { error: string } | Recorded[];

const RECORDED: ReadonlyArray<readonly [string, Recorded]> = [
  ["geoadd s 181 0 m", {"error": "ERR invalid longitude,latitude pair 181.000000,0.000000"}],
  ["geoadd s 0 86 m", {"error": "ERR invalid longitude,latitude pair 0.000000,86.000000"}],
  ["geoadd s -181 -86 m", {"error": "ERR invalid longitude,latitude pair -181.000000,-86.000000"}],
  ["geoadd s abc 0 m", {"error": "ERR value is not a valid float"}],
  ["geoadd s 0 abc m", {"error": "ERR value is not a valid float"}],
  ["geoadd s 181 abc m", {"error": "ERR value is not a valid float"}],
  ["geoadd s NX XX 1 1 m", {"error": "ERR syntax error"}],
  ["geoadd s GT 1 1 m", {"error": "ERR syntax error"}],
  ["geoadd s GT 1 1", {"error": "ERR value is not a valid float"}],
  ["geoadd s CH CH CH", {"error": "ERR syntax error"}],
  ["geoadd s 1 1 m 2", {"error": "ERR syntax error"}],
  ["geoadd s inf 0 m", {"error": "ERR invalid longitude,latitude pair inf,0.000000"}],
  ["geoadd s -inf 0 m", {"error": "ERR invalid longitude,latitude pair -inf,0.000000"}],
  ["geoadd s 0 nan m", {"error": "ERR value is not a valid float"}],
  ["geoadd s 1e400 0 m", {"error": "ERR value is not a valid float"}],
  ["geoadd s 1e-400 0 m", {"error": "ERR value is not a valid float"}],
  ["geoadd s 0x1p400 0 m", {"error": "ERR invalid longitude,latitude pair 2582249878086908589655919172003011874329705792829223512830659356540647622016841194629645353280137831435903171972747493376.000000,0.000000"}],
  ["geoadd s 1 1 m 200 1 n", {"error": "ERR invalid longitude,latitude pair 200.000000,1.000000"}],
  ["geoadd s 1 1 m abc 1 n", {"error": "ERR value is not a valid float"}],
  ["geoadd s 181.0078125 0 m", {"error": "ERR invalid longitude,latitude pair 181.007812,0.000000"}],
  ["geoadd s 1e300 0 m", {"error": "ERR invalid longitude,latitude pair 1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.000000,0.000000"}],
  ["geoadd s 0 -1e-300 m", 1],
  ["geoadd s 1. 0 m", 1],
  ["geoadd s .5e1 0 m", 1],
  ["geoadd s 1e 0 m", {"error": "ERR value is not a valid float"}],
  ["geoadd s 0x 0 m", {"error": "ERR value is not a valid float"}],
  ["geoadd s +1 -0 m", 1],
  ["geoadd s 1_0 0 m", {"error": "ERR value is not a valid float"}],
  ["geoadd s 0b1 0 m", {"error": "ERR value is not a valid float"}],
  ["geoadd s Infinity 0 m", {"error": "ERR invalid longitude,latitude pair inf,0.000000"}],
  ["geoadd str 181 0 m", {"error": "ERR invalid longitude,latitude pair 181.000000,0.000000"}],
  ["geopos s Palermo nobody Catania",[["13.36138933897018433","38.11555639549629859"],null,["15.08726745843887329","37.50266842333162032"]]],
  ["geopos nokey a b",[null,null]],
  ["geopos s",[]],
  ["geohash s Palermo nobody Catania",["sqc8b49rny0",null,"sqdtr74hyu0"]],
  ["geohash nokey a",[null]],
  ["geohash s",[]],
  ["geopos str a",{"error":"WRONGTYPE Operation against a key holding the wrong kind of value"}],
  ["geohash str a",{"error":"WRONGTYPE Operation against a key holding the wrong kind of value"}],
  ["geodist s Palermo nobody",null],
  ["geodist nokey a b",null],
  ["geodist s Palermo Palermo","0.0000"],
  ["geodist s Palermo Catania xx", {"error": "ERR unsupported unit provided. please use M, KM, FT, MI"}],
  ["geodist s Palermo Catania km extra", {"error": "ERR syntax error"}],
  ["geodist str Palermo Catania xx", {"error": "ERR unsupported unit provided. please use M, KM, FT, MI"}],
  ["geodist nokey a b xx", {"error": "ERR unsupported unit provided. please use M, KM, FT, MI"}],
  ["geodist s Palermo Catania KM", "166.2742"],
  ["geodist s Palermo Catania mI", "103.3182"],
  ["geosearch s frommember Palermo bybox 10 10 km count 0", {"error": "ERR COUNT must be > 0"}],
  ["geosearch s frommember Palermo bybox 10 10 km count -1", {"error": "ERR COUNT must be > 0"}],
  ["geosearch s frommember Palermo bybox 10 10 km count abc", {"error": "ERR value is not an integer or out of range"}],
  ["geosearch s frommember Palermo bybox 10 10 km count 99999999999999999999", {"error": "ERR value is not an integer or out of range"}],
  ["geosearch s frommember Palermo bybox 10 10 km count", {"error": "ERR syntax error"}],
  ["geosearch s frommember Palermo bybox 10 10 km any", {"error": "ERR the ANY argument requires COUNT argument"}],
  ["geosearch s frommember nobody bybox 10 10 km", {"error": "ERR could not decode requested zset member"}],
  ["geosearch s frommember nobody bybox 10 10 xx", {"error": "ERR could not decode requested zset member"}],
  ["geosearch s frommember Palermo bybox abc 10 xx", {"error": "ERR need numeric width"}],
  ["geosearch s frommember Palermo bybox 10 abc xx", {"error": "ERR need numeric height"}],
  ["geosearch s frommember Palermo bybox -1 10 xx", {"error": "ERR height or width cannot be negative"}],
  ["geosearch s frommember Palermo bybox 10 -1 xx", {"error": "ERR height or width cannot be negative"}],
  ["geosearch s frommember Palermo bybox 10 10 xx", {"error": "ERR unsupported unit provided. please use M, KM, FT, MI"}],
  ["geosearch s frommember Palermo byradius abc km", {"error": "ERR need numeric radius"}],
  ["geosearch s frommember Palermo byradius -1 km", {"error": "ERR radius cannot be negative"}],
  ["geosearch s frommember Palermo byradius 1 xx", {"error": "ERR unsupported unit provided. please use M, KM, FT, MI"}],
  ["geosearch s frommember Palermo byradius 1 km bybox 1 1 km", {"error": "ERR syntax error"}],
  ["geosearch s fromlonlat 1 1 frommember Palermo byradius 1 km", {"error": "ERR syntax error"}],
  ["geosearch s frommember Palermo fromlonlat 1 1 byradius 1 km", {"error": "ERR syntax error"}],
  ["geosearch s fromlonlat 200 1 byradius 1 km", {"error": "ERR invalid longitude,latitude pair 200.000000,1.000000"}],
  ["geosearch s fromlonlat 1 1 byradius 1 km store x", {"error": "ERR syntax error"}],
  ["geosearch s fromlonlat 1 1 byradius 1 km storedist", {"error": "ERR syntax error"}],
  ["geosearch s fromlonlat 1 1 asc desc", {"error": "ERR exactly one of BYRADIUS and BYBOX can be specified for geosearch"}],
  ["GeoSearch s fromlonlat 1 1 asc desc", {"error": "ERR exactly one of BYRADIUS and BYBOX can be specified for GeoSearch"}],
  ["geosearch s byradius 1 km withdist any", {"error": "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for geosearch"}],
  ["GEOSEARCH s byradius 1 km withdist any", {"error": "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH"}],
  ["geosearch s fromlonlat 1 1 byradius 1 km any", {"error": "ERR the ANY argument requires COUNT argument"}],
  ["geosearch nokey frommember a byradius 1 km", []],
  ["geosearch nokey frommember a byradius abc km", {"error": "ERR need numeric radius"}],
  ["geosearch nokey frommember a byradius 1 km any", {"error": "ERR the ANY argument requires COUNT argument"}],
  ["geosearch s frommember Palermo byradius 1 km withdist withdist foo", {"error": "ERR syntax error"}],
  ["geosearch s fromlonlat 1 1 byradius 1 km count 1 any any", []],
  ["geosearch s fromlonlat 1 1 fromlonlat 2 2 byradius 1 km byradius 2 km", []],
  ["geosearch s frommember Palermo frommember Catania byradius 1 km", ["Catania"]],
  ["geosearch s frommember Catania frommember nobody byradius 1 km", {"error": "ERR could not decode requested zset member"}],
  ["geosearch s frommember Palermo byradius 1 km withdist store", {"error": "ERR syntax error"}],
  ["geosearch s count 0 frommember Palermo byradius 1 km", {"error": "ERR COUNT must be > 0"}],
  ["geosearch s frommember nobody count 0 byradius 1 km", {"error": "ERR could not decode requested zset member"}],
  ["geosearch nokey frommember nobody count 0 byradius 1 km", {"error": "ERR COUNT must be > 0"}],
  ["geosearch s withdist byradius 1 km fromlonlat 1 100", {"error": "ERR invalid longitude,latitude pair 1.000000,100.000000"}],
  ["geosearch s fromlonlat 1 1 byradius 1 km frommember", {"error": "ERR syntax error"}],
  ["geosearch s fromlonlat 15 37 byradius 200 km withdist withcoord withhash asc", [["Catania", "56.4413", 3479447370796909, ["15.08726745843887329", "37.50266842333162032"]], ["Palermo", "190.4424", 3479099956230698, ["13.36138933897018433", "38.11555639549629859"]]]],
  ["geosearch s frommember Palermo byradius 200 km count 1 desc withdist", [["Catania", "166.2742"]]],
  ["geosearch s fromlonlat 1 1 byradius inf km", ["Palermo", "Catania"]],
  ["geosearch s fromlonlat 14 37.8 bybox 400 200 km withdist", [["Palermo", "66.0938"], ["Catania", "101.2973"]]],
  ["geosearch s fromlonlat 14 37.8 byradius 100 KM", ["Palermo"]],
  ["geosearchstore d s frommember Palermo byradius 1 km withdist", {"error": "ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options"}],
  ["geosearchstore d s frommember Palermo byradius 1 km store x", {"error": "ERR syntax error"}],
  ["geosearchstore d s frommember Palermo byradius 1 km storedist", 1],
  ["geosearchstore d s frommember Palermo byradius 1 km storedist storedist", 1],
  ["geosearchstore d nokey frommember Palermo byradius 1 km storedist", 0],
  ["georadius s 15 37 200 km withdist", [["Palermo", "190.4424"], ["Catania", "56.4413"]]],
  ["georadius s 15 37 200 km store d withdist", {"error": "ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options"}],
  ["georadius s 15 37 200 km storedist d withcoord", {"error": "ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options"}],
  ["georadius s 15 37 200 km storedist d", 2],
  ["georadius s 15 37 200 km store d store", {"error": "ERR syntax error"}],
  ["georadius_ro s 15 37 200 km store d", {"error": "ERR syntax error"}],
  ["georadius_ro s 15 37 200 km frommember x", {"error": "ERR syntax error"}],
  ["georadius s 15 37 200 km fromlonlat 1 1", {"error": "ERR syntax error"}],
  ["georadius s 200 37 200 km", {"error": "ERR invalid longitude,latitude pair 200.000000,37.000000"}],
  ["georadius s 15 37 -1 km", {"error": "ERR radius cannot be negative"}],
  ["georadius s 15 37 abc km", {"error": "ERR need numeric radius"}],
  ["georadius s 15 37 1 xx", {"error": "ERR unsupported unit provided. please use M, KM, FT, MI"}],
  ["georadius s abc 37 1 xx", {"error": "ERR value is not a valid float"}],
  ["georadius nokey 15 37 1 xx", {"error": "ERR unsupported unit provided. please use M, KM, FT, MI"}],
  ["georadius nokey 15 37 1 km", []],
  ["georadius nokey 15 37 1 km store d", 0],
  ["georadius nokey 15 37 1 km any", {"error": "ERR the ANY argument requires COUNT argument"}],
  ["georadius s 15 37 200 km count 1 any desc", ["Palermo"]],
  ["georadius s 15 37 200 km count 5 withhash", [["Catania", 3479447370796909], ["Palermo", 3479099956230698]]],
  ["georadius s 15 37 200 km store", {"error": "ERR syntax error"}],
  ["georadius s 15 37 200 km any", {"error": "ERR the ANY argument requires COUNT argument"}],
  ["georadiusbymember s Palermo 200 km withdist", [["Palermo", "0.0000"], ["Catania", "166.2742"]]],
  ["georadiusbymember s nobody 200 km", {"error": "ERR could not decode requested zset member"}],
  ["georadiusbymember s nobody abc xx", {"error": "ERR could not decode requested zset member"}],
  ["georadiusbymember s Palermo abc xx", {"error": "ERR need numeric radius"}],
  ["georadiusbymember s Palermo 1 xx", {"error": "ERR unsupported unit provided. please use M, KM, FT, MI"}],
  ["georadiusbymember nokey nobody abc xx", []],
  ["georadiusbymember nokey nobody abc xx withdist foo", {"error": "ERR syntax error"}],
  ["georadiusbymember nokey nobody abc xx any", {"error": "ERR the ANY argument requires COUNT argument"}],
  ["georadiusbymember nokey nobody abc xx storedist d withdist", {"error": "ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options"}],
  ["georadiusbymember nokey nobody abc xx storedist d", 0],
  ["georadiusbymember_ro s Palermo 200 km store d", {"error": "ERR syntax error"}],
  ["georadiusbymember_ro s Palermo 200 km withcoord", [["Palermo", ["13.36138933897018433", "38.11555639549629859"]], ["Catania", ["15.08726745843887329", "37.50266842333162032"]]]],
];

/** `s`: Palermo and Catania, as GEOADD stored them. */
function sicily(): GeoScoreSource {
  const entries: ScoredMember[] = [
    { member: enc("Palermo"), score: geohashScore(13.361389, 38.115556)! },
    { member: enc("Catania"), score: geohashScore(15.087269, 37.502669)! },
  ];
  return {
    membersInScoreRange: (r: ScoreRangeQuery): MaybePromise<readonly ScoredMember[]> =>
      entries.filter((e) => e.score >= r.min && e.score < r.max).slice(r.offset ?? 0, r.count === undefined ? undefined : (r.offset ?? 0) + r.count),
    scoreOf: (member: Uint8Array) => entries.find((e) => dec(e.member) === dec(member))?.score,
  };
}

function asRecorded(reply: Reply): Recorded {
  if (reply instanceof Uint8Array) return dec(reply);
  if (typeof reply === "string" || typeof reply === "number" || reply === null) return reply;
  if (typeof reply === "bigint") return Number(reply);
  if (Array.isArray(reply)) return reply.map(asRecorded);
  if (reply instanceof NullArray) return null;
  if (reply instanceof ErrorReply) return { error: reply.message };
  // RESP2 sends a double as its text.
  if (reply instanceof DoubleReply) return reply.text ?? formatDouble(reply.value);
  throw new Error(`unexpected reply ${String(reply)}`);
}

/** The command as the command layer will run it: parse, type check, then the geo functions. */
async function send(line: string): Promise<Reply> {
  const argv = line.split(" ").map(enc);
  const name = line.split(" ")[0]!.toLowerCase();
  const keyName = (argv: Uint8Array[]) => dec(argv[name === "geosearchstore" ? 2 : 1]!);
  const sourceOf = (key: string) => (key === "s" ? sicily() : undefined);
  if (name === "geoadd") {
    const args = parseGeoAdd(argv);
    if (args instanceof ErrorReply) return args;
    return dec(args.key) === "str" ? WRONGTYPE : args.points.length; // every member is new on `s` here
  }
  if (name === "geodist") {
    const args = parseGeoDist(argv);
    if (args instanceof ErrorReply) return args;
    if (dec(args.key) === "str") return WRONGTYPE;
    return geodistReply(sourceOf(dec(args.key)), args);
  }
  if (name === "geopos" || name === "geohash") {
    const args = parseGeoMembers(argv);
    if (dec(args.key) === "str") return WRONGTYPE;
    return (name === "geopos" ? geoposReply : geohashReply)(sourceOf(dec(args.key)), args.members);
  }
  const args = parseGeoQuery(argv, name as GeoQueryCommand);
  if (keyName(argv) === "str") return WRONGTYPE;
  const source = sourceOf(keyName(argv));
  const outcome = await runGeoQuery(await resolveGeoQuery(args, source), source);
  return outcome.reply;
}

describe("geo command parsing reproduces redis-server's replies and errors", () => {
  for (const [line, expected] of RECORDED) {
    test(line, async () => assert.deepEqual(asRecorded(await send(line)), expected));
  }
});

describe("geo arguments", () => {
  test("GEOADD reads NX, XX and CH in any order and case before the points", () => {
    const args = parseGeoAdd(["GEOADD", "k", "ch", "Xx", "13.361389", "38.115556", "Palermo"].map(enc));
    assert.ok(!(args instanceof ErrorReply));
    assert.deepEqual({ nx: args.nx, xx: args.xx, ch: args.ch }, { nx: false, xx: true, ch: true });
    assert.deepEqual(args.points.map((p) => [p.score, dec(p.member)]), [[3479099956230698, "Palermo"]]);
  });

  test("GEOPOS and GEOHASH take a key and any number of members", () => {
    const args = parseGeoMembers(["GEOPOS", "k", "a", "b"].map(enc));
    assert.deepEqual([dec(args.key), ...args.members.map(dec)], ["k", "a", "b"]);
  });

  test("units are case-insensitive and C-string compared", () => {
    assert.equal(unitOf(enc("Km")), 1000);
    assert.equal(unitOf(enc("FT")), 0.3048);
    assert.equal(unitOf(enc("mi")), 1609.34);
    assert.equal(unitOf(enc("km\0junk")), 1000);
    assert.equal(unitOf(enc("kms")), undefined);
  });

  test("numbers follow strtod over the whole argument", () => {
    const p = (s: string) => parseGeoDouble(enc(s));
    assert.equal(p("1."), 1);
    assert.equal(p(".5e1"), 5);
    assert.equal(p("+1"), 1);
    assert.equal(p("0x1.8p3"), 12);
    assert.equal(p("0x10"), 16);
    assert.equal(p("-INF"), -Infinity);
    assert.equal(p("-1e-300"), -1e-300);
    for (const bad of ["", " 1", "1 ", "1e", "0x", "nan", "1e400", "1e-400", "1_0", "0b1", "1\0"]) assert.equal(p(bad), undefined, JSON.stringify(bad));
  });

  test("a search's arguments keep Redis's order of checks as steps", () => {
    const args = parseGeoQuery(["GEORADIUSBYMEMBER", "k", "m", "abc", "km", "COUNT", "0"].map(enc), "georadiusbymember");
    assert.deepEqual(args.steps.map((s) => ("member" in s ? `member ${dec(s.member)}` : `${s.error.message} ${s.onlyWithSource}`)), [
      "member m",
      "ERR need numeric radius true",
      "ERR COUNT must be > 0 false",
    ]);
  });
});
