// Differential cases of the blocking commands (src/commands/families/blocking.ts),
// compared byte for byte with redis-server 7.0.15 (or its recorded replies):
// - CASES, on one connection: immediate replies, argument errors, timeouts,
//   wrong types, RESP3, and MULTI (where they never block);
// - SCENARIOS, with several clients (tests/differential/scenario.ts): the
//   order waiters are served in, multi-element pushes, BLMOVE chains, keys
//   deleted or retyped before a waiter runs, CLIENT UNBLOCK, disconnects,
//   pipelined commands behind a blocked one, timeouts measured.
import type { CasesByCommand } from "../differential/case_types.ts";
import { call, send, read, silent, blocked, type Scenario, type ScenarioStep } from "../differential/scenario.ts";

/** Timeout arguments Redis refuses, with the quirks of 7.0's parsing (inf and 1e400 are "negative"). */
const BAD_TIMEOUTS = ["-1", "-0.002", "abc", "", " 1", "1 ", "nan", "inf", "-inf", "1e400", "1e5000", "9.3e15", "1e18", "1,5", "0x"];

export const CASES: CasesByCommand = {
  BLPOP: [
    {
      name: "BLPOP pops the head of the first non-empty list, and checks types in key order",
      steps: [
        ["RPUSH", "l1", "a", "b"], ["BLPOP", "none", "l1", "l2", "1"], ["BLPOP", "l1", "0"], ["EXISTS", "l1"],
        ["SET", "s", "v"], ["BLPOP", "none", "s", "l1", "1"], ["RPUSH", "l3", "x"], ["BLPOP", "l3", "s", "1"], ["BLPOP", "s", "1"],
        ["RPUSH", "dup", "y"], ["BLPOP", "dup", "dup", "0"], ["HSET", "h", "f", "v"], ["BLPOP", "h", "0"],
      ],
    },
    {
      name: "BLPOP times out with a null array; timeouts in seconds with decimals, hex, tiny values rounded up to 1 ms",
      steps: [
        ["BLPOP", "none", "0.05"], ["BLPOP", "none", "other", ".05"], ["BLPOP", "none", "1e-9"], ["BLPOP", "none", "1e-400"],
        ["BLPOP", "none", "0x.1"], ["BLPOP", "none", "+0.01"], ["BLPOP", "none", "0.0001"], ["EXISTS", "none"],
      ],
    },
    {
      name: "BLPOP refuses bad timeouts before looking at the keys",
      steps: [["SET", "s", "v"], ...BAD_TIMEOUTS.map((t) => ["BLPOP", "s", t]), ["RPUSH", "l", "a"], ["BLPOP", "l", "abc"], ["LLEN", "l"]],
    },
    {
      name: "BLPOP in RESP3: a served pair, and _ on a timeout",
      resp3: true,
      steps: [["RPUSH", "l", "a"], ["BLPOP", "l", "1"], ["BLPOP", "l", "0.05"], ["BLPOP", "l", "-1"]],
    },
  ],
  BRPOP: [
    {
      name: "BRPOP pops the tail of the first non-empty list; null array on a timeout",
      steps: [
        ["RPUSH", "l", "a", "b", "c"], ["BRPOP", "none", "l", "1"], ["BRPOP", "l", "1"], ["BRPOP", "l", "1"], ["EXISTS", "l"],
        ["BRPOP", "l", "0.05"], ["SADD", "s", "m"], ["BRPOP", "s", "l", "0"], ["BRPOP", "l", "x"], ["BRPOP", "l", "inf"],
      ],
    },
    {
      name: "BRPOP in RESP3",
      resp3: true,
      steps: [["RPUSH", "l", "a", "b"], ["BRPOP", "l", "0"], ["BRPOP", "none", "0.01"]],
    },
  ],
  BLMOVE: [
    {
      name: "BLMOVE moves at once when the source has an element; the same list rotates",
      steps: [
        ["RPUSH", "src", "a", "b", "c"], ["BLMOVE", "src", "dst", "LEFT", "RIGHT", "0"], ["BLMOVE", "src", "dst", "right", "left", "1"],
        ["LRANGE", "src", "0", "-1"], ["LRANGE", "dst", "0", "-1"], ["BLMOVE", "src", "dst", "LEFT", "LEFT", "0"], ["EXISTS", "src"],
        ["BLMOVE", "dst", "dst", "LEFT", "RIGHT", "0"], ["BLMOVE", "dst", "dst", "RIGHT", "RIGHT", "0"], ["LRANGE", "dst", "0", "-1"],
      ],
    },
    {
      name: "BLMOVE: wrong types, argument errors in Redis's order, null array on a timeout",
      steps: [
        ["SET", "s", "v"], ["RPUSH", "l", "a"], ["BLMOVE", "s", "l", "LEFT", "LEFT", "0"], ["BLMOVE", "l", "s", "LEFT", "LEFT", "0"], ["LLEN", "l"],
        ["BLMOVE", "none", "s", "LEFT", "LEFT", "0.05"], ["BLMOVE", "none", "d", "LEFT", "RIGHT", "0.05"], ["EXISTS", "d"],
        ["BLMOVE", "l", "d", "UP", "LEFT", "0"], ["BLMOVE", "l", "d", "LEFT", "DOWN", "x"], ["BLMOVE", "l", "d", "LEFT", "RIGHT", "x"],
        ["BLMOVE", "l", "d", "LEFT", "RIGHT", "-1"], ["BLMOVE", "l", "d", "LEFT", "RIGHT", "1e400"], ["LLEN", "l"],
      ],
    },
    {
      name: "BLMOVE in RESP3: the element, and _ on a timeout",
      resp3: true,
      steps: [["RPUSH", "l", "a"], ["BLMOVE", "l", "d", "LEFT", "RIGHT", "0"], ["BLMOVE", "l", "d", "LEFT", "RIGHT", "0.02"]],
    },
  ],
  BRPOPLPUSH: [
    {
      name: "BRPOPLPUSH moves the tail to the head of the destination; null array on a timeout",
      steps: [
        ["RPUSH", "src", "a", "b"], ["BRPOPLPUSH", "src", "dst", "0"], ["BRPOPLPUSH", "src", "dst", "1"], ["LRANGE", "dst", "0", "-1"],
        ["EXISTS", "src"], ["BRPOPLPUSH", "src", "dst", "0.05"], ["SET", "s", "v"], ["BRPOPLPUSH", "dst", "s", "0"], ["BRPOPLPUSH", "s", "dst", "0"],
        ["BRPOPLPUSH", "dst", "dst", "0"], ["LRANGE", "dst", "0", "-1"], ["BRPOPLPUSH", "dst", "x", "abc"], ["BRPOPLPUSH", "dst", "x", "-0.5"],
      ],
    },
  ],
  BLMPOP: [
    {
      name: "BLMPOP pops up to COUNT elements from one end of the first non-empty list",
      steps: [
        ["RPUSH", "b", "1", "2", "3", "4"], ["BLMPOP", "0", "2", "a", "b", "LEFT"], ["BLMPOP", "1", "2", "a", "b", "RIGHT", "COUNT", "2"],
        ["BLMPOP", "0", "1", "b", "left", "count", "10"], ["EXISTS", "b"], ["BLMPOP", "0.05", "2", "a", "b", "LEFT"],
        ["SET", "s", "v"], ["RPUSH", "c", "x"], ["BLMPOP", "0", "2", "s", "c", "LEFT"], ["BLMPOP", "0", "2", "c", "s", "LEFT"],
      ],
    },
    {
      name: "BLMPOP checks the timeout, numkeys, where and COUNT in Redis's order",
      steps: [
        ["RPUSH", "a", "1"],
        ["BLMPOP", "x", "1", "a", "LEFT"], ["BLMPOP", "-1", "1", "a", "LEFT"], ["BLMPOP", "0", "0", "a", "LEFT"], ["BLMPOP", "0", "x", "a", "LEFT"],
        ["BLMPOP", "0", "-1", "a", "LEFT"], ["BLMPOP", "0", "5", "a", "LEFT"], ["BLMPOP", "0", "2", "a", "LEFT"], ["BLMPOP", "0", "1", "a", "MIDDLE"],
        ["BLMPOP", "0", "1", "a", "LEFT", "COUNT", "0"], ["BLMPOP", "0", "1", "a", "LEFT", "COUNT", "x"], ["BLMPOP", "0", "1", "a", "LEFT", "COUNT"],
        ["BLMPOP", "0", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1"], ["BLMPOP", "0", "1", "a", "LEFT", "foo"], ["BLMPOP", "0", "99999999999999999999", "a", "LEFT"],
        ["BLMPOP", "0", "1", "a", "RIGHT", "COUNT", "9223372036854775807"],
      ],
    },
    {
      name: "BLMPOP in RESP3",
      resp3: true,
      steps: [["RPUSH", "a", "1", "2"], ["BLMPOP", "0", "1", "a", "LEFT", "COUNT", "5"], ["BLMPOP", "0.01", "1", "a", "LEFT"]],
    },
  ],
  BZPOPMIN: [
    {
      name: "BZPOPMIN pops the lowest score of the first non-empty sorted set; null array on a timeout",
      steps: [
        ["ZADD", "z", "1", "a", "2", "b", "-inf", "c"], ["BZPOPMIN", "none", "z", "1"], ["BZPOPMIN", "z", "0"], ["BZPOPMIN", "z", "0"], ["EXISTS", "z"],
        ["BZPOPMIN", "z", "0.05"], ["RPUSH", "l", "a"], ["BZPOPMIN", "l", "0"], ["BZPOPMIN", "z", "abc"], ["BZPOPMIN", "z", "-1"],
        ["ZADD", "y", "1.5", "m"], ["BZPOPMIN", "y", "l", "0"],
      ],
    },
    {
      name: "BZPOPMIN in RESP3: the score is a double",
      resp3: true,
      steps: [["ZADD", "z", "1.5", "a", "3", "b"], ["BZPOPMIN", "z", "0"], ["BZPOPMIN", "none", "0.01"]],
    },
  ],
  BZPOPMAX: [
    {
      name: "BZPOPMAX pops the highest score; null array on a timeout",
      steps: [
        ["ZADD", "z", "1", "a", "2", "b", "+inf", "c"], ["BZPOPMAX", "z", "1"], ["BZPOPMAX", "none", "z", "0"], ["BZPOPMAX", "z", "0"],
        ["BZPOPMAX", "z", "0.05"], ["SET", "s", "v"], ["BZPOPMAX", "s", "0"], ["BZPOPMAX", "z", "nan"],
      ],
    },
    {
      name: "BZPOPMAX in RESP3",
      resp3: true,
      steps: [["ZADD", "z", "1", "a", "2", "b"], ["BZPOPMAX", "z", "0"]],
    },
  ],
  BZMPOP: [
    {
      name: "BZMPOP pops up to COUNT members from the first non-empty sorted set, and checks its arguments",
      steps: [
        ["ZADD", "b", "1", "x", "2", "y", "3", "z"], ["BZMPOP", "0", "2", "a", "b", "MIN"], ["BZMPOP", "1", "2", "a", "b", "MAX", "COUNT", "5"],
        ["EXISTS", "b"], ["BZMPOP", "0.05", "2", "a", "b", "MIN"], ["BZMPOP", "x", "1", "a", "MIN"], ["BZMPOP", "0", "0", "a", "MIN"],
        ["BZMPOP", "0", "5", "a", "MIN"], ["BZMPOP", "0", "1", "a", "FOO"], ["BZMPOP", "0", "1", "a", "MIN", "COUNT", "0"],
        ["BZMPOP", "0", "1", "a", "MIN", "COUNT", "1", "COUNT", "2"], ["SET", "s", "v"], ["BZMPOP", "0", "1", "s", "MIN"],
      ],
    },
    {
      name: "BZMPOP in RESP3",
      resp3: true,
      steps: [["ZADD", "b", "1.5", "x", "2", "y"], ["BZMPOP", "0", "1", "b", "MIN", "COUNT", "2"], ["BZMPOP", "0.01", "1", "b", "MIN"]],
    },
  ],
  "inside multi": [
    {
      name: "BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX and BZMPOP never block inside MULTI: nil at once (BLMOVE a null bulk string)",
      steps: [
        ["MULTI"], ["BLPOP", "none", "0"], ["BRPOP", "none", "0"], ["BLMOVE", "none", "d", "LEFT", "RIGHT", "0"], ["BRPOPLPUSH", "none", "d", "0"],
        ["BLMPOP", "0", "1", "none", "LEFT"], ["BZPOPMIN", "none", "0"], ["BZPOPMAX", "none", "0"], ["BZMPOP", "0", "1", "none", "MIN"], ["EXEC"],
      ],
    },
    {
      name: "BLPOP and BLMOVE inside MULTI see the transaction's own writes; wrong types and bad timeouts are replies in EXEC",
      steps: [
        ["SET", "s", "v"], ["MULTI"], ["RPUSH", "l", "a", "b"], ["BLPOP", "l", "0"], ["BLMOVE", "l", "d", "LEFT", "LEFT", "0"], ["BLPOP", "l", "0"],
        ["BLPOP", "s", "0"], ["BLPOP", "l", "abc"], ["BZPOPMIN", "s", "0"], ["EXEC"], ["LRANGE", "d", "0", "-1"],
      ],
    },
    {
      name: "BLPOP and BLMOVE inside MULTI in RESP3",
      resp3: true,
      steps: [["MULTI"], ["BLPOP", "none", "0"], ["BLMOVE", "none", "d", "LEFT", "RIGHT", "0"], ["BZMPOP", "0", "1", "none", "MAX"], ["EXEC"]],
    },
  ],
};

export const METADATA_COMMANDS: readonly string[] = ["blpop", "brpop", "blmove", "brpoplpush", "blmpop", "bzpopmin", "bzpopmax", "bzmpop"];

// --- scenarios with several clients ---

/** Client `c` sends a blocking command and the scenario waits until it is blocked (n clients blocked in all). */
const block = (c: number, n: number, ...argv: string[]): ScenarioStep[] => [send(c, ...argv), blocked(n)];

export const SCENARIOS: readonly Scenario[] = [
  {
    name: "BLPOP: the client blocked longest is served first; LPUSH l a b c serves three waiters c, b, a",
    clients: 4,
    steps: [
      ...block(0, 1, "BLPOP", "l", "0"), ...block(1, 2, "BLPOP", "l", "0"), ...block(2, 3, "BLPOP", "l", "0"),
      call(3, "LPUSH", "l", "a", "b", "c"), read(0), read(1), read(2), call(3, "EXISTS", "l"), blocked(0),
    ],
  },
  {
    name: "BRPOP and BLPOP waiters each pop from their own end; the rest stays",
    clients: 3,
    steps: [
      ...block(0, 1, "BRPOP", "l", "0"), ...block(1, 2, "BLPOP", "l", "0"),
      call(2, "RPUSH", "l", "x", "y", "z"), read(0), read(1), call(2, "LRANGE", "l", "0", "-1"),
    ],
  },
  {
    name: "BLPOP: one element serves one waiter; the next waiters stay blocked until the next pushes",
    clients: 4,
    steps: [
      ...block(0, 1, "BLPOP", "l", "0"), ...block(1, 2, "BLPOP", "l", "0"), ...block(2, 3, "BLPOP", "l", "0"),
      call(3, "RPUSH", "l", "a"), read(0), silent(1), silent(2, 10), blocked(2),
      call(3, "RPUSH", "l", "b"), read(1), silent(2), call(3, "RPUSH", "l", "c"), read(2), call(3, "EXISTS", "l"),
    ],
  },
  {
    name: "BLMOVE and BRPOPLPUSH chain: a push into the destination serves that key's waiters",
    clients: 4,
    steps: [
      ...block(0, 1, "BLMOVE", "src", "mid", "RIGHT", "LEFT", "0"), ...block(1, 2, "BRPOPLPUSH", "mid", "dst", "0"), ...block(2, 3, "BLPOP", "dst", "0"),
      call(3, "RPUSH", "src", "v"), read(0), read(1), read(2), call(3, "EXISTS", "src", "mid", "dst"),
    ],
  },
  {
    name: "BLMOVE: a destination of another type when the waiter is served is its WRONGTYPE, and the element stays",
    clients: 2,
    steps: [
      ...block(0, 1, "BLMOVE", "src", "dst", "LEFT", "LEFT", "0"), call(1, "SET", "dst", "str"), call(1, "RPUSH", "src", "v"), read(0),
      call(1, "LRANGE", "src", "0", "-1"), call(1, "GET", "dst"),
    ],
  },
  {
    name: "BLMOVE of a list onto itself waits, then rotates",
    clients: 2,
    steps: [...block(0, 1, "BLMOVE", "cyc", "cyc", "LEFT", "RIGHT", "0"), call(1, "RPUSH", "cyc", "a"), read(0), call(1, "LRANGE", "cyc", "0", "-1")],
  },
  {
    name: "a key pushed then deleted in one transaction leaves the waiter blocked; a later push serves it",
    clients: 2,
    steps: [
      ...block(0, 1, "BLPOP", "l", "0"), call(1, "MULTI"), call(1, "LPUSH", "l", "a"), call(1, "DEL", "l"), call(1, "EXEC"), silent(0), blocked(1),
      call(1, "RPUSH", "l", "b"), read(0),
    ],
  },
  {
    name: "a key recreated with another type before the waiter runs leaves it blocked, without an error",
    clients: 2,
    steps: [
      ...block(0, 1, "BLPOP", "l", "0"), call(1, "MULTI"), call(1, "LPUSH", "l", "a"), call(1, "DEL", "l"), call(1, "SET", "l", "str"), call(1, "EXEC"),
      silent(0), call(1, "DEL", "l"), call(1, "RPUSH", "l", "b"), read(0),
    ],
  },
  {
    name: "a sorted set waiter stays blocked when its key becomes a string; a later ZADD serves it",
    clients: 2,
    steps: [
      ...block(0, 1, "BZPOPMIN", "z", "0"), call(1, "MULTI"), call(1, "ZADD", "z", "1", "a"), call(1, "DEL", "z"), call(1, "SET", "z", "s"), call(1, "EXEC"),
      silent(0), call(1, "SET", "z", "t"), silent(0, 50), call(1, "DEL", "z"), call(1, "ZADD", "z", "2", "b"), read(0),
    ],
  },
  {
    name: "a push and a pop in one transaction: the waiter sees only the final state",
    clients: 2,
    steps: [
      ...block(0, 1, "BLPOP", "l", "0"), call(1, "MULTI"), call(1, "RPUSH", "l", "a", "b"), call(1, "LPOP", "l"), call(1, "EXEC"), read(0),
      call(1, "EXISTS", "l"),
    ],
  },
  {
    name: "BLPOP on several keys is served from the key signalled first",
    clients: 2,
    steps: [
      ...block(0, 1, "BLPOP", "k1", "k2", "0"), call(1, "MULTI"), call(1, "RPUSH", "k2", "x"), call(1, "RPUSH", "k1", "y"), call(1, "EXEC"), read(0),
      call(1, "LRANGE", "k1", "0", "-1"), call(1, "LRANGE", "k2", "0", "-1"),
    ],
  },
  {
    name: "waiters on several keys: each served once, from the key it waits on",
    clients: 3,
    steps: [
      ...block(0, 1, "BLPOP", "a", "b", "0"), ...block(1, 2, "BLPOP", "b", "0"), call(2, "RPUSH", "b", "1", "2", "3"), read(0), read(1),
      call(2, "LRANGE", "b", "0", "-1"), ...block(0, 1, "BRPOP", "x", "x", "0"), call(2, "RPUSH", "x", "p", "q"), read(0), call(2, "LRANGE", "x", "0", "-1"),
    ],
  },
  {
    name: "BLMPOP waiters with COUNT share a multi-element push, in blocking order",
    clients: 3,
    steps: [
      ...block(0, 1, "BLMPOP", "0", "2", "none", "l", "LEFT", "COUNT", "2"), ...block(1, 2, "BLMPOP", "0", "1", "l", "RIGHT", "COUNT", "2"),
      call(2, "RPUSH", "l", "a", "b", "c"), read(0), read(1), call(2, "EXISTS", "l"),
    ],
  },
  {
    name: "BZPOPMIN, BZPOPMAX and BZMPOP waiters served by ZADD, one member each in blocking order (RESP3 for one)",
    clients: 4,
    resp3: [1],
    steps: [
      ...block(0, 1, "BZPOPMIN", "z", "0"), ...block(1, 2, "BZPOPMAX", "z", "0"), ...block(2, 3, "BZMPOP", "0", "1", "z", "MIN", "COUNT", "5"),
      call(3, "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"), read(0), read(1), read(2), call(3, "EXISTS", "z"),
    ],
  },
  {
    name: "BLPOP on a key of another type answers WRONGTYPE at once; on a missing key it waits",
    clients: 2,
    steps: [
      call(1, "SET", "s", "v"), send(0, "BLPOP", "s", "0"), read(0), send(0, "BLPOP", "none", "s", "0"), read(0), call(1, "RPUSH", "l", "a"),
      send(0, "BLPOP", "l", "s", "0"), read(0), ...block(0, 1, "BLPOP", "none", "0"), call(1, "RPUSH", "none", "x"), read(0),
    ],
  },
  {
    name: "timeouts of 0.1 s answer a null array (RESP3 _) after 100 to 400 ms, for every blocking command",
    clients: 2,
    resp3: [1],
    steps: [
      send(0, "BLPOP", "none", "0.1"), read(0, [100, 400]),
      send(1, "BLPOP", "none", "0.1"), read(1, [100, 400]),
      send(0, "BRPOP", "none", "0.1"), read(0, [100, 400]),
      send(0, "BLMOVE", "none", "d", "LEFT", "RIGHT", "0.1"), read(0, [100, 400]),
      send(1, "BLMOVE", "none", "d", "LEFT", "RIGHT", "0.1"), read(1, [100, 400]),
      send(0, "BRPOPLPUSH", "none", "d", "0.1"), read(0, [100, 400]),
      send(0, "BLMPOP", "0.1", "1", "none", "LEFT"), read(0, [100, 400]),
      send(0, "BZPOPMIN", "none", "0.1"), read(0, [100, 400]),
      send(0, "BZPOPMAX", "none", "0.1"), read(0, [100, 400]),
      send(0, "BZMPOP", "0.1", "1", "none", "MAX"), read(0, [100, 400]),
      call(0, "EXISTS", "d"),
    ],
  },
  {
    name: "a waiter served before its timeout, then its timeout is gone",
    clients: 2,
    steps: [send(0, "BLPOP", "l", "0.3"), blocked(1), call(1, "RPUSH", "l", "a"), read(0, [0, 250]), silent(0, 400), call(0, "PING")],
  },
  {
    name: "CLIENT UNBLOCK: TIMEOUT (the default) gives the timeout reply, ERROR the UNBLOCKED error; 0 once it is not blocked",
    clients: 2,
    resp3: [1],
    steps: [
      { c: 0, call: ["CLIENT", "ID"], save: "id0" }, { c: 1, call: ["CLIENT", "ID"], save: "id1" },
      ...block(0, 1, "BLPOP", "l", "0"), { c: 1, call: ["CLIENT", "UNBLOCK", (s) => s.id0!] }, read(0), { c: 1, call: ["CLIENT", "UNBLOCK", (s) => s.id0!] },
      ...block(0, 1, "BLMOVE", "l", "d", "LEFT", "LEFT", "0"), { c: 1, call: ["CLIENT", "UNBLOCK", (s) => s.id0!, "timeout"] }, read(0),
      ...block(0, 1, "BZPOPMIN", "z", "0"), { c: 1, call: ["CLIENT", "UNBLOCK", (s) => s.id0!, "ERROR"] }, read(0),
      ...block(0, 1, "BLPOP", "l", "0"), { c: 1, call: ["CLIENT", "UNBLOCK", (s) => s.id0!, "FOO"] }, silent(0, 50), blocked(1),
      { c: 1, call: ["CLIENT", "UNBLOCK", (s) => s.id0!, "error"] }, read(0), call(0, "PING"),
      ...block(1, 1, "BLPOP", "l", "0"), { c: 0, call: ["CLIENT", "UNBLOCK", (s) => s.id1!] }, read(1),
      ...block(1, 1, "BLPOP", "l", "0"), { c: 0, call: ["CLIENT", "UNBLOCK", (s) => s.id1!, "ERROR"] }, read(1),
      call(1, "RPUSH", "l", "x"), call(1, "LRANGE", "l", "0", "-1"),
    ],
  },
  {
    name: "CLIENT UNBLOCK ends a wait that would last forever (a timeout of -0.001 rounds up to 0)",
    clients: 2,
    steps: [
      { c: 0, call: ["CLIENT", "ID"], save: "id0" }, ...block(0, 1, "BLPOP", "l", "-0.001"), silent(0, 200),
      { c: 1, call: ["CLIENT", "UNBLOCK", (s) => s.id0!] }, read(0),
    ],
  },
  {
    name: "a client that disconnects while blocked stops waiting: nothing is popped for it",
    clients: 3,
    steps: [
      ...block(0, 1, "BLPOP", "l", "0"), ...block(1, 2, "BLPOP", "l", "0"), { c: 0, close: true }, blocked(1),
      call(2, "RPUSH", "l", "a", "b"), read(1), call(2, "LRANGE", "l", "0", "-1"),
    ],
  },
  {
    name: "commands pipelined behind a blocked command wait for its reply",
    clients: 2,
    steps: [
      send(0, "BLPOP", "l", "0"), send(0, "PING"), send(0, "RPUSH", "l", "mine"), blocked(1), silent(0), call(1, "LLEN", "l"),
      call(1, "RPUSH", "l", "a"), read(0), read(0), read(0), call(1, "LRANGE", "l", "0", "-1"),
    ],
  },
  {
    name: "a waiter whose key is written but stays empty (LPUSHX, LTRIM) keeps waiting",
    clients: 2,
    steps: [
      ...block(0, 1, "BLPOP", "l", "0"), call(1, "LPUSHX", "l", "a"), call(1, "RPUSH", "other", "b"), silent(0), call(1, "RPOPLPUSH", "other", "l"), read(0),
      call(1, "EXISTS", "l", "other"),
    ],
  },
];
