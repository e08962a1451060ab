// Finds a command by its name as the client sent it (argv[0], any letter
// case) without making a string: this runs for every command, and turning
// the bytes into a string cost more than the whole search below. Names are
// bucketed by length and first letter; a bucket holds a handful of names,
// compared byte by byte with ASCII letters folded to lower case.

interface Named {
  readonly name: string;
}

const BUCKETS = 32 * 128;

export class SentNames<T extends Named> {
  private readonly buckets: { readonly bytes: Uint8Array; readonly value: T }[][] = [];

  constructor(values: readonly T[]) {
    for (const value of values) {
      const bytes = new TextEncoder().encode(value.name);
      const index = bucketOf(bytes);
      if (index === undefined) throw new Error(`command name '${value.name}' is longer than ${BUCKETS / 128 - 1} bytes or not ASCII`);
      (this.buckets[index] ??= []).push({ bytes, value });
    }
  }

  find(sent: Uint8Array): T | undefined {
    const index = bucketOf(sent);
    if (index === undefined) return undefined;
    const bucket = this.buckets[index];
    if (bucket === undefined) return undefined;
    search: for (const entry of bucket) {
      const bytes = entry.bytes;
      for (let i = 1; i < bytes.length; i++) if (foldCase(sent[i]!) !== bytes[i]) continue search;
      return entry.value;
    }
    return undefined;
  }
}

/** The bucket of a name: its length and its first byte, case-folded; undefined for a name no command has. */
function bucketOf(bytes: Uint8Array): number | undefined {
  if (bytes.length === 0 || bytes.length >= BUCKETS / 128) return undefined;
  const first = foldCase(bytes[0]!);
  if (first >= 128) return undefined;
  return bytes.length * 128 + first;
}

function foldCase(byte: number): number {
  return byte >= 0x41 && byte <= 0x5a ? byte + 32 : byte;
}
