// DUMP and RESTORE: a key's value in Redis's own serialisation (the RDB value
// encoding, the RDB version and a CRC-64: model/rdb/dump_payload.ts), so a
// value dumped from Redis restores into Materia and back. The model's
// adapters (model/dump_value.ts) read and write keys through each type's own
// functions.
import { ArgumentReader, onlyKey } from "../argument_reader.ts";
import { integer, key, optional, string, token, withToken } from "../arguments.ts";
import {
  BAD_DATA_FORMAT,
  BUSYKEY,
  DUMP_PAYLOAD_INVALID,
  INVALID_FREQ,
  INVALID_IDLETIME,
  INVALID_TTL,
  MEMBER_TOO_LARGE,
  NOT_INTEGER,
  restoreTooLarge,
  STRING_TOO_LONG,
  SYNTAX,
} from "../errors.ts";
import { defineCommand } from "../spec.ts";
import { lookup, lookupForWrite, removeKey } from "../../model/db.ts";
import { checkValueFits, readKeyValue, writeKeyValue } from "../../model/dump_value.ts";
import { parseInt64 } from "../../model/integers.ts";
import { MAX_RESTORE_DECODED_BYTES } from "../../model/limits.ts";
import { encodeDumpPayload, readDumpPayload } from "../../model/rdb/dump_payload.ts";
import { type ErrorReply, OK, type Reply } from "../../resp/reply.ts";

const dump = defineCommand({
  name: "dump",
  arity: 2,
  flags: ["readonly"],
  keys: { first: 1, last: 1, step: 1 },
  group: "generic",
  summary: "Serialises a key's value in Redis's DUMP format (RDB encoding, version 10, CRC-64); nil when the key is missing.",
  since: "2.6.0",
  complexity: "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size.",
  arguments: [key("key")],
  access: "read",
  longRead: true,
  parse: onlyKey,
  async exec({ tx, ks, nowMs }, k): Promise<Reply> {
    const meta = await lookup(tx, ks, k, nowMs);
    if (meta === undefined) return null;
    return encodeDumpPayload(await readKeyValue(tx, ks, k, { meta, nowMs }));
  },
});

interface RestoreArgs {
  readonly key: Uint8Array;
  /** Undefined when not an integer: Redis reports it only after checking that the key is free. */
  readonly ttl: bigint | undefined;
  readonly payload: Uint8Array;
  readonly replace: boolean;
  readonly absttl: boolean;
}

/**
 * RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f], options
 * read as restoreCommand reads them: IDLETIME and FREQ exclude each other
 * (the second is a syntax error), each value checked as it is met. Materia
 * keeps no LRU/LFU clock a restore could set, so their values are checked
 * and not kept (docs/COMPATIBILITY.md).
 */
function parseRestore(argv: readonly Uint8Array[]): RestoreArgs | ErrorReply {
  const args = new ArgumentReader(argv);
  const k = args.key();
  const ttl = parseInt64(args.bytes());
  const payload = args.bytes();
  let replace = false;
  let absttl = false;
  let idle = false;
  let freq = false;
  while (args.hasMore) {
    const hasValue = args.left >= 2;
    if (args.token("REPLACE")) replace = true;
    else if (args.token("ABSTTL")) absttl = true;
    else if (hasValue && !freq && args.token("IDLETIME")) {
      const value = args.integer();
      if (args.error === undefined && value < 0n) args.fail(INVALID_IDLETIME);
      idle = true;
    } else if (hasValue && !idle && args.token("FREQ")) {
      const value = args.integer();
      if (args.error === undefined && (value < 0n || value > 255n)) args.fail(INVALID_FREQ);
      freq = true;
    } else args.fail(SYNTAX);
  }
  return args.finish({ key: k, ttl, payload, replace, absttl });
}

const restore = defineCommand({
  name: "restore",
  arity: -4,
  flags: ["write", "denyoom"],
  keys: { first: 1, last: 1, step: 1 },
  group: "generic",
  summary: "Creates a key from a DUMP payload, with a TTL in ms (0: none; ABSTTL: a unix time in ms); REPLACE overwrites an existing key.",
  since: "2.6.0",
  complexity: "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size.",
  arguments: [
    key("key"),
    integer("ttl"),
    string("serialized-value"),
    optional(token("REPLACE")),
    optional(token("ABSTTL")),
    optional(withToken("IDLETIME", integer("seconds"))),
    optional(withToken("FREQ", integer("frequency"))),
  ],
  access: "write",
  parse: parseRestore,
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    // Redis's order: the key must be free, then the TTL, then the payload's footer, then its value.
    const previous = await lookupForWrite(tx, ks, args.key, nowMs);
    if (previous !== undefined && !args.replace) return BUSYKEY;
    if (args.ttl === undefined) return NOT_INTEGER;
    if (args.ttl < 0n) return INVALID_TTL;
    const read = readDumpPayload(args.payload, { maxDecodedBytes: MAX_RESTORE_DECODED_BYTES });
    if (!read.ok) {
      if (read.reason === "CHECKSUM") return DUMP_PAYLOAD_INVALID;
      if (read.reason === "TOO_LARGE") return restoreTooLarge(MAX_RESTORE_DECODED_BYTES);
      return BAD_DATA_FORMAT;
    }
    const refused = checkValueFits(ks, args.key, read.value);
    if (refused === "TOO_LARGE") return STRING_TOO_LONG;
    if (refused === "MEMBER_TOO_LARGE") return MEMBER_TOO_LARGE;
    if (refused === "TRANSACTION_TOO_LARGE") return restoreTooLarge(MAX_RESTORE_DECODED_BYTES);
    if (previous !== undefined) removeKey(tx, ks, args.key, previous);
    const ttl = Number(args.ttl);
    const expireAt = ttl === 0 ? 0 : args.absttl ? ttl : ttl + nowMs;
    if (expireAt !== 0 && expireAt <= nowMs) {
      // Already expired: nothing is created; a replaced key is reported deleted.
      if (previous !== undefined) ks.notify("g", "del", args.key);
      return OK;
    }
    await writeKeyValue(tx, ks, args.key, { value: read.value, expireAt, nowMs });
    ks.notify("g", "restore", args.key);
    return OK;
  },
});

export const DUMP_RESTORE_COMMANDS = [dump, restore];
