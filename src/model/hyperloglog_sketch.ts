// A HyperLogLog in Redis's own bytes (hyperloglog.c), so that a value copied
// from Redis (GET, then SET) works here and back, and PFCOUNT gives Redis's
// exact number. Layout:
//   header, 16 bytes: "HYLL", encoding (0 dense, 1 sparse), 3 unused bytes,
//     the cached cardinality (8 bytes little-endian; bit 7 of the last byte
//     set = the cache is stale);
//   dense: 16384 registers of 6 bits, register i at bit 6i, LSB first;
//   sparse: opcodes ZERO 00xxxxxx (1-64 zero registers), XZERO 01xxxxxx
//     yyyyyyyy (1-16384), VAL 1vvvvvxx (value 1-32, run 1-4).
// The sparse encoding is not canonical: its bytes depend on the order of
// the updates, so the sparse update below follows Redis's hllSparseSet step
// by step (split in place, then merge adjacent VALs in a window of 5
// opcodes), as does the promotion to dense past 3000 bytes.
import { murmurHash64A } from "./murmur_hash64a.ts";

export const HLL_P = 14;
export const HLL_REGISTERS = 1 << HLL_P;
const HLL_Q = 64 - HLL_P;
const REGISTER_MAX = 63;
export const HLL_HEADER_BYTES = 16;
export const HLL_DENSE_BYTES = HLL_HEADER_BYTES + (HLL_REGISTERS * 6) / 8;
const ENCODING_DENSE = 0;
const ENCODING_SPARSE = 1;
const ENCODING_BYTE = 4;
const CACHE_FLAG_BYTE = 15;
/** Redis's `hll-sparse-max-bytes` default: a sparse value (header included) never grows past it. */
export const HLL_SPARSE_MAX_BYTES = 3000;
const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;
const HASH_SEED = 0xadc83b19;
/** 0.5 / ln 2: the estimator's α for m → ∞. */
const ALPHA_INF = 0.72134752044448170368;
const MAGIC = [0x48, 0x59, 0x4c, 0x4c]; // "HYLL"

const isZero = (op: number) => (op & 0xc0) === 0;
const isXZero = (op: number) => (op & 0xc0) === 0x40;
const isVal = (op: number) => (op & 0x80) !== 0;
const zeroLen = (op: number) => (op & 0x3f) + 1;
const xzeroLen = (op: number, next: number) => (((op & 0x3f) << 8) | next) + 1;
const valValue = (op: number) => ((op >> 2) & 0x1f) + 1;
const valLen = (op: number) => (op & 0x3) + 1;
const valOp = (value: number, len: number) => (((value - 1) << 2) | (len - 1) | 0x80);

/**
 * Walks a sparse encoding's opcodes in order, calling `visit` with each
 * stretch of registers that share a value (0 for ZERO and XZERO). With
 * `stopPastEnd` it stops before a VAL run that would pass the last register,
 * as hllSparseToDense and hllMerge do (hllSparseRegHisto does not). Returns
 * the registers covered: anything but HLL_REGISTERS means a corrupt encoding.
 */
function walkSparse(
  bytes: Uint8Array,
  end: number,
  visit: (index: number, length: number, value: number) => void,
  stopPastEnd: boolean,
): number {
  let index = 0;
  for (let p = HLL_HEADER_BYTES; p < end;) {
    const op = bytes[p]!;
    let length: number;
    let value = 0;
    if (isZero(op)) {
      length = zeroLen(op);
      p++;
    } else if (isXZero(op)) {
      length = xzeroLen(op, bytes[p + 1] ?? 0);
      p += 2;
    } else {
      length = valLen(op);
      if (stopPastEnd && index + length > HLL_REGISTERS) break;
      value = valValue(op);
      p++;
    }
    visit(index, length, value);
    index += length;
  }
  return index;
}

/** Whether `value` is a HyperLogLog as Redis's isHLLObjectOrReply checks it: magic, encoding, dense size. */
export function isHllValue(value: Uint8Array): boolean {
  if (value.length < HLL_HEADER_BYTES) return false;
  for (let i = 0; i < 4; i++) if (value[i] !== MAGIC[i]) return false;
  const encoding = value[ENCODING_BYTE]!;
  if (encoding > ENCODING_SPARSE) return false;
  return encoding !== ENCODING_DENSE || value.length === HLL_DENSE_BYTES;
}

/** The register index and the run length (1 + trailing zeros, at most 51) of an element, as hllPatLen computes them. */
export function patternOf(element: Uint8Array): { readonly index: number; readonly count: number } {
  const { hi, lo } = murmurHash64A(element, HASH_SEED);
  const index = lo & (HLL_REGISTERS - 1);
  // hash >> 14 with bit 50 forced to 1, as two halves.
  const low = ((lo >>> HLL_P) | (hi << (32 - HLL_P))) >>> 0;
  const high = (hi >>> HLL_P) | (1 << (HLL_Q - 32));
  const zeros = low !== 0 ? 31 - Math.clz32(low & -low) : 32 + 31 - Math.clz32(high & -high);
  return { index, count: zeros + 1 };
}

/** Register `index` of dense registers starting at `offset` of `bytes` (one spare byte after them). */
function denseGet(bytes: Uint8Array, offset: number, index: number): number {
  const bit = index * 6;
  const at = offset + (bit >> 3);
  const shift = bit & 7;
  return ((bytes[at]! >> shift) | (bytes[at + 1]! << (8 - shift))) & REGISTER_MAX;
}

function denseSet(bytes: Uint8Array, offset: number, index: number, value: number): void {
  const bit = index * 6;
  const at = offset + (bit >> 3);
  const shift = bit & 7;
  bytes[at] = (bytes[at]! & ~(REGISTER_MAX << shift)) | (value << shift);
  bytes[at + 1] = (bytes[at + 1]! & ~(REGISTER_MAX >> (8 - shift))) | (value >> (8 - shift));
}

/**
 * A HyperLogLog being read or changed: its bytes with room to grow (Redis
 * changes the sds string in place; so does this). Dense buffers keep one
 * spare zero byte after the registers, as the sds terminator is for Redis's
 * access to the last register.
 */
export class Sketch {
  private bytes: Uint8Array;
  private length: number;

  private constructor(bytes: Uint8Array, length: number) {
    this.bytes = bytes;
    this.length = length;
  }

  /** A new, empty HyperLogLog: sparse, XZERO runs covering every register. */
  static empty(): Sketch {
    const length = HLL_HEADER_BYTES + Math.ceil(HLL_REGISTERS / SPARSE_XZERO_MAX_LEN) * 2;
    const bytes = new Uint8Array(length + 8);
    bytes.set(MAGIC, 0);
    bytes[ENCODING_BYTE] = ENCODING_SPARSE;
    let p = HLL_HEADER_BYTES;
    for (let left = HLL_REGISTERS; left > 0;) {
      const run = Math.min(left, SPARSE_XZERO_MAX_LEN);
      bytes[p++] = ((run - 1) >> 8) | 0x40;
      bytes[p++] = (run - 1) & 0xff;
      left -= run;
    }
    return new Sketch(bytes, length);
  }

  /** A copy of a stored value, which isHllValue accepted. */
  static of(value: Uint8Array): Sketch {
    const bytes = new Uint8Array(value.length + 8);
    bytes.set(value, 0);
    return new Sketch(bytes, value.length);
  }

  /** The value to store. */
  toBytes(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  get isDense(): boolean {
    return this.bytes[ENCODING_BYTE] === ENCODING_DENSE;
  }

  /** The cached cardinality, or undefined when it is stale. */
  cachedCardinality(): bigint | undefined {
    if ((this.bytes[CACHE_FLAG_BYTE]! & 0x80) !== 0) return undefined;
    let card = 0n;
    for (let i = 7; i >= 0; i--) card = (card << 8n) | BigInt(this.bytes[8 + i]!);
    return card;
  }

  /** Stores `card` as the cached cardinality (its top bit, if set, reads as a stale cache, as in Redis). */
  cacheCardinality(card: bigint): void {
    for (let i = 0; i < 8; i++) this.bytes[8 + i] = Number((card >> BigInt(8 * i)) & 0xffn);
  }

  invalidateCache(): void {
    this.bytes[CACHE_FLAG_BYTE]! |= 0x80;
  }

  /** PFADD of one element: 1 when a register changed, 0 when none did, -1 when the sparse encoding is corrupt. */
  add(element: Uint8Array): 1 | 0 | -1 {
    const { index, count } = patternOf(element);
    return this.set(index, count);
  }

  /** Raises register `index` to `count` if lower: 1 when it changed, 0 if not, -1 for a corrupt sparse encoding. */
  set(index: number, count: number): 1 | 0 | -1 {
    const encoding = this.bytes[ENCODING_BYTE];
    if (encoding === ENCODING_DENSE) return this.denseRaise(index, count);
    if (encoding === ENCODING_SPARSE) return this.sparseSet(index, count);
    return -1;
  }

  private denseRaise(index: number, count: number): 1 | 0 {
    if (count <= denseGet(this.bytes, HLL_HEADER_BYTES, index)) return 0;
    denseSet(this.bytes, HLL_HEADER_BYTES, index, count);
    return 1;
  }

  private reserve(extra: number): void {
    if (this.length + extra + 1 <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra + 8));
    grown.set(this.bytes.subarray(0, this.length), 0);
    this.bytes = grown;
  }

  /** hllSparseSet: the sparse update, in place, or the promotion to dense. */
  private sparseSet(index: number, count: number): 1 | 0 | -1 {
    if (count > SPARSE_VAL_MAX_VALUE) return this.promoteAndSet(index, count);
    this.reserve(3);
    const b = this.bytes;
    let end = this.length;
    // Step 1: find the opcode covering register `index`.
    let p = HLL_HEADER_BYTES;
    let first = 0;
    let prev = -1;
    let span = 0;
    while (p < end) {
      const op = b[p]!;
      let opLength = 1;
      if (isZero(op)) span = zeroLen(op);
      else if (isVal(op)) span = valLen(op);
      else {
        span = xzeroLen(op, b[p + 1]!);
        opLength = 2;
      }
      if (index <= first + span - 1) break;
      prev = p;
      p += opLength;
      first += span;
    }
    if (span === 0 || p >= end) return -1;
    const op = b[p]!;
    let next = isXZero(op) ? p + 2 : p + 1;
    if (next >= end) next = -1;
    const zero = isZero(op);
    const xzero = isXZero(op);
    const runLength = zero ? zeroLen(op) : xzero ? xzeroLen(op, b[p + 1]!) : valLen(op);

    // Step 2: the cases that change the opcode in place.
    let inPlace = false;
    if (!zero && !xzero) {
      if (valValue(op) >= count) return 0;
      if (runLength === 1) {
        b[p] = valOp(count, 1);
        inPlace = true;
      }
    } else if (zero && runLength === 1) {
      b[p] = valOp(count, 1);
      inPlace = true;
    }

    if (!inPlace) {
      // The general case: split the opcode into up to three (XZERO-VAL-XZERO at worst).
      const sequence: number[] = [];
      const last = first + span - 1;
      const pushZeros = (len: number) => {
        if (len > SPARSE_ZERO_MAX_LEN) sequence.push(((len - 1) >> 8) | 0x40, (len - 1) & 0xff);
        else sequence.push(len - 1);
      };
      if (zero || xzero) {
        if (index !== first) pushZeros(index - first);
        sequence.push(valOp(count, 1));
        if (index !== last) pushZeros(last - index);
      } else {
        const current = valValue(op);
        if (index !== first) sequence.push(valOp(current, index - first));
        sequence.push(valOp(count, 1));
        if (index !== last) sequence.push(valOp(current, last - index));
      }
      // Step 3: put the sequence in place of the opcode, unless the value would outgrow the sparse limit.
      const delta = sequence.length - (xzero ? 2 : 1);
      if (delta > 0 && this.length + delta > HLL_SPARSE_MAX_BYTES) return this.promoteAndSet(index, count);
      if (delta !== 0 && next !== -1) b.copyWithin(next + delta, next, end);
      this.length += delta;
      for (let i = 0; i < sequence.length; i++) b[p + i] = sequence[i]!;
      end += delta;
      // sdsIncrLen writes a terminator: a corrupt last XZERO then reads 0 for its second byte, here too.
      b[end] = 0;
    }

    // Step 4: merge adjacent VALs of equal value, scanning up to 5 opcodes from the previous one.
    p = prev === -1 ? HLL_HEADER_BYTES : prev;
    let scan = 5;
    while (p < end && scan-- > 0) {
      const current = b[p]!;
      if (isXZero(current)) {
        p += 2;
        continue;
      }
      if (isZero(current)) {
        p++;
        continue;
      }
      if (p + 1 < end && isVal(b[p + 1]!)) {
        const value = valValue(current);
        if (value === valValue(b[p + 1]!)) {
          const len = valLen(current) + valLen(b[p + 1]!);
          if (len <= SPARSE_VAL_MAX_LEN) {
            b[p + 1] = valOp(value, len);
            b.copyWithin(p, p + 1, end);
            this.length--;
            end--;
            b[end] = 0;
            continue;
          }
        }
      }
      p++;
    }
    this.invalidateCache();
    return 1;
  }

  private promoteAndSet(index: number, count: number): 1 | -1 {
    if (!this.toDense()) return -1;
    denseSet(this.bytes, HLL_HEADER_BYTES, index, count);
    return 1;
  }

  /**
   * hllSparseToDense: the same registers in the dense encoding, the header
   * (cache and unused bytes included) kept; false, with nothing changed, for
   * a corrupt sparse encoding.
   */
  toDense(): boolean {
    if (this.bytes[ENCODING_BYTE] === ENCODING_DENSE) return true;
    const dense = new Uint8Array(HLL_DENSE_BYTES + 1);
    dense.set(this.bytes.subarray(0, HLL_HEADER_BYTES), 0);
    dense[ENCODING_BYTE] = ENCODING_DENSE;
    const covered = walkSparse(this.bytes, this.length, (index, length, value) => {
      // The dense registers start at 0.
      if (value > 0) for (let i = index; i < index + length; i++) denseSet(dense, HLL_HEADER_BYTES, i, value);
    }, true);
    if (covered !== HLL_REGISTERS) return false;
    this.bytes = dense;
    this.length = HLL_DENSE_BYTES;
    return true;
  }

  /**
   * hllMerge: raises each of `max` (one byte per register) to this HLL's
   * register; false for a corrupt sparse encoding.
   */
  mergeInto(max: Uint8Array): boolean {
    const b = this.bytes;
    if (b[ENCODING_BYTE] === ENCODING_DENSE) {
      for (let i = 0; i < HLL_REGISTERS; i++) {
        const value = denseGet(b, HLL_HEADER_BYTES, i);
        if (value > max[i]!) max[i] = value;
      }
      return true;
    }
    const covered = walkSparse(b, this.length, (index, length, value) => {
      if (value > 0) for (let i = index; i < index + length; i++) if (value > max[i]!) max[i] = value;
    }, true);
    return covered === HLL_REGISTERS;
  }

  /** The histogram of register values (64 slots), or undefined for a corrupt sparse encoding. */
  histogram(): Int32Array | undefined {
    const histogram = new Int32Array(64);
    const b = this.bytes;
    if (b[ENCODING_BYTE] === ENCODING_DENSE) {
      for (let i = 0; i < HLL_REGISTERS; i++) histogram[denseGet(b, HLL_HEADER_BYTES, i)]!++;
      return histogram;
    }
    const covered = walkSparse(b, this.length, (_index, length, value) => {
      histogram[value] = histogram[value]! + length;
    }, false);
    return covered === HLL_REGISTERS ? histogram : undefined;
  }

  /** Register `index`, for tests and PFDEBUG-like inspection; undefined for a corrupt sparse encoding. */
  register(index: number): number | undefined {
    if (this.isDense) return denseGet(this.bytes, HLL_HEADER_BYTES, index);
    const max = new Uint8Array(HLL_REGISTERS);
    return this.mergeInto(max) ? max[index] : undefined;
  }
}

/** The histogram of registers held one per byte (PFCOUNT of several keys). */
export function histogramOfRegisters(registers: Uint8Array): Int32Array {
  const histogram = new Int32Array(64);
  for (let i = 0; i < registers.length; i++) histogram[registers[i]!]!++;
  return histogram;
}

/** σ of Ertl's estimator (arXiv:1702.01284), as Redis's hllSigma computes it. */
function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  let previous: number;
  do {
    x *= x;
    previous = z;
    z += x * y;
    y += y;
  } while (previous !== z);
  return z;
}

/** τ of Ertl's estimator, as Redis's hllTau computes it. */
function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let previous: number;
  do {
    x = Math.sqrt(x);
    previous = z;
    y *= 0.5;
    const d = 1 - x;
    z -= d * d * y;
  } while (previous !== z);
  return z / 3;
}

/** Redis's hllCount estimate from a register histogram. */
export function estimate(histogram: Int32Array): bigint {
  const m = HLL_REGISTERS;
  let z = m * tau((m - histogram[HLL_Q + 1]!) / m);
  for (let j = HLL_Q; j >= 1; j--) {
    z += histogram[j]!;
    z *= 0.5;
  }
  z += m * sigma(histogram[0]! / m);
  const e = (ALPHA_INF * m * m) / z;
  // llroundl of +inf (every register at 51, a forged value) is LLONG_MIN on x86-64, read back as 2^63.
  if (!Number.isFinite(e)) return 1n << 63n;
  return BigInt(Math.round(e));
}
