// libfdb_c through bun:ffi: the table of engine/fdb/fdb_c.ts as dlopen
// declarations, future callbacks through a thread-safe JSCallback, and the
// network thread in a Worker.
//
// bun:ffi has no non-blocking call, and fdb_run_network() blocks until the
// network stops, so a Worker calls it: the Worker dlopens the same library
// (the loader hands back the already-loaded copy, with its global state) and
// stays in native code until fdb_stop_network(). The Worker's code is inline
// (a Blob URL), so `bun build --compile` needs no extra entry point.
import { dlopen, JSCallback, toArrayBuffer } from "bun:ffi";
import { FDB_C, type FdbC, type FdbNativeLibrary, type FfiType } from "../../engine/fdb/fdb_c.ts";

const BUN_TYPES = {
  i32: "i32",
  i64: "i64",
  ptr: "ptr",
  buffer: "ptr",
  fn: "ptr",
  cstring: "cstring",
  void: "void",
} as const satisfies Record<FfiType, string>;

const NETWORK_WORKER = `
import { dlopen } from "bun:ffi";
self.onmessage = (event) => {
  try {
    const lib = dlopen(event.data, { fdb_run_network: { args: [], returns: "i32" } });
    postMessage({ code: lib.symbols.fdb_run_network() });
  } catch (error) {
    postMessage({ error: String(error && error.message || error) });
  }
};
`;

/** Bun's Worker, which (unlike the DOM's) can be told not to keep the process alive. */
type RefWorker = Worker & { ref(): void; unref(): void };

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
    Object.entries(FDB_C).map(([name, fn]) => [name, { args: fn.args.map((t) => BUN_TYPES[t]), returns: BUN_TYPES[fn.returns] }]),
  );
  const { symbols } = dlopen(path, declarations);
  const raw = symbols as unknown as Record<string, (...args: unknown[]) => unknown>;
  const c = { ...raw, fdb_get_error: (code: number) => String(raw.fdb_get_error!(code)) } as unknown as FdbC;

  let handler: (param: number) => void = () => {};
  const callback = new JSCallback((_future: number, param: number) => handler(param), {
    args: ["ptr", "ptr"],
    returns: "void",
    threadsafe: true,
  });

  let worker: RefWorker | undefined;
  return {
    path,
    c,
    callback: callback.ptr,
    onFutureReady(fn) {
      handler = fn;
    },
    copy(address, length) {
      return new Uint8Array(toArrayBuffer(Number(address), 0, length)).slice();
    },
    keepAlive(alive) {
      if (alive) worker?.ref();
      else worker?.unref();
    },
    runNetwork() {
      const url = URL.createObjectURL(new Blob([NETWORK_WORKER], { type: "application/javascript" }));
      const thread = new Worker(url) as RefWorker;
      worker = thread;
      const done = new Promise<number>((resolve, reject) => {
        thread.addEventListener("message", (event: MessageEvent<{ code?: number; error?: string }>) => {
          thread.terminate();
          URL.revokeObjectURL(url);
          if (event.data.error !== undefined) reject(new Error(`FoundationDB network thread: ${event.data.error}`));
          else resolve(event.data.code ?? 0);
        });
      });
      thread.postMessage(path);
      // Idle, the network thread must not keep the process alive; pending futures ref it (keepAlive).
      thread.unref();
      return done;
    },
  };
}
