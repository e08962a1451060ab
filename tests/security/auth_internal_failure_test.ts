// Issue 12 item 2: when the token library fails (a trap, a run limit, no
// memory), AUTH used to answer WRONGPASS, telling good clients their token
// was bad. Now it answers a retryable ERR, logs one line without the token,
// and the next AUTH runs on a fresh instance.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { type BiscuitInstance, freshBiscuit, privateGlue } from "../../src/auth/biscuit_wasm.ts";
import { RevocationList } from "../../src/auth/revocation_list.ts";
import { tokenAuthenticator } from "../../src/auth/token_authenticator.ts";
import { generateRootKey, mintToken, parseRootKey, type RootKeys } from "../../src/auth/tokens.ts";
import { VerifierInstance } from "../../src/auth/verifier_instance.ts";
import { RawClient } from "../support/raw_client.ts";
import { type RunningServer, startInProcess } from "../support/servers.ts";
import { OK, WRONGPASS } from "../auth/support.ts";

/** A real instance whose token parser traps, as a panicking library does. */
async function trapping(): Promise<BiscuitInstance> {
  const real = await freshBiscuit(await privateGlue());
  const Biscuit = new Proxy(real.lib.Biscuit, {
    get: (target, name, receiver) => name === "fromBytes" ? () => { throw new WebAssembly.RuntimeError("unreachable"); } : Reflect.get(target, name, receiver),
  });
  return { ...real, lib: { ...real.lib, Biscuit } as typeof real.lib };
}

describe("AUTH when the token library fails", () => {
  let server: RunningServer;
  let root: RootKeys;
  const logged: string[] = [];
  let failNext = true;
  before(async () => {
    root = await parseRootKey(await generateRootKey());
    const glue = await privateGlue();
    const verifier = new VerifierInstance({
      make: async () => {
        if (failNext) {
          failNext = false;
          return trapping();
        }
        return freshBiscuit(glue);
      },
    });
    const auth = await tokenAuthenticator({ root, revocations: new RevocationList(undefined), verifier }, (line) => logged.push(line));
    server = await startInProcess({ auth });
  });
  after(() => server.stop());

  test("a trap answers 'ERR authentication is temporarily unavailable ... retry', not WRONGPASS; the retry succeeds", async () => {
    const token = await mintToken(root, "kv_fail");
    const client = await RawClient.connect(server.port);
    try {
      const first = await client.call("AUTH", token);
      assert.match(first, /^-ERR authentication is temporarily unavailable: the token library failed: unreachable; retry\r\n$/);
      assert.notEqual(first, WRONGPASS);
      assert.ok(logged.some((line) => /internal error, answered as unavailable/.test(line)), logged.join("\n"));
      assert.ok(logged.every((line) => !line.includes(token.slice(0, 40))), "the log never holds the token");
      assert.equal(await client.call("AUTH", token), OK, "the broken instance was replaced");
      assert.equal(await client.call("AUTH", `${token.slice(0, 50)}x${token.slice(51)}`), WRONGPASS, "bad tokens still answer WRONGPASS");
    } finally {
      client.close();
    }
  });
});
