// AUTH with Biscuit tokens: the token is the password, any user name goes.
//
// Verifying a token (signatures, 0.2-0.7 ms) happens once per AUTH. Its
// blocks are then compiled into a Principal whose checks cost a comparison
// or two per command (token_grant.ts); a token with checks of other shapes
// keeps its Datalog, run per command (slow but exact).
import { type BiscuitLibrary, loadBiscuit, messageOf } from "./biscuit_wasm.ts";
import type { Biscuit } from "./biscuit_glue.js";
import type { AccessRequest, Authenticator, Principal } from "./contract.ts";
import { keyScopeOf } from "./key_scope.ts";
import type { RevocationList } from "./revocation_list.ts";
import { type Access, readBlocks } from "./token_grant.ts";
import { parsePublicKey, parseToken, type RootKeys, TokenError } from "./tokens.ts";


export interface TokenAuthOptions {
  readonly root: RootKeys;
  /** Older root public keys still trusted during a key rotation ("ed25519/<hex>"). */
  readonly alsoTrusted?: readonly string[];
  readonly revocations: RevocationList;
  readonly clock?: () => number;
}

/**
 * The Datalog time limit. The library's 20 ms default fails the first
 * authorization on Deno (cold wasm, 37-59 ms); later calls take ~0.1 ms.
 */
const LIMITS = { max_time_micro: 200_000, max_facts: 1_000, max_iterations: 100 };

const decoder = new TextDecoder("utf-8", { fatal: false });

/** Why AUTH failed, for the server log (the client only sees WRONGPASS). */
export type AuthFailureLog = (reason: string) => void;

export async function tokenAuthenticator(options: TokenAuthOptions, log: AuthFailureLog = () => {}): Promise<Authenticator & { readonly publicKeyText: string }> {
  const lib = await loadBiscuit();
  const clock = options.clock ?? Date.now;
  const trusted: string[] = [options.root.publicKeyText, ...(options.alsoTrusted ?? []).map(parsePublicKey)];
  const revocations = options.revocations;
  warmUp(lib, options.root);

  return {
    required: true,
    publicKeyText: options.root.publicKeyText,
    anonymous: { user: "default", tenant: "default", canWrite: false, canRead: false },
    authenticate(user, secret) {
      const nowMs = clock();
      try {
        const token = parseToken(lib, decoder.decode(secret), trusted);
        const ids = (token.getRevocationIdentifiers() as string[]).map((id) => id.toLowerCase());
        if (revocations.anyRevoked(ids)) throw new TokenError(`token revoked (MATERIA_REVOKED lists one of its ids)`);
        const sources: string[] = [];
        for (let i = 0; i < token.countBlocks(); i++) sources.push(token.getBlockSource(i));
        const reading = readBlocks(sources);
        const stillValid = validity(revocations, ids);
        if (reading.kind === "compiled") {
          // A compiled principal no longer needs the token: release its wasm memory now, not at some GC.
          try {
            return Promise.resolve(compiledPrincipal(lib, token, reading.access, user ?? "default", nowMs, stillValid));
          } finally {
            token.free();
          }
        }
        if (reading.tenant === undefined) throw new TokenError(reading.reason);
        return Promise.resolve(datalogPrincipal(lib, token, reading.tenant, user ?? "default", stillValid));
      } catch (error) {
        log(error instanceof TokenError ? error.message : `token rejected: ${messageOf(error)}`);
        return Promise.resolve(undefined);
      }
    },
  };
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

function compiledPrincipal(lib: BiscuitLibrary, token: Biscuit, access: Access, user: string, nowMs: number, stillValid: () => boolean): Principal {
  if (access.expiresAtMs !== undefined && nowMs > access.expiresAtMs) {
    throw new TokenError(`token expired at ${new Date(access.expiresAtMs).toISOString()}`);
  }
  const keys = access.prefixSets === undefined ? undefined : keyScopeOf(access.prefixSets);
  // The compiled reading must agree with the Datalog on what it allows; a
  // disagreement is a bug in the reading, so the token is refused. Every
  // prefix is probed: the library prints string literals without escaping
  // quotes, so a literal holding `") or resource($r), $r.starts_with("` reads
  // back as extra, wider prefixes that the token's real check refuses.
  const operation = access.canRead ? "read" : access.canWrite ? "write" : undefined;
  if (operation === undefined) throw new TokenError("token grants neither read nor write");
  const probes = keys === undefined ? [[]] : keys.scanPrefixes.map((prefix) => [prefix]);
  for (const probeKeys of probes) {
    const denied = authorize(lib, token, { operation, command: "AUTH", keys: probeKeys, nowMs });
    if (denied !== undefined) throw new TokenError(`token refused by its own checks: ${denied}`);
  }
  return {
    user,
    tenant: access.tenant,
    canRead: access.canRead,
    canWrite: access.canWrite,
    keys,
    expiresAtMs: access.expiresAtMs,
    stillValid,
  };
}

function datalogPrincipal(lib: BiscuitLibrary, token: Biscuit, tenant: string, user: string, stillValid: () => boolean): Principal {
  return {
    user,
    tenant,
    canRead: true,
    canWrite: true,
    stillValid,
    authorize: (request) => authorize(lib, token, request),
  };
}

/**
 * Runs the token's Datalog for one request: each key separately (a check on
 * resource($r) must hold for every key the command touches).
 */
function authorize(lib: BiscuitLibrary, token: Biscuit, request: AccessRequest): string | undefined {
  const resources: (string | undefined)[] = request.keys.length === 0 ? [undefined] : request.keys.map((k) => decoder.decode(k));
  for (const resource of resources) {
    const builder = new lib.AuthorizerBuilder();
    const params: Record<string, unknown> = {
      operation: request.operation,
      command: request.command,
      now: { date: new Date(request.nowMs).toISOString() },
    };
    let code = `operation({operation});\ncommand({command});\ntime({now});\n`;
    if (resource !== undefined) {
      params.resource = resource;
      code += `resource({resource});\n`;
    }
    code += `allow if right($op), operation($op);\ndeny if true;`;
    try {
      builder.addCodeWithParameters(code, params, {});
      const authorizer = builder.buildAuthenticated(token);
      try {
        authorizer.authorizeWithLimits(LIMITS);
      } finally {
        authorizer.free();
      }
    } catch (error) {
      return messageOf(error);
    }
  }
  return undefined;
}

/** The first authorization on a cold wasm instance is slow; do it before clients wait on it. */
function warmUp(lib: BiscuitLibrary, root: RootKeys): void {
  try {
    const builder = lib.Biscuit.builder();
    builder.addCodeWithParameters(`right("read"); check if time($t), $t <= {t};`, { t: { date: "2100-01-01T00:00:00Z" } }, {});
    const token = builder.build(root.privateKey);
    authorize(lib, token, { operation: "read", command: "PING", keys: [], nowMs: Date.now() });
    token.free();
  } catch {
    // A failed warm-up only costs the first client some latency.
  }
}
