// Sets commands (issue 3).
import type { CommandSpec } from "../spec.ts";

export const SET_COMMANDS: readonly CommandSpec[] = [];
