// Differential cases of DUMP and RESTORE (src/commands/families/dump_restore.ts):
// DUMP's bytes for values whose encoding depends on the value alone, RESTORE's
// argument and error paths in Redis 7.0's order, legacy encodings Redis 7.0
// still restores, and corrupt payloads; run by dump_restore_test.ts against
// redis-server or its recorded replies (tests/differential/suite.ts).
import { sleep, ttl, unordered, type CasesByCommand } from "../differential/case_types.ts";
import { blobString, concat, payload, rdbString, ziplist, zipmap } from "./dump_restore_payloads.ts";

const float64 = (x: number) => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setFloat64(0, x, true);
  return out;
};
const idBytes = (ms: number, seq: number) => concat(0, 0, 0, 0, 0, 0, 0, ms, 0, 0, 0, 0, 0, 0, 0, seq);
const millis = (ms: number) => concat(ms & 0xff, (ms >> 8) & 0xff, (ms >> 16) & 0xff, (ms >>> 24) & 0xff, 0, 0, 0, 0);

/** A listpack of unsigned integers below 128 and strings below 64 bytes, built by hand. */
function listpack(elements: ReadonlyArray<number | string>): Uint8Array {
  const entries = elements.map((e) => {
    const body = typeof e === "number" ? concat(e) : concat(0x80 | e.length, e);
    return concat(body, body.length);
  });
  const total = 6 + entries.reduce((n, e) => n + e.length, 0) + 1;
  return concat(total & 0xff, total >> 8, 0, 0, elements.length, 0, entries, 0xff);
}

const VOL = payload(concat(0, rdbString("vol")));
const LIST_ABC = payload(concat(1, 3, rdbString("a"), rdbString("b"), rdbString("c")), 9);

/** A 6.x stream (type 15): entries 1-1 {f: v} and 2-1 {g: w}; group grp at 1-1 with 1-1 pending for consumer c. */
const STREAM_V1 = payload(concat(
  15, 1, blobString(idBytes(1, 1)),
  blobString(listpack([2, 0, 1, "f", 0, 2, 0, 0, "v", 4, 0, 1, 0, 1, "g", "w", 6])),
  2, 2, 1,
  1, rdbString("grp"), 1, 1,
  1, idBytes(1, 1), millis(1000), 3,
  1, rdbString("c"), millis(2000), 1, idBytes(1, 1),
), 9);

export const CASES: CasesByCommand = {
  DUMP: [
    {
      name: "DUMP of a missing or expired key is nil, and checks its arity",
      steps: [["DUMP", "nope"], ["SET", "k", "v", "PX", "5"], sleep(20), ["DUMP", "k"], ["DUMP"], ["DUMP", "a", "b"]],
    },
    {
      name: "DUMP of strings: raw, integer-encoded, LZF-compressed, binary",
      steps: [
        ["SET", "k", "vol"], ["DUMP", "k"], ["SET", "k", "-100"], ["DUMP", "k"], ["SET", "k", "200"], ["DUMP", "k"], ["SET", "k", "70000"], ["DUMP", "k"],
        ["SET", "k", "5000000000"], ["DUMP", "k"], ["SET", "k", "007"], ["DUMP", "k"], ["SET", "k", "a".repeat(40)], ["DUMP", "k"],
        ["SET", "k", concat(0, 255, 13, 10, "x")], ["DUMP", "k"], ["SET", "k", ""], ["DUMP", "k"],
      ],
    },
    {
      name: "DUMP of small collections: quicklist of a listpack, listpack hash, intsets, listpack sorted set, stream",
      steps: [
        ["RPUSH", "l", "1", "-5", "300", "hello", "-4097", "70000", "9223372036854775807"], ["DUMP", "l"],
        ["RPUSH", "l3", "a".repeat(30), "b".repeat(30), "c".repeat(30)], ["DUMP", "l3"],
        ["HSET", "h", "a", "1", "b", "two", "c", "-3"], ["DUMP", "h"],
        ["SADD", "s", "3", "1", "2"], ["DUMP", "s"], ["SADD", "s32", "1", "70000"], ["DUMP", "s32"], ["SADD", "s64", "1", "-9223372036854775808"], ["DUMP", "s64"],
        ["ZADD", "z", "0.1", "a", "1e20", "b", "inf", "c", "3", "d", "-2", "e"], ["DUMP", "z"],
        ["XADD", "x", "1-1", "f", "v", "g", "w"], ["XADD", "x", "1-2", "f", "x", "g", "y"], ["XADD", "x", "2-0", "h", "z"], ["DUMP", "x"],
      ],
    },
  ],
  RESTORE: [
    {
      name: "RESTORE creates the key, with a TTL in ms (0: none), and refuses an existing key without REPLACE",
      steps: [
        ["RESTORE", "k", "0", VOL], ["GET", "k"], ["TTL", "k"], ["RESTORE", "k", "0", VOL], ["SET", "other", "x"], ["RESTORE", "other", "0", VOL, "REPLACE"],
        ["GET", "other"], ["RESTORE", "t", "100000", VOL], ttl("TTL", "t"), ["RESTORE", "l", "0", LIST_ABC, "replace", "absttl"], ["LRANGE", "l", "0", "-1"],
        ["RESTORE", "gone", "1", VOL, "ABSTTL"], ["EXISTS", "gone"], ["RESTORE", "other", "1", VOL, "ABSTTL", "REPLACE"], ["EXISTS", "other"],
        ["RESTORE", "k2", "0", VOL, "IDLETIME", "10"], ["RESTORE", "k3", "0", VOL, "FREQ", "5"], ["RESTORE", "k3", "0", VOL, "REPLACE", "IDLETIME", "1", "IDLETIME", "2"],
        ["DBSIZE"],
      ],
    },
    {
      name: "RESTORE checks its options, then the key, then the TTL, then the payload, in Redis's order",
      steps: [
        ["RESTORE", "k", "0"], ["RESTORE", "k", "0", VOL, "NOPE"], ["RESTORE", "k", "0", VOL, "IDLETIME"], ["RESTORE", "k", "0", VOL, "IDLETIME", "-1"],
        ["RESTORE", "k", "0", VOL, "IDLETIME", "x"], ["RESTORE", "k", "0", VOL, "FREQ", "256"], ["RESTORE", "k", "0", VOL, "FREQ", "-1"], ["RESTORE", "k", "0", VOL, "FREQ", "1.5"],
        ["RESTORE", "k", "0", VOL, "IDLETIME", "1", "FREQ", "1"], ["RESTORE", "k", "0", VOL, "FREQ", "1", "IDLETIME", "1"], ["RESTORE", "k", "0", VOL, "FREQ"],
        ["SET", "k", "v"], ["RESTORE", "k", "0", VOL, "NOPE"], ["RESTORE", "k", "nope", "garbage"], ["RESTORE", "k", "-1", "garbage"],
        ["RESTORE", "new", "nope", "garbage"], ["RESTORE", "new", "-1", "garbage"], ["RESTORE", "new", "0", "garbage"], ["RESTORE", "new", "1.5", VOL],
        ["RESTORE", "new", "99999999999999999999", VOL], ["EXISTS", "new"],
      ],
    },
    {
      name: "RESTORE refuses a short payload, a newer version, a wrong or zero checksum",
      steps: [
        ["RESTORE", "k", "0", ""], ["RESTORE", "k", "0", "123456789"], ["RESTORE", "k", "0", payload(concat(0, rdbString("vol")), 12)],
        ["RESTORE", "k", "0", payload(concat(0, rdbString("vol")), 10, "wrong")], ["RESTORE", "k", "0", payload(concat(0, rdbString("vol")), 10, "zero")],
        ["RESTORE", "k", "0", payload(concat(0, rdbString("vol")), 1)], ["GET", "k"], ["EXISTS", "k"],
      ],
    },
    {
      name: "RESTORE refuses unknown types, module values, truncated values, lying lengths, empty and duplicate collections",
      steps: [
        ["RESTORE", "k1", "0", payload(concat(8, rdbString("x")))], ["RESTORE", "k2", "0", payload(concat(200))],
        ["RESTORE", "k3", "0", payload(concat(7, 0x81, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0x01, 2, 1, 0))],
        ["RESTORE", "k4", "0", payload(concat(1, 3, rdbString("a"), rdbString("b")))],
        ["RESTORE", "k5", "0", payload(concat(1, 0x80, 0xff, 0xff, 0xff, 0xff, rdbString("a")))],
        ["RESTORE", "k6", "0", payload(concat(0, 0x80, 0x7f, 0xff, 0xff, 0xff, "abc"))],
        ["RESTORE", "k7", "0", payload(concat(0, 0xc3, 5, 100, 1, 2, 3, 4, 5))],
        ["RESTORE", "k8", "0", payload(concat(1, 0))],
        ["RESTORE", "k9", "0", payload(concat(2, 2, rdbString("x"), rdbString("x")))],
        ["RESTORE", "k10", "0", payload(concat(10, blobString(ziplist(["a"]).map((b, i) => (i === 0 ? b + 1 : b)))))],
        ["RESTORE", "k11", "0", payload(concat(11, blobString(concat(3, 0, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0))))],
        ["RESTORE", "k12", "0", payload(concat(16, blobString(listpack(["a", 1]).map((b, i) => (i === 0 ? b + 1 : b)))))],
        ["RESTORE", "k13", "0", payload(concat(18, 1, 3, blobString(listpack(["a"]))))],
        ["RESTORE", "k14", "0", payload(concat(5, 1, rdbString("m"), float64(NaN)))],
        ["DBSIZE"],
      ],
    },
    {
      name: "RESTORE reads the encodings of older versions: linked list, ziplists, quicklist v1, zipmap, old zset, hashtable types",
      steps: [
        ["RESTORE", "l", "0", LIST_ABC], ["LRANGE", "l", "0", "-1"],
        ["RESTORE", "lz", "0", payload(concat(10, blobString(ziplist(["a", 5, "hello", 300, -2]))), 9)], ["LRANGE", "lz", "0", "-1"],
        ["RESTORE", "lq", "0", payload(concat(14, 2, blobString(ziplist(["a", "b"])), blobString(ziplist([1, 2, 12]))), 9)], ["LRANGE", "lq", "0", "-1"],
        ["RESTORE", "hm", "0", payload(concat(9, blobString(zipmap([["a", "1"], ["b", "two"]], 2))), 9)], ["HGETALL", "hm"],
        ["RESTORE", "hz", "0", payload(concat(13, blobString(ziplist(["a", 1, "b", "two"]))), 9)], ["HGETALL", "hz"],
        ["RESTORE", "zz", "0", payload(concat(12, blobString(ziplist(["c", "-inf", "a", 1, "b", "2.5"]))), 9)], ["ZRANGE", "zz", "0", "-1", "WITHSCORES"],
        ["RESTORE", "zo", "0", payload(concat(3, 3, rdbString("a"), 3, "1.5", rdbString("b"), 254, rdbString("c"), 255), 9)], ["ZRANGE", "zo", "0", "-1", "WITHSCORES"],
        ["RESTORE", "z2", "0", payload(concat(5, 2, rdbString("b"), float64(2.25), rdbString("a"), float64(-1e300)))], ["ZRANGE", "z2", "0", "-1", "WITHSCORES"],
        ["RESTORE", "s", "0", payload(concat(2, 3, rdbString("x"), rdbString("7"), rdbString("y")))], unordered("SMEMBERS", "s"),
        ["RESTORE", "si", "0", payload(concat(11, blobString(concat(2, 0, 0, 0, 3, 0, 0, 0, 0xfe, 0xff, 1, 0, 2, 0))))], ["SMEMBERS", "si"],
        ["RESTORE", "h", "0", payload(concat(4, 2, rdbString("a"), rdbString("1"), rdbString("b"), rdbString("2")))], ["HGETALL", "h"],
        ["RESTORE", "hl", "0", payload(concat(16, blobString(listpack(["a", 1, "b", "xy"]))))], ["HGETALL", "hl"], ["DUMP", "hl"],
        ["RESTORE", "x", "0", payload(concat(19, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))], ["XLEN", "x"], ["XINFO", "STREAM", "x"],
        ["TYPE", "l"], ["TYPE", "hm"], ["TYPE", "zo"], ["TYPE", "si"], ["TYPE", "x"],
      ],
    },
    {
      name: "RESTORE of a 6.x stream (v1) with a consumer group estimates the group's read counter",
      steps: [
        ["RESTORE", "x", "0", STREAM_V1], ["XRANGE", "x", "-", "+"], ["XLEN", "x"], ["XPENDING", "x", "grp"], ["XINFO", "GROUPS", "x"],
        ["XREADGROUP", "GROUP", "grp", "c", "STREAMS", "x", "0"], ["XINFO", "GROUPS", "x"],
      ],
    },
    {
      name: "RESTORE of a wrong payload over an existing key leaves it",
      steps: [
        ["SET", "k", "keep"], ["RESTORE", "k", "0", payload(concat(1, 0)), "REPLACE"], ["RESTORE", "k", "0", "junkjunkjunk", "REPLACE"], ["GET", "k"],
        ["RESTORE", "k", "-5", VOL, "REPLACE"], ["GET", "k"],
      ],
    },
  ],
};

export const METADATA_COMMANDS: readonly string[] = ["dump", "restore"];
