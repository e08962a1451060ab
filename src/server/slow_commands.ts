// The slow path of a command that took long enough to interest SLOWLOG or
// LATENCY: the connection compares each command's duration with both
// thresholds (two comparisons) and calls this only past one of them.
import { resolveCommand } from "../commands/dispatch.ts";
import type { ServerServices, Session } from "../commands/spec.ts";
import { ErrorReply, QUEUED, type Reply } from "../resp/reply.ts";
import type { LatencyMonitor } from "./latency_monitor.ts";
import type { SlowLog } from "./slow_log.ts";

export interface SlowCommandObservers {
  readonly services: ServerServices;
  readonly slowLog: SlowLog;
  readonly latency: LatencyMonitor;
}

/** One command as the connection saw it run. */
export interface SlowCommandRun {
  readonly argv: readonly Uint8Array[];
  readonly durationMicros: number;
  readonly reply: Reply;
}

export function observeSlowCommand(observers: SlowCommandObservers, session: Session, command: SlowCommandRun): void {
  const { services, slowLog, latency } = observers;
  // Commands that did not run: queued for EXEC, or refused (Redis logs neither, having not called them).
  if (command.reply === QUEUED || (command.reply instanceof ErrorReply && /^(NOAUTH|NOPERM) /.test(command.reply.message))) return;
  const resolved = resolveCommand(services, command.argv);
  if (resolved instanceof ErrorReply) return;
  const spec = resolved.spec;
  // A blocking command's duration includes its wait, which Redis does not count as its latency.
  if (spec.flags.includes("blocking")) return;
  const nowMs = services.clock();
  const tenant = session.keyspace.tenant;
  // As Redis's call(): the subcommand's own flags decide the event.
  const event = spec.flags.includes("fast") ? "fast-command" : "command";
  latency.add(tenant, { event, ms: Math.floor(command.durationMicros / 1000), nowMs });
  if (spec.flags.includes("skip_slowlog")) return;
  slowLog.add({
    tenant,
    argv: command.argv,
    redacted: spec.redactedArguments?.(command.argv),
    durationMicros: command.durationMicros,
    addr: session.addr,
    clientName: session.name,
    nowMs,
  });
}
