// FoundationDB's ADD mutation with an 8-byte operand: the stored value is
// read as a little-endian integer (a missing key is 0; a shorter value is
// zero-extended, a longer one truncated, as FDB does to match the operand's
// length), the delta is added and the sum wraps at 64 bits.
import type { Bytes } from "./contract.ts";
import { readBigInt64LE, readBigUint64LE, writeBigInt64LE } from "./little_endian.ts";

/** Width of the operand, and so of every value that ADD writes. */
export const ADD_VALUE_BYTES = 8;

/** The value of `base` (possibly missing) plus `delta`, as 8 little-endian bytes. */
export function addToValue(base: Bytes | undefined, delta: bigint): Bytes {
  let current = 0n;
  if (base !== undefined) {
    current =
      base.length >= ADD_VALUE_BYTES
        ? readBigUint64LE(base, 0)
        : littleEndian(base);
  }
  const out = new Uint8Array(ADD_VALUE_BYTES);
  writeBigInt64LE(out, 0, current + delta);
  return out;
}

/** Two deltas as one: ADD is associative modulo 2^64. */
export function combineDeltas(a: bigint, b: bigint): bigint {
  return BigInt.asIntN(64, a + b);
}

/** Reads an 8-byte little-endian signed integer, as tests and counters do. */
export function decodeInt64(value: Bytes): bigint {
  if (value.length < ADD_VALUE_BYTES) return littleEndian(value);
  return readBigInt64LE(value, 0);
}

function littleEndian(value: Bytes): bigint {
  let n = 0n;
  for (let i = value.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(value[i]!);
  return n;
}

/** An 8-byte little-endian two's-complement encoding of `n` (wrapped to 64 bits). */
export function encodeInt64(n: bigint): Bytes {
  const out = new Uint8Array(ADD_VALUE_BYTES);
  writeBigInt64LE(out, 0, n);
  return out;
}
