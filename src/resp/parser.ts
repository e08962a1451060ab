// Request parser: socket bytes in, argv arrays out.
//
// Push-based because Bun hands us socket data by callback and Deno by stream:
// the connection calls `feed(chunk)`, then `next()` until it returns undefined.
// The accepted grammar and every error text follow Redis's networking.c
// (processMultibulkBuffer, processInlineBuffer, sdssplitargs) so that clients
// and tests written against Redis see the same bytes from us.

/**
 * Malformed input. `message` is Redis's error line without the leading "-".
 * The connection replies with it and closes: the parser is unusable after it.
 */
export class ProtocolError extends Error {
  override readonly name = "ProtocolError";
}

/** Redis's protocol error texts, kept in one place. */
export const PROTOCOL_ERRORS = {
  invalidMultibulkLength: "ERR Protocol error: invalid multibulk length",
  invalidBulkLength: "ERR Protocol error: invalid bulk length",
  unauthenticatedMultibulkLength: "ERR Protocol error: unauthenticated multibulk length",
  unauthenticatedBulkLength: "ERR Protocol error: unauthenticated bulk length",
  requestTooLarge: (limit: number, allowance: number) =>
    `ERR Protocol error: request larger than the ${limit}-byte limit (the server's --max-request)${allowance > 0 ? ` plus ${allowance} bytes for the command and key` : ""}; split it into smaller commands`,
  tooBigMultibulkCount: "ERR Protocol error: too big mbulk count string",
  tooBigBulkCount: "ERR Protocol error: too big bulk count string",
  tooBigInline: "ERR Protocol error: too big inline request",
  unbalancedQuotes: "ERR Protocol error: unbalanced quotes in request",
  expectedDollar: (found: string): string => `ERR Protocol error: expected '$', got '${found}'`,
} as const;

export interface ParserLimits {
  /** Largest `$len` accepted; larger is rejected from the header alone. */
  maxBulkBytes: number;
  /** Largest `*count` accepted (never above Redis's 1024*1024). */
  maxArgs: number;
  /** Longest inline request, and longest `*`/`$` header line. */
  maxInlineBytes: number;
  /**
   * Before AUTH, Redis caps requests at 10 arguments of 16 KiB each with
   * their own error texts, so that an anonymous peer cannot make the server
   * buffer much. The numbers are fixed, as in Redis.
   */
  unauthenticated: boolean;
  /** Largest request, all bulk arguments together, checked on their headers before the bodies are buffered. */
  maxRequestBytes?: number;
  /**
   * Bytes a request may carry beyond maxRequestBytes, so that a value of
   * maxRequestBytes still fits with its command name, key and options.
   */
  requestAllowanceBytes?: number;
}

/**
 * Materia's defaults. The bulk limit is far below Redis's 512 MB because
 * FoundationDB caps a whole transaction at 10 MB (Materia KV uses 5 MB).
 */
export const DEFAULT_PARSER_LIMITS: Readonly<ParserLimits> = Object.freeze({
  maxBulkBytes: 5 * 1024 * 1024,
  maxArgs: 1024 * 1024,
  maxInlineBytes: 64 * 1024,
  unauthenticated: false,
});

export const UNAUTHENTICATED_MAX_ARGS = 10;
export const UNAUTHENTICATED_MAX_BULK_BYTES = 16 * 1024;

/** Redis's hard cap on a multibulk count, whatever the configuration. */
const MAX_MULTIBULK_COUNT = 1024 * 1024;
/**
 * Arguments at least this long that are not yet fully buffered are read
 * straight into their own array (Redis's PROTO_MBULK_BIG_ARG), so big values
 * are copied once and never make the input buffer grow.
 */
const BIG_ARG_BYTES = 32 * 1024;
/**
 * A big argument first gets at most this much memory; the full declared size
 * is allocated only once this much has actually arrived. A peer that merely
 * declares `$5000000` costs 1 MiB, not 5.
 */
const BIG_ARG_FIRST_ALLOCATION = 1024 * 1024;
const INITIAL_BUFFER_BYTES = 16 * 1024;
/** An idle buffer above this size is dropped, so one burst does not pin memory. */
const RETAINED_BUFFER_BYTES = 256 * 1024;

const CR = 13;
const LF = 10;
const STAR = 42;
const DOLLAR = 36;

export interface ParserOptions {
  /**
   * Copy the small arguments of a request into one shared ArrayBuffer instead
   * of one each. Allocating a typed array costs far more on Deno than on Bun
   * (measured: about 500 ns against 40 ns), so the Deno adapter should turn
   * this on and the Bun adapter leave it off. The price: keeping one argument
   * keeps its request's other small arguments in memory too.
   */
  sharedArgumentBuffer?: boolean;
}

export class RequestParser {
  private limits: ParserLimits;
  private readonly sharedArguments: boolean;
  private buf = new Uint8Array(INITIAL_BUFFER_BYTES);
  /**
   * buf[start, end) is retained input: the request being assembled, then
   * bytes not parsed yet. `pos` is where parsing resumes.
   */
  private start = 0;
  private pos = 0;
  private end = 0;
  /** Bytes of the current line already searched for its terminator, from `pos`. */
  private scanned = 0;

  /** True between a multibulk request's `*count` and its last argument. */
  private inMultibulk = false;
  private argsMissing = 0;
  /**
   * Arguments so far, as places in the buffer relative to `start` (-1 for a
   * big argument, which has its own array). They are copied out once the
   * request is complete, when their total size is known (see ParserOptions).
   */
  private argOffsets: number[] = [];
  private argLengths: number[] = [];
  private argBytes = 0;
  /** Bulk lengths announced so far by the request being read (for maxRequestBytes). */
  private declaredBytes = 0;
  private bigArgs: Uint8Array[] = [];
  /** Length from the current `$len` header whose body is awaited, or -1. */
  private bulkLength = -1;
  /** A big argument's body plus its CRLF, filled directly by feed(). */
  private big: Uint8Array | null = null;
  private bigFilled = 0;
  private bigTotal = 0;

  private failure: ProtocolError | null = null;

  constructor(limits: Partial<ParserLimits> = {}, options: ParserOptions = {}) {
    this.limits = { ...DEFAULT_PARSER_LIMITS, ...limits };
    this.sharedArguments = options.sharedArgumentBuffer ?? false;
  }

  /** Changes limits at run time, e.g. `{ unauthenticated: false }` after AUTH. */
  setLimits(limits: Partial<ParserLimits>): void {
    // Connections call this after every command, almost always with no change: skip the copy then.
    let changed = false;
    for (const name in limits) {
      if (limits[name as keyof ParserLimits] !== this.limits[name as keyof ParserLimits]) changed = true;
    }
    if (changed) this.limits = { ...this.limits, ...limits };
  }

  getLimits(): Readonly<ParserLimits> {
    return { ...this.limits };
  }

  /** Bytes received but not yet returned as requests (CLIENT LIST `qbuf`). */
  get bufferedBytes(): number {
    let bytes = this.end - this.start;
    for (const arg of this.bigArgs) bytes += arg.length;
    return this.big === null ? bytes : bytes + this.bigFilled;
  }

  /** Appends bytes. The chunk is copied, so the caller may reuse it. */
  feed(chunk: Uint8Array): void {
    if (this.failure !== null || chunk.length === 0) return;
    let offset = 0;
    if (this.big !== null) {
      offset = this.fillBig(chunk);
      if (offset === chunk.length) return;
    }
    this.append(offset === 0 ? chunk : chunk.subarray(offset));
  }

  /**
   * The next complete request, or undefined when more bytes are needed.
   * The arguments are copies that no later input overwrites, each with its
   * own ArrayBuffer unless `sharedArgumentBuffer` is on.
   * @throws ProtocolError on malformed input, then on every later call.
   */
  next(): Uint8Array[] | undefined {
    if (this.failure !== null) throw this.failure;
    try {
      return this.parse();
    } catch (error) {
      if (error instanceof ProtocolError) {
        this.failure = error;
        this.buf = new Uint8Array(0);
        this.start = this.pos = this.end = 0;
        this.argOffsets = [];
        this.argLengths = [];
        this.bigArgs = [];
        this.big = null;
      }
      throw error;
    }
  }

  private parse(): Uint8Array[] | undefined {
    for (;;) {
      if (!this.inMultibulk) {
        if (this.pos === this.end) return undefined;
        if (this.buf[this.pos] !== STAR) {
          const inline = this.readInline();
          if (inline === undefined) return undefined;
          // An empty line is skipped, as Redis does.
          if (inline.length > 0) return inline;
          continue;
        }
        const count = this.readMultibulkCount();
        if (count === undefined) return undefined;
        // `*0` and negative counts are skipped, as Redis does.
        if (count <= 0) {
          this.consumeTo(this.pos);
          continue;
        }
        this.inMultibulk = true;
        this.argsMissing = count;
        this.declaredBytes = 0;
      }
      if (!this.readBulks()) return undefined;
      this.inMultibulk = false;
      return this.takeRequest();
    }
  }

  /** The `*count` of the request at `pos`, or undefined until its line has arrived. */
  private readMultibulkCount(): number | undefined {
    const cr = this.findHeaderEnd(PROTOCOL_ERRORS.tooBigMultibulkCount);
    if (cr < 0) return undefined;
    const count = parseLength(this.buf, this.pos + 1, cr);
    // NaN fails both comparisons, so a non-numeric count lands here too.
    if (!(count <= this.limits.maxArgs && count <= MAX_MULTIBULK_COUNT)) {
      throw new ProtocolError(PROTOCOL_ERRORS.invalidMultibulkLength);
    }
    if (this.limits.unauthenticated && count > UNAUTHENTICATED_MAX_ARGS) {
      throw new ProtocolError(PROTOCOL_ERRORS.unauthenticatedMultibulkLength);
    }
    // The header stays retained with its request, so bufferedBytes counts it.
    this.pos = cr + 2;
    this.scanned = 0;
    return count;
  }

  /** Reads `$len` headers and bodies; true once every argument has arrived. */
  private readBulks(): boolean {
    while (this.argsMissing > 0) {
      if (this.big !== null) {
        if (this.bigFilled < this.bigTotal) return false;
        this.bigArgs.push(this.big.subarray(0, this.bigTotal - 2));
        this.argOffsets.push(-1);
        this.argLengths.push(0);
        this.big = null;
        this.argsMissing--;
        continue;
      }
      if (this.bulkLength < 0) {
        const cr = this.findHeaderEnd(PROTOCOL_ERRORS.tooBigBulkCount);
        if (cr < 0) return false;
        const first = this.buf[this.pos]!;
        if (first !== DOLLAR) {
          throw new ProtocolError(PROTOCOL_ERRORS.expectedDollar(String.fromCharCode(first)));
        }
        const length = parseLength(this.buf, this.pos + 1, cr);
        // Checked on the header alone, before any of the body is buffered.
        if (!(length >= 0 && length <= this.limits.maxBulkBytes)) {
          throw new ProtocolError(PROTOCOL_ERRORS.invalidBulkLength);
        }
        if (this.limits.unauthenticated && length > UNAUTHENTICATED_MAX_BULK_BYTES) {
          throw new ProtocolError(PROTOCOL_ERRORS.unauthenticatedBulkLength);
        }
        this.declaredBytes += length;
        const allowance = this.limits.requestAllowanceBytes ?? 0;
        if (this.limits.maxRequestBytes !== undefined && this.declaredBytes > this.limits.maxRequestBytes + allowance) {
          throw new ProtocolError(PROTOCOL_ERRORS.requestTooLarge(this.limits.maxRequestBytes, allowance));
        }
        this.pos = cr + 2;
        this.scanned = 0;
        if (length >= BIG_ARG_BYTES && this.end - this.pos < length + 2) {
          this.startBig(length + 2);
          continue;
        }
        this.bulkLength = length;
      }
      const length = this.bulkLength;
      if (this.end - this.pos < length + 2) return false;
      this.argOffsets.push(this.pos - this.start);
      this.argLengths.push(length);
      this.argBytes += length;
      // Like Redis, the two bytes after the body are skipped unchecked.
      this.pos += length + 2;
      this.bulkLength = -1;
      this.argsMissing--;
    }
    return true;
  }

  /** Copies the completed request's arguments out and releases its bytes. */
  private takeRequest(): Uint8Array[] {
    const offsets = this.argOffsets;
    const lengths = this.argLengths;
    const count = offsets.length;
    const buf = this.buf;
    const shared = this.sharedArguments ? new Uint8Array(this.argBytes) : null;
    const argv = new Array<Uint8Array>(count);
    let at = 0;
    let bigIndex = 0;
    for (let i = 0; i < count; i++) {
      const offset = offsets[i]!;
      if (offset < 0) {
        argv[i] = this.bigArgs[bigIndex++]!;
        continue;
      }
      const length = lengths[i]!;
      const from = this.start + offset;
      if (shared !== null) {
        copyBytes(buf, from, length, shared, at);
        argv[i] = shared.subarray(at, at + length);
        at += length;
      } else {
        const arg = new Uint8Array(length);
        copyBytes(buf, from, length, arg, 0);
        argv[i] = arg;
      }
    }
    offsets.length = 0;
    lengths.length = 0;
    this.argBytes = 0;
    if (bigIndex > 0) this.bigArgs = [];
    this.consumeTo(this.pos);
    return argv;
  }

  /**
   * Index of the CR ending the header line at `pos`, or -1 until the line
   * and the byte after its CR have arrived. Redis measures the unterminated
   * remainder; measuring the line itself gives the same answer for every
   * chunking of the input.
   */
  private findHeaderEnd(tooBig: string): number {
    const buf = this.buf;
    const end = this.end;
    let i = this.pos + this.scanned;
    while (i < end && buf[i] !== CR) i++;
    if (i - this.pos > this.limits.maxInlineBytes) throw new ProtocolError(tooBig);
    this.scanned = i - this.pos;
    if (i + 1 >= end) return -1;
    return i;
  }

  private readInline(): Uint8Array[] | undefined {
    const start = this.pos;
    const end = this.end;
    // Bytes past `end` are stale, so a hit there means "not found yet".
    let newline = this.buf.indexOf(LF, start + this.scanned);
    if (newline < 0 || newline >= end) newline = -1;
    const lineBytes = (newline < 0 ? end : newline) - start;
    if (lineBytes > this.limits.maxInlineBytes) {
      throw new ProtocolError(PROTOCOL_ERRORS.tooBigInline);
    }
    if (newline < 0) {
      this.scanned = end - start;
      return undefined;
    }
    let lineEnd = newline;
    if (lineEnd > start && this.buf[lineEnd - 1] === CR) lineEnd--;
    const argv = splitInlineArgs(this.buf, start, lineEnd, this.sharedArguments);
    this.consumeTo(newline + 1);
    return argv;
  }

  /** Releases everything before `position`; only between requests. */
  private consumeTo(position: number): void {
    this.scanned = 0;
    if (position === this.end) {
      this.start = this.pos = this.end = 0;
    } else {
      this.start = this.pos = position;
    }
  }

  private append(chunk: Uint8Array): void {
    const length = chunk.length;
    if (this.start === this.end) {
      this.start = this.pos = this.end = 0;
      if (this.buf.length > RETAINED_BUFFER_BYTES && length <= INITIAL_BUFFER_BYTES) {
        this.buf = new Uint8Array(INITIAL_BUFFER_BYTES);
      }
    }
    if (this.end + length <= this.buf.length) {
      this.buf.set(chunk, this.end);
      this.end += length;
      return;
    }
    const retained = this.end - this.start;
    const needed = retained + length;
    if (needed <= this.buf.length >>> 1) {
      // Plenty of room once released bytes are dropped: compact in place.
      // Safe because no returned argument points into this buffer.
      this.buf.copyWithin(0, this.start, this.end);
    } else {
      let size = this.buf.length * 2;
      while (size < needed) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.buf.subarray(this.start, this.end));
      this.buf = grown;
    }
    // Offsets of pending arguments are relative to `start`, so they hold.
    this.pos -= this.start;
    this.start = 0;
    this.end = retained;
    this.buf.set(chunk, this.end);
    this.end += length;
  }

  /** Moves the buffered start of a big argument into its own array. */
  private startBig(total: number): void {
    this.bigTotal = total;
    this.big = new Uint8Array(Math.min(total, BIG_ARG_FIRST_ALLOCATION));
    this.bigFilled = 0;
    const pending = this.buf.subarray(this.pos, this.end);
    this.end = this.pos;
    this.fillBig(pending);
  }

  /** Copies the start of `chunk` into the big argument; returns bytes taken. */
  private fillBig(chunk: Uint8Array): number {
    let taken = 0;
    while (this.big !== null && this.bigFilled < this.bigTotal && taken < chunk.length) {
      if (this.bigFilled === this.big.length) {
        // Enough has arrived to show the peer means it: allocate the rest.
        const grown = new Uint8Array(this.bigTotal);
        grown.set(this.big);
        this.big = grown;
      }
      const n = Math.min(chunk.length - taken, this.big.length - this.bigFilled);
      this.big.set(chunk.subarray(taken, taken + n), this.bigFilled);
      this.bigFilled += n;
      taken += n;
    }
    return taken;
  }
}

function copyBytes(
  source: Uint8Array,
  from: number,
  length: number,
  target: Uint8Array,
  at: number,
): void {
  if (length <= 32) {
    // set() with a subarray costs two allocations that a short loop avoids.
    for (let j = 0; j < length; j++) target[at + j] = source[from + j]!;
  } else {
    target.set(source.subarray(from, from + length), at);
  }
}

/**
 * Redis's string2ll over bytes: optional '-', no '+', no leading zeros, no
 * spaces, within 64-bit range. Returns NaN when Redis would refuse the
 * number. Values beyond 2^53 lose precision, which is harmless: they are only
 * compared against limits far below that.
 */
function parseLength(buf: Uint8Array, from: number, to: number): number {
  const length = to - from;
  if (length === 0 || length > 20) return NaN;
  if (length === 1 && buf[from] === 48) return 0;
  let p = from;
  const negative = buf[p] === 45;
  if (negative) p++;
  const digits = to - p;
  if (digits === 0 || digits > 19) return NaN;
  const first = buf[p]! - 48;
  if (first < 1 || first > 9) return NaN;
  let value = first;
  for (p++; p < to; p++) {
    const d = buf[p]! - 48;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  if (digits === 19 && beyondInt64(buf, to - 19, negative)) return NaN;
  return negative ? -value : value;
}

const INT64_MAX_DIGITS = "9223372036854775807";

function beyondInt64(buf: Uint8Array, from: number, negative: boolean): boolean {
  for (let i = 0; i < 19; i++) {
    let limit = INT64_MAX_DIGITS.charCodeAt(i);
    // |INT64_MIN| ends in 8, one more than INT64_MAX.
    if (i === 18 && negative) limit++;
    const c = buf[from + i]!;
    if (c !== limit) return c > limit;
  }
  return false;
}

const SPACE = 32;
const TAB = 9;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const BACKSLASH = 92;

/** C's isspace: space, \t, \n, \v, \f, \r. */
function isSpace(c: number): boolean {
  return c === SPACE || (c >= 9 && c <= 13);
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const ESCAPES: Readonly<Record<number, number>> = {
  110: 10, // \n
  114: 13, // \r
  116: 9, // \t
  98: 8, // \b
  97: 7, // \a
};

/**
 * Splits an inline request like Redis's sdssplitargs. sdssplitargs walks a C
 * string, so a NUL byte ends the line; `at` returns 0 past the end to match.
 */
function splitInlineArgs(
  line: Uint8Array,
  from: number,
  to: number,
  shared: boolean,
): Uint8Array[] {
  const at = (p: number): number => (p < to ? line[p]! : 0);
  const args: Uint8Array[] = [];
  // Tokens are decoded into one scratch array; the output never outgrows the line.
  const token = new Uint8Array(to - from);
  let n = 0;
  let p = from;
  for (;;) {
    while (isSpace(at(p))) p++;
    if (at(p) === 0) return args;
    const tokenStart = n;
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      const c = at(p);
      if (inDouble) {
        const high = c === BACKSLASH && at(p + 1) === 120 ? hexValue(at(p + 2)) : -1;
        const low = high >= 0 ? hexValue(at(p + 3)) : -1;
        if (low >= 0) {
          token[n++] = high * 16 + low;
          p += 3;
        } else if (c === BACKSLASH && at(p + 1) !== 0) {
          p++;
          const escaped = at(p);
          token[n++] = ESCAPES[escaped] ?? escaped;
        } else if (c === DOUBLE_QUOTE) {
          // A closing quote must be followed by a space or the end.
          if (at(p + 1) !== 0 && !isSpace(at(p + 1))) {
            throw new ProtocolError(PROTOCOL_ERRORS.unbalancedQuotes);
          }
          done = true;
        } else if (c === 0) {
          throw new ProtocolError(PROTOCOL_ERRORS.unbalancedQuotes);
        } else {
          token[n++] = c;
        }
      } else if (inSingle) {
        if (c === BACKSLASH && at(p + 1) === SINGLE_QUOTE) {
          p++;
          token[n++] = SINGLE_QUOTE;
        } else if (c === SINGLE_QUOTE) {
          if (at(p + 1) !== 0 && !isSpace(at(p + 1))) {
            throw new ProtocolError(PROTOCOL_ERRORS.unbalancedQuotes);
          }
          done = true;
        } else if (c === 0) {
          throw new ProtocolError(PROTOCOL_ERRORS.unbalancedQuotes);
        } else {
          token[n++] = c;
        }
      } else if (c === SPACE || c === LF || c === CR || c === TAB || c === 0) {
        done = true;
      } else if (c === DOUBLE_QUOTE) {
        inDouble = true;
      } else if (c === SINGLE_QUOTE) {
        inSingle = true;
      } else {
        token[n++] = c;
      }
      if (at(p) !== 0) p++;
    }
    args.push(shared ? token.subarray(tokenStart, n) : token.slice(tokenStart, n));
  }
}
