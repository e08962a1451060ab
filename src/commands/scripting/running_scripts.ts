// The scripts running now, per tenant: what BUSY, SCRIPT KILL, FUNCTION KILL
// and FUNCTION STATS look at. A script that runs past busy-reply-threshold
// makes the other commands of its tenant answer BUSY (Redis's text) until it
// ends or is killed; other tenants are not held up by it, except on an
// engine that runs one write transaction at a time (SQLite), where they wait
// for it at most the engine's transaction limit.
import { MAX_TRANSACTION_MS } from "../../engine/limits.ts";
import type { ScriptRun } from "../../scripting/script_state.ts";
import type { Session } from "../spec.ts";
import type { ScriptIdentity } from "./script_run.ts";

export interface RunningScript {
  readonly tenant: string;
  readonly session: Session;
  readonly identity: ScriptIdentity;
  readonly run: ScriptRun;
  /** True once the script ran a write command: SCRIPT KILL then answers UNKILLABLE. */
  wrote: boolean;
}

/** Redis's default busy-reply-threshold (lua-time-limit), in milliseconds. */
export const DEFAULT_BUSY_REPLY_THRESHOLD_MS = 5_000;

export class RunningScripts {
  private readonly byTenant = new Map<string, Set<RunningScript>>();
  /** busy-reply-threshold (CONFIG SET busy-reply-threshold / lua-time-limit). */
  busyThresholdMs = DEFAULT_BUSY_REPLY_THRESHOLD_MS;
  /**
   * How long a script may run at most: the engine's transaction limit, past
   * which its transaction could not commit anyway. Lower only in tests.
   */
  deadlineMs = MAX_TRANSACTION_MS;
  /** How many scripts run now on this server: dispatch's check costs nothing while it is 0. */
  count = 0;

  add(session: Session, identity: ScriptIdentity, run: ScriptRun): RunningScript {
    const tenant = session.keyspace.tenant;
    const entry: RunningScript = { tenant, session, identity, run, wrote: false };
    let runs = this.byTenant.get(tenant);
    if (runs === undefined) {
      runs = new Set();
      this.byTenant.set(tenant, runs);
    }
    runs.add(entry);
    this.count++;
    return entry;
  }

  remove(entry: RunningScript): void {
    const runs = this.byTenant.get(entry.tenant);
    // The tenant's set stays (one per tenant that ran a script): made again for every run, it cost more than the run's bookkeeping.
    if (runs === undefined || !runs.delete(entry)) return;
    this.count--;
  }

  /** The tenant's script that has run past the threshold at `nowMs`, if any: its other commands answer BUSY. */
  busy(tenant: string, nowMs: number): RunningScript | undefined {
    const runs = this.byTenant.get(tenant);
    if (runs === undefined) return undefined;
    for (const entry of runs) if (nowMs - entry.run.startedAt >= this.busyThresholdMs) return entry;
    return undefined;
  }

  /** The tenant's longest-running script, if any (SCRIPT KILL, FUNCTION STATS). */
  oldest(tenant: string): RunningScript | undefined {
    const runs = this.byTenant.get(tenant);
    if (runs === undefined) return undefined;
    let oldest: RunningScript | undefined;
    for (const entry of runs) if (oldest === undefined || entry.run.startedAt < oldest.run.startedAt) oldest = entry;
    return oldest;
  }
}
