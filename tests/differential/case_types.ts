// The types of the differential scripts: each runs on a fresh connection after
// FLUSHALL, against redis-server (or its recorded replies) and against Materia,
// and every reply must be byte-identical, or equal after the step's `compare`
// normalization (observe.ts runs them, suite.ts registers them as tests).
// A step is an argv array, or an object for the rarer shapes:
//   { argv, compare }        a command whose reply is compared after a normalization
//   { raw, replies, closes } bytes written as they are (inline commands, protocol errors)
//   { sleep }                wait, for expiry
// An argument may be a function, evaluated when the step is sent (absolute times).
export type Arg = string | Uint8Array | (() => string);

/**
 * exact: the bytes must match. unordered: an array whose order Redis leaves
 * unspecified (KEYS, SMEMBERS...). scan: argv is a SCAN-like command from
 * cursor 0 (SCAN, or HSCAN/SSCAN with the key at argv[1] and the cursor at
 * argv[2]); the whole iteration runs and the set of items is compared.
 * hello: the `version` and `id` fields are masked. integer: any integer.
 * ttl: integers may differ by 1 (seconds: TTL, EXPIRETIME). pttl: integers
 * may differ by 100 (milliseconds: PTTL, PEXPIRETIME). timeIds: stream ids
 * made from the clock (XADD `*`) are masked, every other byte compared.
 * streamTimes: consumer-group replies (XPENDING's extended form, XINFO) with
 * idle, delivery and seen times rounded to 10 s (compare.ts maskStreamTimes),
 * clock ids masked too.
 * diagnostics: SLOWLOG GET entries (ids made relative to the newest, times,
 * durations and client addresses masked) and LATENCY LATEST / HISTORY
 * samples (times and milliseconds masked, a history's length too)
 * (compare.ts maskDiagnostics).
 */
export type Compare = "exact" | "unordered" | "scan" | "hello" | "integer" | "ttl" | "pttl" | "timeIds" | "streamTimes" | "diagnostics";

export interface CommandStep {
  readonly argv: readonly Arg[];
  readonly compare: Compare;
}

export interface RawStep {
  /** Sent as is, one byte per char code. */
  readonly raw: string;
  /** How many replies to read and compare. */
  readonly replies: number;
  /** Both servers must close the connection after the replies. */
  readonly closes?: boolean;
}

export interface SleepStep {
  readonly sleep: number;
}

export type Step = readonly Arg[] | CommandStep | RawStep | SleepStep;

export interface DifferentialCase {
  readonly name: string;
  /** Switch to RESP3 (HELLO 3, itself compared) before the steps. */
  readonly resp3?: boolean;
  /** A difference we keep on purpose, with where it is documented. */
  readonly skip?: string;
  readonly steps: readonly Step[];
}

/** Bytes from a string of char codes 0-255. */
export function bin(latin1: string): Uint8Array {
  const out = new Uint8Array(latin1.length);
  for (let i = 0; i < latin1.length; i++) {
    const code = latin1.charCodeAt(i);
    if (code > 255) throw new Error("bin() takes byte strings only");
    out[i] = code;
  }
  return out;
}

/** Deterministic bytes covering every byte value, CR LF pairs and NULs included. */
export function patternBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = i % 97 === 0 ? 13 : i % 97 === 1 ? 10 : (x >>> 16) & 0xff;
  }
  return out;
}

// Step constructors shared by every *_cases.ts file.

export const unordered = (...argv: Arg[]): CommandStep => ({ argv, compare: "unordered" });
export const scanAll = (...options: Arg[]): CommandStep => ({ argv: ["SCAN", "0", ...options], compare: "scan" });
/** A full HSCAN/SSCAN iteration of `key`: the set of items is compared. */
export const scanKey = (command: "HSCAN" | "SSCAN", key: Arg, ...options: Arg[]): CommandStep => ({ argv: [command, key, "0", ...options], compare: "scan" });
/** A TTL-like reply in seconds, compared within 1. */
export const ttl = (...argv: Arg[]): CommandStep => ({ argv, compare: "ttl" });
/** A PTTL-like reply in milliseconds, compared within 100. */
export const pttl = (...argv: Arg[]): CommandStep => ({ argv, compare: "pttl" });
export const hello = (...argv: Arg[]): CommandStep => ({ argv: ["HELLO", ...argv], compare: "hello" });
export const anyInteger = (...argv: Arg[]): CommandStep => ({ argv, compare: "integer" });
/** A reply holding stream ids made from the clock (XADD `*`): those are masked, the rest compared. */
export const timeIds = (...argv: Arg[]): CommandStep => ({ argv, compare: "timeIds" });
/** XPENDING (extended form) or XINFO: idle, delivery and seen times compared to the nearest 10 s. */
export const streamTimes = (...argv: Arg[]): CommandStep => ({ argv, compare: "streamTimes" });
/** SLOWLOG GET or LATENCY LATEST / HISTORY: times, durations, addresses and id offsets masked. */
export const diagnostics = (...argv: Arg[]): CommandStep => ({ argv, compare: "diagnostics" });
export const inline = (raw: string, replies = 1): RawStep => ({ raw, replies });
export const fatal = (raw: string): RawStep => ({ raw, replies: 1, closes: true });
export const sleep = (ms: number): SleepStep => ({ sleep: ms });
/** An absolute time in ms, `offsetMs` from when the step is sent. */
export const msFromNow = (offsetMs: number) => () => String(Date.now() + offsetMs);

export const INT64_MAX = "9223372036854775807";
export const INT64_MIN = "-9223372036854775808";
export const UINT64_MAX = "18446744073709551615";

/**
 * A family's cases by the command they test, as tests/commands/<family>_cases.ts
 * export them: an upper-case key is a command's exact name ("HSET", "CLIENT
 * SETNAME"; the coverage meta-test checks it), a lower-case key groups cases
 * about several commands of the family ("wrong types", "expiry").
 */
export type CasesByCommand = Readonly<Record<string, readonly DifferentialCase[]>>;

/** What a family's case module exports. */
export interface FamilyCases {
  readonly CASES: CasesByCommand;
  /** Commands whose COMMAND INFO name, arity, flags and key positions must equal Redis's. */
  readonly METADATA_COMMANDS: readonly string[];
}
