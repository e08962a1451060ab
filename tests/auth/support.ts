// What the auth tests share: an in-process server that authenticates with
// Biscuit tokens signed by a root key made at run time, a revocation file in
// a temporary directory, clients authenticated with a token, and a byte-exact
// picture of what the engine holds (to prove a refused command wrote nothing).
import assert from "node:assert/strict";
import { join } from "node:path";
import { Redis, type RedisOptions } from "ioredis";
import { RevocationList } from "../../src/auth/revocation_list.ts";
import { tokenAuthenticator } from "../../src/auth/token_authenticator.ts";
import type { Restriction } from "../../src/auth/token_grant.ts";
import { generateRootKey, mintToken, parseRootKey, type RootKeys } from "../../src/auth/tokens.ts";
import type { Engine } from "../../src/engine/contract.ts";
import type { MateriaServer } from "../../src/server/server.ts";
import { RawClient } from "../support/raw_client.ts";
import { TempDirs } from "../support/processes.ts";
import { startInProcess } from "../support/servers.ts";

export const NOAUTH = "-NOAUTH Authentication required.\r\n";
export const WRONGPASS = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";
export const NO_KEY_PERMISSION = "-NOPERM this user has no permissions to access one of the keys used as arguments\r\n";
export const noPermission = (command: string): string => `-NOPERM this user has no permissions to run the '${command}' command\r\n`;
export const OK = "+OK\r\n";
export const bulk = (text: string): string => `$${new TextEncoder().encode(text).length}\r\n${text}\r\n`;

export interface AuthServer {
  readonly port: number;
  readonly server: MateriaServer;
  readonly root: RootKeys;
  /** The MATERIA_REVOKED file the server reads (missing until a test writes it). */
  readonly revokedPath: string;
  mint(tenant: string, restriction?: Restriction): Promise<string>;
  stop(): Promise<void>;
}

/** A server on the memory engine (or `engine`) that requires a token; stop() also removes its directory. */
export async function startAuthServer(options: { storageQuotaBytes?: number; engine?: Engine } = {}): Promise<AuthServer> {
  const dirs = new TempDirs();
  const revokedPath = join(dirs.make("auth"), "revoked.txt");
  const root = await parseRootKey(await generateRootKey());
  const auth = await tokenAuthenticator({ root, revocations: new RevocationList(revokedPath) });
  const running = await startInProcess({ auth, storageQuotaBytes: options.storageQuotaBytes, engine: options.engine });
  return {
    port: running.port,
    server: running.server,
    root,
    revokedPath,
    mint: (tenant, restriction) => mintToken(root, tenant, restriction),
    async stop() {
      await running.stop();
      dirs.removeAll();
    },
  };
}

/** A raw client already authenticated with `token` (the AUTH reply is checked). */
export async function rawAuthed(port: number, token: string): Promise<RawClient> {
  const client = await RawClient.connect(port);
  const reply = await client.call("AUTH", token);
  if (reply !== OK) {
    client.close();
    assert.fail(`AUTH with a valid token answered ${JSON.stringify(reply)}`);
  }
  return client;
}

/** Runs `body` with a raw client authenticated with `token`, then closes it. */
export async function withRaw<T>(port: number, token: string, body: (client: RawClient) => Promise<T>): Promise<T> {
  const client = await rawAuthed(port, token);
  try {
    return await body(client);
  } finally {
    client.close();
  }
}

/** An ioredis client that authenticates with `token` as its password, connected and ready. */
export async function ioredisWith(port: number, token: string, options: RedisOptions = {}): Promise<Redis> {
  const client = new Redis({
    host: "127.0.0.1",
    port,
    password: token,
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    ...options,
  });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return client;
}

/** Runs `body` with an ioredis client authenticated with `token`, then closes it. */
export async function withIoredis<T>(port: number, token: string, body: (client: Redis) => Promise<T>, options: RedisOptions = {}): Promise<T> {
  const client = await ioredisWith(port, token, options);
  try {
    return await body(client);
  } finally {
    client.disconnect();
  }
}

/** Every engine entry, as hex "key=value" lines: equal pictures mean nothing was written. */
export async function enginePicture(server: MateriaServer): Promise<string> {
  return server.engine.read(async (tx) => {
    const entries = await tx.getRange({ start: new Uint8Array([0x00]), end: new Uint8Array([0xff]) });
    return entries.map((e) => `${hex(e.key)}=${hex(e.value)}`).join("\n");
  });
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Parses a raw RESP2 array of bulk strings (KEYS, SCAN's second element...) into its strings. */
export function bulkStrings(reply: string): string[] {
  const out: string[] = [];
  const re = /\$(\d+)\r\n/g;
  let match: RegExpExecArray | null;
  while ((match = re.exec(reply)) !== null) {
    const start = match.index + match[0].length;
    out.push(reply.slice(start, start + Number(match[1])));
    re.lastIndex = start + Number(match[1]) + 2;
  }
  return out;
}
