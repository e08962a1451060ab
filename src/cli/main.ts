// The `materia` command line: dispatches to a subcommand.
import type { Runtime } from "./runtime.ts";
import { envCommand } from "./env_command.ts";
import { serve } from "./serve.ts";
import { tokenCommand } from "./token_command.ts";
import { MATERIA_VERSION } from "./version.ts";

const HELP = `Usage: materia <command> [options]

A Redis-compatible key-value database whose every acknowledged write is durable.

Commands:
  serve      serve the Redis protocol (see 'materia serve --help')
  token      mint, attenuate and inspect access tokens (see 'materia token --help')
  env        print the variables a client needs for a tenant (see 'materia env --help')

Options:
  --help     show this help
  --version  print the version`;

export async function main(runtime: Runtime): Promise<number> {
  const [command, ...rest] = runtime.args;
  switch (command) {
    case undefined:
    case "--help":
    case "-h":
    case "help":
      console.log(HELP);
      return 0;
    case "--version":
    case "-v":
    case "version":
      console.log(`materia ${MATERIA_VERSION} (${runtime.name})`);
      return 0;
    case "serve":
      return serve(rest, runtime);
    case "token":
      return tokenCommand(rest, runtime);
    case "env":
      return envCommand(rest, runtime);
    default:
      console.error(`materia: unknown command '${command}'; see 'materia --help'`);
      return 2;
  }
}
