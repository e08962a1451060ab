/* @ts-self-types="./biscuit_glue.d.ts" */
// The wasm-bindgen glue of @biscuit-auth/biscuit-wasm, reached by file path.
// The package's entry imports its .wasm as an ES module, which Bun cannot do
// (`wasm.__wbindgen_start is not a function`), and its exports map hides the
// glue. A static import keeps it inside `bun build --compile` binaries.
export * from "../../node_modules/@biscuit-auth/biscuit-wasm/module/biscuit_bg.js";
