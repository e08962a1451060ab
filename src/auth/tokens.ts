// Minting, attenuating and inspecting Materia tokens (Biscuit), and the root
// key pair that signs them. Verification for AUTH is in token_authenticator.ts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type BiscuitLibrary, loadBiscuit, messageOf } from "./biscuit_wasm.ts";
import { TokenError } from "./token_error.ts";
import { authorityCode, type Restriction, restrictionCode, TENANT_PATTERN } from "./token_grant.ts";
import { normalizeToken } from "./token_wire.ts";

import type { Biscuit, PrivateKey, PublicKey } from "./biscuit_glue.js";


/** The file, in the data directory, of the root key `materia serve` generates for local use. */
export const ROOT_KEY_FILE = "root.key";

const PRIVATE_PREFIX = "ed25519-private/";
const PUBLIC_PREFIX = "ed25519/";

/** The server's root key pair, parsed once. */
export interface RootKeys {
  readonly privateKey: PrivateKey;
  readonly publicKey: PublicKey;
  /** "ed25519/<hex>": what `token attenuate --public-key` and the server's other nodes need. */
  readonly publicKeyText: string;
  /** The id minted tokens carry, so a server that trusts several keys (rotation) picks the right one. */
  readonly keyId: number;
}

export { normalizeToken, TokenError };

/** Parses "ed25519-private/<hex>" or a bare 64-digit hex private key. */
export async function parseRootKey(text: string): Promise<RootKeys> {
  const lib = await loadBiscuit();
  const hex = text.trim().startsWith(PRIVATE_PREFIX) ? text.trim().slice(PRIVATE_PREFIX.length) : text.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new TokenError("the root key must be 'ed25519-private/' followed by 64 hex digits (as 'materia token keygen' prints)");
  }
  const privateKey = lib.PrivateKey.fromString(`${PRIVATE_PREFIX}${hex.toLowerCase()}`);
  const publicKey = lib.KeyPair.fromPrivateKey(privateKey).getPublicKey();
  const publicKeyText = publicKey.toString();
  return { privateKey, publicKey, publicKeyText, keyId: keyIdOf(publicKeyText) };
}

/** Validates "ed25519/<hex>" or bare hex; returns the "ed25519/<hex>" form. */
export function parsePublicKey(text: string): string {
  const hex = text.trim().startsWith(PUBLIC_PREFIX) ? text.trim().slice(PUBLIC_PREFIX.length) : text.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new TokenError("a root public key is 'ed25519/' followed by 64 hex digits");
  return `${PUBLIC_PREFIX}${hex.toLowerCase()}`;
}

/** A key id from the public key itself: stable, and the same on every node. */
export function keyIdOf(publicKeyText: string): number {
  const hex = publicKeyText.startsWith(PUBLIC_PREFIX) ? publicKeyText.slice(PUBLIC_PREFIX.length) : publicKeyText;
  return Number.parseInt(hex.slice(0, 7), 16);
}

/** A new random root private key, as text. */
export async function generateRootKey(): Promise<string> {
  const lib = await loadBiscuit();
  return new lib.KeyPair(lib.SignatureAlgorithm.Ed25519).getPrivateKey().toString();
}

/**
 * The data directory's root key, created (mode 0600) when missing. Returns
 * whether it was created, so `serve` can say so.
 */
export async function dataDirectoryRootKey(directory: string, options: { create: boolean }): Promise<{ text: string; created: boolean } | undefined> {
  const path = join(directory, ROOT_KEY_FILE);
  if (existsSync(path)) return { text: readFileSync(path, "utf8").trim(), created: false };
  if (!options.create) return undefined;
  mkdirSync(directory, { recursive: true });
  const text = await generateRootKey();
  writeFileSync(path, `${text}\n`, { mode: 0o600, flag: "wx" });
  return { text, created: true };
}

/** Mints a token for `tenant` with the root key. */
export async function mintToken(root: RootKeys, tenant: string, restriction: Restriction = {}): Promise<string> {
  if (!TENANT_PATTERN.test(tenant)) {
    throw new TokenError(`tenant ids are 1 to 64 characters among letters, digits and _ . : - (got '${tenant}')`);
  }
  checkPrefixes(restriction);
  const lib = await loadBiscuit();
  const builder = lib.Biscuit.builder();
  const { code, params } = authorityCode(tenant, restriction);
  builder.addCodeWithParameters(code, params, {});
  builder.setRootKeyId(root.keyId);
  return builder.build(root.privateKey).toBase64();
}

/** Adds an attenuation block: needs the token and the root public key, never the private key. */
export async function attenuateToken(token: string, publicKeys: readonly string[], restriction: Restriction): Promise<string> {
  checkPrefixes(restriction);
  const { code, params } = restrictionCode(restriction);
  if (code === "") throw new TokenError("nothing to restrict: give --read-only, --prefix or --expires");
  const lib = await loadBiscuit();
  const parsed = parseToken(lib, token, publicKeys);
  const block = lib.Biscuit.block_builder();
  block.addCodeWithParameters(code, params, {});
  return parsed.appendBlock(block).toBase64();
}

/** A readable account of a token: blocks, their Datalog, revocation ids. */
export async function inspectToken(token: string, publicKeys: readonly string[]): Promise<string> {
  const lib = await loadBiscuit();
  const parsed = parseToken(lib, token, publicKeys);
  const lines: string[] = [`signature: valid (root key ${publicKeys.length === 1 ? publicKeys[0] : "trusted"})`];
  const ids = parsed.getRevocationIdentifiers() as string[];
  for (let i = 0; i < parsed.countBlocks(); i++) {
    lines.push("", `block ${i}${i === 0 ? " (authority)" : " (attenuation)"}:`, ...parsed.getBlockSource(i).trim().split("\n").map((l: string) => `  ${l}`));
    lines.push(`  revocation id: ${ids[i]}`);
  }
  return lines.join("\n");
}

/** Parses and verifies a token against the trusted root keys, for the CLI (AUTH is stricter: token_authenticator.ts); throws TokenError with the reason. */
export function parseToken(lib: BiscuitLibrary, token: string, publicKeys: readonly string[]): Biscuit {
  const text = normalizeToken(token);
  if (text === "" || !/^[A-Za-z0-9_=-]+$/.test(text)) throw new TokenError("not a token: expected URL-safe base64 text");
  try {
    // The library takes ownership of the key the provider returns: make a fresh one each time.
    return lib.Biscuit.fromBase64WithProvider(text, (id: number | undefined) => {
      const key = publicKeys.find((k) => id === undefined || keyIdOf(k) === id) ?? publicKeys[0];
      if (key === undefined) throw new Error("no trusted root public key");
      return lib.PublicKey.fromString(key.slice(PUBLIC_PREFIX.length), lib.SignatureAlgorithm.Ed25519);
    });
  } catch (error) {
    throw new TokenError(`invalid token: ${messageOf(error)}`);
  }
}

function checkPrefixes(restriction: Restriction): void {
  for (const prefix of restriction.prefixes ?? []) {
    if (prefix === "") throw new TokenError("--prefix needs a non-empty prefix");
    // The library prints string literals without escaping them: a quote or a
    // backslash would make the block's text ambiguous to the server's reading.
    if (/["\\]/.test(prefix)) throw new TokenError(`--prefix cannot contain a double quote or a backslash (got '${prefix}')`);
  }
}
