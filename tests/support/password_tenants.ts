// An authenticator for tests of tenancy without Biscuit tokens: password
// "a" logs in to tenant A, "b" to tenant B, and "r" is a read-only
// principal of tenant A.
import type { Authenticator, Principal } from "../../src/auth/contract.ts";

export function passwordTenants(): Authenticator {
  const anonymous: Principal = { user: "default", tenant: "", canWrite: true };
  return {
    required: true,
    anonymous,
    authenticate(_user, secret) {
      const password = new TextDecoder().decode(secret);
      if (password === "a" || password === "b") return Promise.resolve({ user: "default", tenant: password, canWrite: true });
      if (password === "r") return Promise.resolve({ user: "reader", tenant: "a", canWrite: false });
      return Promise.resolve(undefined);
    },
  };
}
