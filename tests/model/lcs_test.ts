// The longest common subsequence (src/model/lcs.ts) against a brute-force
// reference of its length, and the properties of what it answers.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SeededRandom } from "../../src/engine/seeded_random.ts";
import { lcsTableBytes, longestCommonSubsequence } from "../../src/model/lcs.ts";

/** The LCS length by recursion over every pair of prefixes, memoized: a second way to the same number. */
function referenceLength(a: Uint8Array, b: Uint8Array): number {
  const memo = new Map<number, number>();
  const go = (i: number, j: number): number => {
    if (i === a.length || j === b.length) return 0;
    const id = i * (b.length + 1) + j;
    const known = memo.get(id);
    if (known !== undefined) return known;
    const length = a[i] === b[j] ? 1 + go(i + 1, j + 1) : Math.max(go(i + 1, j), go(i, j + 1));
    memo.set(id, length);
    return length;
  };
  return go(0, 0);
}

function isSubsequence(sub: Uint8Array, of: Uint8Array): boolean {
  let at = 0;
  for (const byte of of) if (at < sub.length && sub[at] === byte) at++;
  return at === sub.length;
}

function randomBytes(random: SeededRandom, length: number, alphabet: number): Uint8Array {
  return Uint8Array.from({ length }, () => 97 + Math.floor(random.next() * alphabet));
}

describe("longest common subsequence", () => {
  test("the length equals the reference's; the subsequence is common to both and that long; matches cover it", () => {
    const random = new SeededRandom(7);
    for (let round = 0; round < 300; round++) {
      const a = randomBytes(random, Math.floor(random.next() * 40), 1 + Math.floor(random.next() * 4));
      const b = randomBytes(random, Math.floor(random.next() * 40), 1 + Math.floor(random.next() * 4));
      const expected = referenceLength(a, b);
      assert.equal(longestCommonSubsequence(a, b, { want: "length" }).length, expected);
      const { subsequence } = longestCommonSubsequence(a, b, { want: "subsequence" });
      assert.equal(subsequence!.length, expected);
      assert.ok(isSubsequence(subsequence!, a) && isSubsequence(subsequence!, b));
      const { matches } = longestCommonSubsequence(a, b, { want: "matches" });
      assert.equal(matches!.reduce((sum, match) => sum + match.length, 0), expected, "the matches add up to the LCS");
      for (const match of matches!) {
        assert.deepEqual(a.subarray(match.first[0], match.first[1] + 1), b.subarray(match.second[0], match.second[1] + 1));
      }
      const long = longestCommonSubsequence(a, b, { want: "matches", minMatchLength: 3 }).matches!;
      assert.deepEqual(long, matches!.filter((match) => match.length >= 3));
    }
  });

  test("Redis's documented example", () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    const result = longestCommonSubsequence(enc("ohmytext"), enc("mynewtext"), { want: "subsequence" });
    assert.equal(new TextDecoder().decode(result.subsequence), "mytext");
    assert.equal(lcsTableBytes(1_143, 1_143), 5_234_944);
  });
});
