// Runs the C unit tests of the FoundationDB test double (test/sim_test.c):
// builds the library and the test with the machine's C compiler into a
// temporary directory, runs it, and expects "N passed, 0 failed".
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hasProgram, run } from "../support/processes.ts";
import { isBun, projectRoot } from "../support/runtime.ts";

const simRoot = `${projectRoot}tests/fdb-sim`;

function skipReason(): string | undefined {
  if (!isBun) return "the C tests do not depend on the runtime: they run once, in the Bun pass";
  if (!hasProgram("cc")) return "no C compiler (cc) on this machine";
  return undefined;
}

describe("fdb-sim semantics (C unit tests)", { skip: skipReason() }, () => {
  test("reads, writes, conflicts, selectors, atomics, versionstamps, watches, limits, retries and faults behave as FoundationDB documents", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fdb-sim-unit-"));
    try {
      const env: Record<string, string> = {};
      for (const [name, value] of Object.entries(process.env)) {
        if (value !== undefined && !name.startsWith("FDB_SIM_")) env[name] = value;
      }
      const build = await run("cc", [
        "-O1", "-pthread", "-std=c11", "-D_GNU_SOURCE", "-fvisibility=hidden", "-shared", "-fPIC",
        "-o", join(dir, "libfdb_c.so"),
        ...["atomic", "errors", "network", "skiplist", "store", "transaction"].map((f) => `${simRoot}/src/${f}.c`),
      ], { env, timeoutMs: 120_000 });
      assert.equal(build.code, 0, `building the library failed:\n${build.stderr}`);
      const buildTest = await run("cc", [
        "-O1", "-pthread", "-o", join(dir, "sim_test"), `${simRoot}/test/sim_test.c`,
        `-L${dir}`, "-lfdb_c", `-Wl,-rpath,${dir}`,
      ], { env, timeoutMs: 120_000 });
      assert.equal(buildTest.code, 0, `building the test failed:\n${buildTest.stderr}`);
      const result = await run(join(dir, "sim_test"), [], { env, timeoutMs: 60_000 });
      assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
      assert.match(result.stdout, /\d+ passed, 0 failed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
