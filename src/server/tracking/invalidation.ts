// How an invalidation reaches a tracking connection (Redis's
// sendTrackingMessage): a RESP3 push `invalidate [keys]` (null for a flush)
// to the connection itself or to its redirect target; to a RESP2 target only
// as a pub/sub message of `__redis__:invalidate`, when it has subscribed to
// that channel. A redirect target that is gone (or now belongs to another
// tenant) breaks the redirection: each invalidation then tells the tracking
// connection so, in RESP3, as Redis does.
//
// Key names never leave a token's key scope: a BCAST connection (or a
// redirect target) whose token is limited to some prefixes hears only of keys
// under them.
import { PushReply, type Reply } from "../../resp/reply.ts";
import type { Session } from "../../commands/spec.ts";

export const INVALIDATE_CHANNEL = new TextEncoder().encode("__redis__:invalidate");
const INVALIDATE = new TextEncoder().encode("invalidate");
const MESSAGE = new TextEncoder().encode("message");
const REDIRECT_BROKEN = new TextEncoder().encode("tracking-redir-broken");

/** What delivery needs of a tracking connection. */
export interface InvalidationRecipient {
  readonly session: Session;
  /** The tenant it tracks keys of. */
  readonly tenant: string;
  /** The redirect target's id; 0 for none. */
  readonly redirect: number;
  brokenRedirect: boolean;
}

/**
 * Sends `keys` (null: everything, after a flush) to `recipient`, or to its
 * redirect target, which `targetOf` finds among live connections.
 */
export function sendInvalidation(
  recipient: InvalidationRecipient,
  keys: readonly Uint8Array[] | null,
  targetOf: (id: number) => Session | undefined,
): void {
  const own = recipient.session;
  // A connection that authenticated as another tenant since it enabled tracking hears nothing more of the first.
  if (own.principal?.tenant !== recipient.tenant) return;
  let target = own;
  const redirecting = recipient.redirect !== 0;
  if (redirecting) {
    const redirected = targetOf(recipient.redirect);
    if (redirected === undefined || redirected.principal?.tenant !== recipient.tenant) {
      recipient.brokenRedirect = true;
      if (own.protocol === 3) own.push(new PushReply([REDIRECT_BROKEN, recipient.redirect]));
      return;
    }
    target = redirected;
  }
  let visible = keys;
  if (keys !== null) {
    const scopes = [own.principal?.keys, target.principal?.keys].filter((scope) => scope !== undefined);
    if (scopes.length > 0) visible = keys.filter((key) => scopes.every((scope) => scope.allows(key)));
    if (visible!.length === 0) return;
  }
  const payload: Reply = visible === null ? null : [...visible];
  if (target.protocol === 3) target.push(new PushReply([INVALIDATE, payload]));
  else if (redirecting && target.subscribedTo(INVALIDATE_CHANNEL)) target.push(new PushReply([MESSAGE, INVALIDATE_CHANNEL, payload]));
  // RESP2 without a subscribed redirect target: RESP2 has no push frames, so nothing can be sent (as in Redis).
}
