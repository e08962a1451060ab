// AUTH cost: verifying and compiling a token, per AUTH, for a 1-block and a 2-block token.
// Usage: bun scripts/auth_cost.ts   (or deno run -A scripts/auth_cost.ts)
import { generateRootKey, parseRootKey, mintToken, attenuateToken } from "../src/auth/tokens.ts";
import { tokenAuthenticator } from "../src/auth/token_authenticator.ts";
import { RevocationList } from "../src/auth/revocation_list.ts";
const root = await parseRootKey(await generateRootKey());
const auth = await tokenAuthenticator({ root, revocations: new RevocationList(undefined) });
const one = await mintToken(root, "t");
const two = await attenuateToken(one, [root.publicKeyText], { readOnly: true, prefixes: ["user:"] });
const enc = new TextEncoder();
for (const [name, token] of [["1 block", one], ["2 blocks", two]] as const) {
  const bytes = enc.encode(token);
  for (let i = 0; i < 50; i++) await auth.authenticate(undefined, bytes);
  const n = 1000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) if (!(await auth.authenticate(undefined, bytes))) throw new Error("refused");
  console.log(`${name}: ${((performance.now() - t0) / n).toFixed(3)} ms per AUTH`);
}
