// The log of commands that failed with an internal error (a bug, not a
// client mistake). A client that finds such a bug can trigger it at will, so
// the lines are rate limited: at most INTERNAL_ERROR_LOG_MAX_LINES per
// window, then one line saying how many were suppressed, written when the
// next internal error arrives after the window closes (no timer to manage).
import { INTERNAL_ERROR_LOG_MAX_LINES, INTERNAL_ERROR_LOG_MAX_STACK, INTERNAL_ERROR_LOG_WINDOW_MS } from "../model/limits.ts";

export interface RateLimitedLogOptions {
  readonly maxLines: number;
  readonly windowMs: number;
  readonly write: (line: string) => void;
  readonly now: () => number;
}

/** Writes at most `maxLines` lines per `windowMs`; counts the rest and reports the count once the window has passed. */
export class RateLimitedLog {
  #windowStart = -Infinity;
  #written = 0;
  #suppressed = 0;

  constructor(private readonly options: RateLimitedLogOptions) {}

  /** Writes `line` unless this window's allowance is spent; returns whether it was written. */
  report(line: string): boolean {
    const now = this.options.now();
    if (now - this.#windowStart >= this.options.windowMs) {
      if (this.#suppressed > 0) {
        this.options.write(`command failed with an internal error: suppressed ${this.#suppressed} similar errors in the last ${Math.round((now - this.#windowStart) / 1000)} s`);
      }
      this.#windowStart = now;
      this.#written = 0;
      this.#suppressed = 0;
    }
    if (this.#written >= this.options.maxLines) {
      this.#suppressed++;
      return false;
    }
    this.#written++;
    this.options.write(line);
    return true;
  }
}

/** One line: the message, then the stack with its line breaks folded and its length capped. */
export function internalErrorLine(error: unknown): string {
  if (!(error instanceof Error)) return `command failed with an internal error: ${String(error).slice(0, INTERNAL_ERROR_LOG_MAX_STACK)}`;
  const stack = (error.stack ?? "").split("\n").map((l) => l.trim()).join(" | ").slice(0, INTERNAL_ERROR_LOG_MAX_STACK);
  return `command failed with an internal error: ${stack || error.message}`;
}

const serverLog = new RateLimitedLog({
  maxLines: INTERNAL_ERROR_LOG_MAX_LINES,
  windowMs: INTERNAL_ERROR_LOG_WINDOW_MS,
  write: (line) => console.error(line),
  now: () => Date.now(),
});

/** Logs an internal error of a command, within the server's rate limit. */
export function logInternalError(error: unknown): void {
  serverLog.report(internalErrorLine(error));
}
