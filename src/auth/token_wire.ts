// Reads a token's bytes (Biscuit protobuf, schema.proto) without the Biscuit
// library, to refuse every token Materia would not mint before any wasm code
// or Datalog runs: too many blocks, facts or checks; rules; joins (a check
// query with more than one predicate); third-party blocks and scopes; string
// symbols that would print ambiguously. What passes is linear to evaluate.
import {
  MAX_AUTHORITY_FACTS, MAX_BLOCKS, MAX_CHECK_ALTERNATIVES, MAX_CHECKS_PER_BLOCK, MAX_SYMBOLS_PER_BLOCK, MAX_TOKEN_TEXT_BYTES,
} from "./token_limits.ts";
import { TokenError } from "./token_error.ts";

export interface TokenWire {
  /** The decoded bytes, as the client sent them. */
  readonly bytes: Uint8Array;
  /** The root key id the token names; Materia always mints one. */
  readonly rootKeyId: number | undefined;
  readonly blocks: number;
}

/** Accepts the optional "biscuit:" prefix of the spec's text format and surrounding blanks. */
export function normalizeToken(token: string): string {
  const trimmed = token.trim();
  return trimmed.startsWith("biscuit:") ? trimmed.slice("biscuit:".length) : trimmed;
}

/**
 * Decodes token text (URL-safe base64, padded or not) and checks its
 * structure against the limits; throws TokenError naming the first problem.
 */
export function readTokenWire(text: string): TokenWire {
  if (text.length > MAX_TOKEN_TEXT_BYTES) throw new TokenError(`token longer than ${MAX_TOKEN_TEXT_BYTES} characters`);
  const bytes = decodeBase64Url(normalizeToken(text));
  let rootKeyId: number | undefined;
  let blocks = 0;
  let alternatives = 0;
  for (const field of fieldsOf(bytes, "token")) {
    if (field.number === 1 && field.varint !== undefined) rootKeyId = field.varint;
    else if ((field.number === 2 || field.number === 3) && field.bytes !== undefined) {
      if (++blocks > MAX_BLOCKS) throw new TokenError(`token has more than ${MAX_BLOCKS} blocks`);
      alternatives += checkSignedBlock(field.bytes, blocks - 1);
      if (alternatives > MAX_CHECK_ALTERNATIVES) throw new TokenError(`token has more than ${MAX_CHECK_ALTERNATIVES} check alternatives`);
    } else if (field.number !== 4) throw new TokenError(`token has an unknown field ${field.number}`);
  }
  if (blocks === 0) throw new TokenError("token has no authority block");
  return { bytes, rootKeyId, blocks };
}

/** SignedBlock {1 block, 2 nextKey, 3 signature, 4 externalSignature, 5 version}; returns the block's check alternatives. */
function checkSignedBlock(bytes: Uint8Array, index: number): number {
  let alternatives = 0;
  for (const field of fieldsOf(bytes, `block ${index}`)) {
    if (field.number === 1 && field.bytes !== undefined) alternatives = checkBlock(field.bytes, index);
    else if (field.number === 4) throw new TokenError(`block ${index} is a third-party block, which Materia does not accept`);
    else if (field.number !== 2 && field.number !== 3 && field.number !== 5) throw new TokenError(`block ${index} has an unknown field ${field.number}`);
  }
  return alternatives;
}

/** Block {1 symbols, 2 context, 3 version, 4 facts, 5 rules, 6 checks, 7 scopes, 8 public keys}. */
function checkBlock(bytes: Uint8Array, index: number): number {
  const where = `block ${index}`;
  let symbols = 0;
  let facts = 0;
  let checks = 0;
  let alternatives = 0;
  for (const field of fieldsOf(bytes, where)) {
    switch (field.number) {
      case 1: {
        if (++symbols > MAX_SYMBOLS_PER_BLOCK) throw new TokenError(`${where} has more than ${MAX_SYMBOLS_PER_BLOCK} symbols`);
        // The library prints string literals without escaping: a quote or a
        // backslash would let a block read back as other statements.
        if (field.bytes !== undefined && field.bytes.some((b) => b === 0x22 || b === 0x5c)) {
          throw new TokenError(`${where} has a string with a double quote or a backslash`);
        }
        break;
      }
      case 2:
      case 3:
        break;
      case 4:
        if (index > 0) throw new TokenError(`${where} (an attenuation) has facts; Materia accepts only checks there`);
        if (++facts > MAX_AUTHORITY_FACTS) throw new TokenError(`the authority block has more than ${MAX_AUTHORITY_FACTS} facts`);
        break;
      case 5:
        throw new TokenError(`${where} has rules; Materia accepts only facts and checks of its own shapes`);
      case 6:
        if (++checks > MAX_CHECKS_PER_BLOCK) throw new TokenError(`${where} has more than ${MAX_CHECKS_PER_BLOCK} checks`);
        alternatives += checkCheck(field.bytes ?? new Uint8Array(0), where);
        break;
      case 7:
      case 8:
        throw new TokenError(`${where} has scopes or third-party keys ('trusting'), which Materia does not accept`);
      default:
        throw new TokenError(`${where} has an unknown field ${field.number}`);
    }
  }
  return alternatives;
}

/** CheckV2 {1 queries, 2 kind}: only `check if`, each alternative one predicate and at most one expression. */
function checkCheck(bytes: Uint8Array, where: string): number {
  let queries = 0;
  for (const field of fieldsOf(bytes, where)) {
    if (field.number === 2) {
      if (field.varint !== 0) throw new TokenError(`${where} has a 'check all' or 'reject if'; Materia accepts only 'check if'`);
    } else if (field.number === 1 && field.bytes !== undefined) {
      if (++queries > MAX_CHECK_ALTERNATIVES) throw new TokenError(`${where} has a check of more than ${MAX_CHECK_ALTERNATIVES} alternatives`);
      // RuleV2 {1 head, 2 body, 3 expressions, 4 variables, 5 scope}
      let body = 0;
      let expressions = 0;
      for (const part of fieldsOf(field.bytes, where)) {
        if (part.number === 2) body++;
        else if (part.number === 3) expressions++;
        else if (part.number === 5) throw new TokenError(`${where} has a scoped check ('trusting'), which Materia does not accept`);
      }
      if (body > 1 || expressions > 1) throw new TokenError(`${where} has a check joining several predicates; Materia accepts only its own check shapes`);
    } else throw new TokenError(`${where} has a malformed check`);
  }
  return queries;
}

interface Field {
  readonly number: number;
  readonly varint?: number;
  readonly bytes?: Uint8Array;
}

/** The fields of one protobuf message, in order; throws TokenError on malformed input. */
function* fieldsOf(bytes: Uint8Array, where: string): Generator<Field> {
  let at = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = bytes[at++];
      if (b === undefined) break;
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
    throw new TokenError(`${where} is not a well-formed token (bad varint)`);
  };
  while (at < bytes.length) {
    const key = varint();
    const number = Math.floor(key / 8);
    const type = key % 8;
    if (type === 0) yield { number, varint: varint() };
    else if (type === 2) {
      const length = varint();
      if (at + length > bytes.length) throw new TokenError(`${where} is not a well-formed token (truncated)`);
      yield { number, bytes: bytes.subarray(at, at + length) };
      at += length;
    } else if (type === 1 || type === 5) {
      at += type === 1 ? 8 : 4;
      if (at > bytes.length) throw new TokenError(`${where} is not a well-formed token (truncated)`);
      yield { number };
    } else throw new TokenError(`${where} is not a well-formed token (wire type ${type})`);
  }
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const VALUES = new Map(Array.from(ALPHABET, (c, i) => [c, i]));

/** Strict URL-safe base64: no other characters, padding optional, unused bits zero (one text per byte string). */
export function decodeBase64Url(text: string): Uint8Array {
  const body = text.replace(/={1,2}$/, "");
  if (body === "" || (text !== body && text.length % 4 !== 0) || body.length % 4 === 1) {
    throw new TokenError("not a token: expected URL-safe base64 text");
  }
  const out = new Uint8Array(Math.floor((body.length * 6) / 8));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (const c of body) {
    const v = VALUES.get(c);
    if (v === undefined) throw new TokenError("not a token: expected URL-safe base64 text");
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 0xff;
    }
  }
  if ((value & ((1 << bits) - 1)) !== 0) throw new TokenError("not a token: base64 text with stray bits");
  return out;
}
