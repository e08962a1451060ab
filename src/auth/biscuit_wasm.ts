// Loads the Biscuit library (@biscuit-auth/biscuit-wasm) the same way on Bun
// and Deno: compile the .wasm ourselves, instantiate it against the glue's
// imports, then start it as the package's entry would. The package's own
// entry cannot be used on Bun (see biscuit_glue.js). The glue keeps one
// global wasm instance, so the library is loaded once per process.
import { readFile } from "node:fs/promises";
import * as glue from "./biscuit_glue.js";

export type BiscuitLibrary = Omit<typeof glue, "__wbg_set_wasm">;

/** Where the .wasm bytes come from; a compiled binary embeds them (adapter/bun/main.ts). */
type WasmSource = () => Promise<Uint8Array>;

const PACKAGE_WASM = new URL("../../node_modules/@biscuit-auth/biscuit-wasm/module/biscuit_bg.wasm", import.meta.url);

let wasmSource: WasmSource = async () => new Uint8Array(await readFile(PACKAGE_WASM));
let loading: Promise<BiscuitLibrary> | undefined;

/** Lets the runtime adapter supply the .wasm bytes (a single binary has no node_modules). */
export function provideBiscuitWasm(source: WasmSource): void {
  wasmSource = source;
}

/** The library, loaded on first use (17-60 ms). */
export function loadBiscuit(): Promise<BiscuitLibrary> {
  loading ??= instantiate().catch((error) => {
    loading = undefined;
    throw new Error(`cannot load the Biscuit library (@biscuit-auth/biscuit-wasm): ${messageOf(error)}; run 'npm ci'`);
  });
  return loading;
}

async function instantiate(): Promise<BiscuitLibrary> {
  const module = await WebAssembly.compile(await wasmSource() as BufferSource);
  const imports: WebAssembly.Imports = {};
  for (const { module: name } of WebAssembly.Module.imports(module)) {
    // Besides the glue, the module imports small snippets (a hash in their
    // path changes between versions); they all provide performance_now.
    imports[name] ??= name.endsWith("biscuit_bg.js") ? glue as unknown as WebAssembly.ModuleImports : { performance_now: () => performance.now() };
  }
  const instance = await WebAssembly.instantiate(module, imports);
  glue.__wbg_set_wasm(instance.exports);
  // The library prints "biscuit-wasm loading" when it starts; `materia token
  // create` must print the token alone on standard output.
  const log = console.log;
  console.log = () => {};
  try {
    (instance.exports.__wbindgen_start as () => void)();
  } finally {
    console.log = log;
  }
  return glue;
}

/** Biscuit errors are plain objects, not Errors: JSON is the readable form. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
