// The longest common subsequence of two strings (LCS), computed as Redis
// 7.0's lcsCommand does: the dynamic-programming table of LCS lengths, then a
// walk back from its last cell that collects the subsequence and the ranges
// where both strings match contiguously. The walk's choices (on a tie, step
// back in the second string) decide which subsequence comes out, so they
// follow Redis's exactly.
//
// The table takes (len1 + 1) * (len2 + 1) 4-byte cells: callers bound it
// first (lcsTableBytes), so that one request can neither exhaust memory nor
// hold the event loop every tenant shares for long.

/** Bytes of the table for strings of these lengths. */
export function lcsTableBytes(length1: number, length2: number): number {
  return (length1 + 1) * (length2 + 1) * 4;
}

/** A contiguous match: its inclusive byte ranges in each string, and its length. */
export interface LcsMatch {
  readonly first: readonly [number, number];
  readonly second: readonly [number, number];
  readonly length: number;
}

export interface LcsResult {
  /** The length of the longest common subsequence. */
  readonly length: number;
  /** The subsequence itself, when asked for. */
  readonly subsequence?: Uint8Array;
  /** The matches of at least `minMatchLength` bytes, from the ends of the strings backwards, when asked for. */
  readonly matches?: readonly LcsMatch[];
}

/**
 * The LCS of `a` and `b`. `want`: "length" for the length alone,
 * "subsequence" for the bytes too, "matches" for the matching ranges (of at
 * least `minMatchLength` bytes; 0 keeps all).
 */
export function longestCommonSubsequence(
  a: Uint8Array,
  b: Uint8Array,
  options: { readonly want: "length" | "subsequence" | "matches"; readonly minMatchLength?: number },
): LcsResult {
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = 1; i <= a.length; i++) {
    const row = i * width;
    const above = row - width;
    const ai = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      if (ai === b[j - 1]) table[row + j] = table[above + j - 1]! + 1;
      else {
        const up = table[above + j]!;
        const left = table[row + j - 1]!;
        table[row + j] = up > left ? up : left;
      }
    }
  }
  const length = table[a.length * width + b.length]!;
  if (options.want === "length") return { length };

  const subsequence = new Uint8Array(length);
  const matches: LcsMatch[] = [];
  const minMatchLength = options.minMatchLength ?? 0;
  const NONE = a.length;
  let aStart = NONE, aEnd = 0, bStart = 0, bEnd = 0;
  let left = length;
  let i = a.length, j = b.length;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a[i - 1] === b[j - 1]) {
      subsequence[--left] = a[i - 1]!;
      if (aStart === NONE) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else emit = true;
      // A match at the first byte of either string ends the walk: emit it now.
      if (aStart === 0 || bStart === 0) emit = true;
      i--;
      j--;
    } else {
      if (table[(i - 1) * width + j]! > table[i * width + j - 1]!) i--;
      else j--;
      if (aStart !== NONE) emit = true;
    }
    if (emit) {
      const matchLength = aEnd - aStart + 1;
      if (minMatchLength === 0 || matchLength >= minMatchLength) matches.push({ first: [aStart, aEnd], second: [bStart, bEnd], length: matchLength });
      aStart = NONE;
    }
  }
  return options.want === "matches" ? { length, matches } : { length, subsequence };
}
