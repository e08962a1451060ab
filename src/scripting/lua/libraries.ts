// The Lua chunks every state loads before the `redis` API, in order: the
// Lua 5.1 compatibility patches first (they change globals the others
// capture), then the libraries Redis exposes, then the sandbox.
import { INTERIM_SANDBOX_LUA } from "./interim_sandbox.ts";

export interface LibraryChunk {
  readonly name: string;
  readonly source: string;
  /** What the chunk is called with: cjson's null (a NULL light userdata), or the real global table. */
  readonly argument?: "null" | "globals";
  /** The global name scripts reach the returned table by; absent for the compatibility patches and the sandbox. */
  readonly exposedAs?: string;
}

export const LIBRARY_CHUNKS: readonly LibraryChunk[] = [
  { name: "sandbox", source: INTERIM_SANDBOX_LUA },
];
