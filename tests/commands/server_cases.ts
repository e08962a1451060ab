// Differential cases of the server commands (src/commands/families/server.ts), by
// command: DBSIZE, FLUSHDB, FLUSHALL, COMMAND, CONFIG; run by server_test.ts against
// redis-server or its recorded replies (tests/differential/suite.ts). Values that
// differ by design (Materia's configuration, its command count) are left out.
import { type CasesByCommand, unordered } from "../differential/case_types.ts";

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
  "COMMAND GETKEYSANDFLAGS": [
    {
      name: "COMMAND GETKEYSANDFLAGS returns each key with how a read uses it; subcommands and errors as COMMAND GETKEYS",
      steps: [
        ["COMMAND", "GETKEYSANDFLAGS", "GET", "k"], ["COMMAND", "GETKEYSANDFLAGS", "MGET", "a", "b"], ["COMMAND", "GETKEYSANDFLAGS", "PING", "x"],
        ["COMMAND", "GETKEYSANDFLAGS", "NOPE", "x"], ["COMMAND", "GETKEYSANDFLAGS", "GET", "a", "b"], ["COMMAND", "GETKEYSANDFLAGS", "GET"],
        ["COMMAND", "GETKEYS", "MEMORY", "USAGE", "k"], ["COMMAND", "GETKEYS", "CONFIG", "GET", "k"], ["COMMAND", "GETKEYS", "CONFIG", "NOPE", "k"],
      ],
    },
  ],
  "COMMAND LIST": [
    {
      name: "COMMAND LIST FILTERBY PATTERN (any letter case, subcommands too), ACLCAT of no category, MODULE of none; syntax errors",
      steps: [
        ["COMMAND", "LIST", "FILTERBY", "PATTERN", "GETR*"], unordered("COMMAND", "LIST", "FILTERBY", "PATTERN", "config|*"),
        unordered("COMMAND", "LIST", "FILTERBY", "PATTERN", "*|getkeys*"),
        ["COMMAND", "LIST", "FILTERBY", "ACLCAT", "nope"], ["COMMAND", "LIST", "FILTERBY", "MODULE", "nope"],
        ["COMMAND", "LIST", "FILTERBY"], ["COMMAND", "LIST", "FILTERBY", "PATTERN", "a", "FILTERBY"], ["COMMAND", "LIST", "FILTERBY", "NOPE", "x"],
        ["COMMAND", "LIST", "x"],
      ],
    },
  ],
  "COMMAND INFO": [
    {
      name: "COMMAND INFO of subcommands (container|sub, any letter case), unknown ones nil",
      steps: [
        // Entries Materia declares as Redis does (it has no command tips, and derives categories from flags and group).
        ["COMMAND", "INFO", "config|get"], ["COMMAND", "INFO", "CONFIG|GET", "config|nope", "nope|x"], ["COMMAND", "INFO", "get", "client|nope", "get|x"],
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
    {
      name: "CONFIG GET: several patterns, aliases beside their parameter, a name matched twice answered once",
      steps: [
        unordered("CONFIG", "GET", "hash-max-*"),
        unordered("CONFIG", "GET", "zset-max-*-entries", "set-max-intset-entries", "SET-MAX-INTSET-ENTRIES"),
        unordered("CONFIG", "GET", "lua-time-limit", "busy-reply-threshold"),
        unordered("CONFIG", "GET", "slave-*"),
        unordered("CONFIG", "GET", "*incremental-fsync*"),
        unordered("CONFIG", "GET", "lazyfree-*", "activerehashing", "lazyfree-lazy-expire"),
        unordered("CONFIG", "GET", "slowlog-log-slower-than", "slowlog-max-len", "latency-monitor-threshold"),
        // Hidden parameters answer an exact name only.
        ["CONFIG", "GET", "key-load-delay"],
        ["CONFIG", "GET", "key-load-del*"],
      ],
    },
  ],
  "CONFIG SET": [
    {
      name: "CONFIG SET: Redis's checks of booleans, integers, memory and percent values, enums and flag sets",
      steps: [
        ["CONFIG", "SET", "activerehashing", "maybe"],
        ["CONFIG", "SET", "activerehashing", "NO"], ["CONFIG", "GET", "activerehashing"], ["CONFIG", "SET", "activerehashing", "yes"],
        ["CONFIG", "SET", "hz", "x"], ["CONFIG", "SET", "hz", "-1"], ["CONFIG", "SET", "hz", "01"], ["CONFIG", "SET", "hz", "1.5"],
        ["CONFIG", "SET", "hz", "1000"], ["CONFIG", "GET", "hz"], ["CONFIG", "SET", "hz", "0"], ["CONFIG", "GET", "hz"], ["CONFIG", "SET", "hz", "10"],
        ["CONFIG", "SET", "list-max-listpack-size", "-2147483649"], ["CONFIG", "SET", "list-max-ziplist-size", "2147483648"],
        ["CONFIG", "SET", "set-max-intset-entries", "-1"], ["CONFIG", "SET", "set-max-intset-entries", "9223372036854775808"],
        ["CONFIG", "SET", "active-expire-effort", "11"], ["CONFIG", "SET", "slowlog-log-slower-than", "-2"],
        ["CONFIG", "SET", "hash-max-listpack-value", "1kb"], ["CONFIG", "GET", "hash-max-ziplist-value"],
        ["CONFIG", "SET", "hash-max-listpack-value", "-1"], ["CONFIG", "SET", "hash-max-listpack-value", "1xb"], ["CONFIG", "SET", "hash-max-listpack-value", "64"],
        ["CONFIG", "SET", "repl-backlog-size", "0"], ["CONFIG", "SET", "repl-backlog-size", "1M"], ["CONFIG", "GET", "repl-backlog-size"], ["CONFIG", "SET", "repl-backlog-size", "1mb"],
        ["CONFIG", "SET", "maxmemory-clients", "10%"], ["CONFIG", "GET", "maxmemory-clients"], ["CONFIG", "SET", "maxmemory-clients", "101%"],
        ["CONFIG", "SET", "maxmemory-clients", "-1"], ["CONFIG", "SET", "maxmemory-clients", "0"],
        ["CONFIG", "SET", "loglevel", "loud"], ["CONFIG", "SET", "loglevel", "WARNING"], ["CONFIG", "GET", "loglevel"], ["CONFIG", "SET", "loglevel", "notice"],
        ["CONFIG", "SET", "oom-score-adj", "relative"], ["CONFIG", "GET", "oom-score-adj"], ["CONFIG", "SET", "oom-score-adj", "no"],
        ["CONFIG", "SET", "shutdown-on-sigterm", "now force save"], ["CONFIG", "GET", "shutdown-on-sigterm"],
        ["CONFIG", "SET", "shutdown-on-sigterm", "save nosave"], ["CONFIG", "SET", "shutdown-on-sigterm", "now  force"], ["CONFIG", "SET", "shutdown-on-sigterm", "default"],
        ["CONFIG", "GET", "shutdown-on-sigterm"],
        ["CONFIG", "SET", "maxmemory-policy", "lru"], ["CONFIG", "SET", "maxmemory-policy", "noeviction"], ["CONFIG", "SET", "appendfsync", "sometimes"],
      ],
    },
    {
      name: "CONFIG SET: special values (save, oom-score-adj-values, latency-tracking-info-percentiles) and text checks",
      steps: [
        ["CONFIG", "SET", "save", "100"], ["CONFIG", "SET", "save", "0 1"], ["CONFIG", "SET", "save", "100 -1"], ["CONFIG", "SET", "save", "100 1 x 2"],
        ["CONFIG", "SET", "save", "900 1 +300 010"], ["CONFIG", "GET", "save"], ["CONFIG", "SET", "save", ""], ["CONFIG", "GET", "save"],
        ["CONFIG", "SET", "oom-score-adj-values", "0 200"], ["CONFIG", "SET", "oom-score-adj-values", "0 200 3000"], ["CONFIG", "SET", "oom-score-adj-values", "0 100 900"],
        ["CONFIG", "GET", "oom-score-adj-values"], ["CONFIG", "SET", "oom-score-adj-values", "0 200 800"],
        ["CONFIG", "SET", "latency-tracking-info-percentiles", "50 x"], ["CONFIG", "SET", "latency-tracking-info-percentiles", "101"],
        ["CONFIG", "SET", "latency-tracking-info-percentiles", "99.99 50.0 1e1"], ["CONFIG", "GET", "latency-tracking-info-percentiles"],
        ["CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9"],
        ["CONFIG", "SET", "cluster-announce-hostname", "has space"], ["CONFIG", "SET", "proc-title-template", "{title} {nope}"],
        ["CONFIG", "SET", "proc-title-template", "{title}"], ["CONFIG", "SET", "proc-title-template", "{title} {listen-addr} {server-mode}"],
      ],
    },
    {
      name: "CONFIG SET: unknown, immutable, protected and repeated names; all the parameters or none",
      steps: [
        ["CONFIG", "SET", "no-such-parameter", "1"],
        ["CONFIG", "SET", "daemonize", "no"], ["CONFIG", "SET", "databases", "16"], ["CONFIG", "SET", "slaveof", "no one"],
        ["CONFIG", "SET", "dir", "/tmp"], ["CONFIG", "SET", "dbfilename", "x.rdb"],
        ["CONFIG", "SET", "hz", "11", "HZ", "12"],
        // Redis 7.0 takes a parameter and its alias as two: the last one wins.
        ["CONFIG", "SET", "hash-max-listpack-entries", "100", "hash-max-ziplist-entries", "200"], ["CONFIG", "GET", "hash-max-listpack-entries"],
        // The first error wins, in the order of the arguments; nothing changes.
        ["CONFIG", "SET", "hz", "20", "daemonize", "yes", "nope", "1"], ["CONFIG", "SET", "hz", "20", "nope", "1", "daemonize", "yes"],
        ["CONFIG", "SET", "hz", "20", "activerehashing", "maybe"], ["CONFIG", "SET", "activerehashing", "no", "hz", "x"],
        ["CONFIG", "GET", "hz"], ["CONFIG", "GET", "activerehashing"],
        ["CONFIG", "SET", "hz", "20", "hash-max-listpack-entries", "512"], ["CONFIG", "GET", "hz"], ["CONFIG", "SET", "hz", "10"],
        ["CONFIG", "SET", "hz", "10", "activerehashing"],
        ["CONFIG", "SET", "timeout", "0", "tcp-keepalive", "300", "lua-time-limit", "5000"],
      ],
    },
  ],
};

export const METADATA_COMMANDS: readonly string[] = [
  "dbsize", "flushdb", "flushall", "info", "command", "command|count", "command|list", "command|info", "command|docs", "command|getkeys", "command|getkeysandflags", "command|help", "config", "config|get", "config|set", "config|resetstat", "config|rewrite", "config|help",
];
