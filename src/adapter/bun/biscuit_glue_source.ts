// A Bun macro: runs when the bundle is built and inlines the Biscuit glue's
// JavaScript source as a string, for the private verifier instances of the
// compiled binary (src/auth/verifier_instance.ts). Importing the glue file
// itself as text or as a file would turn every import of it into that asset.
import { readFileSync } from "node:fs";

export function biscuitGlueSource(): string {
  return readFileSync(new URL("../../../node_modules/@biscuit-auth/biscuit-wasm/module/biscuit_bg.js", import.meta.url), "utf8");
}
