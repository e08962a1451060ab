import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findBoundaryViolations } from "../scripts/check_boundaries.ts";

test("src/ respects the layering of DESIGN.md", () => {
  assert.deepEqual(findBoundaryViolations(), []);
});

test("the boundary check reports a layer importing upwards, runtime code outside adapter/, and imports of adapter/", () => {
  const root = mkdtempSync(join(tmpdir(), "materia-boundaries-"));
  try {
    for (const dir of ["resp", "model", "commands", "adapter"]) mkdirSync(join(root, dir));
    writeFileSync(join(root, "resp", "a.ts"), 'import { x } from "../model/b.ts";\n');
    writeFileSync(join(root, "model", "b.ts"), "export const x = Bun.version;\n");
    writeFileSync(join(root, "commands", "c.ts"), 'import "../adapter/d.ts";\nexport { y } from "../adapter/d.ts";\n');
    writeFileSync(join(root, "adapter", "d.ts"), "export const y = Deno.pid;\n");
    const found = findBoundaryViolations(root).join("\n");
    assert.match(found, /resp\/a\.ts: layer 'resp' may not import from 'model'/);
    assert.match(found, /model\/b\.ts: runtime-specific code/);
    assert.equal(found.match(/commands\/c\.ts: layer 'commands' may not import from 'adapter'/g)?.length, 2);
    assert.doesNotMatch(found, /adapter\/d\.ts:/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
