// MurmurHash64A (Austin Appleby's MurmurHash2, 64-bit version), the hash
// Redis's HyperLogLog uses, read as little-endian 8-byte words on every
// platform as Redis does. 64-bit arithmetic runs on pairs of 32-bit halves:
// BigInt would cost an allocation per operation, and PFADD hashes every
// element it gets.

/** A 64-bit unsigned value as two unsigned 32-bit halves. */
export interface Hash64 {
  readonly hi: number;
  readonly lo: number;
}

const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;

// The state of one hash, kept in module variables so the inner loop allocates nothing.
let hHi = 0;
let hLo = 0;
let kHi = 0;
let kLo = 0;
let productHi = 0;
let productLo = 0;

/** (aHi:aLo × M) mod 2^64 into productHi:productLo. */
function multiplyByM(aHi: number, aLo: number): void {
  const a0 = aLo & 0xffff;
  const a1 = aLo >>> 16;
  const b0 = M_LO & 0xffff;
  const b1 = M_LO >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  productLo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  const carry = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  productHi = (carry + Math.imul(aLo, M_HI) + Math.imul(aHi, M_LO)) >>> 0;
}

/** MurmurHash64A of `data` with a 32-bit `seed`. */
export function murmurHash64A(data: Uint8Array, seed: number): Hash64 {
  const length = data.length;
  // h = seed ^ (len * m): the length as a 64-bit value (its high half is 0 below 2^32).
  multiplyByM(0, length >>> 0);
  hHi = productHi;
  hLo = (productLo ^ seed) >>> 0;
  const wholeWords = length - (length & 7);
  for (let i = 0; i < wholeWords; i += 8) {
    kLo = (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0;
    kHi = (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24)) >>> 0;
    multiplyByM(kHi, kLo);
    // k ^= k >> 47: only the top 17 bits reach the low half.
    kLo = (productLo ^ (productHi >>> 15)) >>> 0;
    kHi = productHi;
    multiplyByM(kHi, kLo);
    multiplyByM((hHi ^ productHi) >>> 0, (hLo ^ productLo) >>> 0);
    hHi = productHi;
    hLo = productLo;
  }
  const rest = length & 7;
  if (rest > 0) {
    for (let j = rest - 1; j >= 0; j--) {
      const byte = data[wholeWords + j]!;
      if (j >= 4) hHi = (hHi ^ (byte << (8 * (j - 4)))) >>> 0;
      else hLo = (hLo ^ (byte << (8 * j))) >>> 0;
    }
    multiplyByM(hHi, hLo);
    hHi = productHi;
    hLo = productLo;
  }
  hLo = (hLo ^ (hHi >>> 15)) >>> 0;
  multiplyByM(hHi, hLo);
  hHi = productHi;
  hLo = (productLo ^ (productHi >>> 15)) >>> 0;
  return { hi: hHi, lo: hLo };
}
