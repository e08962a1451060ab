// Little-endian numbers inside byte arrays, without DataView. A DataView
// needs the array's ArrayBuffer, and asking a small typed array for its
// buffer makes JavaScriptCore allocate one and move the bytes into it: about
// 1 µs, on every meta record read or written. Copying 8 bytes through a
// shared scratch array costs a few nanoseconds.
const scratch = new ArrayBuffer(8);
const scratchBytes = new Uint8Array(scratch);
const scratchFloat = new Float64Array(scratch);
const scratchInt = new BigInt64Array(scratch);
const scratchUint = new BigUint64Array(scratch);
/** Typed arrays use the platform's byte order; on a big-endian one the bytes are reversed on the way. */
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function load(bytes: Uint8Array, at: number): void {
  if (LITTLE) for (let i = 0; i < 8; i++) scratchBytes[i] = bytes[at + i]!;
  else for (let i = 0; i < 8; i++) scratchBytes[7 - i] = bytes[at + i]!;
}

function store(bytes: Uint8Array, at: number): void {
  if (LITTLE) for (let i = 0; i < 8; i++) bytes[at + i] = scratchBytes[i]!;
  else for (let i = 0; i < 8; i++) bytes[at + i] = scratchBytes[7 - i]!;
}

export function readFloat64LE(bytes: Uint8Array, at: number): number {
  load(bytes, at);
  return scratchFloat[0]!;
}

export function writeFloat64LE(bytes: Uint8Array, at: number, value: number): void {
  scratchFloat[0] = value;
  store(bytes, at);
}

export function readBigInt64LE(bytes: Uint8Array, at: number): bigint {
  load(bytes, at);
  return scratchInt[0]!;
}

export function readBigUint64LE(bytes: Uint8Array, at: number): bigint {
  load(bytes, at);
  return scratchUint[0]!;
}

/** Writes `value` wrapped to 64 bits (two's complement). */
export function writeBigInt64LE(bytes: Uint8Array, at: number, value: bigint): void {
  scratchInt[0] = BigInt.asIntN(64, value);
  store(bytes, at);
}

export function readUint32LE(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16)) + bytes[at + 3]! * 0x1000000;
}

export function writeUint32LE(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value & 0xff;
  bytes[at + 1] = (value >>> 8) & 0xff;
  bytes[at + 2] = (value >>> 16) & 0xff;
  bytes[at + 3] = (value >>> 24) & 0xff;
}
