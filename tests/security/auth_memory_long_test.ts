// Issue 12 item 2, at full length: 1,000,000 AUTHs through the server's
// authenticator keep the verifier's wasm heap under its limit and the
// process's memory flat (no growth from the first half to the second).
// About 10 minutes, so it runs only when asked: MATERIA_LONG_TESTS=1
// (npm run test:long). tests/security/auth_wasm_memory_test.ts runs 20,000 in
// every suite; scripts/auth_memory.ts prints the figures.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { RevocationList } from "../../src/auth/revocation_list.ts";
import { tokenAuthenticator } from "../../src/auth/token_authenticator.ts";
import { VERIFIER_HEAP_LIMIT_BYTES } from "../../src/auth/token_limits.ts";
import { attenuateToken, generateRootKey, mintToken, parseRootKey } from "../../src/auth/tokens.ts";
import { VerifierInstance } from "../../src/auth/verifier_instance.ts";

const AUTHS = 1_000_000;
const SAMPLES = 20;
/** One AUTH of the largest allowed token adds well under this to the heap. */
const ONE_AUTH_MAX = 2 * 1024 * 1024;
/** RSS in the second half may exceed the first half's peak by this factor at most (garbage not yet collected). */
const RSS_GROWTH_ALLOWED = 1.25;

const skip = process.env.MATERIA_LONG_TESTS === "1" ? false : "long test: set MATERIA_LONG_TESTS=1 (npm run test:long)";

describe("1,000,000 AUTHs", { skip }, () => {
  test("the verifier's heap stays under its limit and RSS stays flat", { timeout: 40 * 60_000 }, async () => {
    const root = await parseRootKey(await generateRootKey());
    const verifier = new VerifierInstance();
    const auth = await tokenAuthenticator({ root, revocations: new RevocationList(undefined), verifier });
    const token = await attenuateToken(await mintToken(root, "kv_mem"), [root.publicKeyText], { readOnly: true, prefixes: ["user:", "cache:"] });
    const secret = new TextEncoder().encode(token);
    const rss: number[] = [];
    for (let done = 1; done <= AUTHS; done++) {
      const principal = await auth.authenticate(undefined, secret);
      assert.ok(principal !== undefined && typeof principal === "object" && "tenant" in principal, `AUTH ${done} failed`);
      if (done % (AUTHS / SAMPLES) === 0) {
        const heap = await verifier.heapBytes();
        assert.ok(heap <= VERIFIER_HEAP_LIMIT_BYTES + ONE_AUTH_MAX, `after ${done} AUTHs the heap is ${heap} bytes`);
        rss.push(process.memoryUsage().rss);
      }
    }
    // The first tenth warms up (JIT, the first instances); then the second half must not outgrow the first.
    const firstHalf = Math.max(...rss.slice(SAMPLES / 10, SAMPLES / 2));
    const secondHalf = Math.max(...rss.slice(SAMPLES / 2));
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
    assert.ok(
      secondHalf <= firstHalf * RSS_GROWTH_ALLOWED,
      `RSS grew from a peak of ${mib(firstHalf)} in the first half to ${mib(secondHalf)} in the second (samples: ${rss.map(mib).join(", ")})`,
    );
    assert.ok(verifier.retired > 10, "the heap limit was reached and instances replaced");
  });
});
