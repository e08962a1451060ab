// Which strings Redis's containers store as integers: those string2ll
// accepts (util.c), the canonical decimal text of a signed 64-bit integer:
// no '+', no leading zero, no "-0", at most 20 characters.

const ZERO = 0x30;
const NINE = 0x39;
const MINUS = 0x2d;
const INT64_MAX = 0x7fff_ffff_ffff_ffffn;
const INT64_MIN = -0x8000_0000_0000_0000n;

/** The integer `bytes` spell canonically, or undefined. */
export function canonicalInt64(bytes: Uint8Array): bigint | undefined {
  const len = bytes.length;
  if (len === 0 || len > 20) return undefined;
  if (len === 1 && bytes[0] === ZERO) return 0n;
  let i = 0;
  const negative = bytes[0] === MINUS;
  if (negative) i++;
  if (i === len || bytes[i]! < ZERO + 1 || bytes[i]! > NINE) return undefined;
  // Up to 15 digits fit a double exactly; longer ones go through a bigint.
  let small = 0;
  for (let k = i; k < len; k++) {
    const c = bytes[k]!;
    if (c < ZERO || c > NINE) return undefined;
    small = small * 10 + (c - ZERO);
  }
  const value = len - i <= 15 ? BigInt(small) : BigInt(new TextDecoder().decode(bytes.subarray(i)));
  const signed = negative ? -value : value;
  return signed > INT64_MAX || signed < INT64_MIN ? undefined : signed;
}
