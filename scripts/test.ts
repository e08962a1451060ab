// `npm test`: runs the whole suite under Bun and under Deno, and ends with
// one line `N passed, M failed` summing both runtimes. The two runtimes run at
// the same time (each runner takes one core: the suites run their files one
// after another), Bun's output as it comes and Deno's once Bun's has ended;
// `--serial` runs one after the other.
// Usage: bun scripts/test.ts [--only bun|deno] [--serial] [paths...]
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { OutputTurn } from "./support/output_turn.ts";

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  options: { only: { type: "string" }, serial: { type: "boolean" } },
  allowPositionals: true,
});

const bin = (name: string) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
const paths = positionals.length > 0 ? positionals : ["tests/"];

interface Outcome {
  passed: number;
  failed: number;
  code: number;
}

function run(label: string, command: string, args: string[], count: (output: string) => Omit<Outcome, "code">, turn: OutputTurn): Promise<Outcome> {
  return new Promise((resolve) => {
    turn.write(process.stdout, Buffer.from(`\n=== ${label}: ${command.split("/").pop()} ${args.join(" ")}\n`));
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
    let output = "";
    const forward = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
      output += chunk.toString();
      turn.write(stream, chunk);
    };
    child.stdout.on("data", forward(process.stdout));
    child.stderr.on("data", forward(process.stderr));
    // Deno colours its summary even with NO_COLOR when stdout is a pipe: strip ANSI codes before counting.
    child.on("close", (code) => resolve({ ...count(output.replace(new RegExp(String.fromCharCode(27) + "\\[[0-9;]*m", "g"), "")), code: code ?? 1 }));
  });
}

// Bun prints " 12 pass" and " 1 fail". Deno prints "ok | 3 passed (12 steps) | 1 failed (1 step)":
// tests and their describe/it steps; we add both (a describe block counts once too).
const countBun = (output: string) => ({
  passed: Number(/^\s*(\d+) pass$/m.exec(output)?.[1] ?? 0),
  failed: Number(/^\s*(\d+) fail$/m.exec(output)?.[1] ?? 0),
});
const countDeno = (output: string) => {
  const m = /(?:ok|FAILED) \| (\d+) passed(?: \((\d+) steps?\))? \| (\d+) failed(?: \((\d+) steps?\))?/.exec(output);
  const n = (i: number) => Number(m?.[i] ?? 0);
  return { passed: n(1) + n(2), failed: n(3) + n(4) };
};

const runners: Array<{ label: string; start: (turn: OutputTurn) => Promise<Outcome> }> = [];
if (values.only !== "deno") {
  const args = ["test", "--timeout", "60000", ...paths.map((p) => (p.startsWith(".") || p.startsWith("/") ? p : `./${p}`))];
  runners.push({ label: "bun", start: (turn) => run("bun", bin("bun"), args, countBun, turn) });
}
if (values.only !== "bun") {
  runners.push({ label: "deno", start: (turn) => run("deno", bin("deno"), ["test", "-A", "--no-check", ...paths], countDeno, turn) });
}

const results: Array<Outcome & { label: string }> = [];
if (values.serial) {
  for (const runner of runners) results.push({ label: runner.label, ...(await runner.start(new OutputTurn(true))) });
} else {
  const turns = runners.map((_, i) => new OutputTurn(i === 0));
  const started = runners.map((runner, i) => runner.start(turns[i]!));
  for (let i = 0; i < runners.length; i++) {
    turns[i]!.goLive();
    results.push({ label: runners[i]!.label, ...(await started[i]!) });
  }
}

let passed = 0;
let failed = 0;
for (const r of results) {
  // A runner that crashed without counting still fails the run.
  const crashed = r.code !== 0 && r.failed === 0 ? 1 : 0;
  console.log(`${r.label}: ${r.passed} passed, ${r.failed + crashed} failed${crashed ? ` (exit code ${r.code})` : ""}`);
  passed += r.passed;
  failed += r.failed + crashed;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
