// LZF, the compression of RDB strings (Redis vendors liblzf 3.6: src/lzf_c.c,
// src/lzf_d.c, src/lzfP.h). The stream is a sequence of
//   000LLLLL + L+1 bytes            a literal run of 1..32 bytes
//   LLLooooo oooooooo               a back reference of L+2 = 3..8 bytes
//   111ooooo LLLLLLLL oooooooo      a back reference of L+9 = 9..264 bytes
// at distance o+1 = 1..8192 before the output position.
//
// The compressor follows lzf_compress as Redis builds it (HLOG 16,
// VERY_FAST, not ULTRA_FAST, hash of the next three bytes, a match never
// taken at input offset 0, the same match-length loop and output-space
// checks), so it finds the same matches and writes the same bytes, and gives
// up where Redis gives up. One caveat: Redis does not clear its hash table
// between calls (INIT_HTAB 0), so a stale slot that happens to point into the
// current input can, rarely, make Redis take a match a fresh table would not
// offer; this code always starts from an empty table. Either stream
// decompresses to the same bytes.

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

// The hash table, shared by all calls: a slot holds `base + position`, and a
// call starts with a base above every value a previous call left, so old
// slots read as empty without clearing 256 KiB per call.
const table = new Int32Array(HSIZE);
let base = 0;

/** The table index of the 3-byte hash `h` (lzf's IDX for VERY_FAST; only the low 24 bits of h matter). */
function slot(h: number): number {
  return ((h >>> 8) - h * 5) & (HSIZE - 1);
}

/**
 * Compresses `input` into at most `maxOutput` bytes, as lzf_compress(in, len, out, maxOutput).
 * Returns undefined where lzf_compress returns 0: empty input, or output that would not fit.
 * The default room always fits. Redis's RDB strings pass `input.length - 4`.
 */
export function lzfCompress(input: Uint8Array, maxOutput: number = input.length + (input.length >>> 5) + 4): Uint8Array | undefined {
  const inLen = input.length;
  if (inLen === 0 || maxOutput <= 0) return undefined;
  if (base > 0x7fffffff - inLen - 1) {
    table.fill(0);
    base = 0;
  }
  const callBase = base;
  base += inLen + 1;

  const outEnd = maxOutput;
  // Room for the checks' overshoot: lzf writes a control byte ahead of its checks.
  const out = new Uint8Array(maxOutput + 4);
  let ip = 0;
  let op = 1; // start run
  let lit = 0;
  let hval = ((input[0]! << 8) | (input[1] ?? 0)) & 0xffffff;

  while (ip < inLen - 2) {
    hval = ((hval << 8) | input[ip + 2]!) & 0xffffff;
    const h = slot(hval);
    const ref = table[h]! - callBase; // position, or <= 0: empty, stale, or offset 0 (never a match)
    table[h] = callBase + ip;
    const off = ip - ref - 1;
    if (ref > 0 && off < MAX_OFF && input[ref + 2] === input[ip + 2] && input[ref] === input[ip] && input[ref + 1] === input[ip + 1]) {
      // Match found at ref.
      let len = 2;
      let maxlen = inLen - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;
      if (op + 3 + 1 >= outEnd) {
        if (op - (lit === 0 ? 1 : 0) + 3 + 1 >= outEnd) return undefined;
      }
      out[op - lit - 1] = lit - 1; // stop run
      if (lit === 0) op--; // undo run if length is zero
      scan: {
        if (maxlen > 16) {
          for (let k = 0; k < 16; k++) {
            len++;
            if (input[ref + len] !== input[ip + len]) break scan;
          }
        }
        do len++;
        while (len < maxlen && input[ref + len] === input[ip + len]);
      }
      len -= 2; // the stored length: octets - 2
      ip++;
      if (len < 7) {
        out[op++] = (off >>> 8) + (len << 5);
      } else {
        out[op++] = (off >>> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // start run
      ip += len + 1;
      if (ip >= inLen - 2) break;
      // VERY_FAST: hash the two positions before the new one.
      ip -= 2;
      hval = ((input[ip]! << 8) | input[ip + 1]!) & 0xffffff;
      hval = ((hval << 8) | input[ip + 2]!) & 0xffffff;
      table[slot(hval)] = callBase + ip;
      ip++;
      hval = ((hval << 8) | input[ip + 2]!) & 0xffffff;
      table[slot(hval)] = callBase + ip;
      ip++;
    } else {
      // One more literal byte.
      if (op >= outEnd) return undefined;
      lit++;
      out[op++] = input[ip++]!;
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1; // stop run
        lit = 0;
        op++; // start run
      }
    }
  }
  if (op + 3 > outEnd) return undefined; // at most 3 bytes can be missing here
  while (ip < inLen) {
    lit++;
    out[op++] = input[ip++]!;
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1; // end run
  if (lit === 0) op--; // undo run if length is zero
  return out.slice(0, op);
}

/**
 * Decompresses the LZF stream `input` (from `from` to `to`) that must expand to exactly
 * `expectedLength` bytes. Returns undefined for a stream that is truncated, refers before
 * the start of the output, would write more than `expectedLength` bytes, or writes fewer.
 * Never allocates more than `expectedLength` bytes, never reads outside `input[from, to)`.
 */
export function lzfDecompress(input: Uint8Array, expectedLength: number, from = 0, to = input.length): Uint8Array | undefined {
  if (!Number.isSafeInteger(expectedLength) || expectedLength < 0 || from < 0 || to > input.length || from > to) return undefined;
  const out = new Uint8Array(expectedLength);
  let ip = from;
  let op = 0;
  while (ip < to) {
    let ctrl = input[ip++]!;
    if (ctrl < 1 << 5) {
      // Literal run of ctrl + 1 bytes.
      ctrl++;
      if (op + ctrl > expectedLength) return undefined;
      if (ip + ctrl > to) return undefined;
      for (let k = 0; k < ctrl; k++) out[op++] = input[ip++]!;
    } else {
      // Back reference.
      let len = ctrl >>> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= to) return undefined;
      if (len === 7) {
        len += input[ip++]!;
        if (ip >= to) return undefined;
      }
      ref -= input[ip++]!;
      len += 2;
      if (op + len > expectedLength) return undefined;
      if (ref < 0) return undefined;
      // Byte by byte: when the areas overlap, each copy reads what the previous one wrote.
      for (let k = 0; k < len; k++) out[op++] = out[ref + k]!;
    }
  }
  return op === expectedLength ? out : undefined;
}
