// Hashes commands (issue 3).
import type { CommandSpec } from "../spec.ts";

export const HASH_COMMANDS: readonly CommandSpec[] = [];
