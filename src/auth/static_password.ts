// Authentication in this slice: off (every connection is the anonymous
// principal) or one static password (MATERIA_PASSWORD). Tokens replace this
// behind the same Authenticator interface.
import type { Authenticator, Principal } from "./contract.ts";

/** The tenant of a server without tokens. */
export const DEFAULT_TENANT = "default";

const FULL_ACCESS: Principal = { user: "default", tenant: DEFAULT_TENANT, canWrite: true, operator: true };

/** Auth off: like Redis with no password, `AUTH <password>` is an error and `AUTH default <any>` succeeds. */
export function openAccess(): Authenticator {
  return {
    required: false,
    anonymous: FULL_ACCESS,
    authenticate(user) {
      if (user === undefined) return Promise.resolve("NO_PASSWORD");
      return Promise.resolve(user === "default" ? FULL_ACCESS : undefined);
    },
  };
}

/** One shared password; any user name is accepted (GUIs send "default" or their own). */
export function staticPassword(password: string): Authenticator {
  const expected = new TextEncoder().encode(password);
  return {
    required: true,
    anonymous: FULL_ACCESS,
    authenticate(user, secret) {
      const principal = constantTimeEqual(secret, expected) ? { ...FULL_ACCESS, user: user ?? "default" } : undefined;
      return Promise.resolve(principal);
    },
  };
}

/** Compares without leaking, through timing, how much of the secret matched. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) difference |= (a[i % Math.max(a.length, 1)] ?? 0) ^ b[i]!;
  return difference === 0;
}
