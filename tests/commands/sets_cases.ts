// Differential cases of the set commands (src/commands/families/sets.ts), by
// command; run by sets_test.ts against redis-server or its recorded replies
// (tests/differential/suite.ts). Redis leaves the order of SMEMBERS, SINTER,
// SUNION, SDIFF unspecified: those steps compare unordered. SRANDMEMBER and SPOP
// are random: cases use one-member sets or counts that take the whole set;
// partial pops are covered by tests/model/sets_test.ts.
import { bin, INT64_MAX, INT64_MIN, scanKey, sleep, ttl, unordered, type Arg, type CasesByCommand } from "../differential/case_types.ts";

const BINARY = bin("m\r\n\x00\xff");
const MANY: Arg[] = Array.from({ length: 60 }, (_, i) => `m:${i}`);
const INTS: Arg[] = Array.from({ length: 30 }, (_, i) => String(i * 7));

export const CASES: CasesByCommand = {
  SADD: [
    {
      name: "SADD creates a set and counts new members; SCARD and SISMEMBER read it",
      steps: [
        ["SADD", "s", "a", "b", "c"], ["SADD", "s", "a", "d", "d"], ["SCARD", "s"], ["SCARD", "nokey"], ["SISMEMBER", "s", "a"], ["SISMEMBER", "s", "z"],
        ["SISMEMBER", "nokey", "a"], ["TYPE", "s"], ["EXISTS", "s"], unordered("SMEMBERS", "s"), ["SMEMBERS", "nokey"], ["SADD", "s", ""],
        ["SISMEMBER", "s", ""], ["SCARD", "s"], ["SADD", "s", BINARY], ["SISMEMBER", "s", BINARY], ["SISMEMBER", "s", "m\r\n"],
      ],
    },
  ],
  SREM: [
    {
      name: "SREM counts removed members and deletes the set with its last member",
      steps: [
        ["SADD", "s", "a", "b", "c"], ["SREM", "s", "a", "a", "zz"], ["SCARD", "s"], ["SREM", "s", "b", "c"], ["EXISTS", "s"], ["TYPE", "s"],
        ["SCARD", "s"], ["SMEMBERS", "s"], ["DBSIZE"], ["SREM", "nokey", "a"], ["SADD", "s", "n"], ["SMEMBERS", "s"],
      ],
    },
    {
      name: "SREM keeps the TTL while members remain; SADD keeps it too",
      steps: [
        ["SADD", "s", "a", "b"], ["EXPIRE", "s", "100"], ["SREM", "s", "a"], ttl("TTL", "s"), ["SADD", "s", "c"], ttl("TTL", "s"), ["SREM", "s", "b", "c"],
        ["TTL", "s"], ["SADD", "s", "d"], ["TTL", "s"],
      ],
    },
  ],
  SMISMEMBER: [
    {
      name: "SMISMEMBER answers one flag per value",
      steps: [["SADD", "s", "a", "b"], ["SMISMEMBER", "s", "a", "z", "b", "a"], ["SMISMEMBER", "nokey", "a", "b"], ["SMISMEMBER", "s", ""]],
    },
  ],
  SMEMBERS: [
    {
      name: "SMEMBERS, SINTER, SUNION and SDIFF are sets in RESP3; SMISMEMBER and SRANDMEMBER stay arrays",
      resp3: true,
      steps: [
        ["SADD", "s", "a"], ["SMEMBERS", "s"], ["SMEMBERS", "nokey"], ["SINTER", "s"], ["SUNION", "s", "nokey"], ["SDIFF", "s"], ["SINTER", "nokey"],
        ["SMISMEMBER", "s", "a", "b"], ["SISMEMBER", "s", "a"], ["SRANDMEMBER", "s", "2"], ["SRANDMEMBER", "s", "-2"], ["SRANDMEMBER", "nokey", "2"],
        ["SRANDMEMBER", "s"], ["SRANDMEMBER", "nokey"], ["SPOP", "nokey", "2"], ["SPOP", "s", "0"], ["SPOP", "nokey"], ["SPOP", "s", "1"],
        ["SADD", "s2", "a", "b", "c"], unordered("SMEMBERS", "s2"), unordered("SPOP", "s2", "5"), ["EXISTS", "s2"],
      ],
    },
  ],
  SRANDMEMBER: [
    {
      name: "SRANDMEMBER on a one-member set, and with counts that take the whole set",
      steps: [
        ["SADD", "one", "x"], ["SRANDMEMBER", "one"], ["SRANDMEMBER", "one", "1"], ["SRANDMEMBER", "one", "3"], ["SRANDMEMBER", "one", "-3"],
        ["SRANDMEMBER", "one", "0"], ["SRANDMEMBER", "one", INT64_MAX], ["SRANDMEMBER", "nokey"], ["SRANDMEMBER", "nokey", "-5"], ["SRANDMEMBER", "nokey", "0"],
        ["SADD", "s", ...MANY], unordered("SRANDMEMBER", "s", "60"), unordered("SRANDMEMBER", "s", "1000"), ["SCARD", "s"],
        ["SADD", "ints", ...INTS], unordered("SRANDMEMBER", "ints", "30"),
      ],
    },
    {
      name: "SRANDMEMBER checks its count",
      steps: [
        ["SADD", "s", "a"], ["SRANDMEMBER", "s", "x"], ["SRANDMEMBER", "s", "1.0"], ["SRANDMEMBER", "s", INT64_MIN], ["SRANDMEMBER", "s", "9223372036854775808"],
        ["SRANDMEMBER", "s", "1", "2"], ["SRANDMEMBER", "nokey", "x"], ["SRANDMEMBER", "s", ""],
      ],
    },
  ],
  SPOP: [
    {
      name: "SPOP removes members: the set shrinks by the count and goes when empty",
      steps: [
        ["SADD", "one", "x"], ["SPOP", "one"], ["EXISTS", "one"], ["SPOP", "one"], ["SADD", "one", "x"], ["SPOP", "one", "1"], ["EXISTS", "one"],
        ["SADD", "s", ...MANY], ["SPOP", "s", "0"], ["SCARD", "s"], unordered("SPOP", "s", "60"), ["EXISTS", "s"], ["SPOP", "nokey"], ["SPOP", "nokey", "3"],
        ["SADD", "t", "a", "b", "c"], unordered("SPOP", "t", "3"), ["EXISTS", "t"], ["SADD", "t", "a", "b"], unordered("SPOP", "t", INT64_MAX), ["DBSIZE"],
      ],
    },
    {
      name: "SPOP checks its count before the key",
      steps: [
        ["SADD", "s", "a"], ["SPOP", "s", "-1"], ["SPOP", "s", "x"], ["SPOP", "s", "1.5"], ["SPOP", "s", "9223372036854775808"], ["SPOP", "s", "1", "2"],
        ["SPOP", "nokey", "-1"], ["SET", "str", "x"], ["SPOP", "str", "-1"], ["SCARD", "s"],
      ],
    },
  ],
  SMOVE: [
    {
      name: "SMOVE and SPOP keep the TTL of what remains; an emptied set is gone",
      steps: [
        ["SADD", "s", "a", "b", "c"], ["EXPIRE", "s", "100"], ["SMOVE", "s", "t", "a"], ttl("TTL", "s"), ["TTL", "t"], ["SPOP", "s", "0"],
        ["SREM", "s", "c"], ttl("TTL", "s"), ["SPOP", "s"], ["TTL", "s"], ["EXISTS", "s"],
      ],
    },
    {
      name: "SMOVE moves a member, creates the destination, and deletes an emptied source",
      steps: [
        ["SADD", "src", "a", "b"], ["SADD", "dst", "b", "c"], ["SMOVE", "src", "dst", "a"], unordered("SMEMBERS", "src"), unordered("SMEMBERS", "dst"),
        ["SMOVE", "src", "dst", "b"], ["EXISTS", "src"], ["SCARD", "dst"], ["SMOVE", "dst", "new", "c"], ["SMEMBERS", "new"], ["TYPE", "new"],
        ["SMOVE", "dst", "new", "zz"], ["SMOVE", "nokey", "new", "a"], ["SMOVE", "dst", "dst", "a"], ["SMOVE", "dst", "dst", "zz"], ["SCARD", "dst"],
        ["SET", "str", "x"], ["SMOVE", "nokey", "str", "a"], ["SMOVE", "dst", "str", "zz"], ["SMOVE", "str", "str", "a"], ["SCARD", "dst"],
      ],
    },
  ],
  SSCAN: [
    {
      name: "SSCAN iterates over every member, with MATCH and COUNT",
      steps: [
        ["SADD", "s", ...MANY, "other", BINARY], scanKey("SSCAN", "s"), scanKey("SSCAN", "s", "COUNT", "4"), scanKey("SSCAN", "s", "MATCH", "m:1*"),
        scanKey("SSCAN", "s", "MATCH", "m:?", "COUNT", "9"), scanKey("SSCAN", "s", "MATCH", "nomatch"), scanKey("SSCAN", "nokey"),
        ["SADD", "small", "a"], ["SSCAN", "small", "0"], ["SSCAN", "small", "0", "MATCH", "b"], ["SADD", "ints", ...INTS], scanKey("SSCAN", "ints", "COUNT", "5"),
      ],
    },
    {
      name: "SSCAN checks the cursor first, then the key, then the options (NOVALUES is for HSCAN only)",
      steps: [
        ["SADD", "s", "a"], ["SET", "str", "x"], ["SSCAN", "s", "x"], ["SSCAN", "nokey", "x"], ["SSCAN", "s", "0", "COUNT", "0"], ["SSCAN", "s", "0", "COUNT", "x"],
        ["SSCAN", "s", "0", "MATCH"], ["SSCAN", "s", "0", "NOVALUES"], ["SSCAN", "s", "0", "TYPE", "set"], ["SSCAN", "nokey", "0", "COUNT", "0"],
        ["SSCAN", "nokey", "9"], ["SSCAN", "str", "0", "COUNT", "0"],
      ],
    },
  ],
  SINTER: [
    {
      name: "SINTER, SUNION and SDIFF treat missing keys as empty sets",
      steps: [
        ["SADD", "a", "1", "2", "3", "4"], ["SADD", "b", "2", "3", "5"], ["SADD", "c", "3", "4", "5", "6"],
        unordered("SINTER", "a", "b"), unordered("SINTER", "a", "b", "c"), unordered("SINTER", "a"), ["SINTER", "a", "nokey"], ["SINTER", "nokey", "a"],
        unordered("SINTER", "a", "a"), unordered("SUNION", "a", "b", "c"), unordered("SUNION", "nokey", "b"), ["SUNION", "nokey"],
        unordered("SDIFF", "a", "b"), unordered("SDIFF", "a", "b", "c"), unordered("SDIFF", "c", "nokey"), ["SDIFF", "nokey", "a"], ["SDIFF", "a", "a"],
        unordered("SDIFF", "a", "nokey", "b"),
      ],
    },
  ],
  SINTERCARD: [
    {
      name: "SINTERCARD counts the intersection up to LIMIT",
      steps: [
        ["SADD", "a", "1", "2", "3", "4"], ["SADD", "b", "2", "3", "4", "5"], ["SINTERCARD", "2", "a", "b"], ["SINTERCARD", "1", "a"],
        ["SINTERCARD", "2", "a", "b", "LIMIT", "2"], ["SINTERCARD", "2", "a", "b", "limit", "0"], ["SINTERCARD", "2", "a", "b", "LIMIT", "100"],
        ["SINTERCARD", "2", "a", "nokey"], ["SINTERCARD", "1", "nokey"], ["SINTERCARD", "2", "a", "b", "LIMIT", "1", "LIMIT", "3"],
        ["SINTERCARD", "2", "a", "b", "LIMIT", INT64_MAX],
      ],
    },
    {
      name: "SINTERCARD checks numkeys, then LIMIT and stray options",
      steps: [
        ["SADD", "a", "1"], ["SINTERCARD", "0", "a"], ["SINTERCARD", "-1", "a"], ["SINTERCARD", "x", "a"], ["SINTERCARD", "9223372036854775808", "a"],
        ["SINTERCARD", "2", "a"], ["SINTERCARD", "3", "a", "b"], ["SINTERCARD", "1", "a", "LIMIT"], ["SINTERCARD", "1", "a", "LIMIT", "-1"],
        ["SINTERCARD", "1", "a", "LIMIT", "x"], ["SINTERCARD", "1", "a", "FOO", "1"], ["SINTERCARD", "1", "a", "b"], ["SINTERCARD", "1", "nokey", "b"],
      ],
    },
  ],
  SINTERSTORE: [
    {
      name: "SINTERSTORE, SUNIONSTORE and SDIFFSTORE replace the destination and reply its size",
      steps: [
        ["SADD", "a", "1", "2", "3"], ["SADD", "b", "2", "3", "4"], ["SINTERSTORE", "d", "a", "b"], unordered("SMEMBERS", "d"),
        ["SUNIONSTORE", "d", "a", "b"], ["SCARD", "d"], unordered("SMEMBERS", "d"), ["SDIFFSTORE", "d", "a", "b"], ["SMEMBERS", "d"],
        ["SET", "str", "x"], ["EXPIRE", "str", "100"], ["SUNIONSTORE", "str", "a"], ["TYPE", "str"], ["TTL", "str"], ["SCARD", "str"],
        ["HSET", "h", "f", "v"], ["SINTERSTORE", "h", "a", "b"], ["TYPE", "h"], ["EXPIRE", "d", "100"], ["SDIFFSTORE", "d", "b", "a"], ["TTL", "d"],
        ["SINTERSTORE", "a", "a", "b"], unordered("SMEMBERS", "a"), ["SUNIONSTORE", "b", "b", "nokey"], unordered("SMEMBERS", "b"),
      ],
    },
    {
      name: "a *STORE with an empty result deletes the destination and replies 0",
      steps: [
        ["SADD", "a", "1"], ["SADD", "b", "2"], ["SET", "d", "x"], ["SINTERSTORE", "d", "a", "b"], ["EXISTS", "d"], ["SET", "d", "x"],
        ["SINTERSTORE", "d", "a", "nokey"], ["EXISTS", "d"], ["SET", "d", "x"], ["SDIFFSTORE", "d", "a", "a"], ["EXISTS", "d"], ["SET", "d", "x"],
        ["SUNIONSTORE", "d", "nokey"], ["EXISTS", "d"], ["SDIFFSTORE", "d", "nokey", "a"], ["EXISTS", "d"], ["SINTERSTORE", "nokey2", "nokey"], ["DBSIZE"],
      ],
    },
  ],
  "arity": [
    {
      name: "set commands check their arity",
      steps: [
        ["SADD"], ["SADD", "s"], ["SREM", "s"], ["SCARD"], ["SCARD", "a", "b"], ["SISMEMBER", "s"], ["SISMEMBER", "s", "a", "b"], ["SMISMEMBER", "s"],
        ["SMEMBERS"], ["SMEMBERS", "a", "b"], ["SRANDMEMBER"], ["SPOP"], ["SMOVE", "a", "b"], ["SMOVE", "a", "b", "c", "d"], ["SSCAN", "s"],
        ["SINTER"], ["SUNION"], ["SDIFF"], ["SINTERSTORE", "d"], ["SUNIONSTORE", "d"], ["SDIFFSTORE", "d"], ["SINTERCARD"], ["SINTERCARD", "1"],
      ],
    },
  ],
  "wrong types": [
    {
      name: "every set command answers WRONGTYPE on a string, a list and a hash",
      steps: [
        ["SET", "str", "x"], ["LPUSH", "list", "x"], ["HSET", "hash", "f", "v"], ["SADD", "s", "a"],
        ...["str", "list", "hash"].flatMap((k): Arg[][] => [
          ["SADD", k, "a"], ["SREM", k, "a"], ["SCARD", k], ["SISMEMBER", k, "a"], ["SMISMEMBER", k, "a"], ["SMEMBERS", k], ["SRANDMEMBER", k],
          ["SRANDMEMBER", k, "2"], ["SPOP", k], ["SPOP", k, "1"], ["SMOVE", k, "s", "a"], ["SMOVE", "s", k, "a"], ["SMOVE", "s", k, "zz"],
          ["SSCAN", k, "0"], ["SINTER", "s", k], ["SINTER", "nokey", k], ["SUNION", k, "s"], ["SDIFF", "s", k], ["SDIFF", "nokey", k],
          ["SINTERCARD", "2", "s", k], ["SINTERCARD", "2", "nokey", k], ["SINTERSTORE", "d", "s", k], ["SUNIONSTORE", "d", k], ["SDIFFSTORE", "d", "nokey", k],
        ]),
        ["GET", "str"], ["LLEN", "list"], ["HLEN", "hash"], ["SMEMBERS", "s"], ["EXISTS", "d"],
      ],
    },
  ],
  "expiry": [
    {
      name: "an expired set is gone for every set command, and SADD starts a new one",
      steps: [
        ["SADD", "s", "a", "b"], ["SADD", "t", "a"], ["PEXPIRE", "s", "50"], sleep(120), ["SCARD", "s"], ["SISMEMBER", "s", "a"], ["SMEMBERS", "s"],
        ["SINTER", "t", "s"], ["SUNION", "s", "t"], ["SRANDMEMBER", "s"], ["SPOP", "s"], ["SMOVE", "s", "t", "a"], ["SADD", "s", "c"], ["SMEMBERS", "s"],
        ["TTL", "s"],
      ],
    },
  ],
};

export const METADATA_COMMANDS: readonly string[] = [
  "sadd", "srem", "scard", "sismember", "smismember", "smembers", "srandmember", "spop", "smove", "sscan", "sinter", "sintercard", "sinterstore", "sunion", "sunionstore", "sdiff", "sdiffstore",
];
