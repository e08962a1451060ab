// Command sequences whose keyspace events Materia must publish exactly as
// redis-server 7.0 does (keyspace_events_test.ts runs each against both),
// by family. Expiry cases come in two kinds: "lazy" ones run with active
// expiry off on both sides (Redis: DEBUG SET-ACTIVE-EXPIRE 0; Materia: no
// sweep), the "active_expiry" family lets the expire cycle / sweeper remove
// the key.
import type { EventCase } from "../support/keyspace_events.ts";

const c = (name: string, ...steps: EventCase["steps"]): EventCase => ({ name, steps });
const sleep = (ms: number) => ({ sleepMs: ms });

export const EVENT_CASES: Readonly<Record<string, readonly EventCase[]>> = {
  strings: [
    c("SET new then overwrite; SETNX, GETSET, SET GET", ["SET", "a", "1"], ["SET", "a", "2"], ["SETNX", "a", "3"], ["SETNX", "b", "3"], ["GETSET", "a", "4"], ["GETSET", "c", "4"], ["SET", "a", "5", "GET"], ["SET", "d", "5", "GET"]),
    c("SET NX/XX that fail publish nothing", ["SET", "a", "1", "NX"], ["SET", "a", "2", "NX"], ["SET", "b", "2", "XX"]),
    c("SET with a TTL; KEEPTTL; SETEX, PSETEX", ["SET", "a", "1", "EX", "100"], ["SET", "a", "2", "KEEPTTL"], ["SETEX", "b", "100", "x"], ["PSETEX", "c", "100000", "x"]),
    c("MSET and MSETNX", ["MSET", "a", "1", "b", "2"], ["MSET", "b", "3", "c", "4"], ["MSETNX", "c", "5", "d", "6"], ["MSETNX", "e", "5", "f", "6"]),
    c("GET, MGET, STRLEN, GETRANGE of missing keys are key misses", ["SET", "a", "1"], ["GET", "a"], ["GET", "nope"], ["MGET", "a", "x", "y"], ["STRLEN", "x"], ["GETRANGE", "x", "0", "1"]),
    c("GETDEL and GETEX", ["SET", "a", "1"], ["GETDEL", "a"], ["GETDEL", "a"], ["SET", "b", "1"], ["GETEX", "b"], ["GETEX", "b", "EX", "100"], ["GETEX", "b", "PERSIST"], ["GETEX", "b", "PERSIST"], ["GETEX", "b", "PXAT", "1"], ["GETEX", "nope", "EX", "1"]),
    c("APPEND, INCR family, INCRBYFLOAT, SETRANGE", ["APPEND", "a", "x"], ["APPEND", "a", ""], ["APPEND", "e", ""], ["INCR", "n"], ["DECR", "n"], ["INCRBY", "n", "0"], ["DECRBY", "n", "2"], ["INCRBYFLOAT", "f", "1.5"], ["INCR", "a"], ["SETRANGE", "s", "2", "ab"], ["SETRANGE", "s", "0", "\u0000\u0000"], ["SETRANGE", "t", "0", ""]),
    c("a write to a wrong type publishes nothing", ["RPUSH", "l", "x"], ["APPEND", "l", "x"], ["INCR", "l"], ["GET", "l"]),
  ],
  bitmaps: [
    c("SETBIT publishes only when a bit or the length changes", ["SETBIT", "b", "7", "1"], ["SETBIT", "b", "7", "1"], ["SETBIT", "b", "7", "0"], ["SETBIT", "b", "100", "0"], ["GETBIT", "x", "1"], ["BITCOUNT", "x"], ["BITPOS", "x", "1"]),
    c("BITOP stores, or deletes an existing destination for an empty result", ["SET", "a", "x"], ["BITOP", "AND", "d", "a", "a"], ["BITOP", "AND", "d", "m1", "m2"], ["BITOP", "OR", "e", "m1"], ["BITOP", "NOT", "d", "a"]),
  ],
  bitfield: [
    c("BITFIELD publishes setbit when a field changes or the string grows; GETs and FAIL overflows publish nothing",
      ["BITFIELD", "b", "SET", "u8", "0", "1"], ["BITFIELD", "b", "SET", "u8", "0", "1"], ["BITFIELD", "b", "INCRBY", "u8", "0", "1", "GET", "u4", "0"],
      ["BITFIELD", "b", "GET", "u8", "0"], ["BITFIELD", "x", "GET", "u8", "0"], ["BITFIELD_RO", "y", "GET", "u8", "0"], ["BITFIELD", "b", "SET", "u8", "16", "0"],
      ["BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "9"], ["BITFIELD", "f", "OVERFLOW", "FAIL", "SET", "u2", "0", "1"]),
  ],
  sort: [
    c("SORT STORE publishes sortstore, or del for an empty result over an existing key; pattern misses are key misses",
      ["RPUSH", "l", "2", "1"], ["SET", "w_1", "5"], ["SORT", "l", "STORE", "d"], ["SORT", "l", "BY", "w_*", "GET", "n_*", "STORE", "d"],
      ["SORT", "missing", "STORE", "d"], ["SORT", "missing", "STORE", "d"], ["SORT_RO", "l", "BY", "w_*"], ["SORT", "l", "GET", "#", "GET", "h_*->f"]),
    c("LMPOP publishes the pop, then del when it empties the list", ["RPUSH", "a", "1", "2"], ["LMPOP", "2", "x", "a", "LEFT"], ["LMPOP", "1", "a", "RIGHT", "COUNT", "5"], ["LMPOP", "1", "a", "LEFT"]),
    c("LCS reads both keys", ["SET", "a", "abc"], ["LCS", "a", "b"], ["LCS", "b", "c", "LEN"]),
  ],
  keys: [
    c("DEL and UNLINK: one del per removed key, a repeat once", ["MSET", "a", "1", "b", "2", "c", "3"], ["DEL", "a", "x", "a", "b"], ["UNLINK", "c", "y"]),
    c("EXISTS, TYPE, TTL, TOUCH of missing keys are key misses", ["SET", "a", "1"], ["EXISTS", "a", "x", "y"], ["TYPE", "x"], ["TYPE", "a"], ["TTL", "x"], ["PTTL", "x"], ["TOUCH", "a", "x"], ["EXPIRETIME", "x"]),
    c("EXPIRE family and PERSIST", ["SET", "a", "1"], ["EXPIRE", "a", "100"], ["PEXPIRE", "a", "100000", "NX"], ["EXPIRE", "a", "200", "GT"], ["EXPIREAT", "a", "4000000000"], ["PERSIST", "a"], ["PERSIST", "a"], ["EXPIRE", "x", "1"], ["PEXPIREAT", "a", "4000000000000"], ["EXPIRE", "a", "-1"], ["SET", "b", "1"], ["PEXPIRE", "b", "0"]),
    c("RENAME and RENAMENX: new, rename_from, rename_to", ["SET", "a", "1"], ["SET", "b", "2"], ["RENAME", "a", "b"], ["RENAME", "b", "c"], ["RENAME", "c", "c"], ["SET", "d", "1"], ["RENAMENX", "c", "d"], ["RENAMENX", "c", "e"], ["RENAME", "x", "y"]),
    c("COPY sends new then copy_to", ["SET", "a", "1"], ["COPY", "a", "b"], ["COPY", "a", "b"], ["COPY", "a", "b", "REPLACE"], ["COPY", "x", "y"], ["COPY", "a", "b", "DB", "1"]),
    c("OBJECT and RANDOMKEY publish nothing", ["SET", "a", "1"], ["OBJECT", "ENCODING", "x"], ["OBJECT", "ENCODING", "a"], ["RANDOMKEY"], ["SCAN", "0"], ["KEYS", "*"], ["DBSIZE"]),
    c("FLUSHDB and FLUSHALL publish nothing", ["SET", "a", "1"], ["FLUSHDB"], ["SET", "a", "1"], ["FLUSHALL"]),
    c("events of another database carry its number", ["SELECT", "3"], ["SET", "a", "1"], ["GET", "x"], ["DEL", "a"]),
    c("MOVE: new and move_to in the destination, move_from in the source; nothing when it moves nothing", ["SET", "a", "1", "EX", "100"], ["MOVE", "a", "1"], ["MOVE", "a", "1"], ["MOVE", "x", "1"], ["SELECT", "1"], ["SET", "b", "1"], ["SELECT", "0"], ["SET", "b", "2"], ["MOVE", "b", "1"], ["SELECT", "1"], ["MOVE", "a", "0"]),
    c("SWAPDB publishes nothing; later events carry the number the client selected", ["SET", "a", "1"], ["SWAPDB", "0", "1"], ["SWAPDB", "0", "0"], ["SELECT", "1"], ["DEL", "a"], ["SWAPDB", "1", "0"]),
    c("COPY ... DB: new and copy_to in the destination database", ["SET", "a", "1"], ["COPY", "a", "b", "DB", "2"], ["COPY", "a", "b", "DB", "2"], ["COPY", "a", "b", "DB", "2", "REPLACE"]),
  ],
  expiry: [
    c("lazy: a write to an expired key sends expired, then its own events", ["SET", "a", "1", "PX", "20"], sleep(60), ["SET", "a", "2"], ["SET", "b", "1", "PX", "20"], sleep(60), ["RPUSH", "b", "x"], ["SET", "c", "1", "PX", "20"], sleep(60), ["INCR", "c"]),
    c("lazy: DEL of an expired key sends expired, not del", ["SET", "a", "1", "PX", "20"], sleep(60), ["DEL", "a"]),
    c("lazy: SET PXAT in the past", ["SET", "a", "1", "PXAT", "1"], ["SET", "a", "2"]),
    c("lazy: reads of an expired key, then writes that find it gone",
      ["SET", "a", "1", "PX", "20"], ["RPUSH", "l", "x"], ["PEXPIRE", "l", "20"], ["SADD", "s", "x"], ["PEXPIRE", "s", "20"], sleep(60),
      ["EXPIRE", "a", "100"], ["LPOP", "l"], ["SREM", "s", "x"], ["GETEX", "a", "PERSIST"]),
    c("lazy: GETDEL, GETSET and APPEND of expired keys",
      ["SET", "a", "1", "PX", "20"], ["SET", "b", "1", "PX", "20"], ["SET", "c", "1", "PX", "20"], sleep(60), ["GETDEL", "a"], ["GETSET", "b", "2"], ["APPEND", "c", "x"]),
    c("lazy: stores over an expired destination", ["SADD", "s", "x"], ["SET", "d", "1", "PX", "20"], ["ZADD", "z", "1", "m"], ["SET", "e", "1", "PX", "20"], sleep(60),
      ["SUNIONSTORE", "d", "s"], ["ZUNIONSTORE", "e", "1", "z"]),
    c("lazy: expired keys inside MULTI", ["SET", "a", "1", "PX", "20"], sleep(60), ["MULTI"], ["INCR", "a"], ["DEL", "a"], ["EXEC"]),
  ],
  lists: [
    c("pushes: one event per command; PUSHX on a missing key none", ["LPUSH", "l", "a", "b"], ["RPUSH", "l", "c"], ["LPUSHX", "m", "a"], ["RPUSHX", "l", "d"], ["LPUSHX", "l", "e"]),
    c("pops, with +del when emptied", ["RPUSH", "l", "a", "b", "c"], ["LPOP", "l"], ["RPOP", "l", "5"], ["LPOP", "l"], ["RPOP", "x", "2"], ["LLEN", "x"], ["LRANGE", "x", "0", "-1"], ["LINDEX", "x", "0"]),
    c("LINSERT, LSET, LREM, LTRIM", ["RPUSH", "l", "a", "b", "a"], ["LINSERT", "l", "BEFORE", "b", "z"], ["LINSERT", "l", "BEFORE", "q", "z"], ["LSET", "l", "0", "y"], ["LREM", "l", "0", "q"], ["LREM", "l", "0", "a"], ["LTRIM", "l", "0", "-1"], ["LTRIM", "l", "5", "6"], ["LTRIM", "x", "0", "1"], ["LPOS", "x", "a"]),
    c("LMOVE and RPOPLPUSH: push on the destination first", ["RPUSH", "s", "a", "b"], ["LMOVE", "s", "d", "LEFT", "RIGHT"], ["RPOPLPUSH", "s", "d"], ["LMOVE", "s", "d", "LEFT", "LEFT"], ["LMOVE", "d", "d", "LEFT", "RIGHT"]),
  ],
  hashes: [
    c("HSET always, HSETNX, HINCRBY, HINCRBYFLOAT, HDEL +del", ["HSET", "h", "f", "1"], ["HSET", "h", "f", "1"], ["HMSET", "h", "g", "2"], ["HSETNX", "h", "f", "x"], ["HSETNX", "h", "n", "x"], ["HINCRBY", "h", "i", "1"], ["HINCRBYFLOAT", "h", "j", "1.5"], ["HDEL", "h", "zz"], ["HDEL", "h", "f", "g", "n", "i"], ["HDEL", "h", "j"]),
    c("hash reads of a missing key are key misses", ["HGET", "x", "f"], ["HMGET", "x", "f"], ["HGETALL", "x"], ["HLEN", "x"], ["HEXISTS", "x", "f"], ["HKEYS", "x"], ["HVALS", "x"], ["HSTRLEN", "x", "f"], ["HRANDFIELD", "x"], ["HSCAN", "x", "0"]),
  ],
  sets: [
    c("SADD, SREM +del, SPOP", ["SADD", "s", "a", "b"], ["SADD", "s", "a"], ["SREM", "s", "x"], ["SREM", "s", "a"], ["SPOP", "s"], ["SADD", "s", "a", "b", "c"], ["SPOP", "s", "0"], ["SPOP", "s", "10"], ["SPOP", "x"]),
    c("SMOVE: srem then sadd", ["SADD", "a", "x", "y"], ["SADD", "b", "y"], ["SMOVE", "a", "b", "x"], ["SMOVE", "a", "b", "y"], ["SMOVE", "b", "b", "y"], ["SMOVE", "a", "c", "q"]),
    c("set stores and reads", ["SADD", "a", "1", "2"], ["SADD", "b", "2", "3"], ["SINTERSTORE", "d", "a", "b"], ["SUNIONSTORE", "d", "a", "b"], ["SDIFFSTORE", "d", "a", "a"], ["SDIFFSTORE", "e", "a", "a"], ["SINTER", "a", "x"], ["SUNION", "x", "y"], ["SINTERCARD", "2", "a", "x"], ["SMEMBERS", "x"], ["SISMEMBER", "x", "1"], ["SCARD", "x"], ["SRANDMEMBER", "x"]),
  ],
  sorted_sets: [
    c("ZADD when anything changes; ZINCRBY", ["ZADD", "z", "1", "a"], ["ZADD", "z", "1", "a"], ["ZADD", "z", "XX", "2", "a"], ["ZADD", "z", "NX", "5", "a"], ["ZADD", "z", "GT", "1", "a"], ["ZADD", "z", "INCR", "1", "a"], ["ZINCRBY", "z", "1", "b"]),
    c("ZREM and range removals +del", ["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"], ["ZREM", "z", "x"], ["ZREM", "z", "a"], ["ZREMRANGEBYSCORE", "z", "10", "20"], ["ZREMRANGEBYSCORE", "z", "2", "2"], ["ZREMRANGEBYRANK", "z", "0", "0"], ["ZREMRANGEBYLEX", "z", "-", "+"]),
    c("pops +del", ["ZADD", "z", "1", "a", "2", "b", "3", "c"], ["ZPOPMIN", "z"], ["ZPOPMAX", "z", "5"], ["ZPOPMIN", "x"], ["ZADD", "z", "1", "a"], ["ZMPOP", "2", "x", "z", "MIN"]),
    c("zset stores", ["ZADD", "a", "1", "x"], ["ZADD", "b", "2", "y"], ["ZUNIONSTORE", "d", "2", "a", "b"], ["ZINTERSTORE", "d", "2", "a", "b"], ["ZDIFFSTORE", "e", "1", "m"], ["ZRANGESTORE", "e", "a", "0", "-1"], ["ZRANGESTORE", "e", "a", "5", "6"]),
    c("zset reads of a missing key are key misses", ["ZSCORE", "x", "a"], ["ZCARD", "x"], ["ZRANGE", "x", "0", "-1"], ["ZRANK", "x", "a"], ["ZCOUNT", "x", "-inf", "+inf"], ["ZMSCORE", "x", "a"], ["ZRANDMEMBER", "x"], ["ZUNION", "2", "x", "y"], ["ZINTERCARD", "1", "x"], ["ZSCAN", "x", "0"]),
  ],
  streams: [
    c("XADD: new, xadd, then xtrim when MAXLEN or MINID removed entries; NOMKSTREAM on a missing key nothing",
      ["XADD", "s", "1-1", "a", "1"], ["XADD", "s", "MAXLEN", "5", "2-1", "a", "1"], ["XADD", "s", "MAXLEN", "1", "3-1", "a", "1"], ["XADD", "s", "MINID", "4", "4-1", "a", "1"],
      ["XADD", "n", "NOMKSTREAM", "1-1", "a", "1"], ["XADD", "s", "1-1", "a", "1"], ["XADD", "z", "MAXLEN", "0", "1-1", "a", "1"]),
    c("XTRIM, XDEL, XSETID only when they change something; emptied streams stay",
      ["XADD", "s", "1-1", "a", "1"], ["XADD", "s", "2-1", "a", "1"], ["XADD", "s", "3-1", "a", "1"], ["XTRIM", "s", "MAXLEN", "5"], ["XTRIM", "s", "MAXLEN", "2"],
      ["XDEL", "s", "9-9"], ["XDEL", "s", "2-1", "3-1"], ["XSETID", "s", "7-7"], ["XSETID", "s", "1-1"], ["XSETID", "x", "1-1"], ["XTRIM", "x", "MAXLEN", "0"], ["XDEL", "x", "1-1"]),
    c("stream reads of a missing key are key misses", ["XLEN", "x"], ["XRANGE", "x", "-", "+"], ["XREVRANGE", "x", "+", "-"], ["XREAD", "STREAMS", "x", "0"], ["XREAD", "STREAMS", "x", "$"]),
    c("COPY, RENAME and DEL of a stream", ["XADD", "s", "1-1", "a", "1"], ["COPY", "s", "c"], ["RENAME", "c", "r"], ["DEL", "r", "s"]),
    c("XGROUP: create (new first with MKSTREAM), setid, createconsumer, delconsumer, destroy; nothing when they change nothing",
      ["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"], ["XGROUP", "CREATE", "s", "g", "$"], ["XGROUP", "CREATE", "x", "g", "$"], ["XGROUP", "SETID", "s", "g", "0"],
      ["XGROUP", "CREATECONSUMER", "s", "g", "c"], ["XGROUP", "CREATECONSUMER", "s", "g", "c"], ["XGROUP", "DELCONSUMER", "s", "g", "c"], ["XGROUP", "DELCONSUMER", "s", "g", "c"],
      ["XGROUP", "DESTROY", "s", "g"], ["XGROUP", "DESTROY", "s", "g"]),
    c("XREADGROUP, XCLAIM and XAUTOCLAIM create their consumer (xgroup-createconsumer); XACK, XPENDING and XINFO publish nothing; reads of a missing key are key misses",
      ["XADD", "s", "1-1", "a", "1"], ["XADD", "s", "2-1", "a", "1"], ["XGROUP", "CREATE", "s", "g", "0"], ["XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "STREAMS", "s", ">"],
      ["XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">"], ["XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", ">"], ["XCLAIM", "s", "g", "c3", "0", "1-1"], ["XAUTOCLAIM", "s", "g", "c4", "0", "0"],
      ["XACK", "s", "g", "1-1"], ["XPENDING", "s", "g"], ["XINFO", "GROUPS", "s"], ["XACK", "x", "g", "1-1"], ["XPENDING", "x", "g"], ["XINFO", "STREAM", "x"]),
  ],
  geo: [
    c("GEOADD is zadd; stores", ["GEOADD", "g", "13.361389", "38.115556", "a"], ["GEOADD", "g", "13.361389", "38.115556", "a"], ["GEOADD", "g", "15.087269", "37.502669", "b"], ["GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC"], ["GEORADIUS", "g", "15", "37", "200", "km", "STORE", "e"], ["GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"], ["GEOPOS", "x", "a"], ["GEODIST", "x", "a", "b"]),
  ],
  hyperloglog: [
    c("PFADD when a register changes; PFMERGE always; PFCOUNT none", ["PFADD", "h", "a"], ["PFADD", "h", "a"], ["PFADD", "e"], ["PFADD", "e"], ["PFMERGE", "m", "h"], ["PFMERGE", "m"], ["PFCOUNT", "h"], ["PFCOUNT", "x"]),
  ],
  transactions: [
    c("MULTI/EXEC: each command's events in order", ["MULTI"], ["SET", "a", "1"], ["RPUSH", "l", "x"], ["GET", "nope"], ["DEL", "a"], ["EXEC"]),
    c("WATCH of a missing key is no key miss", ["WATCH", "x"], ["MULTI"], ["GET", "x"], ["EXEC"]),
  ],
  settings: [
    { name: "only keyspace channels of the string class", flags: "K$", steps: [["SET", "a", "1"], ["DEL", "a"], ["GET", "x"]] },
    { name: "only keyevent channels of generic events and new keys", flags: "Egn", steps: [["SET", "a", "1"], ["EXPIRE", "a", "10"], ["DEL", "a"]] },
    { name: "A alone publishes nothing", flags: "A", steps: [["SET", "a", "1"]] },
    { name: "KE alone publishes nothing", flags: "KE", steps: [["SET", "a", "1"]] },
    { name: "key misses only", flags: "Km", steps: [["SET", "a", "1"], ["GET", "x"]] },
  ],
  // Last: its servers expire keys actively, which must not happen during the lazy cases (on
  // FoundationDB, every server's sweeper sees the whole cluster). One key per case: the expire
  // cycle and the sweeper visit keys in different orders.
  active_expiry: [
    c("active: the expire cycle sends expired", ["SET", "a", "1", "PX", "20"], sleep(400), ["GET", "a"]),
    c("active: a collection expires too", ["HSET", "h", "f", "v"], ["PEXPIRE", "h", "30"], sleep(400), ["HSET", "h", "f", "v"]),
  ],
};
