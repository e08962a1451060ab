// Memory under many AUTHs (issue 12 item 2): runs N token AUTHs through the
// server's authenticator (default 1,000,000) and prints the verifier's wasm
// heap and the process RSS every 10%, to show both flat.
// Usage: bun scripts/auth_memory.ts [N]   (or deno run -A scripts/auth_memory.ts [N])
import { RevocationList } from "../src/auth/revocation_list.ts";
import { tokenAuthenticator } from "../src/auth/token_authenticator.ts";
import { attenuateToken, generateRootKey, mintToken, parseRootKey } from "../src/auth/tokens.ts";

const total = Number(process.argv[2] ?? 1_000_000);
const root = await parseRootKey(await generateRootKey());
const auth = await tokenAuthenticator({ root, revocations: new RevocationList(undefined) });
const token = await attenuateToken(await mintToken(root, "kv_mem"), [root.publicKeyText], { readOnly: true, prefixes: ["user:", "cache:"] });
const secret = new TextEncoder().encode(token);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function report(done: number, startMs: number): Promise<void> {
  const heap = await auth.verifier.heapBytes();
  const rate = done === 0 ? "" : ` ${((performance.now() - startMs) / done * 1000).toFixed(0)} us/AUTH`;
  console.log(`${String(done).padStart(8)} AUTHs: wasm heap ${mib(heap)}, RSS ${mib(process.memoryUsage().rss)}, instances retired ${auth.verifier.retired}${rate}`);
}

// Warm up (first instance, JIT) before the "before" figure.
for (let i = 0; i < 1_000; i++) await auth.authenticate(undefined, secret);
const start = performance.now();
await report(0, start);
for (let done = 1; done <= total; done++) {
  const principal = await auth.authenticate(undefined, secret);
  if (principal === undefined || typeof principal !== "object" || !("tenant" in principal)) throw new Error(`AUTH ${done} failed: ${JSON.stringify(principal)}`);
  if (done % (total / 10) === 0) await report(done, start);
}
