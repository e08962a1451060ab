// Engine errors, classified as FoundationDB classifies its own: retryable
// (run the body again), unknown result (the commit may or may not have
// happened) and fatal (give up). The command layer turns them into replies.

export type EngineErrorCode =
  /** Another transaction wrote what this one read (FoundationDB 1020). */
  | "not_committed"
  /** The commit's outcome is unknown (FoundationDB 1021). */
  | "commit_unknown_result"
  /** The transaction read at a version too old (FoundationDB 1007). */
  | "transaction_too_old"
  /** A key exceeded MAX_ENGINE_KEY_BYTES (FoundationDB 2102). */
  | "key_too_large"
  /** A value exceeded MAX_VALUE_BYTES (FoundationDB 2103). */
  | "value_too_large"
  /** The transaction exceeded MAX_TRANSACTION_BYTES (FoundationDB 2101). */
  | "transaction_too_large"
  /** The transaction exceeded MAX_TRANSACTION_MS (FoundationDB 1031). */
  | "transaction_timed_out"
  /** Retries ran out or the retry deadline passed. */
  | "retries_exhausted"
  /** The engine is closed or closing. */
  | "engine_closed"
  /** The storage itself failed (I/O error, corrupt file...). */
  | "storage_failure";

const RETRYABLE: ReadonlySet<EngineErrorCode> = new Set([
  "not_committed",
  "commit_unknown_result",
  "transaction_too_old",
]);

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  constructor(code: EngineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "EngineError";
    this.code = code;
  }
  /** True when running the body again may succeed. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

export function isEngineError(error: unknown): error is EngineError {
  return error instanceof EngineError;
}
