// Who a connection is and what it may do, and the one interface every way of
// authenticating (none, password, Biscuit token) implements.

/** An authenticated identity and its rights. */
export interface Principal {
  readonly user: string;
  readonly tenant: string;
  readonly canWrite: boolean;
  /**
   * May change server-wide settings (CONFIG SET, CONFIG RESETSTAT): the
   * operator of a single-tenant server (auth off or a password), never a
   * tenant's token on a shared one.
   */
  readonly operator?: boolean;
  /** False for a token without the read right; absent means true. */
  readonly canRead?: boolean;
  /** The keys this principal may touch; absent means every key of its tenant. */
  readonly keys?: KeyScope;
  /** When the credentials stop working (ms since the epoch); the connection then loses its rights. */
  readonly expiresAtMs?: number;
  /** False once the credentials were revoked; checked before every command, so it must be cheap. */
  stillValid?(): boolean;
  /**
   * Full authorization of one request, for credentials whose rules could not
   * be compiled into the fields above (slow: runs the token's Datalog).
   * Returns undefined when allowed, else the reason.
   */
  authorize?(request: AccessRequest): string | undefined;
}

/** One command's access, as the authorizer of a token sees it. */
export interface AccessRequest {
  readonly operation: "read" | "write";
  /** Upper-case command name, e.g. "SET" or "CLIENT|KILL". */
  readonly command: string;
  /** The keys the command names; empty for keyless and keyspace-wide commands. */
  readonly keys: readonly Uint8Array[];
  readonly nowMs: number;
}

/** Key prefixes a principal is limited to. */
export interface KeyScope {
  /** True when `key` is inside the scope. */
  allows(key: Uint8Array): boolean;
  /**
   * Prefixes whose ranges cover every allowed key, sorted, none a prefix of
   * another: scans read these ranges and filter with `allows`.
   */
  readonly scanPrefixes: readonly Uint8Array[];
  /** For messages: the prefixes as given. */
  readonly description: string;
}

export interface Authenticator {
  /** False when the server runs with auth off: every connection starts authenticated as `anonymous`. */
  readonly required: boolean;
  /** The principal of connections when auth is off. */
  readonly anonymous: Principal;
  /**
   * Checks credentials: the principal, undefined when they are wrong, or
   * "NO_PASSWORD" when `AUTH <password>` makes no sense (auth off).
   */
  authenticate(user: string | undefined, secret: Uint8Array): Promise<Principal | undefined | "NO_PASSWORD">;
}
