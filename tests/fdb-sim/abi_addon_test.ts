// Checks that the FoundationDB test double speaks FoundationDB's C ABI,
// independently of our own binding: the published `foundationdb` npm addon
// (compiled against the real fdb_c.h) runs abi_addon_scenario.ts over the
// double in a child `deno run` whose LD_LIBRARY_PATH resolves the addon's
// NEEDED libfdb_c.so to tests/fdb-sim/build/libfdb_c.so.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../support/processes.ts";
import { isBun, projectRoot } from "../support/runtime.ts";

const simDir = `${projectRoot}tests/fdb-sim/build`;
const prebuild = `${projectRoot}node_modules/foundationdb/prebuilds/linux-x64/node.napi.node`;

function skipReason(): string | undefined {
  if (isBun) return "the foundationdb addon does not load on Bun (legacy N-API registration, uv_thread_create); this check runs in the Deno pass";
  if (process.platform !== "linux" || process.arch !== "x64") return "the addon's prebuild and the double are built for linux-x64 only";
  if (!existsSync(`${simDir}/libfdb_c.so`)) return "tests/fdb-sim/build/libfdb_c.so is not built: run `npm run build:fdb-sim`";
  if (!existsSync(prebuild)) return "the optional dependency foundationdb (node_modules/foundationdb) is not installed";
  return undefined;
}

describe("fdb-sim ABI, checked through the published foundationdb addon", { skip: skipReason() }, () => {
  test("set/get, ranges, selectors, atomics, conflicts, versionstamps, watches and sizes agree with FoundationDB's API", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fdb-sim-abi-"));
    try {
      const clusterFile = join(dir, "fdb.cluster");
      writeFileSync(clusterFile, "abi:test@127.0.0.1:4500\n");
      const env: Record<string, string> = {};
      for (const [name, value] of Object.entries(process.env)) {
        // background fault injection from test:fdb-sim would change the counted retries
        if (value !== undefined && !name.startsWith("FDB_SIM_")) env[name] = value;
      }
      env.LD_LIBRARY_PATH = [simDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":");
      const deno = (globalThis as unknown as { Deno: { execPath(): string } }).Deno.execPath();
      const result = await run(deno, ["run", "-A", `${projectRoot}tests/fdb-sim/abi_addon_scenario.ts`, clusterFile], {
        env,
        timeoutMs: 60_000,
      });
      assert.equal(result.code, 0, `scenario failed:\n${result.stdout}\n${result.stderr}`);
      assert.match(result.stdout, /^ABI OK \{.*"attempts":2/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
