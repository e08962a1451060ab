// Redis's INCRBYFLOAT (and HINCRBYFLOAT) arithmetic, reproduced exactly.
// Redis parses with strtold, adds in x86-64 `long double` (80-bit extended:
// a 64-bit significand, exponents down to 2^-16445 with subnormals) and
// prints with "%.17Lf" minus trailing zeros (util.c string2ld, ld2string
// LD_STR_HUMAN). JavaScript has no such type, so values are kept exact as
// significand * 2^exponent in bigints and rounded the way the FPU would
// (round to nearest, ties to even). Only INCRBYFLOAT-sized work runs here.
import { byteString } from "../engine/bytes.ts";
import { MAX_NUMBER_TEXT_BYTES } from "./limits.ts";

/** A finite extended-precision value: (-1)^negative * significand * 2^exponent, significand < 2^64. */
export interface LongDouble {
  readonly negative: boolean;
  readonly significand: bigint;
  readonly exponent: number;
}

/** What strtold gives for a string Redis accepts: a finite value, or an infinity ("inf" is valid input). */
export type ParsedLongDouble = LongDouble | { readonly infinity: true; readonly negative: boolean };


const SIGNIFICAND_BITS = 64;
/** Smallest exponent of the significand's last bit (subnormals included): 2^-16445. */
const MIN_EXPONENT = -16445;
/** Largest exponent with a 64-bit significand below 2^16384. */
const MAX_EXPONENT = 16384 - SIGNIFICAND_BITS;
/** Decimal digits of "%.17Lf". */
const FRACTION_DIGITS = 17;
const FRACTION_SCALE = 10n ** BigInt(FRACTION_DIGITS);

const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?$/;
const DECIMAL = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;
const INFINITY = /^([+-]?)(?:inf|infinity)$/i;
const SPACE = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);

/**
 * string2ld: the value of `bytes`, or undefined when Redis answers "value is
 * not a valid float". Quirks kept: a leading space or any NUL is refused,
 * hex floats and "inf" are accepted, NaN and results that overflow or
 * underflow to zero are refused.
 */
export function parseLongDouble(bytes: Uint8Array): ParsedLongDouble | undefined {
  if (bytes.length === 0 || bytes.length >= MAX_NUMBER_TEXT_BYTES) return undefined;
  // strtold stops at a NUL, short of the end Redis checks for.
  if (SPACE.has(bytes[0]!) || bytes.includes(0)) return undefined;
  const text = byteString(bytes);

  const infinity = INFINITY.exec(text);
  if (infinity) return { infinity: true, negative: infinity[1] === "-" };

  const hex = HEX.exec(text);
  if (hex) {
    const [, sign, whole = "", fraction = "", power] = hex;
    if (whole.length + fraction.length === 0) return undefined; // "0x" alone parses as 0 then stops at "x"
    const mantissa = BigInt(`0x${whole}${fraction}`);
    const exponent = clampExponent(power, 1_000_000) - 4 * fraction.length;
    return finiteOrRefused(sign === "-", mantissa, { base: 2, exponent });
  }
  const decimal = DECIMAL.exec(text);
  if (decimal) {
    const [, sign, whole = "", fraction = "", power] = decimal;
    if (whole.length + fraction.length === 0) return undefined;
    const mantissa = BigInt(`${whole}${fraction}` || "0");
    const exponent = clampExponent(power, 100_000) - fraction.length;
    return finiteOrRefused(sign === "-", mantissa, { base: 10, exponent });
  }
  return undefined;
}

/** The exponent field, clamped: past the clamp every mantissa Redis accepts overflows or underflows anyway. */
function clampExponent(power: string | undefined, clamp: number): number {
  if (power === undefined) return 0;
  const value = Number(power);
  return Math.max(-clamp, Math.min(clamp, value));
}

/** mantissa * base^exponent rounded to a long double; undefined on overflow or underflow to zero (ERANGE). */
function finiteOrRefused(negative: boolean, mantissa: bigint, scale: { base: 2 | 10; exponent: number }): LongDouble | undefined {
  if (mantissa === 0n) return { negative, significand: 0n, exponent: 0 };
  const digits = scale.base === 10 ? mantissa.toString().length : mantissa.toString(2).length;
  const magnitude = digits + scale.exponent; // value < base^magnitude, >= base^(magnitude-1)
  // Decide the far cases without building huge powers: 1e4933 overflows, 1e-4952 underflows.
  if (scale.base === 10 ? magnitude - 1 > 4933 : magnitude - 1 > 16384) return undefined;
  if (scale.base === 10 ? magnitude < -4952 : magnitude < MIN_EXPONENT - 2) return undefined;
  const power = BigInt(scale.base) ** BigInt(Math.abs(scale.exponent));
  const rounded = scale.exponent >= 0 ? roundRational(mantissa * power, 1n) : roundRational(mantissa, power);
  if (rounded === undefined || rounded.significand === 0n) return undefined;
  return { negative, ...rounded };
}

/**
 * num/den (both positive) rounded to nearest, ties to even, to a 64-bit
 * significand with subnormals; undefined when it overflows.
 */
function roundRational(num: bigint, den: bigint): { significand: bigint; exponent: number } | undefined {
  // Choose the exponent so that the quotient has 64 bits (or fewer for subnormals).
  let exponent = bitLength(num) - bitLength(den) - SIGNIFICAND_BITS;
  let quotient = scaledQuotient(num, den, exponent);
  if (quotient.q >= 1n << 64n) {
    exponent++;
    quotient = scaledQuotient(num, den, exponent);
  } else if (quotient.q < 1n << 63n) {
    exponent--;
    quotient = scaledQuotient(num, den, exponent);
  }
  if (exponent < MIN_EXPONENT) {
    exponent = MIN_EXPONENT;
    quotient = scaledQuotient(num, den, exponent);
  }
  let { q } = quotient;
  const twice = quotient.remainder * 2n;
  if (twice > quotient.den || (twice === quotient.den && (q & 1n) === 1n)) q++;
  if (q === 1n << 64n) {
    q = 1n << 63n;
    exponent++;
  }
  if (exponent > MAX_EXPONENT) return undefined;
  return { significand: q, exponent };
}

/** floor(num / den / 2^exponent) and what is left, over the common denominator. */
function scaledQuotient(num: bigint, den: bigint, exponent: number): { q: bigint; remainder: bigint; den: bigint } {
  const n = exponent < 0 ? num << BigInt(-exponent) : num;
  const d = exponent > 0 ? den << BigInt(exponent) : den;
  const q = n / d;
  return { q, remainder: n - q * d, den: d };
}

function bitLength(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}

/** a + b as the FPU adds them; undefined when the sum overflows to infinity. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | undefined {
  const base = Math.min(a.exponent, b.exponent);
  const scaled = (x: LongDouble) => {
    const magnitude = x.significand << BigInt(x.exponent - base);
    return x.negative ? -magnitude : magnitude;
  };
  const sum = scaled(a) + scaled(b);
  // An exact zero is +0, except -0 + -0 (round to nearest).
  if (sum === 0n) return { negative: a.negative && b.negative && a.significand === 0n && b.significand === 0n, significand: 0n, exponent: 0 };
  const negative = sum < 0n;
  const magnitude = negative ? -sum : sum;
  const rounded = base >= 0 ? roundRational(magnitude << BigInt(base), 1n) : roundRational(magnitude, 1n << BigInt(-base));
  return rounded === undefined ? undefined : { negative, ...rounded };
}

/** ld2string LD_STR_HUMAN: "%.17Lf" with trailing zeros (and a bare '.') removed; "-0" becomes "0". */
export function formatLongDouble(value: LongDouble): string {
  let scaled: bigint;
  if (value.exponent >= 0) {
    scaled = (value.significand << BigInt(value.exponent)) * FRACTION_SCALE;
  } else {
    const shift = BigInt(-value.exponent);
    const num = value.significand * FRACTION_SCALE;
    scaled = num >> shift;
    const remainder = num - (scaled << shift);
    const half = 1n << (shift - 1n);
    if (remainder > half || (remainder === half && (scaled & 1n) === 1n)) scaled++;
  }
  const digits = scaled.toString().padStart(FRACTION_DIGITS + 1, "0");
  const whole = digits.slice(0, -FRACTION_DIGITS);
  const fraction = digits.slice(-FRACTION_DIGITS).replace(/0+$/, "");
  const text = (value.negative ? "-" : "") + whole + (fraction.length > 0 ? `.${fraction}` : "");
  return text === "-0" ? "0" : text;
}

/**
 * ceill(value * factor) as x86-64 computes it: the product rounded to a long
 * double first (so 0.001 * 1000 is just below 1), then rounded up to an
 * integer; undefined when the product is infinite. Redis turns a blocking
 * command's timeout in seconds into milliseconds this way.
 */
export function ceilOfProduct(value: ParsedLongDouble, factor: bigint): bigint | undefined {
  if ("infinity" in value) return undefined;
  if (value.significand === 0n || factor === 0n) return 0n;
  const exact = value.significand * factor;
  const rounded = value.exponent >= 0 ? roundRational(exact << BigInt(value.exponent), 1n) : roundRational(exact, 1n << BigInt(-value.exponent));
  if (rounded === undefined) return undefined;
  const { significand, exponent } = rounded;
  if (exponent >= 0) {
    const whole = significand << BigInt(exponent);
    return value.negative ? -whole : whole;
  }
  const shift = BigInt(-exponent);
  const whole = significand >> shift;
  const fractional = significand - (whole << shift) !== 0n;
  // Up: towards +inf, so a negative value's fraction is dropped.
  return value.negative ? -whole : whole + (fractional ? 1n : 0n);
}
