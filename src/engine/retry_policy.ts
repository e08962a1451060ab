// How engines run a body again after a retryable error (FoundationDB's
// on_error loop): at most MAX_RETRIES more attempts, exponential backoff with
// jitter capped at MAX_BACKOFF_MS, and nothing started after RETRY_DEADLINE_MS.
import { EngineError } from "./errors.ts";
import { MAX_BACKOFF_MS } from "./limits.ts";

/** The first backoff; it doubles on each retry (FoundationDB starts at 10 ms). */
export const INITIAL_BACKOFF_MS = 5;

/**
 * Milliseconds to wait before retry number `retry` (0 for the first).
 * Jitter spreads the losers of a conflict apart, so they do not collide again.
 */
export function backoffMs(retry: number, random: () => number): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** retry);
  return ceiling * (0.5 + random() / 2);
}

/** The error a caller sees when retries run out: it names the last cause. */
export function retriesExhausted(last: EngineError, attempts: number): EngineError {
  return new EngineError(
    "retries_exhausted",
    `transaction gave up after ${attempts} attempts; last error: ${last.code} (${last.message})`,
    { cause: last },
  );
}

/**
 * The error when retries run out after an attempt whose commit may have
 * happened (commit_unknown_result, not settled by a later attempt): the
 * caller must not be told to retry, as for retriesExhausted, since the
 * write may have applied.
 */
export function outcomeUnknownAfterRetries(last: EngineError, attempts: number): EngineError {
  return new EngineError(
    "commit_unknown_result",
    `transaction gave up after ${attempts} attempts, at least one of which may have committed; last error: ${last.code} (${last.message})`,
    { cause: last },
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
