// FoundationDB's limits as checks, shared by every transaction type (the
// memory and SQLite engines' write buffer, the FoundationDB transaction), so
// that each engine refuses the same things with the same words.
import type { Bytes } from "./contract.ts";
import { EngineError } from "./errors.ts";
import { MAX_ENGINE_KEY_BYTES, MAX_TRANSACTION_BYTES, MAX_TRANSACTION_MS, MAX_VALUE_BYTES } from "./limits.ts";

export function checkKeyLength(key: Bytes): void {
  if (key.length > MAX_ENGINE_KEY_BYTES) throw keyTooLarge(key);
}

/** The end of a cleared range may be one byte longer than a key, so that keyAfter(the longest key) can end it. */
export function checkRangeEndLength(end: Bytes): void {
  if (end.length > MAX_ENGINE_KEY_BYTES + 1) throw keyTooLarge(end);
}

export function checkValueLength(value: Bytes): void {
  if (value.length > MAX_VALUE_BYTES) {
    throw new EngineError(
      "value_too_large",
      `value of ${value.length} bytes exceeds the limit of ${MAX_VALUE_BYTES} bytes; split it across keys`,
    );
  }
}

/** The transaction's byte count once `bytes` more are written or read; throws past the limit. */
export function addTransactionBytes(total: number, bytes: number): number {
  const sum = total + bytes;
  if (sum > MAX_TRANSACTION_BYTES) {
    throw new EngineError(
      "transaction_too_large",
      `transaction exceeds ${MAX_TRANSACTION_BYTES} bytes of keys and values written plus keys read; split it into smaller transactions`,
    );
  }
  return sum;
}

export function checkTransactionAge(startedAtMs: number, nowMs: number): void {
  if (nowMs - startedAtMs > MAX_TRANSACTION_MS) {
    throw new EngineError(
      "transaction_timed_out",
      `transaction ran longer than ${MAX_TRANSACTION_MS} ms (FoundationDB's limit); split the work into shorter transactions`,
    );
  }
}

function keyTooLarge(key: Bytes): EngineError {
  return new EngineError(
    "key_too_large",
    `key of ${key.length} bytes exceeds the limit of ${MAX_ENGINE_KEY_BYTES} bytes; use a shorter key`,
  );
}
