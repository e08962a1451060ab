// The Lua chunks every state loads before the `redis` API, in order: the
// libraries Redis exposes (they capture the 5.4 functions they use, such as
// string.pack, first), then the Lua 5.1 compatibility patches (which remove
// those 5.4 names from the globals), then the sandbox.
import { BIT_LUA } from "./bit.ts";
import { CJSON_LUA } from "./cjson.ts";
import { CMSGPACK_LUA } from "./cmsgpack.ts";
import { COMPAT_LUA } from "./compat.ts";
import { SANDBOX_LUA } from "./sandbox.ts";
import { STRUCT_LUA } from "./struct.ts";

export interface LibraryChunk {
  readonly name: string;
  readonly source: string;
  /** What the chunk is called with: cjson's null (a NULL light userdata), or the real global table. */
  readonly argument?: "null" | "globals";
  /**
   * "library": scripts reach the returned table by `name` (cjson...);
   * "compat" and "sandbox": the harness (redis_api_lua.ts) is given it.
   */
  readonly role: "library" | "compat" | "sandbox";
}

export const LIBRARY_CHUNKS: readonly LibraryChunk[] = [
  { name: "cjson", source: CJSON_LUA, argument: "null", role: "library" },
  { name: "cmsgpack", source: CMSGPACK_LUA, role: "library" },
  { name: "bit", source: BIT_LUA, role: "library" },
  { name: "struct", source: STRUCT_LUA, role: "library" },
  { name: "compat", source: COMPAT_LUA, argument: "globals", role: "compat" },
  { name: "sandbox", source: SANDBOX_LUA, role: "sandbox" },
];
