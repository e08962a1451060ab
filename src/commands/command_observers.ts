// What the server offers to watch commands go by: MONITOR's feed, the slow
// log and the latency monitor (state in src/server/monitors.ts,
// slow_log.ts, latency_monitor.ts; commands in families/diagnostics.ts).
// Each view is per tenant: a tenant sees what its own clients ran, and the
// operator (auth off, or the password of a single-tenant server) sees all.
import type { Reply } from "../resp/reply.ts";
import type { Principal, Session } from "./spec.ts";

/** Whose entries a caller sees: its tenant's, or every tenant's (the operator). */
export interface ObserverView {
  readonly tenant: string;
  readonly all: boolean;
}

export function viewOf(principal: Principal | undefined, tenant: string): ObserverView {
  return { tenant, all: principal?.operator === true };
}

/** MONITOR: connections that receive a line for every command run. */
export interface MonitorService {
  /**
   * True while at least one connection monitors: the only thing the command
   * path checks when nobody does.
   */
  readonly active: boolean;
  /** Starts feeding `session`; false when it monitors already. */
  start(session: Session): boolean;
  /** Stops feeding `session` (RESET, disconnect); nothing when it did not monitor. */
  stop(session: Session): void;
  monitoring(session: Session): boolean;
  /** Sends `line` (monitor_line.ts) to the monitors of `tenant` and to the operator's. */
  deliver(tenant: string, line: Reply): void;
}

/** One SLOWLOG entry, arguments already trimmed and redacted. */
export interface SlowLogEntry {
  readonly id: number;
  /** Unix time, seconds, when the command finished. */
  readonly timeSeconds: number;
  readonly durationMicros: number;
  readonly args: readonly Uint8Array[];
  readonly addr: string;
  readonly clientName: string;
}

export interface SlowLogService {
  /** `slowlog-log-slower-than`, µs; -1: off, 0: every command. */
  logSlowerThanMicros: number;
  /** The duration (µs) from which a command is logged: Infinity when off (one comparison per command). */
  readonly thresholdMicros: number;
  /** `slowlog-max-len`: entries kept per tenant. */
  maxLength: number;
  /** Newest first, at most `count`. */
  entries(view: ObserverView, count: number): readonly SlowLogEntry[];
  length(view: ObserverView): number;
  reset(view: ObserverView): void;
}

/** One latency event ("command", "fast-command") as LATENCY LATEST shows it. */
export interface LatencyEventSummary {
  readonly event: string;
  readonly latestSeconds: number;
  readonly latestMs: number;
  readonly maxMs: number;
}

export interface LatencySample {
  readonly timeSeconds: number;
  readonly ms: number;
}

export interface LatencyService {
  /** `latency-monitor-threshold`, ms; 0: off. */
  thresholdMs: number;
  /** The duration (µs) from which a command is a spike: Infinity when off (one comparison per command). */
  readonly thresholdMicros: number;
  latest(view: ObserverView): readonly LatencyEventSummary[];
  /** Oldest first; undefined when the event has no samples. */
  history(view: ObserverView, event: string): readonly LatencySample[] | undefined;
  /** Forgets the named events (all when none is named); how many there were. */
  reset(view: ObserverView, events: readonly string[]): number;
}
