import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  type ParserLimits,
  type ParserOptions,
  PROTOCOL_ERRORS,
  ProtocolError,
  RequestParser,
} from "../../src/resp/parser.ts";

/** One byte per char code, so tests can write binary input as strings. */
function bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 255) throw new Error("bytes() takes byte strings only");
    out[i] = code;
  }
  return out;
}

function text(data: Uint8Array): string {
  let out = "";
  for (let i = 0; i < data.length; i += 8192) {
    out += String.fromCharCode(...data.subarray(i, i + 8192));
  }
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function multibulk(...args: string[]): string {
  return `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join("");
}

interface Outcome {
  requests: string[][];
  error?: string;
}

/** Feeds the chunks in order, draining after each, as a connection would. */
function run(
  chunks: readonly Uint8Array[],
  limits: Partial<ParserLimits> = {},
  options: ParserOptions = {},
): Outcome {
  const parser = new RequestParser(limits, options);
  const requests: string[][] = [];
  try {
    for (const chunk of chunks) {
      parser.feed(chunk);
      for (let argv = parser.next(); argv !== undefined; argv = parser.next()) {
        requests.push(argv.map(text));
      }
    }
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return { requests, error: error.message };
  }
  return { requests };
}

/**
 * Every way to cut the input that a socket could produce, within reason:
 * whole, byte by byte, at every single split point, and for short inputs at
 * every pair of split points.
 */
function* chunkings(input: Uint8Array): Generator<[string, Uint8Array[]]> {
  yield ["whole", [input]];
  yield ["byte by byte", Array.from(input, (b) => Uint8Array.of(b))];
  for (let i = 1; i < input.length; i++) {
    yield [`split at ${i}`, [input.subarray(0, i), input.subarray(i)]];
  }
  if (input.length <= 64) {
    for (let i = 1; i < input.length; i++) {
      for (let j = i + 1; j < input.length; j++) {
        yield [`split at ${i} and ${j}`, [
          input.subarray(0, i),
          input.subarray(i, j),
          input.subarray(j),
        ]];
      }
    }
  }
}

function assertParses(
  input: string | Uint8Array,
  expected: string[][],
  limits: Partial<ParserLimits> = {},
): void {
  const data = typeof input === "string" ? bytes(input) : input;
  for (const sharedArgumentBuffer of [false, true]) {
    for (const [how, chunks] of chunkings(data)) {
      assert.deepEqual(run(chunks, limits, { sharedArgumentBuffer }), { requests: expected }, how);
    }
  }
}

function assertRejects(
  input: string | Uint8Array,
  message: string,
  limits: Partial<ParserLimits> = {},
  before: string[][] = [],
): void {
  const data = typeof input === "string" ? bytes(input) : input;
  for (const sharedArgumentBuffer of [false, true]) {
    for (const [how, chunks] of chunkings(data)) {
      assert.deepEqual(run(chunks, limits, { sharedArgumentBuffer }), { requests: before, error: message }, how);
    }
  }
}

describe("RequestParser multibulk requests", () => {
  test("a one-argument request parses in every chunking", () => {
    assertParses("*1\r\n$4\r\nPING\r\n", [["PING"]]);
  });

  test("a three-argument request parses in every chunking", () => {
    assertParses(multibulk("SET", "key", "value"), [["SET", "key", "value"]]);
  });

  test("an empty bulk string is an empty argument", () => {
    assertParses("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", [["ECHO", ""]]);
  });

  test("pipelined requests in one chunk come out one by one, in order", () => {
    const parser = new RequestParser();
    parser.feed(bytes(multibulk("SET", "a", "1") + multibulk("GET", "a") + multibulk("PING")));
    assert.deepEqual(parser.next()?.map(text), ["SET", "a", "1"]);
    assert.deepEqual(parser.next()?.map(text), ["GET", "a"]);
    assert.deepEqual(parser.next()?.map(text), ["PING"]);
    assert.equal(parser.next(), undefined);
  });

  test("pipelined requests parse in every chunking", () => {
    assertParses(multibulk("GET", "a") + multibulk("DEL", "b", "c"), [["GET", "a"], ["DEL", "b", "c"]]);
  });

  test("binary arguments keep CR, LF, NUL and non-UTF-8 bytes", () => {
    const binary = "a\r\nb\x00\xff\xfe\r\n\x80";
    assertParses(multibulk("SET", binary, "\r\n"), [["SET", binary, "\r\n"]]);
  });

  test("*0 and negative counts are skipped and the next request still parses", () => {
    assertParses("*0\r\n*-1\r\n*-10\r\n" + multibulk("PING"), [["PING"]]);
  });

  test("the most negative 64-bit count is skipped like any negative count", () => {
    assertParses("*-9223372036854775808\r\n" + multibulk("PING"), [["PING"]]);
  });

  test("the two bytes after a bulk body are skipped unchecked, as Redis does", () => {
    assertParses("*1\r\n$4\r\nPINGXY" + multibulk("PING"), [["PING"], ["PING"]]);
  });

  test("a request with the maximum count is accepted and awaits its arguments", () => {
    const parser = new RequestParser();
    parser.feed(bytes("*1048576\r\n"));
    assert.equal(parser.next(), undefined);
  });

  test("a count up to a lowered maxArgs is accepted", () => {
    assertParses(multibulk("a", "b", "c"), [["a", "b", "c"]], { maxArgs: 3 });
  });

  test("a bulk of exactly maxBulkBytes is accepted", () => {
    assertParses(multibulk("SET", "k", "0123456789"), [["SET", "k", "0123456789"]], { maxBulkBytes: 10 });
  });

  for (const sharedArgumentBuffer of [false, true]) {
    test(`arguments stay intact after the parser's buffer is reused (shared: ${sharedArgumentBuffer})`, () => {
      const parser = new RequestParser({}, { sharedArgumentBuffer });
      const kept: Uint8Array[][] = [];
      const expected: string[][] = [];
      for (let i = 0; i < 2000; i++) {
        const args = ["SET", `key:${i}`, "v".repeat(i % 97), "w".repeat(i % 7)];
        expected.push(args);
        const wire = bytes(multibulk(...args));
        // Uneven cuts leave partial requests behind, so compaction moves them.
        parser.feed(wire.subarray(0, i % wire.length));
        for (let argv = parser.next(); argv !== undefined; argv = parser.next()) kept.push(argv);
        parser.feed(wire.subarray(i % wire.length));
        for (let argv = parser.next(); argv !== undefined; argv = parser.next()) kept.push(argv);
      }
      assert.deepEqual(kept.map((argv) => argv.map(text)), expected);
    });
  }

  for (const sharedArgumentBuffer of [false, true]) {
    test(`a long pipeline in odd-sized chunks survives buffer compaction mid-request (shared: ${sharedArgumentBuffer})`, () => {
      const expected: string[][] = [];
      let wire = "";
      for (let i = 0; i < 3000; i++) {
        const args = ["HSET", `h:${i}`, "f".repeat(i % 13), "v".repeat((i * 7) % 301)];
        expected.push(args);
        wire += multibulk(...args);
      }
      const data = bytes(wire);
      for (const size of [777, 5000, 20_011]) {
        const chunks: Uint8Array[] = [];
        for (let at = 0; at < data.length; at += size) chunks.push(data.subarray(at, at + size));
        assert.deepEqual(run(chunks, {}, { sharedArgumentBuffer }), { requests: expected }, `chunks of ${size}`);
      }
    });
  }

  test("each argument has its own buffer by default", () => {
    const parser = new RequestParser();
    parser.feed(bytes(multibulk("SET", "k", "v") + "ECHO a b\r\n"));
    for (const argv of [parser.next(), parser.next()]) {
      assert.ok(argv !== undefined);
      assert.equal(new Set(argv.map((arg) => arg.buffer)).size, argv.length);
      for (const arg of argv) assert.equal(arg.byteLength, arg.buffer.byteLength);
    }
  });

  test("with sharedArgumentBuffer a request's small arguments share one exact-size buffer", () => {
    const parser = new RequestParser({}, { sharedArgumentBuffer: true });
    parser.feed(bytes(multibulk("SET", "k", "value") + "ECHO a b\r\n"));
    const argv = parser.next();
    assert.ok(argv !== undefined);
    assert.equal(new Set(argv.map((arg) => arg.buffer)).size, 1);
    assert.equal(argv[0]!.buffer.byteLength, 9);
    const inline = parser.next();
    assert.ok(inline !== undefined);
    assert.deepEqual(inline.map(text), ["ECHO", "a", "b"]);
    assert.equal(new Set(inline.map((arg) => arg.buffer)).size, 1);
  });
});

describe("RequestParser big arguments", () => {
  function payload(length: number, seed: number): string {
    let out = "";
    let x = seed;
    for (let i = 0; i < length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      out += String.fromCharCode(x >>> 24);
    }
    return out;
  }

  function feedInChunks(data: Uint8Array, size: number): Uint8Array[] {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < data.length; i += size) chunks.push(data.subarray(i, i + size));
    return chunks;
  }

  test("a 40 KiB argument parses whole, byte by byte and at sampled split points", () => {
    const value = payload(40_000, 1);
    const data = bytes(multibulk("SET", "k", value) + multibulk("GET", "k"));
    const expected = { requests: [["SET", "k", value], ["GET", "k"]] };
    assert.deepEqual(run([data]), expected);
    assert.deepEqual(run(feedInChunks(data, 1)), expected);
    for (let i = 1; i < data.length; i += i < 64 || data.length - i < 64 ? 1 : 997) {
      assert.deepEqual(run([data.subarray(0, i), data.subarray(i)]), expected, `split at ${i}`);
    }
  });

  test("a 1.5 MiB argument parses in 64 KiB, 1000-byte and odd-sized chunks", () => {
    const value = payload(1_500_000, 2);
    const data = bytes(multibulk("SET", "k", value) + multibulk("PING"));
    const expected = { requests: [["SET", "k", value], ["PING"]] };
    for (const size of [65_536, 1000, 77_777, data.length]) {
      assert.deepEqual(run(feedInChunks(data, size)), expected, `chunks of ${size}`);
    }
  });

  test("consecutive requests with big arguments each get their own values", () => {
    const first = payload(40_000, 4);
    const second = payload(60_000, 5);
    const data = bytes(multibulk("SET", "a", first) + multibulk("SET", "b", second, "c") + multibulk("GET", "a"));
    const expected = { requests: [["SET", "a", first], ["SET", "b", second, "c"], ["GET", "a"]] };
    for (const size of [1000, 8192, 65_536]) {
      assert.deepEqual(run(feedInChunks(data, size)), expected, `chunks of ${size}`);
      assert.deepEqual(run(feedInChunks(data, size), {}, { sharedArgumentBuffer: true }), expected, `shared, chunks of ${size}`);
    }
  });

  test("a big argument whose body arrives with the next request in one chunk", () => {
    const value = payload(50_000, 3);
    const header = bytes("*2\r\n$4\r\nECHO\r\n$50000\r\n");
    const rest = bytes(value + "\r\n" + multibulk("PING"));
    assert.deepEqual(run([header, rest]), { requests: [["ECHO", value], ["PING"]] });
  });

  test("bufferedBytes counts the bytes received, not a big argument's declared size", () => {
    const parser = new RequestParser();
    const header = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5000000\r\n";
    parser.feed(bytes(header));
    assert.equal(parser.next(), undefined);
    assert.equal(parser.bufferedBytes, header.length);
    parser.feed(bytes("abc"));
    assert.equal(parser.next(), undefined);
    assert.equal(parser.bufferedBytes, header.length + 3);
  });

  test("bufferedBytes is zero once every request has been taken", () => {
    const parser = new RequestParser();
    parser.feed(bytes(multibulk("PING") + "*2\r\n$4\r\nECHO\r\n"));
    assert.deepEqual(parser.next()?.map(text), ["PING"]);
    assert.equal(parser.next(), undefined);
    assert.equal(parser.bufferedBytes, 14);
    parser.feed(bytes("$1\r\nx\r\n"));
    assert.deepEqual(parser.next()?.map(text), ["ECHO", "x"]);
    assert.equal(parser.bufferedBytes, 0);
  });
});

describe("RequestParser inline requests", () => {
  test("a line ending in CRLF or in LF alone is one request", () => {
    assertParses("PING\r\nECHO hi\n", [["PING"], ["ECHO", "hi"]]);
  });

  test("runs of spaces and tabs separate arguments", () => {
    assertParses("  SET\t k \t  v  \r\n", [["SET", "k", "v"]]);
  });

  test("double quotes group words and decode escapes", () => {
    assertParses(
      'SET "a b" "\\x41\\x7a\\n\\r\\t\\b\\a\\\\\\"\\q"\r\n',
      [["SET", "a b", "Az\n\r\t\b\x07\\\"q"]],
    );
  });

  test("a \\x without two hex digits is an x, as in sdssplitargs", () => {
    assertParses('ECHO "\\x41\\xZZ"\r\n', [["ECHO", "AxZZ"]]);
  });

  test("\\xHH decodes to any byte, including non-UTF-8 ones", () => {
    assertParses('ECHO "\\xff\\x00\\xFe"\r\n', [["ECHO", "\xff\x00\xfe"]]);
  });

  test("single quotes take everything literally except \\'", () => {
    assertParses("ECHO 'it\\'s \\n \"raw\"'\r\n", [["ECHO", "it's \\n \"raw\""]]);
  });

  test("empty quotes are an empty argument", () => {
    assertParses("ECHO \"\" ''\r\n", [["ECHO", "", ""]]);
  });

  test("a quote may open in the middle of a word", () => {
    assertParses('SET k foo"bar baz"\r\n', [["SET", "k", "foobar baz"]]);
  });

  test("a lone CR inside the line separates arguments", () => {
    assertParses("ECHO a\rb\r\n", [["ECHO", "a", "b"]]);
  });

  test("a NUL byte ends the line's arguments, as sdssplitargs reads a C string", () => {
    assertParses("GET k\x00junk\r\nPING\r\n", [["GET", "k"], ["PING"]]);
  });

  test("empty and blank lines are skipped", () => {
    assertParses("\r\n\n   \r\n\t\nPING\r\n", [["PING"]]);
  });

  test("inline and multibulk requests mix in one pipeline", () => {
    assertParses("PING\r\n" + multibulk("GET", "k") + "ECHO x\n", [["PING"], ["GET", "k"], ["ECHO", "x"]]);
  });

  test("non-UTF-8 bytes pass through unquoted", () => {
    assertParses("ECHO \xff\xfe\r\n", [["ECHO", "\xff\xfe"]]);
  });

  test("a line of exactly maxInlineBytes is accepted", () => {
    assertParses("ECHO 0123456789\n", [["ECHO", "0123456789"]], { maxInlineBytes: 15 });
  });

  test("a 64 KiB inline line is accepted by default", () => {
    const line = "ECHO " + "x".repeat(64 * 1024 - 5);
    assert.deepEqual(run([bytes(line + "\n")]), { requests: [["ECHO", "x".repeat(64 * 1024 - 5)]] });
  });
});

describe("RequestParser protocol errors", () => {
  const E = PROTOCOL_ERRORS;

  test("a non-numeric count is an invalid multibulk length", () => {
    for (const header of ["*x\r\n", "*\r\n", "*+1\r\n", "*01\r\n", "*1x\r\n", "*-0\r\n", "* 1\r\n"]) {
      assertRejects(header, "ERR Protocol error: invalid multibulk length");
    }
  });

  test("a count beyond 64 bits is an invalid multibulk length", () => {
    assertRejects("*-9223372036854775809\r\n", E.invalidMultibulkLength);
    assertRejects("*9223372036854775808\r\n", E.invalidMultibulkLength);
  });

  test("a count above 1024*1024 is an invalid multibulk length", () => {
    assertRejects("*1048577\r\n", E.invalidMultibulkLength);
    assertRejects("*20000000\r\n", E.invalidMultibulkLength);
    assertRejects("*1048577\r\n", E.invalidMultibulkLength, { maxArgs: 10_000_000 });
  });

  test("a count above maxArgs is an invalid multibulk length", () => {
    assertRejects("*4\r\n", E.invalidMultibulkLength, { maxArgs: 3 });
  });

  test("a non-numeric or negative bulk length is an invalid bulk length", () => {
    for (const header of ["$x\r\n", "$\r\n", "$-1\r\n", "$-0\r\n", "$01\r\n", "$ 3\r\n", "$+3\r\n"]) {
      assertRejects("*1\r\n" + header, "ERR Protocol error: invalid bulk length");
    }
  });

  test("a bulk length above maxBulkBytes is rejected from its header, before any body", () => {
    const parser = new RequestParser({ maxBulkBytes: 10 });
    parser.feed(bytes("*2\r\n$3\r\nGET\r\n$11\r\n"));
    assert.throws(() => parser.next(), { name: "ProtocolError", message: E.invalidBulkLength });
  });

  test("the default bulk limit is 5 MiB, checked on the header alone", () => {
    const parser = new RequestParser();
    parser.feed(bytes("*1\r\n$5242881\r\n"));
    assert.throws(() => parser.next(), new ProtocolError(E.invalidBulkLength));
    const atLimit = new RequestParser();
    atLimit.feed(bytes("*1\r\n$5242880\r\n"));
    assert.equal(atLimit.next(), undefined);
  });

  test("a bulk length above maxBulkBytes fails in every chunking", () => {
    assertRejects("*1\r\n$11\r\n", E.invalidBulkLength, { maxBulkBytes: 10 });
  });

  test("a request whose argument does not start with $ names the byte found", () => {
    assertRejects(
      "*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n",
      "ERR Protocol error: expected '$', got 'f'",
    );
    assertRejects("*1\r\n:5\r\n", "ERR Protocol error: expected '$', got ':'");
    assertRejects("*1\r\n\r\n", "ERR Protocol error: expected '$', got '\r'");
  });

  test("a count line longer than maxInlineBytes is a too big mbulk count string", () => {
    assertRejects("*" + "1".repeat(16), "ERR Protocol error: too big mbulk count string", { maxInlineBytes: 16 });
    assertRejects("*" + "1".repeat(16) + "\r\n", E.tooBigMultibulkCount, { maxInlineBytes: 16 });
    assertRejects("*" + "1".repeat(15) + "x\r\n", E.tooBigMultibulkCount, { maxInlineBytes: 16 });
  });

  test("a bulk length line longer than maxInlineBytes is a too big bulk count string", () => {
    assertRejects("*1\r\n$" + "1".repeat(16), "ERR Protocol error: too big bulk count string", { maxInlineBytes: 16 });
  });

  test("64 KiB without CR after * is a too big mbulk count string by default", () => {
    assert.deepEqual(run([bytes("*" + "1".repeat(64 * 1024))]), {
      requests: [],
      error: E.tooBigMultibulkCount,
    });
  });

  test("an inline line longer than maxInlineBytes is a too big inline request", () => {
    assertRejects("ECHO 01234567890", "ERR Protocol error: too big inline request", { maxInlineBytes: 15 });
    assertRejects("ECHO 01234567890\r\n", E.tooBigInline, { maxInlineBytes: 15 });
  });

  test("more than 64 KiB without a newline is a too big inline request by default", () => {
    const parser = new RequestParser();
    parser.feed(bytes("x".repeat(64 * 1024)));
    assert.equal(parser.next(), undefined);
    parser.feed(bytes("x"));
    assert.throws(() => parser.next(), new ProtocolError(E.tooBigInline));
  });

  test("unbalanced quotes are rejected", () => {
    for (const line of ['ECHO "abc', "ECHO 'abc", 'ECHO "abc"def', "ECHO 'abc'def", 'ECHO "a\\"', 'ECHO "\\']) {
      assertRejects(line + "\r\n", "ERR Protocol error: unbalanced quotes in request");
    }
  });

  test("requests before a malformed one are still returned", () => {
    assertRejects("PING\r\n" + multibulk("GET", "k") + "*x\r\n", E.invalidMultibulkLength, {}, [
      ["PING"],
      ["GET", "k"],
    ]);
  });

  test("after a protocol error the parser throws the same error and ignores input", () => {
    const parser = new RequestParser();
    parser.feed(bytes("*x\r\n"));
    let first: unknown;
    assert.throws(() => parser.next(), (error) => {
      first = error;
      return error instanceof ProtocolError;
    });
    parser.feed(bytes(multibulk("PING")));
    assert.throws(() => parser.next(), (error) => error === first);
  });
});

describe("RequestParser unauthenticated limits", () => {
  const unauthenticated = { unauthenticated: true };

  test("up to 10 arguments of 16 KiB are accepted before AUTH", () => {
    const args = Array.from({ length: 10 }, (_, i) => String(i));
    assertParses(multibulk(...args), [args], unauthenticated);
    const value = "t".repeat(16 * 1024);
    assert.deepEqual(run([bytes(multibulk("AUTH", value))], unauthenticated), {
      requests: [["AUTH", value]],
    });
  });

  test("11 arguments before AUTH is an unauthenticated multibulk length", () => {
    assertRejects("*11\r\n", "ERR Protocol error: unauthenticated multibulk length", unauthenticated);
  });

  test("a bulk over 16 KiB before AUTH is an unauthenticated bulk length, from the header", () => {
    assertRejects("*2\r\n$4\r\nAUTH\r\n$16385\r\n", "ERR Protocol error: unauthenticated bulk length", unauthenticated);
  });

  test("counts and lengths that are invalid anyway keep the invalid texts", () => {
    assertRejects("*2000000\r\n", PROTOCOL_ERRORS.invalidMultibulkLength, unauthenticated);
    assertRejects("*1\r\n$-5\r\n", PROTOCOL_ERRORS.invalidBulkLength, unauthenticated);
    assertRejects("*1\r\n$100\r\n", PROTOCOL_ERRORS.invalidBulkLength, { ...unauthenticated, maxBulkBytes: 50 });
  });

  test("lifting the mode after AUTH restores the normal limits mid-stream", () => {
    const parser = new RequestParser(unauthenticated);
    parser.feed(bytes(multibulk("AUTH", "token")));
    assert.deepEqual(parser.next()?.map(text), ["AUTH", "token"]);
    parser.setLimits({ unauthenticated: false });
    const args = Array.from({ length: 11 }, (_, i) => String(i));
    parser.feed(bytes(multibulk(...args)));
    assert.deepEqual(parser.next()?.map(text), args);
    assert.equal(parser.getLimits().unauthenticated, false);
  });

  test("setting the mode applies to the next request header", () => {
    const parser = new RequestParser();
    parser.setLimits({ unauthenticated: true });
    parser.feed(bytes("*11\r\n"));
    assert.throws(() => parser.next(), new ProtocolError(PROTOCOL_ERRORS.unauthenticatedMultibulkLength));
  });
});

describe("RequestParser randomized pipelines", () => {
  test("random pipelines cut at random points parse like the whole", () => {
    const seed = Date.now() % 1_000_000;
    let state = seed;
    const random = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    for (let round = 0; round < 200; round++) {
      const expected: string[][] = [];
      let wire = "";
      for (let r = random(6) + 1; r > 0; r--) {
        const argv = Array.from({ length: random(4) + 1 }, () =>
          Array.from({ length: random(12) }, () => String.fromCharCode(random(256))).join(""));
        expected.push(argv);
        wire += multibulk(...argv);
      }
      const data = bytes(wire);
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < data.length;) {
        const size = random(9) + 1;
        chunks.push(data.subarray(at, at + size));
        at += size;
      }
      assert.deepEqual(run(chunks), { requests: expected }, `seed ${seed}, round ${round}`);
    }
  });
});

test("binary payloads mixing big and small arguments round-trip byte for byte", () => {
  const big = new Uint8Array(100_000).map((_, i) => (i * 7) & 255);
  const data = concat(bytes("*2\r\n$4\r\nECHO\r\n$100000\r\n"), big, bytes("\r\n"));
  const parser = new RequestParser();
  for (let i = 0; i < data.length; i += 4096) parser.feed(data.subarray(i, i + 4096));
  const argv = parser.next();
  assert.ok(argv !== undefined);
  assert.deepEqual(argv[1], big);
});
