// An authenticator for tests of tenancy without Biscuit tokens: password
// "a" logs in to tenant A, "b" to tenant B, "r" is a read-only principal
// of tenant A, "p" a principal of tenant A limited to keys under "p:", and
// "o" the operator (every tenant's commands: CLIENT PAUSE, MONITOR...).
import type { Authenticator, Principal } from "../../src/auth/contract.ts";
import { keyScopeOf } from "../../src/auth/key_scope.ts";

export function passwordTenants(): Authenticator {
  const anonymous: Principal = { user: "default", tenant: "", canWrite: true };
  return {
    required: true,
    anonymous,
    authenticate(_user, secret) {
      const password = new TextDecoder().decode(secret);
      if (password === "a" || password === "b") return Promise.resolve({ user: "default", tenant: password, canWrite: true });
      if (password === "r") return Promise.resolve({ user: "reader", tenant: "a", canWrite: false });
      if (password === "o") return Promise.resolve({ user: "operator", tenant: "", canWrite: true, operator: true });
      if (password === "p") return Promise.resolve({ user: "prefixed", tenant: "a", canWrite: true, keys: keyScopeOf([["p:"]]) });
      return Promise.resolve(undefined);
    },
  };
}
