// Where the root key comes from, the same way for `serve`, `token` and `env`:
// MATERIA_ROOT_KEY, else --root-key-file, else the data directory's root.key.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { dataDirectoryRootKey, parseRootKey, ROOT_KEY_FILE, type RootKeys } from "../auth/tokens.ts";

export interface RootKeyChoice {
  readonly rootKey?: string;
  readonly rootKeyFile?: string;
  readonly dataDirectory: string;
}

export interface LoadedRootKey {
  readonly keys: RootKeys;
  /** Where it came from, for messages (never the key itself). */
  readonly origin: string;
  /** True when it was generated just now in the data directory. */
  readonly created: boolean;
}

/** Loads the root key; creates one in the data directory only when `create` (serve, for local use). */
export async function loadRootKey(choice: RootKeyChoice, options: { create: boolean }): Promise<LoadedRootKey> {
  if (choice.rootKey !== undefined) return { keys: await parseRootKey(choice.rootKey), origin: "MATERIA_ROOT_KEY", created: false };
  if (choice.rootKeyFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(choice.rootKeyFile, "utf8");
    } catch (error) {
      throw new Error(`cannot read the root key file '${choice.rootKeyFile}': ${error instanceof Error ? error.message : String(error)}`);
    }
    return { keys: await parseRootKey(text), origin: choice.rootKeyFile, created: false };
  }
  const found = await dataDirectoryRootKey(choice.dataDirectory, options);
  const path = join(choice.dataDirectory, ROOT_KEY_FILE);
  if (found === undefined) {
    throw new Error(
      `no root key: set MATERIA_ROOT_KEY or --root-key-file, or give --data the directory where 'materia serve' created ${ROOT_KEY_FILE} (${path} does not exist)`,
    );
  }
  return { keys: await parseRootKey(found.text), origin: path, created: found.created };
}
