// Per-database counters kept by atomic add, so that writers of different
// keys never conflict on them (DESIGN.md: "c <name>"). A missing counter is 0.
import { decodeInt64 } from "../engine/atomic_add.ts";
import type { MaybePromise, ReadTxn, Txn } from "../engine/contract.ts";
import { then } from "../engine/maybe_promise.ts";
import type { Keyspace } from "./keyspace.ts";

export const KEY_COUNT = "keys";
export const EXPIRES_COUNT = "expires";

const ONE = 1n;

export function addToCounter(tx: Txn, ks: Keyspace, name: string, delta: number): void {
  if (delta === 0) return;
  tx.add(ks.counterKey(name), delta === 1 ? ONE : BigInt(delta));
}

export function readCounter(tx: ReadTxn, ks: Keyspace, name: string): MaybePromise<number> {
  return then(tx.get(ks.counterKey(name)), (bytes) => bytes === undefined ? 0 : Number(decodeInt64(bytes)));
}
