// Each tenant's own activity figures, for INFO: a tenant of a shared server
// sees its connections, commands, network bytes and expired keys, never the
// server's totals (which tell it how busy the other tenants are). The
// operator sees the server-wide figures. Kept in memory since start, like
// Redis's INFO stats; CONFIG RESETSTAT is the operator's and resets totals only.
import type { TenantFigures } from "../commands/spec.ts";

export class TenantStats {
  private readonly tenants = new Map<string, TenantFigures>();

  /** The tenant's counters, created at first use; callers keep the object and increment it. */
  of(tenant: string): TenantFigures {
    let figures = this.tenants.get(tenant);
    if (figures === undefined) {
      figures = { connectionsReceived: 0, commandsProcessed: 0, netInputBytes: 0, netOutputBytes: 0, expiredKeys: 0 };
      this.tenants.set(tenant, figures);
    }
    return figures;
  }
}
