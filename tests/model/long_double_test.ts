// Redis's INCRBYFLOAT arithmetic (80-bit long double, "%.17Lf" output): the
// expected strings are redis-server 7.0.15's replies on x86-64.
import { test } from "node:test";
import assert from "node:assert/strict";
import { addLongDouble, ceilOfProduct, formatLongDouble, type LongDouble, parseLongDouble } from "../../src/model/long_double.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const ZERO: LongDouble = { negative: false, significand: 0n, exponent: 0 };

/** What INCRBYFLOAT on a missing key replies for `input`. */
function fromZero(input: string | Uint8Array): string {
  const parsed = parseLongDouble(typeof input === "string" ? enc(input) : input);
  if (parsed === undefined) return "not a valid float";
  if ("infinity" in parsed) return "NaN or Infinity";
  const sum = addLongDouble(ZERO, parsed);
  return sum === undefined ? "NaN or Infinity" : formatLongDouble(sum);
}

test("increments print as Redis prints them", () => {
  const cases: [string, string][] = [
    ["10.5", "10.5"], ["3.0e3", "3000"], ["1e-5", "0.00001"], ["-0.1", "-0.1"], ["1e-300", "0"], ["-1e-20", "0"], ["-0", "0"],
    ["123456789012345678901234567890", "123456789012345678899921813504"], ["0.30000000000000004", "0.30000000000000004"],
    ["0x1p-18", "0.00000381469726562"], ["0x3p-18", "0.00001144409179688"], ["0x1.8p1", "3"], [".5", "0.5"], ["5.", "5"],
    ["+.5e1", "5"], ["00012", "12"], ["2.5e-4951", "0"],
  ];
  for (const [input, expected] of cases) assert.equal(fromZero(input), expected, input);
  assert.equal(fromZero("1e300").slice(0, 40), "1000000000000000000008997324079559193870");
  assert.equal(fromZero("1e4932").length, 4933);
});

test("bad floats, overflow and underflow to zero are refused; infinities parse but cannot be added", () => {
  for (const input of ["", " 1", "1 ", "abc", "nan", "1e", "0x", ".", "1e5000", "1e-5000", "1.8e-4951", "1".repeat(5120)]) {
    assert.equal(fromZero(input), "not a valid float", JSON.stringify(input));
  }
  for (const bytes of [new Uint8Array([0x31, 0, 0x78]), new Uint8Array([0])]) assert.equal(fromZero(bytes), "not a valid float");
  for (const input of ["inf", "-Infinity", "INF"]) assert.equal(fromZero(input), "NaN or Infinity");
  const max = parseLongDouble(enc("1e4932")) as LongDouble;
  assert.equal(addLongDouble(max, max), undefined);
});

test("sums round in extended precision", () => {
  const sum = (a: string, b: string) => formatLongDouble(addLongDouble(parseLongDouble(enc(a)) as LongDouble, parseLongDouble(enc(b)) as LongDouble)!);
  assert.equal(sum("1.1", "2.2"), "3.3");
  assert.equal(sum("3", "0.1"), "3.1");
  assert.equal(sum("3.1", "-3.1"), "0");
  assert.equal(sum("-0", "-0"), "0");
  assert.equal(sum("1e20", "1"), "100000000000000000000");
  assert.equal(sum("1e18", "1"), "1000000000000000001");
});

test("ceilOfProduct: a blocking command's timeout in ms, as Redis 7.0 computes ceill(seconds * 1000) in long double", () => {
  const ms = (text: string) => ceilOfProduct(parseLongDouble(enc(text))!, 1000n);
  assert.equal(ms("0.1"), 100n);
  assert.equal(ms("1.5"), 1500n);
  assert.equal(ms("0.0001"), 1n, "a fraction of a millisecond rounds up to 1 ms");
  assert.equal(ms("1e-400"), 1n, "even one too small for a double");
  assert.equal(ms("0x10"), 16000n);
  assert.equal(ms("-0.002"), -1n, "up: towards +inf (still negative, so refused)");
  // 0.001 is just below one thousandth in long double: -0.001 s is -0.99999... ms, which rounds up to 0 (Redis then waits forever).
  assert.equal(ms("-0.001"), 0n);
  assert.equal(ms("-0"), 0n);
  assert.equal(ms("inf"), undefined);
  assert.equal(ms("1e4931"), undefined, "the product overflows");
  assert.equal(ms("9.3e15"), 9300000000000000000n);
});
