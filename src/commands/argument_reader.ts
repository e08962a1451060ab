// Reading a command's argv in the order of its grammar, so that a parse
// reads like the synopsis in its declaration's `arguments`:
//
//   const args = new ArgumentReader(argv);               // GETRANGE key start end
//   return args.finish({ key: args.key(), start: args.clampedInteger(), end: args.clampedInteger() });
//
// The reader latches the first error and ignores later ones, as Redis answers
// the first bad argument it meets (the habit of Dragonfly's CmdArgParser).
// A read that fails returns a harmless placeholder (0, an empty argument)
// so that the parse can go on to `finish`, which returns that first error.
// Where Redis checks an argument out of order, read its bytes first and
// convert them later with the same method (`integer(NOT_INTEGER, raw)`):
// the error then takes its place in Redis's order.
//
// The method names follow the argument types of ./arguments.ts (key,
// integer, pattern, token, oneOf), so a parse and its documentation use one
// vocabulary. A class with plain fields: parse runs for every
// command, and one short-lived object is all it costs.
import { compileGlob, type GlobMatcher } from "../model/glob.ts";
import { INT64_MAX } from "../model/integers.ts";
import type { ErrorReply } from "../resp/reply.ts";
import { parseClampedInteger, parseCursor, parseInt64, upper } from "./args.ts";
import { INVALID_CURSOR, NOT_INTEGER, SYNTAX } from "./errors.ts";

const NOTHING = new Uint8Array(0);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export class ArgumentReader {
  private next: number;
  /** The first error met, if any: what `finish` answers. */
  error: ErrorReply | undefined = undefined;

  /** Reads `argv` from `from` (1: just after the command name; 2 after a subcommand's name). */
  constructor(private readonly argv: readonly Uint8Array[], from = 1) {
    this.next = from;
  }

  /** How many arguments are left to read. */
  get left(): number {
    return this.argv.length - this.next;
  }

  get atEnd(): boolean {
    return this.next >= this.argv.length;
  }

  /** True while arguments remain and none has failed: the condition of an option loop. */
  get hasMore(): boolean {
    return this.next < this.argv.length && this.error === undefined;
  }

  /** Records `error` unless an earlier argument already failed. */
  fail(error: ErrorReply): void {
    this.error ??= error;
  }

  /** The parsed arguments, or the first error met while reading them. */
  finish<T>(parsed: T): T | ErrorReply {
    return this.error ?? parsed;
  }

  /** The next argument as sent; a missing one is a syntax error (an option without its value). */
  bytes(): Uint8Array {
    const arg = this.argv[this.next];
    if (arg === undefined) {
      this.fail(SYNTAX);
      return NOTHING;
    }
    this.next++;
    return arg;
  }

  /** A key name (arity and the key positions guarantee it is there). */
  key(): Uint8Array {
    return this.bytes();
  }

  /** The next argument if there is one (an optional trailing argument). */
  optional(): Uint8Array | undefined {
    return this.atEnd ? undefined : this.bytes();
  }

  /** The next `count` arguments (numkeys key [key ...]); the caller has checked that many are left. */
  several(count: number): Uint8Array[] {
    const taken = this.argv.slice(this.next, this.next + count);
    this.next += taken.length;
    return taken;
  }

  /** Every argument left (KEY [KEY ...], member lists). */
  rest(): Uint8Array[] {
    const rest = this.argv.slice(this.next);
    this.next = this.argv.length;
    return rest;
  }

  /** The next argument upper-cased, for comparing option names. */
  keyword(): string {
    return upper(this.bytes());
  }

  /** Consumes the next argument when it is `word` (upper case), in any letter case. */
  token(word: string): boolean {
    const arg = this.argv[this.next];
    if (arg === undefined || !sameWord(arg, word)) return false;
    this.next++;
    return true;
  }

  /** One of `words` (upper case), in any letter case; anything else is a syntax error. */
  oneOf<W extends string>(...words: W[]): W {
    const word = this.keyword();
    for (const w of words) if (w === word) return w;
    this.fail(SYNTAX);
    return words[0]!;
  }

  /**
   * A choice among mutually exclusive options (NX|XX, EX|PX|...|KEEPTTL):
   * repeating the chosen one is allowed, choosing another is a syntax error.
   * Returns the choice in force.
   */
  exclusive<W extends string>(chosen: W | undefined, option: W): W {
    if (chosen !== undefined && chosen !== option) {
      this.fail(SYNTAX);
      return chosen;
    }
    return option;
  }

  /** A glob-style pattern (KEYS, SCAN MATCH), compiled once for every name it is matched against. */
  pattern(): GlobMatcher {
    return compileGlob(this.bytes());
  }

  /**
   * A signed 64-bit integer; a non-integer gets `error`. `raw` converts an
   * argument read earlier instead of the next one, where Redis checks it late.
   */
  integer(error: ErrorReply = NOT_INTEGER, raw: Uint8Array = this.bytes()): bigint {
    const value = parseInt64(raw);
    if (value === undefined) {
      this.fail(error);
      return 0n;
    }
    return value;
  }

  /** An integer as a number clamped to the safe range, for indexes where only sign and magnitude matter. */
  clampedInteger(raw: Uint8Array = this.bytes()): number {
    const value = parseClampedInteger(raw);
    if (value === undefined) {
      this.fail(NOT_INTEGER);
      return 0;
    }
    return value;
  }

  /**
   * An integer in [min, max] (bigints: the bounds are int64), as a number
   * clamped to the safe range; a non-integer or one out of range gets
   * `error` (Redis's getRangeLongFromObjectOrReply and its relatives).
   */
  integerIn(bounds: { readonly min: bigint; readonly max?: bigint }, error: ErrorReply): number {
    const value = parseInt64(this.bytes());
    if (value === undefined || value < bounds.min || value > (bounds.max ?? INT64_MAX)) {
      this.fail(error);
      return 0;
    }
    return clampToSafe(value);
  }

  /** A non-negative integer (a count, a limit), clamped to the safe range; anything else gets `error`. */
  count(error: ErrorReply): number {
    return this.integerIn({ min: 0n }, error);
  }

  /** A SCAN-family cursor (strtoull's rules: see parseCursor). */
  cursor(): bigint {
    const cursor = parseCursor(this.bytes());
    if (cursor === undefined) {
      this.fail(INVALID_CURSOR);
      return 0n;
    }
    return cursor;
  }
}

/** An int64 as a number, clamped to the safe-integer range: beyond it, only sign and magnitude matter (counts, indexes). */
export function clampToSafe(value: bigint): number {
  return Number(value > MAX_SAFE ? MAX_SAFE : value < -MAX_SAFE ? -MAX_SAFE : value);
}

/** The whole parse of a `KEY` command (GET, STRLEN, TTL...): no reader, as GET is the hot path. */
export function onlyKey(argv: readonly Uint8Array[]): Uint8Array {
  return argv[1]!;
}

/** The whole parse of a command whose arguments are all alike (DEL key..., MGET key..., SINTER key...). */
export function allArguments(argv: readonly Uint8Array[]): Uint8Array[] {
  return argv.slice(1);
}

/** ASCII case-insensitive equality of an argument and an upper-case word, without building a string. */
function sameWord(arg: Uint8Array, word: string): boolean {
  if (arg.length !== word.length) return false;
  for (let i = 0; i < arg.length; i++) {
    const c = arg[i]!;
    if ((c >= 0x61 && c <= 0x7a ? c - 32 : c) !== word.charCodeAt(i)) return false;
  }
  return true;
}
