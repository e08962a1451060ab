// How long each token attack of issue 12 blocks the server now: the time of
// one AUTH (the event loop is blocked for its synchronous part), worst of 20,
// for the former reproductions and for the largest token the limits allow.
// Usage: bun scripts/auth_attack_timings.ts   (or deno run -A scripts/auth_attack_timings.ts)
import { loadBiscuit } from "../src/auth/biscuit_wasm.ts";
import { RevocationList } from "../src/auth/revocation_list.ts";
import { tokenAuthenticator } from "../src/auth/token_authenticator.ts";
import { MAX_BLOCKS, MAX_PREFIXES } from "../src/auth/token_limits.ts";
import { attenuateToken, generateRootKey, mintToken, parseRootKey, parseToken } from "../src/auth/tokens.ts";

const root = await parseRootKey(await generateRootKey());
const reasons: string[] = [];
const auth = await tokenAuthenticator({ root, revocations: new RevocationList(undefined) }, (reason) => reasons.push(reason));
const lib = await loadBiscuit();
const facts = (n: number) => Array.from({ length: n }, (_, i) => `f(${i});`).join(" ");
function withBlock(token: string, code: string): string {
  const block = lib.Biscuit.block_builder();
  block.addCode(code);
  return parseToken(lib, token, [root.publicKeyText]).appendBlock(block).toBase64();
}

const full = await mintToken(root, "kv_t");
const readOnly = await mintToken(root, "kv_t", { readOnly: true });
let largest = await attenuateToken(full, [root.publicKeyText], { prefixes: Array.from({ length: MAX_PREFIXES }, (_, i) => `prefix-${String(i).padStart(3, "0")}:`) });
for (let i = 2; i < MAX_BLOCKS; i++) largest = await attenuateToken(largest, [root.publicKeyText], { readOnly: true });
const cases: [string, string][] = [
  ["item 3: 100 facts + 4-way join check (was 141 s per GET)", withBlock(readOnly, `${facts(100)} check if f($a), f($b), f($c), f($d), $a + $b + $c + $d == -1 or operation("read");`)],
  ["item 4: 60 facts + 4-way join rule (was 58 s, 4.26 GB at AUTH)", withBlock(readOnly, `${facts(60)} g($a,$b,$c,$d) <- f($a), f($b), f($c), f($d);`)],
  ["item 2: 1,000 prefixes, 57 KB (was 6.8 MB of heap per AUTH)", await attenuateToken(full, [root.publicKeyText], { prefixes: Array.from({ length: 1_000 }, (_, i) => `p${i}:`) })],
  ["item 15: token repeated 20,000 times, 5 MB (was 0.33 s)", full.repeat(20_000)],
  [`largest accepted: ${MAX_PREFIXES} prefixes, ${MAX_BLOCKS} blocks (${largest.length} chars)`, largest],
  ["a plain minted token", full],
];
for (const [name, token] of cases) {
  const secret = new TextEncoder().encode(token);
  const times: number[] = [];
  let outcome = "";
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    const result = await auth.authenticate(undefined, secret);
    times.push(performance.now() - start);
    outcome = result === undefined ? `refused (${reasons.at(-1)?.slice(0, 90)})` : typeof result === "object" && "tenant" in result ? "accepted" : JSON.stringify(result);
  }
  times.sort((a, b) => a - b);
  console.log(`${name}: ${outcome}; median ${times[10]!.toFixed(2)} ms, worst ${times[19]!.toFixed(2)} ms`);
}
