// Redis glob patterns (KEYS, SCAN MATCH, and later PSUBSCRIBE), matched byte by
// byte exactly as Redis's `stringmatchlen` in util.c does, quirks included:
//
//   ?        any one byte
//   *        any run of bytes; consecutive stars collapse
//   [abc]    one byte of the set; [^abc] one byte not in it
//   [a-z]    a range; [z-a] is swapped; range ends compare as *signed* chars
//            (x86-64 Redis), so [a-\xff] holds 0xff and 0x00..'a', not 0x80
//   \x       the literal x, outside and inside brackets; a trailing \ is literal
//   [        unterminated: the bytes after it form the set and the pattern ends
//
// Redis guards against abusive patterns two ways, and so do we: a recursion
// depth cap (a star nested deeper than 1000 never matches), and the
// "skipLongerMatches" cut: once the rest of a pattern failed to match at every
// position after a star, no earlier star can succeed by growing, so the whole
// match fails at once. Together they keep `*a*a*a...b` linear-ish instead of
// exponential.

const STAR = 0x2a; // *
const QUESTION = 0x3f; // ?
const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]
const BACKSLASH = 0x5c; // \
const CARET = 0x5e; // ^
const DASH = 0x2d; // -

/** Redis's `nesting > 1000` guard in stringmatchlen_impl. */
const MAX_NESTING = 1000;

export interface GlobMatcher {
  /** The pattern as given. */
  readonly pattern: Uint8Array;
  /**
   * The bytes every match starts with: the pattern up to its first unescaped
   * `*`, `?` or `[`, escapes resolved. A range scan can start here.
   */
  readonly literalPrefix: Uint8Array;
  matches(subject: Uint8Array): boolean;
}

/** Compiles `pattern` once for matching many subjects (a KEYS or SCAN page). */
export function compileGlob(pattern: Uint8Array): GlobMatcher {
  const { prefix, prefixEnd } = scanLiteralPrefix(pattern);

  // `*` alone: KEYS and SCAN special-case it (keysCommand's `allkeys`, scanGenericCommand's
  // `use_pattern`) and list every key, the empty key included, although
  // stringmatchlen("*", "") itself is 0. `**` is not special-cased in Redis, so neither here.
  if (pattern.length === 1 && pattern[0] === STAR) {
    return { pattern, literalPrefix: prefix, matches: () => true };
  }
  // No wildcard at all: Redis compares byte for byte (escapes resolved).
  if (prefixEnd === pattern.length) {
    return { pattern, literalPrefix: prefix, matches: (subject) => bytesEqual(subject, prefix) };
  }
  // `literal*` (stars only after a non-empty literal): a prefix test. The
  // non-empty literal matters: stringmatchlen("**", "") is 0.
  if (prefix.length > 0 && onlyStarsFrom(pattern, prefixEnd)) {
    return { pattern, literalPrefix: prefix, matches: (subject) => startsWith(subject, prefix) };
  }
  return {
    pattern,
    literalPrefix: prefix,
    // The prefix check is a cheap early reject; the full match re-reads the
    // prefix so that it stays a plain port of Redis's algorithm.
    matches: (subject) =>
      startsWith(subject, prefix) && matchFrom(pattern, 0, subject, 0, { skipLongerMatches: false }, 0),
  };
}

/** One-off match; compile with compileGlob when matching many subjects. */
export function globMatches(pattern: Uint8Array, subject: Uint8Array): boolean {
  return compileGlob(pattern).matches(subject);
}

/** Reads the literal prefix, resolving escapes, and where in the pattern it stops. */
function scanLiteralPrefix(pattern: Uint8Array): { prefix: Uint8Array; prefixEnd: number } {
  const out = new Uint8Array(pattern.length);
  let length = 0;
  let i = 0;
  for (; i < pattern.length; i++) {
    const byte = pattern[i]!;
    if (byte === STAR || byte === QUESTION || byte === OPEN) break;
    // A trailing backslash has nothing to escape and matches itself (Redis's
    // `patternLen >= 2` check), so only a non-final one is skipped.
    if (byte === BACKSLASH && i + 1 < pattern.length) i++;
    out[length++] = pattern[i]!;
  }
  return { prefix: length === pattern.length ? out : out.slice(0, length), prefixEnd: i };
}

function onlyStarsFrom(pattern: Uint8Array, from: number): boolean {
  for (let i = from; i < pattern.length; i++) if (pattern[i] !== STAR) return false;
  return true;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function startsWith(subject: Uint8Array, prefix: Uint8Array): boolean {
  if (subject.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (subject[i] !== prefix[i]) return false;
  return true;
}

/** C `char` is signed on x86-64, and Redis compares range ends as such. */
function signed(byte: number): number {
  return byte >= 0x80 ? byte - 0x100 : byte;
}

interface MatchState {
  skipLongerMatches: boolean;
}

// The port of stringmatchlen_impl. Redis walks NUL-terminated sds strings and
// sometimes peeks one byte past `patternLen`; that byte is always the NUL
// terminator, which is none of the special characters, so "past the end"
// checks below stand in for those peeks.
function matchFrom(p: Uint8Array, pi: number, s: Uint8Array, si: number, state: MatchState, nesting: number): boolean {
  if (nesting > MAX_NESTING) return false;
  const pEnd = p.length;
  const sEnd = s.length;

  while (pi < pEnd && si < sEnd) {
    const token = p[pi]!;
    if (token === STAR) {
      while (pi + 1 < pEnd && p[pi + 1] === STAR) pi++;
      if (pi + 1 === pEnd) return true;
      for (; si < sEnd; si++) {
        if (matchFrom(p, pi + 1, s, si, state, nesting + 1)) return true;
        if (state.skipLongerMatches) return false;
      }
      // The rest of the pattern matches from no position of the rest of the
      // subject, so longer matches for any earlier star cannot help either.
      state.skipLongerMatches = true;
      return false;
    } else if (token === QUESTION) {
      si++;
    } else if (token === OPEN) {
      const c = s[si]!;
      pi++;
      const negate = pi < pEnd && p[pi] === CARET;
      if (negate) pi++;
      let matched = false;
      for (;;) {
        if (pi >= pEnd) {
          // Unterminated set: step back so the advance below lands on the end.
          pi--;
          break;
        }
        const b = p[pi]!;
        if (b === BACKSLASH && pEnd - pi >= 2) {
          pi++;
          if (p[pi] === c) matched = true;
        } else if (b === CLOSE) {
          break;
        } else if (pEnd - pi >= 3 && p[pi + 1] === DASH) {
          const first = signed(b);
          const last = signed(p[pi + 2]!);
          const sc = signed(c);
          // A reversed range is swapped rather than empty.
          if (first <= last ? sc >= first && sc <= last : sc >= last && sc <= first) matched = true;
          pi += 2;
        } else if (b === c) {
          matched = true;
        }
        pi++;
      }
      if (negate) matched = !matched;
      if (!matched) return false;
      si++;
    } else {
      if (token === BACKSLASH && pEnd - pi >= 2) pi++;
      if (p[pi] !== s[si]) return false;
      si++;
    }
    pi++;
    if (si === sEnd) {
      while (pi < pEnd && p[pi] === STAR) pi++;
      break;
    }
  }
  return pi === pEnd && si === sEnd;
}
