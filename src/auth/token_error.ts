/** A token refused for what it is (bad, foreign, expired, revoked, out of shape): the client gets WRONGPASS. */
export class TokenError extends Error {
  override readonly name = "TokenError";
}
