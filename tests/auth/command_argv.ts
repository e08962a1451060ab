// A well-formed command line for every command of the table, so that the
// permission tests go through the whole table rather than a hand-picked few.
// Known commands get a line that really reads or changes the fixture's keys
// (all under "user:"); a command added later still gets a line of valid
// arity with its keys under "user:", enough for the refusal checks.
import { buildCommandTable } from "../../src/commands/table.ts";
import { keyPositions } from "../../src/commands/key_positions.ts";
import type { CommandSpec } from "../../src/commands/spec.ts";

/** Keys the fixture creates, one per type, all under the prefix "user:". */
export const FIXTURE: readonly (readonly string[])[] = [
  ["SET", "user:s", "10"],
  ["HSET", "user:h", "f", "1", "g", "2"],
  ["RPUSH", "user:l", "a", "b", "c"],
  ["SADD", "user:set", "a", "b"],
  ["SADD", "user:set2", "b", "c"],
  ["JSON.SET", "user:j", "$", `{"a":1,"b":[1],"t":true,"s":"x"}`],
  ["SET", "user:ttl", "v", "EX", "1000"],
];

/** Lines that change the fixture when allowed (each checked to do so in the permission tests). */
const WRITES: Record<string, readonly string[]> = {
  append: ["user:s", "x"],
  bitop: ["AND", "user:dest", "user:s", "user:s"],
  copy: ["user:s", "user:copy"],
  decr: ["user:s"],
  decrby: ["user:s", "2"],
  del: ["user:s", "user:h"],
  expire: ["user:s", "100"],
  expireat: ["user:s", "99999999999"],
  flushall: [],
  flushdb: [],
  getdel: ["user:s"],
  getex: ["user:s", "EX", "100"],
  getset: ["user:s", "new"],
  hdel: ["user:h", "f"],
  hincrby: ["user:h", "f", "1"],
  hincrbyfloat: ["user:h", "f", "1.5"],
  hmset: ["user:h", "k", "2"],
  hset: ["user:h", "k", "2"],
  hsetnx: ["user:h", "k", "2"],
  incr: ["user:s"],
  incrby: ["user:s", "2"],
  incrbyfloat: ["user:s", "1.5"],
  "json.arrappend": ["user:j", "$.b", "2"],
  "json.clear": ["user:j", "$.b"],
  "json.del": ["user:j", "$.a"],
  "json.forget": ["user:j", "$.a"],
  "json.merge": ["user:j", "$", `{"c":3}`],
  "json.numincrby": ["user:j", "$.a", "1"],
  "json.set": ["user:j", "$.c", "3"],
  "json.toggle": ["user:j", "$.t"],
  linsert: ["user:l", "BEFORE", "b", "x"],
  lmove: ["user:l", "user:l2", "LEFT", "RIGHT"],
  lpop: ["user:l"],
  lpush: ["user:l", "x"],
  lpushx: ["user:l", "x"],
  lrem: ["user:l", "0", "a"],
  lset: ["user:l", "0", "z"],
  ltrim: ["user:l", "0", "0"],
  mset: ["user:a", "1", "user:b", "2"],
  msetnx: ["user:a", "1", "user:b", "2"],
  persist: ["user:ttl"],
  pexpire: ["user:s", "100000"],
  pexpireat: ["user:s", "99999999999999"],
  psetex: ["user:s", "100000", "v"],
  rename: ["user:s", "user:s2"],
  renamenx: ["user:s", "user:s2"],
  rpop: ["user:l"],
  rpoplpush: ["user:l", "user:l2"],
  rpush: ["user:l", "x"],
  rpushx: ["user:l", "x"],
  sadd: ["user:set", "z"],
  sdiffstore: ["user:d", "user:set", "user:set2"],
  set: ["user:s", "v"],
  setbit: ["user:s", "1", "1"],
  setex: ["user:s", "100", "v"],
  setnx: ["user:new", "v"],
  setrange: ["user:s", "0", "zz"],
  sinterstore: ["user:d", "user:set", "user:set2"],
  smove: ["user:set", "user:set2", "a"],
  spop: ["user:set"],
  srem: ["user:set", "a"],
  sunionstore: ["user:d", "user:set", "user:set2"],
  unlink: ["user:s", "user:h"],
};

/** Lines of reading commands with keys. */
const READS: Record<string, readonly string[]> = {
  bitcount: ["user:s"],
  bitpos: ["user:s", "1"],
  exists: ["user:s", "user:h"],
  expiretime: ["user:s"],
  get: ["user:s"],
  getbit: ["user:s", "0"],
  getrange: ["user:s", "0", "1"],
  hexists: ["user:h", "f"],
  hget: ["user:h", "f"],
  hgetall: ["user:h"],
  hkeys: ["user:h"],
  hlen: ["user:h"],
  hmget: ["user:h", "f"],
  hrandfield: ["user:h"],
  hscan: ["user:h", "0"],
  hstrlen: ["user:h", "f"],
  hvals: ["user:h"],
  "json.arrlen": ["user:j", "$.b"],
  "json.get": ["user:j"],
  "json.mget": ["user:j", "user:j2", "$"],
  "json.objkeys": ["user:j"],
  "json.strlen": ["user:j", "$.s"],
  "json.type": ["user:j"],
  lindex: ["user:l", "0"],
  llen: ["user:l"],
  lpos: ["user:l", "a"],
  lrange: ["user:l", "0", "-1"],
  mget: ["user:s", "user:h"],
  pexpiretime: ["user:s"],
  pttl: ["user:s"],
  scard: ["user:set"],
  sdiff: ["user:set", "user:set2"],
  sinter: ["user:set", "user:set2"],
  sintercard: ["2", "user:set", "user:set2"],
  sismember: ["user:set", "a"],
  smembers: ["user:set"],
  smismember: ["user:set", "a"],
  srandmember: ["user:set"],
  sscan: ["user:set", "0"],
  strlen: ["user:s"],
  substr: ["user:s", "0", "1"],
  sunion: ["user:set", "user:set2"],
  touch: ["user:s", "user:h"],
  ttl: ["user:s"],
  type: ["user:s"],
  "memory|usage": ["user:s"],
  "object|encoding": ["user:s"],
  "object|freq": ["user:s"],
  "object|idletime": ["user:s"],
  "object|refcount": ["user:s"],
  watch: ["user:s", "user:h"],
};

export interface TableCommand {
  readonly spec: CommandSpec;
  /** "get", or "object|encoding" for a subcommand: the name Redis puts in NOPERM errors. */
  readonly fullName: string;
  /** A well-formed line: the name (and subcommand), then the arguments. */
  readonly argv: readonly string[];
  /** True when the line comes from the lists above (a known effect), false when made up from the arity. */
  readonly crafted: boolean;
}

/** Every command and subcommand of the table, each with a line to send. */
export function tableCommands(): TableCommand[] {
  const out: TableCommand[] = [];
  for (const spec of buildCommandTable().all()) {
    if (spec.subcommands) {
      for (const sub of spec.subcommands) out.push(lineFor(sub, `${spec.name}|${sub.name}`, [spec.name, sub.name]));
    } else {
      out.push(lineFor(spec, spec.name, [spec.name]));
    }
  }
  return out;
}

function lineFor(spec: CommandSpec, fullName: string, head: readonly string[]): TableCommand {
  const known = WRITES[fullName] ?? READS[fullName];
  if (known !== undefined) return { spec, fullName, argv: [...head, ...known], crafted: true };
  // Valid arity: exactly `arity` words, or the minimum for a variadic command.
  const count = Math.abs(spec.arity);
  const argv = [...head];
  while (argv.length < count) argv.push("1");
  const asBytes = argv.map((a) => new TextEncoder().encode(a));
  for (const i of keyPositions(spec, asBytes)) argv[i] = `user:made${i}`;
  return { spec, fullName, argv, crafted: false };
}

/** The positions of the keys of a line, as dispatch finds them. */
export function keyIndexes(command: TableCommand): number[] {
  return keyPositions(command.spec, command.argv.map((a) => new TextEncoder().encode(a)));
}
