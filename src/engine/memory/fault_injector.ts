// Injects FoundationDB's retryable commit errors from a seed, so every layer
// above the engine has its retry paths exercised in ordinary tests.
import { SeededRandom } from "../seeded_random.ts";

export interface FaultOptions {
  /** Same seed, same faults (given the same sequence of commits). */
  readonly seed: number;
  /** Probability in [0, 1] that a commit fails. */
  readonly rate: number;
  /**
   * The faults that may be injected (default: all three). Leaving out
   * commit_unknown_result means no failed commit ever took effect, so
   * non-idempotent bodies (INCR, LPUSH) stay exact: what model-based tests need.
   */
  readonly codes?: readonly InjectedFault[];
}

export type InjectedFault = "not_committed" | "commit_unknown_result" | "transaction_too_old";

const WRITE_FAULTS: readonly InjectedFault[] = ["not_committed", "commit_unknown_result", "transaction_too_old"];

export class FaultInjector {
  private readonly random: SeededRandom;
  private readonly rate: number;
  private readonly writeFaults: readonly InjectedFault[];
  private readonly readFaults: boolean;
  /** Faults injected so far. */
  injected = 0;

  constructor(options: FaultOptions) {
    this.random = new SeededRandom(options.seed);
    this.rate = options.rate;
    this.writeFaults = options.codes ?? WRITE_FAULTS;
    if (this.writeFaults.length === 0 || this.writeFaults.some((code) => !WRITE_FAULTS.includes(code))) {
      throw new Error(`fault codes must be a non-empty subset of ${WRITE_FAULTS.join(", ")}`);
    }
    this.readFaults = this.writeFaults.includes("transaction_too_old");
  }

  /**
   * The fault for the next commit, or null. A read-only transaction never
   * commits on FoundationDB, so only its read version can be too old.
   */
  next(readOnly: boolean): InjectedFault | null {
    if (this.rate <= 0 || this.random.next() >= this.rate) return null;
    if (readOnly && !this.readFaults) return null;
    this.injected++;
    return readOnly ? "transaction_too_old" : this.writeFaults[this.random.int(this.writeFaults.length)]!;
  }

  /**
   * For commit_unknown_result: whether the commit really happened. FoundationDB
   * reports 1021 both when it did and when it did not, so callers must be
   * idempotent-aware (a retried INCR may apply twice).
   */
  committedAnyway(): boolean {
    return this.random.next() < 0.5;
  }
}
