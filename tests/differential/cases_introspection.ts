// Differential scripts for the introspection commands clients and GUIs send
// when they connect: CONFIG, CLIENT KILL/NO-EVICT, CLUSTER, LOLWUT, TIME,
// RESET. Values that differ by nature (ports, times, versions) are left out.
import type { DifferentialCase } from "./case_types.ts";

export const CASES: readonly DifferentialCase[] = [
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
    name: "CONFIG: errors and help",
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
  {
    name: "CLIENT KILL: filters, errors, no match",
    steps: [
      ["CLIENT", "KILL"],
      ["CLIENT", "KILL", "1.2.3.4:5"],
      ["CLIENT", "KILL", "ID", "999999"],
      ["CLIENT", "KILL", "ID", "abc"],
      ["CLIENT", "KILL", "ID", "0"],
      ["CLIENT", "KILL", "ID", "1", "ID"],
      ["CLIENT", "KILL", "FOO", "bar"],
      ["CLIENT", "KILL", "ADDR", "1.2.3.4:5", "SKIPME", "no"],
      ["CLIENT", "KILL", "LADDR", "1.2.3.4:5"],
      ["CLIENT", "KILL", "SKIPME", "maybe"],
      ["CLIENT", "KILL", "SKIPME", "yes"],
      ["CLIENT", "KILL", "TYPE", "pubsub"],
      ["CLIENT", "KILL", "TYPE", "foo"],
      ["CLIENT", "KILL", "USER", "default"],
      ["PING"],
    ],
  },
  {
    name: "CLIENT NO-EVICT",
    steps: [["CLIENT", "NO-EVICT", "on"], ["CLIENT", "NO-EVICT", "OFF"], ["CLIENT", "NO-EVICT", "maybe"], ["CLIENT", "NO-EVICT"]],
  },
  {
    name: "CLUSTER: support disabled",
    steps: [["CLUSTER", "INFO"], ["CLUSTER", "NODES"], ["CLUSTER", "SLOTS"], ["CLUSTER", "HELP"], ["CLUSTER", "KEYSLOT", "foo"], ["CLUSTER", "FOO"], ["CLUSTER"], ["CLUSTER", "INFO", "x"]],
  },
  { name: "LOLWUT errors", steps: [["LOLWUT", "VERSION", "x"], ["TIME", "x"]] },
  {
    name: "RESET: back to RESP2, db 0",
    resp3: true,
    steps: [["SELECT", "3"], ["SET", "k", "v"], ["RESET"], ["GET", "k"], ["CONFIG", "GET", "databases"], ["RESET", "x"]],
  },
];

export const METADATA_COMMANDS: readonly string[] = [
  "config", "config|get", "config|set", "config|resetstat", "config|rewrite", "config|help",
  "client|kill", "client|no-evict", "cluster", "cluster|info", "cluster|nodes", "cluster|myid", "cluster|keyslot",
  "lolwut", "time", "reset",
];
