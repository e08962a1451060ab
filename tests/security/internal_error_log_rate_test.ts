// Issue 12, item 11: every internal error wrote an 850-byte stack trace to the
// log, so a client that found one could flood the log. Internal-error lines
// are now rate limited (src/commands/internal_error_log.ts) and one line each.
import { test } from "node:test";
import assert from "node:assert/strict";
import { internalErrorLine, RateLimitedLog } from "../../src/commands/internal_error_log.ts";
import { replyOfFailure } from "../../src/commands/dispatch.ts";
import { ErrorReply } from "../../src/resp/reply.ts";
import { INTERNAL_ERROR_LOG_MAX_LINES, INTERNAL_ERROR_LOG_MAX_STACK } from "../../src/model/limits.ts";

function fakeLog(maxLines: number, windowMs: number) {
  const lines: string[] = [];
  let now = 1_000_000;
  const log = new RateLimitedLog({ maxLines, windowMs, write: (l) => lines.push(l), now: () => now });
  return { log, lines, advance: (ms: number) => (now += ms) };
}

test("at most maxLines lines per window, then one line counting the suppressed ones", () => {
  const { log, lines, advance } = fakeLog(3, 60_000);
  for (let i = 0; i < 1000; i++) log.report(`boom ${i}`);
  assert.deepEqual(lines, ["boom 0", "boom 1", "boom 2"]);
  advance(59_999);
  log.report("still suppressed");
  assert.equal(lines.length, 3);
  advance(1);
  log.report("next window");
  assert.deepEqual(lines.slice(3), ["command failed with an internal error: suppressed 998 similar errors in the last 60 s", "next window"]);
  advance(60_000);
  log.report("quiet window");
  assert.equal(lines.at(-1), "quiet window", "no summary line when nothing was suppressed");
});

test("an internal error is logged as one line with its stack folded and capped", () => {
  const error = new Error("x".repeat(10_000));
  const line = internalErrorLine(error);
  assert.ok(!line.includes("\n"));
  assert.ok(line.startsWith("command failed with an internal error: Error: xxx"));
  assert.ok(line.length <= "command failed with an internal error: ".length + INTERNAL_ERROR_LOG_MAX_STACK);
  assert.equal(internalErrorLine("plain"), "command failed with an internal error: plain");
});

test("replyOfFailure goes through the rate limit: 1,000 internal errors write at most the allowed lines", () => {
  const original = console.error;
  const written: string[] = [];
  console.error = (...args: unknown[]) => void written.push(args.map(String).join(" "));
  try {
    for (let i = 0; i < 1000; i++) {
      const reply = replyOfFailure(new TypeError(`Cannot read properties of undefined (reading 'n${i}')`));
      assert.ok(reply instanceof ErrorReply);
      assert.match(reply.message, /^ERR internal error: Cannot read properties of undefined/);
    }
  } finally {
    console.error = original;
  }
  assert.ok(written.length <= INTERNAL_ERROR_LOG_MAX_LINES, `${written.length} lines written`);
  assert.ok(written.every((l) => !l.includes("\n")));
});
