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

/**
 * The credentials could not be checked for an internal reason (a trap or an
 * exhausted limit in the token library): the client is told to retry, never
 * that its credentials are wrong.
 */
export class AuthUnavailable {
  constructor(readonly reason: string) {}
}

export interface Authenticator {
  /** False when the server runs with auth off: every connection starts authenticated as `anonymous`. */
  readonly required: boolean;
  /** The principal of connections when auth is off. */
  readonly anonymous: Principal;
  /**
   * Checks credentials: the principal; undefined when they are wrong;
   * "NO_PASSWORD" when `AUTH <password>` makes no sense (auth off); or
   * AuthUnavailable when they could not be checked (already logged).
   */
  authenticate(user: string | undefined, secret: Uint8Array): Promise<Principal | undefined | "NO_PASSWORD" | AuthUnavailable>;
}
