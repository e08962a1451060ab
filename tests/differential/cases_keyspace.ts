// Differential scripts for keyspace commands (issue 3). Types and step constructors: case_types.ts.
import type { DifferentialCase } from "./case_types.ts";

export const CASES: readonly DifferentialCase[] = [];

/** Commands whose COMMAND INFO (arity, flags, key positions) must equal Redis's. */
export const METADATA_COMMANDS: readonly string[] = [];
