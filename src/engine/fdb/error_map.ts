// FoundationDB error codes → the engine's error classes (errors.ts):
// retryable (the body runs again), unknown result (the commit may have
// happened) and fatal. The FdbError stays attached as the cause, and the
// retry loop reads its code back to hand it to fdb_transaction_on_error.
import { EngineError, type EngineErrorCode } from "../errors.ts";
import { MAX_ENGINE_KEY_BYTES, MAX_TRANSACTION_BYTES, MAX_VALUE_BYTES } from "../limits.ts";
import { FdbErrorCode } from "./fdb_c.ts";
import { FdbError } from "./futures.ts";

export interface ErrorClassifier {
  isRetryable(code: number): boolean;
  maybeCommitted(code: number): boolean;
}

/** The engine error a caller sees for an FdbError. */
export function engineErrorOf(error: FdbError, classify: ErrorClassifier): EngineError {
  const [code, hint] = classOf(error.code, classify);
  return new EngineError(code, `${error.message}${hint}`, { cause: error });
}

function classOf(code: number, classify: ErrorClassifier): [EngineErrorCode, string] {
  switch (code) {
    case FdbErrorCode.NOT_COMMITTED:
      return ["not_committed", ": another transaction wrote what this one read; it will be retried"];
    case FdbErrorCode.COMMIT_UNKNOWN_RESULT:
      return ["commit_unknown_result", ""];
    case FdbErrorCode.TRANSACTION_TOO_OLD:
      return ["transaction_too_old", ""];
    case FdbErrorCode.TRANSACTION_TIMED_OUT:
      return ["transaction_timed_out", ": the transaction (with its retries) ran past its time limit; the cluster may be unreachable or overloaded"];
    case FdbErrorCode.TRANSACTION_TOO_LARGE:
      return ["transaction_too_large", `: more than ${MAX_TRANSACTION_BYTES} bytes in one transaction; split it into smaller transactions`];
    case FdbErrorCode.KEY_TOO_LARGE:
      return ["key_too_large", `: a key exceeds ${MAX_ENGINE_KEY_BYTES} bytes; use a shorter key`];
    case FdbErrorCode.VALUE_TOO_LARGE:
      return ["value_too_large", `: a value exceeds ${MAX_VALUE_BYTES} bytes; split it across keys`];
  }
  if (classify.maybeCommitted(code) && classify.isRetryable(code)) return ["commit_unknown_result", ""];
  // future_version, process_behind, tag_throttled...: nothing was committed, another attempt may succeed.
  if (classify.isRetryable(code)) return ["not_committed", ": the transaction did not commit; it will be retried"];
  return ["storage_failure", ""];
}

/**
 * The FoundationDB code to give fdb_transaction_on_error for a failure of an
 * attempt, or undefined when the failure is not retryable (a bug in the body,
 * a limit, a fatal FoundationDB error): then the loop gives up at once.
 */
export function retryCodeOf(error: unknown, classify: ErrorClassifier): number | undefined {
  const fdb = error instanceof FdbError ? error : error instanceof EngineError && error.cause instanceof FdbError ? error.cause : undefined;
  if (fdb !== undefined) return classify.isRetryable(fdb.code) ? fdb.code : undefined;
  if (!(error instanceof EngineError) || !error.retryable) return undefined;
  // A body may throw the engine's own retryable errors (tests do); on_error knows their FoundationDB twins.
  switch (error.code) {
    case "not_committed":
      return FdbErrorCode.NOT_COMMITTED;
    case "transaction_too_old":
      return FdbErrorCode.TRANSACTION_TOO_OLD;
    case "commit_unknown_result":
      return FdbErrorCode.COMMIT_UNKNOWN_RESULT;
    default:
      return undefined;
  }
}

/** An EngineError for a failure of an attempt, as the caller will see it. */
export function asEngineError(error: unknown, classify: ErrorClassifier): unknown {
  if (error instanceof FdbError) return engineErrorOf(error, classify);
  return error;
}
