// Who a connection is and what it may do, and the one interface every way of
// authenticating (none, password, Biscuit token) implements.

/** An authenticated identity and its rights. */
export interface Principal {
  readonly user: string;
  readonly tenant: string;
  readonly canWrite: boolean;
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
