// Issue 12 item 9: deleting the MATERIA_REVOKED file used to un-revoke every
// token within a second, silently. Now the last list stays in force while the
// file is missing or unreadable, the log says so once (naming the file and
// what to do), and `materia serve` refuses to start when the file is missing.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadBiscuit } from "../../src/auth/biscuit_wasm.ts";
import { RevocationList } from "../../src/auth/revocation_list.ts";
import { parseToken } from "../../src/auth/tokens.ts";
import { RawClient } from "../support/raw_client.ts";
import { runMateria, TempDirs } from "../support/processes.ts";
import { type AuthServer, OK, sleep, startAuthServer, WRONGPASS } from "../auth/support.ts";

describe("the revocation file", () => {
  let s: AuthServer;
  before(async () => {
    s = await startAuthServer();
  });
  after(() => s.stop());

  async function auth(token: string): Promise<string> {
    const client = await RawClient.connect(s.port);
    try {
      return await client.call("AUTH", token);
    } finally {
      client.close();
    }
  }

  test("a revoked token stays revoked after the file is deleted (past the 1 s re-read)", async () => {
    const token = await s.mint("kv_rev");
    const lib = await loadBiscuit();
    const id = (parseToken(lib, token, [s.root.publicKeyText]).getRevocationIdentifiers() as string[])[0]!;
    writeFileSync(s.revokedPath, `${id}\n`);
    await sleep(1_100);
    assert.equal(await auth(token), WRONGPASS);
    rmSync(s.revokedPath);
    await sleep(1_100);
    assert.equal(await auth(token), WRONGPASS, "deleting the file must not un-revoke");
    writeFileSync(s.revokedPath, "# nothing revoked\n");
    await sleep(1_100);
    assert.equal(await auth(token), OK, "an emptied file does un-revoke");
  });

  test("a vanished file is logged once, naming the file and what to do; its return is logged too", () => {
    const dirs = new TempDirs();
    try {
      const path = join(dirs.make("rev"), "revoked.txt");
      writeFileSync(path, "abcd\n");
      let now = 0;
      const lines: string[] = [];
      const list = new RevocationList(path, { clock: () => now, log: (line) => lines.push(line) });
      rmSync(path);
      for (let i = 0; i < 3; i++) {
        now += 2_000;
        assert.equal(list.anyRevoked(["ABCD"]), true);
      }
      assert.equal(lines.length, 1, lines.join("\n"));
      assert.match(lines[0]!, new RegExp(`revocation file ${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(MATERIA_REVOKED\\) cannot be read .*keeping the last list \\(1 revoked ids\\).*restore the file`));
      writeFileSync(path, "\n");
      now += 2_000;
      assert.equal(list.anyRevoked(["abcd"]), false);
      assert.equal(lines.length, 2);
      assert.match(lines[1]!, /readable again/);
    } finally {
      dirs.removeAll();
    }
  });

  test("materia serve refuses to start when MATERIA_REVOKED names a missing file", async () => {
    const dirs = new TempDirs();
    try {
      const data = dirs.make("data");
      const missing = join(data, "no-such-revoked.txt");
      const { code, stdout, stderr } = await runMateria(["serve", "--engine", "memory"], {
        env: { MATERIA_DATA: data, MATERIA_PORT: "0", MATERIA_AUTH: "on", MATERIA_REVOKED: missing },
        timeoutMs: 20_000,
      });
      assert.notEqual(code, 0);
      assert.doesNotMatch(stdout, /ready on/);
      assert.match(stderr, new RegExp(`MATERIA_REVOKED names ${missing.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, which cannot be read`));
      assert.match(stderr, /create it \(an empty file revokes nothing\) or unset MATERIA_REVOKED/);
    } finally {
      dirs.removeAll();
    }
  });
});
