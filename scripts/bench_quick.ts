// A first side-by-side benchmark: redis-benchmark's SET and GET against
// Materia and redis-server on the same machine, in the same run, reported as
// ratios. Pairs have the same durability promise:
//   materia --engine memory  vs  redis-server --save "" --appendonly no
//   materia --engine sqlite  vs  redis-server --appendonly yes --appendfsync always
// Usage: bun scripts/bench_quick.ts [--requests 100000] [--clients 50] [--pipeline 1]
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    requests: { type: "string", default: "100000" },
    clients: { type: "string", default: "50" },
    pipeline: { type: "string", default: "1" },
    tests: { type: "string", default: "set,get" },
  },
});

const root = new URL("../", import.meta.url).pathname;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPing(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (spawnSync("redis-cli", ["-p", String(port), "PING"], { encoding: "utf8" }).stdout.trim() === "PONG") return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing answered PING on port ${port}`);
}

interface Side {
  label: string;
  start(port: number, dir: string): ChildProcess;
}

const sides: Array<[Side, Side]> = [
  [
    { label: "materia memory", start: (port) => spawn(process.execPath, [`${root}src/adapter/bun/main.ts`, "serve", "--engine", "memory", "--port", String(port)], { stdio: "ignore" }) },
    { label: "redis no persistence", start: (port, dir) => spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], { stdio: "ignore" }) },
  ],
  [
    { label: "materia sqlite", start: (port, dir) => spawn(process.execPath, [`${root}src/adapter/bun/main.ts`, "serve", "--engine", "sqlite", "--data", dir, "--port", String(port)], { stdio: "ignore" }) },
    { label: "redis appendfsync always", start: (port, dir) => spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dir], { stdio: "ignore" }) },
  ],
];

/** requests/s per test from redis-benchmark's CSV output. */
async function measure(side: Side): Promise<Map<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "materia-bench-"));
  const port = await freePort();
  const child = side.start(port, dir);
  try {
    await waitForPing(port);
    const result = spawnSync("redis-benchmark", [
      "-p", String(port), "-t", values.tests!, "-n", values.requests!, "-c", values.clients!, "-P", values.pipeline!, "--csv",
    ], { encoding: "utf8" });
    const rates = new Map<string, number>();
    for (const line of result.stdout.split("\n").slice(1)) {
      const [name, rps] = line.split(",").map((cell) => cell.replace(/"/g, ""));
      if (name && rps) rates.set(name, Number(rps));
    }
    return rates;
  } finally {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`redis-benchmark -t ${values.tests} -n ${values.requests} -c ${values.clients} -P ${values.pipeline}`);
console.log(["pair", "test", "materia req/s", "redis req/s", "ratio"].join("\t"));
for (const [materia, redis] of sides) {
  const ours = await measure(materia);
  const theirs = await measure(redis);
  for (const [test, rps] of ours) {
    const reference = theirs.get(test) ?? NaN;
    console.log([`${materia.label} / ${redis.label}`, test, rps.toFixed(0), reference.toFixed(0), (rps / reference).toFixed(2)].join("\t"));
  }
}
