// Differential cases of LCS (src/commands/families/lcs.ts), run by lcs_test.ts
// against redis-server or its recorded replies. Strings stay under Materia's
// table bound (lcs_test.ts checks the bound itself): (len1+1) * (len2+1) * 4
// bytes at most 5 MB.
import { bin, INT64_MAX, INT64_MIN, type CasesByCommand, patternBytes } from "../differential/case_types.ts";

/** Bytes over a small alphabet, so that long strings share long subsequences. */
function dna(length: number, seed: number): string {
  let x = seed >>> 0;
  let out = "";
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out += "ACGT"[(x >>> 16) & 3];
  }
  return out;
}

const OPTION_SETS: readonly (readonly string[])[] = [
  [], ["LEN"], ["IDX"], ["IDX", "WITHMATCHLEN"], ["IDX", "MINMATCHLEN", "2"], ["IDX", "MINMATCHLEN", "3", "WITHMATCHLEN"],
  ["WITHMATCHLEN", "MINMATCHLEN", "4", "IDX"], ["idx", "minmatchlen", "-5"], ["IDX", "MINMATCHLEN", "0"], ["IDX", "MINMATCHLEN", INT64_MAX],
  ["LEN", "LEN"], ["MINMATCHLEN", "2"], ["WITHMATCHLEN"], ["LEN", "WITHMATCHLEN", "MINMATCHLEN", "1"],
];

const PAIRS: readonly (readonly [string, string])[] = [
  ["a", "b"], ["s1", "s2"], ["s2", "s1"], ["s1", "s1"], ["s1", "missing"], ["missing", "s2"], ["missing", "missing"], ["e", "s1"],
  ["bin1", "bin2"], ["d1", "d2"], ["rep1", "rep2"], ["n1", "n2"],
];

export const CASES: CasesByCommand = {
  LCS: [
    {
      name: "LCS answers the subsequence, its length, or the matching ranges, for every option",
      steps: [
        ["MSET", "a", "ohmytext", "b", "mynewtext", "s1", "ohmytextisbeautiful", "s2", "mynewtextisugly", "e", ""],
        ["SET", "bin1", bin("\x00\r\n\xff\x00abc\x00\xfe")], ["SET", "bin2", bin("\xff\x00\r\nab\x00c\xfe\xfe")],
        ["SET", "d1", dna(300, 1)], ["SET", "d2", dna(280, 2)], ["SET", "rep1", "aaaaaaaaaabbbbbbbbbb"], ["SET", "rep2", "abababababababababab"],
        ["SET", "n1", "12345678"], ["SET", "n2", "2468"],
        ...PAIRS.flatMap(([x, y]) => OPTION_SETS.map((options) => ["LCS", x, y, ...options])),
      ],
    },
    {
      name: "LCS IDX answers a map in RESP3",
      resp3: true,
      steps: [
        ["MSET", "s1", "ohmytextisbeautiful", "s2", "mynewtextisugly"], ["LCS", "s1", "s2", "IDX"], ["LCS", "s1", "s2", "IDX", "WITHMATCHLEN", "MINMATCHLEN", "2"],
        ["LCS", "s1", "nothing", "IDX"], ["LCS", "s1", "s2", "LEN"], ["LCS", "s1", "s2"],
      ],
    },
    {
      name: "LCS over chunked strings near the table bound",
      steps: [
        ["SET", "p", patternBytes(1_100, 3)], ["SET", "q", patternBytes(1_100, 4)], ["SET", "r", dna(1_140, 5)], ["SET", "t", dna(1_140, 6)],
        ["LCS", "p", "q", "LEN"], ["LCS", "r", "t"], ["LCS", "r", "t", "IDX", "MINMATCHLEN", "6", "WITHMATCHLEN"],
        ["SET", "long", dna(12_000, 7)], ["SET", "short", "ACGTTGCA"], ["LCS", "long", "short"], ["LCS", "short", "long", "IDX", "WITHMATCHLEN"],
      ],
    },
    {
      name: "LCS errors: the keys' types first, then options, then LEN with IDX",
      steps: [
        ["SET", "k", "abc"], ["RPUSH", "l", "a"], ["HSET", "h", "f", "v"],
        ["LCS", "k", "l"], ["LCS", "l", "k"], ["LCS", "missing", "h"], ["LCS", "l", "k", "BAD"], ["LCS", "l", "k", "LEN", "IDX"],
        ["LCS", "k", "k", "BAD"], ["LCS", "k", "k", "MINMATCHLEN"], ["LCS", "k", "k", "MINMATCHLEN", "x"], ["LCS", "k", "k", "MINMATCHLEN", "1.5"],
        ["LCS", "k", "k", "MINMATCHLEN", "99999999999999999999"], ["LCS", "k", "k", "MINMATCHLEN", INT64_MIN], ["LCS", "k", "k", "LEN", "IDX"],
        ["LCS", "k", "k", "IDX", "LEN", "BAD"], ["LCS", "k", "k", "MINMATCHLEN", "x", "LEN", "IDX"], ["LCS", "k", "k", "LEN", "IDX", "MINMATCHLEN", "x"],
        ["LCS", "missing", "missing", "LEN", "IDX"], ["LCS", "k"], ["LCS"],
      ],
    },
  ],
};

export const METADATA_COMMANDS: readonly string[] = ["lcs"];
