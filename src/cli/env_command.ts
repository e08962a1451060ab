// `materia env TENANT`: mints a token and prints the variables a client
// needs, named as the Materia KV docs name them, so that
//   source <(materia env kv_demo)
//   redis-cli -h $KV_HOST -p $KV_PORT --tls
// connects (redis-cli reads REDISCLI_AUTH itself).
import { parseArgs } from "node:util";
import { messageOf } from "../auth/biscuit_wasm.ts";
import { mintToken } from "../auth/tokens.ts";
import { parseExpiry } from "../auth/token_grant.ts";
import { loadRootKey } from "./root_key_source.ts";
import type { Runtime } from "./runtime.ts";

const HELP = `Usage: materia env TENANT [options]

Mints a token for TENANT and prints the client variables: KV_HOST, KV_PORT, KV_TOKEN,
REDIS_HOST, REDIS_PORT, REDIS_PASSWORD, REDIS_CLI_URL, REDISCLI_AUTH.

Options:
  --data DIR             data directory holding root.key (default ./data) [env MATERIA_DATA]
  --root-key-file FILE   root private key file [env MATERIA_ROOT_KEY_FILE]
  --host HOST            host clients connect to (default 127.0.0.1) [env MATERIA_PUBLIC_HOST]
  --port N               port clients connect to, the TLS port (default 6379) [env MATERIA_PUBLIC_PORT]
  --read-only, --prefix P, --expires D   restrict the token (as 'materia token create')
  --format shell|fish|json               output format (default shell)`;

const OPTIONS = {
  data: { type: "string" },
  "root-key-file": { type: "string" },
  host: { type: "string" },
  port: { type: "string" },
  "read-only": { type: "boolean" },
  prefix: { type: "string", multiple: true },
  expires: { type: "string" },
  format: { type: "string" },
  help: { type: "boolean" },
} as const;

export async function envCommand(args: readonly string[], runtime: Runtime): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`materia env: ${messageOf(error)}; see 'materia env --help'`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const [tenant, ...extra] = positionals;
  if (tenant === undefined || extra.length > 0) {
    console.error("materia env: give exactly one TENANT; see 'materia env --help'");
    return 2;
  }
  const format = values.format ?? "shell";
  if (format !== "shell" && format !== "fish" && format !== "json") {
    console.error(`materia env: --format must be shell, fish or json, not '${format}'`);
    return 2;
  }
  try {
    const root = await loadRootKey({
      rootKey: runtime.env.MATERIA_ROOT_KEY || undefined,
      rootKeyFile: values["root-key-file"] ?? (runtime.env.MATERIA_ROOT_KEY_FILE || undefined),
      dataDirectory: values.data ?? (runtime.env.MATERIA_DATA || "./data"),
    }, { create: false });
    const token = await mintToken(root.keys, tenant, {
      readOnly: values["read-only"] === true,
      prefixes: values.prefix ?? [],
      expiresAt: values.expires === undefined ? undefined : parseExpiry(values.expires, Date.now()),
    });
    const host = values.host ?? (runtime.env.MATERIA_PUBLIC_HOST || "127.0.0.1");
    const port = values.port ?? (runtime.env.MATERIA_PUBLIC_PORT || "6379");
    if (!/^\d{1,5}$/.test(port)) throw new Error(`--port must be a port number, not '${port}'`);
    const variables: Record<string, string> = {
      KV_HOST: host,
      KV_PORT: port,
      KV_TOKEN: token,
      REDIS_HOST: host,
      REDIS_PORT: port,
      REDIS_PASSWORD: token,
      REDIS_CLI_URL: `rediss://:${token}@${host}:${port}`,
      REDISCLI_AUTH: token,
    };
    console.log(render(variables, format));
    return 0;
  } catch (error) {
    console.error(`materia env: ${messageOf(error)}`);
    return 1;
  }
}

function render(variables: Record<string, string>, format: "shell" | "fish" | "json"): string {
  if (format === "json") return JSON.stringify(variables, null, 2);
  const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
  return Object.entries(variables)
    .map(([name, value]) => (format === "fish" ? `set -gx ${name} ${quote(value)};` : `export ${name}=${quote(value)}`))
    .join("\n");
}
