// `materia token create|attenuate|inspect|keygen|public-key`: mint and
// restrict Biscuit tokens. Tokens go alone to standard output, so that
// TOKEN=$(materia token create ...) works; everything else goes to stderr.
import { parseArgs } from "node:util";
import { messageOf } from "../auth/biscuit_wasm.ts";
import { attenuateToken, generateRootKey, inspectToken, mintToken, parsePublicKey } from "../auth/tokens.ts";
import { parseExpiry, type Restriction } from "../auth/token_grant.ts";
import { loadRootKey } from "./root_key_source.ts";
import type { Runtime } from "./runtime.ts";

const HELP = `Usage: materia token <command> [options]

Commands:
  create --tenant ID [--read-only] [--prefix P]... [--expires D]
                     mint a token for tenant ID with the root key
  attenuate TOKEN [--read-only] [--prefix P]... [--expires D]
                     restrict a token offline (needs only the root public key)
  inspect TOKEN      print a token's blocks, facts, checks and revocation ids
  keygen             print a new root private key (for MATERIA_ROOT_KEY)
  public-key         print the root public key (for --public-key elsewhere)

Options:
  --data DIR             data directory holding root.key (default ./data) [env MATERIA_DATA]
  --root-key-file FILE   root private key file [env MATERIA_ROOT_KEY_FILE]
  --public-key KEY       root public key, ed25519/<hex> (attenuate, inspect; default: from the root key)
  --read-only            no write command
  --prefix P             only keys starting with P (repeat for several prefixes)
  --expires D            30d, 12h, 15m, 90s or an ISO date

The root key is MATERIA_ROOT_KEY when set, else --root-key-file, else DIR/root.key.`;

const OPTIONS = {
  tenant: { type: "string" },
  data: { type: "string" },
  "root-key-file": { type: "string" },
  "public-key": { type: "string" },
  "read-only": { type: "boolean" },
  prefix: { type: "string", multiple: true },
  expires: { type: "string" },
  help: { type: "boolean" },
} as const;

export async function tokenCommand(args: readonly string[], runtime: Runtime): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`materia token: ${messageOf(error)}; see 'materia token --help'`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, token, ...extra] = positionals;
  if (values.help || command === undefined || command === "help") {
    console.log(HELP);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (extra.length > 0) {
    console.error(`materia token: unexpected argument '${extra[0]}'; see 'materia token --help'`);
    return 2;
  }
  const keySource = {
    rootKey: runtime.env.MATERIA_ROOT_KEY || undefined,
    rootKeyFile: values["root-key-file"] ?? (runtime.env.MATERIA_ROOT_KEY_FILE || undefined),
    dataDirectory: values.data ?? (runtime.env.MATERIA_DATA || "./data"),
  };
  try {
    const restriction: Restriction = {
      readOnly: values["read-only"] === true,
      prefixes: values.prefix ?? [],
      expiresAt: values.expires === undefined ? undefined : parseExpiry(values.expires, Date.now()),
    };
    const publicKeys = async () => {
      if (values["public-key"] !== undefined) return [parsePublicKey(values["public-key"])];
      return [(await loadRootKey(keySource, { create: false })).keys.publicKeyText];
    };
    switch (command) {
      case "create": {
        if (values.tenant === undefined) throw new Error("create needs --tenant ID");
        const root = await loadRootKey(keySource, { create: false });
        console.log(await mintToken(root.keys, values.tenant, restriction));
        return 0;
      }
      case "attenuate":
        if (token === undefined) throw new Error("attenuate needs the token to restrict");
        console.log(await attenuateToken(token, await publicKeys(), restriction));
        return 0;
      case "inspect":
        if (token === undefined) throw new Error("inspect needs a token");
        console.log(await inspectToken(token, await publicKeys()));
        return 0;
      case "keygen":
        console.log(await generateRootKey());
        return 0;
      case "public-key":
        console.log((await loadRootKey(keySource, { create: false })).keys.publicKeyText);
        return 0;
      default:
        console.error(`materia token: unknown command '${command}'; see 'materia token --help'`);
        return 2;
    }
  } catch (error) {
    console.error(`materia token ${command}: ${messageOf(error)}`);
    return 1;
  }
}
