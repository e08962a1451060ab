// Hand-built DUMP payloads for the differential cases: legacy encodings that
// Redis 7.0 still restores but no longer writes (ziplists, zipmaps, linked
// lists, old zsets, quicklists of ziplists, streams v1), and corrupt ones.
// Built here from the formats' definitions (not by the code under test),
// except the CRC-64, which crc64_test.ts checks against Redis's own values.
import { crc64Update, writeCrc64LittleEndian } from "../../src/model/rdb/crc64.ts";

const enc = new TextEncoder();
type Piece = number | string | Uint8Array | readonly Piece[];

/** Bytes of numbers (one byte each), strings (UTF-8) and arrays of those. */
export function concat(...pieces: Piece[]): Uint8Array {
  const out: number[] = [];
  const add = (p: Piece): void => {
    if (typeof p === "number") out.push(p & 0xff);
    else if (typeof p === "string") out.push(...enc.encode(p));
    else if (p instanceof Uint8Array) out.push(...p);
    else for (const q of p) add(q);
  };
  for (const p of pieces) add(p);
  return Uint8Array.from(out);
}

/** A value's bytes (type byte included) with the footer: version (LE) and CRC-64 (LE). */
export function payload(body: Uint8Array, version = 10, crc: "right" | "wrong" | "zero" = "right"): Uint8Array {
  const out = new Uint8Array(body.length + 10);
  out.set(body);
  out[body.length] = version & 0xff;
  out[body.length + 1] = version >> 8;
  if (crc === "right") writeCrc64LittleEndian(crc64Update({ hi: 0, lo: 0 }, out, 0, body.length + 2), out, body.length + 2);
  if (crc === "wrong") {
    writeCrc64LittleEndian(crc64Update({ hi: 0, lo: 0 }, out, 0, body.length + 2), out, body.length + 2);
    out[out.length - 1]! ^= 1;
  }
  return out;
}

/** An RDB string of at most 63 bytes. */
export function rdbString(s: string | Uint8Array): Uint8Array {
  const bytes = typeof s === "string" ? enc.encode(s) : s;
  if (bytes.length > 63) throw new Error("short strings only");
  return concat(bytes.length, bytes);
}

const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
const u16 = (n: number) => [n & 0xff, n >>> 8];

/** A ziplist of short strings and small integers (string entries only for non-numbers), as 6.2 wrote them. */
export function ziplist(elements: ReadonlyArray<string | number>): Uint8Array {
  const entries: Uint8Array[] = [];
  let previous = 0;
  for (const e of elements) {
    let body: Uint8Array;
    if (typeof e === "number") {
      // 0..12 immediate, else int16 (0xC0).
      body = e >= 0 && e <= 12 ? concat(0xf1 + e) : concat(0xc0, u16(e & 0xffff));
    } else {
      const bytes = enc.encode(e);
      body = concat(bytes.length, bytes);
    }
    const entry = concat(previous, body);
    entries.push(entry);
    previous = entry.length;
  }
  const bodyLength = entries.reduce((n, e) => n + e.length, 0);
  const total = 10 + bodyLength + 1;
  const tail = entries.length === 0 ? 10 : total - 1 - entries[entries.length - 1]!.length;
  return concat(u32(total), u32(tail), u16(elements.length), entries, 0xff);
}

/** A zipmap of short fields and values (Redis 2.x's small hashes), with `free` spare bytes after each value. */
export function zipmap(pairs: ReadonlyArray<readonly [string, string]>, free = 0): Uint8Array {
  const body = pairs.map(([f, v]) => concat(f.length, f, v.length, free, v, new Array(free).fill(0)));
  return concat(pairs.length, body, 0xff);
}

/** An RDB string holding `blob` (length under 16384). */
export function blobString(blob: Uint8Array): Uint8Array {
  return blob.length < 64 ? concat(blob.length, blob) : concat(0x40 | (blob.length >> 8), blob.length & 0xff, blob);
}
