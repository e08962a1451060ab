// Waiting for clients to block: tests of blocking commands send one, then
// poll INFO clients until the server counts it as blocked before they write.
import assert from "node:assert/strict";
import type { RawClient } from "./raw_client.ts";

/** Polls INFO clients on `client` until `blocked_clients` is `n` (3 s at most). */
export async function waitBlocked(client: RawClient, n: number): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (true) {
    const reply = await client.call("INFO", "clients");
    if (reply.includes(`blocked_clients:${n}\r\n`)) return;
    if (Date.now() > deadline) assert.fail(`blocked_clients never reached ${n}: ${reply}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
