// Differential cases of SORT and SORT_RO (src/commands/families/sort.ts), run by
// sort_test.ts against redis-server or its recorded replies. A set's own order is
// Redis's hash order and Materia's byte order: cases that answer a set unsorted
// (BY nosort) compare the reply unordered. ALPHA compares bytes in Materia and
// strcoll in Redis, which agree for the C locale without NUL bytes.
import { INT64_MAX, INT64_MIN, unordered, ttl, type CasesByCommand, type Step } from "../differential/case_types.ts";

/** A list, a set and a sorted set of the same numbers, and weights and hashes keyed by them. */
const NUMBERS: readonly Step[] = [
  ["RPUSH", "l", "3", "10", "-1", "2.5", "10", "0", "1e2", "-0.5", "7"],
  ["SADD", "s", "3", "10", "-1", "2.5", "0", "1e2", "-0.5", "7"],
  ["ZADD", "z", "1", "3", "2", "10", "3", "-1", "4", "2.5", "5", "0", "6", "1e2", "7", "-0.5", "8", "7"],
  ["MSET", "w_3", "30", "w_10", "5", "w_-1", "5", "w_2.5", "-2", "w_0", "100", "w_1e2", "1", "w_-0.5", "0", "w_7", "abc"],
  // Every element but -0.5 has a name, every one but 1e2 a hash field `n`: ALPHA BY sorts a missing weight first, and equal
  // weights would leave the order to the sort algorithm (Redis's libc qsort), so there are none.
  ["MSET", "name_3", "three", "name_10", "ten", "name_-1", "minus one", "name_2.5", "two and a half", "name_0", "zero", "name_7", "seven", "name_1e2", "hundred"],
  ["HSET", "h_3", "w", "3", "n", "three"], ["HSET", "h_10", "w", "-10", "n", "ten"], ["HSET", "h_-1", "w", "1", "n", "minus one"],
  ["HSET", "h_2.5", "w", "2.5", "n", "2.5"], ["HSET", "h_0", "n", "zero"], ["HSET", "h_7", "w", "7", "n", "seven"], ["HSET", "h_1e2", "w", "0"],
  ["HSET", "h_-0.5", "n", "-0.5"],
];

const WORDS: readonly Step[] = [
  ["RPUSH", "words", "pear", "Apple", "banana", "apple", "cherry", "Banana", "10", "9", "", "apple pie", "z"],
  ["SADD", "wset", "pear", "Apple", "banana", "apple", "cherry", "Banana", "10", "9", "", "apple pie", "z"],
  ["ZADD", "wz", "5", "pear", "4", "Apple", "3", "banana", "2", "apple", "1", "cherry", "0", "z"],
];

export const CASES: CasesByCommand = {
  SORT: [
    {
      name: "SORT sorts lists, sets and sorted sets by number, ASC and DESC, with LIMIT",
      steps: [
        ...NUMBERS,
        ...["l", "s", "z"].flatMap((k): Step[] => [
          ["SORT", k], ["SORT", k, "DESC"], ["SORT", k, "ASC"], ["SORT", k, "desc", "asc"], ["SORT", k, "LIMIT", "0", "3"], ["SORT", k, "LIMIT", "2", "3", "DESC"],
          ["SORT", k, "LIMIT", "5", "100"], ["SORT", k, "LIMIT", "-5", "2"], ["SORT", k, "LIMIT", "3", "-1"], ["SORT", k, "LIMIT", "3", "0"], ["SORT", k, "LIMIT", "100", "5"],
          ["SORT", k, "LIMIT", "8", "1"], ["SORT", k, "LIMIT", "0", "-5"], ["SORT", k, "LIMIT", INT64_MAX, INT64_MAX], ["SORT", k, "LIMIT", INT64_MIN, INT64_MAX],
          ["SORT", k, "LIMIT", "1", "2", "LIMIT", "0", "1"], ["SORT", k, "ALPHA"], ["SORT", k, "ALPHA", "DESC", "LIMIT", "1", "4"],
        ]),
        ["SORT", "missing"], ["SORT", "missing", "DESC", "LIMIT", "0", "1", "ALPHA"], ["SORT", "missing", "BY", "nosort"],
      ],
    },
    {
      name: "SORT ALPHA sorts by bytes; a number sort of words fails",
      steps: [
        ...WORDS,
        ["SORT", "words", "ALPHA"], ["SORT", "words", "alpha", "DESC"], ["SORT", "words", "ALPHA", "LIMIT", "2", "3"], ["SORT", "wset", "ALPHA"],
        ["SORT", "wset", "ALPHA", "DESC", "LIMIT", "0", "4"], ["SORT", "wz", "ALPHA"], ["SORT", "wz", "ALPHA", "DESC"], ["SORT", "words"], ["SORT", "wset"],
        ["SORT", "wz"], ["SORT", "words", "LIMIT", "0", "1"], ["SORT", "words", "DESC", "ALPHA", "GET", "#"],
      ],
    },
    {
      name: "SORT BY weight keys and hash fields; missing weights count 0 (ALPHA: first)",
      steps: [
        ...NUMBERS,
        ...["l", "s", "z"].flatMap((k): Step[] => [
          ["SORT", k, "BY", "h_*->w"], ["SORT", k, "BY", "h_*->w", "DESC"], ["SORT", k, "BY", "h_*->w", "LIMIT", "1", "3"], ["SORT", k, "BY", "h_*->w", "LIMIT", "2", "2", "DESC"],
          ["SORT", k, "BY", "name_*", "ALPHA"], ["SORT", k, "BY", "name_*", "ALPHA", "DESC"], ["SORT", k, "BY", "h_*->n", "ALPHA", "LIMIT", "0", "3"],
          ["SORT", k, "BY", "missing_*"], ["SORT", k, "BY", "missing_*", "DESC", "LIMIT", "0", "4"], ["SORT", k, "BY", "h_*->"], ["SORT", k, "BY", "h_*->nofield"],
          ["SORT", k, "BY", "w_*"], ["SORT", k, "BY", "*"], k === "s" ? unordered("SORT", k, "BY", "l") : ["SORT", k, "BY", "l"], ["SORT", k, "BY", "*->w"],
        ]),
      ],
    },
    {
      name: "SORT GET returns other keys' values, hash fields, the element (#), nil for what is missing",
      steps: [
        ...NUMBERS,
        ...["l", "s", "z"].flatMap((k): Step[] => [
          ["SORT", k, "GET", "name_*"], ["SORT", k, "GET", "#", "GET", "name_*", "GET", "h_*->w", "GET", "h_*->n"], ["SORT", k, "GET", "nostar"],
          ["SORT", k, "GET", "name_*", "DESC", "LIMIT", "1", "2"], ["SORT", k, "BY", "h_*->w", "GET", "h_*->n", "GET", "#"], ["SORT", k, "GET", "h_*->"],
          ["SORT", k, "GET", "h_*->w->x"], ["SORT", k, "GET", "##"], ["SORT", k, "GET", "*"], ["SORT", k, "GET", "*_*"], ["SORT", k, "GET", "name_*", "LIMIT", "0", "0"],
        ]),
        ["SET", "x3", "string"], ["RPUSH", "x10", "list"], ["SORT", "l", "GET", "x*", "BY", "x*"], ["SORT", "missing", "GET", "name_*"],
      ],
    },
    {
      name: "SORT BY nosort keeps a list's and a sorted set's order, with LIMIT and DESC; a set comes back whole",
      steps: [
        ...NUMBERS,
        ...["l", "z"].flatMap((k): Step[] => [
          ["SORT", k, "BY", "nosort"], ["SORT", k, "BY", "nosort", "DESC"], ["SORT", k, "BY", "nosort", "LIMIT", "2", "3"], ["SORT", k, "BY", "nosort", "LIMIT", "2", "3", "DESC"],
          ["SORT", k, "BY", "nosort", "LIMIT", "0", "100", "DESC"], ["SORT", k, "BY", "nosort", "LIMIT", "7", "5", "DESC"], ["SORT", k, "BY", "nosort", "LIMIT", "50", "5"],
          ["SORT", k, "BY", "nosort", "GET", "name_*", "GET", "#", "LIMIT", "1", "2"], ["SORT", k, "BY", "w_*", "BY", "nosort"], ["SORT", k, "BY", "nosort", "BY", "w_*"],
          ["SORT", k, "BY", "nosort", "ALPHA", "DESC"], ["SORT", k, "BY", "constant", "LIMIT", "1", "1"],
        ]),
        unordered("SORT", "s", "BY", "nosort"), unordered("SORT", "s", "BY", "nosort", "GET", "#", "GET", "name_*"), unordered("SORT", "s", "BY", "nosort", "DESC"),
        ["SORT", "l", "BY", "nosort", "STORE", "dl"], ["LRANGE", "dl", "0", "-1"], ["SORT", "s", "BY", "nosort", "STORE", "ds"], ["LRANGE", "ds", "0", "-1"],
        ["SORT", "s", "BY", "nosort", "DESC", "LIMIT", "1", "3", "STORE", "ds"], ["LRANGE", "ds", "0", "-1"],
      ],
    },
    {
      // Not here: weights with a NUL byte, empty ones and "0e-400", which Redis refuses or not depending on an errno left by
      // an earlier strtod (sortCommandGeneric reads errno without clearing it); sort_test.ts checks Materia's reading.
      name: "SORT weights are read as strtod does: spaces, hex, inf; trailing bytes, NaN and ERANGE fail",
      steps: [
        ["RPUSH", "n", "1", " 2", "\t3", "0x10", "0x1p3", "inf", "-inf", "+5", ".5", "5.", "1e3", "-0", "1e-300"],
        ["SORT", "n"], ["SORT", "n", "DESC"], ["SORT", "n", "LIMIT", "0", "3"],
        ...["2 ", "abc", "nan", "NaN", "1e400", "-1e400", "1e-400", "0x", "1e", "1.2.3", " ", "infinit", "1_0", "--1", "4.9e-324", "1e-310"].flatMap((bad): Step[] => [
          ["DEL", "m"], ["RPUSH", "m", "1", bad, "2"], ["SORT", "m"], ["SORT", "m", "ALPHA"], ["SORT", "m", "BY", "nosort"],
        ]),
        ["RPUSH", "e", "a", "b"], ["MSET", "we_a", "1", "we_b", "nope"], ["SORT", "e", "BY", "we_*"], ["SORT", "e", "BY", "we_*", "ALPHA"], ["SORT", "e", "BY", "we_*", "STORE", "d"],
        ["EXISTS", "d"],
      ],
    },
    {
      name: "SORT STORE writes a list, replacing any value and its TTL; an empty result deletes the destination",
      steps: [
        ...NUMBERS,
        ["SORT", "l", "STORE", "d"], ["TYPE", "d"], ["LRANGE", "d", "0", "-1"], ["SORT", "s", "DESC", "GET", "#", "GET", "name_*", "STORE", "d"], ["LRANGE", "d", "0", "-1"],
        ["SET", "str", "x", "EX", "100"], ["SORT", "z", "LIMIT", "1", "2", "STORE", "str"], ["TYPE", "str"], ttl("TTL", "str"), ["LRANGE", "str", "0", "-1"],
        ["HSET", "hash", "f", "v"], ["SORT", "l", "BY", "h_*->w", "GET", "h_*->n", "STORE", "hash"], ["LRANGE", "hash", "0", "-1"], ["LLEN", "hash"],
        ["SORT", "missing", "STORE", "d"], ["EXISTS", "d"], ["SORT", "missing", "STORE", "d"], ["SORT", "l", "LIMIT", "100", "1", "STORE", "hash"], ["EXISTS", "hash"],
        ["SORT", "l", "STORE", "l"], ["LRANGE", "l", "0", "-1"], ["SORT", "l", "STORE", "a", "STORE", "b"], ["EXISTS", "a"], ["LRANGE", "b", "0", "-1"],
        ["SORT", "s", "ALPHA", "STORE", "al"], ["LRANGE", "al", "0", "-1"], ["SORT", "s", "GET", "nostar", "STORE", "nil"], ["LRANGE", "nil", "0", "-1"],
        ["SORT", "l", "store", "lower"], ["LLEN", "lower"],
      ],
    },
    {
      name: "SORT errors: options in order, then the key's type, then the weights",
      steps: [
        ["SET", "str", "x"], ["HSET", "h", "f", "v"], ["RPUSH", "l", "b", "a"],
        ["SORT", "str"], ["SORT", "h"], ["SORT", "str", "BAD"], ["SORT", "str", "LIMIT", "0"], ["SORT", "str", "LIMIT", "x", "1"], ["SORT", "l", "LIMIT", "0", "x"],
        ["SORT", "l", "LIMIT", "1.5", "1"], ["SORT", "l", "LIMIT", "0", "99999999999999999999"], ["SORT", "l", "LIMIT"], ["SORT", "l", "BY"], ["SORT", "l", "GET"],
        ["SORT", "l", "STORE"], ["SORT", "l", "ALPHA", "BAD", "LIMIT", "x", "y"], ["SORT", "l", "LIMIT", "x", "y", "BAD"], ["SORT", "l", "DESCENDING"],
        ["SORT", "l"], ["SORT", "str", "STORE", "d"], ["EXISTS", "d"], ["SORT", "l", "STORE", "d", "BAD"], ["EXISTS", "d"], ["SORT", "l", "ALPHA", "GET", "#", "BY", "nosort", "GET"],
        ["SORT", "l", "ALPHA", "STORE", "str"], ["TYPE", "str"], ["SORT"],
      ],
    },
  ],
  SORT_RO: [
    {
      name: "SORT_RO sorts as SORT does",
      steps: [
        ...NUMBERS,
        ...["l", "s", "z"].flatMap((k): Step[] => [
          ["SORT_RO", k], ["SORT_RO", k, "DESC", "LIMIT", "1", "3"], ["SORT_RO", k, "ALPHA"], ["SORT_RO", k, "BY", "h_*->w", "GET", "#", "GET", "name_*"],
          ["SORT_RO", k, "BY", "name_*", "ALPHA", "DESC"],
        ]),
        ["SORT_RO", "l", "BY", "nosort", "DESC", "LIMIT", "1", "2"], ["SORT_RO", "z", "BY", "nosort", "LIMIT", "2", "3"], ["SORT_RO", "missing"],
      ],
    },
    {
      name: "SORT_RO refuses STORE as a syntax error; other errors as SORT",
      steps: [
        ["RPUSH", "l", "b", "a"], ["SET", "str", "x"],
        ["SORT_RO", "l", "STORE", "d"], ["EXISTS", "d"], ["SORT_RO", "l", "store"], ["SORT_RO", "str"], ["SORT_RO", "str", "STORE", "d"], ["SORT_RO", "l", "LIMIT", "a", "b"],
        ["SORT_RO", "l", "ALPHA", "BAD"], ["SORT_RO"],
      ],
    },
  ],
  "movable keys": [
    {
      name: "COMMAND GETKEYS finds SORT's destination as Redis's sortGetKeys does",
      steps: [
        ["COMMAND", "GETKEYS", "SORT", "k"], ["COMMAND", "GETKEYS", "SORT", "k", "STORE", "d"], ["COMMAND", "GETKEYS", "SORT", "k", "store", "d", "STORE", "e"],
        ["COMMAND", "GETKEYS", "SORT", "k", "LIMIT", "store", "x", "ALPHA"], ["COMMAND", "GETKEYS", "SORT", "k", "GET", "store", "BY", "store"],
        ["COMMAND", "GETKEYS", "SORT", "k", "STORE"], ["COMMAND", "GETKEYS", "SORT", "k", "BY", "w_*", "GET", "#", "STORE", "d", "DESC"],
        ["COMMAND", "GETKEYS", "SORT_RO", "k", "STORE", "d"], ["COMMAND", "GETKEYS", "SORT_RO", "k", "BY", "w_*"],
      ],
    },
  ],
};

export const METADATA_COMMANDS: readonly string[] = ["sort", "sort_ro"];
