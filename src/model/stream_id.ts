// Stream entry ids: two unsigned 64-bit integers, milliseconds and sequence,
// ordered by ms then seq, written "<ms>-<seq>". Bigints, because Redis allows
// the whole 64-bit range (18446744073709551615-18446744073709551615 is a valid id).

export interface StreamId {
  readonly ms: bigint;
  readonly seq: bigint;
}

export const UINT64_MAX = 0xffff_ffff_ffff_ffffn;
export const MIN_ID: StreamId = { ms: 0n, seq: 0n };
export const MAX_ID: StreamId = { ms: UINT64_MAX, seq: UINT64_MAX };

export function compareIds(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

export function isZeroId(id: StreamId): boolean {
  return id.ms === 0n && id.seq === 0n;
}

/** The id just after `id` (Redis's streamIncrID); undefined after the last possible id. */
export function idAfter(id: StreamId): StreamId | undefined {
  if (id.seq < UINT64_MAX) return { ms: id.ms, seq: id.seq + 1n };
  if (id.ms < UINT64_MAX) return { ms: id.ms + 1n, seq: 0n };
  return undefined;
}

/** The id just before `id` (Redis's streamDecrID); undefined before 0-0. */
export function idBefore(id: StreamId): StreamId | undefined {
  if (id.seq > 0n) return { ms: id.ms, seq: id.seq - 1n };
  if (id.ms > 0n) return { ms: id.ms - 1n, seq: UINT64_MAX };
  return undefined;
}

/** Bigints print slower than numbers: ids are formatted through numbers when safe (nearly always). */
function decimal(value: bigint): string {
  return value <= 9007199254740991n ? String(Number(value)) : String(value);
}

export function formatId(id: StreamId): string {
  return `${decimal(id.ms)}-${decimal(id.seq)}`;
}
