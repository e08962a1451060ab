// Whether a client may run an operation: the one place where credentials,
// rights and key scope are checked, for every front end.
import type { Client } from "./client.ts";
import type { Operation } from "./operation.ts";

/** Why an operation was refused; the front end words it (RESP: NOAUTH, NOPERM...). */
export type Refusal = "not_authenticated" | "no_permission" | "key_outside_scope" | "channel_outside_scope";

/**
 * Checks `client` against `op` now. Expired or revoked credentials are
 * dropped from the client on the spot: its next command needs AUTH again.
 * The clock is read only for credentials that expire.
 */
export function refusalOf<A>(client: Client, op: Operation<A, unknown>, args: A, clock: () => number): Refusal | undefined {
  let principal = client.principal;
  if (principal !== undefined && (principal.expiresAtMs !== undefined || principal.stillValid !== undefined)) {
    if ((principal.expiresAtMs !== undefined && clock() > principal.expiresAtMs) || principal.stillValid?.() === false) {
      client.principal = principal = undefined;
    }
  }
  if (principal === undefined) return op.public === undefined ? "not_authenticated" : undefined;
  // What anyone may run unauthenticated (AUTH, HELLO, QUIT, RESET) is not subject to the rights of the current
  // credentials: a token whose rights exclude them must not lock its connection out of them.
  if (op.public === "always") return undefined;
  if (op.writes && !principal.canWrite) return "no_permission";
  if (op.operatorOnly && !principal.operator) return "no_permission";
  if (op.reads && principal.canRead === false) return "no_permission";
  const scope = principal.keys;
  if (scope !== undefined) {
    for (const key of op.keys(args)) if (!scope.allows(key)) return "key_outside_scope";
    if (op.channels !== undefined) {
      for (const name of op.channels(args)) if (!scope.allows(name)) return "channel_outside_scope";
    }
  }
  return undefined;
}
