// LCS: the longest common subsequence of two strings (src/model/lcs.ts), as
// Redis 7.0's lcsCommand answers it. Redis looks both keys up before reading
// its options, so `parse` keeps an option's error and `exec` returns it once
// both keys are known to hold strings (or nothing).
//
// The bound: Redis refuses a table ((len1+1) * (len2+1) cells of 4 bytes)
// larger than proto-max-bulk-len. Materia's proto-max-bulk-len is its 5 MB
// value limit, so the table holds at most about 1.3 million cells (two
// strings of 1,143 bytes): a few milliseconds of work, checked from the
// lengths in the keys' metas before any value is read.
import type { ReadTxn } from "../../engine/contract.ts";
import { lookup } from "../../model/db.ts";
import type { Keyspace } from "../../model/keyspace.ts";
import { lcsTableBytes, longestCommonSubsequence, type LcsMatch } from "../../model/lcs.ts";
import { MAX_STRING_BYTES } from "../../model/limits.ts";
import { KeyType, type Meta } from "../../model/meta.ts";
import { readValue, stringLength } from "../../model/strings.ts";
import { ErrorReply, MapReply, type Reply } from "../../resp/reply.ts";
import { ArgumentReader } from "../argument_reader.ts";
import { integer, key, optional, token, withToken } from "../arguments.ts";
import { LCS_LEN_AND_IDX, LCS_NOT_STRINGS, LCS_TABLE_TOO_LARGE, SYNTAX } from "../errors.ts";
import { defineCommand, type CommandSpec } from "../spec.ts";

/** Largest LCS table, in bytes: Redis's proto-max-bulk-len rule with Materia's value limit. */
export const LCS_MAX_TABLE_BYTES = MAX_STRING_BYTES;

interface LcsArgs {
  readonly key1: Uint8Array;
  readonly key2: Uint8Array;
  /** The options, or the first error among them (answered after the keys' types). */
  readonly options: LcsOptions | ErrorReply;
}

interface LcsOptions {
  readonly len: boolean;
  readonly idx: boolean;
  readonly withMatchLen: boolean;
  readonly minMatchLen: number;
}

/** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN], options in any order and repeatable. */
function parseOptions(args: ArgumentReader): LcsOptions | ErrorReply {
  let len = false, idx = false, withMatchLen = false, minMatchLen = 0;
  while (args.hasMore) {
    const option = args.keyword();
    if (option === "IDX") idx = true;
    else if (option === "LEN") len = true;
    else if (option === "WITHMATCHLEN") withMatchLen = true;
    else if (option === "MINMATCHLEN" && args.left >= 1) {
      const value = args.integer();
      // A negative length keeps every match, as 0 does; past 2^53 none is that long anyway.
      minMatchLen = value < 0n ? 0 : value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
    } else args.fail(SYNTAX);
  }
  if (args.error === undefined && len && idx) args.fail(LCS_LEN_AND_IDX);
  return args.finish({ len, idx, withMatchLen, minMatchLen });
}

/** IDX's reply: a map of the matches and the length (RESP2: a flat array of four). */
function matchesReply(matches: readonly LcsMatch[], length: number, withMatchLen: boolean): Reply {
  const items = matches.map((match): Reply => {
    const ranges: Reply[] = [[match.first[0], match.first[1]], [match.second[0], match.second[1]]];
    if (withMatchLen) ranges.push(match.length);
    return ranges;
  });
  return new MapReply([["matches", items], ["len", length]]);
}

const EMPTY = new Uint8Array(0);

/** The value of a string key whose meta was looked up; a missing key reads as empty. */
async function valueOf(ctx: { readonly tx: ReadTxn; readonly ks: Keyspace }, key: Uint8Array, meta: Meta | undefined): Promise<Uint8Array> {
  return meta === undefined ? EMPTY : await readValue(ctx.tx, ctx.ks, key, meta);
}

const lcs = defineCommand({
  name: "lcs",
  arity: -3,
  flags: ["readonly"],
  keys: { first: 1, last: 2, step: 1 },
  group: "string",
  summary: "Finds the longest common subsequence of the strings in two keys: the subsequence, its length (LEN), or the matching ranges (IDX).",
  since: "7.0.0",
  complexity: "O(N*M) where N and M are the lengths of s1 and s2, respectively",
  arguments: [
    key("key1"),
    key("key2"),
    optional(token("LEN")),
    optional(token("IDX")),
    optional(withToken("MINMATCHLEN", integer("len"))),
    optional(token("WITHMATCHLEN")),
  ],
  access: "read",
  parse(argv): LcsArgs {
    const args = new ArgumentReader(argv);
    const key1 = args.key();
    const key2 = args.key();
    return { key1, key2, options: parseOptions(args) };
  },
  async exec({ tx, ks, nowMs }, args): Promise<Reply> {
    const meta1 = await lookup(tx, ks, args.key1, nowMs);
    const meta2 = await lookup(tx, ks, args.key2, nowMs);
    if ((meta1 !== undefined && meta1.type !== KeyType.String) || (meta2 !== undefined && meta2.type !== KeyType.String)) return LCS_NOT_STRINGS;
    const { options } = args;
    if (options instanceof ErrorReply) return options;
    const length1 = meta1 === undefined ? 0 : stringLength(meta1);
    const length2 = meta2 === undefined ? 0 : stringLength(meta2);
    if (lcsTableBytes(length1, length2) > LCS_MAX_TABLE_BYTES) return LCS_TABLE_TOO_LARGE;
    const [a, b] = await Promise.all([valueOf({ tx, ks }, args.key1, meta1), valueOf({ tx, ks }, args.key2, meta2)]);
    if (options.idx) {
      const result = longestCommonSubsequence(a, b, { want: "matches", minMatchLength: options.minMatchLen });
      return matchesReply(result.matches!, result.length, options.withMatchLen);
    }
    if (options.len) return longestCommonSubsequence(a, b, { want: "length" }).length;
    return longestCommonSubsequence(a, b, { want: "subsequence" }).subsequence!;
  },
});

export const LCS_COMMANDS: readonly CommandSpec[] = [lcs];
