// Values that are ready now or later. The in-process engines (memory,
// SQLite) answer reads synchronously; FoundationDB answers with promises.
// Code on the hot path takes either, so that a memory GET creates no promise
// at all, while the same code still runs unchanged over FoundationDB.
//
// `await` accepts both, so code off the hot path keeps using async functions;
// hot code continues with `then` below, which calls on at once when the value
// is ready and chains a promise only when it is not.

export type MaybePromise<T> = T | Promise<T>;

/** True when `value` must be waited for. */
export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return value instanceof Promise;
}

/** `next(value)`, now when the value is ready, else once it is. */
export function then<T, U>(value: MaybePromise<T>, next: (ready: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** Every value of `values`, as an array: ready now when all of them are. */
export function all<T>(values: readonly MaybePromise<T>[]): MaybePromise<T[]> {
  for (const value of values) if (value instanceof Promise) return Promise.all(values);
  return values as T[];
}

/**
 * `step(item, index)` for each item in order, each after the previous one
 * finished: synchronously while the steps are, asynchronously from the first
 * one that waits. Its values, in order.
 */
export function sequence<T, R>(items: readonly T[], step: (item: T, index: number) => MaybePromise<R>): MaybePromise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i++) {
    const value = step(items[i]!, i);
    if (value instanceof Promise) return finishSequence(items, step, out, value, i);
    out.push(value);
  }
  return out;
}

async function finishSequence<T, R>(
  items: readonly T[],
  step: (item: T, index: number) => MaybePromise<R>,
  out: R[],
  pending: Promise<R>,
  index: number,
): Promise<R[]> {
  out.push(await pending);
  for (let i = index + 1; i < items.length; i++) out.push(await step(items[i]!, i));
  return out;
}
