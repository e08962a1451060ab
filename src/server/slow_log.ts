// SLOWLOG: the commands that took at least `slowlog-log-slower-than` µs,
// newest first, as Redis 7.0 keeps them (slowlog.c): at most 32 arguments
// (the last one saying how many more there were), each at most 128 bytes
// (with how many more bytes there were), the client's address and name.
//
// Each tenant has its own log: its own ids (from 0, so a tenant learns
// nothing of others' slow commands from gaps) and at most `slowlog-max-len`
// entries. The operator sees every tenant's entries, newest first. Memory is
// bounded twice: per tenant by the max length, and for the whole server by
// a byte budget; past it the tenant holding the most bytes loses its oldest
// entry, so a tenant with many slow commands evicts its own entries first.
import type { ObserverView, SlowLogEntry, SlowLogService } from "../commands/command_observers.ts";

/** Redis's SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING. */
export const SLOWLOG_MAX_ARGS = 32;
export const SLOWLOG_MAX_ARG_BYTES = 128;
/** All tenants' entries together hold at most about this much memory. */
export const SLOWLOG_MEMORY_BUDGET_BYTES = 16 * 1024 * 1024;
/** What an entry costs beyond its arguments' bytes (objects, strings, numbers). */
const ENTRY_OVERHEAD_BYTES = 200;
const ARG_OVERHEAD_BYTES = 32;

const encoder = new TextEncoder();

interface StoredEntry extends SlowLogEntry {
  /** Server-wide order, to merge tenants' logs for the operator. */
  readonly sequence: number;
  readonly bytes: number;
}

class TenantLog {
  /** Oldest first. */
  readonly entries: StoredEntry[] = [];
  nextId = 0;
  bytes = 0;
}

/** What a slow command was: its arguments (before trimming), client and duration. */
export interface SlowCommand {
  readonly tenant: string;
  readonly argv: readonly Uint8Array[];
  readonly redacted?: readonly number[];
  readonly durationMicros: number;
  readonly addr: string;
  readonly clientName: string;
  readonly nowMs: number;
}

export class SlowLog implements SlowLogService {
  maxLength = 128;
  thresholdMicros = 10_000;
  private slowerThan = 10_000;
  private readonly logs = new Map<string, TenantLog>();
  private sequence = 0;
  private totalBytes = 0;

  constructor(private readonly budgetBytes = SLOWLOG_MEMORY_BUDGET_BYTES) {}

  get logSlowerThanMicros(): number {
    return this.slowerThan;
  }

  set logSlowerThanMicros(micros: number) {
    this.slowerThan = micros;
    this.thresholdMicros = micros < 0 ? Infinity : micros;
  }

  /** Logs `command` if it was slow enough (the caller checked thresholdMicros first, on the hot path). */
  add(command: SlowCommand): void {
    if (command.durationMicros < this.thresholdMicros) return;
    let log = this.logs.get(command.tenant);
    if (log === undefined) {
      log = new TenantLog();
      this.logs.set(command.tenant, log);
    }
    const args = trimmedArguments(command.argv, command.redacted);
    const bytes = ENTRY_OVERHEAD_BYTES + command.addr.length + command.clientName.length +
      args.reduce((sum, arg) => sum + arg.length + ARG_OVERHEAD_BYTES, 0);
    const entry: StoredEntry = {
      id: log.nextId++,
      timeSeconds: Math.floor(command.nowMs / 1000),
      durationMicros: Math.floor(command.durationMicros),
      args,
      addr: command.addr,
      clientName: command.clientName,
      sequence: this.sequence++,
      bytes,
    };
    log.entries.push(entry);
    log.bytes += bytes;
    this.totalBytes += bytes;
    // As Redis, a shorter slowlog-max-len takes effect at the next entry.
    while (log.entries.length > this.maxLength) this.dropOldest(command.tenant, log);
    while (this.totalBytes > this.budgetBytes) this.dropOldestOfLargest();
  }

  entries(view: ObserverView, count: number): readonly SlowLogEntry[] {
    const found = view.all
      ? [...this.logs.values()].flatMap((log) => log.entries).sort((a, b) => a.sequence - b.sequence)
      : this.logs.get(view.tenant)?.entries ?? [];
    const newestFirst: SlowLogEntry[] = [];
    for (let i = found.length - 1; i >= 0 && newestFirst.length < count; i--) newestFirst.push(found[i]!);
    return newestFirst;
  }

  length(view: ObserverView): number {
    if (!view.all) return this.logs.get(view.tenant)?.entries.length ?? 0;
    let total = 0;
    for (const log of this.logs.values()) total += log.entries.length;
    return total;
  }

  /** Empties the log; ids go on from where they were, as in Redis. */
  reset(view: ObserverView): void {
    for (const [tenant, log] of this.logs) {
      if (!view.all && tenant !== view.tenant) continue;
      this.totalBytes -= log.bytes;
      log.entries.length = 0;
      log.bytes = 0;
    }
  }

  /** Bytes held by every tenant's entries (for tests of the budget). */
  get heldBytes(): number {
    return this.totalBytes;
  }

  private dropOldest(tenant: string, log: TenantLog): void {
    const dropped = log.entries.shift();
    if (dropped === undefined) return;
    log.bytes -= dropped.bytes;
    this.totalBytes -= dropped.bytes;
    // A tenant whose log is empty and whose ids never started keeps nothing; one with ids keeps its counter.
    if (log.entries.length === 0 && log.nextId === 0) this.logs.delete(tenant);
  }

  private dropOldestOfLargest(): void {
    let largest: [string, TenantLog] | undefined;
    for (const entry of this.logs) if (largest === undefined || entry[1].bytes > largest[1].bytes) largest = entry;
    if (largest === undefined || largest[1].entries.length === 0) {
      this.totalBytes = 0;
      return;
    }
    this.dropOldest(largest[0], largest[1]);
  }
}

/** Redis's trimming: 32 arguments at most, 128 bytes each at most, each cut saying how much it cut. */
export function trimmedArguments(argv: readonly Uint8Array[], redacted: readonly number[] = []): Uint8Array[] {
  const kept = Math.min(argv.length, SLOWLOG_MAX_ARGS);
  const out: Uint8Array[] = [];
  for (let i = 0; i < kept; i++) {
    if (kept !== argv.length && i === kept - 1) {
      out.push(encoder.encode(`... (${argv.length - kept + 1} more arguments)`));
      break;
    }
    if (redacted.includes(i)) {
      out.push(encoder.encode("(redacted)"));
      continue;
    }
    const arg = argv[i]!;
    if (arg.length <= SLOWLOG_MAX_ARG_BYTES) {
      // A copy: the request's buffer must not stay alive for the entry's sake.
      out.push(arg.slice());
      continue;
    }
    const suffix = encoder.encode(`... (${arg.length - SLOWLOG_MAX_ARG_BYTES} more bytes)`);
    const cut = new Uint8Array(SLOWLOG_MAX_ARG_BYTES + suffix.length);
    cut.set(arg.subarray(0, SLOWLOG_MAX_ARG_BYTES));
    cut.set(suffix, SLOWLOG_MAX_ARG_BYTES);
    out.push(cut);
  }
  return out;
}
