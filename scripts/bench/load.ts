// The load: redis-benchmark runs (parsed from --csv) and bulk loading of keys
// with `redis-cli --pipe`, the same programs against both servers.
import { spawn } from "node:child_process";
import type { RunningServer } from "./servers.ts";

/** One redis-benchmark test's result: requests per second and latency percentiles in ms. */
export interface Sample {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
}

export interface BenchmarkRun {
  /** redis-benchmark -t list, e.g. "set,get"; ignored when `command` is given. */
  readonly tests: string;
  /**
   * An arbitrary command instead of -t (redis-benchmark replaces each
   * `__rand_int__` with its own random number below `keyspace`). Its one
   * result is named `tests`, not the command line redis-benchmark prints.
   */
  readonly command?: readonly string[];
  readonly requests: number;
  readonly clients: number;
  readonly pipeline: number;
  readonly dataBytes: number;
  /** -r: keys drawn at random from this many (key:000000000000 ...). */
  readonly keyspace?: number;
}

/**
 * Parses redis-benchmark 7's --csv output:
 * "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
 */
export function parseBenchmarkCsv(text: string): Map<string, Sample> {
  const samples = new Map<string, Sample>();
  const lines = text.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  const header = lines[0]?.split(",").map(unquote) ?? [];
  const column = (name: string): number => header.indexOf(name);
  const [rps, p50, p99] = [column("rps"), column("p50_latency_ms"), column("p99_latency_ms")];
  if (column("test") !== 0 || rps < 0 || p50 < 0 || p99 < 0) return samples;
  for (const line of lines.slice(1)) {
    // Test names have no commas ("MSET (10 keys)"), so a plain split is enough.
    const cells = line.split(",").map(unquote);
    const name = cells[0];
    if (name === undefined || name === "") continue;
    samples.set(name, { rps: Number(cells[rps]), p50: Number(cells[p50]), p99: Number(cells[p99]) });
  }
  return samples;
}

function unquote(cell: string): string {
  return cell.trim().replace(/^"|"$/g, "");
}

export function benchmarkArgs(server: RunningServer, run: BenchmarkRun): string[] {
  const args = [
    "-h", "127.0.0.1", "-p", String(server.port),
    ...(run.command === undefined ? ["-t", run.tests] : []),
    "-n", String(run.requests), "-c", String(run.clients), "-P", String(run.pipeline),
    "-d", String(run.dataBytes), "--csv",
  ];
  if (run.keyspace !== undefined) args.push("-r", String(run.keyspace));
  if (server.secret !== undefined) args.push("-a", server.secret);
  // The command goes last: redis-benchmark takes the rest of the line as its arguments.
  if (run.command !== undefined) args.push(...run.command);
  return args;
}

function what(run: BenchmarkRun): string {
  return run.command === undefined ? `-t ${run.tests}` : run.command.join(" ");
}

/** Runs redis-benchmark once; throws with its output when it fails or prints no result. */
export function runBenchmark(server: RunningServer, run: BenchmarkRun, timeoutMs: number): Promise<Map<string, Sample>> {
  return new Promise((resolve, reject) => {
    const child = spawn("redis-benchmark", benchmarkArgs(server, run), { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`redis-benchmark ${what(run)} did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      let samples = parseBenchmarkCsv(stdout);
      if (run.command !== undefined && samples.size === 1) samples = new Map([[run.tests, [...samples.values()][0]!]]);
      const expected = run.command !== undefined ? 1 : run.tests.split(",").length;
      if (code === 0 && samples.size >= expected) {
        resolve(samples);
        return;
      }
      const why = (stderr.trim() || stdout.trim()).split("\n").slice(-3).join(" / ");
      reject(new Error(`redis-benchmark ${what(run)} failed (exit ${code}): ${why || "no output"}`));
    });
  });
}

/** The key redis-benchmark's `-r` produces for `n`: "key:" and 12 digits. */
export function benchmarkKey(n: number): string {
  return `key:${String(n).padStart(12, "0")}`;
}

/**
 * SETs key:<from> .. key:<to - 1> (redis-benchmark's -r key names) to
 * `valueBytes`-byte values with `redis-cli --pipe`. Resolves with the keys
 * per second.
 */
export async function preloadKeys(server: RunningServer, range: { from: number; to: number }, valueBytes: number): Promise<number> {
  const value = "v".repeat(valueBytes);
  const seconds = await pipeCommands(server, range.to - range.from, (n) => {
    const key = benchmarkKey(range.from + n);
    return `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${valueBytes}\r\n${value}\r\n`;
  });
  return (range.to - range.from) / seconds;
}

/**
 * Sends `count` commands (`encode(n)` gives the n-th, RESP-encoded) with
 * `redis-cli --pipe`, which pipelines them and counts error replies; throws
 * unless every reply came back without error. Resolves with the seconds taken.
 */
export async function pipeCommands(server: RunningServer, count: number, encode: (n: number) => string): Promise<number> {
  const args = ["-h", "127.0.0.1", "-p", String(server.port), "--pipe", "--pipe-timeout", "300"];
  if (server.secret !== undefined) args.push("--no-auth-warning", "-a", server.secret);
  const child = spawn("redis-cli", args, { stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000)));
  child.stderr.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000)));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => resolve(code));
  });
  const started = performance.now();
  const stdin = child.stdin;
  const BATCH = 1000;
  for (let at = 0; at < count; at += BATCH) {
    let chunk = "";
    for (let n = at; n < Math.min(at + BATCH, count); n++) chunk += encode(n);
    if (!stdin.write(chunk)) await new Promise<void>((resolve) => stdin.once("drain", () => resolve()));
  }
  stdin.end();
  const code = await exited;
  const seconds = (performance.now() - started) / 1000;
  const match = /errors:\s*(\d+),\s*replies:\s*(\d+)/.exec(output);
  if (code !== 0 || match === null || match[1] !== "0") {
    throw new Error(`redis-cli --pipe into ${server.spec.id} failed (exit ${code}): ${output.trim()}`);
  }
  return seconds;
}
