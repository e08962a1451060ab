// C's `%.17g`, as Redis formats a Lua number it sends as a command argument
// (redis.call('set', k, 3.14) stores "3.1400000000000001") and a `double`
// reply: 17 significant digits, trailing zeros dropped, an exponent of at
// least two digits when the exponent is below -4 or at least 17.

/** `%.17g` of `value` ("inf", "-inf", "nan" and "-nan" as glibc prints them). */
export function formatG17(value: number): string {
  if (Number.isNaN(value)) return "-nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  if (Number.isInteger(value) && Math.abs(value) < 1e17) return String(value);
  const exponential = value.toExponential(16); // d.dddddddddddddddde±x: 17 significant digits
  const mark = exponential.indexOf("e");
  const exponent = Number(exponential.slice(mark + 1));
  if (exponent < -4 || exponent >= 17) {
    const mantissa = trimZeros(exponential.slice(0, mark));
    const sign = exponent < 0 ? "-" : "+";
    const digits = String(Math.abs(exponent)).padStart(2, "0");
    return `${mantissa}e${sign}${digits}`;
  }
  return trimZeros(value.toFixed(Math.max(0, 16 - exponent)));
}

function trimZeros(text: string): string {
  if (!text.includes(".")) return text;
  return text.replace(/0+$/, "").replace(/\.$/, "");
}
