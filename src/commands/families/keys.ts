// Generic key commands of this slice: DEL, EXISTS, TYPE, KEYS, SCAN.
import { compileGlob } from "../../model/glob.ts";
import { countExisting, deleteKeys, scanPage, typeName } from "../../model/keys.ts";
import { KeyType, typeFromName } from "../../model/meta.ts";
import { type ErrorReply, SimpleString, type Reply } from "../../resp/reply.ts";
import { key, integer, multiple, optional, pattern, string, withToken } from "../arguments.ts";
import { lower, parseInt64, text, upper } from "../args.ts";
import { INVALID_CURSOR, NOT_INTEGER, SYNTAX } from "../errors.ts";
import { defineCommand, type CommandSpec } from "../spec.ts";

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
  parse: (argv) => argv.slice(1),
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
  access: "read",
  parse: (argv) => argv.slice(1),
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
  access: "read",
  parse: (argv) => argv[1]!,
  async exec({ tx, ks, nowMs }, k): Promise<Reply> {
    return new SimpleString(await typeName(tx, ks, k, nowMs));
  },
});

/** KEYS reads the keyspace in pages, each its own short transaction (FoundationDB's 5 s limit). */
const KEYS_PAGE = 5_000;

const keys = defineCommand({
  name: "keys",
  arity: 2,
  flags: ["readonly"],
  group: "generic",
  summary: "Returns every key matching a glob-style pattern. Prefer SCAN on large databases.",
  since: "1.0.0",
  complexity: "O(N) with N being the number of keys in the database",
  arguments: [pattern("pattern")],
  access: "none",
  parse: (argv) => compileGlob(argv[1]!),
  async exec({ session, server }, match): Promise<Reply> {
    const ks = session.keyspace;
    const found: Uint8Array[] = [];
    let resumeAfter: Uint8Array | undefined;
    do {
      const page = await server.engine.read((tx) =>
        scanPage(tx, ks, { resumeAfter, limit: KEYS_PAGE, filter: { match }, nowMs: server.clock() })
      );
      for (const k of page.keys) found.push(k);
      resumeAfter = page.resumeAfter;
    } while (resumeAfter !== undefined);
    return found;
  },
});

/** One SCAN page reads at most this many keys, whatever COUNT says (FoundationDB's transaction limits). */
const MAX_SCAN_COUNT = 10_000;

interface ScanArgs {
  readonly cursor: bigint;
  readonly count: number;
  readonly match: ReturnType<typeof compileGlob> | undefined;
  /** Undefined: no filter. Null: a type name Redis 7.0 accepts but no key has. */
  readonly type: KeyType | null | undefined;
}

const UINT64_MAX = 18446744073709551615n;

/**
 * Redis parses the cursor with strtoull: an optional sign then digits, or
 * nothing at all (0); a negative number wraps around; overflow is invalid.
 */
function parseCursor(bytes: Uint8Array): bigint | undefined {
  if (bytes.length === 0) return 0n;
  const sign = bytes[0] === 0x2d || bytes[0] === 0x2b ? 1 : 0;
  if (bytes.length === sign) return undefined;
  for (let i = sign; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c < 0x30 || c > 0x39) return undefined;
  }
  const magnitude = BigInt(text(bytes.subarray(sign)));
  if (magnitude > UINT64_MAX) return undefined;
  return bytes[0] === 0x2d && magnitude !== 0n ? UINT64_MAX + 1n - magnitude : magnitude;
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
  access: "none",
  parse(argv): ScanArgs | ErrorReply {
    const cursor = parseCursor(argv[1]!);
    if (cursor === undefined) return INVALID_CURSOR;
    let count = 10;
    let match: ScanArgs["match"];
    let typeFilter: ScanArgs["type"];
    for (let i = 2; i < argv.length; i += 2) {
      const option = upper(argv[i]!);
      const value = argv[i + 1];
      if (value === undefined) return SYNTAX;
      if (option === "COUNT") {
        const n = parseInt64(value);
        if (n === undefined) return NOT_INTEGER;
        if (n < 1n) return SYNTAX;
        count = n > BigInt(MAX_SCAN_COUNT) ? MAX_SCAN_COUNT : Number(n);
      } else if (option === "MATCH") {
        match = compileGlob(value);
      } else if (option === "TYPE") {
        // Redis 7.0 accepts any type name and matches nothing for unknown ones.
        typeFilter = typeFromName(lower(value)) ?? null;
      } else return SYNTAX;
    }
    return { cursor, count, match, type: typeFilter };
  },
  async exec({ session, server }, args): Promise<Reply> {
    const ks = session.keyspace;
    const owner = `${ks.tenant}\u0000${ks.db}`;
    let resumeAfter: Uint8Array | undefined;
    if (args.cursor !== 0n) {
      resumeAfter = server.cursors.resolve(owner, args.cursor);
      if (resumeAfter === undefined) return INVALID_CURSOR;
    }
    const limit = args.count;
    const page = await server.engine.read((tx) =>
      scanPage(tx, ks, {
        resumeAfter,
        limit,
        filter: { match: args.match, type: args.type === null ? -1 as KeyType : args.type },
        nowMs: server.clock(),
      })
    );
    const next = page.resumeAfter === undefined ? "0" : server.cursors.issue(owner, page.resumeAfter).toString();
    return [next, page.keys];
  },
});

export const KEY_COMMANDS: readonly CommandSpec[] = [del, exists, type, keys, scan];
