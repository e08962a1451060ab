// FoundationDB's hard limits, enforced by every engine so that code which
// works on the memory engine also works on FoundationDB.
// Source: apple.github.io/foundationdb/known-limitations.html

/** Largest key, in bytes. */
export const MAX_ENGINE_KEY_BYTES = 10_000;
/** Largest value, in bytes. */
export const MAX_VALUE_BYTES = 100_000;
/** Largest transaction: sum of keys and values written plus keys read. */
export const MAX_TRANSACTION_BYTES = 10_000_000;
/** Longest a transaction may live. */
export const MAX_TRANSACTION_MS = 5_000;

/** Retry policy for retryable errors (Materia KV: 5 retries, <= 500 ms apart, 5 s total). */
export const MAX_RETRIES = 5;
export const MAX_BACKOFF_MS = 500;
export const RETRY_DEADLINE_MS = 5_000;
