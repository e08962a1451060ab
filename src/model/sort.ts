// SORT and SORT_RO over lists, sets and sorted sets, as Redis 7.0's
// sortCommandGeneric does: load the elements (for BY nosort only the LIMIT
// window of a list or sorted set, in its own order), weigh them (the element
// itself, or the value a BY pattern names), sort, then answer the window,
// each element or the values its GET patterns name; or store that as a list.
//
// Patterns: the first `*` is replaced by the element; `key->field` reads a
// hash field; `#` is the element itself; a pattern without `*` names nothing
// (nil). Pattern keys are looked up in the caller's keyspace, so they never
// leave its tenant and database; whether a token limited to key prefixes may
// use a pattern at all is the command's decision (patternHead).
import { compareBytes } from "../engine/bytes.ts";
import type { ReadTxn, Txn } from "../engine/contract.ts";
import { lookup, lookupForWrite, removeKey } from "./db.ts";
import * as hashes from "./hashes.ts";
import type { Keyspace } from "./keyspace.ts";
import * as lists from "./lists.ts";
import { KeyType } from "./meta.ts";
import * as sets from "./sets.ts";
import * as zsets from "./sorted_sets.ts";
import { readValue } from "./strings.ts";

export interface SortOptions {
  readonly desc: boolean;
  readonly alpha: boolean;
  /** LIMIT offset count as given (count < 0: to the end); [0, -1] without LIMIT. */
  readonly limit: { readonly offset: number; readonly count: number };
  /** The BY pattern with a `*` (the weights); undefined without one. */
  readonly by: Uint8Array | undefined;
  /** BY with a pattern without `*` (BY nosort): keep the collection's order. */
  readonly dontSort: boolean;
  readonly gets: readonly Uint8Array[];
  /** STORE's destination. */
  readonly store: Uint8Array | undefined;
}

/** What a SORT produces: the reply's values (null for a GET that found nothing), or Redis's error for a weight that is not a number. */
export type SortOutcome = { readonly values: (Uint8Array | null)[] } | "WRONGTYPE" | "NOT_A_DOUBLE";

const STAR = 0x2a;
const EMPTY = new Uint8Array(0);

/** The bytes before a pattern's first `*`: every key it names starts with them. Undefined for a pattern that names no key (`#`, no `*`). */
export function patternHead(pattern: Uint8Array): Uint8Array | undefined {
  if (pattern.length === 1 && pattern[0] === 0x23) return undefined;
  const star = pattern.indexOf(STAR);
  return star === -1 ? undefined : pattern.subarray(0, star);
}

/** `->` at or after `from`. */
function arrowAt(pattern: Uint8Array, from: number): number {
  for (let i = from; i + 1 < pattern.length; i++) if (pattern[i] === 0x2d && pattern[i + 1] === 0x3e) return i;
  return -1;
}

/**
 * Redis's lookupKeyByPattern: the value `pattern` names for `element`: a
 * string key's value, a hash field's value, the element itself for `#`;
 * undefined when there is none (no `*`, a missing key or field, another type).
 */
export async function lookupByPattern(tx: ReadTxn, ks: Keyspace, lookupOf: { readonly pattern: Uint8Array; readonly element: Uint8Array; readonly nowMs: number }): Promise<Uint8Array | undefined> {
  const { pattern, element, nowMs } = lookupOf;
  if (pattern.length === 1 && pattern[0] === 0x23) return element;
  const star = pattern.indexOf(STAR);
  if (star === -1) return undefined;
  // `->field` counts only with a non-empty field after the `*`.
  const arrow = arrowAt(pattern, star + 1);
  const hasField = arrow !== -1 && arrow + 2 < pattern.length;
  const keyEnd = hasField ? arrow : pattern.length;
  const key = new Uint8Array(star + element.length + keyEnd - star - 1);
  key.set(pattern.subarray(0, star), 0);
  key.set(element, star);
  key.set(pattern.subarray(star + 1, keyEnd), star + element.length);
  const meta = await lookup(tx, ks, key, nowMs);
  if (meta === undefined) return undefined;
  if (hasField) {
    if (meta.type !== KeyType.Hash) return undefined;
    const value = await hashes.getField(tx, ks, key, { field: pattern.subarray(arrow + 2), nowMs });
    return value === "WRONGTYPE" ? undefined : value;
  }
  return meta.type === KeyType.String ? await readValue(tx, ks, key, meta) : undefined;
}

const SPACES = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);
const DECIMAL = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?/;
const INFINITY = /^([+-]?)inf(?:inity)?/i;
const NAN = /^[+-]?nan(?:\([0-9A-Za-z_]*\))?/i;
const SMALLEST_NORMAL = 2.2250738585072014e-308;

/**
 * A weight as SORT reads it, with C's strtod: leading spaces, hex floats and
 * `inf` accepted; the text must end where the number does, or at a NUL
 * byte; NaN, overflow and underflow (ERANGE) are refused (undefined).
 * An empty string is 0, as strtod converts nothing and stops at its end.
 */
export function sortWeight(bytes: Uint8Array): number | undefined {
  const nul = bytes.indexOf(0);
  const text = String.fromCharCode(...(nul === -1 ? bytes : bytes.subarray(0, nul)));
  let at = 0;
  while (at < text.length && SPACES.has(text.charCodeAt(at))) at++;
  const rest = text.slice(at);
  if (NAN.test(rest)) return undefined;
  const infinity = INFINITY.exec(rest);
  if (infinity) return at + infinity[0].length === text.length ? (infinity[1] === "-" ? -Infinity : Infinity) : undefined;
  const hex = HEX.exec(rest);
  if (hex && (hex[2]!.length + (hex[3] ?? "").length) > 0) {
    if (at + hex[0].length !== text.length) return undefined;
    const fraction = hex[3] ?? "";
    const mantissa = BigInt(`0x${hex[2]}${fraction}`);
    const value = Number(mantissa) * 2 ** (Number(hex[4] ?? "0") - 4 * fraction.length);
    return inRange(hex[1] === "-" ? -value : value, mantissa !== 0n);
  }
  const decimal = DECIMAL.exec(rest);
  if (!decimal) return text.length === 0 ? 0 : undefined;
  if (at + decimal[0].length !== text.length) return undefined;
  const value = Number(decimal[0]);
  return inRange(value, /[1-9]/.test(decimal[0].replace(/[eE].*$/, "")));
}

/** strtod's ERANGE: a finite text that overflows, or a non-zero one that underflows. */
function inRange(value: number, nonZero: boolean): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  if (nonZero && Math.abs(value) < SMALLEST_NORMAL) return undefined;
  return value;
}

interface Entry {
  readonly element: Uint8Array;
  score: number;
  /** ALPHA with BY: the weight's bytes; undefined when the pattern named nothing (sorted first). */
  weight: Uint8Array | undefined;
}

/** The window of the sorted elements to answer: [start, end], Redis's clamping of LIMIT. */
function windowOf(length: number, limit: SortOptions["limit"]): { start: number; end: number } {
  let start = Math.min(Math.max(limit.offset, 0), length);
  const count = Math.min(Math.max(limit.count, -1), length);
  let end = count < 0 ? length - 1 : start + count - 1;
  if (start >= length) {
    start = length - 1;
    end = length - 2;
  }
  if (end >= length) end = length - 1;
  return { start, end };
}

/** The elements to sort, and the window to answer among them. */
async function loadElements(
  tx: ReadTxn,
  ks: Keyspace,
  source: { readonly key: Uint8Array; readonly type: KeyType | undefined; readonly options: SortOptions; readonly nowMs: number },
): Promise<{ elements: Uint8Array[]; start: number; end: number }> {
  const { key, type, options, nowMs } = source;
  if (type === undefined) return { elements: [], ...windowOf(0, options.limit) };
  if (type === KeyType.Set) {
    const members = await sets.members(tx, ks, key, nowMs);
    const elements = members === "WRONGTYPE" ? [] : members;
    return { elements, ...windowOf(elements.length, options.limit) };
  }
  const length = type === KeyType.List ? await lists.length(tx, ks, key, nowMs) : await zsets.cardinality(tx, ks, key, nowMs);
  const size = length === "WRONGTYPE" ? 0 : length;
  const { start, end } = windowOf(size, options.limit);
  if (options.dontSort) {
    // Only the window, in the collection's order (from its end for DESC); the window is then the whole vector.
    if (end < start) return { elements: [], start, end };
    const first = options.desc ? size - 1 - end : start;
    const last = options.desc ? size - 1 - start : end;
    let elements: Uint8Array[];
    if (type === KeyType.List) {
      const items = await lists.range(tx, ks, key, { start: first, stop: last, nowMs });
      elements = items === "WRONGTYPE" ? [] : items;
    } else {
      const entries = await zsets.rangeOf(tx, ks, key, { query: { spec: { by: "rank", start: first, stop: last }, reverse: false, offset: 0, count: -1 }, nowMs });
      elements = entries === "WRONGTYPE" ? [] : entries.map((entry) => entry.member);
    }
    if (options.desc) elements.reverse();
    return { elements, start: 0, end: end - start };
  }
  if (type === KeyType.List) {
    const items = await lists.range(tx, ks, key, { start: 0, stop: -1, nowMs });
    return { elements: items === "WRONGTYPE" ? [] : items, start, end };
  }
  const entries = await zsets.rangeOf(tx, ks, key, { query: { spec: { by: "rank", start: 0, stop: -1 }, reverse: false, offset: 0, count: -1 }, nowMs });
  return { elements: entries === "WRONGTYPE" ? [] : entries.map((entry) => entry.member), start, end };
}

/** Redis's sortCompare (ALPHA compares bytes; Redis uses strcoll outside STORE, the same for the C locale). */
function compareEntries(a: Entry, b: Entry, how: { readonly alpha: boolean; readonly byPattern: boolean; readonly desc: boolean }): number {
  let cmp: number;
  if (!how.alpha) cmp = a.score > b.score ? 1 : a.score < b.score ? -1 : compareBytes(a.element, b.element);
  else if (how.byPattern) {
    if (a.weight === undefined || b.weight === undefined) cmp = a.weight === b.weight ? 0 : a.weight === undefined ? -1 : 1;
    else cmp = compareBytes(a.weight, b.weight);
  } else cmp = compareBytes(a.element, b.element);
  return how.desc ? -cmp : cmp;
}

const TYPES_SORTED = new Set([KeyType.List, KeyType.Set, KeyType.ZSet]);

/**
 * SORT's reading part: the values to answer (or to store), in order.
 * `inScript` is not known here: a set sorted BY nosort is sorted by bytes
 * only when STOREd (Redis also does it inside scripts).
 */
export async function sortValues(tx: ReadTxn, ks: Keyspace, request: { readonly key: Uint8Array; readonly options: SortOptions; readonly nowMs: number }): Promise<SortOutcome> {
  const { key, nowMs } = request;
  let options = request.options;
  const meta = await lookup(tx, ks, key, nowMs);
  if (meta !== undefined && !TYPES_SORTED.has(meta.type)) return "WRONGTYPE";
  // A set has no order of its own: BY nosort with STORE sorts it by its bytes, so the stored list is deterministic.
  if (options.dontSort && meta?.type === KeyType.Set && options.store !== undefined) options = { ...options, dontSort: false, alpha: true, by: undefined };
  const { elements, start, end } = await loadElements(tx, ks, { key, type: meta?.type, options, nowMs });

  let notADouble = false;
  if (!options.dontSort) {
    const entries: Entry[] = [];
    for (const element of elements) {
      const entry: Entry = { element, score: 0, weight: undefined };
      entries.push(entry);
      const weight = options.by === undefined ? element : await lookupByPattern(tx, ks, { pattern: options.by, element, nowMs });
      if (weight === undefined) continue;
      if (options.alpha) {
        if (options.by !== undefined) entry.weight = weight;
      } else {
        const score = sortWeight(weight);
        if (score === undefined) notADouble = true;
        else entry.score = score;
      }
    }
    const how = { alpha: options.alpha, byPattern: options.by !== undefined, desc: options.desc };
    entries.sort((a, b) => compareEntries(a, b, how));
    for (let i = 0; i < entries.length; i++) elements[i] = entries[i]!.element;
  }
  if (notADouble) return "NOT_A_DOUBLE";

  const values: (Uint8Array | null)[] = [];
  for (let i = start; i <= end; i++) {
    const element = elements[i]!;
    if (options.gets.length === 0) values.push(element);
    for (const pattern of options.gets) values.push((await lookupByPattern(tx, ks, { pattern, element, nowMs })) ?? null);
  }
  return { values };
}

/**
 * SORT ... STORE's writing part: `values` become the list at `dest`
 * (replacing whatever it held, without a TTL), a `sortstore` event; no
 * values delete it (`del` when it existed).
 */
export async function storeSorted(tx: Txn, ks: Keyspace, store: { readonly dest: Uint8Array; readonly values: readonly (Uint8Array | null)[]; readonly nowMs: number }): Promise<number> {
  const { dest, values, nowMs } = store;
  const previous = await lookupForWrite(tx, ks, dest, nowMs);
  if (values.length === 0) {
    if (previous !== undefined) {
      removeKey(tx, ks, dest, previous);
      ks.notify("g", "del", dest);
    }
    return 0;
  }
  lists.replaceWithList(tx, ks, dest, { previous, items: values.map((value) => value ?? EMPTY) });
  ks.notify("l", "sortstore", dest);
  return values.length;
}
