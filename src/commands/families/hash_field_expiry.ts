// Hash-field expiry (Redis 7.4/8): HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT,
// HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME, HPERSIST, HGETDEL, HGETEX, HSETEX.
// The arguments are read in the order and with the error texts of Redis 8's
// t_hash.c; the work is model/hash_field_expiry.ts's.
import type { MaybePromise } from "../../engine/contract.ts";
import { then } from "../../engine/maybe_promise.ts";
import * as expiry from "../../model/hash_field_expiry.ts";
import { MAX_FIELD_EXPIRE_AT_MS } from "../../model/hash_field_ttl.ts";
import type { FieldValue } from "../../model/hashes.ts";
import { isStatus } from "../../model/status.ts";
import type { ErrorReply, Reply } from "../../resp/reply.ts";
import { block, integer, key, multiple, oneOf, optional, string, token, unixTime, withToken } from "../arguments.ts";
import { ArgumentReader } from "../argument_reader.ts";
import { upper } from "../args.ts";
import {
  EXPIRE_NUMFIELDS_NOT_POSITIVE,
  FIELD_EXPIRE_TIME_NEGATIVE,
  FIELDS_ARGUMENT_MISSING,
  HSETEX_FNX_FXX_CONFLICT,
  HSETEX_MISSING_EXPIRE_TIME,
  HSETEX_NUMFIELDS_INVALID,
  HSETEX_TTL_CONFLICT,
  invalidExpireTime,
  NUMFIELDS_MISMATCH,
  NUMFIELDS_NOT_POSITIVE,
  unknownArgument,
  WRONGTYPE,
  wrongArity,
} from "../errors.ts";
import { replyOfStatus } from "../reply_of_status.ts";
import { type CommandSpec, defineCommand } from "../spec.ts";

const KEY_ONLY = { first: 1, last: 1, step: 1 } as const;
const INT_MAX = 2_147_483_647n;
const MAX_FIELD_EXPIRE_AT = BigInt(MAX_FIELD_EXPIRE_AT_MS);

const FIELDS_BLOCK = block("fields", withToken("FIELDS", integer("numfields")), multiple(string("field")));

/** A time argument as given, checked as far as it can be without the clock (Redis's parseExpireTime). */
interface TimeArgument {
  /** In ms (seconds already multiplied). */
  readonly ms: bigint;
  /** Added to now (EX, PX, HEXPIRE) or absolute (EXAT, PXAT, HEXPIREAT). */
  readonly relative: boolean;
}

/** Reads a field-expiry time in `unit`: non-negative, and in seconds no more than Redis's limit allows. */
function readTime(args: ArgumentReader, form: { readonly unit: "s" | "ms"; readonly relative: boolean; readonly commandName: string }): TimeArgument {
  const value = args.integer();
  if (value < 0n) args.fail(FIELD_EXPIRE_TIME_NEGATIVE);
  else if (form.unit === "s" && value > MAX_FIELD_EXPIRE_AT / 1000n) args.fail(invalidExpireTime(form.commandName));
  return { ms: form.unit === "s" ? value * 1000n : value, relative: form.relative };
}

/** The absolute expiry of `time` at `nowMs`, or Redis's error when it passes the latest expiry a field may have. */
function expireAtOf(time: TimeArgument, at: { readonly nowMs: number; readonly commandName: string }): number | ErrorReply {
  const base = time.relative ? BigInt(at.nowMs) : 0n;
  if (time.ms > MAX_FIELD_EXPIRE_AT - base) return invalidExpireTime(at.commandName);
  return Number(time.ms + base);
}

/**
 * `FIELDS numfields field [field ...]` to the end: FIELDS where expected,
 * numfields from 1 on (its error text varies by command), and exactly that
 * many fields.
 */
function readFields(args: ArgumentReader, numfieldsError: ErrorReply): Uint8Array[] {
  if (!args.token("FIELDS")) {
    args.fail(FIELDS_ARGUMENT_MISSING);
    return [];
  }
  const count = args.integerIn({ min: 1n }, numfieldsError);
  if (args.error === undefined && count !== args.left) args.fail(NUMFIELDS_MISMATCH);
  return args.rest();
}

/** WRONGTYPE, or the model's reply as is. */
function replyOrWrongType<T extends Reply>(result: T | "WRONGTYPE"): Reply {
  return result === "WRONGTYPE" ? WRONGTYPE : result;
}

interface ExpireFieldsArgs {
  readonly key: Uint8Array;
  readonly time: TimeArgument;
  readonly condition: expiry.FieldExpireCondition | undefined;
  readonly fields: Uint8Array[];
}

function readCondition(args: ArgumentReader): expiry.FieldExpireCondition | undefined {
  for (const word of ["NX", "XX", "GT", "LT"] as const) if (args.token(word)) return word;
  return undefined;
}

function expireCommand(spec: { readonly name: string; readonly unit: "s" | "ms"; readonly relative: boolean; readonly summary: string; readonly timeName: string }): CommandSpec {
  return defineCommand({
    name: spec.name,
    arity: -6,
    flags: ["write", "denyoom", "fast"],
    keys: KEY_ONLY,
    group: "hash",
    summary: spec.summary,
    since: "7.4.0",
    complexity: "O(N) where N is the number of specified fields",
    arguments: [
      key("key"),
      spec.relative ? integer(spec.timeName) : unixTime(spec.timeName),
      optional(oneOf("condition", token("NX"), token("XX"), token("GT"), token("LT"))),
      FIELDS_BLOCK,
    ],
    access: "write",
    parse(argv): ExpireFieldsArgs | ErrorReply {
      const args = new ArgumentReader(argv);
      const key = args.key();
      const time = readTime(args, { unit: spec.unit, relative: spec.relative, commandName: spec.name });
      const condition = readCondition(args);
      const fields = readFields(args, EXPIRE_NUMFIELDS_NOT_POSITIVE);
      return args.finish({ key, time, condition, fields });
    },
    exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> => {
      const expireAt = expireAtOf(args.time, { nowMs, commandName: spec.name });
      if (typeof expireAt !== "number") return expireAt;
      return then(expiry.expireFields(tx, ks, args.key, { fields: args.fields, expireAt, condition: args.condition, nowMs }), replyOrWrongType);
    },
  });
}

const hexpire = expireCommand({
  name: "hexpire", unit: "s", relative: true, timeName: "seconds",
  summary: "Sets a time to live in seconds on fields of a hash; per field: 1 set, 0 condition not met, 2 deleted (time in the past), -2 no such field.",
});
const hpexpire = expireCommand({
  name: "hpexpire", unit: "ms", relative: true, timeName: "milliseconds",
  summary: "Sets a time to live in milliseconds on fields of a hash; per field: 1 set, 0 condition not met, 2 deleted, -2 no such field.",
});
const hexpireat = expireCommand({
  name: "hexpireat", unit: "s", relative: false, timeName: "unix-time-seconds",
  summary: "Sets the Unix time in seconds at which fields of a hash expire; per field: 1 set, 0 condition not met, 2 deleted, -2 no such field.",
});
const hpexpireat = expireCommand({
  name: "hpexpireat", unit: "ms", relative: false, timeName: "unix-time-milliseconds",
  summary: "Sets the Unix time in milliseconds at which fields of a hash expire; per field: 1 set, 0 condition not met, 2 deleted, -2 no such field.",
});

interface FieldsArgs {
  readonly key: Uint8Array;
  readonly fields: Uint8Array[];
}

/** key FIELDS numfields field [field ...]: HTTL and friends, HPERSIST, HGETDEL. */
function parseKeyFields(argv: readonly Uint8Array[]): FieldsArgs | ErrorReply {
  const args = new ArgumentReader(argv);
  const key = args.key();
  const fields = readFields(args, NUMFIELDS_NOT_POSITIVE);
  return args.finish({ key, fields });
}

function ttlCommand(spec: { readonly name: string; readonly unit: "s" | "ms"; readonly absolute: boolean; readonly summary: string }): CommandSpec {
  return defineCommand({
    name: spec.name,
    arity: -5,
    flags: ["readonly", "fast"],
    keys: KEY_ONLY,
    group: "hash",
    summary: spec.summary,
    since: "7.4.0",
    complexity: "O(N) where N is the number of specified fields",
    arguments: [key("key"), FIELDS_BLOCK],
    access: "read",
    parse: parseKeyFields,
    exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
      then(expiry.fieldTimesToLive(tx, ks, args.key, { fields: args.fields, nowMs, unit: spec.unit, absolute: spec.absolute }), replyOrWrongType),
  });
}

const httl = ttlCommand({
  name: "httl", unit: "s", absolute: false,
  summary: "Returns the seconds left to live of fields of a hash; per field -1 without a TTL, -2 when missing.",
});
const hpttl = ttlCommand({
  name: "hpttl", unit: "ms", absolute: false,
  summary: "Returns the milliseconds left to live of fields of a hash; per field -1 without a TTL, -2 when missing.",
});
const hexpiretime = ttlCommand({
  name: "hexpiretime", unit: "s", absolute: true,
  summary: "Returns the Unix time in seconds at which fields of a hash expire; per field -1 without a TTL, -2 when missing.",
});
const hpexpiretime = ttlCommand({
  name: "hpexpiretime", unit: "ms", absolute: true,
  summary: "Returns the Unix time in milliseconds at which fields of a hash expire; per field -1 without a TTL, -2 when missing.",
});

const hpersist = defineCommand({
  name: "hpersist",
  arity: -5,
  flags: ["write", "fast"],
  keys: KEY_ONLY,
  group: "hash",
  summary: "Removes the time to live of fields of a hash; per field: 1 removed, -1 had none, -2 no such field.",
  since: "7.4.0",
  complexity: "O(N) where N is the number of specified fields",
  arguments: [key("key"), FIELDS_BLOCK],
  access: "write",
  parse: parseKeyFields,
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
    then(expiry.persistFields(tx, ks, args.key, { fields: args.fields, nowMs }), replyOrWrongType),
});

const hgetdel = defineCommand({
  name: "hgetdel",
  arity: -5,
  flags: ["write", "fast"],
  keys: KEY_ONLY,
  group: "hash",
  summary: "Returns the values of fields of a hash (nil for each missing one) and deletes them; the hash goes with its last field.",
  since: "8.0.0",
  complexity: "O(N) where N is the number of specified fields",
  arguments: [key("key"), FIELDS_BLOCK],
  access: "write",
  parse: parseKeyFields,
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> =>
    then(expiry.getAndDeleteFields(tx, ks, args.key, { fields: args.fields, nowMs }), replyOrWrongType),
});

interface GetExArgs {
  readonly key: Uint8Array;
  /** Undefined: leave the TTLs alone. */
  readonly ttl: { readonly persist: true } | TimeArgument | undefined;
  readonly fields: Uint8Array[];
}

/** EX/PX/EXAT/PXAT: the unit and base of each. */
const TIME_OPTIONS: Readonly<Record<string, { readonly unit: "s" | "ms"; readonly relative: boolean }>> = {
  EX: { unit: "s", relative: true },
  PX: { unit: "ms", relative: true },
  EXAT: { unit: "s", relative: false },
  PXAT: { unit: "ms", relative: false },
};

const TTL_OPTIONS_DOC = [
  withToken("EX", integer("seconds")),
  withToken("PX", integer("milliseconds")),
  withToken("EXAT", unixTime("unix-time-seconds")),
  withToken("PXAT", unixTime("unix-time-milliseconds")),
];

const hgetex = defineCommand({
  name: "hgetex",
  arity: -5,
  flags: ["write", "fast"],
  keys: KEY_ONLY,
  group: "hash",
  summary: "Returns the values of fields of a hash (nil for each missing one), optionally setting (EX, PX, EXAT, PXAT) or removing (PERSIST) their time to live.",
  since: "8.0.0",
  complexity: "O(N) where N is the number of specified fields",
  arguments: [key("key"), optional(oneOf("expiration", ...TTL_OPTIONS_DOC, token("PERSIST"))), FIELDS_BLOCK],
  access: "write",
  parse(argv): GetExArgs | ErrorReply {
    const args = new ArgumentReader(argv);
    const key = args.key();
    let ttl: GetExArgs["ttl"];
    // Redis looks at the one argument after the key: an option, or FIELDS.
    const option = argv[2] === undefined ? "" : upper(argv[2]);
    const form = TIME_OPTIONS[option];
    if (form !== undefined) {
      args.bytes();
      ttl = readTime(args, { ...form, commandName: "hgetex" });
    } else if (option === "PERSIST") {
      args.bytes();
      ttl = { persist: true };
    }
    // `HGETEX key EX 10 FIELDS` passes the arity check but names no count.
    if (args.error === undefined && args.left < 2) return wrongArity("hgetex");
    const fields = readFields(args, NUMFIELDS_NOT_POSITIVE);
    return args.finish({ key, ttl, fields });
  },
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> => {
    let ttl: expiry.GetExTtl | undefined;
    if (args.ttl !== undefined) {
      if ("persist" in args.ttl) ttl = args.ttl;
      else {
        const expireAt = expireAtOf(args.ttl, { nowMs, commandName: "hgetex" });
        if (typeof expireAt !== "number") return expireAt;
        ttl = { expireAt };
      }
    }
    return then(expiry.getFieldsSettingTtl(tx, ks, args.key, { fields: args.fields, ttl, nowMs }), replyOrWrongType);
  },
});

interface SetExArgs {
  readonly key: Uint8Array;
  readonly condition: expiry.SetExCondition | undefined;
  /** Undefined: drop the fields' TTLs, as HSET does. */
  readonly ttl: { readonly keep: true } | TimeArgument | undefined;
  readonly pairs: FieldValue[];
}

/** HSETEX's options in any order until FIELDS, with Redis 8's checks and texts (hsetexParseArgs). */
function parseSetEx(argv: readonly Uint8Array[]): SetExArgs | ErrorReply {
  const args = new ArgumentReader(argv);
  const key = args.key();
  let condition: expiry.SetExCondition | undefined;
  let ttl: SetExArgs["ttl"];
  while (args.hasMore) {
    const raw = argv[argv.length - args.left]!;
    const word = args.keyword();
    if (word === "FIELDS") {
      // FIELDS needs a count and at least one pair after it.
      if (args.left < 3) return wrongArity("hsetex");
      const count = args.integerIn({ min: 1n, max: INT_MAX }, HSETEX_NUMFIELDS_INVALID);
      if (args.error !== undefined) return args.error;
      if (args.left % 2 !== 0 || count !== args.left / 2) return wrongArity("hsetex");
      const pairs: FieldValue[] = [];
      while (!args.atEnd) pairs.push([args.bytes(), args.bytes()]);
      return { key, condition, ttl, pairs };
    }
    const form = TIME_OPTIONS[word];
    if (form !== undefined || word === "KEEPTTL") {
      if (ttl !== undefined) return HSETEX_TTL_CONFLICT;
      if (word === "KEEPTTL") ttl = { keep: true };
      else {
        if (args.atEnd) return HSETEX_MISSING_EXPIRE_TIME;
        ttl = readTime(args, { ...form!, commandName: "hsetex" });
      }
    } else if (word === "FNX" || word === "FXX") {
      if (condition !== undefined) return HSETEX_FNX_FXX_CONFLICT;
      condition = word;
    } else return unknownArgument(raw);
  }
  // Options only, no FIELDS (Redis asserts this cannot happen): a wrong number of arguments.
  return args.error ?? wrongArity("hsetex");
}

const hsetex = defineCommand({
  name: "hsetex",
  arity: -6,
  flags: ["write", "denyoom", "fast"],
  keys: KEY_ONLY,
  group: "hash",
  summary: "Sets fields of a hash with an optional time to live (EX, PX, EXAT, PXAT, or KEEPTTL to keep theirs); FNX/FXX set them only if none/all exist; replies 1 when set, 0 when not.",
  since: "8.0.0",
  complexity: "O(N) where N is the number of fields being set.",
  arguments: [
    key("key"),
    optional(oneOf("condition", token("FNX"), token("FXX"))),
    optional(oneOf("expiration", ...TTL_OPTIONS_DOC, token("KEEPTTL"))),
    block("fields", withToken("FIELDS", integer("numfields")), multiple(block("data", string("field"), string("value")))),
  ],
  access: "write",
  parse: parseSetEx,
  exec: ({ tx, ks, nowMs }, args): MaybePromise<Reply> => {
    let ttl: expiry.SetExTtl | undefined;
    if (args.ttl !== undefined) {
      if ("keep" in args.ttl) ttl = args.ttl;
      else {
        const expireAt = expireAtOf(args.ttl, { nowMs, commandName: "hsetex" });
        if (typeof expireAt !== "number") return expireAt;
        ttl = { expireAt };
      }
    }
    return then(expiry.setFieldsWithTtl(tx, ks, args.key, { pairs: args.pairs, condition: args.condition, ttl, nowMs }), (result) =>
      isStatus(result) ? replyOfStatus(result) : result);
  },
});

export const HASH_FIELD_EXPIRY_COMMANDS: readonly CommandSpec[] = [
  hexpire,
  hpexpire,
  hexpireat,
  hpexpireat,
  httl,
  hpttl,
  hexpiretime,
  hpexpiretime,
  hpersist,
  hgetdel,
  hgetex,
  hsetex,
];
