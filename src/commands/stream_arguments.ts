// The arguments the stream commands share, read as Redis 7.0 reads them
// (t_stream.c): entry ids in their strict, interval and XADD forms, and the
// trimming options of XADD and XTRIM.
import { parseInt64 } from "../model/integers.ts";
import { idAfter, idBefore, MAX_ID, MIN_ID, UINT64_MAX, type StreamId } from "../model/stream_id.ts";
import type { IdRequest, TrimRule } from "../model/streams.ts";
import type { ErrorReply } from "../resp/reply.ts";
import { ArgumentReader, clampToSafe } from "./argument_reader.ts";
import { upper } from "./args.ts";
import {
  INVALID_END_ID,
  INVALID_START_ID,
  STREAM_LIMIT_NEGATIVE,
  LIMIT_WITHOUT_APPROXIMATION,
  LIMIT_WITHOUT_STRATEGY,
  MAXLEN_NEGATIVE,
  NOT_INTEGER,
  STREAM_ID_INVALID,
  SYNTAX,
  TIMEOUT_NEGATIVE,
  TIMEOUT_NOT_INTEGER,
  TRIM_STRATEGIES_TOGETHER,
  XREAD_GROUP_OPTION,
  XREAD_NOACK_OPTION,
  XREAD_UNBALANCED,
  XREADGROUP_MISSING_GROUP,
  XTRIM_WITHOUT_STRATEGY,
} from "./errors.ts";

const DASH = 0x2d;
const STAR = 0x2a;
const PLUS = 0x2b;
const OPEN_PAREN = 0x28;
/** Redis copies an id into a 128-byte buffer: longer arguments are invalid ids. */
const MAX_ID_BYTES = 127;
const TWO_64 = 1n << 64n;

/** isspace() of the C locale, which strtoull skips before the number. */
function isSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

/**
 * Redis's string2ull: its strict integer reader first (negative: invalid),
 * else strtoull's looser rules: leading spaces, a sign, leading zeros; a
 * minus wraps around, as in C. Undefined when neither accepts the text.
 */
function parseUint64(bytes: Uint8Array): bigint | undefined {
  const strict = parseInt64(bytes);
  if (strict !== undefined) return strict < 0n ? undefined : strict;
  let i = 0;
  while (i < bytes.length && isSpace(bytes[i]!)) i++;
  let negative = false;
  if (bytes[i] === PLUS || bytes[i] === DASH) negative = bytes[i++] === DASH;
  const digitsFrom = i;
  let value = 0n;
  for (; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c < 0x30 || c > 0x39) return undefined;
    value = value * 10n + BigInt(c - 0x30);
    if (value > UINT64_MAX) return undefined;
  }
  if (i === digitsFrom) return undefined;
  return negative && value !== 0n ? TWO_64 - value : value;
}

interface ParsedId {
  readonly id: StreamId;
  /** False for `<ms>-*` (only where allowed). */
  readonly seqGiven: boolean;
}

/**
 * One id (Redis's streamGenericParseIDOrReply): `<ms>-<seq>`, `<ms>` (the
 * sequence is then `missingSeq`), and unless `strict`, `-` and `+`;
 * `<ms>-*` only when `seqWildcard`.
 */
function parseId(bytes: Uint8Array, options: { readonly strict: boolean; readonly missingSeq: bigint; readonly seqWildcard?: boolean }): ParsedId | undefined {
  if (bytes.length > MAX_ID_BYTES) return undefined;
  if (bytes.length === 1 && (bytes[0] === DASH || bytes[0] === PLUS)) {
    if (options.strict) return undefined;
    return { id: bytes[0] === DASH ? MIN_ID : MAX_ID, seqGiven: true };
  }
  const dash = bytes.indexOf(DASH);
  const ms = parseUint64(dash < 0 ? bytes : bytes.subarray(0, dash));
  if (ms === undefined) return undefined;
  if (dash < 0) return { id: { ms, seq: options.missingSeq }, seqGiven: true };
  const rest = bytes.subarray(dash + 1);
  if (options.seqWildcard && rest.length === 1 && rest[0] === STAR) return { id: { ms, seq: 0n }, seqGiven: false };
  const seq = parseUint64(rest);
  return seq === undefined ? undefined : { id: { ms, seq }, seqGiven: true };
}

/** A full id where `-` and `+` are not allowed (XDEL, XREAD, XSETID, MINID): Redis's streamParseStrictIDOrReply. */
export function readStrictId(args: ArgumentReader, raw: Uint8Array = args.bytes()): StreamId {
  const parsed = parseId(raw, { strict: true, missingSeq: 0n });
  if (parsed === undefined) {
    args.fail(STREAM_ID_INVALID);
    return MIN_ID;
  }
  return parsed.id;
}

/** A full id where `-` and `+` stand for the smallest and greatest ids (XGROUP SETID): Redis's streamParseIDOrReply. */
export function readLooseId(args: ArgumentReader, raw: Uint8Array = args.bytes()): StreamId {
  const parsed = parseId(raw, { strict: false, missingSeq: 0n });
  if (parsed === undefined) {
    args.fail(STREAM_ID_INVALID);
    return MIN_ID;
  }
  return parsed.id;
}

/**
 * An XRANGE bound: `-`, `+`, an id, or `(id` (exclusive, then strict). A
 * missing sequence is 0 for a start, the greatest for an end. Returns the
 * inclusive bound, or the error of an exclusive bound with nothing beyond it.
 */
export function parseRangeBound(raw: Uint8Array, side: "start" | "end"): StreamId | ErrorReply {
  const missingSeq = side === "start" ? 0n : UINT64_MAX;
  const exclusive = raw.length > 1 && raw[0] === OPEN_PAREN;
  const parsed = exclusive ? parseId(raw.subarray(1), { strict: true, missingSeq }) : parseId(raw, { strict: false, missingSeq });
  if (parsed === undefined) return STREAM_ID_INVALID;
  if (!exclusive) return parsed.id;
  const inclusive = side === "start" ? idAfter(parsed.id) : idBefore(parsed.id);
  return inclusive ?? (side === "start" ? INVALID_START_ID : INVALID_END_ID);
}

/** Redis's default LIMIT of approximate trimming: 100 × stream-node-max-entries (100). */
export const DEFAULT_APPROXIMATE_LIMIT = 10_000;

export interface AddOrTrimOptions {
  readonly trim: TrimRule | undefined;
  readonly noMakeStream: boolean;
  /** XADD: the entry's id, read where the options end. */
  readonly id: IdRequest | undefined;
  /** XADD: a full id of 0-0, which Redis refuses before it looks at the key. */
  readonly zeroId: boolean;
}

/**
 * The options of XADD (`forAdd`: through the id) or XTRIM (to the end), as
 * Redis's streamParseAddOrTrimArgsOrReply reads them: MAXLEN or MINID, each
 * with `=` or `~`, LIMIT (only with `~`), NOMKSTREAM (XADD). For XADD an
 * argument that is no option is the id.
 */
export function readAddOrTrimOptions(args: ArgumentReader, forAdd: boolean): AddOrTrimOptions {
  let strategy: TrimRule["strategy"] | undefined;
  let approximate = false;
  let maxLength = 0;
  let minId = MIN_ID;
  let limit: number | undefined;
  let noMakeStream = false;
  let id: IdRequest | undefined;
  let zeroId = false;
  while (args.hasMore) {
    const raw = args.bytes();
    const word = raw.length <= 10 ? upper(raw) : "";
    const more = args.left;
    if (forAdd && raw.length === 1 && raw[0] === STAR) {
      id = { kind: "auto" };
      break;
    }
    if ((word === "MAXLEN" || word === "MINID") && more > 0) {
      if (strategy !== undefined) {
        args.fail(TRIM_STRATEGIES_TOGETHER);
        break;
      }
      strategy = word === "MAXLEN" ? "maxlen" : "minid";
      approximate = false;
      if (more >= 2 && args.token("~")) approximate = true;
      else if (more >= 2) args.token("=");
      if (strategy === "maxlen") {
        const value = args.integer(NOT_INTEGER);
        if (value < 0n) args.fail(MAXLEN_NEGATIVE);
        maxLength = Number(value);
      } else minId = readStrictId(args);
    } else if (word === "LIMIT" && more > 0) {
      const value = args.integer(NOT_INTEGER);
      if (value < 0n) args.fail(STREAM_LIMIT_NEGATIVE);
      limit = Number(value);
    } else if (forAdd && word === "NOMKSTREAM") {
      noMakeStream = true;
    } else if (forAdd) {
      const parsed = parseId(raw, { strict: true, missingSeq: 0n, seqWildcard: true });
      if (parsed === undefined) args.fail(STREAM_ID_INVALID);
      else if (!parsed.seqGiven) id = { kind: "ms", ms: parsed.id.ms };
      else {
        id = { kind: "explicit", id: parsed.id };
        zeroId = parsed.id.ms === 0n && parsed.id.seq === 0n;
      }
      break;
    } else {
      args.fail(SYNTAX);
    }
  }
  if (args.error === undefined) {
    if (limit !== undefined && limit !== 0 && strategy === undefined) args.fail(LIMIT_WITHOUT_STRATEGY);
    else if (!forAdd && strategy === undefined) args.fail(XTRIM_WITHOUT_STRATEGY);
    else if (limit !== undefined && !approximate) args.fail(LIMIT_WITHOUT_APPROXIMATION);
  }
  const trim: TrimRule | undefined = strategy === undefined
    ? undefined
    : { strategy, maxLength, minId, limit: limit ?? (approximate ? DEFAULT_APPROXIMATE_LIMIT : 0) };
  return { trim, noMakeStream, id, zeroId };
}

/** The index of STREAMS in an XREAD argv, skipping options as Redis's key finder does; undefined when absent. */
function streamsPosition(argv: readonly Uint8Array[]): number | undefined {
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i]!.length <= 7 ? upper(argv[i]!) : "";
    if (word === "BLOCK" || word === "COUNT") i++;
    else if (word === "GROUP") i += 2;
    else if (word === "NOACK") continue;
    else if (word === "STREAMS") return i;
    else return undefined;
  }
  return undefined;
}

/** XREAD's and XREADGROUP's keys: the first half of what follows STREAMS (movable keys: called before parse). */
export function readKeyPositions(argv: readonly Uint8Array[]): number[] {
  const at = streamsPosition(argv);
  if (at === undefined) return [];
  const after = argv.length - at - 1;
  if (after === 0 || after % 2 !== 0) return [];
  return Array.from({ length: after / 2 }, (_, i) => at + 1 + i);
}

/** What XREAD and XREADGROUP share of their arguments, as Redis's one xreadCommand parses them. */
export interface ReadArguments {
  /** XREADGROUP's GROUP: the group and the consumer (undefined for XREAD). */
  readonly group: { readonly name: Uint8Array; readonly consumer: Uint8Array } | undefined;
  readonly noAck: boolean;
  /** 0: no limit. */
  readonly count: number;
  /** Undefined without BLOCK (never waits); 0 waits forever. */
  readonly blockMs: number | undefined;
  readonly keys: Uint8Array[];
  /** One per key, as given (`$`, `>` and ids are checked later, as Redis checks them). */
  readonly ids: Uint8Array[];
}

/**
 * The options of XREAD (`forGroup` false: GROUP and NOACK refused) or
 * XREADGROUP (GROUP required), up to STREAMS and its keys and ids.
 */
export function parseReadArguments(argv: readonly Uint8Array[], forGroup: boolean): ReadArguments | ErrorReply {
  let count = 0;
  let blockMs: number | undefined;
  let noAck = false;
  let group: ReadArguments["group"];
  for (let i = 1; i < argv.length; i++) {
    const word = upper(argv[i]!);
    const more = argv.length - i - 1;
    if (word === "BLOCK" && more > 0) {
      const ms = parseInt64(argv[++i]!);
      if (ms === undefined) return TIMEOUT_NOT_INTEGER;
      if (ms < 0n) return TIMEOUT_NEGATIVE;
      blockMs = clampToSafe(ms);
    } else if (word === "COUNT" && more > 0) {
      const n = parseInt64(argv[++i]!);
      if (n === undefined) return NOT_INTEGER;
      count = n < 0n ? 0 : clampToSafe(n);
    } else if (word === "STREAMS" && more > 0) {
      if (more % 2 !== 0) return XREAD_UNBALANCED;
      if (forGroup && group === undefined) return XREADGROUP_MISSING_GROUP;
      const half = more / 2;
      return { group, noAck, count, blockMs, keys: argv.slice(i + 1, i + 1 + half), ids: argv.slice(i + 1 + half) };
    } else if (word === "GROUP" && more >= 2) {
      if (!forGroup) return XREAD_GROUP_OPTION;
      group = { name: argv[++i]!, consumer: argv[++i]! };
    } else if (word === "NOACK") {
      if (!forGroup) return XREAD_NOACK_OPTION;
      noAck = true;
    } else return SYNTAX;
  }
  return SYNTAX;
}
