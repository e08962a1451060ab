// Differential cases of MULTI, EXEC, DISCARD, WATCH and UNWATCH
// (src/commands/families/transactions.ts), by command; run by transactions_test.ts
// against redis-server or its recorded replies (tests/differential/suite.ts).
import { msFromNow, sleep, type CasesByCommand } from "../differential/case_types.ts";

export const CASES: CasesByCommand = {
  MULTI: [
    {
      name: "MULTI/EXEC runs the queue and replies with every result, runtime errors included",
      steps: [
        ["MULTI"], ["SET", "a", "1"], ["INCR", "a"], ["LPUSH", "a", "x"], ["GET", "a"], ["EXEC"],
        ["GET", "a"],
      ],
    },
    {
      name: "MULTI/EXEC in RESP3: nil is _ and replies keep their RESP3 types",
      resp3: true,
      steps: [
        ["SET", "w", "1"], ["HSET", "h", "f", "v"],
        ["MULTI"], ["HGETALL", "h"], ["GET", "nope"], ["EXEC"],
        ["WATCH", "w"], ["SET", "w", "2"], ["MULTI"], ["GET", "w"], ["EXEC"],
      ],
    },
  ],
  EXEC: [
    {
      name: "an unknown command or a wrong arity while queueing aborts EXEC with EXECABORT and applies nothing",
      steps: [
        ["MULTI"], ["SET", "b", "1"], ["FOO", "bar"], ["EXEC"], ["EXISTS", "b"],
        ["MULTI"], ["SET", "b", "1"], ["GET"], ["EXEC"], ["EXISTS", "b"],
      ],
    },
    {
      name: "argument errors are QUEUED and answered inside EXEC's array",
      steps: [
        ["SET", "n", "5"],
        ["MULTI"], ["INCRBY", "n", "abc"], ["SET", "k", "v", "EX", "0"], ["SET", "k", "v", "NX", "XX"], ["INCR", "n"], ["EXEC"],
        ["GET", "n"], ["EXISTS", "k"],
      ],
    },
    {
      name: "an empty transaction replies an empty array; SELECT inside MULTI switches the database",
      steps: [
        ["MULTI"], ["EXEC"],
        ["MULTI"], ["SELECT", "1"], ["SET", "in1", "v"], ["EXEC"], ["GET", "in1"], ["SELECT", "0"], ["GET", "in1"],
      ],
    },
  ],
  DISCARD: [
    {
      name: "EXEC and DISCARD without MULTI, nested MULTI, WATCH inside MULTI",
      steps: [
        ["EXEC"], ["DISCARD"],
        ["MULTI"], ["MULTI"], ["WATCH", "x"], ["SET", "x", "1"], ["EXEC"], ["GET", "x"],
        ["MULTI"], ["SET", "x", "2"], ["DISCARD"], ["GET", "x"],
        ["MULTI", "extra"], ["EXEC", "extra"], ["DISCARD", "extra"], ["WATCH"], ["UNWATCH", "x"],
      ],
    },
  ],
  WATCH: [
    {
      name: "a WATCHed key written by the same connection makes EXEC reply nil; UNWATCH and untouched keys let it run",
      steps: [
        ["SET", "w", "1"],
        ["WATCH", "w"], ["SET", "w", "2"], ["MULTI"], ["SET", "w", "3"], ["EXEC"], ["GET", "w"],
        ["WATCH", "w"], ["UNWATCH"], ["SET", "w", "4"], ["MULTI"], ["SET", "w", "5"], ["EXEC"], ["GET", "w"],
        ["WATCH", "w", "other"], ["SET", "unrelated", "1"], ["MULTI"], ["INCR", "w"], ["EXEC"],
        ["WATCH", "w"], ["MULTI"], ["GET", "w"], ["EXEC"], ["MULTI"], ["INCR", "w"], ["EXEC"],
      ],
    },
    {
      name: "a command that only reads a WATCHed key (the source of a STORE, COPY, BITOP, PFMERGE) lets EXEC run; its destination does not",
      steps: [
        ["SADD", "s1", "a"], ["SADD", "s2", "b"], ["ZADD", "z1", "1", "a"], ["SET", "str", "x"], ["PFADD", "h1", "a"],
        ["GEOADD", "g", "13.361389", "38.115556", "Palermo"],
        ["WATCH", "s1", "s2"], ["SUNIONSTORE", "sdest", "s1", "s2"], ["MULTI"], ["PING"], ["EXEC"],
        ["WATCH", "s1"], ["SINTERSTORE", "sdest", "s1", "s2"], ["SDIFFSTORE", "sdest", "s1", "s2"], ["MULTI"], ["PING"], ["EXEC"],
        ["WATCH", "z1"], ["ZUNIONSTORE", "zdest", "1", "z1"], ["ZRANGESTORE", "zdest", "z1", "0", "-1"], ["MULTI"], ["PING"], ["EXEC"],
        ["WATCH", "str"], ["COPY", "str", "copied"], ["BITOP", "NOT", "notted", "str"], ["MULTI"], ["PING"], ["EXEC"],
        ["WATCH", "h1"], ["PFMERGE", "hdest", "h1"], ["MULTI"], ["PING"], ["EXEC"],
        ["WATCH", "g"], ["GEOSEARCHSTORE", "gdest", "g", "FROMLONLAT", "13", "38", "BYRADIUS", "200", "km"],
        ["GEORADIUS", "g", "13", "38", "200", "km", "STORE", "gdest2"], ["MULTI"], ["PING"], ["EXEC"],
        ["WATCH", "sdest"], ["SUNIONSTORE", "sdest", "s1"], ["MULTI"], ["PING"], ["EXEC"],
        ["WATCH", "copied"], ["COPY", "str", "copied", "REPLACE"], ["MULTI"], ["PING"], ["EXEC"],
      ],
    },
    {
      name: "FLUSHDB and DEL of a WATCHed key, and a WATCHed key that expires, make EXEC reply nil",
      steps: [
        ["SET", "f", "1"], ["WATCH", "f"], ["FLUSHDB"], ["MULTI"], ["PING"], ["EXEC"],
        ["SET", "d", "1"], ["WATCH", "d"], ["DEL", "d"], ["MULTI"], ["PING"], ["EXEC"],
        ["SET", "e", "1", "PXAT", msFromNow(150)], ["WATCH", "e"], sleep(400), ["MULTI"], ["PING"], ["EXEC"],
      ],
    },
  ],
};

export const METADATA_COMMANDS: readonly string[] = [
  "multi", "exec", "discard", "watch", "unwatch",
];
