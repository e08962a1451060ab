// Sorted-set scores as text and as ordered bytes.
//
// Parsing follows C's strtod, which Redis uses in two ways: scores and
// increments (getDoubleFromObject: the whole argument, no leading space, no
// NaN, no overflow to ±inf nor underflow to 0) and range bounds
// (zslParseRange: strtod alone, so leading spaces, an empty string (0) and
// overflows (±inf) pass). Printing is Redis 7.0's "%.17g".
// The byte encoding orders like the numbers (FoundationDB's tuple transform
// of IEEE doubles); -0 is stored as 0, which Redis compares equal to it.
import { byteString } from "../engine/bytes.ts";

const DECIMAL = /^([+-]?)(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INFINITY = /^([+-]?)(?:inf|infinity)$/i;
const NAN = /^[+-]?nan(?:\([0-9A-Za-z_]*\))?$/i;
const SPACE = /^[ \t\n\v\f\r]+/;

interface Strtod {
  readonly value: number;
  /** errno = ERANGE: the text overflowed to ±inf or underflowed to 0. */
  readonly outOfRange: boolean;
}

/** strtod over the whole text (eptr at the end), or undefined when it stops short. */
function strtod(text: string): Strtod | undefined {
  if (INFINITY.test(text)) return { value: text.startsWith("-") ? -Infinity : Infinity, outOfRange: false };
  if (NAN.test(text)) return { value: NaN, outOfRange: false };
  const decimal = DECIMAL.exec(text);
  if (decimal) {
    const value = Number(text);
    const nonZero = /[1-9]/.test(decimal[2]!);
    return { value, outOfRange: !Number.isFinite(value) || (value === 0 && nonZero) };
  }
  const hex = HEX.exec(text);
  if (hex) {
    const [, sign, whole = "", fraction = "", power = "0"] = hex;
    if (whole.length + fraction.length === 0) return undefined;
    const mantissa = Number(BigInt(`0x${whole}${fraction}` || "0"));
    const exponent = Math.max(-2000, Math.min(2000, Number(power))) - 4 * fraction.length;
    const magnitude = mantissa * 2 ** exponent;
    const value = sign === "-" ? -magnitude : magnitude;
    return { value, outOfRange: !Number.isFinite(value) || (value === 0 && mantissa !== 0) };
  }
  return undefined;
}

/** A score or increment as ZADD, ZINCRBY and WEIGHTS read it; undefined: "not a valid float". */
export function parseScore(bytes: Uint8Array): number | undefined {
  if (bytes.length === 0 || bytes.includes(0)) return undefined;
  const text = byteString(bytes);
  if (SPACE.test(text)) return undefined;
  const parsed = strtod(text);
  if (parsed === undefined || parsed.outOfRange || Number.isNaN(parsed.value)) return undefined;
  return parsed.value === 0 ? 0 : parsed.value;
}

/** A bound of ZRANGEBYSCORE and ZCOUNT, after its "(": strtod's rules; undefined when invalid. */
export function parseBoundScore(bytes: Uint8Array): number | undefined {
  // strtod stops at a NUL, which Redis takes for the end of the argument.
  const nul = bytes.indexOf(0);
  const text = byteString(nul < 0 ? bytes : bytes.subarray(0, nul));
  if (text.length === 0) return 0; // no conversion, and eptr is at the end
  const parsed = strtod(text.replace(SPACE, ""));
  if (parsed === undefined || Number.isNaN(parsed.value)) return undefined;
  return parsed.value === 0 ? 0 : parsed.value;
}

/** A score as Redis 7.0 prints it: "%.17g" ("0.10000000000000001", "1e+20", "inf"). */
export function formatScore(score: number): string {
  if (Number.isNaN(score)) return "nan";
  if (score === Infinity) return "inf";
  if (score === -Infinity) return "-inf";
  if (score === 0) return Object.is(score, -0) ? "-0" : "0";
  const exponential = score.toExponential(16);
  const e = exponential.indexOf("e");
  const exponent = Number(exponential.slice(e + 1));
  if (exponent < -4 || exponent >= 17) {
    const mantissa = stripZeros(exponential.slice(0, e));
    const magnitude = Math.abs(exponent);
    return `${mantissa}e${exponent < 0 ? "-" : "+"}${magnitude < 10 ? "0" : ""}${magnitude}`;
  }
  return stripZeros(score.toFixed(16 - exponent));
}

function stripZeros(text: string): string {
  if (!text.includes(".")) return text;
  return text.replace(/\.?0+$/, "");
}

// One shared 8-byte view for the conversions: a DataView over each new array
// would make the engine materialise its ArrayBuffer, a measurable part of a ZADD.
const SCRATCH = new DataView(new ArrayBuffer(8));
const SCRATCH_BYTES = new Uint8Array(SCRATCH.buffer);

/** The 8 bytes of `score` that sort like scores (big-endian IEEE, sign flipped; negatives inverted). */
export function encodeScore(score: number): Uint8Array {
  SCRATCH.setFloat64(0, score === 0 ? 0 : score);
  const out = new Uint8Array(8);
  if (SCRATCH_BYTES[0]! & 0x80) for (let i = 0; i < 8; i++) out[i] = ~SCRATCH_BYTES[i]! & 0xff;
  else {
    out.set(SCRATCH_BYTES);
    out[0] = out[0]! | 0x80;
  }
  return out;
}

/** The score of encodeScore's bytes (the first 8 of `bytes`, from `offset`). */
export function decodeScore(bytes: Uint8Array, offset = 0): number {
  if (bytes[offset]! & 0x80) {
    for (let i = 0; i < 8; i++) SCRATCH_BYTES[i] = bytes[offset + i]!;
    SCRATCH_BYTES[0] = SCRATCH_BYTES[0]! & 0x7f;
  } else {
    for (let i = 0; i < 8; i++) SCRATCH_BYTES[i] = ~bytes[offset + i]! & 0xff;
  }
  return SCRATCH.getFloat64(0);
}
