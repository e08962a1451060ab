// The argument reader (src/commands/argument_reader.ts): reading in grammar
// order, the first error latched, options in any letter case, exclusive
// choices, and Redis's integer texts. The commands' own parses are pinned
// by the differential tests of each family.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { allArguments, ArgumentReader, clampToSafe, onlyKey } from "../../src/commands/argument_reader.ts";
import { INVALID_CURSOR, NOT_INTEGER, SYNTAX } from "../../src/commands/errors.ts";
import { ErrorReply } from "../../src/resp/reply.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const argv = (...words: string[]) => words.map(enc);
const dec = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : new TextDecoder().decode(bytes));
const CUSTOM = new ErrorReply("ERR custom");
const OTHER = new ErrorReply("ERR other");

describe("ArgumentReader", () => {
  test("reads from just after the command name, or after a subcommand's name", () => {
    assert.equal(dec(new ArgumentReader(argv("GET", "k")).key()), "k");
    const sub = new ArgumentReader(argv("OBJECT", "ENCODING", "k"), 2);
    assert.equal(dec(sub.key()), "k");
    assert.ok(sub.atEnd);
  });

  test("left, atEnd and hasMore follow the cursor", () => {
    const args = new ArgumentReader(argv("SET", "k", "v"));
    assert.equal(args.left, 2);
    assert.equal(args.hasMore, true);
    args.key();
    args.bytes();
    assert.equal(args.left, 0);
    assert.equal(args.atEnd, true);
    assert.equal(args.hasMore, false);
  });

  test("hasMore is false once an argument has failed, even with arguments left", () => {
    const args = new ArgumentReader(argv("X", "nope", "more"));
    args.integer();
    assert.equal(args.atEnd, false);
    assert.equal(args.hasMore, false);
  });

  test("a missing argument is a syntax error and reads as empty", () => {
    const args = new ArgumentReader(argv("SET", "k", "v", "EX"), 4);
    assert.equal(args.bytes().length, 0);
    assert.equal(args.finish("parsed"), SYNTAX);
  });

  test("finish answers the parsed value when nothing failed", () => {
    const args = new ArgumentReader(argv("GETRANGE", "k", "0", "-1"));
    assert.deepEqual(args.finish({ key: dec(args.key()), start: args.clampedInteger(), end: args.clampedInteger() }), { key: "k", start: 0, end: -1 });
  });

  test("the first error wins: later failures and fail() calls do not replace it", () => {
    const args = new ArgumentReader(argv("X", "a", "b"));
    args.integer(CUSTOM);
    args.integer(OTHER);
    args.fail(SYNTAX);
    assert.equal(args.error, CUSTOM);
    assert.equal(args.finish(1), CUSTOM);
  });

  test("optional reads a trailing argument or gives undefined", () => {
    const args = new ArgumentReader(argv("JSON.DEL", "k", "$.a"));
    args.key();
    assert.equal(dec(args.optional()), "$.a");
    assert.equal(args.optional(), undefined);
    assert.equal(args.error, undefined);
  });

  test("rest and several take arguments in order", () => {
    const args = new ArgumentReader(argv("SINTERCARD", "2", "a", "b", "LIMIT", "5"), 2);
    assert.deepEqual(args.several(2).map(dec), ["a", "b"]);
    assert.deepEqual(args.rest().map(dec), ["LIMIT", "5"]);
    assert.ok(args.atEnd);
    assert.deepEqual(args.rest(), []);
  });

  test("keyword upper-cases; token matches in any letter case and consumes only on a match", () => {
    const args = new ArgumentReader(argv("X", "nX", "withValues", "b"));
    assert.equal(args.keyword(), "NX");
    assert.equal(args.token("WITH"), false);
    assert.equal(args.token("WITHVALUES"), true);
    assert.equal(args.token("B"), true);
    assert.equal(args.token("B"), false);
  });

  test("oneOf answers the word matched, or latches a syntax error", () => {
    assert.equal(new ArgumentReader(argv("LINSERT", "after")).oneOf("BEFORE", "AFTER"), "AFTER");
    const bad = new ArgumentReader(argv("LINSERT", "around"));
    bad.oneOf("BEFORE", "AFTER");
    assert.equal(bad.error, SYNTAX);
  });

  test("exclusive allows repeating a choice and refuses another as a syntax error", () => {
    const args = new ArgumentReader(argv("SET"));
    let condition: "NX" | "XX" | undefined;
    condition = args.exclusive(condition, "NX");
    condition = args.exclusive(condition, "NX");
    assert.equal(condition, "NX");
    assert.equal(args.error, undefined);
    condition = args.exclusive(condition, "XX");
    assert.equal(condition, "NX");
    assert.equal(args.error, SYNTAX);
  });

  test("integer reads an int64 and refuses anything else with Redis's text or the given error", () => {
    const args = new ArgumentReader(argv("X", "-9223372036854775808", "9223372036854775807"));
    assert.equal(args.integer(), -9223372036854775808n);
    assert.equal(args.integer(), 9223372036854775807n);
    for (const bad of ["9223372036854775808", "1.5", " 1", "", "0x10"]) {
      const failing = new ArgumentReader(argv("X", bad));
      assert.equal(failing.integer(), 0n);
      assert.equal(failing.error, NOT_INTEGER, bad);
    }
    const custom = new ArgumentReader(argv("HELLO", "two"));
    custom.integer(CUSTOM);
    assert.equal(custom.error, CUSTOM);
  });

  test("integer converts an argument read earlier, where Redis checks it late", () => {
    const args = new ArgumentReader(argv("EXPIRE", "k", "ten", "BOGUS"));
    args.key();
    const time = args.bytes();
    args.fail(CUSTOM); // the option error comes first in Redis's order
    args.integer(NOT_INTEGER, time);
    assert.equal(args.error, CUSTOM);
    const late = new ArgumentReader(argv("EXPIRE", "k", "10"));
    late.key();
    assert.equal(late.integer(NOT_INTEGER, late.bytes()), 10n);
  });

  test("clampedInteger clamps to the safe-integer range", () => {
    const args = new ArgumentReader(argv("X", "99999999999999999", "-99999999999999999", "7"));
    assert.equal(args.clampedInteger(), Number.MAX_SAFE_INTEGER);
    assert.equal(args.clampedInteger(), Number.MIN_SAFE_INTEGER);
    assert.equal(args.clampedInteger(), 7);
    const bad = new ArgumentReader(argv("X", "seven"));
    bad.clampedInteger();
    assert.equal(bad.error, NOT_INTEGER);
  });

  test("integerIn and count refuse values out of bounds and non-integers alike with the given error", () => {
    const bounds = { min: 0n, max: 1n };
    assert.equal(new ArgumentReader(argv("X", "1")).integerIn(bounds, CUSTOM), 1);
    for (const bad of ["2", "-1", "one"]) {
      const args = new ArgumentReader(argv("X", bad));
      args.integerIn(bounds, CUSTOM);
      assert.equal(args.error, CUSTOM, bad);
    }
    assert.equal(new ArgumentReader(argv("X", "9223372036854775807")).count(CUSTOM), Number.MAX_SAFE_INTEGER);
    const negative = new ArgumentReader(argv("X", "-1"));
    negative.count(CUSTOM);
    assert.equal(negative.error, CUSTOM);
  });

  test("cursor follows strtoull: empty is 0, negative wraps, overflow is an invalid cursor", () => {
    const args = new ArgumentReader(argv("SCAN", "", "-1", "42"));
    assert.equal(args.cursor(), 0n);
    assert.equal(args.cursor(), 18446744073709551615n);
    assert.equal(args.cursor(), 42n);
    const bad = new ArgumentReader(argv("SCAN", "18446744073709551616"));
    bad.cursor();
    assert.equal(bad.error, INVALID_CURSOR);
  });

  test("pattern compiles a glob", () => {
    const glob = new ArgumentReader(argv("KEYS", "user:*")).pattern();
    assert.equal(glob.matches(enc("user:1")), true);
    assert.equal(glob.matches(enc("order:1")), false);
  });
});

describe("whole parses without a reader", () => {
  test("onlyKey and allArguments skip the command name", () => {
    assert.equal(dec(onlyKey(argv("GET", "k"))), "k");
    assert.deepEqual(allArguments(argv("DEL", "a", "b")).map(dec), ["a", "b"]);
  });

  test("clampToSafe keeps sign and magnitude within the safe range", () => {
    assert.equal(clampToSafe(5n), 5);
    assert.equal(clampToSafe(-9223372036854775808n), -Number.MAX_SAFE_INTEGER);
    assert.equal(clampToSafe(9223372036854775807n), Number.MAX_SAFE_INTEGER);
  });
});
