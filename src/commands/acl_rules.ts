// Redis's ACL vocabulary applied to Materia's principals: the categories of
// ACL CAT (Redis 7.0's, then Materia's own json), and a principal's rights as
// the rule line ACL LIST prints ("user <name> on ~<prefix>* ... +@all"):
// - keys: "~*" for a whole tenant, else one "~<prefix>*" per key prefix of
//   the token (glob characters escaped); none at all when its prefixes leave
//   no key ("resetkeys");
// - channels: a token's prefixes bound its channels too (core/pubsub/
//   channel_scope.ts): "&*", or "resetchannels" then "&<prefix>*" each;
// - commands: "+@all", then "-@write" for a token without the write right and
//   "-@read" for one without the read right. What ACL cannot say is not said:
//   an expiry, and the operator-only commands a tenant is refused whatever its
//   rights (SHUTDOWN, CONFIG RESETSTAT, the server's CONFIG parameters).
// - "nopass" when the server runs without authentication; passwords and tokens
//   are never shown.
import type { Principal } from "../auth/contract.ts";

export const ACL_CATEGORIES: readonly string[] = [
  "keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap", "hyperloglog", "geo", "stream",
  "pubsub", "admin", "fast", "slow", "blocking", "dangerous", "connection", "transaction", "scripting", "json",
];

const DECODER = new TextDecoder();

/** A prefix as a Redis glob that matches it and what follows: its own *, ?, [, ] and \ escaped. */
function prefixGlob(prefix: Uint8Array): string {
  return DECODER.decode(prefix).replace(/[*?[\]\\]/g, (c) => `\\${c}`) + "*";
}

export function aclRuleLine(user: string, principal: Principal | undefined, options: { passwordless: boolean }): string {
  const words = ["user", user, principal ? "on" : "off"];
  if (options.passwordless) words.push("nopass");
  const prefixes = principal?.keys?.scanPrefixes;
  if (prefixes === undefined) words.push("~*", "&*");
  else if (prefixes.length === 0) words.push("resetkeys", "resetchannels");
  else words.push(...prefixes.map((p) => `~${prefixGlob(p)}`), "resetchannels", ...prefixes.map((p) => `&${prefixGlob(p)}`));
  words.push("+@all");
  if (principal?.canWrite !== true) words.push("-@write");
  if (principal?.canRead === false) words.push("-@read");
  return words.join(" ");
}
