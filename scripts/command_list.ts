// The README's command list, generated from the command table.
// Usage: bun scripts/command_list.ts          print the list
//        bun scripts/command_list.ts --write  rewrite it inside README.md
import { readFileSync, writeFileSync } from "node:fs";
import { ALL_COMMANDS } from "../src/commands/table.ts";

const START = /<!-- commands:start[^>]*-->/;
const END = "<!-- commands:end -->";
const README = new URL("../README.md", import.meta.url).pathname;

/** One line per group: `**string**: APPEND, DECR, ...`. */
export function commandListMarkdown(): string {
  const byGroup = new Map<string, string[]>();
  for (const spec of ALL_COMMANDS) {
    // A container with many subcommands (CLUSTER) is one entry, so the list stays readable.
    const names = !spec.subcommands
      ? [spec.name.toUpperCase()]
      : spec.subcommands.length > 12
      ? [`${spec.name.toUpperCase()} (${spec.subcommands.length} subcommands)`]
      : spec.subcommands.map((sub) => `${spec.name} ${sub.name}`.toUpperCase());
    if (spec.subcommands && spec.arity === -1) names.unshift(spec.name.toUpperCase());
    byGroup.set(spec.group, [...(byGroup.get(spec.group) ?? []), ...names]);
  }
  return [...byGroup.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([group, names]) => `- **${group}**: ${names.sort().join(", ")}`)
    .join("\n");
}

/** README.md's text with the generated list between the markers. */
export function readmeWithCommandList(readme: string): string {
  const start = START.exec(readme);
  const end = readme.indexOf(END);
  if (!start || end < 0) throw new Error("README.md lacks the commands:start / commands:end markers");
  return readme.slice(0, start.index + start[0].length) + "\n" + commandListMarkdown() + "\n" + readme.slice(end);
}

if (import.meta.main) {
  if (process.argv.includes("--write")) {
    writeFileSync(README, readmeWithCommandList(readFileSync(README, "utf8")));
    console.log("README.md command list updated");
  } else {
    console.log(commandListMarkdown());
  }
}
