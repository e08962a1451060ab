// JSON documents stored as ordinary strings (as Materia KV does): GET returns
// the JSON text, the 5 MB value limit and the chunking of strings.ts apply,
// and a modification keeps the key's TTL. A document is read whole, edited in
// memory (json_path.ts) and written back whole.
import type { ReadTxn, Txn } from "../engine/contract.ts";
import { lookupForWrite, removeKey } from "./db.ts";
import type { Keyspace } from "./keyspace.ts";
import { MAX_STRING_BYTES } from "./limits.ts";
import { KeyType, type Meta } from "./meta.ts";
import { getString, readValue, writeString } from "./strings.ts";
import { nestingOverflow } from "./json_depth.ts";
import { type Json, parseJson, serialize } from "./json_path.ts";

/**
 * A string that does not hold a JSON document, or a write refused:
 * TOO_DEEP when a document nests past JSON_MAX_NESTING_DEPTH (a stored one
 * could have been written with SET; an edited one by setting a deep value
 * deep inside).
 */
export type JsonStatus = "WRONGTYPE" | "NOT_JSON" | "TOO_LARGE" | "TOO_DEEP";

const DECODER = new TextDecoder("utf-8", { fatal: true });
const ENCODER = new TextEncoder();

function decode(bytes: Uint8Array): { readonly doc: Json } | "NOT_JSON" | "TOO_DEEP" {
  let text: string;
  try {
    text = DECODER.decode(bytes);
  } catch {
    return "NOT_JSON";
  }
  if (nestingOverflow(text) !== undefined) return "TOO_DEEP";
  const doc = parseJson(text);
  return doc === undefined ? "NOT_JSON" : { doc };
}

/** The document in `key`; undefined when the key is missing. */
export async function readDocument(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): Promise<{ readonly doc: Json } | undefined | JsonStatus> {
  const bytes = await getString(tx, ks, key, nowMs);
  if (bytes === undefined || bytes === "WRONGTYPE") return bytes;
  return decode(bytes);
}

/** A document read for a command that may change it: `meta` undefined when the key is missing. */
export interface DocumentForUpdate {
  readonly meta: Meta | undefined;
  readonly doc: Json | undefined;
}

export async function readDocumentForUpdate(tx: Txn, ks: Keyspace, key: Uint8Array, nowMs: number): Promise<DocumentForUpdate | JsonStatus> {
  const meta = await lookupForWrite(tx, ks, key, nowMs);
  if (meta === undefined) return { meta, doc: undefined };
  if (meta.type !== KeyType.String) return "WRONGTYPE";
  const decoded = decode(await readValue(tx, ks, key, meta));
  return typeof decoded === "string" ? decoded : { meta, doc: decoded.doc };
}

/** Writes `doc` (compact text) over the key, keeping its TTL; TOO_LARGE past the value limit, TOO_DEEP past the nesting limit. */
export function writeDocument(tx: Txn, ks: Keyspace, key: Uint8Array, target: { meta: Meta | undefined; doc: Json }): "TOO_LARGE" | "TOO_DEEP" | undefined {
  const text = serialize(target.doc);
  if (nestingOverflow(text) !== undefined) return "TOO_DEEP";
  const bytes = ENCODER.encode(text);
  if (bytes.length > MAX_STRING_BYTES) return "TOO_LARGE";
  writeString(tx, ks, key, target.meta, bytes, { expireAt: target.meta?.expireAt ?? 0 });
  return undefined;
}

/** Deletes the key holding a document (JSON.DEL of the root). */
export function deleteDocument(tx: Txn, ks: Keyspace, key: Uint8Array, meta: Meta): void {
  removeKey(tx, ks, key, meta);
}
