// The write sets of recent commits, for optimistic concurrency: a
// transaction may commit only if no commit after its read version wrote into
// what it read (FoundationDB's resolver, in one process).
import type { Bytes } from "../contract.ts";
import { bytesEqual, compareBytes, lowerBound } from "../bytes.ts";

/** What one commit wrote: single keys and cleared ranges, each sorted. */
export class CommitWrites {
  readonly points: Bytes[] = [];
  readonly rangeStarts: Bytes[] = [];
  readonly rangeEnds: Bytes[] = [];

  constructor(
    readonly version: number,
    readonly time: number,
  ) {}

  /** Whether this commit wrote into `[start, end)` (or the key `start` when `end` is null). */
  intersects(start: Bytes, end: Bytes | null): boolean {
    const points = this.points;
    const i = lowerBound(points, start);
    if (i < points.length) {
      const point = points[i]!;
      if (end === null ? bytesEqual(point, start) : compareBytes(point, end) < 0) return true;
    }
    const starts = this.rangeStarts;
    const ends = this.rangeEnds;
    for (let r = 0; r < starts.length; r++) {
      // Cleared range [s, e) meets the read when s < end and start < e.
      if (compareBytes(start, ends[r]!) >= 0) continue;
      const s = starts[r]!;
      if (end === null ? compareBytes(s, start) <= 0 : compareBytes(s, end) < 0) return true;
    }
    return false;
  }
}

export interface ConflictHistoryOptions {
  /** How long a commit is remembered: as long as a transaction may live. */
  readonly retainMs: number;
  /** At most this many commits are remembered; older read versions become too old. */
  readonly maxCommits: number;
}

export class ConflictHistory {
  private commits: CommitWrites[] = [];
  private head = 0;
  /**
   * Commits at or below this version may have been forgotten: a transaction
   * whose read version is below it cannot be checked and is too old.
   */
  private floorVersion = 0;

  constructor(private readonly options: ConflictHistoryOptions) {}

  get floor(): number {
    return this.floorVersion;
  }

  get length(): number {
    return this.commits.length - this.head;
  }

  record(commit: CommitWrites): void {
    this.commits.push(commit);
    this.prune(commit.time);
  }

  /**
   * Commits at or below `version` cannot matter any more: no running
   * transaction reads below it. With `everything`, the later ones go too
   * (nothing reads before `version` + 1 either).
   */
  forgetThrough(version: number, everything = true): void {
    if (everything) {
      this.commits = [];
      this.head = 0;
    } else {
      let head = this.head;
      while (head < this.commits.length && this.commits[head]!.version <= version) head++;
      this.head = head;
      this.compact();
    }
    if (version > this.floorVersion) this.floorVersion = version;
  }

  /**
   * True when a commit after `readVersion` wrote into one of the read ranges.
   * Assumes `readVersion >= floor`.
   */
  conflicts(readVersion: number, starts: readonly Bytes[], ends: readonly (Bytes | null)[]): boolean {
    const commits = this.commits;
    // Recent commits are at the end; walk back to the read version.
    for (let c = commits.length - 1; c >= this.head; c--) {
      const commit = commits[c]!;
      if (commit.version <= readVersion) break;
      for (let r = 0; r < starts.length; r++) {
        if (commit.intersects(starts[r]!, ends[r]!)) return true;
      }
    }
    return false;
  }

  private prune(now: number): void {
    const commits = this.commits;
    const oldest = now - this.options.retainMs;
    let head = this.head;
    while (head < commits.length && (commits.length - head > this.options.maxCommits || commits[head]!.time < oldest)) {
      this.floorVersion = commits[head]!.version;
      head++;
    }
    this.head = head;
    this.compact();
  }

  /** Drops forgotten commits now and then rather than shifting the array on every commit. */
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.commits.length) {
      this.commits = this.commits.slice(this.head);
      this.head = 0;
    }
  }
}
