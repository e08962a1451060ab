// Differential cases of the sorted-set commands (src/commands/families/sorted_sets.ts),
// by command; run by sorted_sets_test.ts against redis-server or its recorded
// replies (tests/differential/suite.ts). Lex ranges use sets of one score
// (mixed scores are unspecified in Redis). ZRANDMEMBER cases take the whole
// set or a one-member set. ZRANK/ZREVRANK WITHSCORE is Redis 7.2
// (sorted_sets_test.ts tests it).
import { bin, INT64_MAX, INT64_MIN, scanAll, sleep, ttl, unordered, type Arg, type CasesByCommand, type CommandStep } from "../differential/case_types.ts";

const BINARY = bin("m\r\n\x00\xff");
const zscan = (key: Arg, ...options: Arg[]): CommandStep => ({ argv: ["ZSCAN", key, "0", ...options], compare: "scan" });
const LETTERS = ["a", "b", "c", "d", "e", "f", "g"];
const LEX: Arg[] = ["ZADD", "lex", ...LETTERS.flatMap((m) => ["0", m])];
const SCORES: Arg[] = ["ZADD", "z", "1", "one", "2", "two", "3", "three", "-inf", "low", "+inf", "high", "2", "deux", "0.1", "tenth"];
const MANY: Arg[] = ["ZADD", "many", ...Array.from({ length: 200 }, (_, i) => [String((i * 37) % 101), `m${i}`]).flat()];

export const CASES: CasesByCommand = {
  ZADD: [
    {
      name: "ZADD adds and updates members; ZSCORE and ZCARD read them; scores print as %.17g",
      steps: [
        ["ZADD", "z", "1", "a", "2", "b"], ["ZADD", "z", "3", "a", "1", "c"], ["ZCARD", "z"], ["ZSCORE", "z", "a"], ["ZSCORE", "z", "nope"], ["ZSCORE", "nokey", "a"],
        ["ZADD", "z", "0.1", "d", "1e20", "e", "-2.5e-7", "f", "123456789012345678", "g", "-0", "h", "inf", "i", "-inf", "j", "0x10", "k"],
        ["ZRANGE", "z", "0", "-1", "WITHSCORES"], ["TYPE", "z"], ["ZADD", "z", "1", "a", "1", "a", "2", "a"], ["ZSCORE", "z", "a"], ["ZADD", "z", "5", ""], ["ZSCORE", "z", ""],
        ["ZADD", "z", "7", BINARY], ["ZSCORE", "z", BINARY], ["ZCARD", "z"], ["ZADD", "z", "1.0", "x", "+3", "y", ".5", "w", "5.", "v"], ["ZRANGE", "z", "0", "4", "WITHSCORES"],
      ],
    },
    {
      name: "ZADD NX, XX, GT, LT and CH choose which changes apply and what is counted",
      steps: [
        ["ZADD", "z", "1", "a", "2", "b"], ["ZADD", "z", "NX", "5", "a", "3", "c"], ["ZADD", "z", "XX", "5", "a", "4", "d"], ["ZADD", "z", "XX", "CH", "6", "a", "4", "d"],
        ["ZADD", "z", "CH", "6", "a", "7", "b", "1", "e"], ["ZADD", "z", "GT", "CH", "1", "a", "10", "b", "2", "f"], ["ZADD", "z", "LT", "CH", "1", "a", "100", "b"],
        ["ZADD", "z", "GT", "LT", "1", "a"], ["ZADD", "z", "NX", "GT", "1", "a"], ["ZADD", "z", "NX", "LT", "1", "a"], ["ZADD", "z", "NX", "XX", "1", "a"], ["ZADD", "z", "xx", "gt", "ch", "50", "b"],
        ["ZRANGE", "z", "0", "-1", "WITHSCORES"], ["ZADD", "nokey", "XX", "1", "a"], ["EXISTS", "nokey"], ["ZADD", "z", "ch", "nx", "xx", "1", "a"],
      ],
    },
    {
      name: "ZADD INCR returns the new score, nil when a condition refuses, and NaN is an error",
      steps: [
        ["ZADD", "z", "INCR", "1.5", "a"], ["ZADD", "z", "INCR", "1.5", "a"], ["ZADD", "z", "NX", "INCR", "1", "a"], ["ZADD", "z", "XX", "INCR", "1", "b"], ["ZADD", "z", "GT", "INCR", "-1", "a"],
        ["ZADD", "z", "LT", "INCR", "-1", "a"], ["ZADD", "z", "INCR", "1", "a", "2", "b"], ["ZADD", "z", "INCR", "inf", "a"], ["ZADD", "z", "INCR", "-inf", "a"], ["ZSCORE", "z", "a"],
        ["ZADD", "nokey", "XX", "INCR", "1", "a"], ["EXISTS", "nokey"],
      ],
    },
    {
      name: "ZADD checks its scores and its pairs",
      steps: [
        ["ZADD", "z", "x", "a"], ["ZADD", "z", "nan", "a"], ["ZADD", "z", "1", "a", "2"], ["ZADD", "z", "1e400", "a"], ["ZADD", "z", "1e-400", "a"], ["ZADD", "z", " 1", "a"],
        ["ZADD", "z", "1 ", "a"], ["ZADD", "z", "", "a"], ["ZADD", "z", "1", "a", "y", "b"], ["EXISTS", "z"], ["ZADD", "z", "NX"], ["ZADD", "z", "NX", "1"], ["ZADD", "z", "INCR", "1"],
        ["ZADD", "z", "inf", "a", "-Infinity", "b", "+INF", "c"], ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
      ],
    },
  ],
  ZINCRBY: [
    {
      name: "ZINCRBY creates, adds and checks its increment",
      steps: [
        ["ZINCRBY", "z", "2", "a"], ["ZINCRBY", "z", "0.1", "a"], ["ZINCRBY", "z", "-5", "b"], ["ZRANGE", "z", "0", "-1", "WITHSCORES"], ["ZINCRBY", "z", "x", "a"],
        ["ZINCRBY", "z", "nan", "a"], ["ZINCRBY", "z", "inf", "a"], ["ZINCRBY", "z", "-inf", "a"], ["ZSCORE", "z", "a"], ["ZINCRBY", "z", "", "a"],
      ],
    },
  ],
  ZMSCORE: [
    {
      name: "ZMSCORE answers a score or nil per member",
      steps: [["ZADD", "z", "1", "a", "2.5", "b"], ["ZMSCORE", "z", "a", "nope", "b", "a"], ["ZMSCORE", "nokey", "a", "b"]],
    },
  ],
  ZREM: [
    {
      name: "ZREM counts removed members and deletes the key with its last member",
      steps: [
        ["ZADD", "z", "1", "a", "2", "b", "3", "c"], ["ZREM", "z", "a", "a", "zz"], ["ZCARD", "z"], ["ZRANGE", "z", "0", "-1"], ["ZREM", "z", "b", "c"], ["EXISTS", "z"],
        ["ZREM", "nokey", "a"], ["ZADD", "z", "1", "n"], ["EXPIRE", "z", "100"], ["ZADD", "z", "2", "m"], ["ZREM", "z", "n"], ttl("TTL", "z"),
      ],
    },
  ],
  ZRANK: [
    {
      name: "ZRANK and ZREVRANK give ranks by score then member",
      steps: [
        SCORES, ["ZRANK", "z", "low"], ["ZRANK", "z", "tenth"], ["ZRANK", "z", "deux"], ["ZRANK", "z", "two"], ["ZRANK", "z", "high"], ["ZREVRANK", "z", "high"],
        ["ZREVRANK", "z", "low"], ["ZREVRANK", "z", "two"], ["ZRANK", "z", "nope"], ["ZREVRANK", "z", "nope"], ["ZRANK", "nokey", "a"], ["ZREVRANK", "nokey", "a"],
        MANY, ["ZRANK", "many", "m0"], ["ZRANK", "many", "m199"], ["ZREVRANK", "many", "m100"], ["ZRANK", "many", "m57"],
      ],
    },
  ],
  ZCOUNT: [
    {
      name: "ZCOUNT counts a score range with inclusive, exclusive and infinite bounds",
      steps: [
        SCORES, ["ZCOUNT", "z", "-inf", "+inf"], ["ZCOUNT", "z", "1", "2"], ["ZCOUNT", "z", "(1", "2"], ["ZCOUNT", "z", "1", "(2"], ["ZCOUNT", "z", "(1", "(2"], ["ZCOUNT", "z", "2", "1"],
        ["ZCOUNT", "z", "(2", "2"], ["ZCOUNT", "z", "-inf", "(-inf"], ["ZCOUNT", "z", "inf", "inf"], ["ZCOUNT", "z", "x", "1"], ["ZCOUNT", "z", "1", "(x"], ["ZCOUNT", "z", "nan", "1"],
        ["ZCOUNT", "z", "", "1"], ["ZCOUNT", "z", "(", "3"], ["ZCOUNT", "z", " 1", "1e400"], ["ZCOUNT", "nokey", "0", "1"], MANY, ["ZCOUNT", "many", "10", "50"], ["ZCOUNT", "many", "(10", "(50"],
      ],
    },
  ],
  ZLEXCOUNT: [
    {
      name: "ZLEXCOUNT counts a member range of a one-score set",
      steps: [
        LEX, ["ZLEXCOUNT", "lex", "-", "+"], ["ZLEXCOUNT", "lex", "[b", "[d"], ["ZLEXCOUNT", "lex", "(b", "(d"], ["ZLEXCOUNT", "lex", "[d", "[b"], ["ZLEXCOUNT", "lex", "+", "-"],
        ["ZLEXCOUNT", "lex", "(a", "+"], ["ZLEXCOUNT", "lex", "[aa", "[c"], ["ZLEXCOUNT", "lex", "b", "c"], ["ZLEXCOUNT", "lex", "[a", "x"], ["ZLEXCOUNT", "lex", "--", "+"],
        ["ZLEXCOUNT", "nokey", "-", "+"], ["ZLEXCOUNT", "lex", "[", "(zz"],
      ],
    },
  ],
  ZRANGE: [
    {
      name: "ZRANGE by index: negative indexes, out of range, REV and WITHSCORES",
      steps: [
        SCORES, ["ZRANGE", "z", "0", "-1"], ["ZRANGE", "z", "0", "-1", "WITHSCORES"], ["ZRANGE", "z", "2", "3"], ["ZRANGE", "z", "-2", "-1"], ["ZRANGE", "z", "-100", "1"],
        ["ZRANGE", "z", "5", "100"], ["ZRANGE", "z", "3", "1"], ["ZRANGE", "z", "100", "200"], ["ZRANGE", "z", "0", "1", "REV"], ["ZRANGE", "z", "1", "3", "REV", "WITHSCORES"],
        ["ZRANGE", "z", INT64_MIN, INT64_MAX], ["ZRANGE", "z", "a", "1"], ["ZRANGE", "z", "0", "1.5"], ["ZRANGE", "nokey", "0", "-1"], ["ZRANGE", "z", "0", "1", "WITHSCORES", "WITHSCORES"],
        MANY, ["ZRANGE", "many", "100", "104", "WITHSCORES"], ["ZRANGE", "many", "150", "155", "REV"], ["ZRANGE", "many", "-3", "-1"],
      ],
    },
    {
      name: "ZRANGE BYSCORE and BYLEX, with REV and LIMIT",
      steps: [
        SCORES, ["ZRANGE", "z", "1", "3", "BYSCORE"], ["ZRANGE", "z", "(1", "3", "BYSCORE", "WITHSCORES"], ["ZRANGE", "z", "3", "1", "BYSCORE", "REV"], ["ZRANGE", "z", "1", "3", "BYSCORE", "REV"],
        ["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "3"], ["ZRANGE", "z", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "2", "2", "WITHSCORES"], ["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "0", "-1"],
        ["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "2"], ["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "100", "2"], ["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "2", "0"],
        LEX, ["ZRANGE", "lex", "[b", "(e", "BYLEX"], ["ZRANGE", "lex", "(e", "[b", "BYLEX", "REV"], ["ZRANGE", "lex", "-", "+", "BYLEX", "LIMIT", "2", "3"], ["ZRANGE", "lex", "+", "-", "BYLEX", "REV", "LIMIT", "1", "2"],
        ["ZRANGE", "lex", "-", "+", "BYLEX", "WITHSCORES"], ["ZRANGE", "z", "0", "-1", "LIMIT", "0", "1"], ["ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX"], ["ZRANGE", "z", "0", "1", "REV", "REV"],
        ["ZRANGE", "z", "0", "1", "LIMIT", "0"], ["ZRANGE", "z", "0", "1", "BYSCORE", "LIMIT", "x", "1"], ["ZRANGE", "z", "x", "1", "BYSCORE"], ["ZRANGE", "lex", "a", "b", "BYLEX"], ["ZRANGE", "z", "0", "1", "FOO"],
        MANY, ["ZRANGE", "many", "10", "20", "BYSCORE", "LIMIT", "5", "4", "WITHSCORES"], ["ZRANGE", "many", "20", "10", "BYSCORE", "REV", "LIMIT", "3", "5"],
      ],
    },
    {
      name: "sorted-set replies in RESP3: doubles, pairs, nulls",
      resp3: true,
      steps: [
        ["ZADD", "z", "1", "a", "2.5", "b", "inf", "c"], ["ZSCORE", "z", "b"], ["ZSCORE", "z", "nope"], ["ZMSCORE", "z", "a", "nope"], ["ZINCRBY", "z", "1", "a"], ["ZADD", "z", "INCR", "1", "a"],
        ["ZADD", "z", "NX", "INCR", "1", "a"], ["ZRANGE", "z", "0", "-1", "WITHSCORES"], ["ZRANGE", "z", "0", "-1"], ["ZRANGEBYSCORE", "z", "-inf", "+inf", "WITHSCORES"], ["ZPOPMIN", "z"], ["ZPOPMAX", "z", "1"],
        ["ZADD", "z", "1", "a"], ["ZMPOP", "1", "z", "MIN"], ["ZMPOP", "1", "z", "MIN"], ["ZRANK", "z", "b"], ["ZADD", "y", "1", "a"], ["ZUNION", "2", "y", "z", "WITHSCORES"], ["ZRANDMEMBER", "y", "1", "WITHSCORES"],
        zscan("y"), ["ZPOPMIN", "nokey"], ["ZPOPMIN", "nokey", "2"],
      ],
    },
  ],
  ZREVRANGE: [
    {
      name: "ZREVRANGE by index from the highest score",
      steps: [SCORES, ["ZREVRANGE", "z", "0", "-1"], ["ZREVRANGE", "z", "0", "2", "WITHSCORES"], ["ZREVRANGE", "z", "-2", "-1"], ["ZREVRANGE", "z", "0", "1", "LIMIT", "0", "1"], ["ZREVRANGE", "z", "0", "1", "BYSCORE"], ["ZREVRANGE", "nokey", "0", "1"]],
    },
  ],
  ZRANGEBYSCORE: [
    {
      name: "ZRANGEBYSCORE with WITHSCORES and LIMIT in either order",
      steps: [
        SCORES, ["ZRANGEBYSCORE", "z", "-inf", "+inf"], ["ZRANGEBYSCORE", "z", "(1", "+inf", "WITHSCORES"], ["ZRANGEBYSCORE", "z", "1", "3", "LIMIT", "1", "2"], ["ZRANGEBYSCORE", "z", "1", "3", "LIMIT", "1", "2", "WITHSCORES"],
        ["ZRANGEBYSCORE", "z", "1", "3", "WITHSCORES", "LIMIT", "0", "1"], ["ZRANGEBYSCORE", "z", "3", "1"], ["ZRANGEBYSCORE", "z", "1", "3", "LIMIT", "1"], ["ZRANGEBYSCORE", "z", "1", "3", "REV"], ["ZRANGEBYSCORE", "z", "1", "3", "BYSCORE"],
        ["ZRANGEBYSCORE", "z", "a", "3"], ["ZRANGEBYSCORE", "nokey", "1", "3"],
      ],
    },
  ],
  ZREVRANGEBYSCORE: [
    {
      name: "ZREVRANGEBYSCORE takes max then min",
      steps: [SCORES, ["ZREVRANGEBYSCORE", "z", "+inf", "-inf"], ["ZREVRANGEBYSCORE", "z", "3", "(1", "WITHSCORES"], ["ZREVRANGEBYSCORE", "z", "3", "1", "LIMIT", "1", "2"], ["ZREVRANGEBYSCORE", "z", "1", "3"]],
    },
  ],
  ZRANGEBYLEX: [
    {
      name: "ZRANGEBYLEX and ZREVRANGEBYLEX over a one-score set",
      steps: [
        LEX, ["ZRANGEBYLEX", "lex", "-", "+"], ["ZRANGEBYLEX", "lex", "[b", "[d"], ["ZRANGEBYLEX", "lex", "(b", "+", "LIMIT", "1", "2"], ["ZRANGEBYLEX", "lex", "-", "+", "WITHSCORES"],
        ["ZRANGEBYLEX", "lex", "b", "d"], ["ZRANGEBYLEX", "nokey", "-", "+"], ["ZADD", "bin", "0", "a", "0", "a\x00", "0", "a\x00b", "0", "ab"], ["ZRANGEBYLEX", "bin", "(a", "+"], ["ZRANGEBYLEX", "bin", "[a\x00", "(ab"],
      ],
    },
  ],
  ZREVRANGEBYLEX: [
    {
      name: "ZREVRANGEBYLEX takes max then min",
      steps: [LEX, ["ZREVRANGEBYLEX", "lex", "+", "-"], ["ZREVRANGEBYLEX", "lex", "[d", "(a", "LIMIT", "1", "2"], ["ZREVRANGEBYLEX", "lex", "-", "+"]],
    },
  ],
  ZRANGESTORE: [
    {
      name: "ZRANGESTORE stores a range, replacing the destination; an empty range deletes it",
      steps: [
        SCORES, ["ZRANGESTORE", "d", "z", "0", "2"], ["ZRANGE", "d", "0", "-1", "WITHSCORES"], ["SET", "s", "x"], ["ZRANGESTORE", "s", "z", "1", "3", "BYSCORE", "LIMIT", "1", "1"], ["ZRANGE", "s", "0", "-1", "WITHSCORES"],
        ["ZRANGESTORE", "d", "z", "100", "200"], ["EXISTS", "d"], ["ZRANGESTORE", "d", "nokey", "0", "-1"], ["ZRANGESTORE", "d", "z", "0", "-1", "WITHSCORES"], ["ZRANGESTORE", "d", "z", "(3", "(1", "BYSCORE", "REV"],
        ["ZRANGE", "d", "0", "-1"], ["ZRANGESTORE", "z", "z", "0", "0"], ["ZRANGE", "z", "0", "-1", "WITHSCORES"], ["ZRANGESTORE", "d", "s", "0", "-1"], ["SET", "str", "x"], ["ZRANGESTORE", "d", "str", "0", "-1"],
      ],
    },
  ],
  ZREMRANGEBYRANK: [
    {
      name: "ZREMRANGEBYRANK removes by index",
      steps: [
        SCORES, ["ZREMRANGEBYRANK", "z", "1", "2"], ["ZRANGE", "z", "0", "-1"], ["ZREMRANGEBYRANK", "z", "-2", "-1"], ["ZRANGE", "z", "0", "-1"], ["ZREMRANGEBYRANK", "z", "5", "10"], ["ZREMRANGEBYRANK", "z", "x", "1"],
        ["ZREMRANGEBYRANK", "z", "0", "-1"], ["EXISTS", "z"], ["ZREMRANGEBYRANK", "nokey", "0", "-1"], MANY, ["ZREMRANGEBYRANK", "many", "20", "150"], ["ZCARD", "many"], ["ZRANGE", "many", "15", "25"], ["ZRANK", "many", "m3"],
      ],
    },
  ],
  ZREMRANGEBYSCORE: [
    {
      name: "ZREMRANGEBYSCORE removes a score range",
      steps: [
        SCORES, ["ZREMRANGEBYSCORE", "z", "(1", "2"], ["ZRANGE", "z", "0", "-1"], ["ZREMRANGEBYSCORE", "z", "x", "1"], ["ZREMRANGEBYSCORE", "z", "5", "1"], ["ZREMRANGEBYSCORE", "z", "-inf", "+inf"],
        ["EXISTS", "z"], MANY, ["ZREMRANGEBYSCORE", "many", "10", "60"], ["ZCARD", "many"], ["ZRANGE", "many", "0", "5", "WITHSCORES"], ["ZCOUNT", "many", "-inf", "+inf"], ["ZRANK", "many", "m199"],
      ],
    },
  ],
  ZREMRANGEBYLEX: [
    {
      name: "ZREMRANGEBYLEX removes a member range",
      steps: [LEX, ["ZREMRANGEBYLEX", "lex", "[b", "(d"], ["ZRANGE", "lex", "0", "-1"], ["ZREMRANGEBYLEX", "lex", "b", "d"], ["ZREMRANGEBYLEX", "lex", "-", "+"], ["EXISTS", "lex"], ["ZREMRANGEBYLEX", "nokey", "-", "+"]],
    },
  ],
  ZPOPMIN: [
    {
      name: "ZPOPMIN and ZPOPMAX pop by score, with and without a count",
      steps: [
        SCORES, ["ZPOPMIN", "z"], ["ZPOPMAX", "z"], ["ZPOPMIN", "z", "2"], ["ZPOPMAX", "z", "0"], ["ZPOPMAX", "z", "10"], ["EXISTS", "z"], ["ZPOPMIN", "z"], ["ZPOPMIN", "nokey", "3"],
        ["ZPOPMIN", "z", "-1"], ["ZPOPMIN", "z", "x"], ["ZPOPMIN", "z", "1", "2"], MANY, ["ZPOPMIN", "many", "3"], ["ZPOPMAX", "many", "3"], ["ZCARD", "many"], ["ZRANK", "many", "m1"],
      ],
    },
  ],
  ZPOPMAX: [
    {
      name: "ZPOPMAX on a missing key and with a count of 1",
      steps: [["ZPOPMAX", "nokey"], ["ZADD", "z", "1", "a", "2", "b"], ["ZPOPMAX", "z", "1"], ["ZPOPMAX", "z"], ["EXISTS", "z"]],
    },
  ],
  ZMPOP: [
    {
      name: "ZMPOP pops from the first non-empty key and checks its arguments",
      steps: [
        ["ZADD", "b", "1", "x", "2", "y", "3", "z"], ["ZMPOP", "2", "a", "b", "MIN"], ["ZMPOP", "2", "a", "b", "MAX", "COUNT", "5"], ["EXISTS", "b"], ["ZMPOP", "2", "a", "b", "MIN"],
        ["ZMPOP", "0", "a", "MIN"], ["ZMPOP", "3", "a", "b", "MIN"], ["ZMPOP", "1", "a", "FOO"], ["ZMPOP", "1", "a", "MIN", "COUNT", "0"], ["ZMPOP", "1", "a", "MIN", "COUNT", "-1"], ["ZMPOP", "1", "a", "MIN", "COUNT"],
        ["ZMPOP", "1", "a", "MIN", "COUNT", "1", "COUNT", "2"], ["ZMPOP", "x", "a", "MIN"], ["SET", "s", "v"], ["ZMPOP", "1", "s", "MIN"], ["ZADD", "c", "1", "q"], ["ZMPOP", "2", "c", "s", "min"],
        // numkeys beyond the arguments: a syntax error, whether the keys eat the direction or not.
        ["ZMPOP", "5", "a", "MIN"], ["ZMPOP", "2", "a", "MIN"], ["ZMPOP", "2", "a", "b"], ["ZMPOP", "9223372036854775807", "a", "MIN"],
      ],
    },
  ],
  ZRANDMEMBER: [
    {
      name: "ZRANDMEMBER on a one-member set, and with counts that take the whole set",
      steps: [
        ["ZADD", "one", "1.5", "x"], ["ZRANDMEMBER", "one"], ["ZRANDMEMBER", "one", "1"], ["ZRANDMEMBER", "one", "3", "WITHSCORES"], ["ZRANDMEMBER", "one", "-3"], ["ZRANDMEMBER", "one", "-2", "WITHSCORES"],
        ["ZRANDMEMBER", "one", "0"], ["ZRANDMEMBER", "nokey"], ["ZRANDMEMBER", "nokey", "5"], ["ZRANDMEMBER", "one", "x"], ["ZRANDMEMBER", "one", "1", "FOO"], ["ZRANDMEMBER", "one", INT64_MIN],
        ["ZRANDMEMBER", "one", INT64_MAX, "WITHSCORES"], ["ZADD", "z", "1", "a", "2", "b", "3", "c"], unordered("ZRANDMEMBER", "z", "10"),
      ],
    },
  ],
  ZSCAN: [
    {
      name: "ZSCAN iterates members with their scores as text",
      steps: [SCORES, zscan("z"), zscan("z", "MATCH", "t*"), zscan("z", "COUNT", "2"), ["ZSCAN", "nokey", "0"], ["ZSCAN", "z", "x"], MANY, zscan("many", "COUNT", "7")],
    },
  ],
  ZUNION: [
    {
      name: "ZUNION with WEIGHTS, AGGREGATE and set inputs (score 1)",
      steps: [
        ["ZADD", "a", "1", "x", "2", "y", "3", "z"], ["ZADD", "b", "10", "y", "20", "z", "30", "w"], ["SADD", "s", "x", "w", "v"],
        ["ZUNION", "2", "a", "b"], ["ZUNION", "2", "a", "b", "WITHSCORES"], ["ZUNION", "2", "a", "b", "WEIGHTS", "2", "0.5", "WITHSCORES"], ["ZUNION", "2", "a", "b", "AGGREGATE", "MIN", "WITHSCORES"],
        ["ZUNION", "2", "a", "b", "AGGREGATE", "max", "WITHSCORES"], ["ZUNION", "3", "a", "b", "s", "WITHSCORES"], ["ZUNION", "2", "a", "nokey", "WITHSCORES"], ["ZUNION", "1", "a", "WEIGHTS", "1", "2"],
        ["ZUNION", "2", "a", "b", "WEIGHTS", "1"], ["ZUNION", "1", "a", "WEIGHTS", "x"], ["ZUNION", "1", "a", "AGGREGATE", "FOO"], ["ZUNION", "0", "a"], ["ZUNION", "3", "a", "b"], ["ZUNION", "x", "a"],
        ["ZADD", "i", "inf", "p"], ["ZADD", "j", "-inf", "p"], ["ZUNION", "2", "i", "j", "WITHSCORES"], ["ZUNION", "1", "i", "WEIGHTS", "0", "WITHSCORES"],
      ],
    },
  ],
  ZINTER: [
    {
      name: "ZINTER with WEIGHTS, AGGREGATE and set inputs",
      steps: [
        ["ZADD", "a", "1", "x", "2", "y", "3", "z"], ["ZADD", "b", "10", "y", "20", "z", "30", "w"], ["SADD", "s", "y", "w"],
        ["ZINTER", "2", "a", "b", "WITHSCORES"], ["ZINTER", "2", "a", "b", "WEIGHTS", "3", "-1", "WITHSCORES"], ["ZINTER", "2", "a", "b", "AGGREGATE", "MAX", "WITHSCORES"], ["ZINTER", "3", "a", "b", "s", "WITHSCORES"],
        ["ZINTER", "2", "a", "nokey"], ["ZINTER", "1", "a"], ["ZINTER", "2", "a"],
      ],
    },
  ],
  ZDIFF: [
    {
      name: "ZDIFF keeps the first set's members found in no other",
      steps: [
        ["ZADD", "a", "1", "x", "2", "y", "3", "z"], ["ZADD", "b", "10", "y"], ["SADD", "s", "z"], ["ZDIFF", "2", "a", "b", "WITHSCORES"], ["ZDIFF", "3", "a", "b", "s"], ["ZDIFF", "2", "nokey", "a"],
        ["ZDIFF", "1", "a", "WEIGHTS", "1"], ["ZDIFF", "1", "a", "AGGREGATE", "SUM"],
      ],
    },
  ],
  ZUNIONSTORE: [
    {
      name: "ZUNIONSTORE, ZINTERSTORE and ZDIFFSTORE replace the destination; an empty result deletes it",
      steps: [
        ["ZADD", "a", "1", "x", "2", "y"], ["ZADD", "b", "3", "y", "4", "w"], ["SET", "d", "old"], ["EXPIRE", "d", "100"], ["ZUNIONSTORE", "d", "2", "a", "b"], ["ZRANGE", "d", "0", "-1", "WITHSCORES"], ["TTL", "d"],
        ["ZINTERSTORE", "d", "2", "a", "b", "WEIGHTS", "2", "3"], ["ZRANGE", "d", "0", "-1", "WITHSCORES"], ["ZDIFFSTORE", "d", "2", "a", "b"], ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
        ["ZINTERSTORE", "d", "2", "a", "nokey"], ["EXISTS", "d"], ["ZUNIONSTORE", "a", "2", "a", "b", "AGGREGATE", "MAX"], ["ZRANGE", "a", "0", "-1", "WITHSCORES"], ["ZRANK", "a", "w"],
        ["ZUNIONSTORE", "d", "0", "a"], ["ZUNIONSTORE", "d", "1", "a", "WITHSCORES"], ["ZDIFFSTORE", "d", "0", "a"], ["ZINTERSTORE", "d", "1", "a", "WEIGHTS"],
      ],
    },
  ],
  ZINTERCARD: [
    {
      name: "ZINTERCARD counts the intersection, up to LIMIT",
      steps: [
        ["ZADD", "a", "1", "x", "2", "y", "3", "z"], ["ZADD", "b", "1", "y", "2", "z"], ["SADD", "s", "z"], ["ZINTERCARD", "2", "a", "b"], ["ZINTERCARD", "2", "a", "b", "LIMIT", "1"],
        ["ZINTERCARD", "2", "a", "b", "LIMIT", "0"], ["ZINTERCARD", "3", "a", "b", "s"], ["ZINTERCARD", "2", "a", "nokey"], ["ZINTERCARD", "0", "a"], ["ZINTERCARD", "3", "a", "b"],
        ["ZINTERCARD", "1", "a", "LIMIT", "-1"], ["ZINTERCARD", "1", "a", "LIMIT"], ["ZINTERCARD", "1", "a", "FOO", "1"],
      ],
    },
  ],
  "arity": [
    {
      name: "sorted-set commands check their arity",
      steps: [
        ["ZADD", "z"], ["ZADD", "z", "1"], ["ZINCRBY", "z", "1"], ["ZCARD"], ["ZSCORE", "z"], ["ZMSCORE", "z"], ["ZREM", "z"], ["ZCOUNT", "z", "1"], ["ZLEXCOUNT", "z", "-"],
        ["ZRANK", "z"], ["ZREVRANK", "z"], ["ZRANGE", "z", "0"], ["ZRANGEBYSCORE", "z", "0"], ["ZRANGESTORE", "d", "z", "0"], ["ZREMRANGEBYRANK", "z", "0"], ["ZPOPMIN"], ["ZMPOP", "1", "z"],
        ["ZRANDMEMBER"], ["ZSCAN", "z"], ["ZUNION", "1"], ["ZUNIONSTORE", "d", "1"], ["ZINTERCARD", "1"], ["ZDIFF", "1"],
      ],
    },
  ],
  "wrong types": [
    {
      name: "every sorted-set command answers WRONGTYPE on a string, a list and a hash",
      steps: [
        ["SET", "str", "x"], ["LPUSH", "list", "x"], ["HSET", "hash", "f", "v"], ["ZADD", "z", "1", "a"],
        ...["str", "list", "hash"].flatMap((k): Arg[][] => [
          ["ZADD", k, "1", "a"], ["ZINCRBY", k, "1", "a"], ["ZCARD", k], ["ZSCORE", k, "a"], ["ZMSCORE", k, "a"], ["ZREM", k, "a"], ["ZRANK", k, "a"], ["ZREVRANK", k, "a"],
          ["ZCOUNT", k, "0", "1"], ["ZLEXCOUNT", k, "-", "+"], ["ZRANGE", k, "0", "-1"], ["ZRANGEBYSCORE", k, "0", "1"], ["ZRANGEBYLEX", k, "-", "+"], ["ZRANGESTORE", "d", k, "0", "-1"],
          ["ZREMRANGEBYRANK", k, "0", "1"], ["ZREMRANGEBYSCORE", k, "0", "1"], ["ZREMRANGEBYLEX", k, "-", "+"], ["ZPOPMIN", k], ["ZPOPMAX", k, "2"], ["ZMPOP", "1", k, "MIN"],
          ["ZRANDMEMBER", k], ["ZRANDMEMBER", k, "2"], ["ZSCAN", k, "0"], ["ZUNION", "2", "z", k], ["ZINTER", "2", "nokey", k], ["ZDIFF", "2", "z", k], ["ZINTERCARD", "2", "z", k],
          ["ZUNIONSTORE", "d", "2", "z", k], ["ZINTERSTORE", "d", "2", k, "z"], ["ZDIFFSTORE", "d", "2", "nokey", k],
        ]),
        ["GET", "str"], ["LLEN", "list"], ["HLEN", "hash"], ["ZRANGE", "z", "0", "-1"], ["EXISTS", "d"],
      ],
    },
  ],
  "keyspace": [
    {
      name: "TYPE, OBJECT ENCODING, COPY, RENAME, DEL and expiry cover sorted sets",
      steps: [
        ["ZADD", "z", "1", "a", "2", "b", "3", "c"], ["TYPE", "z"], ["OBJECT", "ENCODING", "z"], ["COPY", "z", "c"], ["ZRANGE", "c", "0", "-1", "WITHSCORES"], ["ZRANK", "c", "c"],
        ["ZADD", "c", "0", "d"], ["ZRANGE", "z", "0", "-1"], ["RENAME", "c", "r"], ["ZRANGE", "r", "0", "-1", "WITHSCORES"], ["ZREVRANK", "r", "d"], ["EXISTS", "c"], ["DEL", "r"], ["ZCARD", "r"],
        ["ZADD", "r", "5", "q"], ["ZRANGE", "r", "0", "-1", "WITHSCORES"], ["PEXPIRE", "z", "50"], sleep(120), ["ZCARD", "z"], ["ZRANGE", "z", "0", "-1"], ["ZADD", "z", "9", "n"], ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
        ["TTL", "z"], scanAll("TYPE", "zset"), ["DBSIZE"],
      ],
    },
  ],
};

export const METADATA_COMMANDS: readonly string[] = [
  "zadd", "zincrby", "zcard", "zscore", "zmscore", "zrem", "zcount", "zlexcount", "zrange", "zrevrange", "zrangebyscore", "zrevrangebyscore", "zrangebylex", "zrevrangebylex",
  "zrangestore", "zremrangebyrank", "zremrangebyscore", "zremrangebylex", "zpopmin", "zpopmax", "zmpop", "zrandmember", "zscan", "zunion", "zinter", "zdiff", "zunionstore",
  "zinterstore", "zdiffstore", "zintercard",
];
