// The `notify-keyspace-events` setting: which keyspace events a tenant
// publishes, as Redis's bit flags (server.h NOTIFY_*), read from and written
// back to its letters exactly as Redis's notify.c does, quirks included.
import type { EventClass } from "../model/keyspace.ts";

/** The setting, as Redis's bit flags. */
export type NotifyFlags = number;

/** K: publish on `__keyspace@<db>__:<key>`. */
export const NOTIFY_KEYSPACE = 1 << 0;
/** E: publish on `__keyevent@<db>__:<event>`. */
export const NOTIFY_KEYEVENT = 1 << 1;

/** The flag of each event class (Redis's values, so that a setting reads the same in both). */
export const CLASS_FLAGS: Readonly<Record<EventClass, number>> = {
  g: 1 << 2,
  $: 1 << 3,
  l: 1 << 4,
  s: 1 << 5,
  h: 1 << 6,
  z: 1 << 7,
  x: 1 << 8,
  e: 1 << 9,
  t: 1 << 10,
  m: 1 << 11,
  d: 1 << 13,
  n: 1 << 14,
};

const F = CLASS_FLAGS;
/** `A`: every class but `m` (key misses) and `n` (new keys), which must be asked for by name. */
export const NOTIFY_ALL = F.g | F.$ | F.l | F.s | F.h | F.z | F.x | F.e | F.t | F.d;

/** Notifications off: Redis's default. */
export const NOTIFY_NONE: NotifyFlags = 0;

const LETTERS: Readonly<Record<string, number>> = {
  A: NOTIFY_ALL, K: NOTIFY_KEYSPACE, E: NOTIFY_KEYEVENT,
  g: F.g, $: F.$, l: F.l, s: F.s, h: F.h, z: F.z, x: F.x, e: F.e, t: F.t, m: F.m, d: F.d, n: F.n,
};

/** CONFIG SET's reason for a letter that names no class (Redis's text, letters in its order). */
export const INVALID_EVENT_CLASS = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";

/** The flags of a setting's text, or undefined when a character names no class. The empty text turns notifications off. */
export function parseNotifyFlags(text: string): NotifyFlags | undefined {
  let flags = 0;
  for (const letter of text) {
    const flag = LETTERS[letter];
    if (flag === undefined) return undefined;
    flags |= flag;
  }
  return flags;
}

/** The letters of the classes in the order CONFIG GET writes them (keyspaceEventsFlagsToString), `A` excepted. */
const CLASS_ORDER: readonly EventClass[] = ["g", "$", "l", "s", "h", "z", "x", "e", "t", "d", "n"];

/**
 * The setting as CONFIG GET shows it: `A` when every class of `A` is on,
 * else each class; then K, E and m. Redis writes `n` only in the second
 * branch, so `n` does not show beside `A` although new-key events are sent.
 */
export function formatNotifyFlags(flags: NotifyFlags): string {
  let text = "";
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) text += "A";
  else for (const letter of CLASS_ORDER) if (flags & F[letter]) text += letter;
  if (flags & NOTIFY_KEYSPACE) text += "K";
  if (flags & NOTIFY_KEYEVENT) text += "E";
  if (flags & F.m) text += "m";
  return text;
}

/** Whether any event can be published: a channel kind (K or E) and a class are both on. */
export function publishesAny(flags: NotifyFlags): boolean {
  return (flags & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT)) !== 0 && (flags & ~(NOTIFY_KEYSPACE | NOTIFY_KEYEVENT)) !== 0;
}
