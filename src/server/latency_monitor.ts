// LATENCY: latency spikes of commands, as Redis 7.0 records them
// (latency.c): a command that took at least `latency-monitor-threshold` ms
// adds a sample to the event "command", or "fast-command" for commands
// flagged fast; one sample per event per second (the highest), the last 160
// kept, and the event's all-time maximum.
//
// A command's latency is the tenant's business: each tenant has its own
// events, from its own clients' commands, so it learns nothing of another
// tenant's load; the operator's view is the server's, from every command.
// Memory: two events of 160 samples per tenant that had a spike, plus the
// server's own.
import type { LatencyEventSummary, LatencySample, LatencyService, ObserverView } from "../commands/command_observers.ts";

/** Redis's LATENCY_TS_LEN. */
export const LATENCY_HISTORY_LENGTH = 160;

class TimeSeries {
  /** Oldest first, one per second at most. */
  readonly samples: { timeSeconds: number; ms: number }[] = [];
  maxMs = 0;

  add(timeSeconds: number, ms: number): void {
    if (ms > this.maxMs) this.maxMs = ms;
    const last = this.samples[this.samples.length - 1];
    if (last !== undefined && last.timeSeconds === timeSeconds) {
      if (ms > last.ms) last.ms = ms;
      return;
    }
    this.samples.push({ timeSeconds, ms });
    if (this.samples.length > LATENCY_HISTORY_LENGTH) this.samples.shift();
  }
}

type Events = Map<string, TimeSeries>;

export class LatencyMonitor implements LatencyService {
  thresholdMicros = Infinity;
  private threshold = 0;
  private readonly server: Events = new Map();
  private readonly tenants = new Map<string, Events>();

  get thresholdMs(): number {
    return this.threshold;
  }

  set thresholdMs(ms: number) {
    this.threshold = ms;
    this.thresholdMicros = ms <= 0 ? Infinity : ms * 1000;
  }

  /** A command of `tenant` took `ms` (whole milliseconds, rounded down as Redis does). */
  add(tenant: string, sample: { event: string; ms: number; nowMs: number }): void {
    if (this.thresholdMs <= 0 || sample.ms < this.thresholdMs) return;
    const seconds = Math.floor(sample.nowMs / 1000);
    seriesOf(this.server, sample.event).add(seconds, sample.ms);
    let own = this.tenants.get(tenant);
    if (own === undefined) this.tenants.set(tenant, own = new Map());
    seriesOf(own, sample.event).add(seconds, sample.ms);
  }

  latest(view: ObserverView): readonly LatencyEventSummary[] {
    return [...this.eventsOf(view)].map(([event, series]) => {
      const last = series.samples[series.samples.length - 1]!;
      return { event, latestSeconds: last.timeSeconds, latestMs: last.ms, maxMs: series.maxMs };
    });
  }

  history(view: ObserverView, event: string): readonly LatencySample[] | undefined {
    return this.eventsOf(view).get(event)?.samples.map((s) => ({ ...s }));
  }

  reset(view: ObserverView, events: readonly string[]): number {
    const own = this.eventsOf(view);
    let resets = 0;
    for (const event of [...own.keys()]) {
      if (events.length !== 0 && !events.some((name) => name.toLowerCase() === event.toLowerCase())) continue;
      own.delete(event);
      resets++;
    }
    // The operator resets the server's events, and with them every tenant's.
    if (view.all) {
      for (const tenantEvents of this.tenants.values()) {
        for (const event of [...tenantEvents.keys()]) {
          if (events.length === 0 || events.some((name) => name.toLowerCase() === event.toLowerCase())) tenantEvents.delete(event);
        }
      }
    }
    return resets;
  }

  private eventsOf(view: ObserverView): Events {
    return view.all ? this.server : this.tenants.get(view.tenant) ?? new Map();
  }
}

function seriesOf(events: Events, event: string): TimeSeries {
  let series = events.get(event);
  if (series === undefined) events.set(event, series = new TimeSeries());
  return series;
}
