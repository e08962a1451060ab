// What the security tests share: hand-made tokens an attacker could build
// offline from a valid token (extra blocks of any Datalog, edited bytes),
// and a timer for "the server answered, and quickly".
import { loadBiscuit } from "../../src/auth/biscuit_wasm.ts";
import { parseToken } from "../../src/auth/tokens.ts";

/** `token` with one more block holding `code`: what anyone holding a token can do offline. */
export async function withBlock(token: string, publicKey: string, code: string): Promise<string> {
  const lib = await loadBiscuit();
  const block = lib.Biscuit.block_builder();
  block.addCode(code);
  return parseToken(lib, token, [publicKey]).appendBlock(block).toBase64();
}

/** Milliseconds `body` took, with its result. */
export async function timed<T>(body: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await body();
  return { ms: performance.now() - start, value };
}

export function base64UrlToBytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "base64url"));
}

export function bytesToBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url");
}

/** The facts f(0) .. f(n-1), as Datalog source. */
export function facts(n: number): string {
  return Array.from({ length: n }, (_, i) => `f(${i});`).join(" ");
}
