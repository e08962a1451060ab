// JSONPath parser and evaluator (src/model/json_path*.ts) and the filter
// regex matcher (src/model/linear_regex.ts). The table's expected results
// follow RedisJSON's json_path crate: several rows are its own test cases
// (json_path/tests/filter.rs, paths.rs), the rest follow its code (index
// clamping, single-result filter operands, `!=` as "not equal").
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { isPathRefusal, type Json, parsePath, query, splitLastMember } from "../../src/model/json_path.ts";
import { compileRegex, regexMatches } from "../../src/model/linear_regex.ts";
import { WorkBudget, WorkBudgetExceeded } from "../../src/model/work_budget.ts";

const STORE: Json = {
  store: {
    book: [
      { category: "reference", author: "Nigel Rees", title: "Sayings of the Century", price: 8.95 },
      { category: "fiction", author: "Evelyn Waugh", title: "Sword of Honour", price: 12.99 },
      { category: "fiction", author: "Herman Melville", title: "Moby Dick", isbn: "0-553-21311-3", price: 8.99 },
    ],
    bicycle: { color: "red", price: 19.95 },
  },
  expensive: 10,
};

const ARRAY: Json = ["string", 42, { key: "value" }, [0, 1]];

// [document, path, expected values in order]
const TABLE: ReadonlyArray<readonly [Json, string, Json[]]> = [
  [STORE, "$", [STORE]],
  [STORE, "$.expensive", [10]],
  [STORE, "$['expensive']", [10]],
  [STORE, '$["expensive"]', [10]],
  [STORE, "$.store.book[0].author", ["Nigel Rees"]],
  [STORE, "$.store.book[-1].title", ["Moby Dick"]],
  [STORE, "$.store.book[-10].title", ["Sayings of the Century"]], // RedisJSON clamps a negative index at 0
  [STORE, "$.store.book[3]", []],
  [STORE, "$.store.book[0,2].price", [8.95, 8.99]],
  [STORE, "$.store.book[:2].price", [8.95, 12.99]],
  [STORE, "$.store.book[1:].price", [12.99, 8.99]],
  [STORE, "$.store.book[-2:].price", [12.99, 8.99]],
  [STORE, "$.store.book[::2].price", [8.95, 8.99]],
  [STORE, "$.store.book[0:100:1].price", [8.95, 12.99, 8.99]],
  [STORE, "$.store.book[*].author", ["Nigel Rees", "Evelyn Waugh", "Herman Melville"]],
  [STORE, "$.store.*.price", [19.95]],
  [STORE, "$..price", [8.95, 12.99, 8.99, 19.95]],
  [STORE, "$..book[2].isbn", ["0-553-21311-3"]],
  [STORE, "$..['color','price']", [8.95, 12.99, 8.99, "red", 19.95]],
  [STORE, "$.store.book[?(@.price < 10)].title", ["Sayings of the Century", "Moby Dick"]],
  [STORE, "$.store.book[?(@.price < $.expensive)].title", ["Sayings of the Century", "Moby Dick"]],
  [STORE, "$.store.book[?(@.isbn)].title", ["Moby Dick"]],
  [STORE, "$.store.book[?(!@.isbn)].title", ["Sayings of the Century", "Sword of Honour"]],
  [STORE, "$.store.book[?(@.category == 'fiction' && @.price > 10)].title", ["Sword of Honour"]],
  [STORE, '$.store.book[?(@.category == "reference" || @.price > 12)].price', [8.95, 12.99]],
  [STORE, "$.store.book[?(@.author =~ 'M.*ville$')].title", ["Moby Dick"]],
  [STORE, "$.store.book[?(@.author =~ '(?i)^evelyn')].title", ["Sword of Honour"]],
  [STORE, "$.store.book[?@.price>=12.99].title", ["Sword of Honour"]],
  [STORE, "$.store.book[?(@.nothing > 1)]", []], // a missing member compares false
  [STORE, "$.store.book[?(@.nothing == null)]", []],
  [STORE, "$.store.book[?(@.nothing != 1)].price", [8.95, 12.99, 8.99]], // RedisJSON: != is "not ==", true for a missing member
  [STORE, "$.store.book[?(@.price > 'a')]", []], // a number and a string do not compare
  [STORE, "$.store[?(@.color == 'red')].price", [19.95]], // a filter on an object tests its member values
  [STORE, "$.nothing", []],
  [STORE, "$.store.book.author", []],
  [ARRAY, "$.*", ARRAY as Json[]],
  [ARRAY, "$[*]", ARRAY as Json[]],
  [ARRAY, "$..*", ["string", 42, { key: "value" }, [0, 1], "value", 0, 1]], // filter.rs filter_all
  [ARRAY, "$..[*]", ["string", 42, { key: "value" }, [0, 1], "value", 0, 1]],
  [ARRAY, "$.*.*", ["value", 0, 1]], // filter.rs filter_array_next_all
  [ARRAY, "$[*][*]", ["value", 0, 1]],
  [{ a: { b: { c: 1 } } }, "$[?(@.b.c == 1)]", [{ b: { c: 1 } }]], // filter.rs filter_parent_with_matched_child
  [{ a: { b: { c: 1 } } }, "$.a[?(@.b.c == 1)]", []],
  [{ "single'quote": "value" }, "$['single\\'quote']", ["value"]], // filter.rs quote
  [{ 'double"quote': "value" }, '$["double\\"quote"]', ["value"]],
  [[1, 2, 3], "$..[?@>=1]", [1, 2, 3]], // filter.rs recursive_descent_filter_no_duplicate_scalars
  [{ a: [1, 2, 3] }, "$..[?@>=1]", [1, 2, 3]],
  [{ a: [1, [2], { x: 3 }] }, "$.a[?(@ == 1)]", [1]],
  [{ a: [{ v: [1, 2] }, { v: [1] }], w: [1, 2] }, "$.a[?(@.v == $.w)].v", [[1, 2]]], // values from the document compare whole
  [{ a: [true, false, null, "x"] }, "$.a[?(@ == true)]", [true]],
  [{ a: [true, false, null, "x"] }, "$.a[?(@ == null)]", [null]],
  [{ a: [true, false] }, "$.a[?(@ > false)]", [true]],
  [{ a: [{ s: "abc", p: "^a" }, { s: "xbc", p: "^a" }] }, "$.a[?(@.s =~ @.p)].s", ["abc"]],
  [{ a: [{ s: "abc", p: "(" }] }, "$.a[?(@.s =~ @.p)]", []], // an invalid pattern from the document does not match
  [{ a: [{ k: [1, 2] }, { k: 3 }] }, "$.a[?(@.k[*])]", []], // two results (or none): not a single value
  [{ a: [{ k: [1] }, { k: 3 }] }, "$.a[?(@.k[*])]", [{ k: [1] }]],
  [{ "a.b": 1, a: { b: 2 } }, "$['a.b']", [1]],
  [{ "$x": 1, "a-b": 2 }, "$.$x", [1]],
  [{ "$x": 1, "a-b": 2 }, "$.a-b", [2]],
  [{ a: { a: { a: 1 } } }, "$..a", [{ a: { a: 1 } }, { a: 1 }, 1]],
  [{ a: 1 }, "$.a[0]", []],
  [{ a: 1 }, "$.a.*", []],
];

describe("JSONPath evaluation matches RedisJSON's semantics", () => {
  for (const [doc, path, expected] of TABLE) {
    test(`${path} on ${JSON.stringify(doc).slice(0, 40)}`, () => {
      const parsed = parsePath(path);
      assert.ok(!isPathRefusal(parsed), isPathRefusal(parsed) ? parsed.refused : "");
      assert.deepEqual(query(doc, parsed).map((m) => m.value), expected);
    });
  }
});

describe("legacy paths select through the same evaluator", () => {
  const doc: Json = { a: { b: [10, 20] }, "x y": 1 };
  const cases: ReadonlyArray<readonly [string, string, Json[]]> = [
    [".", "$", [doc]],
    ["", "$", [doc]],
    ["a", "$.a", [{ b: [10, 20] }]],
    [".a.b", "$.a.b", [[10, 20]]],
    ["a.b[1]", "$.a.b[1]", [20]],
    ["a.b[-1]", "$.a.b[-1]", [20]],
    ['["x y"]', '$["x y"]', [1]],
  ];
  for (const [raw, expression, expected] of cases) {
    test(`${JSON.stringify(raw)} is ${expression}`, () => {
      const parsed = parsePath(raw);
      assert.ok(!isPathRefusal(parsed));
      assert.equal(parsed.legacy, true);
      assert.equal(parsed.expression, expression);
      assert.deepEqual(query(doc, parsed).map((m) => m.value), expected);
    });
  }
});

describe("the parser refuses what is not in the grammar, naming why", () => {
  const refused: ReadonlyArray<readonly [string, RegExp]> = [
    ["$.a[", /expected a quoted name/],
    ["$.a.", /expected a member name/],
    ["$..", /expected a member name/],
    ["$ .a", /unexpected ' '/],
    ["$a", /unexpected 'a'/],
    ["$.a]", /unexpected '\]'/],
    ["$['a", /unterminated string/],
    ["$.a[1:2:0]", /step must be a positive integer/],
    ["$.a[?(@.n.split('').length > 1)]", /no function or method calls/],
    ["$.a[?(@.n.padStart(1000000000))]", /no function or method calls/],
    ["$.a[?(length(@) > 1)]", /expected @, \$, a number/],
    ["$.a[?(@.n = 1)]", /expected '\)'/],
    ["$.a[?(@.n =~ 5)]", /=~ takes a string pattern/],
    ["$.a[?(@.n =~ '(a)\\1')]", /regex .* is refused: the escape \\1 is not supported/],
    ["$.a[?(@.n =~ '\\bword')]", /the escape \\b is not supported/],
    ["$.a[?(@.n =~ '(?=a)')]", /lookaround/],
    [`$.a[?(@.n =~ '${"a".repeat(300)}')]`, /longer than 256 characters/],
    [`$.a[?(@.n =~ 'a{1000}{1000}')]`, /quantifier cannot follow another quantifier/],
    [`$.a[?(@.n =~ '(a{1000}){1000}')]`, /more than 4096 instructions/],
    [`$.a[?${"(".repeat(40)}@.n${")".repeat(40)}]`, /filters nest deeper than 32 levels/],
    [`$.a[?${"!".repeat(40)}@.n]`, /filters nest deeper than 32 levels/],
    [`$${".a".repeat(3000)}`, /longer than 4096 characters/],
  ];
  for (const [path, reason] of refused) {
    test(`${path.slice(0, 60)} is refused`, () => {
      const parsed = parsePath(path);
      assert.ok(isPathRefusal(parsed), `accepted ${path}`);
      assert.match(parsed.refused, reason);
    });
  }
});

test("splitLastMember gives the parent path and the member name of a path ending in one member", () => {
  const of = (raw: string) => {
    const parsed = parsePath(raw);
    assert.ok(!isPathRefusal(parsed));
    const split = splitLastMember(parsed);
    return split && { parent: split.parent.expression, member: split.member, segments: split.parent.segments.length };
  };
  assert.deepEqual(of("$.a.b"), { parent: "$.a", member: "b", segments: 1 });
  assert.deepEqual(of("$['x.y']"), { parent: "$", member: "x.y", segments: 0 });
  assert.deepEqual(of(".a.c"), { parent: "$.a", member: "c", segments: 1 });
  assert.equal(of("$..a"), undefined);
  assert.equal(of("$.a[0]"), undefined);
  assert.equal(of("$.a['b','c']"), undefined);
});

test("a query past its work budget throws WorkBudgetExceeded instead of running on", () => {
  const wide: Json = Array.from({ length: 200 }, () => Array.from({ length: 50 }, (_, i) => i));
  const parsed = parsePath("$..*..*..*..*");
  assert.ok(!isPathRefusal(parsed));
  assert.throws(() => query(wide, parsed, new WorkBudget(100_000)), WorkBudgetExceeded);
});

test("descent over a document deeper than the call stack allows does not overflow it", () => {
  let deep: Json = 1;
  for (let i = 0; i < 20_000; i++) deep = { a: deep };
  const parsed = parsePath("$..a");
  assert.ok(!isPathRefusal(parsed));
  assert.equal(query(deep, parsed).length, 20_000);
});

describe("the filter regex matcher", () => {
  // [pattern, subject, matches] as Rust's regex crate answers is_match.
  const cases: ReadonlyArray<readonly [string, string, boolean]> = [
    ["", "", true],
    ["abc", "xxabcxx", true],
    ["^abc$", "abc", true],
    ["^abc$", "abcd", false],
    ["a.c", "a\nc", false],
    ["a.c", "abc", true],
    ["colou?r", "color", true],
    ["^(ab|cd)+$", "abcdab", true],
    ["^(ab|cd)+$", "abce", false],
    ["^a{2,3}$", "aaa", true],
    ["^a{2,3}$", "aaaa", false],
    ["^a{2,}$", "aaaaa", true],
    ["^a{2}$", "aa", true],
    ["^[a-c]+$", "abcab", true],
    ["^[^a-c]+$", "xyz", true],
    ["^[^a-c]+$", "xaz", false],
    ["^\\d+\\.\\d*$", "3.14", true],
    ["^\\w+\\s\\W$", "ab_1 !", true],
    ["\\D", "123", false],
    ["^(?:x|y)z$", "yz", true],
    ["^(?P<n>a)b$", "ab", true],
    ["(?i)^hello$", "HeLLo", true],
    ["^hello$", "HeLLo", false],
    ["^.$", "é", true],
    ["^.$", "😀", true],
    ["^[😀-😂]$", "😁", true],
    ["^a*?b$", "aaab", true],
    ["\\[x\\]", "[x]", true],
    ["^[\\]a]+$", "]a]", true],
  ];
  for (const [pattern, subject, expected] of cases) {
    test(`${JSON.stringify(pattern)} on ${JSON.stringify(subject)} is ${expected}`, () => {
      const re = compileRegex(pattern);
      assert.ok(typeof re !== "string", String(re));
      assert.equal(regexMatches(re, subject, new WorkBudget(1_000_000)), expected);
    });
  }

  test("catastrophic-backtracking patterns run in linear time", () => {
    const subject = "a".repeat(100_000) + "!";
    for (const pattern of ["(a+)+$", "^(a|a)*$", "(a*)*b", "^(a|aa)+$", "(.*a){20}$"]) {
      const re = compileRegex(pattern);
      assert.ok(typeof re !== "string", `${pattern}: ${String(re)}`);
      const started = performance.now();
      assert.equal(regexMatches(re, subject, new WorkBudget(1e9)), false, pattern);
      assert.ok(performance.now() - started < 5_000, `${pattern} took ${performance.now() - started} ms`);
    }
  });

  test("a match pays each step from the budget", () => {
    const re = compileRegex("(a|b)*c");
    assert.ok(typeof re !== "string");
    assert.throws(() => regexMatches(re, "ab".repeat(10_000), new WorkBudget(1_000)), WorkBudgetExceeded);
  });
});

test("in a quoted string a backslash escapes only the quote and itself; other backslashes reach the regex", () => {
  const parsed = parsePath("$.a[?(@ =~ '^\\d+\\'s$')]");
  assert.ok(!isPathRefusal(parsed), isPathRefusal(parsed) ? parsed.refused : "");
  assert.deepEqual(query({ a: ["12's", "x's", "12s"] }, parsed).map((m) => m.value), ["12's"]);
});

test("any path text either parses or is refused, and evaluation never throws anything but the budget error", () => {
  const pieces = ["$", "@", ".", "..", "[", "]", "(", ")", "?", "*", ",", ":", "-1", "0", "2", "'a'", '"b"', "a", "b", "==", "!=", "<", ">=", "=~", "&&", "||", "!", " ", "true", "null", "'^a'", "\\", "'", "length", "1.5e3"];
  const doc: Json = { a: [{ a: 1, b: "ab" }, [1, [2]], "a", null], b: { a: { b: true } } };
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((p) => "$" + p.join(""))), (raw) => {
      const parsed = parsePath(raw);
      if (isPathRefusal(parsed)) return;
      try {
        query(doc, parsed, new WorkBudget(100_000));
      } catch (error) {
        if (!(error instanceof WorkBudgetExceeded)) throw error;
      }
    }),
    { numRuns: 20_000 },
  );
});
