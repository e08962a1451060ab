// Differential cases of the list commands (src/commands/families/lists.ts), by
// command; run by lists_test.ts against redis-server or its recorded replies
// (tests/differential/suite.ts).
import { bin, INT64_MAX, INT64_MIN, ttl, type Arg, type CasesByCommand } from "../differential/case_types.ts";

/** Deterministic bytes, CR LF and NUL included. */
function listBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = i % 101 === 0 ? 13 : i % 101 === 1 ? 10 : (x >>> 16) & 0xff;
  }
  return out;
}

const BINARY = bin("a\r\nb\x00c\xff\xfe\r\n\x00");
// Over Materia's 10,000-byte item chunk: stored split over several engine keys.
const BIG_A = listBytes(25_000, 1);
const BIG_B = listBytes(10_001, 2);
const BIG_C = listBytes(120_000, 3);

/** More items than one walk batch (512), so LPOS, LINSERT and LREM cross batch boundaries. */
const MANY: Arg[] = Array.from({ length: 1_300 }, (_, i) => (i % 97 === 0 ? "x" : `v${i}`));

export const CASES: CasesByCommand = {
  LPUSH: [
    {
      name: "LPUSH and RPUSH add at each end and return the new length",
      steps: [
        ["LPUSH", "l", "a"], ["LPUSH", "l", "b", "c"], ["RPUSH", "l", "d", "e"], ["LRANGE", "l", "0", "-1"], ["LLEN", "l"],
        ["rpush", "l", ""], ["lpush", "l", BINARY], ["LRANGE", "l", "0", "-1"], ["TYPE", "l"], ["EXISTS", "l"],
        ["LPUSH", "l"], ["RPUSH", "l"], ["LPUSH"], ["RPUSH"],
      ],
    },
  ],
  LPUSHX: [
    {
      name: "LPUSHX and RPUSHX push only onto an existing list",
      steps: [
        ["LPUSHX", "l", "a"], ["RPUSHX", "l", "a", "b"], ["EXISTS", "l"], ["RPUSH", "l", "m"], ["LPUSHX", "l", "a", "b"],
        ["RPUSHX", "l", "y", "z"], ["LRANGE", "l", "0", "-1"], ["SET", "s", "x"], ["LPUSHX", "s", "a"], ["RPUSHX", "s", "a"],
        ["LPUSHX", "l"], ["RPUSHX", "l"],
      ],
    },
  ],
  LPOP: [
    {
      name: "LPOP and RPOP without a count, down to deleting the list",
      steps: [
        ["LPOP", "l"], ["RPOP", "l"], ["RPUSH", "l", "a", "b", "c"], ["LPOP", "l"], ["RPOP", "l"], ["LLEN", "l"], ["LPOP", "l"],
        ["EXISTS", "l"], ["TYPE", "l"], ["LPOP", "l"], ["RPOP", "l"], ["LPOP"], ["RPOP"],
      ],
    },
    {
      name: "LPOP and RPOP with a count, zero, too large, negative and not an integer",
      steps: [
        ["RPUSH", "l", "a", "b", "c", "d", "e", "f"], ["LPOP", "l", "2"], ["RPOP", "l", "2"], ["LPOP", "l", "0"], ["RPOP", "l", "0"],
        ["LRANGE", "l", "0", "-1"], ["LPOP", "l", "-1"], ["RPOP", "l", "-1"], ["LPOP", "l", "abc"], ["LPOP", "l", "1.5"],
        ["LPOP", "l", INT64_MIN], ["LPOP", "l", "99999999999999999999"], ["RPOP", "l", INT64_MAX], ["EXISTS", "l"],
        ["LPOP", "l", "0"], ["LPOP", "l", "3"], ["RPOP", "l", "1"], ["LPOP", "l", "-1"], ["LPOP", "l", "x"],
        ["LPOP", "l", "1", "2"], ["RPOP", "l", "1", "2"], ["RPUSH", "l", "z"], ["LPOP", "l", "1"], ["EXISTS", "l"],
      ],
    },
    {
      name: "RESP3: LPOP and RPOP nulls are _ with and without a count",
      resp3: true,
      steps: [
        ["LPOP", "l"], ["RPOP", "l"], ["LPOP", "l", "0"], ["LPOP", "l", "2"], ["RPOP", "l", "2"], ["RPUSH", "l", "a", "b"],
        ["LPOP", "l", "0"], ["RPOP", "l", "5"], ["LPOP", "l", "5"], ["LINDEX", "l", "0"], ["LRANGE", "l", "0", "-1"],
        ["LPOS", "l", "a"], ["LPOS", "l", "a", "COUNT", "0"], ["LMOVE", "l", "d", "LEFT", "LEFT"], ["RPOPLPUSH", "l", "d"],
      ],
    },
  ],
  LLEN: [
    {
      name: "LLEN of missing, present and emptied lists",
      steps: [["LLEN", "l"], ["RPUSH", "l", "a", "b"], ["LLEN", "l"], ["LPOP", "l", "2"], ["LLEN", "l"], ["LLEN"], ["LLEN", "a", "b"]],
    },
  ],
  LRANGE: [
    {
      name: "LRANGE clamps its bounds like Redis",
      steps: [
        ["LRANGE", "l", "0", "-1"], ["RPUSH", "l", "a", "b", "c", "d", "e"],
        ["LRANGE", "l", "0", "-1"], ["LRANGE", "l", "0", "0"], ["LRANGE", "l", "1", "3"], ["LRANGE", "l", "-2", "-1"],
        ["LRANGE", "l", "-100", "100"], ["LRANGE", "l", "3", "1"], ["LRANGE", "l", "5", "10"], ["LRANGE", "l", "4", "4"],
        ["LRANGE", "l", "-1", "-2"], ["LRANGE", "l", "-6", "-6"], ["LRANGE", "l", "-5", "-5"], ["LRANGE", "l", "0", "-6"],
        ["LRANGE", "l", INT64_MIN, INT64_MAX], ["LRANGE", "l", INT64_MAX, INT64_MIN], ["LRANGE", "l", "2", INT64_MAX],
        ["LRANGE", "l", "a", "1"], ["LRANGE", "l", "0", "b"], ["LRANGE", "missing", "x", "1"], ["LRANGE", "l", "0"],
        ["LRANGE", "l", "0", "1", "2"], ["LRANGE", "l", "99999999999999999999", "1"],
      ],
    },
  ],
  LINDEX: [
    {
      name: "LINDEX reads positive and negative positions; a bad index only matters on a list",
      steps: [
        ["LINDEX", "l", "0"], ["LINDEX", "l", "abc"], ["RPUSH", "l", "a", "b", "c"], ["LINDEX", "l", "0"], ["LINDEX", "l", "2"],
        ["LINDEX", "l", "3"], ["LINDEX", "l", "-1"], ["LINDEX", "l", "-3"], ["LINDEX", "l", "-4"], ["LINDEX", "l", INT64_MAX],
        ["LINDEX", "l", INT64_MIN], ["LINDEX", "l", "abc"], ["LINDEX", "l", "1.0"], ["LINDEX", "l", ""], ["LINDEX", "l"],
        ["LINDEX", "l", "0", "1"], ["LPUSH", "l", "z"], ["LINDEX", "l", "0"], ["LINDEX", "l", "1"],
      ],
    },
  ],
  LSET: [
    {
      name: "LSET replaces one element; errors for a missing key and an index out of range",
      steps: [
        ["LSET", "l", "0", "a"], ["LSET", "l", "x", "a"], ["RPUSH", "l", "a", "b", "c"], ["LSET", "l", "0", "A"], ["LSET", "l", "-1", "C"],
        ["LSET", "l", "1", BINARY], ["LRANGE", "l", "0", "-1"], ["LSET", "l", "3", "x"], ["LSET", "l", "-4", "x"],
        ["LSET", "l", INT64_MAX, "x"], ["LSET", "l", INT64_MIN, "x"], ["LSET", "l", "x", "a"], ["LSET", "l", "1.5", "a"],
        ["LSET", "l", "1", ""], ["LRANGE", "l", "0", "-1"], ["LSET", "l", "0"], ["LSET", "l", "0", "a", "b"],
      ],
    },
  ],
  LINSERT: [
    {
      name: "LINSERT BEFORE and AFTER at the head, the middle and the tail",
      steps: [
        ["RPUSH", "l", "a", "b", "c", "d", "e"], ["LINSERT", "l", "BEFORE", "a", "0"], ["LINSERT", "l", "AFTER", "e", "9"],
        ["LINSERT", "l", "before", "d", "c2"], ["LINSERT", "l", "after", "b", "b2"], ["LINSERT", "l", "Before", "b", "a2"],
        ["LRANGE", "l", "0", "-1"], ["LINSERT", "l", "AFTER", "a", "a1"], ["LINSERT", "l", "BEFORE", "9", "8"],
        ["LRANGE", "l", "0", "-1"], ["LINDEX", "l", "0"], ["LINDEX", "l", "-1"], ["LLEN", "l"],
      ],
    },
    {
      name: "LINSERT uses the first pivot; missing pivot -1, missing key 0, bad position syntax error",
      steps: [
        ["LINSERT", "l", "BEFORE", "a", "x"], ["EXISTS", "l"], ["LINSERT", "l", "MIDDLE", "a", "x"], ["RPUSH", "l", "a", "b", "a", "b"],
        ["LINSERT", "l", "AFTER", "b", "x"], ["LINSERT", "l", "BEFORE", "a", "y"], ["LINSERT", "l", "BEFORE", "zz", "x"],
        ["LINSERT", "l", "AFTER", "", "x"], ["LINSERT", "l", "MIDDLE", "a", "x"], ["LINSERT", "l", "BEFOR", "a", "x"],
        ["LRANGE", "l", "0", "-1"], ["LINSERT", "l", "BEFORE", "a"], ["LINSERT", "l", "BEFORE", "a", "b", "c"],
        ["LINSERT", "l", "AFTER", BINARY, "x"], ["RPUSH", "l", BINARY], ["LINSERT", "l", "AFTER", BINARY, BINARY],
        ["LRANGE", "l", "-3", "-1"],
      ],
    },
    {
      name: "LINSERT in a list longer than one read batch, near each end",
      steps: [
        ["RPUSH", "l", ...MANY], ["LINSERT", "l", "AFTER", "v1298", "near-tail"], ["LINSERT", "l", "BEFORE", "v3", "near-head"],
        ["LINSERT", "l", "BEFORE", "v700", "middle"], ["LINSERT", "l", "AFTER", "v1299", "last"], ["LLEN", "l"],
        ["LRANGE", "l", "0", "5"], ["LRANGE", "l", "-4", "-1"], ["LRANGE", "l", "695", "705"], ["LPOS", "l", "middle"],
        ["LINDEX", "l", "700"], ["LINDEX", "l", "-1300"],
      ],
    },
  ],
  LREM: [
    {
      name: "LREM from the head, from the tail and all",
      steps: [
        ["RPUSH", "l", "a", "b", "a", "c", "a", "b", "a"], ["LREM", "l", "2", "a"], ["LRANGE", "l", "0", "-1"],
        ["LREM", "l", "-1", "b"], ["LRANGE", "l", "0", "-1"], ["LREM", "l", "0", "a"], ["LRANGE", "l", "0", "-1"],
        ["LREM", "l", "0", "zz"], ["LREM", "l", "5", "c"], ["LRANGE", "l", "0", "-1"], ["LREM", "l", "0", "b"], ["EXISTS", "l"],
        ["LREM", "l", "0", "b"], ["RPUSH", "l", "x", "x", "x"], ["LREM", "l", "-5", "x"], ["EXISTS", "l"],
        ["RPUSH", "l", "a", "b", "a"], ["LREM", "l", INT64_MIN, "a"], ["LRANGE", "l", "0", "-1"], ["LREM", "l", INT64_MAX, "b"],
        ["EXISTS", "l"], ["LREM", "l", "x", "a"], ["LREM", "l", "1.5", "a"], ["LREM", "l", "0"], ["LREM", "l", "0", "a", "b"],
      ],
    },
    {
      name: "LREM keeps the order of the rest, in a list longer than one read batch",
      steps: [
        ["RPUSH", "l", ...MANY], ["LREM", "l", "3", "x"], ["LRANGE", "l", "0", "3"], ["LREM", "l", "-2", "x"], ["LRANGE", "l", "-3", "-1"],
        ["LREM", "l", "0", "x"], ["LLEN", "l"], ["LPOS", "l", "x"], ["LRANGE", "l", "480", "490"], ["LRANGE", "l", "-520", "-510"],
        ["LREM", "l", "1", "v1299"], ["LREM", "l", "-1", "v1"], ["LINDEX", "l", "0"], ["LINDEX", "l", "-1"], ["LLEN", "l"],
      ],
    },
  ],
  LTRIM: [
    {
      name: "LTRIM keeps a range and deletes an emptied list",
      steps: [
        ["LTRIM", "l", "0", "1"], ["EXISTS", "l"], ["RPUSH", "l", "a", "b", "c", "d", "e"], ["LTRIM", "l", "1", "-2"],
        ["LRANGE", "l", "0", "-1"], ["LTRIM", "l", "0", "100"], ["LRANGE", "l", "0", "-1"], ["LTRIM", "l", "-2", "-1"],
        ["LRANGE", "l", "0", "-1"], ["LTRIM", "l", "-100", "0"], ["LRANGE", "l", "0", "-1"], ["LTRIM", "l", "1", "0"], ["EXISTS", "l"],
        ["RPUSH", "l", "a", "b"], ["LTRIM", "l", "5", "10"], ["EXISTS", "l"], ["RPUSH", "l", "a", "b"], ["LTRIM", "l", INT64_MIN, INT64_MAX],
        ["LRANGE", "l", "0", "-1"], ["LTRIM", "l", INT64_MAX, INT64_MIN], ["EXISTS", "l"], ["LTRIM", "l", "x", "1"],
        ["LTRIM", "l", "0", "y"], ["LTRIM", "l", "0"], ["LTRIM", "l", "0", "1", "2"], ["RPUSH", "l", "n"], ["LPUSH", "l", "m"],
        ["LRANGE", "l", "0", "-1"],
      ],
    },
  ],
  LPOS: [
    {
      name: "LPOS with RANK, COUNT and MAXLEN",
      steps: [
        ["RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c"], ["LPOS", "l", "c"], ["LPOS", "l", "c", "RANK", "2"],
        ["LPOS", "l", "c", "RANK", "-1"], ["LPOS", "l", "c", "RANK", "-3"], ["LPOS", "l", "c", "RANK", "4"], ["LPOS", "l", "c", "COUNT", "2"],
        ["LPOS", "l", "c", "COUNT", "0"], ["LPOS", "l", "c", "COUNT", "0", "RANK", "2"], ["LPOS", "l", "c", "RANK", "-1", "COUNT", "2"],
        ["LPOS", "l", "c", "COUNT", "0", "MAXLEN", "7"], ["LPOS", "l", "c", "RANK", "-1", "COUNT", "0", "MAXLEN", "2"],
        ["LPOS", "l", "c", "MAXLEN", "2"], ["LPOS", "l", "c", "MAXLEN", "0"], ["LPOS", "l", "zz"], ["LPOS", "l", "zz", "COUNT", "3"],
        ["lpos", "l", "c", "rank", "1", "count", "1", "maxlen", "100"], ["LPOS", "l", "c", "RANK", "1", "RANK", "3"],
        ["LPOS", "l", "c", "COUNT", "5", "COUNT", "1"], ["LPOS", "l", "1"], ["LPOS", "l", "c", "RANK", INT64_MAX],
        ["LPOS", "l", "c", "RANK", INT64_MIN], ["LPOS", "l", "c", "RANK", INT64_MIN, "COUNT", "1"],
        ["LPOS", "l", "c", "RANK", "-9223372036854775807"], ["LPOS", "l", "c", "COUNT", INT64_MAX],
      ],
    },
    {
      name: "LPOS errors in argument order, and a missing key",
      steps: [
        ["LPOS", "l", "a"], ["LPOS", "l", "a", "COUNT", "0"], ["LPOS", "l", "a", "RANK", "0"], ["LPOS", "l", "a", "COUNT", "-1"],
        ["LPOS", "l", "a", "MAXLEN", "-1"], ["LPOS", "l", "a", "RANK", "abc"], ["LPOS", "l", "a", "COUNT", "abc"],
        ["LPOS", "l", "a", "MAXLEN", "abc"], ["LPOS", "l", "a", "MAXLEN", "99999999999999999999"], ["LPOS", "l", "a", "FOO", "1"],
        ["LPOS", "l", "a", "RANK"], ["LPOS", "l", "a", "COUNT", "1", "RANK", "0"], ["LPOS", "l", "a", "RANK", "0", "COUNT", "-1"],
        ["LPOS", "l", "a", "COUNT", "-1", "RANK", "0"], ["LPOS", "l", "a", "RANK", "1.5"], ["LPOS", "l"], ["LPOS"],
        ["SET", "s", "x"], ["LPOS", "s", "a", "RANK", "0"], ["LPOS", "s", "a", "COUNT", "1"],
      ],
    },
    {
      name: "LPOS in a list longer than one read batch, from both ends",
      steps: [
        ["RPUSH", "l", ...MANY], ["LPOS", "l", "x", "COUNT", "0"], ["LPOS", "l", "x", "RANK", "-1", "COUNT", "0"],
        ["LPOS", "l", "x", "RANK", "6"], ["LPOS", "l", "x", "RANK", "-6", "COUNT", "3"], ["LPOS", "l", "x", "MAXLEN", "600", "COUNT", "0"],
        ["LPOS", "l", "x", "RANK", "-2", "MAXLEN", "600", "COUNT", "0"], ["LPOS", "l", "v1299"], ["LPOS", "l", "v1299", "MAXLEN", "1299"],
        ["LPOS", "l", "v0", "RANK", "-1"],
      ],
    },
  ],
  LMOVE: [
    {
      name: "LMOVE in the four directions between two lists",
      steps: [
        ["RPUSH", "src", "a", "b", "c", "d"], ["RPUSH", "dst", "x"], ["LMOVE", "src", "dst", "LEFT", "LEFT"],
        ["LMOVE", "src", "dst", "LEFT", "RIGHT"], ["LMOVE", "src", "dst", "RIGHT", "LEFT"], ["LMOVE", "src", "dst", "right", "right"],
        ["LRANGE", "dst", "0", "-1"], ["EXISTS", "src"], ["LMOVE", "src", "dst", "LEFT", "LEFT"], ["LMOVE", "dst", "new", "LEFT", "RIGHT"],
        ["LRANGE", "new", "0", "-1"], ["LRANGE", "dst", "0", "-1"], ["TYPE", "new"],
      ],
    },
    {
      name: "LMOVE on one key rotates the list, and a one-element list stays",
      steps: [
        ["RPUSH", "l", "a", "b", "c"], ["LMOVE", "l", "l", "LEFT", "RIGHT"], ["LRANGE", "l", "0", "-1"], ["LMOVE", "l", "l", "RIGHT", "LEFT"],
        ["LRANGE", "l", "0", "-1"], ["LMOVE", "l", "l", "LEFT", "LEFT"], ["LMOVE", "l", "l", "RIGHT", "RIGHT"], ["LRANGE", "l", "0", "-1"],
        ["RPOPLPUSH", "l", "l"], ["LRANGE", "l", "0", "-1"], ["RPUSH", "one", "z"], ["LMOVE", "one", "one", "LEFT", "RIGHT"],
        ["RPOPLPUSH", "one", "one"], ["LRANGE", "one", "0", "-1"], ["LINDEX", "one", "0"], ["LLEN", "one"],
      ],
    },
    {
      name: "LMOVE and RPOPLPUSH: missing source, wrong types, syntax and arity",
      steps: [
        ["LMOVE", "nosrc", "dst", "LEFT", "LEFT"], ["RPOPLPUSH", "nosrc", "dst"], ["EXISTS", "dst"], ["SET", "s", "x"],
        ["LMOVE", "nosrc", "s", "LEFT", "LEFT"], ["RPUSH", "l", "a"], ["LMOVE", "l", "s", "LEFT", "LEFT"], ["RPOPLPUSH", "l", "s"],
        ["LMOVE", "s", "l", "LEFT", "LEFT"], ["LRANGE", "l", "0", "-1"], ["LMOVE", "l", "d", "UP", "LEFT"], ["LMOVE", "l", "d", "LEFT", "DOWN"],
        ["LMOVE", "nosrc", "d", "UP", "LEFT"], ["LMOVE", "l", "d", "LEFT"], ["LMOVE", "l", "d", "LEFT", "LEFT", "x"], ["RPOPLPUSH", "l"],
        ["RPOPLPUSH", "l", "d", "x"], ["RPOPLPUSH", "l", "d"], ["EXISTS", "l"], ["LRANGE", "d", "0", "-1"],
      ],
    },
  ],
  RPOPLPUSH: [
    {
      name: "RPOPLPUSH moves the tail of one list to the head of another",
      steps: [
        ["RPUSH", "src", "a", "b", "c"], ["RPUSH", "dst", "x", "y"], ["RPOPLPUSH", "src", "dst"], ["RPOPLPUSH", "src", "dst"],
        ["LRANGE", "src", "0", "-1"], ["LRANGE", "dst", "0", "-1"], ["RPOPLPUSH", "src", "dst"], ["EXISTS", "src"], ["LLEN", "dst"],
      ],
    },
  ],
  LMPOP: [
    {
      name: "LMPOP pops up to COUNT elements from one end of the first non-empty list, nil when all are empty",
      steps: [
        ["RPUSH", "b", "1", "2", "3", "4", "5"], ["LMPOP", "2", "a", "b", "LEFT"], ["LMPOP", "2", "a", "b", "RIGHT", "COUNT", "2"],
        ["LMPOP", "1", "b", "left", "count", "10"], ["EXISTS", "b"], ["LMPOP", "2", "a", "b", "LEFT"], ["LMPOP", "1", "missing", "RIGHT", "COUNT", "3"],
        ["RPUSH", "c", "x", "y"], ["LMPOP", "3", "a", "b", "c", "right", "COUNT", INT64_MAX], ["EXISTS", "c"],
        ["RPUSH", "d", "only"], ["LMPOP", "2", "d", "d", "LEFT", "COUNT", "5"], ["SET", "s", "v"], ["RPUSH", "e", "x"], ["LMPOP", "2", "s", "e", "LEFT"],
        ["LMPOP", "2", "e", "s", "LEFT"], ["LMPOP", "2", "e", "s", "LEFT"], ["LMPOP", "2", "missing", "s", "LEFT"],
        ["RPUSH", "big", bin("\x00\r\n"), "b".repeat(12_000), "c"], ["LMPOP", "1", "big", "LEFT", "COUNT", "2"], ["LRANGE", "big", "0", "-1"],
      ],
    },
    {
      name: "LMPOP answers nil as a null in RESP3 too",
      resp3: true,
      steps: [["LMPOP", "1", "a", "LEFT"], ["RPUSH", "a", "x"], ["LMPOP", "1", "a", "RIGHT", "COUNT", "2"]],
    },
    {
      name: "LMPOP checks numkeys, the keys, where and COUNT in Redis's order",
      steps: [
        ["RPUSH", "a", "1"],
        ["LMPOP", "0", "a", "LEFT"], ["LMPOP", "x", "a", "LEFT"], ["LMPOP", "-1", "a", "LEFT"], ["LMPOP", "5", "a", "LEFT"], ["LMPOP", "2", "a", "LEFT"],
        ["LMPOP", "1", "a", "MIDDLE"], ["LMPOP", "1", "a", "LEFT", "COUNT", "0"], ["LMPOP", "1", "a", "LEFT", "COUNT", "-1"], ["LMPOP", "1", "a", "LEFT", "COUNT", "x"],
        ["LMPOP", "1", "a", "LEFT", "COUNT"], ["LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1"], ["LMPOP", "1", "a", "LEFT", "foo"],
        ["LMPOP", "99999999999999999999", "a", "LEFT"], ["LMPOP", "1", "a"], ["LMPOP", "1"], ["LRANGE", "a", "0", "-1"],
      ],
    },
  ],
  "wrong types": [
    {
      name: "pushes and reads against a string key reply WRONGTYPE and leave it alone",
      steps: [
        ["SET", "s", "x"], ["LPUSH", "s", "a"], ["RPUSH", "s", "a"], ["LPOP", "s"], ["RPOP", "s"], ["LPOP", "s", "0"], ["LPOP", "s", "2"],
        ["LLEN", "s"], ["LRANGE", "s", "0", "-1"], ["LINDEX", "s", "0"], ["LINDEX", "s", "x"], ["LSET", "s", "0", "a"],
        ["LSET", "s", "x", "a"], ["LINSERT", "s", "BEFORE", "a", "b"], ["LREM", "s", "0", "a"], ["LTRIM", "s", "0", "1"],
        ["LPOS", "s", "a"], ["LPOS", "s", "a", "COUNT", "0"], ["LMOVE", "s", "d", "LEFT", "RIGHT"], ["RPOPLPUSH", "s", "d"],
        ["GET", "s"], ["EXISTS", "d"],
      ],
    },
    {
      name: "string commands against a list reply WRONGTYPE, SET replaces it",
      steps: [
        ["RPUSH", "l", "a", "b"], ["GET", "l"], ["APPEND", "l", "x"], ["INCR", "l"], ["STRLEN", "l"], ["MGET", "l"],
        ["SET", "l", "v"], ["GET", "l"], ["TYPE", "l"], ["LLEN", "l"], ["RPUSH", "l2", "a"], ["DEL", "l2"], ["LLEN", "l2"],
        ["EXISTS", "l2"], ["RPUSH", "l2", "b"], ["LRANGE", "l2", "0", "-1"],
      ],
    },
  ],
  "values of every size": [
    {
      name: "elements larger than one storage chunk round-trip through every list command",
      steps: [
        ["RPUSH", "l", "small", BIG_A, BIG_B], ["LPUSH", "l", BIG_C], ["LLEN", "l"], ["LINDEX", "l", "0"], ["LINDEX", "l", "2"],
        ["LINDEX", "l", "-1"], ["LRANGE", "l", "0", "-1"], ["LRANGE", "l", "1", "2"], ["LPOS", "l", BIG_A], ["LPOS", "l", BIG_B, "RANK", "-1"],
        ["LSET", "l", "1", BIG_B], ["LSET", "l", "3", "tiny"], ["LRANGE", "l", "0", "-1"], ["LINSERT", "l", "BEFORE", BIG_A, BIG_C],
        ["LINSERT", "l", "AFTER", "tiny", BIG_A], ["LRANGE", "l", "0", "-1"], ["LREM", "l", "1", BIG_C], ["LREM", "l", "-1", BIG_A],
        ["LRANGE", "l", "0", "-1"], ["LMOVE", "l", "l", "LEFT", "RIGHT"], ["LRANGE", "l", "0", "-1"], ["LMOVE", "l", "m", "RIGHT", "LEFT"],
        ["LRANGE", "m", "0", "-1"], ["LTRIM", "l", "1", "-1"], ["LRANGE", "l", "0", "-1"], ["RPOP", "l", "5"], ["LPOP", "m"], ["DBSIZE"],
      ],
    },
  ],
  "expiry": [
    {
      name: "pushes keep the TTL of the list",
      steps: [
        ["RPUSH", "l", "a"], ["EXPIRE", "l", "100"], ["RPUSH", "l", "b"], ["LPUSH", "l", "c"], ttl("TTL", "l"), ["LPOP", "l"],
        ["LSET", "l", "0", "z"], ["LINSERT", "l", "AFTER", "z", "y"], ttl("TTL", "l"), ["LRANGE", "l", "0", "-1"],
      ],
    },
  ],
};

export const METADATA_COMMANDS: readonly string[] = [
  "lpush", "rpush", "lpushx", "rpushx", "lpop", "rpop", "llen", "lrange", "lindex", "lset", "linsert", "lrem", "ltrim", "lpos", "lmove", "rpoplpush", "lmpop",
];
