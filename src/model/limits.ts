import { MAX_TRANSACTION_BYTES } from "../engine/limits.ts";

// Materia's product limits (Materia KV publishes the same: 8 KB keys, 5 MB
// values and requests). They sit below FoundationDB's engine limits, which
// leave room for the keyspace prefix and for chunking.

/** Largest user key, in bytes. */
export const MAX_KEY_NAME_BYTES = 8 * 1024;
/** Largest string value, in bytes (also the largest bulk argument accepted). */
export const MAX_STRING_BYTES = 5 * 1024 * 1024;
/** Bytes of keys and values each tenant may store, unless --quota-storage says otherwise (Materia KV's quota). */
export const DEFAULT_STORAGE_QUOTA_BYTES = 128 * 1024 * 1024;
/** Largest request, unless --max-request says otherwise: a value as big as MAX_STRING_BYTES (plus REQUEST_ALLOWANCE_BYTES). */
export const DEFAULT_MAX_REQUEST_BYTES = MAX_STRING_BYTES;
/**
 * What a request may carry beyond --max-request: a key of MAX_KEY_NAME_BYTES plus
 * 1 KB for the command name and options (SET's EX, GET...), so that a value
 * as big as the limit can be SET. Small, so --max-request stays meaningful.
 */
export const REQUEST_ALLOWANCE_BYTES = MAX_KEY_NAME_BYTES + 1024;
/** Strings up to this size live inside the meta record; longer ones are chunked. */
export const INLINE_STRING_BYTES = 10_000;
/** Size of one chunk of a long string (FoundationDB: ~10 kB values perform best). */
export const STRING_CHUNK_BYTES = 10_000;
/** Databases per tenant, selected with SELECT. */
export const DATABASE_COUNT = 16;
/** One SCAN/HSCAN/SSCAN page reads at most this many entries, whatever COUNT says (FoundationDB's transaction limits). */
export const MAX_SCAN_COUNT = 10_000;

// JSON documents and JSONPath (issue 12): every request's work is bounded, so
// one tenant's query cannot freeze the event loop all tenants share.

/** A JSON value may nest at most this many arrays/objects minus one: the 128th level is refused, as RedisJSON (serde_json's recursion limit) does. */
export const JSON_MAX_NESTING_DEPTH = 128;
/** One JSONPath evaluation visits at most this many values (each filter test and regex step counts too): about a second of CPU at worst. */
export const JSONPATH_MAX_STEPS = 10_000_000;
/** Longest path argument; a path is a query, not a document. */
export const JSONPATH_MAX_LENGTH = 4096;
/** Deepest nesting of filters, parentheses and `!` inside one path (the parser recurses on them). */
export const JSONPATH_MAX_FILTER_NESTING = 32;
/** Longest regex pattern of a filter's `=~`. */
export const JSONPATH_MAX_REGEX_LENGTH = 256;
/** Largest compiled regex program (a `{n,m}` repeat copies its operand). */
export const JSONPATH_MAX_REGEX_PROGRAM = 4096;
/** Largest JSON.GET/JSON.MGET reply: matches of `$..*` overlap, so a 5 MB document could otherwise answer gigabytes. */
export const JSON_MAX_REPLY_BYTES = 64 * 1024 * 1024;

/** Internal-error log lines written per window; further ones are counted and summarized in one line (a client must not be able to flood the log). */
export const INTERNAL_ERROR_LOG_MAX_LINES = 10;
export const INTERNAL_ERROR_LOG_WINDOW_MS = 60_000;
/** Longest stack trace logged with an internal error. */
export const INTERNAL_ERROR_LOG_MAX_STACK = 2000;

/**
 * Redis's buffer for a number written as text (MAX_LONG_DOUBLE_CHARS): a value
 * this long or longer is never a number (INCRBYFLOAT, HINCRBY, HINCRBYFLOAT),
 * so no chunked value needs reading to find that out.
 */
export const MAX_NUMBER_TEXT_BYTES = 5 * 1024;

/**
 * Most bytes a RESTORE payload may decode to (LZF expands, containers
 * unpack): no more than one engine transaction can write (FoundationDB's
 * 10 MB), so a larger value could not be stored anyway, and a small payload
 * cannot make the server allocate much.
 */
export const MAX_RESTORE_DECODED_BYTES = MAX_TRANSACTION_BYTES;
