// The JSONPath grammar Materia accepts (RedisJSON's, without method calls or
// any other code): a parser from the `$`-form text to segments. Nothing here
// evaluates; json_path_eval.ts does. docs/COMPATIBILITY.md ("JSON paths")
// states the grammar for users.
//
//   path      = "$" segment*
//   segment   = "." name | "." "*" | "."? "[" selectors "]" | ".." (name | "*" | "[" selectors "]")
//   selectors = "*" | "?" filter | item ("," item)*
//   item      = 'name' | "name" | integer | [integer] ":" [integer] [":" [positive]]
//   filter    = and ("||" and)*        and   = unary ("&&" unary)*
//   unary     = "!" unary | "(" filter ")" | operand [op operand]
//   op        = "==" | "!=" | "<" | "<=" | ">" | ">=" | "=~"
//   operand   = "@" segment* | "$" segment* | number | string | true | false | null
//
// Spaces are allowed inside brackets and filters, not between segments.
import type { Json } from "./json_path.ts";
import { compileRegex, type LinearRegex } from "./linear_regex.ts";
import { JSONPATH_MAX_FILTER_NESTING, JSONPATH_MAX_LENGTH } from "./limits.ts";

export type Selector =
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "index"; readonly index: number }
  | { readonly kind: "slice"; readonly start: number | undefined; readonly end: number | undefined; readonly step: number }
  | { readonly kind: "wildcard" }
  | { readonly kind: "filter"; readonly test: Filter };

export interface Segment {
  /** `..`: the selectors apply to the value and every value below it, in document order. */
  readonly descendant: boolean;
  readonly selectors: readonly Selector[];
  /** Offset of the segment in the path text (the parent path of a member is the text before it). */
  readonly at: number;
}

export type Operand =
  | { readonly kind: "literal"; readonly value: Json }
  | { readonly kind: "path"; readonly from: "@" | "$"; readonly segments: readonly Segment[] };

export type ComparisonOp = "==" | "!=" | "<" | "<=" | ">" | ">=" | "=~";

export type Filter =
  | { readonly kind: "or" | "and"; readonly items: readonly Filter[] }
  | { readonly kind: "not"; readonly item: Filter }
  | { readonly kind: "exists"; readonly operand: Operand }
  | { readonly kind: "compare"; readonly op: ComparisonOp; readonly left: Operand; readonly right: Operand; readonly regex?: LinearRegex };

/** Why a path was refused, for the error reply. */
export class PathSyntaxError extends Error {}

/** Parses a `$`-form path; throws PathSyntaxError naming what is wrong. */
export function parseSegments(expression: string): Segment[] {
  if (expression.length > JSONPATH_MAX_LENGTH) throw new PathSyntaxError(`the path is longer than ${JSONPATH_MAX_LENGTH} characters`);
  const parser = new PathParser(expression);
  return parser.parseWhole();
}

const NAME_STOP = new Set([...".[]()'\",*?@=!<>&|"]);
const OPS: readonly ComparisonOp[] = ["==", "!=", "<=", ">=", "=~", "<", ">"];
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/;
const INTEGER = /^-?\d+/;

class PathParser {
  #i = 0;
  #nesting = 0;

  constructor(private readonly src: string) {}

  parseWhole(): Segment[] {
    if (this.src[0] !== "$") throw this.error("a path starts with $");
    this.#i = 1;
    const segments = this.segments();
    if (this.#i < this.src.length) throw this.error(`unexpected '${this.src[this.#i]}'`);
    return segments;
  }

  private error(what: string): PathSyntaxError {
    return new PathSyntaxError(`${what} at position ${this.#i}`);
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.#i + offset];
  }

  private skipSpaces(): void {
    while (this.peek() === " ") this.#i++;
  }

  private expect(text: string): void {
    if (!this.src.startsWith(text, this.#i)) throw this.error(`expected '${text}'`);
    this.#i += text.length;
  }

  private segments(): Segment[] {
    const segments: Segment[] = [];
    for (;;) {
      const at = this.#i;
      if (this.src.startsWith("..", at)) {
        this.#i += 2;
        segments.push({ descendant: true, selectors: this.afterDot(), at });
      } else if (this.peek() === ".") {
        this.#i++;
        segments.push({ descendant: false, selectors: this.afterDot(), at });
      } else if (this.peek() === "[") {
        segments.push({ descendant: false, selectors: this.bracket(), at });
      } else return segments;
    }
  }

  /** What follows `.` or `..`: a name, `*` or a bracket. */
  private afterDot(): Selector[] {
    const c = this.peek();
    if (c === "*") {
      this.#i++;
      return [{ kind: "wildcard" }];
    }
    if (c === "[") return this.bracket();
    const start = this.#i;
    while (this.#i < this.src.length && !NAME_STOP.has(this.src[this.#i]!) && !/\s/.test(this.src[this.#i]!)) this.#i++;
    if (this.#i === start) throw this.error("expected a member name, * or [ after '.'");
    return [{ kind: "name", name: this.src.slice(start, this.#i) }];
  }

  private bracket(): Selector[] {
    this.expect("[");
    this.skipSpaces();
    let selectors: Selector[];
    if (this.peek() === "*") {
      this.#i++;
      selectors = [{ kind: "wildcard" }];
    } else if (this.peek() === "?") {
      this.#i++;
      selectors = [{ kind: "filter", test: this.nested(() => this.filter()) }];
    } else {
      selectors = [this.item()];
      for (this.skipSpaces(); this.peek() === ","; this.skipSpaces()) {
        this.#i++;
        this.skipSpaces();
        selectors.push(this.item());
      }
    }
    this.skipSpaces();
    this.expect("]");
    return selectors;
  }

  private item(): Selector {
    const c = this.peek();
    if (c === "'" || c === '"') return { kind: "name", name: this.quoted() };
    const start = this.integer();
    this.skipSpaces();
    if (this.peek() !== ":") {
      if (start === undefined) throw this.error("expected a quoted name, an index, a slice, * or ?(filter) in brackets");
      return { kind: "index", index: start };
    }
    this.#i++;
    this.skipSpaces();
    const end = this.integer();
    this.skipSpaces();
    let step = 1;
    if (this.peek() === ":") {
      this.#i++;
      this.skipSpaces();
      const given = this.integer();
      if (given !== undefined && given < 1) throw this.error("a slice step must be a positive integer");
      step = given ?? 1;
    }
    return { kind: "slice", start, end, step };
  }

  private integer(): number | undefined {
    const m = INTEGER.exec(this.src.slice(this.#i, this.#i + 24));
    if (!m) return undefined;
    this.#i += m[0].length;
    return Number(m[0]);
  }

  /**
   * A quoted string. As in RedisJSON, `\\` and a backslash before the quote
   * stand for that character; any other backslash is kept, so a regex
   * pattern can say `\d`.
   */
  private quoted(): string {
    const quote = this.src[this.#i++]!;
    let out = "";
    for (;;) {
      const c = this.src[this.#i++];
      if (c === undefined) throw this.error("unterminated string");
      if (c === quote) return out;
      if (c === "\\" && (this.src[this.#i] === quote || this.src[this.#i] === "\\")) out += this.src[this.#i++];
      else out += c;
    }
  }

  /** Runs `parse` one nesting level deeper: the parser recurses on filters, so their depth is capped. */
  private nested<T>(parse: () => T): T {
    if (++this.#nesting > JSONPATH_MAX_FILTER_NESTING) throw this.error(`filters nest deeper than ${JSONPATH_MAX_FILTER_NESTING} levels`);
    const result = parse();
    this.#nesting--;
    return result;
  }

  private filter(): Filter {
    const items = [this.conjunction()];
    for (this.skipSpaces(); this.src.startsWith("||", this.#i); this.skipSpaces()) {
      this.#i += 2;
      items.push(this.conjunction());
    }
    return items.length === 1 ? items[0]! : { kind: "or", items };
  }

  private conjunction(): Filter {
    const items = [this.unary()];
    for (this.skipSpaces(); this.src.startsWith("&&", this.#i); this.skipSpaces()) {
      this.#i += 2;
      items.push(this.unary());
    }
    return items.length === 1 ? items[0]! : { kind: "and", items };
  }

  private unary(): Filter {
    this.skipSpaces();
    if (this.peek() === "!" && this.peek(1) !== "=") {
      this.#i++;
      return { kind: "not", item: this.nested(() => this.unary()) };
    }
    if (this.peek() === "(") {
      this.#i++;
      const inner = this.nested(() => this.filter());
      this.skipSpaces();
      this.expect(")");
      return inner;
    }
    const left = this.operand();
    if (this.peek() === "(") throw this.error("filters have no function or method calls");
    this.skipSpaces();
    const op = OPS.find((o) => this.src.startsWith(o, this.#i));
    if (op === undefined) return { kind: "exists", operand: left };
    this.#i += op.length;
    this.skipSpaces();
    const right = this.operand();
    if (op !== "=~" || right.kind !== "literal") return { kind: "compare", op, left, right };
    if (typeof right.value !== "string") throw this.error("=~ takes a string pattern");
    const regex = compileRegex(right.value);
    if (typeof regex === "string") throw this.error(`the regex ${JSON.stringify(right.value.slice(0, 40))} is refused: ${regex}`);
    return { kind: "compare", op, left, right, regex };
  }

  private operand(): Operand {
    const c = this.peek();
    if (c === "@" || c === "$") {
      this.#i++;
      return { kind: "path", from: c, segments: this.nested(() => this.segments()) };
    }
    if (c === "'" || c === '"') return { kind: "literal", value: this.quoted() };
    for (const [word, value] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.src.startsWith(word, this.#i) && !/[\w$]/.test(this.src[this.#i + word.length] ?? "")) {
        this.#i += word.length;
        return { kind: "literal", value };
      }
    }
    const m = NUMBER.exec(this.src.slice(this.#i, this.#i + 64));
    if (m) {
      this.#i += m[0].length;
      return { kind: "literal", value: Number(m[0]) };
    }
    throw this.error("expected @, $, a number, a string, true, false or null in the filter (filters have no functions or methods)");
  }
}
