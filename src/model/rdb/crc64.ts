// Redis's CRC-64 (src/crc64.c): the Jones polynomial 0xad93d23594c935a9,
// reflected input and output, initial value 0, no final xor. Check value:
// crc64("123456789") = 0xe9c6d914c4b8d9ca. It guards DUMP payloads (keys and
// FUNCTION DUMP) and RDB files.
//
// Table-driven, slicing by 8: the 64-bit register is kept as two unsigned
// 32-bit halves, as BigInt would allocate per byte. Eight tables of 256
// entries per half, the way crcspeed (which Redis uses) builds them.

/** The reflected form of 0xad93d23594c935a9, the constant the reflected algorithm xors in. */
const REFLECTED_POLY = 0x95ac9329ac4bc9b5n;

const SLICES = 8;
/** TABLE_HI[k * 256 + b], TABLE_LO[k * 256 + b]: table k of crcspeed, halves of the 64-bit entries. */
const TABLE_HI = new Uint32Array(SLICES * 256);
const TABLE_LO = new Uint32Array(SLICES * 256);

(function buildTables(): void {
  for (let b = 0; b < 256; b++) {
    let crc = BigInt(b);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ REFLECTED_POLY : crc >> 1n;
    TABLE_HI[b] = Number(crc >> 32n);
    TABLE_LO[b] = Number(crc & 0xffffffffn);
  }
  // Table k advances a byte followed by k zero bytes: T[k][b] = T[0][T[k-1][b] & 0xff] ^ (T[k-1][b] >> 8).
  for (let k = 1; k < SLICES; k++) {
    for (let b = 0; b < 256; b++) {
      const hi = TABLE_HI[(k - 1) * 256 + b]!;
      const lo = TABLE_LO[(k - 1) * 256 + b]!;
      const i = lo & 0xff;
      TABLE_HI[k * 256 + b] = (TABLE_HI[i]! ^ (hi >>> 8)) >>> 0;
      TABLE_LO[k * 256 + b] = (TABLE_LO[i]! ^ ((lo >>> 8) | (hi << 24))) >>> 0;
    }
  }
})();

/** A CRC-64 as two unsigned 32-bit halves. */
export interface Crc64 {
  readonly hi: number;
  readonly lo: number;
}

/** Continues `start` (0 for a fresh checksum) over `data`, as Redis's crc64(crc, s, l). */
export function crc64Update(start: Crc64, data: Uint8Array, from = 0, to = data.length): Crc64 {
  let hi = start.hi >>> 0;
  let lo = start.lo >>> 0;
  let i = from;
  // Eight bytes a step: xor them into the register, then look each up in the table for its distance from the end.
  const whole = from + ((to - from) & ~7);
  while (i < whole) {
    const l = lo ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
    const h = hi ^ (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24));
    const t7 = 7 * 256 + (l & 0xff);
    const t6 = 6 * 256 + ((l >>> 8) & 0xff);
    const t5 = 5 * 256 + ((l >>> 16) & 0xff);
    const t4 = 4 * 256 + (l >>> 24);
    const t3 = 3 * 256 + (h & 0xff);
    const t2 = 2 * 256 + ((h >>> 8) & 0xff);
    const t1 = 256 + ((h >>> 16) & 0xff);
    const t0 = h >>> 24;
    hi = TABLE_HI[t7]! ^ TABLE_HI[t6]! ^ TABLE_HI[t5]! ^ TABLE_HI[t4]! ^ TABLE_HI[t3]! ^ TABLE_HI[t2]! ^ TABLE_HI[t1]! ^ TABLE_HI[t0]!;
    lo = TABLE_LO[t7]! ^ TABLE_LO[t6]! ^ TABLE_LO[t5]! ^ TABLE_LO[t4]! ^ TABLE_LO[t3]! ^ TABLE_LO[t2]! ^ TABLE_LO[t1]! ^ TABLE_LO[t0]!;
    i += 8;
  }
  for (; i < to; i++) {
    const index = (lo ^ data[i]!) & 0xff;
    lo = TABLE_LO[index]! ^ ((lo >>> 8) | (hi << 24));
    hi = TABLE_HI[index]! ^ (hi >>> 8);
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

/** CRC-64 of `data[from, to)` as Redis computes it, as a bigint (for tests and display). */
export function crc64(data: Uint8Array, from = 0, to = data.length): bigint {
  const { hi, lo } = crc64Update({ hi: 0, lo: 0 }, data, from, to);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Writes `crc` as 8 bytes little-endian (as DUMP payloads carry it) at `out[offset]`. */
export function writeCrc64LittleEndian(crc: Crc64, out: Uint8Array, offset: number): void {
  for (let k = 0; k < 4; k++) {
    out[offset + k] = (crc.lo >>> (8 * k)) & 0xff;
    out[offset + 4 + k] = (crc.hi >>> (8 * k)) & 0xff;
  }
}

/** Whether the 8 bytes at `bytes[offset]` are `crc`, little-endian. */
export function crc64EqualsLittleEndian(crc: Crc64, bytes: Uint8Array, offset: number): boolean {
  if (offset < 0 || offset + 8 > bytes.length) return false;
  for (let k = 0; k < 4; k++) {
    if (bytes[offset + k] !== ((crc.lo >>> (8 * k)) & 0xff)) return false;
    if (bytes[offset + 4 + k] !== ((crc.hi >>> (8 * k)) & 0xff)) return false;
  }
  return true;
}
