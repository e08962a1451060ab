// The test() and describe() calls of a test file, each with its title and its
// source text up to the closing parenthesis, for the coverage meta-test
// (table_test.ts): a command counts as tested by a Materia test when the test's
// title names it and the test's own code sends it.

export interface TestCall {
  readonly title: string;
  /** The call's source, from `test(` to its closing parenthesis. */
  readonly text: string;
}

const REGEX_CAN_FOLLOW = new Set([..."(,=:[!&|?{};+-*%<>~^"]);

/** The index just past the end of the string, template or regex literal that starts at `start`. */
function skipLiteral(source: string, start: number): number {
  const quote = source[start]!;
  let i = start + 1;
  let inClass = false;
  while (i < source.length) {
    const c = source[i]!;
    if (c === "\\") {
      i += 2;
      continue;
    }
    if (quote === "`" && c === "$" && source[i + 1] === "{") {
      i = skipBalanced(source, i + 1);
      continue;
    }
    if (quote === "/") {
      if (c === "[") inClass = true;
      else if (c === "]") inClass = false;
      else if (c === "/" && !inClass) return i + 1;
      else if (c === "\n") throw new Error(`unterminated regex literal at ${start}`);
      i++;
      continue;
    }
    if (c === quote) return i + 1;
    i++;
  }
  throw new Error(`unterminated literal at ${start}`);
}

/** From an opening bracket at `open`, the index just past its matching closing bracket. */
export function skipBalanced(source: string, open: number): number {
  let depth = 0;
  let i = open;
  let previous = "(";
  while (i < source.length) {
    const c = source[i]!;
    if (c === "/" && source[i + 1] === "/") {
      i = source.indexOf("\n", i);
      if (i < 0) break;
      continue;
    }
    if (c === "/" && source[i + 1] === "*") {
      i = source.indexOf("*/", i) + 2;
      continue;
    }
    if (c === '"' || c === "'" || c === "`" || (c === "/" && REGEX_CAN_FOLLOW.has(previous))) {
      i = skipLiteral(source, i);
      previous = "a";
      continue;
    }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return i + 1;
    }
    if (!/\s/.test(c)) previous = c;
    i++;
  }
  throw new Error(`no closing bracket for the one at ${open}`);
}

/** Every `test("...", ...)`, `it(...)` and `describe(...)` call whose title is a literal. */
export function testCalls(source: string): TestCall[] {
  const calls: TestCall[] = [];
  const start = /\b(?:test|it|describe)\(\s*(["'`])/g;
  for (let match = start.exec(source); match; match = start.exec(source)) {
    const open = match.index + match[0].indexOf("(");
    const titleStart = match.index + match[0].length - 1;
    const titleEnd = skipLiteral(source, titleStart);
    const end = skipBalanced(source, open);
    calls.push({ title: source.slice(titleStart + 1, titleEnd - 1), text: source.slice(open, end) });
  }
  return calls;
}

/** Whether `title` names the command by its exact name, as a whole word ("HSETNX" does not name HSET). */
export function namesCommand(title: string, words: readonly string[]): boolean {
  const name = words.join(" ").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^A-Za-z0-9._|-])${name}($|[^A-Za-z0-9_|-])`).test(title);
}

/** Whether source code sends the command: as argv ("CLIENT", "SETNAME") or as a command line ("CLIENT SETNAME x"). */
export function sendsCommand(code: string, words: readonly string[]): boolean {
  const upper = code.toUpperCase();
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const asArgv = new RegExp(`["'\`]${escaped.join(`["'\`],\\s*["'\`]`)}["'\`]`);
  const asLine = new RegExp(`["'\`]${escaped.join(" ")}[ "'\`]`);
  return asArgv.test(upper) || asLine.test(upper);
}
