// Loads the Biscuit library (@biscuit-auth/biscuit-wasm) the same way on Bun
// and Deno: compile the .wasm ourselves, instantiate it against the glue's
// imports, then start it as the package's entry would. The package's own
// entry cannot be used on Bun (see biscuit_glue.js).
//
// Two kinds of instance:
// - loadBiscuit(): the process-wide one, for minting, attenuating and
//   inspecting (the CLI, the dev token). Never replaced.
// - freshBiscuit(): a private instance, for the AUTH verifier
//   (verifier_instance.ts), which throws it away when its heap gets
//   big. The library is built with wee_alloc, which never reuses much of what
//   it frees: every parse or authorization leaves 2-10 KB behind for good, and
//   the only way to get that memory back is a new instance.
import { readFile } from "node:fs/promises";
import * as glue from "./biscuit_glue.js";

export type BiscuitLibrary = Omit<typeof glue, "__wbg_set_wasm">;

/** Where the .wasm bytes come from; a compiled binary embeds them (adapter/bun/main.ts). */
type WasmSource = () => Promise<Uint8Array>;

const PACKAGE_DIR = new URL("../../node_modules/@biscuit-auth/biscuit-wasm/module/", import.meta.url);
const PACKAGE_WASM = new URL("biscuit_bg.wasm", PACKAGE_DIR);
const PACKAGE_GLUE = new URL("biscuit_bg.js", PACKAGE_DIR);

let wasmSource: WasmSource = async () => new Uint8Array(await readFile(PACKAGE_WASM));
/** Where the glue's JavaScript source comes from, for private copies; a compiled binary embeds it too. */
let glueSource: () => Promise<string> = () => readFile(PACKAGE_GLUE, "utf8");
let compiled: Promise<WebAssembly.Module> | undefined;
let loading: Promise<BiscuitLibrary> | undefined;
let copiesMade = 0;

/** Lets the runtime adapter supply the .wasm bytes and the glue's source (a single binary has no node_modules). */
export function provideBiscuitWasm(source: WasmSource, glue?: () => Promise<string>): void {
  wasmSource = source;
  if (glue !== undefined) glueSource = glue;
}

/** The process-wide library, loaded on first use (17-60 ms). */
export function loadBiscuit(): Promise<BiscuitLibrary> {
  loading ??= instantiate(glue).then((instance) => instance.lib).catch((error) => {
    loading = undefined;
    throw loadError(error);
  });
  return loading;
}

/** One private instance of the library and what its owner needs to retire it. */
export interface BiscuitInstance {
  readonly lib: BiscuitLibrary;
  /** Bytes of this instance's WebAssembly heap; it only ever grows. */
  heapBytes(): number;
  /**
   * Lets the heap be garbage collected. Objects of this instance must not be
   * used afterwards; their finalizers become no-ops instead of freeing memory
   * of an instance that is gone.
   */
  retire(): void;
}

/** A private copy of the glue: a module of its own, with its own `wasm` binding and finalizers. */
export type GlueCopy = typeof glue;

/**
 * Makes a private copy of the glue. A query string does not make a new
 * module on Bun or Deno; a data: URL does. Throws where the glue's source
 * cannot be read (a compiled binary whose adapter did not embed it).
 */
export async function privateGlue(): Promise<GlueCopy> {
  try {
    const source = await glueSource();
    return await import(`data:text/javascript;base64,${base64(`${source}\n// private copy ${++copiesMade}\n`)}`) as GlueCopy;
  } catch (error) {
    throw new Error(`cannot make a private copy of the Biscuit glue (${messageOf(error)})`);
  }
}

/**
 * A new instance bound to `copy`, replacing whatever instance the copy had.
 * Objects of that earlier instance must all have been freed explicitly: a
 * finalizer running later would free memory of the new one.
 */
export async function freshBiscuit(copy: GlueCopy): Promise<BiscuitInstance> {
  try {
    return await instantiate(copy);
  } catch (error) {
    throw loadError(error);
  }
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

async function instantiate(target: typeof glue): Promise<BiscuitInstance> {
  compiled ??= wasmSource().then((bytes) => WebAssembly.compile(bytes as BufferSource));
  const module = await compiled.catch((error) => {
    compiled = undefined;
    throw error;
  });
  const imports: WebAssembly.Imports = {};
  for (const { module: name } of WebAssembly.Module.imports(module)) {
    // Besides the glue, the module imports small snippets (a hash in their
    // path changes between versions); they all provide performance_now.
    imports[name] ??= name.endsWith("biscuit_bg.js") ? target as unknown as WebAssembly.ModuleImports : { performance_now: () => performance.now() };
  }
  const instance = await WebAssembly.instantiate(module, imports);
  const memory = instance.exports.memory as WebAssembly.Memory;
  target.__wbg_set_wasm(instance.exports);
  // The library prints "biscuit-wasm loading" when it starts; `materia token
  // create` must print the token alone on standard output.
  const log = console.log;
  console.log = () => {};
  try {
    (instance.exports.__wbindgen_start as () => void)();
  } finally {
    console.log = log;
  }
  return {
    lib: target,
    heapBytes: () => memory.buffer.byteLength,
    retire() {
      // Finalizers of objects still alive call `wasm.__wbg_*_free`: make them no-ops.
      target.__wbg_set_wasm(new Proxy({}, { get: () => () => 0 }));
      // The glue caches views of the heap; growing by zero detaches the
      // buffer they hold, so they no longer keep the heap alive.
      memory.grow(0);
    },
  };
}

function loadError(error: unknown): Error {
  return new Error(`cannot load the Biscuit library (@biscuit-auth/biscuit-wasm): ${messageOf(error)}; run 'npm ci'`);
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
