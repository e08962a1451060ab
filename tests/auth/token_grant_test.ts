// How the server reads a token without running its Datalog: readBlocks
// compiles the statements Materia mints (tenant, rights, read-only, key
// prefixes, expiry) and refuses anything else; keyScopeOf turns the
// prefix checks into one flat list; parseExpiry reads --expires. Checked on
// hand-written block sources and on the sources of real minted and
// attenuated tokens, as the Biscuit library prints them.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { loadBiscuit } from "../../src/auth/biscuit_wasm.ts";
import { keyScopeOf } from "../../src/auth/key_scope.ts";
import { parseExpiry, readBlocks, type BlockReading } from "../../src/auth/token_grant.ts";
import { attenuateToken, generateRootKey, mintToken, parseRootKey, parseToken } from "../../src/auth/tokens.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function compiled(reading: BlockReading) {
  assert.equal(reading.kind, "compiled", reading.kind === "refused" ? `refused: ${reading.reason}` : "");
  if (reading.kind !== "compiled") throw new Error("unreachable");
  return reading.access;
}

function refused(reading: BlockReading) {
  assert.equal(reading.kind, "refused", `expected refused, got ${JSON.stringify(reading)}`);
  if (reading.kind !== "refused") throw new Error("unreachable");
  return reading;
}

const AUTHORITY = `tenant("kv_a");\nright("read");\nright("write");\n`;

describe("readBlocks", () => {
  test("an authority block with tenant and both rights compiles to full access", () => {
    assert.deepEqual(compiled(readBlocks([AUTHORITY])), {
      tenant: "kv_a",
      canRead: true,
      canWrite: true,
      prefixSets: undefined,
      expiresAtMs: undefined,
    });
  });

  test("only right(\"read\") in the authority block: read-only", () => {
    const access = compiled(readBlocks([`tenant("kv_a");\nright("read");\n`]));
    assert.equal(access.canRead, true);
    assert.equal(access.canWrite, false);
  });

  test("a read-only check in an attenuation block takes the write right away", () => {
    const access = compiled(readBlocks([AUTHORITY, `check if operation("read");\n`]));
    assert.equal(access.canRead, true);
    assert.equal(access.canWrite, false);
  });

  test("prefix checks of every block are kept, one set per check (the caller intersects them)", () => {
    const access = compiled(readBlocks([
      `${AUTHORITY}check if resource($r), $r.starts_with("user:") or resource($r), $r.starts_with("cache:");\n`,
      `check if resource($r), $r.starts_with("user:a");\n`,
    ]));
    assert.deepEqual(access.prefixSets, [["user:", "cache:"], ["user:a"]]);
  });

  test("a prefix with ';' and ' or ' inside the string literal is read whole", () => {
    const access = compiled(readBlocks([`${AUTHORITY}check if resource($r), $r.starts_with("a;b or c");\n`]));
    assert.deepEqual(access.prefixSets, [["a;b or c"]]);
  });

  test("time checks: <= expires at the instant, < one millisecond before it, the earliest of all blocks wins", () => {
    const at = "2030-01-01T00:00:00Z";
    const ms = Date.parse(at);
    assert.equal(compiled(readBlocks([`${AUTHORITY}check if time($t), $t <= ${at};\n`])).expiresAtMs, ms);
    assert.equal(compiled(readBlocks([`${AUTHORITY}check if time($t), $t < ${at};\n`])).expiresAtMs, ms - 1);
    const both = readBlocks([
      `${AUTHORITY}check if time($t), $t <= 2031-01-01T00:00:00Z;\n`,
      `check if time($time), $time < ${at};\n`,
      `check if time($t), $t <= 2032-06-01T12:00:00+02:00;\n`,
    ]);
    assert.equal(compiled(both).expiresAtMs, ms - 1);
  });

  test("a time check comparing another variable than the one bound to time() is not compiled", () => {
    refused(readBlocks([`${AUTHORITY}check if time($t), $u <= 2030-01-01T00:00:00Z;\n`]));
  });

  test("a check of another shape refuses the token, naming the block and the statement", () => {
    const reading = refused(readBlocks([AUTHORITY, `check if command($c), ["GET", "SET"].contains($c);\n`]));
    assert.match(reading.reason, /block 1 .*command/);
  });

  test("check all, reject if, and a prefix check mixed with another alternative are refused", () => {
    refused(readBlocks([AUTHORITY, `check all operation($op), $op == "read";\n`]));
    refused(readBlocks([AUTHORITY, `reject if operation("write");\n`]));
    refused(readBlocks([AUTHORITY, `check if resource($r), $r.starts_with("a") or operation("read");\n`]));
    refused(readBlocks([AUTHORITY, `check if resource($r), $s.starts_with("a");\n`]));
  });

  test("a rule or unknown fact in the authority block is refused (it could feed the authorizer)", () => {
    refused(readBlocks([`${AUTHORITY}right($x) <- role("admin"), $x == "write";\n`]));
    refused(readBlocks([`${AUTHORITY}role("admin");\n`]));
  });

  test("facts and rules of attenuation blocks refuse the token (untrusted Datalog never runs)", () => {
    refused(readBlocks([`tenant("kv_a");\nright("read");\n`, `right("write");\n`]));
    refused(readBlocks([`tenant("kv_a");\nright("read");\n`, `tenant("kv_b");\n`]));
    refused(readBlocks([`tenant("kv_a");\nright("read");\n`, `derived($x) <- right($x);\n`]));
  });

  test("no tenant, or two tenants, in the authority block: refused", () => {
    refused(readBlocks([`right("read");\n`]));
    refused(readBlocks([`tenant("kv_a");\ntenant("kv_b");\nright("read");\n`]));
  });
});

describe("readBlocks on the sources of real tokens", () => {
  async function sourcesOf(token: string, publicKey: string): Promise<string[]> {
    const lib = await loadBiscuit();
    const parsed = parseToken(lib, token, [publicKey]);
    const sources: string[] = [];
    for (let i = 0; i < parsed.countBlocks(); i++) sources.push(parsed.getBlockSource(i));
    return sources;
  }

  test("minted and attenuated tokens compile to what their restrictions say", async () => {
    const root = await parseRootKey(await generateRootKey());
    const expires = new Date("2031-03-04T05:06:07Z");
    const token = await mintToken(root, "kv_real", { prefixes: ["user:", "cache:"], expiresAt: expires });
    const full = compiled(readBlocks(await sourcesOf(token, root.publicKeyText)));
    assert.deepEqual(full, {
      tenant: "kv_real",
      canRead: true,
      canWrite: true,
      prefixSets: [["user:", "cache:"]],
      expiresAtMs: expires.getTime(),
    });
    const earlier = new Date("2030-01-01T00:00:00Z");
    const narrowed = await attenuateToken(token, [root.publicKeyText], { readOnly: true, prefixes: ["user:1", "x"], expiresAt: earlier });
    const access = compiled(readBlocks(await sourcesOf(narrowed, root.publicKeyText)));
    assert.deepEqual(access, {
      tenant: "kv_real",
      canRead: true,
      canWrite: false,
      prefixSets: [["user:", "cache:"], ["user:1", "x"]],
      expiresAtMs: earlier.getTime(),
    });
    const readOnlyMint = compiled(readBlocks(await sourcesOf(await mintToken(root, "kv_ro", { readOnly: true }), root.publicKeyText)));
    assert.equal(readOnlyMint.canWrite, false);
    assert.equal(readOnlyMint.canRead, true);
  });

  test("a prefix with ';' survives minting and printing; quotes and backslashes are refused (printed unescaped)", async () => {
    const root = await parseRootKey(await generateRootKey());
    const prefix = "odd;pre or fix:";
    const token = await mintToken(root, "kv_q", { prefixes: [prefix] });
    assert.deepEqual(compiled(readBlocks(await sourcesOf(token, root.publicKeyText))).prefixSets, [[prefix]]);
    await assert.rejects(mintToken(root, "kv_q", { prefixes: ['a"b'] }), /--prefix cannot contain a double quote or a backslash/);
    await assert.rejects(attenuateToken(token, [root.publicKeyText], { prefixes: ["a\\"] }), /--prefix cannot contain/);
    await assert.rejects(mintToken(root, "kv_q", { prefixes: [""] }), /non-empty/);
  });
});

describe("keyScopeOf", () => {
  const texts = (prefixes: readonly Uint8Array[]) => prefixes.map((p) => dec.decode(p));

  test("sets are intersected: the longer of each nested pair, disjoint pairs dropped", () => {
    const scope = keyScopeOf([["user:", "cache:"], ["user:a", "cache:", "other:"]]);
    assert.deepEqual(texts(scope.scanPrefixes), ["cache:", "user:a"]);
    assert.equal(scope.allows(enc.encode("user:ab")), true);
    assert.equal(scope.allows(enc.encode("cache:")), true);
    assert.equal(scope.allows(enc.encode("user:b")), false);
    assert.equal(scope.allows(enc.encode("other:x")), false);
    assert.equal(scope.allows(enc.encode("user:")), false);
  });

  test("prefixes are minimal and sorted: one covered by a shorter one is dropped, duplicates too", () => {
    const scope = keyScopeOf([["b", "ab", "a", "b", "abc"]]);
    assert.deepEqual(texts(scope.scanPrefixes), ["a", "b"]);
  });

  test("disjoint sets allow no key at all", () => {
    const scope = keyScopeOf([["a"], ["b"]]);
    assert.deepEqual(scope.scanPrefixes, []);
    assert.equal(scope.allows(enc.encode("a")), false);
    assert.equal(scope.allows(enc.encode("b")), false);
    assert.equal(scope.allows(new Uint8Array(0)), false);
  });

  test("bytes, not characters: a UTF-8 prefix matches keys by their encoding", () => {
    const scope = keyScopeOf([["é:"]]);
    assert.deepEqual(Array.from(scope.scanPrefixes[0]!), [0xc3, 0xa9, 0x3a]);
    assert.equal(scope.allows(new Uint8Array([0xc3, 0xa9, 0x3a, 0x00, 0xff])), true);
    assert.equal(scope.allows(new Uint8Array([0xc3, 0xa9])), false);
  });

  test("the description names every set", () => {
    assert.equal(keyScopeOf([["user:", "cache:"], ["user:a"]]).description, `"user:" or "cache:", and "user:a"`);
  });
});

describe("parseExpiry", () => {
  const now = Date.parse("2030-06-15T10:00:00Z");

  test("durations in s, m, h, d, w are relative to now", () => {
    assert.equal(parseExpiry("90s", now).getTime(), now + 90_000);
    assert.equal(parseExpiry("15m", now).getTime(), now + 15 * 60_000);
    assert.equal(parseExpiry("12h", now).getTime(), now + 12 * 3_600_000);
    assert.equal(parseExpiry("30d", now).getTime(), now + 30 * 86_400_000);
    assert.equal(parseExpiry("2w", now).getTime(), now + 14 * 86_400_000);
    assert.equal(parseExpiry(" 5m ", now).getTime(), now + 300_000);
  });

  test("an ISO date is absolute, also one in the past", () => {
    assert.equal(parseExpiry("2031-01-01T00:00:00Z", now).toISOString(), "2031-01-01T00:00:00.000Z");
    assert.equal(parseExpiry("2020-01-01T00:00:00Z", now).getTime(), Date.parse("2020-01-01T00:00:00Z"));
  });

  test("anything else is refused with the accepted forms in the message", () => {
    for (const bad of ["soon", "30x", "-5m", "", "1.5h"]) {
      assert.throws(() => parseExpiry(bad, now), /--expires must be a duration such as 30d.*or an ISO date/, bad);
    }
  });
});
