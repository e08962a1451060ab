// Who may connect: maxclients, a bound per source address, and room kept
// for authenticated clients. Anonymous sockets cost nothing to open, so when
// auth is required they may hold at most half of maxclients, and when room
// is short the oldest one still awaiting AUTH is closed rather than the new
// client refused: an honest client authenticates within a round trip, so a
// flood must outpace that to keep it out, while authenticated clients are
// never pushed out. Those awaiting AUTH are also closed after --auth-timeout.

/** Share of maxclients that connections awaiting AUTH may hold (when auth is required). */
export const UNAUTHENTICATED_SHARE = 0.5;

export const MAX_CLIENTS_REACHED = "ERR max number of clients reached";
export const maxClientsPerAddressReached = (limit: number): string =>
  `ERR max number of clients per address reached (${limit}); close idle connections or raise --maxclients-per-address`;
export const PUSHED_OUT_BEFORE_AUTH =
  "ERR connection closed to make room: too many connections awaiting AUTH; authenticate right after connecting";
export const authTimeoutExpired = (seconds: number): string =>
  `ERR authentication timeout: no AUTH within ${seconds} s of connecting (the server's --auth-timeout); authenticate right after connecting`;

export interface AdmissionLimits {
  readonly maxClients: number;
  /** 0: no limit. */
  readonly maxClientsPerAddress: number;
  /** Only then is room kept for authenticated clients. */
  readonly authRequired: boolean;
}

/** What the admission needs to know of a connection. */
export interface Admitted {
  readonly addr: string;
  /** Closes a connection awaiting AUTH with this error; false when it cannot now (a command of it is running). */
  expel(message: string): boolean;
}

export type Decision<C> = { readonly admit: true; readonly expel: C | undefined } | { readonly admit: false; readonly error: string };

export class Admission<C extends Admitted> {
  /** Connections awaiting AUTH, oldest first (a Set keeps insertion order). */
  private readonly awaitingAuth = new Set<C>();
  /** Connections closed by us whose sockets are still closing: they no longer count against maxclients. */
  private readonly leaving = new Set<C>();
  private readonly perAddress = new Map<string, number>();
  private count = 0;

  constructor(private readonly limits: AdmissionLimits) {}

  get unauthenticated(): number {
    return this.awaitingAuth.size;
  }

  /** Whether a client from `addr` ("ip:port") may connect, and which waiting connection to close for it. */
  decide(addr: string): Decision<C> {
    const { maxClients, maxClientsPerAddress, authRequired } = this.limits;
    const full = this.count - this.leaving.size >= maxClients;
    const oldest = authRequired ? this.awaitingAuth.values().next().value : undefined;
    if (full && oldest === undefined) return { admit: false, error: MAX_CLIENTS_REACHED };
    if (maxClientsPerAddress > 0 && (this.perAddress.get(hostOf(addr)) ?? 0) >= maxClientsPerAddress) {
      return { admit: false, error: maxClientsPerAddressReached(maxClientsPerAddress) };
    }
    const anonymousFull = authRequired && this.awaitingAuth.size >= Math.max(1, Math.floor(maxClients * UNAUTHENTICATED_SHARE));
    return { admit: true, expel: full || anonymousFull ? oldest : undefined };
  }

  added(connection: C, authenticated: boolean): void {
    this.count++;
    const host = hostOf(connection.addr);
    this.perAddress.set(host, (this.perAddress.get(host) ?? 0) + 1);
    if (!authenticated && this.limits.authRequired) this.awaitingAuth.add(connection);
  }

  /** Closes `connection` (from a decision) to make room; false when it could not be closed now. */
  expel(connection: C, message: string): boolean {
    if (!connection.expel(message)) return false;
    this.awaitingAuth.delete(connection);
    this.leaving.add(connection);
    return true;
  }

  authenticated(connection: C): void {
    this.awaitingAuth.delete(connection);
  }

  removed(connection: C): void {
    this.count--;
    this.awaitingAuth.delete(connection);
    this.leaving.delete(connection);
    const host = hostOf(connection.addr);
    const left = (this.perAddress.get(host) ?? 1) - 1;
    if (left > 0) this.perAddress.set(host, left);
    else this.perAddress.delete(host);
  }

  /** Closes the connections awaiting AUTH since before `connectedBeforeMs`, given when each connected. */
  expireAwaitingAuth(connectedBeforeMs: number, connectedAt: (connection: C) => number, message: string): void {
    for (const connection of this.awaitingAuth) {
      // Oldest first: the rest connected later.
      if (connectedAt(connection) >= connectedBeforeMs) break;
      this.expel(connection, message);
    }
  }
}

/** "1.2.3.4:5678" → "1.2.3.4"; "::1:5678" → "::1". */
function hostOf(addr: string): string {
  const colon = addr.lastIndexOf(":");
  return colon < 0 ? addr : addr.slice(0, colon);
}
