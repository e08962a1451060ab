// The authenticator `materia serve` runs with, from its configuration, and
// the lines it prints about it (where the root key is, a dev token).
import type { Authenticator } from "../auth/contract.ts";
import { RevocationList } from "../auth/revocation_list.ts";
import { openAccess, staticPassword } from "../auth/static_password.ts";
import { tokenAuthenticator } from "../auth/token_authenticator.ts";
import { mintToken } from "../auth/tokens.ts";
import type { ServeConfig } from "../config/serve_config.ts";
import { loadRootKey } from "./root_key_source.ts";

export interface AuthSetup {
  readonly auth: Authenticator;
  /** Lines for the start banner. */
  readonly notes: readonly string[];
}

/** The tenant of the token printed when `serve` creates a root key for local use. */
export const DEV_TENANT = "dev";

export async function setUpAuth(config: ServeConfig): Promise<AuthSetup> {
  const auth = config.auth;
  if (auth.mode === "off") return { auth: openAccess(), notes: ["materia: auth off (--no-auth): every client is the default tenant"] };
  if (auth.mode === "password") return { auth: staticPassword(auth.password), notes: [] };
  const root = await loadRootKey({ rootKey: auth.rootKey, rootKeyFile: auth.rootKeyFile, dataDirectory: config.dataDirectory }, { create: true });
  // A missing file at start is refused: a typo in MATERIA_REVOKED must not mean "nothing revoked".
  const revocations = new RevocationList(auth.revokedFile, { mustExist: true });
  const authenticator = await tokenAuthenticator(
    { root: root.keys, alsoTrusted: auth.alsoTrusted, revocations },
    (reason) => console.error(`materia: AUTH refused: ${reason}`),
  );
  const notes = [`materia: tokens signed by root key ${root.keys.publicKeyText} (from ${root.origin})`];
  // A key kept in the data directory is a local-use key: print a token to start with.
  if (auth.rootKey === undefined && auth.rootKeyFile === undefined) {
    const token = await mintToken(root.keys, DEV_TENANT);
    if (root.created) notes.push(`materia: created a root key for local use in ${root.origin}; keep it secret, or set MATERIA_ROOT_KEY in production`);
    notes.push(
      `materia: a token for tenant '${DEV_TENANT}' (read and write): ${token}`,
      `materia: mint others with: materia token create --data ${config.dataDirectory} --tenant <id>`,
    );
  }
  if (auth.revokedFile !== undefined) notes.push(`materia: revoked token ids are read from ${auth.revokedFile}`);
  return { auth: authenticator, notes };
}
