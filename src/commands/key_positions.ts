// Where the keys are in a command line, from the declaration: fixed positions
// (first, last, step) or, for commands whose keys move with their arguments
// (SINTERCARD numkeys key...), the declaration's own `movableKeys`.
// Dispatch checks key sizes with it (and, later, key-prefix permissions);
// COMMAND GETKEYS reports it.
import type { CommandSpec } from "./spec.ts";

/** Indexes in argv of the key arguments. */
export function keyPositions(spec: CommandSpec, argv: readonly Uint8Array[]): number[] {
  if (spec.movableKeys) return spec.movableKeys(argv).filter((i) => i > 0 && i < argv.length);
  const keys = spec.keys;
  if (!keys || keys.first <= 0) return [];
  const last = keys.last < 0 ? argv.length + keys.last : keys.last;
  const step = Math.max(keys.step, 1);
  const positions: number[] = [];
  for (let i = keys.first; i <= last && i < argv.length; i += step) positions.push(i);
  return positions;
}

/** `writtenKeys` of a command that writes only the key at `index` of argv (SUNIONSTORE's destination, COPY's). */
export function onlyKeyAt(index: number): (argv: readonly Uint8Array[]) => readonly number[] {
  const positions = [index];
  return () => positions;
}
