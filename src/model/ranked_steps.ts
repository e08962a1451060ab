// Model code with many dependent reads (the ranked set's walks, the sorted-set
// commands built on them) written as generators that yield the engine's
// MaybePromise reads: `const value = yield* wait(tx.get(key))`. `runSteps`
// feeds each read back at once while the engine answers synchronously (the
// memory engine, SQLite's cache) and goes asynchronous only from the first
// read that waits (FoundationDB), so one code path serves every engine, as
// `then` does for shorter functions (engine/maybe_promise.ts).
import type { MaybePromise } from "../engine/contract.ts";

/** A computation that yields reads and returns a T. */
export type Steps<T> = Generator<MaybePromise<unknown>, T, unknown>;

/** The value of a read, inside Steps: `const value = yield* wait(tx.get(key))`. */
export function* wait<T>(value: MaybePromise<T>): Generator<MaybePromise<unknown>, T, unknown> {
  return (value instanceof Promise ? yield value : value) as T;
}

/** Runs `steps`: synchronously while every read is ready, with a promise from the first that is not. */
export function runSteps<T>(steps: Steps<T>): MaybePromise<T> {
  let next = steps.next();
  while (!next.done) {
    const value = next.value;
    if (value instanceof Promise) return finishSteps(steps, value);
    next = steps.next(value);
  }
  return next.value;
}

async function finishSteps<T>(steps: Steps<T>, pending: Promise<unknown>): Promise<T> {
  let next = steps.next(await pending);
  while (!next.done) next = steps.next(await next.value);
  return next.value;
}
