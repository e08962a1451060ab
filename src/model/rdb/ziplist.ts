// Ziplists, the container of Redis up to 6.2 (src/ziplist.c): read only, for
// payloads and files written by older servers.
//
//   zlbytes u32 LE | zltail u32 LE | zllen u16 LE (65535: count them) | entries | 0xFF
//
// Each entry: the previous entry's length (1 byte below 254, else 0xFE and a
// u32 LE), then an encoding:
//   00pppppp                  string of up to 63 bytes
//   01pppppp qqqqqqqq         string, 14-bit length, big-endian
//   10000000 + u32 BE         string, 32-bit length
//   0xC0 0xD0 0xE0 0xF0 0xFE  int16, int32, int64, int24, int8 (little-endian)
//   0xF1..0xFD                the integers 0..12
// The decoder checks every length and the header against the blob.

/** A ziplist element: bytes, or an integer when stored as one. */
export type ZiplistElement = Uint8Array | bigint;

const HEADER = 10;
const EOF = 0xff;
const BIG_PREVLEN = 0xfe;

/** Why a blob is not a ziplist. */
export class ZiplistError extends Error {}

function u32le(buf: Uint8Array, at: number): number {
  return (buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16) | (buf[at + 3]! << 24)) >>> 0;
}

function signedLe(buf: Uint8Array, at: number, bytes: number): bigint {
  let v = 0n;
  for (let k = bytes - 1; k >= 0; k--) v = (v << 8n) | BigInt(buf[at + k]!);
  return BigInt.asIntN(bytes * 8, v);
}

const INT_SIZES: ReadonlyMap<number, number> = new Map([[0xc0, 2], [0xd0, 4], [0xe0, 8], [0xf0, 3], [0xfe, 1]]);

/** The elements of a ziplist blob; throws ZiplistError when it is malformed. */
export function decodeZiplist(buf: Uint8Array): ZiplistElement[] {
  if (buf.length < HEADER + 1) throw new ZiplistError("ziplist too short");
  if (u32le(buf, 0) !== buf.length) throw new ZiplistError("ziplist size does not match its header");
  const tail = u32le(buf, 4);
  const declared = buf[8]! | (buf[9]! << 8);
  const end = buf.length - 1;
  if (buf[end] !== EOF) throw new ZiplistError("ziplist not terminated");
  const out: ZiplistElement[] = [];
  let at = HEADER;
  let previous = 0;
  let lastStart = HEADER;
  while (at < end) {
    const start = at;
    let prevlen: number;
    if (buf[at]! < BIG_PREVLEN) prevlen = buf[at++]!;
    else {
      if (buf[at] !== BIG_PREVLEN || at + 5 > end) throw new ZiplistError("bad prevlen");
      prevlen = u32le(buf, at + 1);
      at += 5;
    }
    if (prevlen !== previous) throw new ZiplistError("prevlen does not match the previous entry");
    if (at >= end) throw new ZiplistError("truncated entry");
    const enc = buf[at]!;
    const kind = enc >> 6;
    if (kind === 3) {
      at++;
      if (enc >= 0xf1 && enc <= 0xfd) out.push(BigInt((enc & 0x0f) - 1));
      else {
        const size = INT_SIZES.get(enc);
        if (size === undefined || at + size > end) throw new ZiplistError("bad integer entry");
        out.push(signedLe(buf, at, size));
        at += size;
      }
    } else {
      let len: number;
      if (kind === 0) {
        len = enc & 0x3f;
        at += 1;
      } else if (kind === 1) {
        if (at + 2 > end) throw new ZiplistError("truncated entry");
        len = ((enc & 0x3f) << 8) | buf[at + 1]!;
        at += 2;
      } else {
        if (enc !== 0x80 || at + 5 > end) throw new ZiplistError("bad string entry");
        len = ((buf[at + 1]! << 24) | (buf[at + 2]! << 16) | (buf[at + 3]! << 8) | buf[at + 4]!) >>> 0;
        at += 5;
      }
      if (len > end - at) throw new ZiplistError("truncated string entry");
      out.push(buf.slice(at, at + len));
      at += len;
    }
    previous = at - start;
    lastStart = start;
  }
  if (out.length > 0 && tail !== lastStart) throw new ZiplistError("ziplist tail offset is wrong");
  if (declared !== 65535 && declared !== out.length) throw new ZiplistError("ziplist count does not match its entries");
  return out;
}
