// Delivery of invalidations (src/server/tracking/invalidation.ts) with fake
// sessions: RESP3 pushes, RESP2 redirection as `__redis__:invalidate`
// messages (end to end once SUBSCRIBE exists: see the skipped test in
// tests/server/client_tracking_test.ts), broken redirects and tenants.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Session } from "../../../src/commands/spec.ts";
import { PushReply, type Reply } from "../../../src/resp/reply.ts";
import { ReplyWriter } from "../../../src/resp/writer.ts";
import { type InvalidationRecipient, sendInvalidation } from "../../../src/server/tracking/invalidation.ts";

/** A session that records what is pushed to it, encoded in its protocol. */
function fakeSession(options: { id: number; protocol: 2 | 3; tenant?: string; subscribed?: boolean }): Session & { frames: string[] } {
  const frames: string[] = [];
  const session = {
    id: options.id,
    protocol: options.protocol,
    principal: { user: "default", tenant: options.tenant ?? "t", canWrite: true },
    frames,
    push(frame: Reply) {
      assert.ok(frame instanceof PushReply);
      const writer = new ReplyWriter();
      writer.write(frame, session.protocol);
      frames.push(new TextDecoder().decode(writer.take()));
    },
    subscribedTo(channel: Uint8Array) {
      return options.subscribed === true && new TextDecoder().decode(channel) === "__redis__:invalidate";
    },
  };
  return session as unknown as Session & { frames: string[] };
}

function recipient(session: Session, redirect = 0): InvalidationRecipient {
  return { session, tenant: "t", redirect, brokenRedirect: false };
}

const key = new TextEncoder().encode("k");

test("a RESP3 tracking client gets `invalidate` pushes with the keys, or null after a flush", () => {
  const own = fakeSession({ id: 1, protocol: 3 });
  sendInvalidation(recipient(own), [key], () => undefined);
  sendInvalidation(recipient(own), null, () => undefined);
  assert.deepEqual(own.frames, [">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n", ">2\r\n$10\r\ninvalidate\r\n_\r\n"]);
});

test("a RESP2 redirect target subscribed to __redis__:invalidate gets Redis's message frames, $-1 for a flush", () => {
  const own = fakeSession({ id: 1, protocol: 2 });
  const target = fakeSession({ id: 2, protocol: 2, subscribed: true });
  sendInvalidation(recipient(own, 2), [key], (id) => (id === 2 ? target : undefined));
  sendInvalidation(recipient(own, 2), null, (id) => (id === 2 ? target : undefined));
  assert.deepEqual(target.frames, [
    "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$1\r\nk\r\n",
    "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n",
  ]);
  assert.deepEqual(own.frames, []);
});

test("RESP2 with nowhere to deliver (no redirect, or a target not subscribed) sends nothing", () => {
  const own = fakeSession({ id: 1, protocol: 2, subscribed: true });
  const target = fakeSession({ id: 2, protocol: 2 });
  sendInvalidation(recipient(own), [key], () => undefined);
  sendInvalidation(recipient(own, 2), [key], () => target);
  assert.deepEqual(own.frames, []);
  assert.deepEqual(target.frames, []);
});

test("a redirect target that is gone or of another tenant breaks the redirect: tracking-redir-broken each time, in RESP3 only", () => {
  const own = fakeSession({ id: 1, protocol: 3 });
  const stranger = fakeSession({ id: 2, protocol: 3, tenant: "other" });
  const state = recipient(own, 2);
  sendInvalidation(state, [key], () => undefined);
  sendInvalidation(state, [key], () => stranger);
  assert.equal(state.brokenRedirect, true);
  assert.deepEqual(own.frames, Array(2).fill(">2\r\n$21\r\ntracking-redir-broken\r\n:2\r\n"));
  assert.deepEqual(stranger.frames, []);
  const resp2 = fakeSession({ id: 3, protocol: 2 });
  sendInvalidation(recipient(resp2, 2), [key], () => undefined);
  assert.deepEqual(resp2.frames, []);
});

test("a tracking client that authenticated as another tenant since is told nothing of the first", () => {
  const own = fakeSession({ id: 1, protocol: 3, tenant: "moved" });
  sendInvalidation(recipient(own), [key], () => undefined);
  assert.deepEqual(own.frames, []);
});
