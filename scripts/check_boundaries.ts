// Checks the layering of DESIGN.md: a module imports only from layers below
// it, nothing imports adapter/, resp/ imports nothing of ours, and only
// adapter/ touches Bun.*, Deno.* or runtime-specific modules.
// Usage: bun scripts/check_boundaries.ts   (exit 1 and one line per violation)
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";

const SRC = resolve(new URL("../src", import.meta.url).pathname);

/** For each top-level folder of src/, the folders it may import from (itself included). */
const ALLOWED: Record<string, readonly string[]> = {
  resp: ["resp"],
  engine: ["engine"],
  auth: ["auth"],
  config: ["config"],
  // Lua-side sources of scripting (src/scripting/lua/): plain strings, no imports yet.
  scripting: ["scripting"],
  model: ["model", "engine"],
  // The protocol-free core: no RESP, no sockets, no commands table.
  core: ["core", "model", "engine", "auth"],
  commands: ["commands", "scripting", "core", "model", "engine", "resp", "auth"],
  server: ["server", "commands", "scripting", "core", "model", "engine", "resp", "auth"],
  cli: ["cli", "server", "commands", "scripting", "core", "model", "engine", "resp", "auth", "config"],
  adapter: ["adapter", "cli", "server", "commands", "scripting", "core", "model", "engine", "resp", "auth", "config"],
};

const RUNTIME_ONLY = [
  /\bBun\.\w/,
  /\bDeno\.\w/,
  /from\s+["']bun:/,
  /from\s+["']node:sqlite["']/,
  /from\s+["']bun["']/,
  // The process and the platform reach the layers below through ports the adapters fill (ProcessHost, Runtime).
  /\bprocess\.\w/,
  /\bnavigator\.\w/,
];

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (path.endsWith(".ts")) yield path;
  }
}

/** Every violation under `srcDir`, one line each. */
export function findBoundaryViolations(srcDir: string = SRC): string[] {
  const violations: string[] = [];
  for (const file of files(srcDir)) {
  const layer = relative(srcDir, file).split("/")[0]!;
  const allowed = ALLOWED[layer];
  const source = readFileSync(file, "utf8");
  const where = relative(resolve(srcDir, ".."), file);
  if (!allowed) {
    violations.push(`${where}: folder src/${layer} has no place in the layer table of scripts/check_boundaries.ts`);
    continue;
  }
  for (const match of source.matchAll(/(?:import|export)\s[^"';]*?from\s+["']([^"']+)["']|import\s*\(?\s*["']([^"']+)["']/g)) {
    const specifier = match[1] ?? match[2]!;
    // Packages are not layers; a path into node_modules reaches a file a package does not export.
    if (!specifier.startsWith(".") || specifier.includes("/node_modules/")) continue;
    const target = relative(srcDir, resolve(dirname(file), specifier));
    if (target.startsWith("..")) {
      violations.push(`${where}: imports '${specifier}', outside src/`);
      continue;
    }
    const targetLayer = target.split("/")[0]!;
    if (!allowed.includes(targetLayer)) {
      violations.push(`${where}: layer '${layer}' may not import from '${targetLayer}' ('${specifier}')`);
    }
  }
  if (layer !== "adapter") {
    const code = source.replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
    for (const pattern of RUNTIME_ONLY) {
      if (pattern.test(code)) violations.push(`${where}: runtime-specific code (${pattern.source}) belongs in src/adapter/`);
    }
  }
}
  return violations;
}

if (import.meta.main) {
  const violations = findBoundaryViolations();
  if (violations.length > 0) {
    console.error(violations.join("\n"));
    console.error(`${violations.length} boundary violation(s); see the layer table in scripts/check_boundaries.ts and DESIGN.md`);
    process.exit(1);
  }
  console.log("boundaries ok");
}
