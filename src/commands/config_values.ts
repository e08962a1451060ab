// The value types of CONFIG parameters as Redis 7.0 checks and prints them
// (config.c: bool, numeric with its integer/memory/percent/octal forms, enum,
// string, and the multi-word "special" ones): each parses what CONFIG SET
// sends into the form CONFIG GET answers, or throws InvalidConfigValue with
// Redis's own reason, which CONFIG SET wraps in its "CONFIG SET failed" error.

/** A value CONFIG SET refuses; the message is Redis's reason text. */
export class InvalidConfigValue extends Error {}

/** The C limits Redis's parameters are bounded by. */
export const INT_MIN = -2147483648n;
export const INT_MAX = 2147483647n;
export const UINT_MAX = 4294967295n;
export const LONG_MAX = 9223372036854775807n;
export const ULLONG_MAX = 18446744073709551615n;

/** How CONFIG SET reads a value and CONFIG GET prints it back. */
export interface ValueType {
  /** The canonical (CONFIG GET) form of `value`; throws InvalidConfigValue. */
  parse(value: string): string;
}

export const yesNo: ValueType = {
  parse(value) {
    const lowered = value.toLowerCase();
    if (lowered !== "yes" && lowered !== "no") throw new InvalidConfigValue("argument must be 'yes' or 'no'");
    return lowered;
  },
};

const MEMORY_UNITS: Readonly<Record<string, bigint>> = { "": 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000n ** 2n, mb: 1024n ** 2n, g: 1000n ** 3n, gb: 1024n ** 3n };

/**
 * Redis's memtoull: digits (none reads as 0) and an optional unit, never a
 * sign; undefined when it is not one. As in C, a number past 64 bits reads
 * as the largest one (strtoull) and the product wraps around.
 */
export function parseMemoryAmount(value: string): bigint | undefined {
  const match = /^(\d*)([a-z]*)$/i.exec(value);
  if (!match) return undefined;
  const unit = MEMORY_UNITS[match[2]!.toLowerCase()];
  if (unit === undefined || match[1]!.length >= 128) return undefined;
  const amount = match[1] === "" ? 0n : BigInt(match[1]!);
  return BigInt.asUintN(64, (amount > ULLONG_MAX ? ULLONG_MAX : amount) * unit);
}

/** Redis's string2ll: an optional minus, no leading zeros, within 64 bits. */
function parseLongLong(value: string): bigint | undefined {
  if (!/^(0|-?[1-9]\d{0,19})$/.test(value)) return undefined;
  const n = BigInt(value);
  return n > LONG_MAX || n < -LONG_MAX - 1n ? undefined : n;
}

export interface NumericOptions {
  readonly min: bigint;
  readonly max: bigint;
  /** size_t, unsigned int, unsigned long long: the bounds are checked on the value as unsigned. */
  readonly unsigned?: boolean;
  /** 1mb, 512kb...: printed back in bytes. */
  readonly memory?: boolean;
  /** maxmemory-clients: "10%" too, kept as a percentage (and `min` is minus the highest one). */
  readonly percent?: boolean;
  /** unixsocketperm: read and printed in octal. */
  readonly octal?: boolean;
  /** hz: Redis caps the value it keeps (updateHZ). */
  readonly clamp?: readonly [bigint, bigint];
}

function numericValue(value: string, options: NumericOptions): { n: bigint; percent: boolean } {
  if (options.memory) {
    const bytes = parseMemoryAmount(value);
    // As the C cast to long long: beyond LLONG_MAX it reads as negative.
    if (bytes !== undefined) return { n: BigInt.asIntN(64, bytes), percent: false };
  }
  if (options.percent && value.length > 1 && value.endsWith("%")) {
    const n = parseLongLong(value.slice(0, -1));
    if (n !== undefined && n >= 0n) return { n: -n, percent: true };
  }
  if (options.octal && /^[0-7]+$/.test(value)) return { n: BigInt(`0o${value}`), percent: false };
  if (!options.memory && !options.percent && !options.octal) {
    const n = parseLongLong(value);
    if (n !== undefined) return { n, percent: false };
  }
  if (options.memory && options.percent) throw new InvalidConfigValue("argument must be a memory or percent value");
  if (options.memory) throw new InvalidConfigValue("argument must be a memory value");
  if (options.octal) throw new InvalidConfigValue("argument couldn't be parsed as an octal number");
  throw new InvalidConfigValue("argument couldn't be parsed into an integer");
}

export function numeric(options: NumericOptions): ValueType {
  const show = (n: bigint) => (options.octal ? n.toString(8) : n.toString());
  return {
    parse(value) {
      const { n } = numericValue(value, options);
      if (options.unsigned) {
        const u = BigInt.asUintN(64, n);
        if (u > options.max || u < options.min) throw new InvalidConfigValue(`argument must be between ${show(options.min)} and ${show(options.max)} inclusive`);
      } else if (options.percent && n < 0n) {
        if (n < options.min) throw new InvalidConfigValue(`percentage argument must be less or equal to ${-options.min}`);
      } else if (n > options.max || n < options.min) {
        throw new InvalidConfigValue(`argument must be between ${options.min} and ${options.max} inclusive`);
      }
      if (options.percent && n < 0n) return `${-n}%`;
      let kept = n;
      if (options.clamp) kept = kept < options.clamp[0] ? options.clamp[0] : kept > options.clamp[1] ? options.clamp[1] : kept;
      // Memory values are printed as unsigned, as Redis's ull2string.
      return options.memory ? BigInt.asUintN(64, kept).toString() : show(kept);
    },
  };
}

/**
 * One of `names` (any letter case); `synonyms` map a name to the one CONFIG
 * GET prints for the same value (oom-score-adj: relative is yes). With
 * `flags`, several names separated by spaces (shutdown-on-sigterm), printed
 * in declaration order, "default" alone standing for none.
 */
export function enumeration(names: readonly string[], options: { synonyms?: Readonly<Record<string, string>>; flags?: boolean } = {}): ValueType {
  const refusal = `argument(s) must be one of the following: ${names.join(", ")}`;
  return {
    parse(value) {
      const words = options.flags ? value.split(" ") : [value];
      const chosen = new Set<string>();
      for (const word of words) {
        const name = names.find((n) => n === word.toLowerCase());
        if (name === undefined) throw new InvalidConfigValue(refusal);
        chosen.add(options.synonyms?.[name] ?? name);
      }
      if (!options.flags) return [...chosen][0]!;
      chosen.delete(names[0]!);
      if (chosen.has("save") && chosen.has("nosave")) throw new InvalidConfigValue("shutdown options SAVE and NOSAVE can't be used simultaneously");
      return chosen.size === 0 ? names[0]! : names.filter((n) => chosen.has(n)).join(" ");
    },
  };
}

/** Any text, with Redis's extra check when it has one (a message when refused). */
export function text(check?: (value: string) => string | undefined): ValueType {
  return {
    parse(value) {
      const refusal = check?.(value);
      if (refusal !== undefined) throw new InvalidConfigValue(refusal);
      return value;
    },
  };
}

/** cluster-announce-hostname: letters, digits, hyphens and dots, under 256 characters. */
export function hostnameRefusal(value: string): string | undefined {
  if (value.length >= 256) return "Hostnames must be less than 256 characters";
  if (!/^[A-Za-z0-9.-]*$/.test(value)) return "Hostnames may only contain alphanumeric characters, hyphens or dots";
  return undefined;
}

/** dbfilename: a file name, not a path. */
export function fileNameRefusal(value: string): string | undefined {
  return value.includes("/") ? "dbfilename can't be a path, just a filename" : undefined;
}

const TITLE_VARIABLES = new Set(["title", "listen-addr", "server-mode", "port", "tls-port", "unixsocket", "config-file"]);

/** proc-title-template: Redis's variables in braces ({{ and }} for literal braces), and something left once expanded. */
export function procTitleRefusal(value: string): string | undefined {
  const invalid = "template format is invalid or contains unknown variables";
  let expanded = "";
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === "{" && value[i + 1] === "{") { expanded += "{"; i++; continue; }
    if (c === "}" && value[i + 1] === "}") { expanded += "}"; i++; continue; }
    if (c === "}") return invalid;
    if (c !== "{") { expanded += c; continue; }
    const end = value.indexOf("}", i + 1);
    if (end < 0 || !TITLE_VARIABLES.has(value.slice(i + 1, end))) return invalid;
    // Each variable expands to something when a title is set; only "title" is empty while validating.
    if (value.slice(i + 1, end) !== "title") expanded += "x";
    i = end;
  }
  return expanded.trim() === "" ? invalid : undefined;
}

/** save: pairs of seconds (at least 1) and changes (at least 0); "" for none. */
export const savePoints: ValueType = {
  parse(value) {
    if (value === "") return "";
    const words = value.split(" ");
    const invalid = new InvalidConfigValue("Invalid save parameters");
    if (words.length % 2 !== 0) throw invalid;
    const numbers = words.map((word, i) => {
      if (!/^[+-]?\d+$/.test(word)) throw invalid;
      const n = BigInt(word);
      if ((i % 2 === 0 && n < 1n) || (i % 2 === 1 && n < 0n)) throw invalid;
      return n;
    });
    return numbers.join(" ");
  },
};

/** oom-score-adj-values: three integers in [-2000, 2000]. */
export const oomScores: ValueType = {
  parse(value) {
    const words = value.split(" ");
    if (words.length !== 3) throw new InvalidConfigValue("wrong number of arguments");
    return words.map((word) => {
      const n = /^[+-]?\d+$/.test(word) ? Number(word) : NaN;
      if (!(n >= -2000 && n <= 2000)) throw new InvalidConfigValue("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
      return String(n);
    }).join(" ");
  },
};

/** latency-tracking-info-percentiles: numbers in [0, 100], printed as %f with trailing zeros trimmed. */
export const percentiles: ValueType = {
  parse(value) {
    if (value === "") return "";
    return value.split(" ").map((word) => {
      const n = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(word) ? Number(word) : NaN;
      if (Number.isNaN(n)) throw new InvalidConfigValue("Invalid latency-tracking-info-percentiles parameters");
      if (n > 100 || n < 0) throw new InvalidConfigValue("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
      return n.toFixed(6).replace(/\.?0+$/, "");
    }).join(" ");
  },
};

/** replicaof: "no one" or a host and a port. */
export const replicaOf: ValueType = {
  parse(value) {
    const words = value.split(" ");
    if (words.length !== 2) throw new InvalidConfigValue("wrong number of arguments");
    if (words[0]!.toLowerCase() === "no" && words[1]!.toLowerCase() === "one") return "";
    if (!/^\d+$/.test(words[1]!) || Number(words[1]) > 65535) throw new InvalidConfigValue("Invalid master port");
    return `${words[0]} ${Number(words[1])}`;
  },
};

/** bind: up to 16 addresses; "" for none. */
export const bindAddresses: ValueType = {
  parse(value) {
    const words = value.split(" ");
    if (words.length > 16) throw new InvalidConfigValue("Too many bind addresses specified.");
    return value;
  },
};
