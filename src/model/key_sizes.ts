// The size of each engine entry a transaction has read or written, by key.
// A command touches a handful of keys: those are found by comparing bytes,
// which costs less than turning each key into a string for a Map; past a few
// keys the Map takes over.
import { bytesEqual, keyIdentity } from "../engine/bytes.ts";

const LINEAR_LIMIT = 8;

export class KeySizes {
  private keys: Uint8Array[] = [];
  private sizes: number[] = [];
  private map: Map<string, number> | null = null;

  get(key: Uint8Array): number | undefined {
    if (this.map !== null) return this.map.get(keyIdentity(key));
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (bytesEqual(keys[i]!, key)) return this.sizes[i];
    return undefined;
  }

  has(key: Uint8Array): boolean {
    return this.get(key) !== undefined;
  }

  set(key: Uint8Array, size: number): void {
    if (this.map !== null) {
      this.map.set(keyIdentity(key), size);
      return;
    }
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) {
      if (bytesEqual(keys[i]!, key)) {
        this.sizes[i] = size;
        return;
      }
    }
    if (keys.length < LINEAR_LIMIT) {
      keys.push(key);
      this.sizes.push(size);
      return;
    }
    this.map = new Map();
    for (let i = 0; i < keys.length; i++) this.map.set(keyIdentity(keys[i]!), this.sizes[i]!);
    this.map.set(keyIdentity(key), size);
    this.keys = [];
    this.sizes = [];
  }

  clear(): void {
    this.keys = [];
    this.sizes = [];
    this.map = null;
  }
}
