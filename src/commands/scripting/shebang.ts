// The first line of a script that starts with `#!`: `#!lua flags=no-writes,allow-oom`
// declares what the script does (Redis 7). Without it, a script runs in
// compatibility mode: it may write.
import { ErrorReply } from "../../resp/reply.ts";

/** The flags a script or function may declare, in the order Redis lists them. */
export const SCRIPT_FLAG_NAMES = ["no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"] as const;
export type ScriptFlagName = (typeof SCRIPT_FLAG_NAMES)[number];

export interface ShebangFlags {
  /** The script starts with a shebang (then *_RO needs `no-writes`; without one, writes are refused one by one). */
  readonly shebang: boolean;
  /** `no-writes`: the script may run with *_RO, and write commands are refused. */
  readonly noWrites: boolean;
  /** The flags declared, empty without a shebang. */
  readonly declared: readonly ScriptFlagName[];
}

const COMPATIBILITY_MODE: ShebangFlags = { shebang: false, noWrites: false, declared: [] };
const decoder = new TextDecoder();

/** The flags of `body`'s shebang, or the error Redis gives for a bad one. */
export function readShebang(body: Uint8Array): ShebangFlags | ErrorReply {
  if (body.length < 2 || body[0] !== 0x23 || body[1] !== 0x21) return COMPATIBILITY_MODE;
  const end = body.indexOf(0x0a);
  if (end < 0) return new ErrorReply("ERR Invalid script shebang");
  const parts = decoder.decode(body.subarray(0, end)).split(" ").filter((part) => part !== "");
  if (parts[0] !== "#!lua") return new ErrorReply(`ERR Unexpected engine in script shebang: ${parts[0]}`);
  const declared: ScriptFlagName[] = [];
  for (const part of parts.slice(1)) {
    if (!part.startsWith("flags=")) return new ErrorReply(`ERR Unknown lua shebang option: ${part}`);
    for (const flag of part.slice("flags=".length).split(",")) {
      if (flag === "") continue;
      if (!(SCRIPT_FLAG_NAMES as readonly string[]).includes(flag)) return new ErrorReply(`ERR Unexpected flag in script shebang: ${flag}`);
      declared.push(flag as ScriptFlagName);
    }
  }
  return { shebang: true, noWrites: declared.includes("no-writes"), declared };
}

/** The code Lua compiles: the shebang line becomes a comment, so line numbers stay those of the body. */
export function compilableBody(body: Uint8Array): Uint8Array {
  if (body.length < 2 || body[0] !== 0x23 || body[1] !== 0x21) return body;
  const code = body.slice();
  code[0] = 0x2d;
  code[1] = 0x2d;
  return code;
}
