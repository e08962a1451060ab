// Materia's product limits (Materia KV publishes the same: 8 KB keys, 5 MB
// values and requests). They sit below FoundationDB's engine limits, which
// leave room for the keyspace prefix and for chunking.

/** Largest user key, in bytes. */
export const MAX_KEY_BYTES = 8 * 1024;
/** Largest string value, in bytes (also the largest bulk argument accepted). */
export const MAX_STRING_BYTES = 5 * 1024 * 1024;
/**
 * What a request may carry beyond --max-request: a key of MAX_KEY_BYTES plus
 * 1 KB for the command name and options (SET's EX, GET...), so that a value
 * as big as the limit can be SET. Small, so --max-request stays meaningful.
 */
export const REQUEST_ALLOWANCE_BYTES = MAX_KEY_BYTES + 1024;
/** Strings up to this size live inside the meta record; longer ones are chunked. */
export const INLINE_STRING_BYTES = 10_000;
/** Size of one chunk of a long string (FoundationDB: ~10 kB values perform best). */
export const STRING_CHUNK_BYTES = 10_000;
/** Databases per tenant, selected with SELECT. */
export const DATABASE_COUNT = 16;
/** One SCAN/HSCAN/SSCAN page reads at most this many entries, whatever COUNT says (FoundationDB's transaction limits). */
export const MAX_SCAN_COUNT = 10_000;
