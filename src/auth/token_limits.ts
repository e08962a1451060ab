// Every bound on what a token may be and carry, in one place. A token past
// any of them is refused at AUTH before the Biscuit library sees it, so no
// token can make AUTH slow or make the library's heap grow without bound.
// Tokens made by `materia token create` and `token attenuate` stay far below.

/**
 * Characters of token text (after an optional "biscuit:" prefix). Equal to
 * the pre-auth bulk limit (resp/parser.ts UNAUTHENTICATED_MAX_BULK_BYTES):
 * what an anonymous client can send is exactly what the server accepts.
 */
export const MAX_TOKEN_TEXT_BYTES = 16 * 1024;

/** Blocks per token: the authority block plus 7 attenuations. */
export const MAX_BLOCKS = 8;

/** Facts of the authority block: tenant plus the read and write rights, one spare. Attenuation blocks hold none. */
export const MAX_AUTHORITY_FACTS = 4;

/** Checks per block: `token attenuate` writes at most 3 (read-only, prefixes, expiry). */
export const MAX_CHECKS_PER_BLOCK = 4;

/** Key prefixes over the whole token (`token attenuate --prefix`, any number of blocks). */
export const MAX_PREFIXES = 64;

/**
 * Alternatives (`... or ...`) of all checks of the token, counted from its
 * bytes before it is parsed: the prefixes plus one per other check.
 */
export const MAX_CHECK_ALTERNATIVES = MAX_PREFIXES + MAX_BLOCKS * MAX_CHECKS_PER_BLOCK;

/** Symbols (interned strings: prefixes, tenant, names) per block. */
export const MAX_SYMBOLS_PER_BLOCK = 128;

/**
 * The verifier's WebAssembly heap size past which its instance is replaced
 * by a fresh one (biscuit_wasm.ts: the library's allocator keeps 2-10 KB of
 * every AUTH). One AUTH of the largest allowed token adds well under 1 MiB.
 */
export const VERIFIER_HEAP_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Datalog limits of the AUTH self-check. What it runs is linear (token_wire.ts)
 * and takes well under a millisecond: facts and iterations are never reached,
 * and the time limit only by a pause (GC, a busy machine), so it is generous.
 */
export const SELF_CHECK_LIMITS = { max_time_micro: 1_000_000, max_facts: 100, max_iterations: 10 } as const;
