// What a Connection needs from its server: kept narrow so connections can be
// tested with a small host and the server stays the only owner of state.
import type { Authenticator, ServerServices, TenantFigures } from "../commands/spec.ts";
import type { Keyspace } from "../model/keyspace.ts";
import type { Connection } from "./connection.ts";
import type { SlowCommandRun } from "./slow_commands.ts";

export interface ConnectionHost {
  readonly services: ServerServices;
  readonly auth: Authenticator;
  /** Largest request accepted (all arguments of one command). */
  readonly maxRequestBytes?: number;
  clock(): number;
  nextClientId(): number;
  keyspaceOf(tenant: string, db: number): Keyspace;
  countCommand(): void;
  /** The counters of a tenant, which its connections increment (INFO for tenants). */
  tenantCounters(tenant: string): TenantFigures;
  forget(connection: Connection): void;
  /** A command of `session` took at least SLOWLOG's or LATENCY's threshold (slow_commands.ts). */
  slowCommand(session: Connection, command: SlowCommandRun): void;
  /** The connection authenticated for the first time (it no longer awaits AUTH). */
  authenticated?(connection: Connection): void;
}
