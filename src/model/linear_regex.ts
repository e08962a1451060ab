// The regex matcher of JSONPath filters (`@.name =~ "^a.*"`). JavaScript's
// RegExp backtracks: `(a+)+$` against 40 characters runs for minutes (ReDoS),
// and no runtime flag makes it linear on both Bun and Deno. RedisJSON uses
// Rust's regex crate, which never backtracks; this module does the same on a
// subset of its syntax: patterns compile to a Thompson NFA run by a Pike VM,
// so a match costs at most (program size × subject length) steps, each paid
// from the request's WorkBudget.
//
// Supported: literals, `.`, `[...]` and `[^...]` with ranges, `\d \w \s \D
// \W \S`, escaped punctuation, `\n \t \r`, `^` and `$` (text start/end),
// groups `(...)`, `(?:...)`, `(?P<n>...)`, `(?<n>...)`, alternation `|`,
// quantifiers `* + ? {n} {n,} {n,m}` (a trailing `?` is accepted and changes
// nothing: only whether it matches is asked), and a leading `(?i)`.
// Refused: backreferences, lookaround, `\b` and other assertions, other flags.
import type { WorkBudget } from "./work_budget.ts";
import { JSONPATH_MAX_REGEX_LENGTH, JSONPATH_MAX_REGEX_PROGRAM } from "./limits.ts";

type CharTest = (cp: number) => boolean;

type Node =
  | { readonly t: "char"; readonly test: CharTest }
  | { readonly t: "cat"; readonly items: readonly Node[] }
  | { readonly t: "alt"; readonly options: readonly Node[] }
  | { readonly t: "repeat"; readonly node: Node; readonly min: number; readonly max: number }
  | { readonly t: "bol" }
  | { readonly t: "eol" };

type Inst =
  | { op: "char"; test: CharTest }
  | { op: "split"; x: number; y: number }
  | { op: "jmp"; x: number }
  | { op: "bol" }
  | { op: "eol" }
  | { op: "match" };

/** A compiled pattern: run it with `regexMatches`. */
export interface LinearRegex {
  readonly source: string;
  readonly program: readonly Inst[];
}

/** Compiles `pattern`; a string says why it cannot be (syntax, unsupported feature, size). */
export function compileRegex(pattern: string): LinearRegex | string {
  if (pattern.length > JSONPATH_MAX_REGEX_LENGTH) return `the pattern is longer than ${JSONPATH_MAX_REGEX_LENGTH} characters`;
  let body = pattern;
  let fold = false;
  if (body.startsWith("(?i)")) {
    fold = true;
    body = body.slice(4);
  }
  const parser = new PatternParser(Array.from(body, (c) => c.codePointAt(0)!), fold);
  let node: Node;
  try {
    node = parser.parseAll();
  } catch (error) {
    if (error instanceof PatternError) return error.message;
    throw error;
  }
  const program: Inst[] = [];
  if (!emit(node, program)) return `the pattern compiles to more than ${JSONPATH_MAX_REGEX_PROGRAM} instructions; use smaller {n,m} repeats`;
  program.push({ op: "match" });
  return { source: pattern, program };
}

/** Whether `re` matches anywhere in `subject` (an unanchored search, like Rust's `is_match`). */
export function regexMatches(re: LinearRegex, subject: string, budget: WorkBudget): boolean {
  const program = re.program;
  const marks = new Int32Array(program.length).fill(-1);
  let current: number[] = [];
  let next: number[] = [];
  let generation = 0;
  // Positions are UTF-16 offsets; each step reads one code point, so nothing is copied.
  const n = subject.length;
  // Follows jumps, splits and assertions from `pc`; adds the threads that wait on a character (or match).
  const add = (list: number[], pc: number, pos: number): void => {
    const stack = [pc];
    while (stack.length > 0) {
      const at = stack.pop()!;
      if (marks[at] === generation) continue;
      marks[at] = generation;
      const inst = program[at]!;
      switch (inst.op) {
        case "jmp":
          stack.push(inst.x);
          break;
        case "split":
          stack.push(inst.y, inst.x);
          break;
        case "bol":
          if (pos === 0) stack.push(at + 1);
          break;
        case "eol":
          if (pos === n) stack.push(at + 1);
          break;
        default:
          list.push(at);
      }
    }
  };
  for (let pos = 0; pos <= n; ) {
    add(current, 0, pos);
    budget.spend(Math.max(1, current.length));
    generation++;
    const cp = pos < n ? subject.codePointAt(pos)! : -1;
    const after = pos + (cp > 0xffff ? 2 : 1);
    for (const pc of current) {
      const inst = program[pc]!;
      if (inst.op === "match") return true;
      if (inst.op === "char" && cp >= 0 && inst.test(cp)) add(next, pc + 1, after);
    }
    [current, next] = [next, current];
    next.length = 0;
    pos = after;
  }
  return current.some((pc) => program[pc]!.op === "match");
}

/** Appends `node`'s instructions; false when the program grows past its limit. */
function emit(node: Node, program: Inst[]): boolean {
  if (program.length > JSONPATH_MAX_REGEX_PROGRAM) return false;
  switch (node.t) {
    case "char":
      program.push({ op: "char", test: node.test });
      return true;
    case "bol":
    case "eol":
      program.push({ op: node.t });
      return true;
    case "cat":
      return node.items.every((item) => emit(item, program));
    case "alt": {
      const jumps: Array<{ op: "jmp"; x: number }> = [];
      for (let i = 0; i < node.options.length; i++) {
        const last = i === node.options.length - 1;
        const split = { op: "split" as const, x: program.length + 1, y: 0 };
        if (!last) program.push(split);
        if (!emit(node.options[i]!, program)) return false;
        if (!last) {
          const jump = { op: "jmp" as const, x: 0 };
          program.push(jump);
          jumps.push(jump);
          split.y = program.length;
        }
      }
      for (const jump of jumps) jump.x = program.length;
      return true;
    }
    case "repeat": {
      for (let i = 0; i < node.min; i++) if (!emit(node.node, program)) return false;
      if (node.max === Infinity) {
        const split = { op: "split" as const, x: program.length + 1, y: 0 };
        const loop = program.length;
        program.push(split);
        if (!emit(node.node, program)) return false;
        program.push({ op: "jmp", x: loop });
        split.y = program.length;
        return true;
      }
      const splits: Array<{ op: "split"; x: number; y: number }> = [];
      for (let i = node.min; i < node.max; i++) {
        const split = { op: "split" as const, x: program.length + 1, y: 0 };
        program.push(split);
        splits.push(split);
        if (!emit(node.node, program)) return false;
      }
      for (const split of splits) split.y = program.length;
      return program.length <= JSONPATH_MAX_REGEX_PROGRAM;
    }
  }
}

class PatternError extends Error {}

const ch = (c: string): number => c.codePointAt(0)!;
const DIGIT: CharTest = (cp) => cp >= 48 && cp <= 57;
const WORD: CharTest = (cp) => DIGIT(cp) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122) || cp === 95;
const SPACE: CharTest = (cp) => /\s/.test(String.fromCodePoint(cp));
const NEWLINE = 10;

function folded(test: CharTest): CharTest {
  return (cp) => {
    if (test(cp)) return true;
    const c = String.fromCodePoint(cp);
    const lower = c.toLowerCase().codePointAt(0)!;
    const upper = c.toUpperCase().codePointAt(0)!;
    return (lower !== cp && test(lower)) || (upper !== cp && test(upper));
  };
}

/** Recursive descent over the pattern; its depth is bounded by the pattern's length limit. */
class PatternParser {
  #i = 0;
  constructor(
    private readonly cps: readonly number[],
    private readonly fold: boolean,
  ) {}

  parseAll(): Node {
    const node = this.alternation();
    if (this.#i < this.cps.length) throw new PatternError("unbalanced ')' in the pattern");
    return node;
  }

  private peek(): number | undefined {
    return this.cps[this.#i];
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.peek() === ch("|")) {
      this.#i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0]! : { t: "alt", options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    for (let c = this.peek(); c !== undefined && c !== ch("|") && c !== ch(")"); c = this.peek()) {
      items.push(this.quantified(this.atom()));
    }
    return { t: "cat", items };
  }

  private quantified(atom: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === ch("*")) [min, max] = [0, Infinity];
    else if (c === ch("+")) [min, max] = [1, Infinity];
    else if (c === ch("?")) [min, max] = [0, 1];
    else if (c === ch("{")) [min, max] = this.braces();
    else return atom;
    if (c !== ch("{")) this.#i++;
    if (this.peek() === ch("?")) this.#i++;
    if (atom.t === "bol" || atom.t === "eol") throw new PatternError("a quantifier cannot follow ^ or $");
    const q = this.peek();
    if (q === ch("*") || q === ch("+") || q === ch("{")) throw new PatternError("a quantifier cannot follow another quantifier");
    return { t: "repeat", node: atom, min, max };
  }

  private braces(): [number, number] {
    const rest = String.fromCodePoint(...this.cps.slice(this.#i, this.#i + 16));
    const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(rest);
    if (!m) throw new PatternError("'{' must start a repeat such as {2}, {2,} or {2,5} (escape it as \\{ for a literal)");
    this.#i += m[0].length;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
    if (max < min) throw new PatternError("a repeat {n,m} needs n <= m");
    return [min, max];
  }

  private atom(): Node {
    const c = this.cps[this.#i++]!;
    if (c === ch("(")) return this.group();
    if (c === ch("[")) return this.char(this.charClass());
    if (c === ch(".")) return this.char((cp) => cp !== NEWLINE);
    if (c === ch("^")) return { t: "bol" };
    if (c === ch("$")) return { t: "eol" };
    if (c === ch("\\")) return this.char(this.escape(false));
    if (c === ch("*") || c === ch("+") || c === ch("?") || c === ch("{")) throw new PatternError("a quantifier must follow something to repeat");
    return this.char((cp) => cp === c);
  }

  private char(test: CharTest): Node {
    return { t: "char", test: this.fold ? folded(test) : test };
  }

  private group(): Node {
    if (this.peek() === ch("?")) {
      const rest = String.fromCodePoint(...this.cps.slice(this.#i, this.#i + 40));
      const m = /^\?(:|P?<[A-Za-z_][A-Za-z0-9_]*>)/.exec(rest);
      if (!m) throw new PatternError("lookaround, inline flags other than a leading (?i) and backreferences are not supported");
      this.#i += m[0].length;
    }
    const node = this.alternation();
    if (this.cps[this.#i++] !== ch(")")) throw new PatternError("unclosed '(' in the pattern");
    return node;
  }

  /** `\x` after the backslash: a class shorthand, a control escape or escaped punctuation. */
  private escape(inClass: boolean): CharTest {
    const c = this.cps[this.#i++];
    if (c === undefined) throw new PatternError("the pattern ends with a lone backslash");
    switch (String.fromCodePoint(c)) {
      case "d":
        return DIGIT;
      case "D":
        return (cp) => !DIGIT(cp);
      case "w":
        return WORD;
      case "W":
        return (cp) => !WORD(cp);
      case "s":
        return SPACE;
      case "S":
        return (cp) => !SPACE(cp);
      case "n":
        return (cp) => cp === NEWLINE;
      case "t":
        return (cp) => cp === 9;
      case "r":
        return (cp) => cp === 13;
    }
    if (WORD(c)) throw new PatternError(`the escape \\${String.fromCodePoint(c)} is not supported${inClass ? " in a class" : ""}`);
    return (cp) => cp === c;
  }

  private charClass(): CharTest {
    let negated = false;
    if (this.peek() === ch("^")) {
      negated = true;
      this.#i++;
    }
    const tests: CharTest[] = [];
    let first = true;
    for (;;) {
      const c = this.cps[this.#i++];
      if (c === undefined) throw new PatternError("unclosed '[' in the pattern");
      if (c === ch("]") && !first) break;
      first = false;
      if (c === ch("[")) throw new PatternError("nested classes and [:name:] classes are not supported; escape '[' as \\[");
      let low: number;
      if (c === ch("\\")) {
        const test = this.escape(true);
        const escaped = this.cps[this.#i - 1]!;
        if (WORD(escaped) && !"ntr".includes(String.fromCodePoint(escaped))) {
          tests.push(test);
          continue;
        }
        low = escaped === ch("n") ? NEWLINE : escaped === ch("t") ? 9 : escaped === ch("r") ? 13 : escaped;
      } else low = c;
      if (this.peek() === ch("-") && this.cps[this.#i + 1] !== undefined && this.cps[this.#i + 1] !== ch("]")) {
        this.#i++;
        let high = this.cps[this.#i++]!;
        if (high === ch("\\")) {
          high = this.cps[this.#i++]!;
          if (high === undefined || WORD(high)) throw new PatternError("a class range must end with a character");
        }
        if (high < low) throw new PatternError("a class range must go from low to high");
        const [lo, hi] = [low, high];
        tests.push((cp) => cp >= lo && cp <= hi);
      } else {
        const only = low;
        tests.push((cp) => cp === only);
      }
    }
    const any: CharTest = (cp) => tests.some((t) => t(cp));
    return negated ? (cp) => !any(cp) : any;
  }
}
