// Types of biscuit_glue.js: the package's own typings, plus the two hooks
// the loader wires the wasm instance with.
export * from "@biscuit-auth/biscuit-wasm";
export function __wbg_set_wasm(exports: unknown): void;
