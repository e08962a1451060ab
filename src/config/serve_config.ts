// `materia serve` settings from flags and the environment, validated once at
// start. A flag wins over its environment variable, which wins over the default.
import { parseArgs } from "node:util";

export type EngineChoice = "sqlite" | "memory";

export interface ServeConfig {
  readonly engine: EngineChoice;
  readonly dataDirectory: string;
  readonly host: string;
  readonly port: number;
  /** Off, or one static password. */
  readonly auth: { readonly mode: "off" } | { readonly mode: "password"; readonly password: string };
  readonly maxClients: number;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export const SERVE_FLAGS = {
  engine: { type: "string", env: "MATERIA_ENGINE", value: "sqlite|memory", help: "storage engine (default sqlite: durable, in --data)" },
  data: { type: "string", env: "MATERIA_DATA", value: "DIR", help: "data directory of the sqlite engine (default ./data)" },
  host: { type: "string", env: "MATERIA_HOST", value: "HOST", help: "address to listen on (default 127.0.0.1)" },
  port: { type: "string", env: "MATERIA_PORT", value: "N", help: "TCP port for RESP (default 6378; 0 picks a free one)" },
  "no-auth": { type: "boolean", env: "MATERIA_AUTH=off", value: "", help: "accept clients without AUTH (default when MATERIA_PASSWORD is unset)" },
  maxclients: { type: "string", env: "MATERIA_MAXCLIENTS", value: "N", help: "most simultaneous clients (default 10000)" },
  help: { type: "boolean", env: "", value: "", help: "show this help" },
} as const;

export type Environment = Readonly<Record<string, string | undefined>>;

export function parseServeConfig(args: readonly string[], env: Environment): ServeConfig | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: Object.fromEntries(Object.entries(SERVE_FLAGS).map(([name, flag]) => [name, { type: flag.type }])),
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError(`${error instanceof Error ? error.message : String(error)}; see 'materia serve --help'`);
  }
  if (values.help) return "help";
  const pick = (flag: keyof typeof SERVE_FLAGS, variable: string): string | undefined => {
    const value = values[flag];
    if (typeof value === "string") return value;
    const fromEnv = env[variable];
    return fromEnv === undefined || fromEnv === "" ? undefined : fromEnv;
  };

  const engine = pick("engine", "MATERIA_ENGINE") ?? "sqlite";
  if (engine !== "sqlite" && engine !== "memory") {
    throw new ConfigError(`--engine (or MATERIA_ENGINE) must be sqlite or memory, not '${engine}'`);
  }
  const port = parseInteger(pick("port", "MATERIA_PORT") ?? "6378", "--port (or MATERIA_PORT)", { min: 0, max: 65535 });
  const maxClients = parseInteger(pick("maxclients", "MATERIA_MAXCLIENTS") ?? "10000", "--maxclients (or MATERIA_MAXCLIENTS)", {
    min: 1,
    max: 1_000_000,
  });
  const authVariable = env.MATERIA_AUTH;
  if (authVariable !== undefined && authVariable !== "" && authVariable !== "off" && authVariable !== "on") {
    throw new ConfigError(`MATERIA_AUTH must be 'off' or 'on', not '${authVariable}'`);
  }
  const password = env.MATERIA_PASSWORD;
  const authOff = values["no-auth"] === true || authVariable === "off";
  if (!authOff && authVariable === "on" && !password) {
    throw new ConfigError("MATERIA_AUTH=on needs MATERIA_PASSWORD (the password clients send with AUTH)");
  }
  return {
    engine,
    dataDirectory: pick("data", "MATERIA_DATA") ?? "./data",
    host: pick("host", "MATERIA_HOST") ?? "127.0.0.1",
    port,
    auth: authOff || !password ? { mode: "off" } : { mode: "password", password },
    maxClients,
  };
}

function parseInteger(text: string, name: string, range: { min: number; max: number }): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new ConfigError(`${name} must be an integer from ${range.min} to ${range.max}, not '${text}'`);
  }
  return value;
}

export function serveHelp(): string {
  const lines = ["Usage: materia serve [options]", "", "Serves the Redis protocol over a durable engine.", "", "Options:"];
  for (const [name, flag] of Object.entries(SERVE_FLAGS)) {
    const left = `  --${name}${flag.value ? ` ${flag.value}` : ""}`;
    lines.push(`${left.padEnd(28)}${flag.help}${flag.env ? ` [env ${flag.env}]` : ""}`);
  }
  lines.push("", "Environment: MATERIA_PASSWORD sets a password that clients must send with AUTH.");
  return lines.join("\n");
}
