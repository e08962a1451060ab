// One connection used to hold unbounded memory for a transaction: a MULTI
// queue of 1,000,000 SETs added 670 MB, a WATCH of 12,000 8 KB keys 480 MB.
// Both are bounded now; past the bound the transaction fails and its queue is
// released at once.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { encodeCommand, RawClient } from "../support/raw_client.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { MAX_QUEUED_BYTES, MAX_QUEUED_COMMANDS, MAX_WATCHED_KEY_BYTES, MAX_WATCHED_KEYS } from "../../src/commands/transaction_limits.ts";

const OK = "+OK\r\n";
const QUEUED = "+QUEUED\r\n";
const EXECABORT = "-EXECABORT Transaction discarded because of previous errors.\r\n";

/** Sends `count` copies of one command in one write and reads every reply; returns the distinct replies in order of first appearance, with counts. */
async function pipelined(c: RawClient, argv: string[], count: number): Promise<Map<string, number>> {
  const one = encodeCommand(argv);
  const batch = 1000;
  const seen = new Map<string, number>();
  for (let sent = 0; sent < count; sent += batch) {
    const n = Math.min(batch, count - sent);
    const bytes = new Uint8Array(one.length * n);
    for (let i = 0; i < n; i++) bytes.set(one, i * one.length);
    c.writeRaw(bytes);
    for (let i = 0; i < n; i++) {
      const reply = await c.readReply(20_000);
      seen.set(reply, (seen.get(reply) ?? 0) + 1);
    }
  }
  return seen;
}

describe("transaction bounds per connection", () => {
  let s: RunningServer;
  before(async () => {
    s = await startInProcess();
  });
  after(() => s.stop());

  test(`MULTI queues at most ${MAX_QUEUED_COMMANDS} commands; the next one fails the transaction and frees the queue`, async () => {
    const c = await RawClient.connect(s.port);
    try {
      assert.equal(await c.call("MULTI"), OK);
      const replies = await pipelined(c, ["SET", "k", "v"], MAX_QUEUED_COMMANDS + 5);
      assert.equal(replies.get(QUEUED), MAX_QUEUED_COMMANDS + 4);
      const errors = [...replies.keys()].filter((r) => r.startsWith("-"));
      assert.equal(errors.length, 1);
      assert.match(errors[0]!, /^-ERR transaction too large: MULTI queues at most \d+ commands/);
      const connection = [...s.server.sessions()].find((session) => session.multi !== undefined);
      assert.equal(connection?.multi?.queue.length, 0, "the failed transaction's queue is released at once");
      assert.equal(await c.call("EXEC"), EXECABORT);
      assert.equal(await c.call("EXISTS", "k"), ":0\r\n");
      // The connection works as before.
      assert.equal(await c.call("MULTI"), OK);
      assert.equal(await c.call("SET", "k", "v"), QUEUED);
      assert.equal(await c.call("EXEC"), "*1\r\n+OK\r\n");
    } finally {
      c.close();
    }
  });

  test(`MULTI queues at most ${MAX_QUEUED_BYTES / 1024 / 1024} MB of arguments`, async () => {
    const c = await RawClient.connect(s.port);
    try {
      assert.equal(await c.call("MULTI"), OK);
      const value = "v".repeat(1024 * 1024);
      const fits = Math.floor(MAX_QUEUED_BYTES / (value.length + 200));
      for (let i = 0; i < fits; i++) assert.equal(await c.call("SET", `k${i}`, value), QUEUED);
      let refused = "";
      for (let i = 0; i < 10 && refused === ""; i++) {
        const reply = await c.call("SET", "more", value);
        if (reply !== QUEUED) refused = reply;
      }
      assert.match(refused, /^-ERR transaction too large: MULTI queues at most \d+ commands and \d+ MB of arguments/);
      assert.equal(await c.call("EXEC"), EXECABORT);
    } finally {
      c.close();
    }
  });

  test(`a connection WATCHes at most ${MAX_WATCHED_KEYS} keys and ${MAX_WATCHED_KEY_BYTES / 1024 / 1024} MB of key names`, async () => {
    const c = await RawClient.connect(s.port);
    try {
      const keys = Array.from({ length: MAX_WATCHED_KEYS }, (_, i) => `w${i}`);
      assert.equal(await c.call("WATCH", ...keys), OK);
      assert.equal(await c.call("WATCH", ...keys.slice(0, 100)), OK, "keys already watched count once");
      assert.match(await c.call("WATCH", "one-more"), /^-ERR too many WATCHed keys: a connection watches at most \d+ keys/);
      assert.equal(await c.call("UNWATCH"), OK);
      const bigKeys = Array.from({ length: Math.floor(MAX_WATCHED_KEY_BYTES / 8000) + 1 }, (_, i) => `${i}:${"k".repeat(7990)}`);
      assert.match(await c.call("WATCH", ...bigKeys), /^-ERR too many WATCHed keys/);
      assert.equal(await c.call("WATCH", ...bigKeys.slice(0, 10)), OK);
      assert.equal(await c.call("MULTI"), OK);
      assert.equal(await c.call("EXEC"), "*0\r\n");
    } finally {
      c.close();
    }
  });
});
