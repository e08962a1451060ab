// Client-side caching as the commands see it (CLIENT TRACKING, CACHING,
// GETREDIR, TRACKINGINFO): the state of one tracking connection and the
// server's service that keeps the tracking table. The server implements it
// (src/server/tracking/); the commands layer only declares what it needs.
import type { Keyspace } from "../model/keyspace.ts";
import type { Session } from "./spec.ts";

/**
 * BCAST prefixes one connection may follow (Redis has no bound): every write
 * of the tenant is compared with each prefix, and each costs memory.
 */
export const MAX_TRACKING_PREFIXES = 1_000;

/** CLIENT TRACKING ON's options, checked against each other and against the current state. */
export interface TrackingRequest {
  /** The connection that receives the invalidations; undefined: the tracking connection itself. */
  readonly redirect: Session | undefined;
  readonly bcast: boolean;
  /** BCAST prefixes; none with BCAST means every key. */
  readonly prefixes: readonly Uint8Array[];
  readonly optin: boolean;
  readonly optout: boolean;
  readonly noloop: boolean;
}

/** A connection's tracking (Session.tracking while CLIENT TRACKING is on). */
export interface ClientTracking {
  /** The id invalidations are redirected to; 0 for none (CLIENT GETREDIR). */
  readonly redirect: number;
  readonly bcast: boolean;
  readonly optin: boolean;
  readonly optout: boolean;
  readonly noloop: boolean;
  /** The redirect target disconnected (or left the tenant): invalidations can no longer be delivered. */
  readonly brokenRedirect: boolean;
  /**
   * CLIENT CACHING YES (OPTIN) or NO (OPTOUT) was given: it applies to the
   * next command, or to the next MULTI ... EXEC as a whole, and is cleared
   * after it (CLIENT subcommands leave it in place).
   */
  caching: boolean;
  /** The BCAST prefixes, in byte order. */
  prefixes(): Uint8Array[];
  /** Whether the keys read by the next read-only command are remembered (default mode, or the OPTIN/OPTOUT choice). */
  readonly tracksReads: boolean;
  /** Remembers keys read by a read-only command: their next committed write sends their invalidation. */
  remember(ks: Keyspace, keys: readonly Uint8Array[]): void;
}

/** The server's tracking table and its delivery of invalidations. */
export interface TrackingService {
  /** CLIENT TRACKING ON, its options already checked: starts tracking, or changes it (Redis's enableTracking). */
  enable(session: Session, request: TrackingRequest): void;
  /** CLIENT TRACKING OFF, RESET: stops tracking; keys it read no longer send it anything. */
  disable(session: Session): void;
}
