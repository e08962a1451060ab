// The protocol fuzzer's inputs: one seeded generator of byte sequences a
// client could send, from pure noise to well-formed commands with arguments
// shaped after each command's declared syntax (COMMAND DOCS). Every input is
// a list of chunks, sent as separate writes so the parser sees frames split
// at random places.
import type { ArgumentDoc } from "../../src/commands/arguments.ts";
import type { CommandSpec } from "../../src/commands/spec.ts";
import { ALL_COMMANDS } from "../../src/commands/table.ts";
import { SeededRandom } from "../../src/engine/seeded_random.ts";
import { MAX_KEY_NAME_BYTES, MAX_STRING_BYTES } from "../../src/model/limits.ts";
import { encodeCommand } from "../support/raw_client.ts";

export interface FuzzInput {
  /** What kind of input this is, for the failure report. */
  readonly kind: string;
  readonly chunks: readonly Uint8Array[];
  /**
   * Every frame is complete and well-formed: a marker command appended after
   * it must be answered (or the connection closed, by QUIT or a size error).
   */
  readonly wellFormed: boolean;
}

/**
 * Commands the fuzzer never sends, because their documented effect is on
 * other clients or on the server's settings: CLIENT KILL may kill the
 * bystander, CONFIG SET may set a 1-second idle timeout for everyone,
 * SHUTDOWN stops the server (persistence_test.ts covers it), CLIENT PAUSE
 * holds every client for as long as it says (connection_test.ts covers it); or
 * because it silences the very replies the fuzzer waits for (CLIENT REPLY
 * OFF, on purpose: tests/commands/connection_cases.ts covers it).
 */
const EXCLUDED = new Set(["client|kill", "config|set", "client|reply", "shutdown", "client|pause"]);

interface Target {
  readonly name: string[];
  readonly spec: CommandSpec;
}

const TARGETS: readonly Target[] = ALL_COMMANDS.flatMap((spec): Target[] => {
  const subs = (spec.subcommands ?? []).map((sub) => ({ name: [spec.name, sub.name], spec: sub }));
  const own = spec.subcommands && spec.arity !== -1 ? [] : [{ name: [spec.name], spec }];
  return [...own, ...subs].filter((t) => !EXCLUDED.has(t.name.join("|")));
});

/** Keys the fuzzer writes and reads, so commands meet every type and missing keys. */
const KEYS = ["k", "str", "num", "list", "hash", "set", "json", "missing", "{t}a", "{t}b"];
const NUMBERS = [
  "0", "1", "-1", "2", "10", "100", "-100", "3.5", "-0", "+1", "01", " 1", "1e3", "0x10", "inf", "-inf", "+inf", "nan",
  "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809", "18446744073709551615",
  "4294967296", "2147483648", "1.7976931348623157e308", "1e400", "5242880", "5242881", "4294967295", "99999999999999999999999",
  "", "abc", "1.5e-300",
];
const TOKENS = [
  "NX", "XX", "GT", "LT", "EX", "PX", "EXAT", "PXAT", "KEEPTTL", "GET", "PERSIST", "COUNT", "MATCH", "TYPE", "WITHVALUES",
  "NOVALUES", "LEFT", "RIGHT", "BEFORE", "AFTER", "RANK", "MAXLEN", "LIMIT", "BYTE", "BIT", "AND", "OR", "XOR", "NOT",
  "REPLACE", "DB", "ABSTTL", "IDLETIME", "FREQ", "SAMPLES", "ID", "TYPE", "USER", "ADDR", "LADDR", "SKIPME", "MAXAGE",
  "ON", "OFF", "AUTH", "SETNAME", "$", "$.a", "$..*", ".", "$[0]", "$.a[-1]", "*", "?", "[a-", "\\",
];
/**
 * Timeouts of the blocking commands (flag "blocking": BLPOP...): short, or
 * refused, never 0 or long, so that a well-formed input is answered (a
 * blocked command holds its connection's later commands, the marker
 * included). Inside MULTI they never wait anyway.
 */
const SHORT_TIMEOUTS = ["0.01", "0.001", "1e-9", ".02", "0x.01", "-1", "abc", "inf", "1e400", "", "-0.002", "nan"];
const JSON_TEXTS = ['{"a":1,"b":[1,2,3]}', "[]", "null", '"s"', "1e999", '{"a":{"a":{"a":{"a":{}}}}}', "[[[[[[[[[[]]]]]]]]]]", "{", '{"__proto__":1}', "tru"];

export class FuzzGenerator {
  private readonly random: SeededRandom;
  constructor(readonly seed: number) {
    this.random = new SeededRandom(seed);
  }

  private int(n: number): number {
    return this.random.int(n);
  }

  private chance(p: number): boolean {
    return this.random.next() < p;
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  private bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.int(256);
    return out;
  }

  /** One input; cases are weighted towards commands, which reach the deepest code. */
  next(): FuzzInput {
    const roll = this.int(100);
    if (roll < 8) return this.split("random bytes", [this.bytes(1 + this.int(this.chance(0.1) ? 65_536 : 512))], false);
    if (roll < 18) return this.mutatedFrames();
    if (roll < 26) return this.lengthHeaders();
    if (roll < 30) return this.nestedArrays();
    if (roll < 36) return this.truncated();
    if (roll < 42) return this.inline();
    if (roll < 44) return this.sizeLimits();
    if (roll < 50) return this.split("binary keys and values", [this.commands(3, true)], true);
    return this.split("commands from the command table", [this.commands(1 + this.int(12), false)], true);
  }

  /** Splits the bytes into 1-4 writes at random places (sometimes one byte at a time, for short inputs). */
  private split(kind: string, parts: readonly Uint8Array[], wellFormed: boolean): FuzzInput {
    const whole = concat(parts);
    if (whole.length <= 64 && this.chance(0.1)) {
      return { kind: `${kind}, byte by byte`, chunks: Array.from(whole, (b) => Uint8Array.of(b)), wellFormed };
    }
    const cuts = new Set<number>();
    const pieces = this.int(4);
    for (let i = 0; i < pieces && whole.length > 1; i++) cuts.add(1 + this.int(whole.length - 1));
    const sorted = [...cuts].sort((a, b) => a - b);
    const chunks: Uint8Array[] = [];
    let at = 0;
    for (const cut of sorted) {
      chunks.push(whole.subarray(at, cut));
      at = cut;
    }
    chunks.push(whole.subarray(at));
    return { kind, chunks, wellFormed };
  }

  /** Several commands from the table, one after another, sometimes inside MULTI or after HELLO 3. */
  private commands(count: number, binary: boolean): Uint8Array {
    const frames: Uint8Array[] = [];
    if (this.chance(0.15)) frames.push(encodeCommand(["HELLO", "3"]));
    if (this.chance(0.1)) frames.push(encodeCommand(["MULTI"]));
    for (let i = 0; i < count; i++) frames.push(encodeCommand(this.argv(binary)));
    if (this.chance(0.1)) frames.push(encodeCommand([this.pick(["EXEC", "DISCARD"])]));
    return concat(frames);
  }

  /** A command of the table with arguments following its documented syntax, a random count, or both. */
  argv(binary = false): Array<string | Uint8Array> {
    const target = this.pick(TARGETS);
    const name = target.name.map((part) => this.randomCase(part));
    const args: Array<string | Uint8Array> = [];
    const docs = target.spec.arguments ?? [];
    if (target.spec.flags.includes("blocking")) {
      // The documented syntax with a short timeout, and no argument added or swapped that could become the timeout.
      for (const doc of docs) {
        if (doc.name === "timeout") args.push(this.pick(SHORT_TIMEOUTS));
        else this.argumentsFor(doc, args, binary);
      }
      return [...name, ...args];
    }
    if (docs.length > 0 && this.chance(0.7)) {
      for (const doc of docs) this.argumentsFor(doc, args, binary);
    } else {
      const arity = Math.abs(target.spec.arity) - name.length;
      const count = Math.max(0, arity + this.int(5) - 2);
      for (let i = 0; i < count; i++) args.push(this.scalar(binary));
    }
    // Sometimes one argument too many or too few, or one swapped for junk.
    if (args.length > 0 && this.chance(0.15)) args.splice(this.int(args.length), 1);
    if (this.chance(0.15)) args.push(this.scalar(binary));
    if (args.length > 0 && this.chance(0.15)) args[this.int(args.length)] = this.scalar(binary);
    return [...name, ...args];
  }

  private argumentsFor(doc: ArgumentDoc, out: Array<string | Uint8Array>, binary: boolean): void {
    if (doc.optional && this.chance(0.5)) return;
    const repeats = doc.multiple ? 1 + this.int(this.chance(0.05) ? 200 : 4) : 1;
    for (let r = 0; r < repeats; r++) {
      if (doc.token !== undefined) out.push(this.chance(0.9) ? doc.token : this.randomCase(doc.token));
      switch (doc.type) {
        case "pure-token":
          break;
        case "oneof":
          if (doc.arguments && doc.arguments.length > 0) this.argumentsFor(this.pick(doc.arguments), out, binary);
          break;
        case "block":
          for (const part of doc.arguments ?? []) this.argumentsFor(part, out, binary);
          break;
        case "key":
          out.push(this.chance(0.85) ? this.pick(KEYS) : this.scalar(binary));
          break;
        case "integer":
        case "double":
        case "unix-time":
          out.push(this.chance(0.8) ? this.pick(NUMBERS) : this.scalar(binary));
          break;
        case "pattern":
          out.push(this.pick(["*", "k*", "?", "[a-z]*", "\\", "[", "*[", "h?sh", ""]));
          break;
        default:
          out.push(this.scalar(binary));
      }
    }
  }

  /** An argument of any kind: key, number, keyword, JSON, binary, empty, long. */
  private scalar(binary: boolean): string | Uint8Array {
    if (binary && this.chance(0.6)) return this.bytes(this.int(24));
    const roll = this.int(10);
    if (roll < 3) return this.pick(KEYS);
    if (roll < 5) return this.pick(NUMBERS);
    if (roll < 7) return this.pick(TOKENS);
    if (roll < 8) return this.pick(JSON_TEXTS);
    if (roll < 9) return this.bytes(this.int(16));
    return "v".repeat(this.chance(0.1) ? 20_000 : this.int(40));
  }

  private randomCase(word: string): string {
    if (this.chance(0.7)) return word;
    return Array.from(word, (c) => (this.chance(0.5) ? c.toUpperCase() : c.toLowerCase())).join("");
  }

  /** Valid frames with bytes flipped, inserted, removed or repeated. */
  private mutatedFrames(): FuzzInput {
    const bytes = Array.from(this.commands(1 + this.int(4), false));
    const edits = 1 + this.int(6);
    for (let e = 0; e < edits && bytes.length > 0; e++) {
      const at = this.int(bytes.length);
      switch (this.int(5)) {
        case 0: bytes[at] = this.int(256); break;
        case 1: bytes.splice(at, 0, this.pick([13, 10, 42, 36, 45, 48, 57, 0, 255])); break;
        case 2: bytes.splice(at, 1 + this.int(8)); break;
        case 3: bytes.splice(at, 0, ...bytes.slice(at, at + 1 + this.int(32))); break;
        default: bytes[at] = this.pick([13, 10, 42, 36, 58, 43, 45]);
      }
    }
    return this.split("mutated frames", [Uint8Array.from(bytes)], false);
  }

  /** `*count` and `$length` headers at and past every limit, negative, non-numeric, overlong. */
  private lengthHeaders(): FuzzInput {
    const lengths = [
      "-1", "-2", "-9223372036854775808", "0", "1048576", "1048577", "9223372036854775807", "9223372036854775808",
      "99999999999999999999999", String(MAX_STRING_BYTES), String(MAX_STRING_BYTES + 1), "1e3", "+5", "05", " 5", "5 ", "",
      "\x00", "4294967296", "2147483648", "-0", "1".repeat(70_000),
    ];
    const count = this.pick(lengths);
    const length = this.pick(lengths);
    const text = this.pick([
      `*${count}\r\n`,
      `*1\r\n$${length}\r\n`,
      `*2\r\n$3\r\nGET\r\n$${length}\r\nabc\r\n`,
      `*${count}\r\n$4\r\nPING\r\n`,
      `*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${length}\r\n${"x".repeat(this.int(64))}`,
      `$${length}\r\n`,
      `*${count}\r`,
      `*1\r\n$${length}\n`,
    ]);
    return this.split("huge or negative lengths", [latin1(text)], false);
  }

  /** Arrays inside arrays, which a request may not contain, and other reply types sent as requests. */
  private nestedArrays(): FuzzInput {
    let frame = encodeCommand(["PING"]);
    const depth = 1 + this.int(this.chance(0.1) ? 5_000 : 8);
    for (let i = 0; i < depth; i++) frame = concat([latin1(`*${1 + this.int(3)}\r\n`), frame]);
    const other = this.pick(["%1\r\n$1\r\na\r\n$1\r\nb\r\n", "~1\r\n:1\r\n", ">2\r\n+a\r\n+b\r\n", "_\r\n", "#t\r\n", ",1.5\r\n", "(1\r\n", "|1\r\n+a\r\n+b\r\n"]);
    return this.split("nested arrays", [this.chance(0.5) ? frame : latin1(other)], false);
  }

  /** A well-formed command cut short: the connection then closes with half a frame in the parser. */
  private truncated(): FuzzInput {
    const whole = this.commands(1 + this.int(3), this.chance(0.3));
    return this.split("truncated frame", [whole.subarray(0, this.int(whole.length))], false);
  }

  /** Inline commands: quotes, escapes, NUL bytes, overlong lines. */
  private inline(): FuzzInput {
    const lines = [
      'SET "k\\x00\\xff" "v\\n"\r\n', "SET 'k' 'it\\'s'\r\n", 'GET "unbalanced\r\n', "ECHO 'x'y\r\n", 'ECHO "\\x4"\r\n',
      "PING\r\nPING\n\n\r\n", "   \t  \r\n", `ECHO ${"a".repeat(70_000)}\r\n`, "SET k\x00hidden v\r\n", '"\\\r\n',
      `${this.argv().map((a) => (typeof a === "string" ? a : "x")).join(" ")}\r\n`,
    ];
    const chosen = Array.from({ length: 1 + this.int(3) }, () => latin1(this.pick(lines)));
    return this.split("inline commands", chosen, false);
  }

  /** Keys and values at and just over Materia's limits (8 KiB keys, 5 MiB values). */
  private sizeLimits(): FuzzInput {
    const over = this.chance(0.5);
    if (this.chance(0.5)) {
      const key = "k".repeat(MAX_KEY_NAME_BYTES + (over ? 1 : 0));
      return this.split(`key of ${key.length} bytes`, [encodeCommand([this.pick(["SET", "APPEND", "LPUSH", "SADD"]), key, "v"])], true);
    }
    const value = new Uint8Array(MAX_STRING_BYTES + (over ? 1 : 0)).fill(120);
    const argv = this.pick([["SET", "big", value], ["APPEND", "big", value], ["ECHO", value], ["RPUSH", "biglist", value]]);
    return this.split(`value of ${value.length} bytes`, [encodeCommand(argv)], true);
  }
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Bytes of a string of char codes 0-255. */
export function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}
