// Which channels a token limited to key prefixes may use. Channels are not
// keys, but a token that may only touch `app:` keys is meant for one
// application's share of a tenant, so it gets that share of the channels:
//
// - a channel is allowed when its name starts with one of the prefixes;
// - a keyspace channel `__keyspace@<db>__:<key>` is allowed when its key is;
// - a pattern is allowed when everything it can match is: its literal start
//   (up to the first `*`, `?` or `[`) must start with a prefix, read as a
//   keyspace channel's key when it is one;
// - `__keyevent@<db>__:<event>` channels carry key names of the whole
//   tenant, so they are allowed only to tokens whose prefixes cover them.
//
// This module turns a channel or a pattern into the name the scope checks.
import { compileGlob } from "../../model/glob.ts";

const KEYSPACE_START = new TextEncoder().encode("__keyspace@");
const DB_END = new TextEncoder().encode("__:");

/** The name a key scope must allow for a client to use `channel`. */
export function scopeNameOfChannel(channel: Uint8Array): Uint8Array {
  return keyOfKeyspaceChannel(channel) ?? channel;
}

/** The name a key scope must allow for a client to use `pattern`: its literal start, every match begins with it. */
export function scopeNameOfPattern(pattern: Uint8Array): Uint8Array {
  return scopeNameOfChannel(compileGlob(pattern).literalPrefix);
}

/** `<key>` of `__keyspace@<db>__:<key>` (db in decimal digits), else undefined. */
function keyOfKeyspaceChannel(channel: Uint8Array): Uint8Array | undefined {
  if (!startsWithAt(channel, KEYSPACE_START, 0)) return undefined;
  let i = KEYSPACE_START.length;
  const digitsStart = i;
  while (i < channel.length && channel[i]! >= 0x30 && channel[i]! <= 0x39) i++;
  if (i === digitsStart || !startsWithAt(channel, DB_END, i)) return undefined;
  return channel.subarray(i + DB_END.length);
}

function startsWithAt(bytes: Uint8Array, part: Uint8Array, at: number): boolean {
  if (bytes.length < at + part.length) return false;
  for (let i = 0; i < part.length; i++) if (bytes[at + i] !== part[i]) return false;
  return true;
}
