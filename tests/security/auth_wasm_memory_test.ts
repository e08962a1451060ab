// Issue 12 item 2: the Biscuit library's allocator keeps 2-10 KB of wasm heap
// per AUTH even after free() (136 MB per 20,000 AUTHs); at the 4 GiB wasm
// limit every AUTH answered WRONGPASS. The verifier now replaces its instance
// when the heap passes a limit, so 20,000 AUTHs leave the heap under it.
// scripts/auth_memory.ts runs 1,000,000 and prints heap and RSS.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { RevocationList } from "../../src/auth/revocation_list.ts";
import { tokenAuthenticator } from "../../src/auth/token_authenticator.ts";
import { attenuateToken, generateRootKey, mintToken, parseRootKey } from "../../src/auth/tokens.ts";
import { VerifierInstance } from "../../src/auth/verifier_instance.ts";

const AUTHS = 20_000;
const HEAP_LIMIT = 16 * 1024 * 1024;
/** One AUTH of the largest allowed token adds well under this (token_limits.ts). */
const ONE_AUTH_MAX = 2 * 1024 * 1024;

describe("wasm heap under many AUTHs", () => {
  test(`${AUTHS} AUTHs of a 2-block prefix token keep the verifier's heap under its limit, every one succeeding`, async () => {
    const root = await parseRootKey(await generateRootKey());
    const verifier = new VerifierInstance({ heapLimitBytes: HEAP_LIMIT });
    const auth = await tokenAuthenticator({ root, revocations: new RevocationList(undefined), verifier });
    const token = await attenuateToken(await mintToken(root, "kv_mem"), [root.publicKeyText], { readOnly: true, prefixes: ["user:", "cache:"] });
    const secret = new TextEncoder().encode(token);
    let peak = 0;
    for (let i = 0; i < AUTHS; i++) {
      const principal = await auth.authenticate(undefined, secret);
      assert.ok(principal !== undefined && typeof principal === "object" && "tenant" in principal && principal.tenant === "kv_mem", `AUTH ${i} failed`);
      if (i % 100 === 0) peak = Math.max(peak, await verifier.heapBytes());
    }
    assert.ok(verifier.retired >= 1, "a 2-block AUTH leaks several KB: 20,000 of them pass 16 MiB at least once");
    assert.ok(peak <= HEAP_LIMIT + ONE_AUTH_MAX, `heap peaked at ${peak} bytes`);
  });
});
