// Long reads in pages that let other clients in between (issue 13, "fairness
// between tenants"). A command that reads a million entries (KEYS, LRANGE,
// SMEMBERS, HGETALL...) would otherwise hold the event loop for the whole
// read, and every other tenant's PING would wait behind it.
//
// A long read walks its range in bounded pages inside its one transaction,
// so its reply is still one consistent snapshot (the engines keep a read
// transaction's view across awaits: the memory engine freezes it when a
// commit lands, SQLite runs long reads on a read connection of their own,
// FoundationDB has MVCC), and after each page it asks its ReadPacer whether
// its time slice is used up. If it is, the read waits for a macrotask: a
// microtask would not do, since sockets are only read between macrotasks.
// FoundationDB's 5 s transaction limit still bounds the whole read.
import type { KeyRange, KeyValue, ReadTxn } from "../engine/contract.ts";
import { keyAfter } from "../engine/bytes.ts";

/** How long a long read may hold the event loop before it lets others run. */
export const READ_SLICE_MS = 4;
/** Pairs per engine range read when a long read walks a range. */
export const READ_PAGE_PAIRS = 1024;

/** Resolves on a later turn of the event loop, after pending I/O (other clients' requests) has run. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Time slices of one long read: `pause()` costs nothing while the slice
 * lasts and yields to the event loop once it is used up. One pacer per read,
 * shared by everything the read does (engine reads, decoding, filtering).
 */
export class ReadPacer {
  private sliceStartedAt = performance.now();
  /** Slices handed back to the event loop so far (tests look at it). */
  yields = 0;

  constructor(private readonly sliceMs: number = READ_SLICE_MS) {}

  /** Yields when the current slice is used up; call it between pages. */
  pause(): Promise<void> | undefined {
    if (performance.now() - this.sliceStartedAt < this.sliceMs) return undefined;
    return this.yieldNow();
  }

  private async yieldNow(): Promise<void> {
    this.yields++;
    await yieldToEventLoop();
    this.sliceStartedAt = performance.now();
  }
}

export interface PagedRangeOptions {
  /** Pairs per engine read (default READ_PAGE_PAIRS). */
  readonly pageSize?: number;
  /** At most this many pairs in all (default: the whole range). */
  readonly limit?: number;
  /** Whose slices the walk uses; a fresh pacer by default. */
  readonly pacer?: ReadPacer;
}

/**
 * Every pair of `range` in key order, read page by page in the caller's
 * transaction; `visit` sees each page once and may keep it. Between pages the
 * walk lets other clients run when its slice is used up.
 */
export async function forEachPage(
  tx: ReadTxn,
  range: KeyRange,
  visit: (page: KeyValue[]) => void,
  options: PagedRangeOptions = {},
): Promise<void> {
  const pacer = options.pacer ?? new ReadPacer();
  const pageSize = options.pageSize ?? READ_PAGE_PAIRS;
  let left = options.limit ?? Infinity;
  let start = range.start;
  while (left > 0) {
    const want = Math.min(pageSize, left);
    const page = await tx.getRange({ start, end: range.end }, { limit: want });
    if (page.length > 0) visit(page);
    if (page.length < want) return;
    left -= page.length;
    start = keyAfter(page[page.length - 1]!.key);
    const pause = pacer.pause();
    if (pause !== undefined) await pause;
  }
}

/** All pairs of `range` (at most `limit`), read as forEachPage reads them. */
export async function readRangePaged(tx: ReadTxn, range: KeyRange, options: PagedRangeOptions = {}): Promise<KeyValue[]> {
  const out: KeyValue[] = [];
  await forEachPage(tx, range, (page) => {
    for (const pair of page) out.push(pair);
  }, options);
  return out;
}
