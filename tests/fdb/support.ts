// FoundationDB in tests: which libfdb_c to load (the C test double of
// tests/fdb-sim by default, a real client when FDB_CLUSTER_FILE names a real
// cluster), opening fresh engines on it, and the double's own controls
// (fault injection, counters). Test files skip with `fdbSkipReason` when no
// library can be loaded.
import { existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FdbEngine, type FdbEngineOptions } from "../../src/engine/fdb/engine.ts";
import type { FdbNativeLibrary } from "../../src/engine/fdb/fdb_c.ts";
import { isBun, projectRoot } from "../support/runtime.ts";

/** Where `npm run build:fdb-sim` puts the test double. */
export const FDB_SIM_LIBRARY = `${projectRoot}tests/fdb-sim/build/libfdb_c.so`;

/** True when the tests run against a real cluster (FDB_CLUSTER_FILE set), not the double. */
export const realCluster = (process.env.FDB_CLUSTER_FILE ?? "") !== "";

/**
 * The library tests load: FDB_LIBRARY_PATH when set; against a real cluster,
 * the system's libfdb_c.so; else the double, by path when it is built, else
 * by name (LD_LIBRARY_PATH=tests/fdb-sim/build, as npm run test:fdb-sim sets).
 */
export function testLibraryPath(): string {
  const fromEnv = process.env.FDB_LIBRARY_PATH;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  if (!realCluster && existsSync(FDB_SIM_LIBRARY)) return FDB_SIM_LIBRARY;
  return "libfdb_c.so";
}

/** A cluster file for the double, which accepts any content. */
export function testClusterFile(): string {
  if (realCluster) return process.env.FDB_CLUSTER_FILE!;
  const path = join(tmpdir(), "materia-fdb-sim.cluster");
  if (!existsSync(path)) writeFileSync(path, "materia:sim@127.0.0.1:4500\n");
  return path;
}

const DENO_ADAPTER = "../../src/adapter/deno/";
const BUN_ADAPTER = "../../src/adapter/bun/";

type LoadLibrary = (path: string) => FdbNativeLibrary;

async function adapterLoader(): Promise<LoadLibrary> {
  const module = await import(`${isBun ? BUN_ADAPTER : DENO_ADAPTER}fdb_ffi.ts`);
  return module.loadFdbLibrary as LoadLibrary;
}

let library: FdbNativeLibrary | undefined;
let loadError: string | undefined;

/** Loads the test library once (through this runtime's adapter); undefined when it cannot be loaded. */
export async function testLibrary(): Promise<FdbNativeLibrary | undefined> {
  if (library !== undefined || loadError !== undefined) return library;
  const path = testLibraryPath();
  try {
    library = (await adapterLoader())(path);
  } catch (error) {
    loadError = `no FoundationDB client library (${path}: ${error instanceof Error ? error.message : String(error)}); ` +
      "run `npm run build:fdb-sim` for the test double, or install the FoundationDB client";
  }
  return library;
}

/** Why FoundationDB tests cannot run here, or undefined when they can. */
export async function fdbSkipReason(): Promise<string | undefined> {
  await testLibrary();
  return loadError;
}

/**
 * A fresh engine on the test library: its whole user keyspace is cleared
 * first, as every other engine starts empty. Never point the tests at a
 * cluster whose data matters (scripts/test_fdb.ts checks it is empty).
 */
export async function openTestFdbEngine(options: Omit<FdbEngineOptions, "library" | "clusterFile"> = {}): Promise<FdbEngine> {
  const lib = await testLibrary();
  if (lib === undefined) throw new Error(loadError);
  const engine = await FdbEngine.open({ ...options, library: lib, clusterFile: testClusterFile() });
  await engine.write(async (tx) => tx.clearRange({ start: new Uint8Array(0), end: new Uint8Array([0xff]) }));
  return engine;
}

// ---- the double's controls (fdb_sim_* exports; not in FoundationDB) ----------

interface SimControls {
  configure(name: string, value: string): number;
  wipe(): void;
  statsJson(): string;
}

let controls: SimControls | undefined;

async function simControls(): Promise<SimControls> {
  if (controls !== undefined) return controls;
  const path = testLibraryPath();
  const z = (text: string) => new TextEncoder().encode(`${text}\0`);
  if (isBun) {
    const { dlopen, CString } = await import("bun:ffi");
    const { symbols } = dlopen(path, {
      fdb_sim_configure: { args: ["ptr", "ptr"], returns: "i32" },
      fdb_sim_wipe: { args: [], returns: "void" },
      fdb_sim_stats_json: { args: [], returns: "ptr" },
    });
    controls = {
      configure: (name, value) => symbols.fdb_sim_configure(z(name), z(value)),
      wipe: () => symbols.fdb_sim_wipe(),
      statsJson: () => new CString(symbols.fdb_sim_stats_json()!).toString(),
    };
  } else {
    // deno-lint-ignore no-explicit-any
    const Deno = (globalThis as any).Deno;
    const { symbols } = Deno.dlopen(path, {
      fdb_sim_configure: { parameters: ["buffer", "buffer"], result: "i32" },
      fdb_sim_wipe: { parameters: [], result: "void" },
      fdb_sim_stats_json: { parameters: [], result: "pointer" },
    });
    controls = {
      configure: (name, value) => symbols.fdb_sim_configure(z(name), z(value)),
      wipe: () => symbols.fdb_sim_wipe(),
      statsJson: () => Deno.UnsafePointerView.getCString(symbols.fdb_sim_stats_json()),
    };
  }
  return controls;
}

/** Sets one of the double's FDB_SIM_* settings at run time (throws on a bad name or value). */
export async function configureSim(name: string, value: string): Promise<void> {
  const code = (await simControls()).configure(name, value);
  if (code !== 0) throw new Error(`fdb_sim_configure(${name}, ${value}) failed with ${code}`);
}

/** Turns fault injection on (rate > 0) or off, with the given faults and seed. */
export async function injectFaults(options: { readonly rate: number; readonly faults?: readonly string[]; readonly seed?: number }): Promise<void> {
  await configureSim("FDB_SIM_SEED", String(options.seed ?? 1));
  if (options.faults !== undefined) await configureSim("FDB_SIM_FAULTS", options.faults.join(","));
  await configureSim("FDB_SIM_FAULT_RATE", String(options.rate));
}

/**
 * Puts fault injection back as the environment set it (FDB_SIM_FAULT_RATE,
 * FDB_SIM_FAULTS, FDB_SIM_SEED: npm run test:fdb-sim injects background
 * faults), or off. Tests that set their own faults call this when done.
 */
export async function restoreFaults(): Promise<void> {
  const env = process.env;
  await injectFaults({
    rate: Number(env.FDB_SIM_FAULT_RATE || 0),
    seed: Number(env.FDB_SIM_SEED || 1),
    faults: (env.FDB_SIM_FAULTS || "not_committed,commit_unknown_result,transaction_too_old").split(","),
  });
}

export async function simStats(): Promise<Record<string, number>> {
  return JSON.parse((await simControls()).statsJson()) as Record<string, number>;
}
