// Bounds on what one connection may hold for a transaction: the commands
// queued between MULTI and EXEC, and the keys it WATCHes. Redis bounds
// neither (its memory limit does); a shared server must, or one tenant's
// connection can take the memory every tenant relies on.
import { multiQueueFull, tooManyWatchedKeys } from "./errors.ts";

/**
 * Commands one MULTI may queue. EXEC runs them in one engine transaction,
 * which must commit within FoundationDB's 10 MB and 5 s; a queue this long
 * is already far beyond what such a transaction holds.
 */
export const MAX_QUEUED_COMMANDS = 100_000;

/** Bytes of arguments one MULTI may queue (the engine commits at most 10 MB per transaction). */
export const MAX_QUEUED_BYTES = 32 * 1024 * 1024;

/** Keys one connection may WATCH at once. */
export const MAX_WATCHED_KEYS = 10_000;

/** Bytes of key names one connection may WATCH at once. */
export const MAX_WATCHED_KEY_BYTES = 4 * 1024 * 1024;

/** Memory a queued command costs beyond its arguments' bytes (its record, argv array, parsed form). */
export const QUEUED_COMMAND_OVERHEAD_BYTES = 64;

/** Memory one argument costs beyond its bytes (a Uint8Array object). */
export const QUEUED_ARGUMENT_OVERHEAD_BYTES = 16;

export const MULTI_QUEUE_FULL = multiQueueFull(MAX_QUEUED_COMMANDS, MAX_QUEUED_BYTES);
export const TOO_MANY_WATCHED_KEYS = tooManyWatchedKeys(MAX_WATCHED_KEYS, MAX_WATCHED_KEY_BYTES);

/** The memory a queued command holds: its arguments plus bookkeeping. */
export function queuedSize(argv: readonly Uint8Array[]): number {
  let bytes = QUEUED_COMMAND_OVERHEAD_BYTES;
  for (const arg of argv) bytes += arg.length + QUEUED_ARGUMENT_OVERHEAD_BYTES;
  return bytes;
}
