// BITFIELD and BITFIELD_RO: integer fields of a string (src/model/bitfield.ts).
// Every argument is checked before the key is looked up, in Redis's order
// (bitfieldGeneric): each operation's name, type, offset, then value; then
// BITFIELD_RO refuses writes; then the key's type.
import * as bitfield from "../../model/bitfield.ts";
import { MAX_STRING_BYTES } from "../../model/limits.ts";
import { isStatus } from "../../model/status.ts";
import { ErrorReply, type Reply } from "../../resp/reply.ts";
import { parseInt64 } from "../args.ts";
import { ArgumentReader } from "../argument_reader.ts";
import { block, integer, key, multiple, oneOf, optional, string, token, withToken } from "../arguments.ts";
import { BIT_OFFSET_INVALID, BITFIELD_RO_WRITE, BITFIELD_TYPE_INVALID, OVERFLOW_TYPE_INVALID, SYNTAX } from "../errors.ts";
import { replyOfStatus } from "../reply_of_status.ts";
import { defineCommand, type CommandSpec } from "../spec.ts";

/**
 * A field type as Redis reads it: `i` or `u` (lower case only), then the
 * width read up to the first NUL (Redis uses strlen), 1-64 signed, 1-63
 * unsigned (a u64 field could not be answered as a RESP integer).
 */
function parseFieldType(raw: Uint8Array): bitfield.FieldType | undefined {
  const sign = raw[0];
  if (sign !== 0x69 && sign !== 0x75) return undefined;
  const nul = raw.indexOf(0, 1);
  const bits = parseInt64(raw.subarray(1, nul === -1 ? raw.length : nul));
  const signed = sign === 0x69;
  if (bits === undefined || bits < 1n || bits > (signed ? 64n : 63n)) return undefined;
  return { signed, bits: Number(bits) };
}

/**
 * A bit offset: an integer, or `#N` for the N-th field of this width (N
 * times the width, wrapping as Redis's int64 product does). Its byte must
 * be below the largest string (Redis: proto-max-bulk-len, 512 MB; Materia's
 * values stop at 5 MB).
 */
function parseOffset(raw: Uint8Array, bits: number): number | undefined {
  const indexed = raw[0] === 0x23;
  let offset = parseInt64(indexed ? raw.subarray(1) : raw);
  if (offset === undefined) return undefined;
  if (indexed) offset = BigInt.asIntN(64, offset * BigInt(bits));
  if (offset < 0n || offset >> 3n >= BigInt(MAX_STRING_BYTES)) return undefined;
  return Number(offset);
}

interface BitfieldArgs {
  readonly key: Uint8Array;
  readonly operations: readonly bitfield.FieldOperation[];
  /** True when some operation is a SET or an INCRBY. */
  readonly writes: boolean;
}

/** BITFIELD key [GET type offset | SET type offset value | INCRBY type offset increment | OVERFLOW WRAP|SAT|FAIL]... */
function parseBitfield(argv: readonly Uint8Array[]): BitfieldArgs | ErrorReply {
  const args = new ArgumentReader(argv);
  const key = args.key();
  const operations: bitfield.FieldOperation[] = [];
  let overflow: bitfield.Overflow = "WRAP";
  let writes = false;
  while (args.hasMore) {
    const remaining = args.left - 1;
    const name = args.keyword();
    if (name === "OVERFLOW" && remaining >= 1) {
      const choice = args.keyword();
      if (choice === "WRAP" || choice === "SAT" || choice === "FAIL") overflow = choice;
      else args.fail(OVERFLOW_TYPE_INVALID);
      continue;
    }
    const kind = name === "GET" && remaining >= 2 ? "GET" : (name === "SET" || name === "INCRBY") && remaining >= 3 ? name : undefined;
    if (kind === undefined) {
      args.fail(SYNTAX);
      break;
    }
    const type = parseFieldType(args.bytes());
    if (type === undefined) {
      args.fail(BITFIELD_TYPE_INVALID);
      break;
    }
    const offset = parseOffset(args.bytes(), type.bits);
    if (offset === undefined) {
      args.fail(BIT_OFFSET_INVALID);
      break;
    }
    if (kind === "GET") operations.push({ kind, type, offset });
    else {
      writes = true;
      operations.push({ kind, type, offset, value: args.integer(), overflow });
    }
  }
  return args.finish({ key, operations, writes });
}

const bitfieldCommand = defineCommand({
  name: "bitfield",
  arity: -2,
  flags: ["write", "denyoom"],
  keys: { first: 1, last: 1, step: 1 },
  group: "bitmap",
  summary: "Reads, sets and increments integer fields of any width (i1-i64, u1-u63) at any bit offset of a string, with a choice of overflow behaviour.",
  since: "3.2.0",
  complexity: "O(1) for each subcommand specified",
  arguments: [
    key("key"),
    optional(multiple(oneOf(
      "operation",
      withToken("GET", block("encoding_offset", string("encoding"), integer("offset"))),
      block(
        "write",
        optional(withToken("OVERFLOW", oneOf("wrap_sat_fail", token("WRAP"), token("SAT"), token("FAIL")))),
        oneOf(
          "write_operation",
          withToken("SET", block("encoding_offset_value", string("encoding"), integer("offset"), integer("value"))),
          withToken("INCRBY", block("encoding_offset_increment", string("encoding"), integer("offset"), integer("increment"))),
        ),
      ),
    ))),
  ],
  access: "write",
  parse: parseBitfield,
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const run = args.writes ? bitfield.writeFields(tx, ks, args.key, { operations: args.operations, nowMs }) : bitfield.readFields(tx, ks, args.key, { operations: args.operations, nowMs });
    const results = await run;
    return isStatus(results) ? replyOfStatus(results) : results;
  },
});

const bitfieldRo = defineCommand({
  name: "bitfield_ro",
  arity: -2,
  flags: ["readonly", "fast"],
  keys: { first: 1, last: 1, step: 1 },
  group: "bitmap",
  summary: "Reads integer fields of a string, as BITFIELD's GET does; a read-only command, so it may run on read-only tokens.",
  since: "6.0.0",
  complexity: "O(1) for each subcommand specified",
  arguments: [key("key"), optional(multiple(withToken("GET", block("encoding_offset", string("encoding"), integer("offset")))))],
  access: "read",
  parse(argv): BitfieldArgs | ErrorReply {
    const parsed = parseBitfield(argv);
    // Redis parses every operation first, then refuses the writes.
    if (parsed instanceof ErrorReply) return parsed;
    return parsed.writes ? BITFIELD_RO_WRITE : parsed;
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const results = await bitfield.readFields(tx, ks, args.key, { operations: args.operations, nowMs });
    return isStatus(results) ? replyOfStatus(results) : results;
  },
});

export const BITFIELD_COMMANDS: readonly CommandSpec[] = [bitfieldCommand, bitfieldRo];
