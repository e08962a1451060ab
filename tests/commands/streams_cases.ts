// Differential cases of the stream commands (src/commands/families/streams.ts),
// by command; run by streams_test.ts against redis-server or its recorded
// replies (tests/differential/suite.ts), with SCENARIOS of XREAD BLOCK
// served by other clients' XADDs.
//
// Ids: explicit ids are compared exactly; ids XADD makes from the clock (`*`)
// are compared by shape (timeIds), so no case depends on when it runs.
// Approximate trimming (`~`) appears only where Redis's node-wise trimming
// and Materia's exact one agree (nothing to trim, or everything: `~ 0`), see
// docs/COMPATIBILITY.md.
import { patternBytes, scanAll, sleep, timeIds, UINT64_MAX, type Arg, type CasesByCommand } from "../differential/case_types.ts";
import { call, send, read, silent, blocked, type Scenario, type ScenarioStep } from "../differential/scenario.ts";

const MAX_ID = `${UINT64_MAX}-${UINT64_MAX}`;
// Over Materia's 10,000-byte entry chunk: stored split over several engine keys.
const BIG_A = patternBytes(25_000, 7);
const BIG_B = patternBytes(10_001, 8);

/** Entries 1-1, 1-2, 2-0, 3-5 in `key`. */
const fourEntries = (key: string): Arg[][] => [
  ["XADD", key, "1-1", "a", "1"], ["XADD", key, "1-2", "b", "2"], ["XADD", key, "2-0", "c", "3"], ["XADD", key, "3-5", "d", "4"],
];

export const CASES: CasesByCommand = {
  XADD: [
    {
      name: "XADD with explicit ids: each above the last, 0-0 refused, a missing sequence is 0",
      steps: [
        ["XADD", "s", "1-1", "a", "1"], ["XADD", "s", "1-1", "a", "1"], ["XADD", "s", "1", "a", "1"], ["XADD", "s", "0-0", "a", "1"], ["XADD", "s", "0", "a", "1"],
        ["XADD", "s", "1-2", "a", "1", "b", "2"], ["XADD", "s", "2", "f", "v", "f", "v2"], ["XADD", "s", "1-5", "a", "1"], ["XLEN", "s"], ["XRANGE", "s", "-", "+"],
        ["XADD", "new", "0", "a", "1"], ["EXISTS", "new"], ["TYPE", "s"],
      ],
    },
    {
      name: "XADD <ms>-*: the next sequence of the same ms, 0 for a later ms; 0-* on a new stream is 0-1",
      steps: [
        ["XADD", "s", "0-*", "a", "1"], ["XADD", "s", "0-*", "a", "1"], ["XADD", "s", "0-5", "a", "1"], ["XADD", "s", "0-3", "a", "1"], ["XADD", "s", "5-*", "a", "1"],
        ["XADD", "s", "5-*", "a", "1"], ["XADD", "s", "4-*", "a", "1"], ["XADD", "s", `0-${UINT64_MAX}`, "a", "1"], ["XADD", "s", `5-${UINT64_MAX}`, "a", "1"],
        ["XADD", "s", "5-*", "a", "1"], ["XADD", "s", "6-*", "a", "1"], ["XRANGE", "s", "-", "+"],
      ],
    },
    {
      name: "XADD at the greatest id: the stream is exhausted for every id form",
      steps: [
        ["XADD", "s", `${UINT64_MAX}-*`, "a", "1"], ["XADD", "s", `${UINT64_MAX}-*`, "a", "1"], ["XADD", "s", MAX_ID, "a", "1"], ["XADD", "s", MAX_ID, "a", "1"],
        ["XADD", "s", "*", "a", "1"], ["XADD", "s", "1-1", "a", "1"], ["XADD", "s", `${UINT64_MAX}-*`, "a", "1"], ["XLEN", "s"], ["XRANGE", "s", "-", "+"],
        ["XADD", "t", "18446744073709551616-1", "a", "1"], ["XADD", "t", "1-18446744073709551616", "a", "1"],
      ],
    },
    {
      name: "XADD * makes ids from the clock, above the last id even when it is in the future",
      steps: [
        timeIds("XADD", "s", "*", "a", "1"), timeIds("XADD", "s", "*", "b", "2"), ["XLEN", "s"], timeIds("XRANGE", "s", "-", "+"),
        ["XADD", "f", "99999999999999-5", "a", "1"], ["XADD", "f", "*", "b", "2"], ["XADD", "f", "*", "c", "3"], ["XRANGE", "f", "-", "+"],
        timeIds("XADD", "n", "NOMKSTREAM", "*", "a", "1"), ["EXISTS", "n"], timeIds("XADD", "s", "NOMKSTREAM", "*", "c", "3"), ["XLEN", "s"],
        timeIds("XADD", "m", "MAXLEN", "1", "*", "a", "1", "b", "2"), timeIds("XADD", "m", "MAXLEN", "1", "*", "c", "3"), ["XLEN", "m"],
      ],
    },
    {
      name: "XADD ids as Redis reads them: leading zeros, signs, wraparound, junk",
      steps: [
        ["XADD", "h", "01-1", "a", "b"], ["XADD", "h", "1-02", "a", "b"], ["XADD", "h", "1-+3", "a", "b"], ["XADD", "h", "1--0", "a", "b"], ["XADD", "h", "1--01", "a", "b"],
        ["XADD", "h", "+2-0", "a", "b"], ["XADD", "h", " 3-0", "a", "b"], ["XADD", "h", "4-0 ", "a", "b"], ["XADD", "h", "-5", "a", "b"], ["XADD", "h", "5-", "a", "b"],
        ["XADD", "h", "5-1-1", "a", "b"], ["XADD", "h", "5.0", "a", "b"], ["XADD", "h", "abc", "a", "b"], ["XADD", "h", "5-x", "a", "b"], ["XADD", "h", "x-5", "a", "b"],
        ["XADD", "h", "", "a", "b"], ["XADD", "h", "-", "a", "b"], ["XADD", "h", "+", "a", "b"], ["XADD", "h", "5-**", "a", "b"], ["XADD", "h", "*-1", "a", "b"],
        ["XADD", "h", `${"1".repeat(130)}`, "a", "b"], ["XADD", "h", "9223372036854775808", "a", "b"], ["XRANGE", "h", "-", "+"],
      ],
    },
    {
      name: "XADD arity and options: odd field-value lists, MAXLEN and MINID forms, LIMIT rules, NOMKSTREAM",
      steps: [
        ["XADD", "s", "1-1", "a"], ["XADD", "s", "1-1", "a", "1", "b"], ["XADD", "s", "*", "a"], ["XADD", "s", "MAXLEN", "5", "*"], ["XADD", "s", "MAXLEN", "1", "NOMKSTREAM"],
        ["XADD", "s", "MAXLEN", "-1", "1-1", "a", "1"], ["XADD", "s", "MAXLEN", "abc", "1-1", "a", "1"], ["XADD", "s", "MAXLEN", "1.5", "1-1", "a", "1"],
        ["XADD", "s", "MAXLEN", "9223372036854775808", "1-1", "a", "1"], ["XADD", "s", "MAXLEN", "=", "1", "LIMIT", "5", "1-1", "a", "1"],
        ["XADD", "s", "LIMIT", "5", "1-1", "a", "1"], ["XADD", "s", "LIMIT", "0", "1-1", "a", "1"], ["XADD", "s", "MAXLEN", "~", "1", "LIMIT", "-1", "1-1", "a", "1"],
        ["XADD", "s", "MAXLEN", "~", "1", "LIMIT", "abc", "1-1", "a", "1"], ["XADD", "s", "MAXLEN", "1", "MINID", "1", "1-1", "a", "1"], ["XADD", "s", "MINID", "1", "MINID", "2", "1-1", "a", "1"],
        ["XADD", "s", "MAXLEN", "1", "maxlen", "1", "1-1", "a", "1"], ["XADD", "s", "MINID", "abc", "1-1", "a", "1"], ["XADD", "s", "MINID", "-", "1-1", "a", "1"], ["XADD", "s", "MINID", "+", "1-1", "a", "1"],
        ["XADD", "s", "MINID", "(5", "1-1", "a", "1"], ["XADD", "s", "MINID", "=", "1-1", "a", "1"], ["XADD", "s", "=", "1-1", "a", "1"], ["XADD", "s", "NOMKSTREAM", "NOMKSTREAM", "1-1", "a", "1"],
        ["EXISTS", "s"], ["XADD", "s", "nomkstream", "maxlen", "~", "10", "LIMIT", "5", "LIMIT", "6", "1-1", "a", "1"], ["XADD", "s", "maxlen", "5", "nomkstream", "2-1", "a", "1"],
        ["XADD", "s", "MINID", "~", "1", "LIMIT", "0", "3-1", "a", "1"], ["XADD", "s", "MAXLEN", "=", "9223372036854775807", "4-1", "a", "1"], ["XADD", "s", "0-0", "a"], ["XRANGE", "s", "-", "+"],
        ["XADD", "s"], ["XADD", "s", "1-1"], ["XADD"],
      ],
    },
    {
      name: "XADD trims by MAXLEN and MINID after adding, down to an empty stream that stays",
      steps: [
        ["XADD", "s", "1-0", "a", "1"], ["XADD", "s", "2-0", "a", "2"], ["XADD", "s", "MAXLEN", "2", "3-0", "a", "3"], ["XRANGE", "s", "-", "+"], ["XADD", "s", "MAXLEN", "=", "1", "4-0", "a", "4"],
        ["XRANGE", "s", "-", "+"], ["XADD", "s", "MAXLEN", "0", "5-0", "a", "5"], ["XLEN", "s"], ["EXISTS", "s"], ["XADD", "s", "5-0", "a", "5"], ["XADD", "s", "6-0", "a", "6"],
        ["XADD", "s", "MINID", "6", "7-0", "a", "7"], ["XRANGE", "s", "-", "+"], ["XADD", "s", "MINID", "=", "9", "8-0", "a", "8"], ["XLEN", "s"], ["XADD", "s", "MAXLEN", "~", "0", "9-0", "a", "9"],
        ["XLEN", "s"], ["XADD", "s", "MAXLEN", "~", "100", "10-0", "a", "10"], ["XADD", "s", "MINID", "~", "0", "11-0", "a", "11"], ["XRANGE", "s", "-", "+"],
        ["XADD", "z", "MAXLEN", "0", "1-1", "a", "1"], ["XLEN", "z"], ["TYPE", "z"], ["XRANGE", "z", "-", "+"],
      ],
    },
    {
      name: "XADD keeps binary fields and values, empty ones, and entries larger than one engine value",
      steps: [
        ["XADD", "b", "1-1", "", ""], ["XADD", "b", "1-2", "k\r\n\x00", "v\x00\xff"], ["XADD", "b", "1-3", "big", BIG_A, "other", BIG_B], ["XADD", "b", "1-4", BIG_B, "x"],
        ["XRANGE", "b", "-", "+"], ["XREVRANGE", "b", "+", "-", "COUNT", "2"], ["XDEL", "b", "1-3"], ["XRANGE", "b", "-", "+"], ["XADD", "b", "1-5", "big", BIG_A],
        ["XTRIM", "b", "MAXLEN", "1"], ["XRANGE", "b", "-", "+"], ["COPY", "b", "c"], ["XRANGE", "c", "-", "+"], ["XTRIM", "c", "MAXLEN", "0"], ["XRANGE", "c", "-", "+"],
      ],
    },
    {
      name: "RESP3: XADD replies the id as a bulk string, NOMKSTREAM on a missing key a null",
      resp3: true,
      steps: [["XADD", "s", "1-1", "a", "1"], ["XADD", "n", "NOMKSTREAM", "1-1", "a", "1"], ["XLEN", "s"]],
    },
  ],
  XLEN: [
    {
      name: "XLEN of missing, full and emptied streams",
      steps: [["XLEN", "s"], ...fourEntries("s"), ["XLEN", "s"], ["XDEL", "s", "1-1", "2-0"], ["XLEN", "s"], ["XTRIM", "s", "MAXLEN", "0"], ["XLEN", "s"], ["EXISTS", "s"], ["XLEN"], ["XLEN", "a", "b"]],
    },
  ],
  XRANGE: [
    {
      name: "XRANGE with - and +, ids, ms-only bounds and exclusive ( bounds",
      steps: [
        ...fourEntries("s"), ["XRANGE", "s", "-", "+"], ["XRANGE", "s", "(1-1", "+"], ["XRANGE", "s", "-", "(3-5"], ["XRANGE", "s", "(0", "(3"], ["XRANGE", "s", "1", "1"],
        ["XRANGE", "s", "2", "+"], ["XRANGE", "s", "3", "1"], ["XRANGE", "s", "(1-2", "(2-0"], ["XRANGE", "s", "1-2", "1-2"], ["XRANGE", "s", "(1-2", "1-2"], ["XRANGE", "nokey", "-", "+"],
        ["XRANGE", "s", "0-0", MAX_ID], ["XRANGE", "s", `(${UINT64_MAX}`, "+"], ["XRANGE", "s", "-", `(1-${UINT64_MAX}`],
      ],
    },
    {
      name: "XRANGE COUNT: limits, 0 and negative answer a null array on a stream, an empty one on a missing key",
      steps: [
        ...fourEntries("s"), ["XRANGE", "s", "-", "+", "COUNT", "2"], ["XRANGE", "s", "(1-1", "+", "COUNT", "1"], ["XRANGE", "s", "-", "+", "COUNT", "0"], ["XRANGE", "s", "-", "+", "COUNT", "-1"],
        ["XRANGE", "s", "-", "+", "count", "1", "COUNT", "3"], ["XRANGE", "s", "-", "+", "COUNT", "99999999999999999999"], ["XRANGE", "s", "-", "+", "COUNT", "9223372036854775807"],
        ["XRANGE", "nokey", "-", "+", "COUNT", "0"], ["XADD", "e", "MAXLEN", "0", "1-1", "a", "1"], ["XRANGE", "e", "-", "+", "COUNT", "0"], ["XRANGE", "e", "-", "+"],
      ],
    },
    {
      name: "XRANGE errors: bad ids, exclusive - or +, nothing beyond an exclusive bound, COUNT syntax",
      steps: [
        ...fourEntries("s"), ["XRANGE", "s", "(-", "+"], ["XRANGE", "s", "-", "(+"], ["XRANGE", "s", `(${MAX_ID}`, "+"], ["XRANGE", "s", "-", "(0-0"], ["XRANGE", "s", "-", "(0"],
        ["XRANGE", "s", "(", "+"], ["XRANGE", "s", "((1", "+"], ["XRANGE", "s", "1-*", "+"], ["XRANGE", "s", "x", "+"], ["XRANGE", "s", "-", "x"], ["XRANGE", "s", "-1", "+"],
        ["XRANGE", "s", "1.5", "+"], ["XRANGE", "s", "-", "+", "COUNT", "x"], ["XRANGE", "s", "-", "+", "COUNT"], ["XRANGE", "s", "-", "+", "foo"], ["XRANGE", "s", "-", "+", "COUNT", "1", "foo"],
        ["XRANGE", "nokey", "x", "+"], ["XRANGE", "s", "-"],
      ],
    },
    {
      name: "RESP3: XRANGE entries, and COUNT 0 answers _",
      resp3: true,
      steps: [["XADD", "s", "1-1", "a", "1"], ["XRANGE", "s", "-", "+"], ["XRANGE", "s", "-", "+", "COUNT", "0"], ["XREVRANGE", "s", "+", "-", "COUNT", "0"], ["XRANGE", "nokey", "-", "+"]],
    },
  ],
  XREVRANGE: [
    {
      name: "XREVRANGE takes end first and answers newest first, with COUNT and exclusive bounds",
      steps: [
        ...fourEntries("s"), ["XREVRANGE", "s", "+", "-"], ["XREVRANGE", "s", "+", "-", "COUNT", "2"], ["XREVRANGE", "s", "(3-5", "-"], ["XREVRANGE", "s", "+", "(1-1"], ["XREVRANGE", "s", "1", "3"],
        ["XREVRANGE", "s", "2", "1"], ["XREVRANGE", "nokey", "+", "-", "COUNT", "0"], ["XREVRANGE", "s", "+", "-", "COUNT", "0"], ["XREVRANGE", "s", "(+", "-"], ["XREVRANGE", "s", "+", `(${MAX_ID}`],
        ["XREVRANGE", "s", "(0-0", "-"], ["XREVRANGE", "s", "+", "-", "COUNT"],
      ],
    },
  ],
  XDEL: [
    {
      name: "XDEL removes existing ids once, checks every id first, and keeps the emptied stream",
      steps: [
        ...fourEntries("s"), ["XDEL", "s", "1-1", "1-1", "9-9"], ["XDEL", "s", "x"], ["XDEL", "s", "1-2", "+"], ["XDEL", "s", "-"], ["XDEL", "s", "1-*"], ["XLEN", "s"],
        ["XDEL", "nokey", "1-1"], ["XDEL", "nokey", "bad"], ["XDEL", "s", "2"], ["XRANGE", "s", "-", "+"], ["XDEL", "s", "1-2", "3-5"], ["XLEN", "s"], ["EXISTS", "s"],
        ["XADD", "s", "3-5", "a", "1"], ["XADD", "s", "3-6", "a", "1"], ["XRANGE", "s", "-", "+"], ["XDEL", "s"],
      ],
    },
  ],
  XTRIM: [
    {
      name: "XTRIM by MAXLEN and MINID, exact, and approximate where it trims nothing or everything",
      steps: [
        ...fourEntries("s"), ["XTRIM", "s", "MAXLEN", "3"], ["XRANGE", "s", "-", "+"], ["XTRIM", "s", "MAXLEN", "=", "5"], ["XTRIM", "s", "MINID", "3"], ["XRANGE", "s", "-", "+"],
        ["XTRIM", "s", "MINID", "=", "3-5"], ["XTRIM", "s", "MINID", "3-6"], ["XLEN", "s"], ["EXISTS", "s"], ["XTRIM", "nokey", "MAXLEN", "0"], ["EXISTS", "nokey"],
        ...fourEntries("t"), ["XTRIM", "t", "MAXLEN", "~", "10"], ["XTRIM", "t", "MAXLEN", "~", "0"], ["XLEN", "t"], ...fourEntries("u"), ["XTRIM", "u", "MINID", "~", "0"],
        ["XTRIM", "u", "MINID", "~", "99", "LIMIT", "0"], ["XLEN", "u"], ["xtrim", "u", "maxlen", "0"],
      ],
    },
    {
      name: "XTRIM syntax: a strategy is required, LIMIT only with ~, one strategy, no NOMKSTREAM",
      steps: [
        ["XADD", "s", "1-1", "a", "1"], ["XTRIM", "s", "foo", "1"], ["XTRIM", "s", "MAXLEN", "1", "LIMIT", "5"], ["XTRIM", "s", "MAXLEN", "~", "1", "LIMIT", "5", "extra"],
        ["XTRIM", "s", "MAXLEN", "-5"], ["XTRIM", "s", "MINID", "abc"], ["XTRIM", "s", "MAXLEN", "~", "1", "LIMIT", "-1"], ["XTRIM", "s", "NOMKSTREAM", "MAXLEN", "1"],
        ["XTRIM", "s", "MAXLEN", "1", "MINID", "1"], ["XTRIM", "s", "LIMIT", "1"], ["XTRIM", "s", "LIMIT", "0"], ["XTRIM", "s", "MAXLEN", "1", "MAXLEN"], ["XTRIM", "s", "MAXLEN", "1", "LIMIT"],
        ["XTRIM", "s", "MAXLEN", "x"], ["XTRIM", "s", "MINID", "+"], ["XTRIM", "s", "="], ["XTRIM", "s", "MAXLEN"], ["XTRIM", "s"], ["XLEN", "s"],
      ],
    },
  ],
  XSETID: [
    {
      name: "XSETID moves the last id, not below the last entry; ENTRIESADDED and MAXDELETEDID checks",
      steps: [
        ...fourEntries("s"), ["XDEL", "s", "1-1"], ["XSETID", "s", "1-0"], ["XSETID", "s", "3-5"], ["XSETID", "s", "2-0"], ["XSETID", "s", "10-0", "ENTRIESADDED", "1"],
        ["XSETID", "s", "10-0", "ENTRIESADDED", "-1"], ["XSETID", "s", "10-0", "ENTRIESADDED", "x"], ["XSETID", "s", "10-0", "MAXDELETEDID", "11-0"],
        ["XSETID", "s", "10-0", "MAXDELETEDID", "5-0", "ENTRIESADDED", "10"], ["XSETID", "s", "4-0"], ["XADD", "s", "4-0", "a", "1"], ["XADD", "s", "4-*", "a", "1"],
        ["XSETID", "s", "10-0", "foo"], ["XSETID", "s", "10-0", "ENTRIESADDED"], ["XSETID", "nokey", "1-1"], ["XSETID", "s", "x"], ["XSETID", "s", "+"], ["XSETID", "s", "10"],
        ["XADD", "s", "10-0", "a", "1"], ["XADD", "s", "10-*", "a", "1"], ["XRANGE", "s", "-", "+"], ["XSETID", "nokey", "x"], ["XSETID", "nokey", "1-1", "foo"], ["XSETID", "s"],
      ],
    },
    {
      name: "XSETID on an empty stream may go anywhere, even below its old last id",
      steps: [
        ["XADD", "s", "MAXLEN", "0", "5-5", "a", "1"], ["XSETID", "s", "1-1"], ["XADD", "s", "1-1", "a", "1"], ["XADD", "s", "1-*", "a", "1"], ["XDEL", "s", "1-2"], ["XSETID", "s", "0-0"],
        ["XADD", "s", "1-1", "a", "1"], ["XSETID", "s", "1-1", "ENTRIESADDED", "0"], ["XRANGE", "s", "-", "+"],
      ],
    },
  ],
  XREAD: [
    {
      name: "XREAD without BLOCK: entries after each id, COUNT per stream, $ and missing streams give a null array",
      steps: [
        ...fourEntries("s"), ["XADD", "t", "5-0", "x", "y"], ["XREAD", "STREAMS", "s", "0"], ["XREAD", "COUNT", "1", "STREAMS", "s", "t", "0", "0"], ["XREAD", "STREAMS", "t", "s", "0", "1-2"],
        ["XREAD", "STREAMS", "s", "$"], ["XREAD", "STREAMS", "nokey", "$"], ["XREAD", "STREAMS", "nokey", "0"], ["XREAD", "COUNT", "-5", "STREAMS", "s", "2"], ["XREAD", "COUNT", "0", "STREAMS", "s", "2"],
        ["XREAD", "STREAMS", "s", "3-5"], ["XREAD", "STREAMS", "s", MAX_ID], ["XREAD", "STREAMS", "s", "s", "3-4", "0"], ["xread", "count", "2", "streams", "s", "1"],
        ["XREAD", "BLOCK", "10", "COUNT", "1", "STREAMS", "s", "0"], ["XREAD", "BLOCK", "10", "STREAMS", "nokey", "$"], ["XREAD", "BLOCK", "20", "STREAMS", "s", "$"],
        ["XADD", "e", "MAXLEN", "0", "1-1", "a", "1"], ["XREAD", "STREAMS", "e", "0"], ["XREAD", "STREAMS", "e", "s", "0", "3"],
      ],
    },
    {
      name: "XREAD errors: syntax, unbalanced streams, bad ids and timeouts, GROUP and NOACK, > ; types checked in order",
      steps: [
        ...fourEntries("s"), ["SET", "str", "x"], ["XREAD", "STREAMS", "s"], ["XREAD", "STREAMS", "s", "t"], ["XREAD", "STREAMS", "s", "+"], ["XREAD", "STREAMS", "s", ">"],
        ["XREAD", "STREAMS", "s", "-"], ["XREAD", "STREAMS", "s", "1-*"], ["XREAD", "STREAMS", "s", "t", "0"], ["XREAD", "COUNT", "x", "STREAMS", "s", "0"],
        ["XREAD", "BLOCK", "-1", "STREAMS", "s", "0"], ["XREAD", "BLOCK", "x", "STREAMS", "s", "0"], ["XREAD", "BLOCK", "1.5", "STREAMS", "s", "0"], ["XREAD", "foo", "STREAMS", "s", "0"],
        ["XREAD", "COUNT", "1"], ["XREAD", "COUNT", "1", "BLOCK", "5"], ["XREAD", "GROUP", "g", "c", "STREAMS", "s", "0"], ["XREAD", "NOACK", "STREAMS", "s", "0"],
        ["XREAD", "STREAMS", "str", "0"], ["XREAD", "STREAMS", "str", "bad"], ["XREAD", "STREAMS", "s", "str", "bad", "0"], ["XREAD", "STREAMS", "s", "str", "0", "bad"],
        ["XREAD", "STREAMS", "nokey", "str", "$", "$"], ["XREAD", "BLOCK", "0", "STREAMS", "str", "$"], ["XREAD", "STREAMS", "s", "s", "0"], ["XREAD", "COUNT", "1", "COUNT", "2", "STREAMS", "s", "0"],
      ],
    },
    {
      name: "XREAD inside MULTI never blocks: BLOCK with nothing new answers a null array",
      steps: [
        ...fourEntries("s"), ["MULTI"], ["XREAD", "BLOCK", "0", "STREAMS", "s", "$"], ["XREAD", "BLOCK", "0", "STREAMS", "s", "3"], ["XADD", "s", "4-0", "e", "5"],
        ["XREAD", "BLOCK", "0", "STREAMS", "s", "3-5"], ["EXEC"],
      ],
    },
    {
      name: "RESP3: XREAD answers a map of streams, and _ when nothing",
      resp3: true,
      steps: [...fourEntries("s"), ["XADD", "t", "9-9", "x", "y"], ["XREAD", "STREAMS", "s", "t", "2", "0"], ["XREAD", "STREAMS", "s", "$"], ["XREAD", "BLOCK", "10", "STREAMS", "s", "$"]],
    },
  ],
  "wrong types": [
    {
      name: "every stream command answers WRONGTYPE on a string, a list and a hash; other commands on a stream too",
      steps: [
        ["SET", "str", "x"], ["LPUSH", "list", "x"], ["HSET", "hash", "f", "v"], ["XADD", "s", "1-1", "a", "1"],
        ...["str", "list", "hash"].flatMap((k): Arg[][] => [
          ["XADD", k, "1-1", "a", "1"], ["XADD", k, "NOMKSTREAM", "*", "a", "1"], ["XLEN", k], ["XRANGE", k, "-", "+"], ["XRANGE", k, "-", "+", "COUNT", "0"], ["XREVRANGE", k, "+", "-"],
          ["XDEL", k, "1-1"], ["XTRIM", k, "MAXLEN", "0"], ["XSETID", k, "1-1"], ["XREAD", "STREAMS", k, "0"], ["XREAD", "STREAMS", "s", k, "0", "0"],
        ]),
        ["XADD", "str", "0-0", "a", "1"], ["XDEL", "str", "bad"], ["XRANGE", "str", "bad", "+"],
        ["GET", "s"], ["LPUSH", "s", "x"], ["HGET", "s", "f"], ["SADD", "s", "m"], ["ZADD", "s", "1", "m"], ["INCR", "s"], ["GET", "str"], ["XLEN", "s"],
      ],
    },
  ],
  keyspace: [
    {
      name: "TYPE, OBJECT ENCODING, COPY, RENAME, DEL, EXISTS, SCAN TYPE and expiry cover streams",
      steps: [
        ...fourEntries("s"), ["TYPE", "s"], ["OBJECT", "ENCODING", "s"], ["COPY", "s", "c"], ["XRANGE", "c", "-", "+"], ["XADD", "c", "4-0", "e", "5"], ["XLEN", "s"], ["XLEN", "c"],
        ["RENAME", "c", "r"], ["EXISTS", "c", "r"], ["XRANGE", "r", "(3-5", "+"], ["XADD", "r", "3-0", "x", "y"], ["COPY", "r", "s"], ["COPY", "r", "s", "REPLACE"], ["XLEN", "s"],
        ["XADD", "e", "MAXLEN", "0", "1-1", "a", "1"], ["TYPE", "e"], ["COPY", "e", "e2"], ["XADD", "e2", "1-1", "a", "1"], ["XADD", "e2", "1-2", "a", "1"],
        scanAll("TYPE", "stream"), ["DEL", "r"], ["EXISTS", "r"], ["XLEN", "r"], ["UNLINK", "e"], ["DBSIZE"],
        ["PEXPIRE", "s", "50"], sleep(120), ["XLEN", "s"], ["XRANGE", "s", "-", "+"], ["EXISTS", "s"], ["XADD", "s", "1-1", "a", "1"], ["XRANGE", "s", "-", "+"], ["TTL", "s"],
        ["SELECT", "1"], ["XADD", "s", "9-9", "a", "1"], ["SELECT", "0"], ["COPY", "s", "s", "DB", "1", "REPLACE"], ["SELECT", "1"], ["XRANGE", "s", "-", "+"],
      ],
    },
  ],
};

export const METADATA_COMMANDS: readonly string[] = ["xadd", "xlen", "xrange", "xrevrange", "xdel", "xtrim", "xsetid", "xread"];

// --- scenarios with several clients: XREAD BLOCK ---

/** Client `c` sends a blocking command and the scenario waits until it is blocked (n clients blocked in all). */
const block = (c: number, n: number, ...argv: string[]): ScenarioStep[] => [send(c, ...argv), blocked(n)];

export const SCENARIOS: readonly Scenario[] = [
  {
    name: "XREAD BLOCK $: an XADD by another client serves every reader waiting on the stream",
    clients: 3,
    steps: [
      call(2, "XADD", "s", "1-1", "old", "x"), ...block(0, 1, "XREAD", "BLOCK", "0", "STREAMS", "s", "$"), ...block(1, 2, "XREAD", "BLOCK", "0", "COUNT", "5", "STREAMS", "s", "$"),
      call(2, "XADD", "s", "2-1", "new", "y"), read(0), read(1), call(2, "XLEN", "s"),
    ],
  },
  {
    name: "XREAD BLOCK on a missing stream: $ is 0-0, the first XADD serves it, entries after the id only",
    clients: 2,
    steps: [
      ...block(0, 1, "XREAD", "BLOCK", "0", "STREAMS", "s", "$"), call(1, "XADD", "s", "0-1", "a", "1"), read(0),
      ...block(0, 1, "XREAD", "BLOCK", "0", "STREAMS", "s", "5-0"), call(1, "XADD", "s", "3-0", "b", "2"), silent(0), call(1, "XADD", "s", "5-1", "c", "3"), read(0),
    ],
  },
  {
    name: "XREAD BLOCK on several streams is answered with the stream written, alone",
    clients: 2,
    steps: [
      call(1, "XADD", "a", "1-1", "f", "v"), ...block(0, 1, "XREAD", "BLOCK", "0", "STREAMS", "a", "b", "$", "$"), call(1, "XADD", "b", "7-7", "g", "w"), read(0),
      ...block(0, 1, "XREAD", "BLOCK", "0", "COUNT", "1", "STREAMS", "a", "b", "1-1", "7-7"), call(1, "XADD", "a", "2-1", "f", "v2"), read(0),
    ],
  },
  {
    name: "XREAD BLOCK keeps waiting through writes that add nothing after its id: XDEL, XTRIM, XSETID, another key",
    clients: 2,
    steps: [
      call(1, "XADD", "s", "1-1", "a", "1"), call(1, "XADD", "s", "2-1", "a", "2"), ...block(0, 1, "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
      call(1, "XDEL", "s", "1-1"), call(1, "XTRIM", "s", "MAXLEN", "0"), call(1, "XSETID", "s", "9-9"), call(1, "XADD", "other", "1-1", "a", "1"), silent(0), blocked(1),
      call(1, "XADD", "s", "10-0", "late", "x"), read(0),
    ],
  },
  {
    name: "XREAD BLOCK times out with a null array; BLOCK with entries already there answers at once",
    clients: 2,
    steps: [
      send(0, "XREAD", "BLOCK", "100", "STREAMS", "s", "$"), read(0, [80, 2_000]), call(1, "XADD", "s", "1-1", "a", "1"),
      send(0, "XREAD", "BLOCK", "5000", "STREAMS", "s", "0"), read(0, [0, 1_000]),
    ],
  },
  {
    name: "XREAD BLOCK on a key that becomes another type stays blocked, and is served once it is a stream again",
    clients: 2,
    steps: [
      ...block(0, 1, "XREAD", "BLOCK", "0", "STREAMS", "s", "$"), call(1, "SET", "s", "x"), silent(0), call(1, "DEL", "s"), call(1, "LPUSH", "s", "y"), silent(0), blocked(1),
      call(1, "DEL", "s"), call(1, "XADD", "s", "1-1", "a", "1"), read(0),
    ],
  },
  {
    name: "XREAD BLOCK with COUNT: a woken reader gets at most COUNT of the new entries; readers of one stream are served in blocking order",
    clients: 3,
    steps: [
      ...block(0, 1, "XREAD", "BLOCK", "0", "COUNT", "1", "STREAMS", "s", "$"), ...block(1, 2, "XREAD", "BLOCK", "0", "COUNT", "2", "STREAMS", "s", "0-0"),
      call(2, "MULTI"), call(2, "XADD", "s", "1-1", "a", "1"), call(2, "XADD", "s", "1-2", "b", "2"), call(2, "XADD", "s", "1-3", "c", "3"), call(2, "EXEC"), read(0), read(1),
    ],
  },
  {
    name: "XREAD BLOCK and a MULTI that adds an entry and deletes it again: the reader is answered an empty list of entries",
    clients: 2,
    steps: [
      call(1, "XADD", "s", "1-1", "a", "1"), ...block(0, 1, "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
      call(1, "MULTI"), call(1, "XADD", "s", "2-1", "b", "2"), call(1, "XDEL", "s", "2-1"), call(1, "EXEC"), read(0),
      ...block(0, 1, "XREAD", "BLOCK", "0", "STREAMS", "s", "2-1"), call(1, "XSETID", "s", "5-0"), call(1, "XADD", "s", "MAXLEN", "0", "6-0", "c", "3"), read(0),
    ],
  },
  {
    name: "XREAD BLOCK and a MULTI of XADDs: the reader sees every entry of the transaction",
    clients: 2,
    steps: [
      ...block(0, 1, "XREAD", "BLOCK", "0", "STREAMS", "s", "$"), call(1, "MULTI"), call(1, "XADD", "s", "1-1", "a", "1"), call(1, "XADD", "s", "1-2", "b", "2"), call(1, "EXEC"), read(0),
    ],
  },
];
