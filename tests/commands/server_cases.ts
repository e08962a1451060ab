// Differential cases of the server commands (src/commands/families/server.ts), by
// command: DBSIZE, FLUSHDB, FLUSHALL, COMMAND, CONFIG; run by server_test.ts against
// redis-server or its recorded replies (tests/differential/suite.ts). Values that
// differ by design (Materia's configuration, its command count) are left out.
import type { CasesByCommand } from "../differential/case_types.ts";

export const CASES: CasesByCommand = {
  DBSIZE: [
    {
      name: "DBSIZE counts the keys of the selected database",
      steps: [["DBSIZE"], ["SET", "a", "1"], ["MSET", "b", "2", "c", "3"], ["DBSIZE"], ["DEL", "a"], ["DBSIZE"], ["DBSIZE", "x"]],
    },
  ],
  FLUSHDB: [
    {
      name: "FLUSHDB takes ASYNC or SYNC and nothing else",
      steps: [
        ["SET", "a", "1"], ["FLUSHDB"], ["DBSIZE"], ["SET", "a", "1"], ["FLUSHDB", "ASYNC"], ["DBSIZE"], ["SET", "a", "1"],
        ["flushdb", "sync"], ["DBSIZE"], ["FLUSHDB", "Async"], ["FLUSHDB", "bad"], ["FLUSHDB", "ASYNC", "SYNC"],
        ["FLUSHDB", "SYNC", "x"], ["FLUSHDB", ""],
      ],
    },
  ],
  FLUSHALL: [
    {
      name: "FLUSHALL clears every database and checks its argument",
      steps: [
        ["SET", "a", "1"], ["SELECT", "3"], ["SET", "b", "2"], ["FLUSHALL"], ["DBSIZE"], ["SELECT", "0"], ["DBSIZE"],
        ["SET", "a", "1"], ["FLUSHALL", "ASYNC"], ["DBSIZE"], ["FLUSHALL", "sync"], ["FLUSHALL", "x"], ["FLUSHALL", "ASYNC", "x"],
      ],
    },
  ],
  "COMMAND GETKEYS": [
    {
      name: "COMMAND GETKEYS returns the key arguments",
      steps: [
        ["COMMAND", "GETKEYS", "GET", "k"], ["COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2"], ["COMMAND", "GETKEYS", "DEL", "a", "b", "c"],
        ["COMMAND", "GETKEYS", "SET", "k", "v", "EX", "10"], ["COMMAND", "GETKEYS", "GETRANGE", "k", "0", "1"],
        ["COMMAND", "GETKEYS", "PING"], ["COMMAND", "GETKEYS", "FOO", "a"], ["COMMAND", "GETKEYS", "GET"],
        ["COMMAND", "GETKEYS", "GET", "a", "b"], ["COMMAND", "GETKEYS"], ["command", "getkeys", "exists", "a", "a"],
      ],
    },
  ],
  CONFIG: [
    {
      name: "CONFIG GET, CONFIG SET, CONFIG RESETSTAT and CONFIG REWRITE errors, and CONFIG HELP",
      steps: [
        ["CONFIG"],
        ["CONFIG", "GET"],
        ["CONFIG", "SET", "maxmemory"],
        ["CONFIG", "RESETSTAT"],
        ["CONFIG", "RESETSTAT", "x"],
        ["CONFIG", "REWRITE", "x"],
        ["CONFIG", "NOPE"],
        ["CONFIG", "HELP"],
      ],
    },
  ],
  "CONFIG GET": [
    {
      name: "CONFIG GET: parameters clients read",
      steps: [
        ["CONFIG", "GET", "databases"],
        ["CONFIG", "GET", "DATABASES"],
        ["CONFIG", "GET", "maxmemory"],
        ["CONFIG", "GET", "maxmemory-policy"],
        ["CONFIG", "GET", "save"],
        ["CONFIG", "GET", "appendonly"],
        ["CONFIG", "GET", "timeout"],
        ["CONFIG", "GET", "hash-max-listpack-entries"],
        ["CONFIG", "GET", "hash-max-ziplist-value"],
        ["CONFIG", "GET", "set-max-intset-entries"],
        ["CONFIG", "GET", "zset-max-listpack-entries"],
        ["CONFIG", "GET", "list-max-listpack-size"],
        ["CONFIG", "GET", "cluster-enabled"],
        ["CONFIG", "GET", "databases", "databases"],
        ["CONFIG", "GET", "no-such-parameter"],
        ["CONFIG", "GET", "no-such-*"],
        ["CONFIG", "GET", "hash-max-listpack-e*"],
      ],
    },
    { name: "CONFIG GET: RESP3 map", resp3: true, steps: [["CONFIG", "GET", "databases"], ["CONFIG", "GET", "nothing"]] },
  ],
};

export const METADATA_COMMANDS: readonly string[] = [
  "dbsize", "flushdb", "flushall", "info", "command", "command|count", "command|list", "command|info", "command|docs", "command|getkeys", "command|help", "config", "config|get", "config|set", "config|resetstat", "config|rewrite", "config|help",
];
