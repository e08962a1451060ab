// Reading and normalizing exact reply bytes for the differential tests.
// Replies are latin1 strings (one char per byte), as RawClient returns them.
import { replyLength } from "../support/raw_client.ts";

/** A decoded reply: scalars keep their text, aggregates their items (maps flattened). */
export interface RespValue {
  /** The RESP type byte: "+", "-", ":", "$", "*", "%", "~", "_", ... */
  readonly type: string;
  /** Scalars: the text (bulk payload, simple string, integer digits); null for nulls. */
  readonly value: string | null;
  /** Aggregates: the items, a map's keys and values alternating. */
  readonly items: readonly RespValue[];
  /** The exact bytes of this value. */
  readonly raw: string;
}

function toBytes(latin1: string): Uint8Array {
  const out = new Uint8Array(latin1.length);
  for (let i = 0; i < latin1.length; i++) out[i] = latin1.charCodeAt(i);
  return out;
}

/** Decodes one complete reply. */
export function decode(reply: string): RespValue {
  const bytes = toBytes(reply);
  const [value, end] = decodeAt(reply, bytes, 0);
  if (end !== reply.length) throw new Error(`trailing bytes after a reply: ${show(reply.slice(end))}`);
  return value;
}

function decodeAt(reply: string, bytes: Uint8Array, start: number): [RespValue, number] {
  const length = replyLength(bytes, start);
  if (length < 0) throw new Error(`incomplete reply: ${show(reply.slice(start))}`);
  const end = start + length;
  const raw = reply.slice(start, end);
  const type = reply[start]!;
  const headerEnd = reply.indexOf("\r\n", start);
  const header = reply.slice(start + 1, headerEnd);
  switch (type) {
    case "$": case "=": case "!":
      return [{ type, value: Number(header) < 0 ? null : reply.slice(headerEnd + 2, end - 2), items: [], raw }, end];
    case "*": case "~": case ">": case "%": case "|": {
      const count = Number(header) < 0 ? 0 : Number(header) * (type === "%" || type === "|" ? 2 : 1);
      const items: RespValue[] = [];
      let at = headerEnd + 2;
      for (let i = 0; i < count; i++) {
        const [item, next] = decodeAt(reply, bytes, at);
        items.push(item);
        at = next;
      }
      return [{ type, value: Number(header) < 0 ? null : header, items, raw }, end];
    }
    case "_":
      return [{ type, value: null, items: [], raw }, end];
    default:
      return [{ type, value: header, items: [], raw }, end];
  }
}

/** KEYS and friends: the same elements in any order. */
export function sortedAggregate(reply: string): string {
  const value = decode(reply);
  if (value.type !== "*" && value.type !== "~") return reply;
  const header = reply.slice(0, reply.indexOf("\r\n") + 2);
  return header + value.items.map((item) => item.raw).sort().join("");
}

/** HELLO: the `version` and `id` values differ by nature; everything else must match. */
export function maskHello(reply: string): string {
  return reply
    .replace(/(\$7\r\nversion\r\n)\$\d+\r\n[^\r]*\r\n/, "$1<version>")
    .replace(/(\$2\r\nid\r\n):\d+\r\n/, "$1<id>");
}

/** CLIENT ID: any integer. */
export function maskInteger(reply: string): string {
  return /^:\d+\r\n$/.test(reply) ? ":<integer>\r\n" : reply;
}

/**
 * Stream ids generated from the clock (XADD `*`): bulk strings `<ms>-<seq>`
 * whose ms has 13 digits or more, masked; explicit small ids stay exact.
 */
export function maskTimeIds(reply: string): string {
  return reply.replace(/\$\d+\r\n\d{13,}-\d+\r\n/g, () => "$<time-id>\r\n");
}

/** Bytes for display: escaped, and cut when long. */
export function show(bytes: string, max = 240): string {
  if (bytes.length <= max) return JSON.stringify(bytes);
  return `${JSON.stringify(bytes.slice(0, max))}… (${bytes.length} bytes)`;
}

/** Where two long byte strings start to differ, for the failure message. */
export function firstDifference(a: string, b: string, names = { a: "redis", b: "ours" }): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return "";
  return ` first difference at byte ${i}: ${names.a} ${show(a.slice(i, i + 40))} vs ${names.b} ${show(b.slice(i, i + 40))}`;
}
