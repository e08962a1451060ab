// libfdb_c through Deno.dlopen (needs --allow-ffi): the table of
// engine/fdb/fdb_c.ts as foreign-function declarations, future callbacks
// through Deno.UnsafeCallback.threadSafe, and the network thread in a
// node:worker_threads Worker.
//
// Why a Worker rather than `nonblocking: true` on fdb_run_network: a pending
// non-blocking call keeps Deno's event loop alive for good, so no process
// using FoundationDB could end by itself; a worker_threads Worker can be
// unref'd. The Worker dlopens the same library (the loader hands back the
// loaded copy) and stays in fdb_run_network() until fdb_stop_network().
//
// Deno's thread-safe callback makes the network thread wait until the JS
// function has run, so the handler stays tiny (settle one promise).
import { Worker } from "node:worker_threads";
import { FDB_C, type FdbC, type FdbNativeLibrary, type FfiType } from "../../engine/fdb/fdb_c.ts";

const DENO_TYPES = {
  i32: "i32",
  i64: "i64",
  ptr: "usize",
  buffer: "buffer",
  fn: "usize",
  cstring: "pointer",
  void: "void",
} as const satisfies Record<FfiType, Deno.NativeResultType>;

const NETWORK_WORKER = `
const { parentPort } = require("node:worker_threads");
parentPort.once("message", (path) => {
  try {
    const lib = Deno.dlopen(path, { fdb_run_network: { parameters: [], result: "i32" } });
    parentPort.postMessage({ code: lib.symbols.fdb_run_network() });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
});
`;

// One load per path and process: the FoundationDB client is process-wide.
const loaded = new Map<string, FdbNativeLibrary>();

export function loadFdbLibrary(path: string): FdbNativeLibrary {
  let library = loaded.get(path);
  if (library === undefined) {
    library = load(path);
    loaded.set(path, library);
  }
  return library;
}

function load(path: string): FdbNativeLibrary {
  const declarations = Object.fromEntries(
    Object.entries(FDB_C).map(([name, fn]) => [name, { parameters: fn.args.map((t) => DENO_TYPES[t]), result: DENO_TYPES[fn.returns] }]),
  ) as Deno.ForeignLibraryInterface;
  const { symbols } = Deno.dlopen(path, declarations);
  const raw = symbols as unknown as Record<string, (...args: unknown[]) => unknown>;
  const c = {
    ...raw,
    fdb_get_error: (code: number) => Deno.UnsafePointerView.getCString(raw.fdb_get_error!(code) as Deno.PointerObject),
  } as unknown as FdbC;

  let handler: (param: number) => void = () => {};
  const callback = Deno.UnsafeCallback.threadSafe(
    { parameters: ["usize", "usize"], result: "void" } as const,
    (_future, param) => handler(Number(param)),
  );
  // Idle, the callback must not keep the process alive; pending futures ref it (keepAlive).
  callback.unref();

  return {
    path,
    c,
    callback: Deno.UnsafePointer.value(callback.pointer),
    onFutureReady(fn) {
      handler = fn;
    },
    copy(address, length) {
      const out = new Uint8Array(length);
      const pointer = Deno.UnsafePointer.create(BigInt(address));
      if (pointer === null) throw new Error("libfdb_c returned a NULL pointer with a nonzero length");
      new Deno.UnsafePointerView(pointer).copyInto(out);
      return out;
    },
    keepAlive(alive) {
      if (alive) callback.ref();
      else callback.unref();
    },
    runNetwork() {
      const thread = new Worker(NETWORK_WORKER, { eval: true });
      const done = new Promise<number>((resolve, reject) => {
        thread.once("message", (message: { code?: number; error?: string }) => {
          void thread.terminate();
          if (message.error !== undefined) reject(new Error(`FoundationDB network thread: ${message.error}`));
          else resolve(message.code ?? 0);
        });
      });
      thread.postMessage(path);
      thread.unref();
      return done;
    },
  };
}
