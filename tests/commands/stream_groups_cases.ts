// Differential cases of the stream consumer-group commands
// (src/commands/families/stream_groups.ts: XGROUP, XREADGROUP, XACK,
// XPENDING, XCLAIM, XAUTOCLAIM, XINFO), by command; run by
// stream_groups_test.ts against redis-server or its recorded replies
// (tests/differential/suite.ts), with SCENARIOS of XREADGROUP BLOCK served
// by other clients. streams_cases.ts holds the commands without groups.
//
// Ids are explicit throughout, so replies are compared exactly except for
// times.
//
// Times: idle times, delivery times and seen-times come from the clock, so
// replies holding them (XPENDING's extended form, XINFO) are compared with
// `streamTimes` (compare.ts maskStreamTimes: rounded to 10 s). Streams stay
// under 100 entries, one radix-tree node in Redis, whose XINFO STREAM
// radix-tree-keys and radix-tree-nodes Materia reproduces. Behaviour that depends on idle times is made deterministic
// by contrast, not by sleeping: an entry is made old with XCLAIM ... IDLE
// 100000 (or TIME 1000), fresh ones are milliseconds old, and filters use
// 50000 ms, far from both.
import { sleep, streamTimes, UINT64_MAX, type Arg, type CasesByCommand } from "../differential/case_types.ts";
import { call, send, read, silent, blocked, type Scenario, type ScenarioStep } from "../differential/scenario.ts";

const MAX_ID = `${UINT64_MAX}-${UINT64_MAX}`;
/** An idle time far above any case's run time, and a filter far from both it and zero. */
const OLD_MS = "100000";
const MIN_IDLE = "50000";


/** Entries 1-1, 1-2, 2-0, 3-5 in `key`. */
const fourEntries = (key: string): Arg[][] => [
  ["XADD", key, "1-1", "a", "1"], ["XADD", key, "1-2", "b", "2"], ["XADD", key, "2-0", "c", "3"], ["XADD", key, "3-5", "d", "4"],
];

/** Four entries in `key`, group `g` at 0, and consumer `alice` holding 1-1 and 1-2, `bob` holding 2-0 and 3-5. */
const twoConsumers = (key: string): Arg[][] => [
  ...fourEntries(key), ["XGROUP", "CREATE", key, "g", "0"],
  ["XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", key, ">"], ["XREADGROUP", "GROUP", "g", "bob", "STREAMS", key, ">"],
];

export const CASES: CasesByCommand = {
  XGROUP: [
    {
      name: "XGROUP alone, unknown subcommands and subcommands with the wrong number of arguments",
      steps: [
        ...fourEntries("s"), ["XGROUP"], ["XGROUP", "FOO"], ["XGROUP", "FOO", "s", "g"], ["XGROUP", "CREATE", "s"], ["XGROUP", "CREATE", "s", "g"],
        ["XGROUP", "CREATE", "s", "g", "0", "MKSTREAM", "MKSTREAM", "ENTRIESREAD", "1", "MKSTREAM"], ["XGROUP", "SETID", "s", "g"], ["XGROUP", "DESTROY", "s"],
        ["XGROUP", "DESTROY", "s", "g", "x"], ["XGROUP", "CREATECONSUMER", "s", "g"], ["XGROUP", "CREATECONSUMER", "s", "g", "c", "d"],
        ["XGROUP", "DELCONSUMER", "s", "g"], ["XGROUP", "DELCONSUMER", "s", "g", "c", "d"], ["XGROUP", "HELP", "x"], ["xgroup", "destroy", "s"],
      ],
    },
  ],
  "XGROUP CREATE": [
    {
      name: "XGROUP CREATE at 0, at $, at an id and at a ms alone; BUSYGROUP for a name taken; groups listed by name",
      steps: [
        ...fourEntries("s"), ["XGROUP", "CREATE", "s", "g1", "0"], ["XGROUP", "CREATE", "s", "g1", "$"], ["XGROUP", "CREATE", "s", "g1", "0", "MKSTREAM"],
        ["XGROUP", "CREATE", "s", "b-group", "$"], ["XGROUP", "CREATE", "s", "a-group", "1-2"], ["XGROUP", "CREATE", "s", "c", "2"], ["XGROUP", "CREATE", "s", "future", "99-0"],
        ["xgroup", "create", "s", "G1", "0-0"], ["XGROUP", "CREATE", "s", "", "0"], ["XINFO", "GROUPS", "s"], streamTimes("XINFO", "STREAM", "s"),
        ["XREADGROUP", "GROUP", "a-group", "c", "STREAMS", "s", ">"], ["XREADGROUP", "GROUP", "future", "c", "STREAMS", "s", ">"], ["XREADGROUP", "GROUP", "", "c", "COUNT", "1", "STREAMS", "s", ">"],
      ],
    },
    {
      name: "XGROUP CREATE needs the key unless MKSTREAM, which makes an empty stream; $ on a missing key is 0-0",
      steps: [
        ["XGROUP", "CREATE", "s", "g", "$"], ["XGROUP", "CREATE", "s", "g", "0"], ["EXISTS", "s"], ["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"], ["TYPE", "s"], ["XLEN", "s"],
        ["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"], ["XINFO", "GROUPS", "s"], ["XGROUP", "CREATE", "t", "g", "5-5", "mkstream"], ["XINFO", "GROUPS", "t"],
        ["XADD", "t", "1-1", "a", "1"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "t", ">"], ["XADD", "t", "6-0", "a", "2"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "t", ">"],
        ["XGROUP", "CREATE", "u", "g", "0", "ENTRIESREAD", "3", "MKSTREAM"], ["XINFO", "GROUPS", "u"], ["XGROUP", "CREATE", "v", "g", "bad", "MKSTREAM"], ["EXISTS", "v"],
        ["DEL", "s"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"], ["DBSIZE"],
      ],
    },
    {
      name: "XGROUP CREATE ENTRIESREAD sets the group's read counter, from which XINFO GROUPS reckons the lag",
      steps: [
        ...fourEntries("s"), ["XGROUP", "CREATE", "s", "g0", "0", "ENTRIESREAD", "0"], ["XGROUP", "CREATE", "s", "g2", "1-2", "ENTRIESREAD", "2"],
        ["XGROUP", "CREATE", "s", "gm", "0", "ENTRIESREAD", "-1"], ["XGROUP", "CREATE", "s", "gbig", "$", "ENTRIESREAD", "10"], ["XGROUP", "CREATE", "s", "gnone", "1-2"],
        ["XGROUP", "CREATE", "s", "gend", "$"], ["XINFO", "GROUPS", "s"], ["XREADGROUP", "GROUP", "g2", "c", "COUNT", "1", "STREAMS", "s", ">"],
        ["XREADGROUP", "GROUP", "gnone", "c", "COUNT", "1", "STREAMS", "s", ">"], ["XINFO", "GROUPS", "s"],
        ["XGROUP", "CREATE", "s", "e1", "0", "ENTRIESREAD", "-2"], ["XGROUP", "CREATE", "s", "e2", "0", "ENTRIESREAD", "x"], ["XGROUP", "CREATE", "s", "e3", "0", "ENTRIESREAD", "1.5"],
        ["XGROUP", "CREATE", "s", "e4", "0", "ENTRIESREAD"], ["XGROUP", "CREATE", "s", "e5", "0", "ENTRIESREAD", "9223372036854775808"],
        ["XGROUP", "CREATE", "s", "e6", "0", "ENTRIESREAD", "1", "ENTRIESREAD", "2"], ["XINFO", "GROUPS", "s"],
      ],
    },
    {
      name: "XGROUP CREATE errors: bad ids, unknown options, wrong types, options checked before the key",
      steps: [
        ...fourEntries("s"), ["SET", "str", "x"], ["XGROUP", "CREATE", "s", "g", "x"], ["XGROUP", "CREATE", "s", "g", ">"], ["XGROUP", "CREATE", "s", "g", "-"],
        ["XGROUP", "CREATE", "s", "g", "+"], ["XGROUP", "CREATE", "s", "g", "1-*"], ["XGROUP", "CREATE", "s", "g", "(1"], ["XGROUP", "CREATE", "s", "g", "-1"],
        ["XGROUP", "CREATE", "s", "g", "0", "FOO"], ["XGROUP", "CREATE", "nokey", "g", "0", "FOO"], ["XGROUP", "CREATE", "nokey", "g", "0", "ENTRIESREAD", "-5"],
        ["XGROUP", "CREATE", "s", "g", "0", "ENTRIESREAD", "-5", "FOO"], ["XGROUP", "CREATE", "str", "g", "0"], ["XGROUP", "CREATE", "str", "g", "$", "MKSTREAM"],
        ["XGROUP", "CREATE", "str", "g", "0", "FOO"], ["XGROUP", "CREATE", "nokey", "g", "bad"], ["XGROUP", "CREATE", "nokey", "g", "bad", "MKSTREAM"],
        ["XGROUP", "CREATE", "s", "g", MAX_ID], ["XGROUP", "CREATE", "s", "h", `${UINT64_MAX}0`], ["XGROUP", "CREATE", "s", "g", "0"], ["XINFO", "GROUPS", "s"], ["GET", "str"],
      ],
    },
  ],
  "XGROUP SETID": [
    {
      name: "XGROUP SETID moves the group's last id back or forward, to $, -, + or past the end; XREADGROUP > follows it",
      steps: [
        ...fourEntries("s"), ["XGROUP", "CREATE", "s", "g", "$"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"], ["XGROUP", "SETID", "s", "g", "1-1"],
        ["XINFO", "GROUPS", "s"], ["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"], ["XGROUP", "SETID", "s", "g", "$"], ["XINFO", "GROUPS", "s"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"], ["XGROUP", "SETID", "s", "g", "-"], ["XINFO", "GROUPS", "s"], ["XGROUP", "SETID", "s", "g", "+"],
        ["XINFO", "GROUPS", "s"], ["XADD", "s", "9-9", "e", "5"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"], ["XGROUP", "SETID", "s", "g", "5"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"], ["XGROUP", "SETID", "s", "g", "100-0"], ["XINFO", "GROUPS", "s"], ["XADD", "s", "50-0", "f", "6"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"], ["XGROUP", "SETID", "s", "g", "0"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"],
        ["XPENDING", "s", "g"], ["xgroup", "setid", "s", "g", "0-0"], ["XINFO", "GROUPS", "s"],
      ],
    },
    {
      name: "XGROUP SETID ENTRIESREAD sets the read counter; without it the counter is unknown (null) until Redis can reckon it",
      steps: [
        ...fourEntries("s"), ["XGROUP", "CREATE", "s", "g", "0", "ENTRIESREAD", "0"], ["XGROUP", "SETID", "s", "g", "1-2", "ENTRIESREAD", "2"], ["XINFO", "GROUPS", "s"],
        ["XGROUP", "SETID", "s", "g", "1-1"], ["XINFO", "GROUPS", "s"], ["XGROUP", "SETID", "s", "g", "$"], ["XINFO", "GROUPS", "s"], ["XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "-1"],
        ["XINFO", "GROUPS", "s"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"], ["XINFO", "GROUPS", "s"], ["XGROUP", "SETID", "s", "g", "2", "ENTRIESREAD", "7"],
        ["XINFO", "GROUPS", "s"], ["XGROUP", "SETID", "s", "g", "2", "ENTRIESREAD", "-3"], ["XGROUP", "SETID", "s", "g", "2", "ENTRIESREAD", "x"],
        ["XGROUP", "SETID", "s", "g", "2", "ENTRIESREAD"], ["XGROUP", "SETID", "s", "g", "2", "MKSTREAM"], ["XGROUP", "SETID", "s", "g", "2", "ENTRIESREAD", "1", "ENTRIESREAD", "2"],
        ["XGROUP", "SETID", "s", "g", "2", "FOO", "1"], ["XINFO", "GROUPS", "s"],
      ],
    },
    {
      name: "XGROUP SETID errors: missing key, missing group (NOGROUP), bad ids, wrong type, options before the key",
      steps: [
        ...fourEntries("s"), ["SET", "str", "x"], ["XGROUP", "SETID", "nokey", "g", "0"], ["XGROUP", "SETID", "s", "nog", "0"], ["XGROUP", "SETID", "s", "nog", "bad"],
        ["XGROUP", "CREATE", "s", "g", "0"], ["XGROUP", "SETID", "s", "g", "bad"], ["XGROUP", "SETID", "s", "g", ">"], ["XGROUP", "SETID", "s", "g", "1-*"],
        ["XGROUP", "SETID", "s", "g", "(1"], ["XGROUP", "SETID", "str", "g", "0"], ["XGROUP", "SETID", "nokey", "g", "0", "ENTRIESREAD", "-2"],
        ["XGROUP", "SETID", "nokey", "g", "0", "MKSTREAM"], ["XGROUP", "SETID", "s", "g", `${UINT64_MAX}0`], ["XINFO", "GROUPS", "s"],
      ],
    },
  ],
  "XGROUP CREATECONSUMER": [
    {
      name: "XGROUP CREATECONSUMER answers 1 for a new consumer and 0 for an existing one; NOGROUP and missing keys",
      steps: [
        ...fourEntries("s"), ["XGROUP", "CREATE", "s", "g", "0"], ["XGROUP", "CREATECONSUMER", "s", "g", "bob"], ["XGROUP", "CREATECONSUMER", "s", "g", "bob"],
        ["XGROUP", "CREATECONSUMER", "s", "g", "alice"], ["XGROUP", "CREATECONSUMER", "s", "g", "Bob"], ["XGROUP", "CREATECONSUMER", "s", "g", ""], ["XINFO", "GROUPS", "s"],
        streamTimes("XINFO", "CONSUMERS", "s", "g"), ["XREADGROUP", "GROUP", "g", "bob", "COUNT", "1", "STREAMS", "s", ">"], ["XGROUP", "CREATECONSUMER", "s", "g", "bob"],
        streamTimes("XINFO", "CONSUMERS", "s", "g"), ["XGROUP", "CREATECONSUMER", "s", "nog", "bob"], ["XGROUP", "CREATECONSUMER", "nokey", "g", "bob"],
        ["SET", "str", "x"], ["XGROUP", "CREATECONSUMER", "str", "g", "bob"], ["xgroup", "createconsumer", "s", "g", "carol"], ["XPENDING", "s", "g"],
      ],
    },
  ],
  "XGROUP DELCONSUMER": [
    {
      name: "XGROUP DELCONSUMER answers how many entries the consumer had pending, and drops them from the group's PEL",
      steps: [
        ...twoConsumers("s"), ["XGROUP", "CREATECONSUMER", "s", "g", "idle"], ["XPENDING", "s", "g"], ["XGROUP", "DELCONSUMER", "s", "g", "alice"], ["XPENDING", "s", "g"],
        streamTimes("XPENDING", "s", "g", "-", "+", "10"), ["XGROUP", "DELCONSUMER", "s", "g", "alice"], ["XGROUP", "DELCONSUMER", "s", "g", "idle"],
        ["XGROUP", "DELCONSUMER", "s", "g", "never"], streamTimes("XINFO", "CONSUMERS", "s", "g"), ["XINFO", "GROUPS", "s"], ["XACK", "s", "g", "1-1"],
        ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"], ["XGROUP", "DELCONSUMER", "s", "nog", "bob"], ["XGROUP", "DELCONSUMER", "nokey", "g", "bob"],
        ["SET", "str", "x"], ["XGROUP", "DELCONSUMER", "str", "g", "bob"], ["xgroup", "delconsumer", "s", "g", "bob"], ["XPENDING", "s", "g"], streamTimes("XINFO", "CONSUMERS", "s", "g"),
      ],
    },
  ],
  "XGROUP DESTROY": [
    {
      name: "XGROUP DESTROY answers 1 then 0, takes the group's consumers and PEL with it, and leaves the stream",
      steps: [
        ...twoConsumers("s"), ["XGROUP", "CREATE", "s", "other", "0"], ["XGROUP", "DESTROY", "s", "g"], ["XGROUP", "DESTROY", "s", "g"], ["XINFO", "GROUPS", "s"],
        ["XPENDING", "s", "g"], ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"], ["XLEN", "s"], ["XGROUP", "CREATE", "s", "g", "$"], ["XPENDING", "s", "g"],
        streamTimes("XINFO", "CONSUMERS", "s", "g"), ["XGROUP", "DESTROY", "s", "nog"], ["XGROUP", "DESTROY", "nokey", "g"], ["SET", "str", "x"], ["XGROUP", "DESTROY", "str", "g"],
        ["xgroup", "destroy", "s", "other"], ["XGROUP", "DESTROY", "s", "g"], ["XINFO", "GROUPS", "s"], ["EXISTS", "s"],
        ["XADD", "e", "MAXLEN", "0", "1-1", "a", "1"], ["XGROUP", "DESTROY", "e", "g"],
      ],
    },
  ],
  "XGROUP HELP": [
    {
      name: "XGROUP HELP lists the subcommands",
      steps: [["XGROUP", "HELP"], ["xgroup", "help"]],
    },
  ],
  XREADGROUP: [
    {
      name: "XREADGROUP naming one stream twice: the second > finds nothing new; history and > mixed",
      steps: [
        ...fourEntries("s"), ["XGROUP", "CREATE", "s", "g", "0"], ["XREADGROUP", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "s", "s", ">", ">"], ["XPENDING", "s", "g"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "s", "0", ">"], ["XREADGROUP", "GROUP", "g", "d", "COUNT", "1", "STREAMS", "s", "s", "0", "0"], ["XPENDING", "s", "g"],
      ],
    },
    {
      name: "XREADGROUP > delivers each entry once to the group, makes the consumer, and adds what it delivers to the PEL",
      steps: [
        ...fourEntries("s"), ["XGROUP", "CREATE", "s", "g", "0"], ["XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">"],
        ["XREADGROUP", "GROUP", "g", "bob", "COUNT", "2", "STREAMS", "s", ">"], ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"],
        ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"], ["XPENDING", "s", "g"], ["XINFO", "GROUPS", "s"], ["XADD", "s", "4-0", "e", "5"],
        ["XREADGROUP", "GROUP", "g", "carol", "COUNT", "0", "STREAMS", "s", ">"], ["XREADGROUP", "GROUP", "g", "carol", "COUNT", "-3", "STREAMS", "s", ">"],
        ["XADD", "s", "5-0", "f", "6"], ["xreadgroup", "group", "g", "dave", "count", "-3", "streams", "s", ">"], ["XPENDING", "s", "g"],
        ["XREADGROUP", "GROUP", "g", "erin", "BLOCK", "10", "STREAMS", "s", ">"], streamTimes("XINFO", "CONSUMERS", "s", "g"),
      ],
    },
    {
      name: "XREADGROUP with an id reads the consumer's own pending entries after it, counts a delivery, and ignores the group's position",
      steps: [
        ...twoConsumers("s"), ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"], ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "1-1"],
        ["XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", "0-0"], ["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", "2"], ["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", "3-5"],
        ["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", MAX_ID], ["XREADGROUP", "GROUP", "g", "nobody", "STREAMS", "s", "0"], streamTimes("XPENDING", "s", "g", "-", "+", "10"),
        ["XACK", "s", "g", "1-1"], ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"], ["XREADGROUP", "GROUP", "g", "alice", "BLOCK", "10", "STREAMS", "s", "1-2"],
        ["XREADGROUP", "GROUP", "g", "alice", "NOACK", "STREAMS", "s", "0"], streamTimes("XPENDING", "s", "g", "-", "+", "10"), streamTimes("XINFO", "CONSUMERS", "s", "g"),
      ],
    },
    {
      name: "XREADGROUP history shows entries deleted by XDEL or XTRIM as an id with a null, and counts no delivery for them",
      steps: [
        ...twoConsumers("s"), ["XDEL", "s", "1-2"], ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"], ["XTRIM", "s", "MAXLEN", "1"],
        ["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", "0"], ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"], streamTimes("XPENDING", "s", "g", "-", "+", "10"),
        ["XPENDING", "s", "g"], ["XACK", "s", "g", "1-2", "2-0"], ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"], ["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", "0"],
        ["XTRIM", "s", "MAXLEN", "0"], ["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", "0"], ["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"], ["XPENDING", "s", "g"],
      ],
    },
    {
      name: "XREADGROUP on several streams: one group name on each, > and ids mixed, streams without news left out",
      steps: [
        ...fourEntries("s"), ["XADD", "t", "7-0", "x", "y"], ["XADD", "u", "8-0", "z", "w"], ["XGROUP", "CREATE", "s", "g", "0"], ["XGROUP", "CREATE", "t", "g", "0"],
        ["XGROUP", "CREATE", "u", "g", "$"], ["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", "t", "u", ">", ">", ">"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "t", "u", "0", ">", ">"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "u", "s", ">", ">"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "u", "t", ">", "0"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "s", ">", "0"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "nokey", ">", ">"], ["XADD", "v", "1-1", "a", "1"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "v", "0", ">"],
        ["XPENDING", "s", "g"], ["XPENDING", "t", "g"], ["XPENDING", "u", "g"],
      ],
    },
    {
      name: "XREADGROUP NOACK delivers without adding to the PEL; an entry re-delivered after SETID changes owner and restarts its count",
      steps: [
        ...fourEntries("s"), ["XGROUP", "CREATE", "s", "g", "0"], ["XREADGROUP", "GROUP", "g", "alice", "NOACK", "COUNT", "2", "STREAMS", "s", ">"], ["XPENDING", "s", "g"],
        ["XINFO", "GROUPS", "s"], streamTimes("XINFO", "CONSUMERS", "s", "g"), ["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"], ["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", "0"],
        ["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", "0"], streamTimes("XPENDING", "s", "g", "-", "+", "10"), ["XGROUP", "SETID", "s", "g", "0"],
        ["XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "s", ">"], streamTimes("XPENDING", "s", "g", "-", "+", "10"), ["XGROUP", "SETID", "s", "g", "0"],
        ["XREADGROUP", "GROUP", "g", "carol", "NOACK", "STREAMS", "s", ">"], streamTimes("XPENDING", "s", "g", "-", "+", "10"), ["XPENDING", "s", "g"],
        ["XREADGROUP", "NOACK", "GROUP", "g", "dave", "STREAMS", "s", ">"], ["XREADGROUP", "GROUP", "g", "dave", "NOACK", "NOACK", "STREAMS", "s", "0"],
      ],
    },
    {
      name: "XREADGROUP errors: NOGROUP for a missing key or group, $, GROUP missing or short, bad ids, syntax, unbalanced streams",
      steps: [
        ...fourEntries("s"), ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "nokey", ">"],
        ["XGROUP", "CREATE", "s", "g", "0"], ["XREADGROUP", "GROUP", "other", "c", "STREAMS", "s", ">"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "nokey", ">", ">"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "+"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "-"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "x"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "1-*"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "(1"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "s", ">"], ["XREADGROUP", "STREAMS", "s", ">"],
        ["XREADGROUP", "COUNT", "1", "STREAMS", "s", ">"], ["XREADGROUP", "GROUP", "g", "STREAMS", "s", ">"], ["XREADGROUP", "GROUP", "g", "c"], ["XREADGROUP", "GROUP", "g", "c", "COUNT", "1"],
        ["XREADGROUP", "GROUP", "g", "c", "FOO", "STREAMS", "s", ">"], ["XREADGROUP", "GROUP", "g", "c", "COUNT", "x", "STREAMS", "s", ">"],
        ["XREADGROUP", "GROUP", "g", "c", "BLOCK", "-1", "STREAMS", "s", ">"], ["XREADGROUP", "GROUP", "g", "c", "BLOCK", "x", "STREAMS", "s", ">"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$", "x"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS"], ["XREADGROUP", "GROUP", "g"], ["XREADGROUP"],
        ["XREAD", "GROUP", "g", "c", "STREAMS", "s", ">"], ["XREAD", "STREAMS", "s", ">"], ["XREAD", "NOACK", "STREAMS", "s", ">"],
        ["XREADGROUP", "GROUP", "g", "c", "GROUP", "h", "d", "STREAMS", "s", ">"], ["XPENDING", "s", "g"], ["XINFO", "GROUPS", "s"],
      ],
    },
    {
      name: "XREADGROUP checks each stream in order: a wrong type or missing group before bad ids of later streams",
      steps: [
        ...fourEntries("s"), ["XGROUP", "CREATE", "s", "g", "0"], ["SET", "str", "x"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "str", ">"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "str", ">", ">"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "str", "s", ">", "bad"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "str", "bad", ">"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "nokey", "s", ">", "bad"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "nokey", "$", ">"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "nokey", "bad", ">"], ["XPENDING", "s", "g"],
      ],
    },
    {
      name: "XREADGROUP inside MULTI never blocks: BLOCK with nothing new answers a null array, and entries added in the transaction are read",
      steps: [
        ...fourEntries("s"), ["XGROUP", "CREATE", "s", "g", "$"], ["MULTI"], ["XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"],
        ["XADD", "s", "4-0", "e", "5"], ["XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"], ["XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", "0"],
        ["XREADGROUP", "GROUP", "nog", "c", "STREAMS", "s", ">"], ["XACK", "s", "g", "4-0"], ["EXEC"], ["XPENDING", "s", "g"],
      ],
    },
    {
      name: "XREADGROUP keeps fields binary-safe, and reads a consumer whose name is empty or binary",
      steps: [
        ["XADD", "s", "1-1", "k\r\n\x00", "v\x00\xff", "", ""], ["XGROUP", "CREATE", "s", "g\x00", "0"], ["XREADGROUP", "GROUP", "g\x00", "\r\n", "STREAMS", "s", ">"],
        ["XREADGROUP", "GROUP", "g\x00", "", "STREAMS", "s", "0"], ["XREADGROUP", "GROUP", "g\x00", "\r\n", "STREAMS", "s", "0"], ["XPENDING", "s", "g\x00"],
        ["XINFO", "GROUPS", "s"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"],
      ],
    },
    {
      name: "XINFO GROUPS entries-read and lag as XREADGROUP, XADD, XDEL and XTRIM move them",
      steps: [
        ...fourEntries("s"), ["XGROUP", "CREATE", "s", "g", "0"], ["XGROUP", "CREATE", "s", "h", "0"], ["XINFO", "GROUPS", "s"],
        ["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"], ["XINFO", "GROUPS", "s"], ["XDEL", "s", "2-0"], ["XINFO", "GROUPS", "s"],
        ["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"], ["XINFO", "GROUPS", "s"], ["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"],
        ["XINFO", "GROUPS", "s"], ["XADD", "s", "4-0", "e", "5"], ["XINFO", "GROUPS", "s"], ["XREADGROUP", "GROUP", "h", "c", "STREAMS", "s", ">"], ["XINFO", "GROUPS", "s"],
        ["XTRIM", "s", "MAXLEN", "1"], ["XINFO", "GROUPS", "s"], ["XTRIM", "s", "MAXLEN", "0"], ["XINFO", "GROUPS", "s"], ["XADD", "s", "5-0", "f", "6"], ["XINFO", "GROUPS", "s"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"], ["XINFO", "GROUPS", "s"], ["XSETID", "s", "5-0", "ENTRIESADDED", "20"], ["XINFO", "GROUPS", "s"],
      ],
    },
    {
      name: "RESP3: XREADGROUP answers a map of streams, history nulls as _, and nothing new as _",
      resp3: true,
      steps: [
        ...fourEntries("s"), ["XADD", "t", "9-9", "x", "y"], ["XGROUP", "CREATE", "s", "g", "0"], ["XGROUP", "CREATE", "t", "g", "0"],
        ["XREADGROUP", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "s", "t", ">", ">"], ["XDEL", "s", "1-1"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "0"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "t", ">"], ["XREADGROUP", "GROUP", "g", "c", "BLOCK", "10", "STREAMS", "t", ">"], ["XPENDING", "s", "g"], ["XPENDING", "t", "g", "-", "+", "0"],
      ],
    },
  ],
  XACK: [
    {
      name: "XACK answers how many ids it removed from the PEL: once each, whoever holds them, nothing for unknown ones",
      steps: [
        ...twoConsumers("s"), ["XACK", "s", "g", "1-1"], ["XACK", "s", "g", "1-1"], ["XACK", "s", "g", "1-2", "1-2", "2-0", "9-9"], ["XPENDING", "s", "g"],
        ["XACK", "s", "g", "3"], ["XACK", "s", "g", "3-5"], ["XPENDING", "s", "g"], ["XACK", "s", "nog", "1-1"], ["XACK", "nokey", "g", "1-1"], ["XACK", "nokey", "g", "bad"],
        ["XACK", "s", "nog", "bad"], ["xack", "s", "g", "0-0"], ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"], streamTimes("XINFO", "CONSUMERS", "s", "g"),
      ],
    },
    {
      name: "XACK checks every id before acknowledging any; bad ids, wrong types and arity",
      steps: [
        ...twoConsumers("s"), ["XACK", "s", "g", "1-1", "bad"], ["XACK", "s", "g", "1-1", "+"], ["XACK", "s", "g", "1-1", "-"], ["XACK", "s", "g", "1-1", ">"],
        ["XACK", "s", "g", "1-1", "1-*"], ["XACK", "s", "g", "1-1", "(2"], ["XACK", "s", "g", "1-1", `${UINT64_MAX}0`], ["XPENDING", "s", "g"], ["SET", "str", "x"],
        ["XACK", "str", "g", "1-1"], ["XACK", "str", "g", "bad"], ["XACK", "s", "g"], ["XACK", "s"], ["XACK"], ["XACK", "s", "g", MAX_ID], ["XPENDING", "s", "g"],
      ],
    },
  ],
  XPENDING: [
    {
      name: "XPENDING summary: count, lowest and highest pending ids, and each consumer with pending entries in name order",
      steps: [
        ...fourEntries("s"), ["XGROUP", "CREATE", "s", "g", "0"], ["XPENDING", "s", "g"], ["XGROUP", "CREATECONSUMER", "s", "g", "zed"],
        ["XREADGROUP", "GROUP", "g", "bob", "COUNT", "1", "STREAMS", "s", ">"], ["XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"],
        ["XREADGROUP", "GROUP", "g", "Bob", "STREAMS", "s", ">"], ["XPENDING", "s", "g"], ["XACK", "s", "g", "1-1", "3-5"], ["XPENDING", "s", "g"],
        ["XREADGROUP", "GROUP", "g", "x", "NOACK", "STREAMS", "s", "0"], ["XACK", "s", "g", "1-2", "2-0"], ["XPENDING", "s", "g"], ["xpending", "s", "g"],
      ],
    },
    {
      name: "XPENDING extended form: ranges, exclusive bounds, COUNT, one consumer, and delivery counts",
      steps: [
        ...twoConsumers("s"), ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"], streamTimes("XPENDING", "s", "g", "-", "+", "10"),
        streamTimes("XPENDING", "s", "g", "-", "+", "2"), streamTimes("XPENDING", "s", "g", "(1-1", "+", "10"), streamTimes("XPENDING", "s", "g", "1-2", "(3-5", "10"),
        streamTimes("XPENDING", "s", "g", "2", "3", "10"), streamTimes("XPENDING", "s", "g", "1", "1", "10"), streamTimes("XPENDING", "s", "g", "3", "1", "10"),
        streamTimes("XPENDING", "s", "g", "-", "+", "0"), streamTimes("XPENDING", "s", "g", "-", "+", "-1"), streamTimes("XPENDING", "s", "g", "-", "+", "10", "bob"),
        streamTimes("XPENDING", "s", "g", "(2-0", "+", "1", "bob"), streamTimes("XPENDING", "s", "g", "-", "+", "10", "nobody"),
        streamTimes("XPENDING", "s", "g", "0", MAX_ID, "9223372036854775807"), streamTimes("xpending", "s", "g", "-", "+", "10", "alice"),
        ["XGROUP", "CREATE", "s", "empty", "$"], streamTimes("XPENDING", "s", "empty", "-", "+", "10"), ["XPENDING", "s", "empty"],
      ],
    },
    {
      name: "XPENDING IDLE filters by idle time: entries made old by XCLAIM IDLE or TIME pass, fresh ones do not",
      steps: [
        ...twoConsumers("s"), ["XCLAIM", "s", "g", "alice", "0", "2-0", "IDLE", OLD_MS, "JUSTID"], ["XCLAIM", "s", "g", "bob", "0", "1-1", "TIME", "1000", "JUSTID"],
        streamTimes("XPENDING", "s", "g", "IDLE", MIN_IDLE, "-", "+", "10"), streamTimes("XPENDING", "s", "g", "IDLE", MIN_IDLE, "-", "+", "1"),
        streamTimes("XPENDING", "s", "g", "IDLE", MIN_IDLE, "-", "+", "10", "alice"), streamTimes("XPENDING", "s", "g", "IDLE", MIN_IDLE, "(1-1", "+", "10"),
        streamTimes("XPENDING", "s", "g", "IDLE", "0", "-", "+", "10"), streamTimes("XPENDING", "s", "g", "IDLE", "-5", "-", "+", "10"),
        streamTimes("XPENDING", "s", "g", "idle", "999999999999999", "-", "+", "10"), streamTimes("XPENDING", "s", "g", "-", "+", "10"),
      ],
    },
    {
      name: "XPENDING errors: syntax by argument count (one word past the consumer is ignored), IDLE without a range, bad numbers and ids, then NOGROUP and wrong types",
      steps: [
        ...twoConsumers("s"), ["SET", "str", "x"], ["XPENDING", "s", "g", "-"], ["XPENDING", "s", "g", "-", "+"], streamTimes("XPENDING", "s", "g", "-", "+", "1", "bob", "extra"),
        ["XPENDING", "s", "g", "IDLE", "10"], ["XPENDING", "s", "g", "IDLE", "10", "-", "+"], ["XPENDING", "s", "g", "IDLE", "x", "-", "+", "10"],
        ["XPENDING", "s", "g", "IDLE", "10", "-", "+", "10", "bob", "extra"], ["XPENDING", "s", "g", "-", "+", "x"], ["XPENDING", "s", "g", "-", "+", "1.5"],
        ["XPENDING", "s", "g", "x", "+", "10"], ["XPENDING", "s", "g", "-", "x", "10"], ["XPENDING", "s", "g", `(${MAX_ID}`, "+", "10"], ["XPENDING", "s", "g", "-", "(0-0", "10"],
        ["XPENDING", "s", "g", "(-", "+", "10"], ["XPENDING", "s", "g", "-", "(+", "10"], ["XPENDING", "s", "g", "1-*", "+", "10"], ["XPENDING", "s", "g", "foo", "-", "+", "10"],
        ["XPENDING", "s", "nog"], ["XPENDING", "s", "nog", "-", "+", "10"], ["XPENDING", "nokey", "g"], ["XPENDING", "nokey", "g", "x", "+", "10"],
        ["XPENDING", "str", "g"], ["XPENDING", "str", "g", "-", "+", "10"], ["XPENDING", "str", "g", "-", "+", "x"], ["XPENDING", "s"], ["XPENDING"],
      ],
    },
  ],
  XCLAIM: [
    {
      name: "XCLAIM moves entries idle at least min-idle-time to the consumer, counts a delivery and resets the idle time",
      steps: [
        ...twoConsumers("s"), ["XCLAIM", "s", "g", "carol", MIN_IDLE, "1-1", "2-0"], ["XCLAIM", "s", "g", "carol", "0", "1-1", "2-0"], streamTimes("XPENDING", "s", "g", "-", "+", "10"),
        ["XPENDING", "s", "g"], ["XCLAIM", "s", "g", "bob", "0", "2-0", "IDLE", OLD_MS], ["XCLAIM", "s", "g", "alice", MIN_IDLE, "2-0", "1-1", "9-9"],
        streamTimes("XPENDING", "s", "g", "-", "+", "10"), ["XCLAIM", "s", "g", "alice", "-100", "3-5"], ["XCLAIM", "s", "g", "alice", "0", "3-5", "3-5"],
        streamTimes("XPENDING", "s", "g", "-", "+", "10"), streamTimes("XINFO", "CONSUMERS", "s", "g"), ["XCLAIM", "s", "g", "dave", "0", "9-9"], streamTimes("XINFO", "CONSUMERS", "s", "g"),
        ["xclaim", "s", "g", "carol", "0", "1-2"], ["XPENDING", "s", "g"],
      ],
    },
    {
      name: "XCLAIM options: IDLE and TIME set the delivery time, RETRYCOUNT the count, JUSTID answers ids and counts nothing",
      steps: [
        ...twoConsumers("s"), ["XCLAIM", "s", "g", "bob", "0", "1-1", "IDLE", OLD_MS], ["XCLAIM", "s", "g", "bob", "0", "1-2", "TIME", "1000", "RETRYCOUNT", "7"],
        streamTimes("XPENDING", "s", "g", "-", "+", "10"), ["XCLAIM", "s", "g", "alice", "0", "1-1", "1-2", "JUSTID"], streamTimes("XPENDING", "s", "g", "-", "+", "10"),
        ["XCLAIM", "s", "g", "alice", "0", "2-0", "JUSTID", "RETRYCOUNT", "0"], ["XCLAIM", "s", "g", "alice", "0", "3-5", "IDLE", "-5"],
        ["XCLAIM", "s", "g", "bob", "0", "1-1", "TIME", "99999999999999"], ["XCLAIM", "s", "g", "bob", "0", "1-2", "TIME", "-1", "RETRYCOUNT", "-1"],
        streamTimes("XPENDING", "s", "g", "-", "+", "10"), ["XCLAIM", "s", "g", "bob", "0", "2-0", "IDLE", OLD_MS, "TIME", "1000", "JUSTID"],
        ["XCLAIM", "s", "g", "bob", "0", "3-5", "TIME", "1000", "IDLE", OLD_MS, "justid", "retrycount", "3"], streamTimes("XPENDING", "s", "g", "-", "+", "10"),
        streamTimes("XINFO", "STREAM", "s", "FULL"),
      ],
    },
    {
      name: "XCLAIM FORCE puts an existing entry missing from the PEL there; ids that are not entries are ignored",
      steps: [
        ...fourEntries("s"), ["XGROUP", "CREATE", "s", "g", "$"], ["XCLAIM", "s", "g", "c", "0", "1-1"], ["XCLAIM", "s", "g", "c", "0", "1-1", "FORCE"],
        ["XCLAIM", "s", "g", "c", MIN_IDLE, "1-2", "9-9", "FORCE", "JUSTID"], ["XCLAIM", "s", "g", "d", MIN_IDLE, "1-2", "FORCE"], streamTimes("XPENDING", "s", "g", "-", "+", "10"),
        ["XCLAIM", "s", "g", "d", "0", "2-0", "FORCE", "RETRYCOUNT", "5", "TIME", "1000"], ["XCLAIM", "s", "g", "e", "0", "FORCE"], ["XCLAIM", "s", "g", "e", "0", "FORCE", "JUSTID", "FORCE"],
        streamTimes("XPENDING", "s", "g", "-", "+", "10"), ["XPENDING", "s", "g"], ["XINFO", "GROUPS", "s"], streamTimes("XINFO", "CONSUMERS", "s", "g"),
      ],
    },
    {
      name: "XCLAIM LASTID raises the group's last id, never lowers it; XREADGROUP > continues after it",
      steps: [
        ...fourEntries("s"), ["XGROUP", "CREATE", "s", "g", "0"], ["XCLAIM", "s", "g", "c", "0", "1-1", "FORCE", "LASTID", "1-2"], ["XINFO", "GROUPS", "s"],
        ["XCLAIM", "s", "g", "c", "0", "1-1", "LASTID", "1-1"], ["XINFO", "GROUPS", "s"], ["XCLAIM", "s", "g", "c", "0", "9-9", "LASTID", "2-0"], ["XINFO", "GROUPS", "s"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"], ["XCLAIM", "s", "g", "c", "0", "LASTID", "50-0"], ["XINFO", "GROUPS", "s"], ["XCLAIM", "s", "g", "c", "0", "1-1", "LASTID", "bad"],
        ["XCLAIM", "s", "g", "c", "0", "1-1", "LASTID", "+"], ["XCLAIM", "s", "g", "c", "0", "1-1", "LASTID"], ["XINFO", "GROUPS", "s"],
      ],
    },
    {
      name: "XCLAIM drops entries deleted by XDEL or XTRIM from the PEL and does not answer them",
      steps: [
        ...twoConsumers("s"), ["XDEL", "s", "1-1"], ["XTRIM", "s", "MINID", "3"], ["XPENDING", "s", "g"], ["XCLAIM", "s", "g", "carol", "0", "1-1", "1-2", "2-0", "3-5"],
        ["XPENDING", "s", "g"], streamTimes("XPENDING", "s", "g", "-", "+", "10"), ["XCLAIM", "s", "g", "carol", "0", "1-1", "FORCE"], ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"],
        ["XCLAIM", "s", "g", "carol", MIN_IDLE, "3-5", "JUSTID"], streamTimes("XINFO", "CONSUMERS", "s", "g"),
      ],
    },
    {
      name: "XCLAIM errors: NOGROUP and wrong types first, then min-idle-time, option values, unknown options; a bad id claims nothing",
      steps: [
        ...twoConsumers("s"), ["SET", "str", "x"], ["XCLAIM", "s", "nog", "c", "0", "1-1"], ["XCLAIM", "nokey", "g", "c", "0", "1-1"], ["XCLAIM", "nokey", "g", "c", "x", "bad"],
        ["XCLAIM", "str", "g", "c", "0", "1-1"], ["XCLAIM", "str", "g", "c", "x", "1-1"], ["XCLAIM", "s", "g", "c", "x", "1-1"], ["XCLAIM", "s", "g", "c", "1.5", "1-1"],
        ["XCLAIM", "s", "g", "c", "0", "1-1", "IDLE", "x"], ["XCLAIM", "s", "g", "c", "0", "1-1", "TIME", "x"], ["XCLAIM", "s", "g", "c", "0", "1-1", "RETRYCOUNT", "x"],
        ["XCLAIM", "s", "g", "c", "0", "1-1", "FOO"], ["XCLAIM", "s", "g", "c", "0", "1-1", "bad", "1-2"], ["XCLAIM", "s", "g", "c", "0", "1-1", "JUSTID", "1-2"],
        ["XCLAIM", "s", "g", "c", "0", "1-1", "IDLE"], ["XCLAIM", "s", "g", "c", "0", "1-1", "RETRYCOUNT"], ["XCLAIM", "s", "g", "c", "0", "1-1", "-"],
        ["XCLAIM", "s", "g", "c", "0", "+"], ["XCLAIM", "s", "g", "c", "0", "1-*"], ["XCLAIM", "s", "g", "c", "0", "JUSTID", "IDLE", "x"], ["XPENDING", "s", "g"],
        streamTimes("XINFO", "CONSUMERS", "s", "g"), ["XCLAIM", "s", "g", "c", "0"], ["XCLAIM", "s", "g", "c"], ["XCLAIM"],
      ],
    },
  ],
  XAUTOCLAIM: [
    {
      name: "XAUTOCLAIM claims pending entries from a start id, COUNT at a time, and answers the cursor to go on from (0-0 at the end)",
      steps: [
        ...twoConsumers("s"), ["XAUTOCLAIM", "s", "g", "carol", "0", "0", "COUNT", "1"], ["XAUTOCLAIM", "s", "g", "carol", "0", "1-2", "COUNT", "2"],
        ["XAUTOCLAIM", "s", "g", "carol", "0", "3-5", "COUNT", "2"], ["XAUTOCLAIM", "s", "g", "carol", "0", "4"], ["XPENDING", "s", "g"], streamTimes("XPENDING", "s", "g", "-", "+", "10"),
        ["XAUTOCLAIM", "s", "g", "dave", "0", "-"], ["XAUTOCLAIM", "s", "g", "erin", "0", "(1-2", "COUNT", "1", "JUSTID"], ["XAUTOCLAIM", "s", "g", "erin", "0", "+"],
        streamTimes("XPENDING", "s", "g", "-", "+", "10"), ["XAUTOCLAIM", "s", "g", "erin", "0", `(${MAX_ID}`], ["xautoclaim", "s", "g", "erin", "0", "0", "count", "2", "justid"],
        streamTimes("XINFO", "CONSUMERS", "s", "g"), ["XGROUP", "CREATE", "s", "empty", "$"], ["XAUTOCLAIM", "s", "empty", "c", "0", "0"], streamTimes("XINFO", "CONSUMERS", "s", "empty"),
      ],
    },
    {
      name: "XAUTOCLAIM takes only entries idle at least min-idle-time; the cursor runs past the ones it skips",
      steps: [
        ...twoConsumers("s"), ["XCLAIM", "s", "g", "bob", "0", "1-2", "3-5", "IDLE", OLD_MS, "JUSTID"], ["XAUTOCLAIM", "s", "g", "carol", MIN_IDLE, "0", "COUNT", "1"],
        ["XAUTOCLAIM", "s", "g", "carol", MIN_IDLE, "2-0", "COUNT", "1"], ["XAUTOCLAIM", "s", "g", "carol", MIN_IDLE, "0"], ["XAUTOCLAIM", "s", "g", "carol", "-1", "0", "JUSTID"],
        streamTimes("XPENDING", "s", "g", "-", "+", "10"), ["XAUTOCLAIM", "s", "g", "dave", "9223372036854775807", "0"], streamTimes("XINFO", "CONSUMERS", "s", "g"),
      ],
    },
    {
      name: "XAUTOCLAIM drops deleted entries from the PEL and lists them in its third element; they count toward COUNT",
      steps: [
        ...twoConsumers("s"), ["XDEL", "s", "1-1", "2-0"], ["XAUTOCLAIM", "s", "g", "carol", "0", "0", "COUNT", "1"], ["XAUTOCLAIM", "s", "g", "carol", "0", "1-2", "COUNT", "2"],
        ["XPENDING", "s", "g"], ["XTRIM", "s", "MAXLEN", "0"], ["XAUTOCLAIM", "s", "g", "carol", MIN_IDLE, "0", "JUSTID"], ["XPENDING", "s", "g"],
        ["XAUTOCLAIM", "s", "g", "carol", "0", "0"], streamTimes("XINFO", "CONSUMERS", "s", "g"),
      ],
    },
    {
      name: "XAUTOCLAIM errors: min-idle-time, start id and COUNT limits (checked before the key), syntax, then NOGROUP and wrong types",
      steps: [
        ...twoConsumers("s"), ["SET", "str", "x"], ["XAUTOCLAIM", "s", "g", "c", "x", "0"], ["XAUTOCLAIM", "s", "g", "c", "1.5", "0"], ["XAUTOCLAIM", "s", "g", "c", "0", "x"],
        ["XAUTOCLAIM", "s", "g", "c", "0", "1-*"], ["XAUTOCLAIM", "s", "g", "c", "0", "(-"], ["XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "0"],
        ["XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "-1"], ["XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "x"], ["XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "576460752303423488"],
        ["XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "9223372036854775808"], ["XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT"], ["XAUTOCLAIM", "s", "g", "c", "0", "0", "FOO"],
        ["XAUTOCLAIM", "s", "g", "c", "0", "0", "JUSTID", "FOO"], ["XAUTOCLAIM", "nokey", "g", "c", "0", "0", "COUNT", "0"], ["XAUTOCLAIM", "nokey", "g", "c", "0", "0"],
        ["XAUTOCLAIM", "s", "nog", "c", "0", "0"], ["XAUTOCLAIM", "str", "g", "c", "0", "0"], ["XAUTOCLAIM", "str", "g", "c", "x", "0"], ["XAUTOCLAIM", "s", "g", "c", "0"],
        ["XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "1", "COUNT", "3", "JUSTID", "JUSTID"], ["XPENDING", "s", "g"], ["XAUTOCLAIM"],
      ],
    },
  ],
  XINFO: [
    {
      name: "XINFO alone, unknown subcommands, a missing key and subcommands with the wrong number of arguments",
      steps: [
        ...fourEntries("s"), ["XGROUP", "CREATE", "s", "g", "0"], ["XINFO"], ["XINFO", "FOO"], ["XINFO", "FOO", "s"], ["XINFO", "STREAM"], ["XINFO", "GROUPS"],
        ["XINFO", "GROUPS", "s", "x"], ["XINFO", "CONSUMERS", "s"], ["XINFO", "CONSUMERS", "s", "g", "x"], ["XINFO", "HELP", "x"], ["XINFO", "GROUPS", "nokey"],
        ["XINFO", "CONSUMERS", "nokey", "g"], ["XINFO", "STREAM", "nokey"], ["XINFO", "FOO", "nokey"], ["xinfo", "groups", "s"],
      ],
    },
  ],
  "XINFO STREAM": [
    {
      name: "XINFO STREAM: length, ids, entries added, groups, first and last entries, of full, trimmed and empty streams",
      steps: [
        ...fourEntries("s"), streamTimes("XINFO", "STREAM", "s"), ["XGROUP", "CREATE", "s", "g", "0"], ["XGROUP", "CREATE", "s", "h", "$"], ["XDEL", "s", "1-2"],
        streamTimes("XINFO", "STREAM", "s"), ["XDEL", "s", "1-1"], streamTimes("XINFO", "STREAM", "s"), ["XTRIM", "s", "MAXLEN", "0"], streamTimes("XINFO", "STREAM", "s"),
        ["XSETID", "s", "10-0", "ENTRIESADDED", "12", "MAXDELETEDID", "9-0"], streamTimes("XINFO", "STREAM", "s"), ["XGROUP", "CREATE", "m", "g", "$", "MKSTREAM"],
        streamTimes("XINFO", "STREAM", "m"), ["XADD", "one", "5-5", "f", "v", "g", "w"], streamTimes("xinfo", "stream", "one"),
      ],
    },
    {
      name: "XINFO STREAM FULL: entries, each group's PEL and consumers with their PELs, COUNT limiting each list",
      steps: [
        ...twoConsumers("s"), ["XADD", "s", "4-0", "e", "5"], ["XCLAIM", "s", "g", "bob", "0", "1-1", "TIME", "1000", "RETRYCOUNT", "3", "JUSTID"],
        ["XGROUP", "CREATE", "s", "h", "$"], ["XGROUP", "CREATECONSUMER", "s", "h", "carol"], streamTimes("XINFO", "STREAM", "s", "FULL"),
        streamTimes("XINFO", "STREAM", "s", "FULL", "COUNT", "1"), streamTimes("XINFO", "STREAM", "s", "full", "count", "0"), streamTimes("XINFO", "STREAM", "s", "FULL", "COUNT", "-1"),
        ["XINFO", "STREAM", "s", "FULL", "COUNT", "x"], ["XINFO", "STREAM", "s", "FULL", "COUNT"], ["XINFO", "STREAM", "s", "FOO"], ["XINFO", "STREAM", "s", "FULL", "FOO", "1"],
        ["XINFO", "STREAM", "s", "COUNT", "1"], ["XINFO", "STREAM", "s", "FULL", "COUNT", "1", "x"], ["XADD", "e", "MAXLEN", "0", "1-1", "a", "1"], streamTimes("XINFO", "STREAM", "e", "FULL"),
      ],
    },
    {
      name: "RESP3: XINFO STREAM, GROUPS and CONSUMERS answer maps",
      resp3: true,
      steps: [
        ...twoConsumers("s"), streamTimes("XINFO", "STREAM", "s"), streamTimes("XINFO", "STREAM", "s", "FULL", "COUNT", "2"), ["XINFO", "GROUPS", "s"],
        streamTimes("XINFO", "CONSUMERS", "s", "g"), streamTimes("XPENDING", "s", "g", "-", "+", "10"), ["XPENDING", "s", "g"], ["XGROUP", "CREATE", "s", "h", "$"],
        ["XPENDING", "s", "h"], ["XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "1"], ["XCLAIM", "s", "g", "c", "0", "1-2"],
      ],
    },
  ],
  "XINFO GROUPS": [
    {
      name: "XINFO GROUPS: every group with its consumers, pending count, last id, entries read and lag; none on a stream without groups",
      steps: [
        ...fourEntries("s"), ["XINFO", "GROUPS", "s"], ...twoConsumers("t"), ["XGROUP", "CREATE", "t", "a", "1-2"], ["XGROUP", "CREATECONSUMER", "t", "a", "x"],
        ["XINFO", "GROUPS", "t"], ["XACK", "t", "g", "1-1"], ["XINFO", "GROUPS", "t"], ["SET", "str", "x"], ["XINFO", "GROUPS", "str"],
      ],
    },
  ],
  "XINFO CONSUMERS": [
    {
      name: "XINFO CONSUMERS: each consumer's name, pending count and idle time, by name; NOGROUP for a missing group",
      steps: [
        ...twoConsumers("s"), ["XGROUP", "CREATECONSUMER", "s", "g", "Zed"], streamTimes("XINFO", "CONSUMERS", "s", "g"), ["XACK", "s", "g", "2-0", "3-5"],
        streamTimes("XINFO", "CONSUMERS", "s", "g"), ["XINFO", "CONSUMERS", "s", "nog"], ["XGROUP", "CREATE", "s", "empty", "0"], ["XINFO", "CONSUMERS", "s", "empty"],
        ["SET", "str", "x"], ["XINFO", "CONSUMERS", "str", "g"], streamTimes("xinfo", "consumers", "s", "g"),
      ],
    },
  ],
  "XINFO HELP": [
    {
      name: "XINFO HELP lists the subcommands",
      steps: [["XINFO", "HELP"], ["xinfo", "help"]],
    },
  ],
  "wrong types": [
    {
      name: "every consumer-group command answers WRONGTYPE on a string, a list and a hash",
      steps: [
        ["SET", "str", "x"], ["LPUSH", "list", "x"], ["HSET", "hash", "f", "v"], ["XADD", "s", "1-1", "a", "1"], ["XGROUP", "CREATE", "s", "g", "0"],
        ...["str", "list", "hash"].flatMap((k): Arg[][] => [
          ["XGROUP", "CREATE", k, "g", "0"], ["XGROUP", "CREATE", k, "g", "0", "MKSTREAM"], ["XGROUP", "SETID", k, "g", "0"], ["XGROUP", "DESTROY", k, "g"],
          ["XGROUP", "CREATECONSUMER", k, "g", "c"], ["XGROUP", "DELCONSUMER", k, "g", "c"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", k, ">"],
          ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", k, ">", ">"], ["XACK", k, "g", "1-1"], ["XPENDING", k, "g"], ["XPENDING", k, "g", "-", "+", "1"],
          ["XCLAIM", k, "g", "c", "0", "1-1"], ["XAUTOCLAIM", k, "g", "c", "0", "0"], ["XINFO", "STREAM", k], ["XINFO", "GROUPS", k], ["XINFO", "CONSUMERS", k, "g"],
        ]),
        ["XPENDING", "s", "g"], ["GET", "str"],
      ],
    },
  ],
  keyspace: [
    {
      name: "COPY of a stream copies its groups, consumers and PELs, which then change apart from the original's",
      steps: [
        ...twoConsumers("s"), ["XCLAIM", "s", "g", "bob", "0", "1-1", "TIME", "1000", "RETRYCOUNT", "4", "JUSTID"], ["COPY", "s", "c"], ["TYPE", "c"],
        streamTimes("XINFO", "STREAM", "c", "FULL"), ["XPENDING", "c", "g"], ["XACK", "c", "g", "1-1", "2-0"], ["XREADGROUP", "GROUP", "g", "carol", "STREAMS", "c", "0"],
        ["XADD", "c", "4-0", "e", "5"], ["XREADGROUP", "GROUP", "g", "carol", "STREAMS", "c", ">"], ["XGROUP", "CREATE", "c", "only-in-copy", "$"], ["XPENDING", "c", "g"],
        ["XPENDING", "s", "g"], ["XINFO", "GROUPS", "s"], ["XINFO", "GROUPS", "c"], streamTimes("XINFO", "CONSUMERS", "s", "g"), streamTimes("XINFO", "CONSUMERS", "c", "g"),
        ["COPY", "s", "c"], ["COPY", "s", "c", "REPLACE"], ["XINFO", "GROUPS", "c"], ["XPENDING", "c", "g"],
        ["SELECT", "1"], ["COPY", "s", "s"], ["SELECT", "0"], ["COPY", "s", "s", "DB", "1"], ["SELECT", "1"], ["XPENDING", "s", "g"], ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"],
      ],
    },
    {
      name: "RENAME takes a stream's groups along; DEL and expiry take them away; TYPE stays stream with groups",
      steps: [
        ...twoConsumers("s"), ["TYPE", "s"], ["OBJECT", "ENCODING", "s"], ["RENAME", "s", "r"], ["EXISTS", "s"], ["XPENDING", "s", "g"], ["XPENDING", "r", "g"],
        ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "r", "0"], ["XADD", "r", "4-0", "e", "5"], ["XREADGROUP", "GROUP", "g", "carol", "STREAMS", "r", ">"],
        ["RENAME", "r", "s"], ["XINFO", "GROUPS", "s"], ["DEL", "s"], ["XINFO", "GROUPS", "s"], ["XADD", "s", "1-1", "a", "1"], ["XINFO", "GROUPS", "s"],
        ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"], ["XGROUP", "CREATE", "s", "g", "0"], ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"],
        ["PEXPIRE", "s", "50"], sleep(120), ["XPENDING", "s", "g"], ["XINFO", "GROUPS", "s"], ["EXISTS", "s"], ["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"],
        ["XPENDING", "s", "g"], ["XINFO", "GROUPS", "s"], ["TTL", "s"], ["UNLINK", "s"], ["DBSIZE"],
      ],
    },
    {
      name: "a stream emptied by XDEL or XTRIM keeps its groups and PEL; MULTI runs group commands in order",
      steps: [
        ...twoConsumers("s"), ["XTRIM", "s", "MAXLEN", "0"], ["EXISTS", "s"], ["XPENDING", "s", "g"], ["XINFO", "GROUPS", "s"], ["XADD", "s", "5-0", "f", "6"],
        ["MULTI"], ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"], ["XACK", "s", "g", "5-0", "1-1"], ["XPENDING", "s", "g"],
        ["XGROUP", "DESTROY", "s", "g"], ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"], ["EXEC"], ["XINFO", "GROUPS", "s"],
      ],
    },
  ],
};

export const METADATA_COMMANDS: readonly string[] = [
  "xgroup", "xgroup|create", "xgroup|setid", "xgroup|destroy", "xgroup|createconsumer", "xgroup|delconsumer", "xgroup|help",
  "xreadgroup", "xack", "xpending", "xclaim", "xautoclaim", "xinfo", "xinfo|stream", "xinfo|groups", "xinfo|consumers", "xinfo|help",
];

// --- scenarios with several clients: XREADGROUP BLOCK ---

/** Client `c` sends a blocking command and the scenario waits until it is blocked (n clients blocked in all). */
const block = (c: number, n: number, ...argv: string[]): ScenarioStep[] => [send(c, ...argv), blocked(n)];
/** XREADGROUP BLOCK 0 of consumer `consumer` in group g on stream s, for new entries. */
const readNew = (consumer: string, ...options: string[]): string[] => ["XREADGROUP", "GROUP", "g", consumer, ...options, "BLOCK", "0", "STREAMS", "s", ">"];

export const SCENARIOS: readonly Scenario[] = [
  {
    name: "XREADGROUP BLOCK >: an XADD by another client serves the consumer, which then holds the entry pending",
    clients: 2,
    steps: [
      call(1, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"), ...block(0, 1, ...readNew("alice")), call(1, "XADD", "s", "1-1", "a", "1"), read(0),
      call(1, "XPENDING", "s", "g"), call(1, "XINFO", "GROUPS", "s"), call(0, "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"),
    ],
  },
  {
    name: "XREADGROUP BLOCK: consumers blocked on one group are served first-blocked first, each with entries no other got",
    clients: 4,
    steps: [
      call(3, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"), ...block(0, 1, ...readNew("alice")), ...block(1, 2, ...readNew("bob")), ...block(2, 3, ...readNew("carol")),
      call(3, "XADD", "s", "1-1", "a", "1"), read(0), silent(1), blocked(2), call(3, "XADD", "s", "2-1", "b", "2"), read(1), silent(2), blocked(1),
      call(3, "XADD", "s", "3-1", "c", "3"), read(2), call(3, "XPENDING", "s", "g"),
    ],
  },
  {
    name: "XREADGROUP BLOCK with COUNT: one transaction of XADDs is shared out among the blocked consumers in blocking order",
    clients: 4,
    steps: [
      call(3, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"), ...block(0, 1, ...readNew("alice", "COUNT", "1")), ...block(1, 2, ...readNew("bob", "COUNT", "2")),
      ...block(2, 3, ...readNew("carol", "COUNT", "1")), call(3, "MULTI"), call(3, "XADD", "s", "1-1", "a", "1"), call(3, "XADD", "s", "1-2", "b", "2"),
      call(3, "XADD", "s", "1-3", "c", "3"), call(3, "EXEC"), read(0), read(1), silent(2), blocked(1), call(3, "XPENDING", "s", "g"),
      call(3, "XADD", "s", "1-4", "d", "4"), read(2),
    ],
  },
  {
    name: "XREADGROUP BLOCK NOACK: served without a pending entry; an XREAD and another group's consumer waiting on the same stream are served too",
    clients: 4,
    steps: [
      call(3, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"), call(3, "XGROUP", "CREATE", "s", "h", "$"), ...block(0, 1, ...readNew("alice", "NOACK")),
      ...block(1, 2, "XREAD", "BLOCK", "0", "STREAMS", "s", "$"), ...block(2, 3, "XREADGROUP", "GROUP", "h", "bob", "BLOCK", "0", "STREAMS", "s", ">"),
      call(3, "XADD", "s", "1-1", "a", "1"), read(0), read(1), read(2), call(3, "XPENDING", "s", "g"), call(3, "XPENDING", "s", "h"), call(3, "XINFO", "GROUPS", "s"),
    ],
  },
  {
    name: "XREADGROUP BLOCK on several streams is answered with the stream written, alone",
    clients: 2,
    steps: [
      call(1, "XGROUP", "CREATE", "a", "g", "$", "MKSTREAM"), call(1, "XGROUP", "CREATE", "b", "g", "$", "MKSTREAM"),
      ...block(0, 1, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "a", "b", ">", ">"), call(1, "XADD", "b", "7-7", "f", "v"), read(0),
      call(1, "XPENDING", "a", "g"), call(1, "XPENDING", "b", "g"),
    ],
  },
  {
    name: "XREADGROUP BLOCK and XGROUP DESTROY: the blocked consumer is answered NOGROUP at once",
    clients: 2,
    steps: [
      call(1, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"), ...block(0, 1, ...readNew("alice")), call(1, "XGROUP", "DESTROY", "s", "g"), read(0), blocked(0),
      call(1, "XADD", "s", "1-1", "a", "1"), call(1, "XINFO", "GROUPS", "s"),
    ],
  },
  {
    name: "XREADGROUP BLOCK and DEL, RENAME or SET of the stream: blocked consumers are answered UNBLOCKED, blocked XREADs keep waiting",
    clients: 3,
    steps: [
      call(2, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"), ...block(0, 1, ...readNew("alice")), ...block(1, 2, "XREAD", "BLOCK", "0", "STREAMS", "s", "$"),
      call(2, "DEL", "s"), read(0), silent(1), blocked(1), call(2, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"), ...block(0, 2, ...readNew("alice")),
      call(2, "RENAME", "s", "t"), read(0), blocked(1), call(2, "RENAME", "t", "s"), ...block(0, 2, ...readNew("alice")),
      call(2, "SET", "s", "x"), read(0), silent(1), blocked(1), call(2, "DEL", "s"), call(2, "XADD", "s", "1-1", "a", "1"), read(1),
    ],
  },
  {
    name: "XREADGROUP BLOCK and a MULTI that deletes the stream and adds to a new one: the consumer is answered NOGROUP",
    clients: 2,
    steps: [
      call(1, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"), ...block(0, 1, ...readNew("alice")), call(1, "MULTI"), call(1, "DEL", "s"),
      call(1, "XADD", "s", "1-1", "a", "1"), call(1, "EXEC"), read(0), blocked(0), call(1, "XINFO", "GROUPS", "s"),
    ],
  },
  {
    name: "XREADGROUP BLOCK keeps waiting through writes that give its group nothing new: XDEL, XTRIM, XSETID, XGROUP SETID of another group, CREATECONSUMER",
    clients: 2,
    steps: [
      call(1, "XADD", "s", "1-1", "a", "1"), call(1, "XADD", "s", "2-1", "a", "2"), call(1, "XGROUP", "CREATE", "s", "g", "$"), call(1, "XGROUP", "CREATE", "s", "h", "$"),
      ...block(0, 1, ...readNew("alice")), call(1, "XDEL", "s", "1-1"), call(1, "XTRIM", "s", "MAXLEN", "0"), call(1, "XSETID", "s", "9-9"),
      call(1, "XGROUP", "SETID", "s", "h", "0"), call(1, "XGROUP", "CREATECONSUMER", "s", "g", "bob"), silent(0), blocked(1),
      call(1, "XADD", "s", "10-0", "late", "x"), read(0), call(1, "XPENDING", "s", "g"),
    ],
  },
  {
    name: "XREADGROUP BLOCK woken by XGROUP DESTROY of another group: answered an empty list when the stream's last id is past its group's",
    clients: 3,
    steps: [
      call(2, "XADD", "s", "1-1", "a", "1"), call(2, "XGROUP", "CREATE", "s", "g", "$"), call(2, "XGROUP", "CREATE", "s", "h", "$"), call(2, "XGROUP", "CREATE", "s", "i", "$"),
      ...block(0, 1, ...readNew("alice")), call(2, "XGROUP", "DESTROY", "s", "h"), silent(0), blocked(1), call(2, "XSETID", "s", "5-0"), silent(0), blocked(1),
      call(2, "XGROUP", "DESTROY", "s", "i"), read(0), call(2, "XINFO", "GROUPS", "s"), call(2, "XPENDING", "s", "g"),
    ],
  },
  {
    name: "XREADGROUP BLOCK after XGROUP SETID back: the next XADD serves the consumer everything after the group's new last id",
    clients: 2,
    steps: [
      call(1, "XADD", "s", "1-1", "a", "1"), call(1, "XGROUP", "CREATE", "s", "g", "$"), ...block(0, 1, ...readNew("alice")), call(1, "XGROUP", "SETID", "s", "g", "0"),
      silent(0), call(1, "XADD", "s", "2-1", "b", "2"), read(0), call(1, "XPENDING", "s", "g"),
    ],
  },
  {
    name: "XREADGROUP BLOCK times out with a null array; with history or entries already there it answers at once",
    clients: 2,
    steps: [
      call(1, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"), send(0, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "100", "STREAMS", "s", ">"), read(0, [80, 2_000]),
      send(0, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "5000", "STREAMS", "s", "0"), read(0, [0, 1_000]), call(1, "XADD", "s", "1-1", "a", "1"),
      send(0, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "5000", "STREAMS", "s", ">"), read(0, [0, 1_000]), call(1, "XINFO", "GROUPS", "s"),
    ],
  },
  {
    name: "XREADGROUP BLOCK and a MULTI that adds an entry and deletes it again: the consumer is answered an empty list and nothing is pending",
    clients: 2,
    steps: [
      call(1, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"), ...block(0, 1, ...readNew("alice")), call(1, "MULTI"), call(1, "XADD", "s", "1-1", "a", "1"),
      call(1, "XDEL", "s", "1-1"), call(1, "EXEC"), read(0), call(1, "XPENDING", "s", "g"), call(1, "XINFO", "GROUPS", "s"),
    ],
  },
];
