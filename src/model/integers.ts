// Integers as Redis reads them (util.c string2ll) and the int64 range.

const DECODER = new TextDecoder();

export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;

/**
 * Redis's string2ll: optional '-', decimal digits, no leading zeros, no '+',
 * no spaces, within int64. Undefined when `bytes` is not such an integer.
 */
export function parseInt64(bytes: Uint8Array): bigint | undefined {
  const n = bytes.length;
  if (n === 0 || n > 20) return undefined;
  const negative = bytes[0] === 0x2d;
  const i = negative ? 1 : 0;
  if (i === n) return undefined;
  const first = bytes[i]!;
  if (first === 0x30) return n === 1 ? 0n : undefined; // "0" only: "-0" and "01" are rejected
  if (first < 0x31 || first > 0x39) return undefined;
  let small = 0;
  for (let j = i; j < n; j++) {
    const c = bytes[j]!;
    if (c < 0x30 || c > 0x39) return undefined;
    small = small * 10 + (c - 0x30);
  }
  // Up to 15 digits a double is exact: skip bigint parsing on the hot path.
  if (n - i <= 15) return BigInt(negative ? -small : small);
  const value = BigInt(DECODER.decode(bytes));
  return value > INT64_MAX || value < INT64_MIN ? undefined : value;
}

