// Differential cases of the commands between databases (src/commands/families/databases.ts):
// MOVE and SWAPDB, and every keyspace command across the 16 databases of a
// tenant (SELECT, FLUSHDB, DBSIZE, KEYS, SCAN, RANDOMKEY, EXISTS, COPY ... DB,
// INFO keyspace); run by databases_test.ts against redis-server or its recorded replies.
import { patternBytes, pttl, scanAll, sleep, ttl, unordered, type Arg, type CasesByCommand } from "../differential/case_types.ts";

const BIG = patternBytes(35_000, 7);

/** One key in each of the given databases, named after it, then back to database 0. */
function keyPerDatabase(databases: readonly number[]): Arg[][] {
  return [...databases.flatMap((db) => [["SELECT", String(db)], ["SET", `k${db}`, `v${db}`]]), ["SELECT", "0"]];
}

export const CASES: CasesByCommand = {
  MOVE: [
    {
      name: "MOVE moves a key and its TTL to another database; 0 when missing or taken there",
      steps: [
        ["SET", "a", "1", "EX", "1000"], ["MOVE", "a", "1"], ["EXISTS", "a"], ["DBSIZE"], ["SELECT", "1"], ["GET", "a"], ttl("TTL", "a"),
        ["DBSIZE"], ["MOVE", "a", "0"], ["SELECT", "0"], ["GET", "a"], ttl("TTL", "a"), ["MOVE", "nokey", "1"],
        ["SET", "b", "here"], ["SELECT", "2"], ["SET", "b", "there"], ["SELECT", "0"], ["MOVE", "b", "2"], ["GET", "b"],
        ["SELECT", "2"], ["GET", "b"], ["SELECT", "0"], ["SET", "p", "1"], ["MOVE", "p", "15"], ["SELECT", "15"], ["GET", "p"], ttl("TTL", "p"),
      ],
    },
    {
      name: "MOVE carries every type whole, big values included",
      steps: [
        ["SET", "s", BIG], ["RPUSH", "l", "a", "b", "c"], ["HSET", "h", "f", "v", "g", "w"], ["SADD", "set", "x", "y"],
        ["ZADD", "z", "1", "m", "2", "n"], ["XADD", "x", "1-1", "f", "v"], ["PFADD", "hll", "a", "b"],
        ["MOVE", "s", "4"], ["MOVE", "l", "4"], ["MOVE", "h", "4"], ["MOVE", "set", "4"], ["MOVE", "z", "4"], ["MOVE", "x", "4"], ["MOVE", "hll", "4"],
        ["DBSIZE"], ["SELECT", "4"], ["DBSIZE"], ["STRLEN", "s"], ["GETRANGE", "s", "20000", "20010"], ["LRANGE", "l", "0", "-1"],
        unordered("HGETALL", "h"), unordered("SMEMBERS", "set"), ["ZRANGE", "z", "0", "-1", "WITHSCORES"], ["XRANGE", "x", "-", "+"],
        ["PFCOUNT", "hll"], ["LPUSH", "l", "new"], ["LLEN", "l"], ["OBJECT", "ENCODING", "l"],
      ],
    },
    {
      name: "MOVE refuses its own database and bad indexes, in Redis's order",
      steps: [
        ["SET", "a", "1"], ["MOVE", "a", "0"], ["MOVE", "nokey", "0"], ["MOVE", "a", "16"], ["MOVE", "a", "-1"], ["MOVE", "a", "x"],
        ["MOVE", "a", "1.5"], ["MOVE", "a", "2147483648"], ["MOVE", "a", "-2147483649"], ["MOVE", "a", "99999999999999999999"],
        ["MOVE", "a"], ["MOVE", "a", "1", "2"], ["MOVE"], ["SELECT", "7"], ["SET", "b", "1"], ["MOVE", "b", "7"], ["MOVE", "b", "0"],
        ["SELECT", "0"], ["GET", "b"], ["GET", "a"],
      ],
    },
    {
      name: "MOVE of an expired key moves nothing, and an expired key in the destination does not block it",
      steps: [
        ["SET", "gone", "1", "PX", "50"], ["SELECT", "1"], ["SET", "k", "old", "PX", "50"], ["SELECT", "0"], ["SET", "k", "new"], sleep(150),
        ["MOVE", "gone", "1"], ["MOVE", "k", "1"], ["EXISTS", "k"], ["SELECT", "1"], ["GET", "k"], pttl("PTTL", "k"), ["EXISTS", "gone"],
      ],
    },
    {
      name: "MOVE inside MULTI",
      steps: [["SET", "a", "1"], ["MULTI"], ["MOVE", "a", "3"], ["SELECT", "3"], ["GET", "a"], ["MOVE", "a", "3"], ["EXEC"], ["GET", "a"]],
    },
  ],
  SWAPDB: [
    {
      name: "SWAPDB exchanges two databases for every connection; swapping back restores them",
      steps: [
        ...keyPerDatabase([0, 1, 2]), ["SET", "shared", "zero"], ["SELECT", "1"], ["SET", "shared", "one"], ["HSET", "h", "f", "v"],
        ["SET", "t", "x", "EX", "1000"], ["SELECT", "0"],
        ["SWAPDB", "0", "1"], ["GET", "shared"], ["GET", "k0"], ["GET", "k1"], unordered("KEYS", "*"), ["DBSIZE"], ["HGET", "h", "f"], ttl("TTL", "t"),
        ["SELECT", "1"], ["GET", "shared"], unordered("KEYS", "*"), ["DBSIZE"], ["SELECT", "2"], unordered("KEYS", "*"),
        ["SWAPDB", "1", "0"], ["SELECT", "0"], ["GET", "shared"], unordered("KEYS", "*"), ["SWAPDB", "0", "2"], unordered("KEYS", "*"),
        ["SWAPDB", "2", "15"], ["SELECT", "15"], unordered("KEYS", "*"), ["SELECT", "2"], ["DBSIZE"],
      ],
    },
    {
      name: "SWAPDB of a database with itself, or of empty ones, answers OK and changes nothing",
      steps: [["SET", "a", "1"], ["SWAPDB", "0", "0"], ["GET", "a"], ["SWAPDB", "5", "6"], ["GET", "a"], ["SWAPDB", "0", "5"], ["GET", "a"], ["SELECT", "5"], ["GET", "a"]],
    },
    {
      name: "SWAPDB checks the first index, then the second, then the range",
      steps: [
        ["SWAPDB", "x", "1"], ["SWAPDB", "0", "x"], ["SWAPDB", "x", "y"], ["SWAPDB", "16", "x"], ["SWAPDB", "0", "16"], ["SWAPDB", "-1", "0"],
        ["SWAPDB", "2147483648", "0"], ["SWAPDB", "0", "-2147483649"], ["SWAPDB", "1.5", "0"], ["SWAPDB", "", "0"], ["SWAPDB", "0"], ["SWAPDB", "0", "1", "2"], ["SWAPDB"],
      ],
    },
    {
      name: "SWAPDB inside MULTI, then the swapped data",
      steps: [["SET", "a", "zero"], ["SELECT", "1"], ["SET", "a", "one"], ["MULTI"], ["SWAPDB", "0", "1"], ["EXEC"], ["GET", "a"], ["SELECT", "0"], ["GET", "a"]],
    },
    {
      name: "keys with a TTL keep expiring after SWAPDB, in their new database",
      steps: [
        ["SET", "t", "v", "PX", "300"], ["SET", "keep", "v"], ["SWAPDB", "0", "3"], ["DBSIZE"], ["SELECT", "3"], ["DBSIZE"], ["EXISTS", "t"],
        sleep(1000), ["DBSIZE"], ["EXISTS", "t"], unordered("KEYS", "*"), scanAll(),
      ],
    },
  ],
  "multiple databases": [
    {
      name: "SELECT picks a database; every keyspace command sees only the selected one",
      steps: [
        ...keyPerDatabase([0, 3, 15]), ["SELECT", "3"], ["RANDOMKEY"], ["SET", "x", "1"], ["DBSIZE"], unordered("KEYS", "*"), scanAll(),
        ["EXISTS", "k0", "k3", "x", "k15"], ["GET", "k0"], ["TYPE", "k3"], ["SELECT", "15"], ["RANDOMKEY"], ["DBSIZE"], ["SELECT", "9"],
        ["RANDOMKEY"], ["DBSIZE"], unordered("KEYS", "*"), scanAll(), ["SELECT", "0"], ["DBSIZE"], unordered("KEYS", "*"), ["EXISTS", "x"],
      ],
    },
    {
      name: "SELECT refuses bad indexes and keeps the database it had",
      steps: [
        ["SET", "a", "1"], ["SELECT", "16"], ["SELECT", "-1"], ["SELECT", "x"], ["SELECT", "2147483648"], ["SELECT", "1.0"], ["SELECT"],
        ["SELECT", "1", "2"], ["GET", "a"], ["SELECT", "0015"], ["SET", "b", "1"], ["SELECT", "15"], ["GET", "b"],
      ],
    },
    {
      name: "FLUSHDB empties the selected database only; FLUSHALL every one",
      steps: [
        ...keyPerDatabase([0, 1, 2, 15]), ["SELECT", "1"], ["FLUSHDB"], ["DBSIZE"], ["SELECT", "0"], ["DBSIZE"], ["GET", "k0"], ["SELECT", "2"],
        ["GET", "k2"], ["SELECT", "15"], ["FLUSHDB", "ASYNC"], ["DBSIZE"], ["SELECT", "2"], ["DBSIZE"], ["FLUSHALL"], ["DBSIZE"], ["SELECT", "0"], ["DBSIZE"],
      ],
    },
    {
      name: "INFO keyspace lists each database that holds keys",
      steps: [
        ["INFO", "keyspace"], ...keyPerDatabase([0, 2, 11]), ["SELECT", "11"], ["SET", "more", "1"], ["SELECT", "0"], ["INFO", "keyspace"],
        ["SWAPDB", "2", "4"], ["INFO", "keyspace"], ["FLUSHDB"], ["INFO", "keyspace"],
      ],
    },
    {
      name: "COPY ... DB copies to another database, as often as REPLACE allows",
      steps: [
        ["SET", "a", "1", "EX", "1000"], ["COPY", "a", "a", "DB", "1"], ["COPY", "a", "a", "DB", "1"], ["COPY", "a", "b", "DB", "0"], ["SELECT", "1"],
        ["GET", "a"], ttl("TTL", "a"), ["SET", "a", "changed"], ["SELECT", "0"], ["COPY", "a", "a", "DB", "1", "REPLACE"], ["SELECT", "1"], ["GET", "a"],
        ["COPY", "a", "a", "DB", "0"], ["COPY", "a", "z", "DB", "16"], ["COPY", "a", "z", "DB", "-1"], ["COPY", "a", "z", "DB", "x"], ["COPY", "a", "z", "DB"],
      ],
    },
    {
      name: "a database's keys are its own: the same name holds different types in two databases",
      steps: [
        ["SET", "k", "str"], ["SELECT", "1"], ["RPUSH", "k", "a"], ["TYPE", "k"], ["SELECT", "0"], ["TYPE", "k"], ["LPUSH", "k", "x"],
        ["SELECT", "1"], ["LLEN", "k"], ["DEL", "k"], ["SELECT", "0"], ["GET", "k"],
      ],
    },
  ],
};

export const METADATA_COMMANDS: readonly string[] = ["move", "swapdb"];
