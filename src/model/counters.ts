// Per-database counters kept by atomic add, so that writers of different
// keys never conflict on them (DESIGN.md: "c <name>"). A missing counter is 0.
import type { ReadTxn, Txn } from "../engine/contract.ts";
import type { Keyspace } from "./keyspace.ts";

export const KEY_COUNT = "keys";
export const EXPIRES_COUNT = "expires";

const ONE = 1n;

export function addToCounter(tx: Txn, ks: Keyspace, name: string, delta: number): void {
  if (delta === 0) return;
  tx.add(ks.counterKey(name), delta === 1 ? ONE : BigInt(delta));
}

export async function readCounter(tx: ReadTxn, ks: Keyspace, name: string): Promise<number> {
  const bytes = await tx.get(ks.counterKey(name));
  if (bytes === undefined || bytes.length < 8) return 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Number(view.getBigInt64(0, true));
}
