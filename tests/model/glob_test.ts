import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compileGlob, globMatches } from "../../src/model/glob.ts";

/** A string whose char codes (all below 256) are the bytes. */
const bytes = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
};

const show = (s: string): string => (s.length > 40 ? `${JSON.stringify(s.slice(0, 40))}... (${s.length} bytes)` : JSON.stringify(s));

// [pattern, subject, matches]. Every expected value was checked against
// redis-server 7.0.15 (x86-64) with SET subject + KEYS pattern; see the
// pathological group for the long ones. Strings are bytes (char code = byte).
const CASES: ReadonlyArray<readonly [string, string, boolean]> = [
  // literal
  ["", "", true],
  ["", "a", false],
  ["a", "", false],
  ["abc", "abc", true],
  ["abc", "abd", false],
  ["abc", "ab", false],
  ["abc", "abcd", false],
  ["ABC", "abc", false],
  // question
  ["?", "", false],
  ["?", "a", true],
  ["?", "ab", false],
  ["a?c", "abc", true],
  ["a?c", "ac", false],
  ["??", "ab", true],
  ["??", "a", false],
  ["?b", "ab", true],
  // star
  ["*", "", true],
  ["*", "abc", true],
  ["**", "", false],
  ["**", "a", true],
  ["***", "abc", true],
  ["a*", "a", true],
  ["a*", "abc", true],
  ["a*", "ba", false],
  ["*a", "a", true],
  ["*a", "ba", true],
  ["*a", "ab", false],
  ["a*b", "ab", true],
  ["a*b", "axxb", true],
  ["a*b", "axxbc", false],
  ["a**b", "ab", true],
  ["*a*", "bab", true],
  ["*a*", "b", false],
  ["a*?", "a", false],
  ["a*?", "ab", true],
  ["a**?", "a", false],
  ["*?", "", false],
  ["*?", "a", true],
  ["*?*", "a", true],
  ["a*a", "a", false],
  ["a*a", "aa", true],
  ["*b*b", "abab", true],
  ["h*llo", "hello", true],
  ["h*llo", "heeeello", true],
  ["h*llo", "hllo", true],
  ["*ab", "aab", true],
  ["*ab", "abab", true],
  ["*ab*", "xaby", true],
  // set
  ["[abc]", "a", true],
  ["[abc]", "d", false],
  ["[abc]", "", false],
  ["[abc]", "ab", false],
  ["h[ae]llo", "hallo", true],
  ["h[ae]llo", "hillo", false],
  ["[ab][cd]", "ac", true],
  ["[ab][cd]", "ca", false],
  ["[*]", "*", true],
  ["[*]", "a", false],
  ["[?]", "?", true],
  ["[?]", "a", false],
  ["[[]", "[", true],
  ["[a^]", "^", true],
  // negated set
  ["[^abc]", "d", true],
  ["[^abc]", "a", false],
  ["[^abc]", "", false],
  ["h[^e]llo", "hallo", true],
  ["h[^e]llo", "hello", false],
  ["[^^]", "^", false],
  ["[^^]", "a", true],
  ["[^a-z]", "A", true],
  ["[^a-z]", "m", false],
  // range
  ["[a-c]", "b", true],
  ["[a-c]", "a", true],
  ["[a-c]", "c", true],
  ["[a-c]", "d", false],
  ["[c-a]", "b", true],
  ["[c-a]", "d", false],
  ["[a-a]", "a", true],
  ["h[a-b]llo", "hbllo", true],
  ["[a-c-e]", "d", false],
  ["[a-c-e]", "-", true],
  ["[a-c-e]", "e", true],
  ["[0-9a-f]", "7", true],
  ["[0-9a-f]", "g", false],
  ["[--0]", "/", true],
  ["[!--]", ",", true],
  // dash edges
  ["[a-]", "a", true],
  ["[a-]", "]", true],
  ["[a-]", "_", true],
  ["[a-]", "b", false],
  ["[a-]", "-", false],
  ["[-a]", "-", true],
  ["[-a]", "a", true],
  ["[-]", "-", true],
  ["[a-\\z]", "^", true],
  ["[a-\\z]", "z", true],
  ["[a-\\z]", "b", false],
  ["[\\-]", "-", true],
  ["[a\\-z]", "-", true],
  ["[a\\-z]", "b", false],
  ["[a\\-z]", "z", true],
  // empty and close bracket
  ["[]", "]", false],
  ["[]", "", false],
  ["[]", "a", false],
  ["[]a]", "a]", false],
  ["[]a]", "]", false],
  ["[]a]", "a", false],
  ["[^]", "a", true],
  ["[^]", "]", true],
  ["[^]", "", false],
  ["[^]", "ab", false],
  ["[\\]]", "]", true],
  ["[\\]]", "\\", false],
  ["[\\]]", "]]", false],
  ["[]]", "]", false],
  ["[]]", "]]", false],
  // escapes
  ["\\*", "*", true],
  ["\\*", "a", false],
  ["\\?", "?", true],
  ["\\?", "a", false],
  ["\\[", "[", true],
  ["\\[a]", "[a]", true],
  ["\\[a]", "a", false],
  ["\\\\", "\\", true],
  ["\\\\", "\\\\", false],
  ["\\a", "a", true],
  ["\\a", "\\a", false],
  ["a\\*b", "a*b", true],
  ["a\\*b", "axb", false],
  ["*\\*", "ab*", true],
  ["*\\*", "ab", false],
  ["\\**", "*ab", true],
  ["\\**", "ab", false],
  ["[\\a]", "a", true],
  ["[\\\\]", "\\", true],
  ["[\\^a]", "^", true],
  ["[\\^a]", "b", false],
  ["[^\\]]", "]", false],
  ["[^\\]]", "a", true],
  // trailing backslash
  ["\\", "\\", true],
  ["\\", "", false],
  ["a\\", "a\\", true],
  ["a\\", "a", false],
  ["*\\", "ab\\", true],
  ["?\\", "a\\", true],
  ["[\\", "\\", true],
  ["[\\", "", false],
  ["[\\", "a", false],
  ["[a\\", "\\", true],
  ["[a\\", "a", true],
  ["[^\\", "\\", false],
  ["[^\\", "a", true],
  // unterminated set
  ["[", "[", false],
  ["[", "a", false],
  ["[", "", false],
  ["[^", "a", true],
  ["[^", "^", true],
  ["[^", "", false],
  ["[^", "ab", false],
  ["[abc", "a", true],
  ["[abc", "c", true],
  ["[abc", "d", false],
  ["[abc", "ab", false],
  ["x[abc", "xa", true],
  ["[a-c", "b", true],
  ["[a-", "a", true],
  ["[a-", "-", true],
  ["[a-", "b", false],
  ["ab[", "ab", false],
  ["ab[", "ab[", false],
  ["*[", "a[", false],
  ["*[a", "xa", true],
  ["[*", "*", true],
  ["[*", "ab", false],
  ["[?", "?", true],
  ["[?", "x", false],
  // binary
  ["\x00", "\x00", true],
  ["\x00", "", false],
  ["?", "\x00", true],
  ["a\x00*", "a\x00b", true],
  ["a\x00*", "a", false],
  ["*\x00", "ab\x00", true],
  ["[\x00-\x02]", "\x01", true],
  ["[\x00-\x02]", "\x03", false],
  ["[^\x00]", "\x00", false],
  ["[^\x00]", "\x01", true],
  ["\xff*", "\xff\xfe", true],
  ["*\xff", "a\xff", true],
  ["\xe2\x82\xac?", "\xe2\x82\xacx", true],
  ["\xe2?\xac", "\xe2\x82\xac", true],
  ["[\x80-\xff]", "\x90", true],
  ["[\x80-\xff]", "a", false],
  ["[\x80-\xff]", "\xff", true],
  ["[\x80-\xff]", "\x80", true],
  ["[a-\xff]", "\x80", false],
  ["[a-\xff]", "\x00", true],
  ["[a-\xff]", "\xff", true],
  ["[a-\xff]", "b", false],
  ["[a-\xff]", "`", true],
  ["[\x7f-\x80]", "\x00", true],
  ["[\x7f-\x80]", "a", true],
  ["[\x7f-\x80]", "\xc0", true],
  ["[\x01-\x7f]", "\x80", false],
  ["[\xff-\x01]", "\x00", true],
  ["[\xff-\x01]", "\x02", false],
  ["[\xff]", "\xff", true],
  ["\\\xff", "\xff", true],
];

describe("glob matches what Redis's stringmatchlen returns", () => {
  for (const [pattern, subject, expected] of CASES) {
    test(`${show(pattern)} ${expected ? "matches" : "does not match"} ${show(subject)}`, () => {
      assert.equal(compileGlob(bytes(pattern)).matches(bytes(subject)), expected);
      assert.equal(globMatches(bytes(pattern), bytes(subject)), expected);
    });
  }
});

// Without Redis's guards these take longer than the universe has: "*a" thirty
// times then "*b" against 200 "a"s is C(200, 30) attempts by plain backtracking.
const PATHOLOGICAL: ReadonlyArray<readonly [string, string, string, boolean]> = [
  ["thirty *a then *b, no b in the subject", "*a".repeat(30) + "*b", "a".repeat(200), false],
  ["thirty *a then *b, b at the end", "*a".repeat(30) + "*b", "a".repeat(200) + "b", true],
  ["thirty-two a* then c, no c", "a*".repeat(32) + "c", "a".repeat(300), false],
  ["thirty *? then *x, no x", "*?".repeat(30) + "*x", "y".repeat(300), false],
  ["thirteen *[ab] then *c, no c", "*[ab]".repeat(13) + "*c", "ab".repeat(150), false],
  ["5000 consecutive stars collapse into one", "*".repeat(5000) + "a", "b".repeat(5000) + "a", true],
];

describe("glob guards against abusive patterns like Redis", () => {
  for (const [name, pattern, subject, expected] of PATHOLOGICAL) {
    test(`${name}: ${expected ? "matches" : "no match"}, quickly`, () => {
      const started = performance.now();
      assert.equal(globMatches(bytes(pattern), bytes(subject)), expected);
      assert.ok(performance.now() - started < 2000, "took over 2 s");
    });
  }

  // Redis gives up (no match) when a star's recursion would go past depth 1000.
  test("1000 nested stars still match", () => {
    assert.equal(globMatches(bytes("*a".repeat(1000)), bytes("a".repeat(1000))), true);
    assert.equal(globMatches(bytes("*a".repeat(1000) + "*"), bytes("a".repeat(1000))), true);
  });

  test("1001 nested stars never match, even when the subject fits", () => {
    assert.equal(globMatches(bytes("*a".repeat(1001)), bytes("a".repeat(1001))), false);
    assert.equal(globMatches(bytes("*a".repeat(1001)), bytes("a".repeat(2000))), false);
  });

  test("a trailing star does not recurse, so it does not count toward the depth", () => {
    assert.equal(globMatches(bytes("a*".repeat(1001)), bytes("a".repeat(1001))), true);
    assert.equal(globMatches(bytes("a*".repeat(1002)), bytes("a".repeat(1002))), false);
  });
});

describe("glob literalPrefix", () => {
  const PREFIXES: ReadonlyArray<readonly [string, string]> = [
    ["", ""],
    ["abc", "abc"],
    ["user:*", "user:"],
    ["ab*c", "ab"],
    ["ab?c", "ab"],
    ["ab[c]d", "ab"],
    ["*abc", ""],
    ["?abc", ""],
    ["[a]bc", ""],
    ["*", ""],
    ["a\\*b*", "a*b"],
    ["a\\?b\\[c?", "a?b[c"],
    ["\\\\x*", "\\x"],
    ["\\a\\b", "ab"],
    ["a\\", "a\\"],
    ["\\", "\\"],
    ["a]b^c-d*", "a]b^c-d"],
    ["\x00\xff\x80*", "\x00\xff\x80"],
  ];
  for (const [pattern, prefix] of PREFIXES) {
    test(`the literal prefix of ${show(pattern)} is ${show(prefix)}`, () => {
      assert.deepEqual(compileGlob(bytes(pattern)).literalPrefix, bytes(prefix));
    });
  }

  test("the matcher keeps the pattern it was compiled from", () => {
    const pattern = bytes("a*b");
    assert.equal(compileGlob(pattern).pattern, pattern);
  });

  test("every subject a pattern matches starts with its literal prefix", () => {
    for (const [pattern, subject, expected] of CASES) {
      if (!expected) continue;
      const prefix = compileGlob(bytes(pattern)).literalPrefix;
      assert.deepEqual(bytes(subject).subarray(0, prefix.length), prefix, `${show(pattern)} vs ${show(subject)}`);
    }
  });
});

/** mulberry32: small, seedable, good enough to pick test bytes. */
function prng(seed: number): (n: number) => number {
  let state = seed | 0;
  return (n) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

describe("glob fast paths agree with the general matcher", () => {
  // A literal pattern, or a literal followed by stars, takes a fast path. Writing
  // its first byte as a one-byte set `[\c]` means the same thing but forces
  // the general matcher, so the two must agree on every subject.
  const SPECIAL = new Set([0x2a, 0x3f, 0x5b, 0x5c]);
  const ALPHABET = [0x61, 0x62, 0x00, 0xff, 0x2a, 0x3f, 0x5b, 0x5d, 0x5c, 0x2d, 0x5e];
  const escape = (literal: number[]): number[] => literal.flatMap((b) => (SPECIAL.has(b) ? [0x5c, b] : [b]));

  test("on seeded random literals, with and without trailing stars", () => {
    const seed = 20240611;
    const rnd = prng(seed);
    const pick = (max: number): number[] => Array.from({ length: rnd(max + 1) }, () => ALPHABET[rnd(ALPHABET.length)]!);
    for (let round = 0; round < 2000; round++) {
      const literal = [ALPHABET[rnd(ALPHABET.length)]!, ...pick(4)];
      const stars = Array.from({ length: rnd(3) }, () => 0x2a);
      const fast = new Uint8Array([...escape(literal), ...stars]);
      const general = new Uint8Array([0x5b, 0x5c, literal[0]!, 0x5d, ...escape(literal.slice(1)), ...stars]);
      const subject = new Uint8Array(rnd(2) === 0 ? [...literal, ...pick(3)] : pick(6));
      assert.equal(
        globMatches(fast, subject),
        globMatches(general, subject),
        `seed ${seed} round ${round}: ${Array.from(fast)} vs ${Array.from(subject)}`,
      );
    }
  });
});
