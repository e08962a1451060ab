// MONITOR's connections and who hears what: a line goes to the monitors of
// the tenant whose client ran the command, and to the operator's monitors
// (which hear every tenant). A monitor whose credentials expired or were
// revoked hears nothing more. Lines are pushed like any other reply, so the
// connection's client-output-buffer-limit disconnects a monitor that does
// not read, instead of holding its backlog in memory.
import type { MonitorService } from "../commands/command_observers.ts";
import type { Session } from "../commands/spec.ts";
import type { Reply } from "../resp/reply.ts";

export class Monitors implements MonitorService {
  /** A plain field, read by every command: no getter call on the command path. */
  active = false;
  private readonly sessions = new Set<Session>();

  constructor(private readonly clock: () => number) {}

  start(session: Session): boolean {
    if (this.sessions.has(session)) return false;
    this.sessions.add(session);
    this.active = true;
    return true;
  }

  stop(session: Session): void {
    if (this.sessions.delete(session)) this.active = this.sessions.size !== 0;
  }

  monitoring(session: Session): boolean {
    return this.sessions.has(session);
  }

  deliver(tenant: string, line: Reply): void {
    const now = this.clock();
    for (const monitor of this.sessions) {
      const principal = monitor.principal;
      if (principal === undefined) continue;
      if (principal.operator !== true && principal.tenant !== tenant) continue;
      if (principal.expiresAtMs !== undefined && now > principal.expiresAtMs) continue;
      if (principal.stillValid?.() === false) continue;
      monitor.push(line);
    }
  }
}
