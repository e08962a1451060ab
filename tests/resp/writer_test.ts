import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  BooleanReply,
  DoubleReply,
  ErrorReply,
  MapReply,
  PairsReply,
  NullArray,
  OK,
  PONG,
  type Reply,
  SetReply,
  SimpleString,
  VerbatimReply,
} from "../../src/resp/reply.ts";
import { encodeReply, formatDouble, OK_BYTES, ReplyWriter } from "../../src/resp/writer.ts";

const decoder = new TextDecoder();

/** The encoding as a string; UTF-8 so that unicode bodies read naturally. */
function resp(reply: Reply, protocol: 2 | 3): string {
  return decoder.decode(encodeReply(reply, protocol));
}

/** Asserts the RESP2 and RESP3 encodings of one reply. */
function assertEncodes(reply: Reply, resp2: string, resp3: string = resp2): void {
  assert.equal(resp(reply, 2), resp2, "RESP2");
  assert.equal(resp(reply, 3), resp3, "RESP3");
}

describe("encodeReply bulk strings", () => {
  test("a string is a bulk string in both protocols", () => {
    assertEncodes("hello", "$5\r\nhello\r\n");
  });

  test("an empty string is an empty bulk string", () => {
    assertEncodes("", "$0\r\n\r\n");
  });

  test("a unicode string's length counts UTF-8 bytes", () => {
    assertEncodes("héllo", "$6\r\nhéllo\r\n");
    assertEncodes("日本", "$6\r\n日本\r\n");
    assertEncodes("😀", "$4\r\n😀\r\n");
  });

  test("unicode strings of every header width are encoded exactly", () => {
    for (const count of [1, 4, 40, 400, 4000, 40_000]) {
      const value = "é".repeat(count);
      assertEncodes(value, `$${count * 2}\r\n${value}\r\n`);
    }
  });

  test("a long ASCII string is encoded exactly", () => {
    const value = "abc".repeat(1000);
    assertEncodes(value, `$3000\r\n${value}\r\n`);
  });

  test("a lone surrogate is written as U+FFFD, as TextEncoder does", () => {
    assert.deepEqual(encodeReply("\ud800", 2), Uint8Array.of(36, 51, 13, 10, 0xef, 0xbf, 0xbd, 13, 10));
  });

  test("bytes are a bulk string, copied exactly, CR and LF included", () => {
    const value = Uint8Array.of(0, 255, 13, 10, 0x80, 36);
    const expected = Uint8Array.of(36, 54, 13, 10, 0, 255, 13, 10, 0x80, 36, 13, 10);
    assert.deepEqual(encodeReply(value, 2), expected);
    assert.deepEqual(encodeReply(value, 3), expected);
  });

  test("a large byte array is encoded exactly", () => {
    const value = new Uint8Array(100_000).map((_, i) => i & 255);
    const encoded = encodeReply(value, 2);
    assert.equal(decoder.decode(encoded.subarray(0, 9)), "$100000\r\n");
    assert.deepEqual(encoded.subarray(9, 100_009), value);
    assert.equal(decoder.decode(encoded.subarray(100_009)), "\r\n");
  });
});

describe("encodeReply integers", () => {
  test("numbers are integers in both protocols", () => {
    assertEncodes(0, ":0\r\n");
    assertEncodes(7, ":7\r\n");
    assertEncodes(42, ":42\r\n");
    assertEncodes(-1, ":-1\r\n");
    assertEncodes(-1234, ":-1234\r\n");
    assertEncodes(1023, ":1023\r\n");
    assertEncodes(1024, ":1024\r\n");
    assertEncodes(Number.MAX_SAFE_INTEGER, ":9007199254740991\r\n");
    assertEncodes(Number.MIN_SAFE_INTEGER, ":-9007199254740991\r\n");
  });

  test("negative zero is written as 0", () => {
    assertEncodes(-0, ":0\r\n");
  });

  test("a number that is not a safe integer is refused", () => {
    for (const bad of [1.5, NaN, Infinity, 2 ** 53]) {
      assert.throws(() => encodeReply(bad, 2), RangeError, String(bad));
    }
  });

  test("bigints within 64 bits are integers", () => {
    assertEncodes(2n ** 63n - 1n, ":9223372036854775807\r\n");
    assertEncodes(-(2n ** 63n), ":-9223372036854775808\r\n");
    assertEncodes(0n, ":0\r\n");
  });

  test("bigints beyond 64 bits are a RESP3 big number and a RESP2 bulk string", () => {
    assertEncodes(2n ** 64n, "$20\r\n18446744073709551616\r\n", "(18446744073709551616\r\n");
    assertEncodes(-(2n ** 63n) - 1n, "$20\r\n-9223372036854775809\r\n", "(-9223372036854775809\r\n");
  });
});

describe("encodeReply nulls", () => {
  test("null is a null bulk string in RESP2 and _ in RESP3", () => {
    assertEncodes(null, "$-1\r\n", "_\r\n");
  });

  test("NullArray is a null array in RESP2 and _ in RESP3", () => {
    assertEncodes(NullArray.instance, "*-1\r\n", "_\r\n");
  });
});

describe("encodeReply simple strings and errors", () => {
  test("simple strings are + lines", () => {
    assertEncodes(OK, "+OK\r\n");
    assertEncodes(PONG, "+PONG\r\n");
    assertEncodes(new SimpleString("unicodé"), "+unicodé\r\n");
  });

  test("CR and LF in a simple string become spaces", () => {
    assertEncodes(new SimpleString("a\r\nb\nc"), "+a  b c\r\n");
  });

  test("errors are - lines with their code", () => {
    assertEncodes(new ErrorReply("ERR syntax error"), "-ERR syntax error\r\n");
    assertEncodes(
      new ErrorReply("WRONGTYPE Operation against a key holding the wrong kind of value"),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
  });

  test("CR and LF in an error message become spaces", () => {
    assertEncodes(new ErrorReply("ERR bad\r\nthing\rhere\n"), "-ERR bad  thing here \r\n");
  });

  test("a long error message with unicode is encoded exactly", () => {
    const message = "ERR " + "ü".repeat(300);
    assertEncodes(new ErrorReply(message), `-${message}\r\n`);
  });
});

describe("encodeReply aggregates", () => {
  test("an empty array is *0", () => {
    assertEncodes([], "*0\r\n");
  });

  test("arrays nest, each element in its protocol's form", () => {
    const reply: Reply = [1, ["a", null, []], NullArray.instance, new BooleanReply(true)];
    assertEncodes(
      reply,
      "*4\r\n:1\r\n*3\r\n$1\r\na\r\n$-1\r\n*0\r\n*-1\r\n:1\r\n",
      "*4\r\n:1\r\n*3\r\n$1\r\na\r\n_\r\n*0\r\n_\r\n#t\r\n",
    );
  });

  test("a map is % in RESP3 and a flat array of twice its size in RESP2", () => {
    const reply = new MapReply([["server", "materia"], ["proto", 3], ["modules", []]]);
    assertEncodes(
      reply,
      "*6\r\n$6\r\nserver\r\n$7\r\nmateria\r\n$5\r\nproto\r\n:3\r\n$7\r\nmodules\r\n*0\r\n",
      "%3\r\n$6\r\nserver\r\n$7\r\nmateria\r\n$5\r\nproto\r\n:3\r\n$7\r\nmodules\r\n*0\r\n",
    );
  });

  test("pairs are an array of two-element arrays in RESP3 and one flat array in RESP2", () => {
    assertEncodes(
      new PairsReply([["f1", "v1"], ["f2", 2]]),
      "*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n:2\r\n",
      "*2\r\n*2\r\n$2\r\nf1\r\n$2\r\nv1\r\n*2\r\n$2\r\nf2\r\n:2\r\n",
    );
    assertEncodes(new PairsReply([]), "*0\r\n", "*0\r\n");
  });

  test("an empty map is %0 in RESP3 and *0 in RESP2", () => {
    assertEncodes(new MapReply([]), "*0\r\n", "%0\r\n");
  });

  test("maps nest inside maps and arrays", () => {
    const reply: Reply = [new MapReply([["a", new MapReply([["b", new DoubleReply(1.5)]])]])];
    assertEncodes(
      reply,
      "*1\r\n*2\r\n$1\r\na\r\n*2\r\n$1\r\nb\r\n$3\r\n1.5\r\n",
      "*1\r\n%1\r\n$1\r\na\r\n%1\r\n$1\r\nb\r\n,1.5\r\n",
    );
  });

  test("a set is ~ in RESP3 and an array in RESP2", () => {
    assertEncodes(new SetReply(["x", "y"]), "*2\r\n$1\r\nx\r\n$1\r\ny\r\n", "~2\r\n$1\r\nx\r\n$1\r\ny\r\n");
  });
});

describe("encodeReply doubles", () => {
  const cases: [number, string][] = [
    [1.5, "1.5"],
    [3, "3"],
    [-3, "-3"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
    [NaN, "nan"],
    [1e21, "1e+21"],
    [0.1, "0.1"],
    [-0.1, "-0.1"],
    [0, "0"],
    [-0, "-0"],
  ];

  for (const [value, text] of cases) {
    test(`${value} is the bulk string ${text} in RESP2 and ,${text} in RESP3`, () => {
      assertEncodes(new DoubleReply(value), `$${text.length}\r\n${text}\r\n`, `,${text}\r\n`);
    });
  }
});

describe("formatDouble", () => {
  test("integers up to LLONG_MAX/2 (as a double, 2^62) are written in full, without .0", () => {
    assert.equal(formatDouble(1e17), "100000000000000000");
    assert.equal(formatDouble(2 ** 61), "2305843009213693952");
    assert.equal(formatDouble(2 ** 62), "4611686018427387904");
    assert.equal(formatDouble(-(2 ** 61)), "-2305843009213693952");
  });

  test("larger integers use the shortest digits, plain up to 7 zeros past them", () => {
    assert.equal(formatDouble(2 ** 63), "9223372036854776000");
    assert.equal(formatDouble(1e19), "1e+19");
    assert.equal(formatDouble(1.234567890123e19), "12345678901230000000");
    assert.equal(formatDouble(1.23456789012e19), "1.23456789012e+19");
    assert.equal(formatDouble(1234567890123456789012), "1234567890123456800000");
  });

  test("fractions use the shortest round-trip digits", () => {
    assert.equal(formatDouble(0.1 + 0.2), "0.30000000000000004");
    assert.equal(formatDouble(3.0000000000000004), "3.0000000000000004");
    assert.equal(formatDouble(123.45678901), "123.45678901");
    assert.equal(formatDouble(0.000001), "0.000001");
  });

  test("small and very large magnitudes use an exponent without padding", () => {
    assert.equal(formatDouble(1e-7), "1e-7");
    assert.equal(formatDouble(1.5e-7), "1.5e-7");
    assert.equal(formatDouble(-2.5e-300), "-2.5e-300");
    assert.equal(formatDouble(1e100), "1e+100");
    assert.equal(formatDouble(5e-324), "5e-324");
  });

  test("seven or more fraction digits above 10^4 switch to an exponent, as fpconv_dtoa does", () => {
    assert.equal(formatDouble(12345.678901), "12345.678901");
    assert.equal(formatDouble(12345.6789012), "1.23456789012e+4");
  });

  test("every formatted double parses back to the same value", () => {
    let x = 0x9e3779b9;
    for (let i = 0; i < 5000; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      const value = (x / 2 ** 32 - 0.5) * 10 ** ((x % 600) - 300);
      assert.equal(Number(formatDouble(value)), value, String(value));
    }
  });
});

describe("encodeReply other RESP3 types", () => {
  test("a boolean is #t/#f in RESP3 and :1/:0 in RESP2", () => {
    assertEncodes(new BooleanReply(true), ":1\r\n", "#t\r\n");
    assertEncodes(new BooleanReply(false), ":0\r\n", "#f\r\n");
  });

  test("a verbatim string is = with its format in RESP3 and a bulk string of the text in RESP2", () => {
    assertEncodes(new VerbatimReply("# Server\r\nok"), "$12\r\n# Server\r\nok\r\n", "=16\r\ntxt:# Server\r\nok\r\n");
    assertEncodes(new VerbatimReply("héllo", "mkd"), "$6\r\nhéllo\r\n", "=10\r\nmkd:héllo\r\n");
  });
});

describe("encodeReply shared encodings", () => {
  test("OK, null and small integers come from precomputed bytes", () => {
    assert.equal(encodeReply(OK, 2), OK_BYTES);
    assert.equal(encodeReply(OK, 3), OK_BYTES);
    assert.equal(encodeReply(null, 2), encodeReply(null, 2));
    assert.equal(encodeReply(5, 2), encodeReply(5, 3));
  });

  test("each non-constant encoding is a fresh array", () => {
    const first = encodeReply("abc", 2);
    const second = encodeReply("xyz", 2);
    assert.equal(decoder.decode(first), "$3\r\nabc\r\n");
    assert.equal(decoder.decode(second), "$3\r\nxyz\r\n");
    assert.notEqual(first.buffer, second.buffer);
  });
});

describe("ReplyWriter", () => {
  test("replies written in sequence come out concatenated, in order", () => {
    const writer = new ReplyWriter();
    writer.write(OK, 2);
    writer.write("v", 2);
    writer.write(null, 3);
    writer.write(new MapReply([["k", 1]]), 3);
    assert.equal(decoder.decode(writer.take()), "+OK\r\n$1\r\nv\r\n_\r\n%1\r\n$1\r\nk\r\n:1\r\n");
  });

  test("size counts bytes written since the last take", () => {
    const writer = new ReplyWriter();
    assert.equal(writer.size, 0);
    writer.write(OK, 2);
    assert.equal(writer.size, 5);
    writer.write(12, 2);
    assert.equal(writer.size, 10);
    writer.take();
    assert.equal(writer.size, 0);
  });

  test("take resets the writer and later writes leave earlier results intact", () => {
    const writer = new ReplyWriter(64);
    writer.write("first", 2);
    const first = writer.take();
    writer.write("second", 2);
    const second = writer.take();
    assert.equal(decoder.decode(first), "$5\r\nfirst\r\n");
    assert.equal(decoder.decode(second), "$6\r\nsecond\r\n");
    assert.equal(writer.take().length, 0);
  });

  test("the buffer grows for large and many replies", () => {
    const writer = new ReplyWriter(64);
    const big = "z".repeat(200_000);
    writer.write(big, 2);
    for (let i = 0; i < 10_000; i++) writer.write(i, 2);
    const out = decoder.decode(writer.take());
    let expected = `$200000\r\n${big}\r\n`;
    for (let i = 0; i < 10_000; i++) expected += `:${i}\r\n`;
    assert.equal(out, expected);
  });

  test("writeEncoded appends bytes that are already RESP", () => {
    const writer = new ReplyWriter();
    writer.write(1, 2);
    writer.writeEncoded(new TextEncoder().encode(">2\r\n$4\r\nping\r\n$0\r\n\r\n"));
    assert.equal(decoder.decode(writer.take()), ":1\r\n>2\r\n$4\r\nping\r\n$0\r\n\r\n");
  });

  test("a non-integer number fails the write without corrupting later output", () => {
    const writer = new ReplyWriter();
    assert.throws(() => writer.write(0.5, 2), RangeError);
    writer.write(OK, 2);
    assert.equal(decoder.decode(writer.take()), "+OK\r\n");
  });
});
