// HyperLogLog commands: PFADD, PFCOUNT, PFMERGE, over Redis's own encoding
// (src/model/hyperloglog_sketch.ts), so estimates and stored bytes equal
// Redis's.
//
// PFCOUNT of one key stores the estimate in the value's cache, as Redis
// does, although COMMAND flags it readonly: it runs in a write transaction
// and writes only when the cache was stale and the caller holds the write
// right. A read-only token still counts; it just leaves the cache stale
// (docs/COMPATIBILITY.md).
import { onlyKeyAt } from "../key_positions.ts";
import * as hll from "../../model/hyperloglog.ts";
import type { Reply } from "../../resp/reply.ts";
import { OK } from "../../resp/reply.ts";
import { key, multiple, optional, string } from "../arguments.ts";
import { allArguments, ArgumentReader } from "../argument_reader.ts";
import { CORRUPTED_HYPERLOGLOG, NOT_A_HYPERLOGLOG, WRONGTYPE } from "../errors.ts";
import { type CommandSpec, defineCommand, type Session } from "../spec.ts";

function replyOf(result: number | bigint | "OK" | hll.HllFailure): Reply {
  switch (result) {
    case "WRONGTYPE":
      return WRONGTYPE;
    case "NOT_HLL":
      return NOT_A_HYPERLOGLOG;
    case "CORRUPT":
      return CORRUPTED_HYPERLOGLOG;
    case "OK":
      return OK;
  }
  return typeof result === "bigint" && result <= BigInt(Number.MAX_SAFE_INTEGER) && result >= 0n ? Number(result) : result;
}

const pfadd = defineCommand({
  name: "pfadd",
  arity: -2,
  flags: ["write", "denyoom", "fast"],
  keys: { first: 1, last: 1, step: 1 },
  group: "hyperloglog",
  summary: "Adds elements to a HyperLogLog, creating it when missing; returns 1 when its estimate may have changed, else 0.",
  since: "2.8.9",
  complexity: "O(1) for each element added.",
  arguments: [key("key"), optional(multiple(string("element")))],
  access: "write",
  parse(argv) {
    const args = new ArgumentReader(argv);
    return { key: args.key(), elements: args.rest() };
  },
  async exec({ tx, ks, nowMs }, { key: k, elements }) {
    return replyOf(await hll.pfAdd(tx, ks, k, { elements, nowMs }));
  },
});

/** Whether the caller may write: only then does PFCOUNT store its estimate in the value. */
function mayWrite(session: Session): boolean {
  return session.principal === undefined || session.principal.canWrite;
}

const pfcount = defineCommand({
  name: "pfcount",
  arity: -2,
  flags: ["readonly"],
  keys: { first: 1, last: -1, step: 1 },
  group: "hyperloglog",
  summary: "Estimates the number of distinct elements added to a HyperLogLog, or to the union of several without changing them.",
  since: "2.8.9",
  complexity: "O(1) for one key (the estimate is cached in the value); O(N) for N keys, with a much larger constant.",
  arguments: [key("key"), optional(multiple(key("key")))],
  // A write transaction for the cache of a single key (see above); the readonly flag keeps it open to read-only tokens.
  access: "write",
  parse: allArguments,
  async exec({ tx, ks, nowMs, session }, keys) {
    if (keys.length > 1) return replyOf(await hll.pfCountUnion(tx, ks, keys, nowMs));
    return replyOf(await hll.pfCountOne(tx, ks, keys[0]!, { nowMs, storeCache: mayWrite(session) }));
  },
});

const pfmerge = defineCommand({
  name: "pfmerge",
  arity: -2,
  flags: ["write", "denyoom"],
  keys: { first: 1, last: -1, step: 1 },
  writtenKeys: onlyKeyAt(1),
  group: "hyperloglog",
  summary: "Merges HyperLogLogs into a destination (which counts as a source too), creating it when missing.",
  since: "2.8.9",
  complexity: "O(N) to merge N HyperLogLogs, with a large constant.",
  arguments: [key("destkey"), optional(multiple(key("sourcekey")))],
  access: "write",
  parse(argv) {
    const args = new ArgumentReader(argv);
    return { dest: args.key(), sources: args.rest() };
  },
  async exec({ tx, ks, nowMs }, { dest, sources }) {
    return replyOf(await hll.pfMerge(tx, ks, { dest, sources, nowMs }));
  },
});

export const HYPERLOGLOG_COMMANDS: readonly CommandSpec[] = [pfadd, pfcount, pfmerge];
