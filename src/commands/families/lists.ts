// Lists commands (issue 3).
import type { CommandSpec } from "../spec.ts";

export const LIST_COMMANDS: readonly CommandSpec[] = [];
