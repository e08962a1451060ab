// Zipmaps, the small-hash container of Redis before 2.6 (src/zipmap.c), read
// only (RDB_TYPE_HASH_ZIPMAP still loads in Redis 7):
//
//   count byte | per pair: len key, len free value <free unused bytes> | 0xFF
//
// A length below 254 is one byte; 254 is followed by a u32 LE.

/** Why a blob is not a zipmap. */
export class ZipmapError extends Error {}

const BIGLEN = 254;
const END = 0xff;

/** The field/value pairs of a zipmap blob; throws ZipmapError when malformed. */
export function decodeZipmap(buf: Uint8Array): Array<[Uint8Array, Uint8Array]> {
  if (buf.length < 2) throw new ZipmapError("zipmap too short");
  let at = 1;
  const readLen = (): number => {
    if (at >= buf.length) throw new ZipmapError("truncated zipmap");
    const first = buf[at]!;
    if (first < BIGLEN) {
      at += 1;
      return first;
    }
    if (first !== BIGLEN || at + 5 > buf.length) throw new ZipmapError("bad zipmap length");
    const len = (buf[at + 1]! | (buf[at + 2]! << 8) | (buf[at + 3]! << 16) | (buf[at + 4]! << 24)) >>> 0;
    at += 5;
    return len;
  };
  const take = (len: number): Uint8Array => {
    if (len > buf.length - at) throw new ZipmapError("truncated zipmap");
    const out = buf.slice(at, at + len);
    at += len;
    return out;
  };
  const out: Array<[Uint8Array, Uint8Array]> = [];
  while (at < buf.length && buf[at] !== END) {
    const field = take(readLen());
    const valueLength = readLen();
    if (at >= buf.length) throw new ZipmapError("truncated zipmap");
    const free = buf[at++]!;
    const value = take(valueLength);
    take(free);
    out.push([field, value]);
  }
  if (at !== buf.length - 1) throw new ZipmapError("zipmap not terminated");
  return out;
}
