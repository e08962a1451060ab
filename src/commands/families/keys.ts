// Generic key commands: DEL, UNLINK, EXISTS, TOUCH, TYPE, KEYS, SCAN,
// RANDOMKEY, the EXPIRE and TTL families, PERSIST, RENAME, RENAMENX, COPY,
// OBJECT and MEMORY USAGE.
import { MEMORY_INTROSPECTION_HELP, MEMORY_INTROSPECTION_SUBCOMMANDS } from "../memory_subcommands.ts";
import { onlyKeyAt } from "../key_positions.ts";
import { randomKeyOf, scanKeys } from "../../model/scoped_keys.ts";
import { bytesEqual, compareBytes } from "../../engine/bytes.ts";
import type { KeyRange, MaybePromise } from "../../engine/contract.ts";
import { then } from "../../engine/maybe_promise.ts";
import { copyKey, renameKey } from "../../model/copy.ts";
import { compileGlob } from "../../model/glob.ts";
import { ReadPacer } from "../../model/paged_read.ts";
import { countExisting, deleteKeys, typeName } from "../../model/keys.ts";
import { DATABASE_COUNT } from "../../model/limits.ts";
import { KeyType, typeFromName } from "../../model/meta.ts";
import { memoryUsage, MAX_SAMPLES, objectEncoding, objectRefcount } from "../../model/object_info.ts";
import { persist, setExpiry, timeToLive, type TtlQuery } from "../../model/ttl.ts";
import { ErrorReply, OK, SimpleString, type Reply } from "../../resp/reply.ts";
import { key, integer, multiple, oneOf, optional, pattern, string, token, unixTime, withToken } from "../arguments.ts";
import { lower } from "../args.ts";
import { allArguments, ArgumentReader, onlyKey } from "../argument_reader.ts";
import { MAX_SCAN_COUNT } from "../../model/limits.ts";
import {
  DB_INDEX_OUT_OF_RANGE,
  INT_OUT_OF_RANGE,
  INVALID_CURSOR,
  LFU_NOT_SELECTED,
  NO_SUCH_KEY,
  SAME_OBJECT,
  SYNTAX,
} from "../errors.ts";
import { type ExpireArgs, expireAtOf, parseExpireArgs } from "../expire_options.ts";
import { helpSubcommand } from "../help_subcommand.ts";
import { defineCommand, type CommandSpec, type EngineCommandSpec, type TxContext } from "../spec.ts";

const del = defineCommand({
  name: "del",
  arity: -2,
  flags: ["write"],
  keys: { first: 1, last: -1, step: 1 },
  group: "generic",
  summary: "Deletes keys of any type; returns how many existed.",
  since: "1.0.0",
  complexity: "O(N) where N is the number of keys",
  arguments: [multiple(key("key"))],
  access: "write",
  parse: allArguments,
  exec: ({ tx, ks, nowMs }, keys) => deleteKeys(tx, ks, keys, nowMs),
});

const exists = defineCommand({
  name: "exists",
  arity: -2,
  flags: ["readonly", "fast"],
  keys: { first: 1, last: -1, step: 1 },
  group: "generic",
  summary: "Counts how many of the given keys exist; a key named twice counts twice.",
  since: "1.0.0",
  complexity: "O(N) where N is the number of keys",
  arguments: [multiple(key("key"))],
  // As Redis's existsCommand: a key's existence is not a use of it.
  noTouch: true,
  access: "read",
  parse: allArguments,
  exec: ({ tx, ks, nowMs }, keys) => countExisting(tx, ks, keys, nowMs),
});

const type = defineCommand({
  name: "type",
  arity: 2,
  flags: ["readonly", "fast"],
  keys: { first: 1, last: 1, step: 1 },
  group: "generic",
  summary: "Returns the type of the value at a key: string, list, hash, set, zset, or none.",
  since: "1.0.0",
  complexity: "O(1)",
  arguments: [key("key")],
  noTouch: true,
  access: "read",
  parse: onlyKey,
  exec: ({ tx, ks, nowMs }, k): MaybePromise<Reply> => then(typeName(tx, ks, k, nowMs), (name) => new SimpleString(name)),
});

/** Metas per page of KEYS: each page is one bounded range read, between which other clients may run. */
const KEYS_PAGE = 1_000;

const keys = defineCommand({
  name: "keys",
  arity: 2,
  flags: ["readonly"],
  group: "generic",
  summary: "Returns every key matching a glob-style pattern. Prefer SCAN on large databases.",
  since: "1.0.0",
  complexity: "O(N) with N being the number of keys in the database",
  arguments: [pattern("pattern")],
  access: "read",
  // One snapshot, as Redis answers KEYS atomically; within FoundationDB's 5 s transaction limit.
  longRead: true,
  parse: (argv) => new ArgumentReader(argv).pattern(),
  async exec({ tx, ks, nowMs }, match): Promise<Reply> {
    const found: Uint8Array[] = [];
    let resumeAfter: Uint8Array | undefined;
    const scan = scanKeys;
    const pacer = new ReadPacer();
    do {
      const page = await scan(tx, ks, { resumeAfter, limit: KEYS_PAGE, filter: { match }, nowMs });
      for (const k of page.keys) found.push(k);
      resumeAfter = page.resumeAfter;
      const pause = pacer.pause();
      if (pause !== undefined) await pause;
    } while (resumeAfter !== undefined);
    return found;
  },
});


interface ScanArgs {
  readonly cursor: bigint;
  readonly count: number;
  readonly match: ReturnType<typeof compileGlob> | undefined;
  /** Undefined: no filter. Null: a type name Redis 7.0 accepts but no key has. */
  readonly type: KeyType | null | undefined;
}

function withinRange(engineKey: Uint8Array, range: KeyRange): boolean {
  return compareBytes(engineKey, range.start) >= 0 && compareBytes(engineKey, range.end) < 0;
}

const scan = defineCommand({
  name: "scan",
  arity: -2,
  flags: ["readonly"],
  group: "generic",
  summary: "Iterates over the keys of the database with a cursor; start with 0, done when 0 comes back.",
  since: "2.8.0",
  complexity: "O(1) for every call. O(N) for a complete iteration.",
  arguments: [
    integer("cursor"),
    optional(withToken("MATCH", pattern("pattern"))),
    optional(withToken("COUNT", integer("count"))),
    optional(withToken("TYPE", string("type"))),
  ],
  access: "read",
  parse(argv): ScanArgs | ErrorReply {
    const args = new ArgumentReader(argv);
    const cursor = args.cursor();
    let count = 10;
    let match: ScanArgs["match"];
    let typeFilter: ScanArgs["type"];
    while (args.hasMore) {
      const option = args.keyword();
      // Every option takes a value: one missing is a syntax error whatever the option.
      if (args.atEnd) args.fail(SYNTAX);
      else if (option === "COUNT") {
        const n = args.integer();
        if (n < 1n) args.fail(SYNTAX);
        else count = n > BigInt(MAX_SCAN_COUNT) ? MAX_SCAN_COUNT : Number(n);
      } else if (option === "MATCH") {
        match = args.pattern();
      } else if (option === "TYPE") {
        // Redis 7.0 accepts any type name and matches nothing for unknown ones.
        typeFilter = typeFromName(lower(args.bytes())) ?? null;
      } else args.fail(SYNTAX);
    }
    return args.finish({ cursor, count, match, type: typeFilter });
  },
  async exec({ tx, ks, nowMs, server }, args): Promise<Reply> {
    const owner = { tenant: ks.tenant, scope: `${ks.db}` };
    let resumeAfter: Uint8Array | undefined;
    if (args.cursor !== 0n) {
      resumeAfter = server.cursors.resolve(owner, args.cursor);
      // A cursor from before a SWAPDB made through another server resumes in the slot its database had then.
      if (resumeAfter === undefined || !withinRange(resumeAfter, ks.metaRange)) return INVALID_CURSOR;
    }
    const limit = args.count;
    const scan = scanKeys;
    const page = await scan(tx, ks, {
      resumeAfter,
      limit,
      filter: { match: args.match, type: args.type === null ? -1 as KeyType : args.type },
      nowMs,
    });
    // Issued in the body, since the reply carries it: a retried attempt only leaves an unused cursor behind.
    const next = page.resumeAfter === undefined ? "0" : server.cursors.issue(owner, page.resumeAfter).toString();
    return [next, page.keys];
  },
});

// UNLINK and TOUCH share DEL's and EXISTS's code: deletion is a range clear
// either way, and TOUCH differs from EXISTS by refreshing the keys' last access.
const unlink = defineCommand({
  ...del,
  name: "unlink",
  flags: ["write", "fast"],
  summary: "Deletes keys like DEL; returns how many existed. Deletion is a range clear either way.",
  since: "4.0.0",
  complexity: "O(N) where N is the number of keys; each deletion is one range clear",
});

const touch = defineCommand({
  ...exists,
  name: "touch",
  summary: "Counts how many of the given keys exist, and refreshes their last access time (OBJECT IDLETIME).",
  noTouch: undefined,
  since: "3.2.1",
});

const randomkey = defineCommand({
  name: "randomkey",
  arity: 1,
  flags: ["readonly"],
  group: "generic",
  summary: "Returns a random live key of the database, or nil when it is empty.",
  since: "1.0.0",
  complexity: "O(1)",
  access: "read",
  parse: () => undefined,
  async exec({ tx, ks, nowMs }): Promise<Reply> {
    return (await randomKeyOf(tx, ks, nowMs)) ?? null;
  },
});

// --- the EXPIRE family ---

const EXPIRE_CONDITION = optional(oneOf("condition", token("NX"), token("XX"), token("GT"), token("LT")));

function expireCommand(form: {
  readonly name: string;
  readonly unit: "s" | "ms";
  readonly absolute: boolean;
  readonly since: string;
  readonly summary: string;
}): EngineCommandSpec<ExpireArgs> {
  const timeArgument = form.absolute
    ? unixTime(form.unit === "s" ? "unix-time-seconds" : "unix-time-milliseconds")
    : integer(form.unit === "s" ? "seconds" : "milliseconds");
  return defineCommand({
    name: form.name,
    arity: -3,
    flags: ["write", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    group: "generic",
    summary: form.summary,
    since: form.since,
    complexity: "O(1)",
    arguments: [key("key"), timeArgument, EXPIRE_CONDITION],
    access: "write",
    parse: parseExpireArgs,
    exec({ tx, ks, nowMs }, args): MaybePromise<Reply> {
      const expireAt = expireAtOf(args.amount, { unit: form.unit, baseMs: form.absolute ? 0 : nowMs, commandName: form.name });
      if (expireAt instanceof ErrorReply) return expireAt;
      return setExpiry(tx, ks, { key: args.key, expireAt, conditions: args.conditions, nowMs });
    },
  });
}

const expire = expireCommand({
  name: "expire", unit: "s", absolute: false, since: "1.0.0",
  summary: "Sets a key's time to live in seconds; zero or negative deletes it. NX, XX, GT and LT make it conditional.",
});
const pexpire = expireCommand({
  name: "pexpire", unit: "ms", absolute: false, since: "2.6.0",
  summary: "Sets a key's time to live in milliseconds; zero or negative deletes it. NX, XX, GT and LT make it conditional.",
});
const expireat = expireCommand({
  name: "expireat", unit: "s", absolute: true, since: "1.2.0",
  summary: "Sets when a key expires, as a Unix time in seconds; a past time deletes it. NX, XX, GT and LT make it conditional.",
});
const pexpireat = expireCommand({
  name: "pexpireat", unit: "ms", absolute: true, since: "2.6.0",
  summary: "Sets when a key expires, as a Unix time in milliseconds; a past time deletes it. NX, XX, GT and LT make it conditional.",
});

function ttlCommand(form: { readonly name: string; readonly since: string; readonly summary: string } & Omit<TtlQuery, "nowMs">) {
  return defineCommand({
    name: form.name,
    arity: 2,
    flags: ["readonly", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    group: "generic",
    summary: form.summary,
    since: form.since,
    complexity: "O(1)",
    arguments: [key("key")],
    // As Redis's ttlGenericCommand: reading a TTL is not a use of the key.
    noTouch: true,
    access: "read",
    parse: onlyKey,
    exec: ({ tx, ks, nowMs }, k) => timeToLive(tx, ks, k, { nowMs, unit: form.unit, absolute: form.absolute }),
  });
}

const ttl = ttlCommand({
  name: "ttl", since: "1.0.0", unit: "s", absolute: false,
  summary: "Returns the seconds a key has left to live (rounded); -1 without expiry, -2 when missing.",
});
const pttl = ttlCommand({
  name: "pttl", since: "2.6.0", unit: "ms", absolute: false,
  summary: "Returns the milliseconds a key has left to live; -1 without expiry, -2 when missing.",
});
const expiretime = ttlCommand({
  name: "expiretime", since: "7.0.0", unit: "s", absolute: true,
  summary: "Returns when a key expires as a Unix time in seconds; -1 without expiry, -2 when missing.",
});
const pexpiretime = ttlCommand({
  name: "pexpiretime", since: "7.0.0", unit: "ms", absolute: true,
  summary: "Returns when a key expires as a Unix time in milliseconds; -1 without expiry, -2 when missing.",
});

const persistCommand = defineCommand({
  name: "persist",
  arity: 2,
  flags: ["write", "fast"],
  keys: { first: 1, last: 1, step: 1 },
  group: "generic",
  summary: "Removes a key's expiry; 1 when there was one, else 0.",
  since: "2.2.0",
  complexity: "O(1)",
  arguments: [key("key")],
  access: "write",
  parse: onlyKey,
  exec: ({ tx, ks, nowMs }, k) => persist(tx, ks, k, nowMs),
});

// --- RENAME, RENAMENX, COPY ---

function renameCommand(nx: boolean) {
  return defineCommand({
    name: nx ? "renamenx" : "rename",
    arity: 3,
    flags: nx ? ["write", "fast"] : ["write"],
    keys: { first: 1, last: 2, step: 1 },
    group: "generic",
    summary: nx
      ? "Renames a key only when the new name is free; 1 when renamed, 0 otherwise. The value's TTL moves with it."
      : "Renames a key, replacing any key of the new name; the value's TTL moves with it.",
    since: "1.0.0",
    complexity: "O(N) where N is the size of the value: members are copied under the new name",
    arguments: [key("key"), key("newkey")],
    access: "write",
    parse(argv) {
      const args = new ArgumentReader(argv);
      return { source: args.key(), destination: args.key() };
    },
    async exec({ tx, ks, nowMs }, args): Promise<Reply> {
      const outcome = await renameKey(tx, ks, { ...args, onlyIfAbsent: nx, nowMs });
      if (outcome === "NO_SUCH_KEY") return NO_SUCH_KEY;
      if (nx) return outcome === "RENAMED" ? 1 : 0;
      return OK;
    },
  });
}

const rename = renameCommand(false);
const renamenx = renameCommand(true);

interface CopyArgs {
  readonly source: Uint8Array;
  readonly destination: Uint8Array;
  /** Undefined: the connection's database. */
  readonly db: number | undefined;
  readonly replace: boolean;
}

const DESTINATION_WRITTEN = onlyKeyAt(2);
const NONE_WRITTEN: readonly number[] = [];

const INT32_MAX = 2147483647n;
const INT32_MIN = -2147483648n;

/** COPY source destination [DB destination-db] [REPLACE]: the first bad option decides the error. */
function parseCopy(argv: readonly Uint8Array[]): CopyArgs | ErrorReply {
  const args = new ArgumentReader(argv);
  const source = args.key();
  const destination = args.key();
  let db: number | undefined;
  let replace = false;
  while (args.hasMore) {
    if (args.token("REPLACE")) replace = true;
    else if (args.token("DB") && !args.atEnd) {
      const value = args.integer();
      if (value > INT32_MAX || value < INT32_MIN) args.fail(INT_OUT_OF_RANGE);
      else if (value < 0n || value >= BigInt(DATABASE_COUNT)) args.fail(DB_INDEX_OUT_OF_RANGE);
      else db = Number(value);
    } else args.fail(SYNTAX);
  }
  return args.finish({ source, destination, db, replace });
}

const copy = defineCommand({
  name: "copy",
  arity: -3,
  flags: ["write", "denyoom"],
  keys: { first: 1, last: 2, step: 1 },
  // The destination, in the caller's database; a copy to another database (DB given) is announced from exec.
  writtenKeys: (argv) => (argv.slice(3).some((arg) => lower(arg) === "db") ? NONE_WRITTEN : DESTINATION_WRITTEN(argv)),
  group: "generic",
  summary: "Copies a key's value and TTL to another key, possibly in another database; REPLACE overwrites it.",
  since: "6.2.0",
  complexity: "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.",
  arguments: [key("source"), key("destination"), optional(withToken("DB", integer("destination-db"))), optional(token("REPLACE"))],
  access: "write",
  parse: parseCopy,
  async exec({ tx, ks, nowMs, session, server, effects }, args): Promise<Reply> {
    const db = args.db ?? session.db;
    if (db === session.db && bytesEqual(args.source, args.destination)) return SAME_OBJECT;
    // A sibling keeps the caller's view: its scope, and its keyspace events (copy_to is the destination database's).
    const destinationKs = db === ks.db ? ks : ks.sibling(db, (tenant, other) => server.keyspaceOf(tenant, other));
    const outcome = await copyKey(tx, {
      source: { ks, key: args.source },
      destination: { ks: destinationKs, key: args.destination },
      replace: args.replace,
      nowMs,
    });
    if (outcome !== "COPIED") return 0;
    if (args.db !== undefined) {
      effects.wrote(destinationKs, [args.destination]);
      server.accessTimes.touch(destinationKs, args.destination, nowMs);
    }
    return 1;
  },
});

// --- OBJECT and MEMORY ---

function objectKeyCommand(form: {
  readonly name: string;
  readonly since: string;
  readonly summary: string;
  readonly answer: (ctx: TxContext, key: Uint8Array) => Promise<Reply>;
}) {
  return defineCommand({
    name: form.name,
    arity: 3,
    flags: ["readonly"],
    keys: { first: 2, last: 2, step: 1 },
    group: "generic",
    summary: form.summary,
    since: form.since,
    complexity: "O(1)",
    arguments: [key("key")],
    // As Redis's objectCommandLookup: looking at how a key is stored is not a use of it.
    noTouch: true,
    access: "read",
    parse: (argv) => new ArgumentReader(argv, 2).key(),
    exec: (ctx, k) => form.answer(ctx, k),
  });
}

const keyExists = async ({ tx, ks, nowMs }: TxContext, k: Uint8Array) => (await countExisting(tx, ks, [k], nowMs)) === 1;

const objectEncodingCommand = objectKeyCommand({
  name: "encoding", since: "2.2.3",
  summary: "Returns the internal encoding Redis would use for the value at a key (int, embstr, raw, quicklist, listpack, intset, hashtable).",
  answer: async ({ tx, ks, nowMs }, k) => (await objectEncoding(tx, ks, k, nowMs)) ?? null,
});
const objectFreq = objectKeyCommand({
  name: "freq", since: "4.0.0",
  summary: "Returns the access frequency of a key under an LFU eviction policy; Materia never evicts, so it reports no policy.",
  answer: async (ctx, k) => ((await keyExists(ctx, k)) ? LFU_NOT_SELECTED : null),
});
const objectIdletime = objectKeyCommand({
  name: "idletime", since: "2.2.3",
  summary: "Returns the seconds since a key was last used, as this server saw it (at least since its start or the last key it forgot).",
  answer: async (ctx, k) => ((await keyExists(ctx, k)) ? Math.floor(ctx.server.accessTimes.idleMs(ctx.ks, k, ctx.nowMs) / 1000) : null),
});
const objectRefcountCommand = objectKeyCommand({
  name: "refcount", since: "2.2.3",
  summary: "Returns how many references Redis would hold to the value at a key: 1, or 2147483647 for shared small integers.",
  answer: async ({ tx, ks, nowMs }, k) => (await objectRefcount(tx, ks, k, nowMs)) ?? null,
});

const OBJECT_HELP = [
  "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "ENCODING <key>",
  "    Return the kind of internal representation used in order to store the value",
  "    associated with a <key>.",
  "FREQ <key>",
  "    Return the access frequency index of the <key>. The returned integer is",
  "    proportional to the logarithm of the recent access frequency of the key.",
  "IDLETIME <key>",
  "    Return the idle time of the <key>, that is the approximated number of",
  "    seconds elapsed since the last access to the key.",
  "REFCOUNT <key>",
  "    Return the number of references of the value associated with the specified",
  "    <key>.",
  "HELP",
  "    Prints this help.",
];

const objectHelp = helpSubcommand("object", { group: "generic", since: "6.2.0", lines: OBJECT_HELP });

const object = defineCommand({
  name: "object",
  arity: -2,
  flags: [],
  group: "generic",
  summary: "A container for commands that describe how values are stored.",
  since: "2.2.3",
  complexity: "Depends on subcommand.",
  subcommands: [objectEncodingCommand, objectFreq, objectIdletime, objectRefcountCommand, objectHelp],
  access: "none",
  parse: () => undefined,
  exec: (): Reply => SYNTAX,
});

interface UsageArgs {
  readonly key: Uint8Array;
  readonly samples: number;
}

/** MEMORY USAGE key [SAMPLES count]. */
function parseUsage(argv: readonly Uint8Array[]): UsageArgs | ErrorReply {
  const args = new ArgumentReader(argv, 2);
  const key = args.key();
  let samples = 5;
  while (args.hasMore) {
    if (args.token("SAMPLES") && !args.atEnd) {
      const value = args.integer();
      if (value < 0n) args.fail(SYNTAX);
      samples = value === 0n || value > BigInt(MAX_SAMPLES) ? 0 : Number(value);
    } else args.fail(SYNTAX);
  }
  return args.finish({ key, samples });
}

const memoryUsageCommand = defineCommand({
  name: "usage",
  arity: -3,
  flags: ["readonly"],
  keys: { first: 2, last: 2, step: 1 },
  group: "server",
  summary: "Estimates the bytes a key and its value take in storage; SAMPLES sets how many members are read (0: up to 10,000).",
  since: "4.0.0",
  complexity: "O(N) where N is the number of samples.",
  arguments: [key("key"), optional(withToken("SAMPLES", integer("count")))],
  noTouch: true,
  access: "read",
  parse: parseUsage,
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    return (await memoryUsage(tx, ks, args.key, { nowMs, samples: args.samples })) ?? null;
  },
});

const MEMORY_HELP = [
  "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "USAGE <key> [SAMPLES <count>]",
  "    Return memory in bytes used by <key> and its value. Nested values are",
  "    sampled up to <count> times (default: 5, 0 means sample all).",
  ...MEMORY_INTROSPECTION_HELP,
  "HELP",
  "    Prints this help.",
];

const memoryHelp = helpSubcommand("memory", { group: "server", since: "4.0.0", lines: MEMORY_HELP });

const memory = defineCommand({
  name: "memory",
  arity: -2,
  flags: [],
  group: "server",
  summary: "A container for memory introspection commands.",
  since: "4.0.0",
  complexity: "Depends on subcommand.",
  subcommands: [memoryUsageCommand, ...MEMORY_INTROSPECTION_SUBCOMMANDS, memoryHelp],
  access: "none",
  parse: () => undefined,
  exec: (): Reply => SYNTAX,
});

export const KEY_COMMANDS: readonly CommandSpec[] = [
  del, unlink, exists, touch, type, keys, scan, randomkey,
  expire, pexpire, expireat, pexpireat, ttl, pttl, expiretime, pexpiretime, persistCommand,
  rename, renamenx, copy, object, memory,
];
