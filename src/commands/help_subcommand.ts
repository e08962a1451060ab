// The HELP subcommand of a container command (CLIENT HELP, COMMAND HELP...):
// its lines come back as status replies, as in Redis.
import { SimpleString, type Reply } from "../resp/reply.ts";
import { defineCommand, type CommandGroup, type CommandSpec } from "./spec.ts";

export function helpSubcommand(container: string, details: { group: CommandGroup; since: string; lines: readonly string[] }): CommandSpec {
  const reply: Reply = details.lines.map((line) => new SimpleString(line));
  return defineCommand({
    name: "help",
    arity: 2,
    flags: ["loading", "stale"],
    group: details.group,
    summary: `Lists the ${container.toUpperCase()} subcommands.`,
    since: details.since,
    complexity: "O(1)",
    access: "none",
    parse: () => undefined,
    exec: () => reply,
  });
}
