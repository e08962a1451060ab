// Per-command and per-error counters for INFO commandstats, errorstats and
// stats. Fed by every connection once per command: a Map lookup and a few
// increments, nothing more on the hot path.

/** The counters of one command ("get", "client|list"). */
export interface CommandCounters {
  calls: number;
  usec: number;
  /** Refused before running (authentication, permission). */
  rejectedCalls: number;
  /** Ran and answered an error. */
  failedCalls: number;
}

export class CommandStats {
  readonly commands = new Map<string, CommandCounters>();
  /** Error replies by their code: the first word of the message ("ERR", "WRONGTYPE"). */
  readonly errors = new Map<string, number>();
  totalErrorReplies = 0;
  netInputBytes = 0;
  netOutputBytes = 0;
  keyspaceHits = 0;
  keyspaceMisses = 0;
  /** Commands counted in the current one-second window, for instantaneous_ops_per_sec. */
  private windowStartMs = 0;
  private windowOps = 0;
  private lastRate = 0;

  /** Records one command that ran (usec: its duration) and whether it answered an error. */
  record(name: string, usec: number, error: string | undefined, nowMs: number): void {
    let counters = this.commands.get(name);
    if (counters === undefined) {
      counters = { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 };
      this.commands.set(name, counters);
    }
    if (error === undefined) {
      counters.calls++;
      counters.usec += usec;
    } else if (isRejection(error)) {
      counters.rejectedCalls++;
    } else {
      counters.calls++;
      counters.usec += usec;
      counters.failedCalls++;
    }
    this.tick(nowMs);
    if (error !== undefined) this.recordError(error);
  }

  /** An error reply that belongs to no command (unknown command, wrong arity, protocol error). */
  recordError(message: string): void {
    const space = message.indexOf(" ");
    const code = space < 0 ? message : message.slice(0, space);
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
    this.totalErrorReplies++;
  }

  private tick(nowMs: number): void {
    if (nowMs - this.windowStartMs >= 1000) {
      this.lastRate = nowMs - this.windowStartMs < 2000 ? this.windowOps : 0;
      this.windowStartMs = nowMs;
      this.windowOps = 0;
    }
    this.windowOps++;
  }

  /** Commands per second over the last complete second. */
  opsPerSecond(nowMs: number): number {
    if (nowMs - this.windowStartMs >= 2000) return 0;
    return nowMs - this.windowStartMs >= 1000 ? this.windowOps : this.lastRate;
  }

  /** CONFIG RESETSTAT. */
  reset(): void {
    this.commands.clear();
    this.errors.clear();
    this.totalErrorReplies = 0;
    this.netInputBytes = 0;
    this.netOutputBytes = 0;
    this.keyspaceHits = 0;
    this.keyspaceMisses = 0;
    this.windowOps = 0;
    this.lastRate = 0;
  }

  /** INFO commandstats lines, as Redis formats them. */
  commandLines(): string[] {
    const lines: string[] = [];
    for (const [name, c] of this.commands) {
      const perCall = c.calls === 0 ? 0 : c.usec / c.calls;
      lines.push(
        `cmdstat_${name}:calls=${c.calls},usec=${Math.round(c.usec)},usec_per_call=${perCall.toFixed(2)},` +
          `rejected_calls=${c.rejectedCalls},failed_calls=${c.failedCalls}`,
      );
    }
    return lines;
  }

  /** INFO errorstats lines. */
  errorLines(): string[] {
    return [...this.errors].map(([code, count]) => `errorstat_${code}:count=${count}`);
  }
}

function isRejection(message: string): boolean {
  return message.startsWith("NOAUTH") || message.startsWith("NOPERM");
}
