// AUTH with Biscuit tokens: the token is the password, any user name goes.
//
// The order matters, so that nothing an attacker wrote runs unbounded:
// 1. size and structure from the bytes alone (token_wire.ts): no rules, no
//    facts outside the authority block, no joins, bounded counts;
// 2. signatures, by the library, and canonical encoding (the library's own
//    serialization must give back the bytes sent);
// 3. the blocks' statements compiled into a Principal (token_grant.ts); a
//    statement of any other shape refuses the token: no Datalog ever runs
//    per command;
// 4. a self-check: the token's own Datalog must allow what the compiled
//    reading allows. Step 1 makes it linear; the library's limits hold.
// An internal failure (trap, run limit, no memory) answers AuthUnavailable,
// never "wrong credentials".
import type { BiscuitLibrary } from "./biscuit_wasm.ts";
import { messageOf } from "./biscuit_wasm.ts";
import type { Biscuit, PublicKey } from "./biscuit_glue.js";
import { AuthUnavailable, type Authenticator, type Principal } from "./contract.ts";
import { keyScopeOf } from "./key_scope.ts";
import type { RevocationList } from "./revocation_list.ts";
import { TokenError } from "./token_error.ts";
import { type Access, readBlocks } from "./token_grant.ts";
import { MAX_TOKEN_TEXT_BYTES, SELF_CHECK_LIMITS } from "./token_limits.ts";
import { readTokenWire } from "./token_wire.ts";
import { keyIdOf, parsePublicKey, type RootKeys } from "./tokens.ts";
import { sharedVerifier, type VerifierInstance } from "./verifier_instance.ts";

export interface TokenAuthOptions {
  readonly root: RootKeys;
  /** Older root public keys still trusted during a key rotation ("ed25519/<hex>"). */
  readonly alsoTrusted?: readonly string[];
  readonly revocations: RevocationList;
  readonly clock?: () => number;
  /** The library instance tokens are verified with; one that recycles itself by default. */
  readonly verifier?: VerifierInstance;
}

const decoder = new TextDecoder("utf-8", { fatal: false });

/** One line for the server log about a refused or failed AUTH (never the token). */
export type AuthFailureLog = (reason: string) => void;

export interface TokenAuthenticator extends Authenticator {
  readonly publicKeyText: string;
  readonly verifier: VerifierInstance;
}

export async function tokenAuthenticator(options: TokenAuthOptions, log: AuthFailureLog = () => {}): Promise<TokenAuthenticator> {
  const clock = options.clock ?? Date.now;
  const trusted = new Map<number, string>();
  for (const key of [options.root.publicKeyText, ...(options.alsoTrusted ?? []).map(parsePublicKey)]) trusted.set(keyIdOf(key), key);
  const revocations = options.revocations;
  const verifier = options.verifier ?? sharedVerifier();
  // The first authorization on a cold instance is slow: make the first one now, not under a client.
  await verifier.release((await verifier.acquire()).instance);

  return {
    required: true,
    publicKeyText: options.root.publicKeyText,
    verifier,
    anonymous: { user: "default", tenant: "default", canWrite: false, canRead: false },
    async authenticate(user, secret) {
      const nowMs = clock();
      let acquired: Awaited<ReturnType<VerifierInstance["acquire"]>> | undefined;
      try {
        // The cap holds on the bytes received, before anything is decoded.
        if (secret.length > MAX_TOKEN_TEXT_BYTES) throw new TokenError(`token longer than ${MAX_TOKEN_TEXT_BYTES} bytes`);
        const wire = readTokenWire(decoder.decode(secret));
        const key = wire.rootKeyId === undefined ? undefined : trusted.get(wire.rootKeyId);
        if (key === undefined) throw new TokenError(wire.rootKeyId === undefined ? "token names no root key id" : `token signed by an unknown root key (id ${wire.rootKeyId})`);
        acquired = await verifier.acquire();
        const lib = acquired.lib;
        const token = verify(lib, wire.bytes, key);
        try {
          const ids = (token.getRevocationIdentifiers() as string[]).map((id) => id.toLowerCase());
          if (revocations.anyRevoked(ids)) throw new TokenError(`token revoked (MATERIA_REVOKED lists one of its ids)`);
          const sources: string[] = [];
          for (let i = 0; i < token.countBlocks(); i++) sources.push(token.getBlockSource(i));
          const reading = readBlocks(sources);
          if (reading.kind !== "compiled") throw new TokenError(reading.reason);
          return compiledPrincipal(lib, token, reading.access, { user: user ?? "default", nowMs, stillValid: validity(revocations, ids) });
        } finally {
          token.free();
        }
      } catch (error) {
        if (error instanceof TokenError) {
          log(error.message);
          return undefined;
        }
        verifier.markBroken();
        const reason = `the token library failed: ${messageOf(error).slice(0, 200)}`;
        log(`internal error, answered as unavailable: ${reason}`);
        return new AuthUnavailable(reason);
      } finally {
        if (acquired !== undefined) await verifier.release(acquired.instance);
      }
    },
  };
}

/**
 * Signatures, then canonical encoding: bytes outside the signatures (the
 * root key id's varint, unknown fields) must not vary, so that one token has
 * one text. The library's errors for bad input are plain objects; an Error
 * (a trap, no memory) is internal and propagates.
 */
function verify(lib: BiscuitLibrary, bytes: Uint8Array, keyText: string): Biscuit {
  let publicKey: PublicKey | undefined;
  let token: Biscuit;
  try {
    publicKey = lib.PublicKey.fromString(keyText.slice("ed25519/".length), lib.SignatureAlgorithm.Ed25519);
    token = lib.Biscuit.fromBytes(bytes, publicKey);
  } catch (error) {
    if (error instanceof Error) throw error;
    throw new TokenError(`invalid token: ${messageOf(error)}`);
  } finally {
    publicKey?.free();
  }
  if (!sameBytes(token.toBytes(), bytes)) {
    token.free();
    throw new TokenError("token is not in canonical form (bytes outside its signatures were changed)");
  }
  return token;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A verdict on revocation, recomputed only when the list changes. */
function validity(revocations: RevocationList, ids: readonly string[]): () => boolean {
  let version = revocations.version;
  let valid = true;
  return () => {
    revocations.refreshIfDue();
    if (revocations.version !== version) {
      version = revocations.version;
      valid = !revocations.anyRevoked(ids);
    }
    return valid;
  };
}

function compiledPrincipal(lib: BiscuitLibrary, token: Biscuit, access: Access, at: { user: string; nowMs: number; stillValid: () => boolean }): Principal {
  if (access.expiresAtMs !== undefined && at.nowMs > access.expiresAtMs) {
    throw new TokenError(`token expired at ${new Date(access.expiresAtMs).toISOString()}`);
  }
  const keys = access.prefixSets === undefined ? undefined : keyScopeOf(access.prefixSets);
  // The compiled reading must agree with the Datalog on what it allows; a
  // disagreement is a bug in the reading, so the token is refused. One probe
  // (the first prefix): probing every prefix cost 100-200 ms for the largest
  // token. The reading cannot be fooled into wider prefixes: the library
  // prints string literals unescaped, but token_wire.ts refuses any string
  // holding a quote or a backslash, so literal boundaries are exact.
  const operation = access.canRead ? "read" : access.canWrite ? "write" : undefined;
  if (operation === undefined) throw new TokenError("token grants neither read nor write");
  // Disjoint prefixes leave no key to probe with: such a token reaches no key at all.
  const first = keys?.scanPrefixes[0];
  if (keys === undefined || first !== undefined) {
    const probe = { operation, resource: first === undefined ? undefined : decoder.decode(first), nowMs: at.nowMs };
    try {
      selfCheck(lib, token, probe);
    } catch (error) {
      // A run limit on bounded, linear Datalog means the process paused (GC, load): once more, then it is internal.
      if (!isRunLimit(error)) throw error;
      selfCheck(lib, token, probe);
    }
  }
  return {
    user: at.user,
    tenant: access.tenant,
    canRead: access.canRead,
    canWrite: access.canWrite,
    keys,
    expiresAtMs: access.expiresAtMs,
    stillValid: at.stillValid,
  };
}

function isRunLimit(error: unknown): boolean {
  return typeof error === "object" && error !== null && !(error instanceof Error) && "RunLimit" in error;
}

/** Runs the token's Datalog for one probe; throws TokenError when it refuses, the library's error when it fails. */
function selfCheck(lib: BiscuitLibrary, token: Biscuit, probe: { operation: string; resource: string | undefined; nowMs: number }): void {
  const params: Record<string, unknown> = { operation: probe.operation, now: { date: new Date(probe.nowMs).toISOString() } };
  let code = `operation({operation});\ncommand("AUTH");\ntime({now});\n`;
  if (probe.resource !== undefined) {
    params.resource = probe.resource;
    code += `resource({resource});\n`;
  }
  code += `allow if right($op), operation($op);\ndeny if true;`;
  const builder = new lib.AuthorizerBuilder();
  try {
    builder.addCodeWithParameters(code, params, {});
  } catch (error) {
    builder.free();
    throw error;
  }
  // Consumes the builder.
  const authorizer = builder.buildAuthenticated(token);
  try {
    authorizer.authorizeWithLimits(SELF_CHECK_LIMITS);
  } catch (error) {
    // FailedLogic: the token's checks refuse what its reading allows. Anything else (RunLimit, a trap) is internal.
    if (!(error instanceof Error) && typeof error === "object" && error !== null && "FailedLogic" in error) {
      throw new TokenError(`token refused by its own checks: ${messageOf(error).slice(0, 200)}`);
    }
    throw error;
  } finally {
    authorizer.free();
  }
}
