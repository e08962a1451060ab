// Reading argv: byte-level helpers shared by every command's parse, so no
// command hand-rolls number parsing or case folding.

const DECODER = new TextDecoder();
const ENCODER = new TextEncoder();

export { parseInt64 } from "../model/integers.ts";
import { parseInt64 } from "../model/integers.ts";

export function text(bytes: Uint8Array): string {
  return DECODER.decode(bytes);
}

export function bytesOf(value: string): Uint8Array {
  return ENCODER.encode(value);
}

/** ASCII upper-case of an option word, for case-insensitive matching. */
export function upper(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    out += String.fromCharCode(c >= 0x61 && c <= 0x7a ? c - 32 : c);
  }
  return out;
}

/** ASCII lower-case, for command names. */
export function lower(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    out += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c + 32 : c);
  }
  return out;
}

/** parseInt64 as a number, when the caller needs a safe integer (counts, indexes, times). */
export function parseSafeInteger(bytes: Uint8Array): number | undefined {
  const value = parseInt64(bytes);
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Clamps an int64 to the safe-integer range (for indexes where only the sign and magnitude matter). */
export function parseClampedInteger(bytes: Uint8Array): number | undefined {
  const value = parseInt64(bytes);
  if (value === undefined) return undefined;
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  if (value < BigInt(Number.MIN_SAFE_INTEGER)) return Number.MIN_SAFE_INTEGER;
  return Number(value);
}


const UINT64_MAX = 18446744073709551615n;

/**
 * A SCAN-family cursor as Redis reads it (strtoull): an optional sign then
 * digits, or nothing at all (0); a negative number wraps around; overflow
 * is invalid (undefined).
 */
export function parseCursor(bytes: Uint8Array): bigint | undefined {
  if (bytes.length === 0) return 0n;
  const sign = bytes[0] === 0x2d || bytes[0] === 0x2b ? 1 : 0;
  if (bytes.length === sign) return undefined;
  for (let i = sign; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c < 0x30 || c > 0x39) return undefined;
  }
  const magnitude = BigInt(text(bytes.subarray(sign)));
  if (magnitude > UINT64_MAX) return undefined;
  return bytes[0] === 0x2d && magnitude !== 0n ? UINT64_MAX + 1n - magnitude : magnitude;
}
