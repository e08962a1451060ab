// Intsets, the sorted integer arrays Redis keeps small sets of integers in
// (src/intset.c):
//
//   encoding u32 LE (2, 4 or 8: bytes per value) | length u32 LE | values, ascending, LE
//
// Written with the narrowest encoding that holds every value, as Redis does.

/** Why a blob is not an intset. */
export class IntsetError extends Error {}

const HEADER = 8;

/** The values of an intset blob, ascending; throws IntsetError when malformed (size, encoding, order). */
export function decodeIntset(buf: Uint8Array): bigint[] {
  if (buf.length < HEADER) throw new IntsetError("intset too short");
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const width = view.getUint32(0, true);
  const count = view.getUint32(4, true);
  if (width !== 2 && width !== 4 && width !== 8) throw new IntsetError(`bad intset encoding ${width}`);
  if (buf.length !== HEADER + width * count) throw new IntsetError("intset size does not match its header");
  const out: bigint[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const at = HEADER + i * width;
    const v = width === 2 ? BigInt(view.getInt16(at, true)) : width === 4 ? BigInt(view.getInt32(at, true)) : view.getBigInt64(at, true);
    if (i > 0 && v <= out[i - 1]!) throw new IntsetError("intset values not strictly ascending");
    out[i] = v;
  }
  return out;
}

/** An intset blob of `values` (any order, no duplicates), with the narrowest encoding. */
export function encodeIntset(values: readonly bigint[]): Uint8Array {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let width = 2;
  for (const v of sorted) {
    if (v < -2147483648n || v > 2147483647n) width = 8;
    else if ((v < -32768n || v > 32767n) && width < 4) width = 4;
  }
  const out = new Uint8Array(HEADER + width * sorted.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, width, true);
  view.setUint32(4, sorted.length, true);
  sorted.forEach((v, i) => {
    const at = HEADER + i * width;
    if (width === 2) view.setInt16(at, Number(v), true);
    else if (width === 4) view.setInt32(at, Number(v), true);
    else view.setBigInt64(at, v, true);
  });
  return out;
}
