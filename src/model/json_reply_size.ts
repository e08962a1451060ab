// How many bytes the JSON text of a value will take, counted without building
// it and given up as soon as it passes a limit. Matches of a `$..*` query
// overlap (each ancestor contains its descendants), so a 5 MB document can
// select gigabytes of text; JSON.GET checks the size before serializing.
import type { Format, Json } from "./json_path.ts";

/** The serialized length of `value` under `format` (strings counted without escapes), or Infinity once it passes `limit`. */
export function serializedSize(value: Json, format: Format, limit: number): number {
  let total = 0;
  const pending: Array<[Json, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [v, level] = pending.pop()!;
    if (v === null || typeof v !== "object") total += typeof v === "string" ? v.length + 2 : String(v).length;
    else {
      const children = Array.isArray(v) ? v : Object.values(v);
      total += 2;
      if (children.length > 0) {
        // Each child: its line break and indent (and a comma); the closing bracket's line break and indent.
        total += children.length * (format.newline.length + format.indent.length * (level + 1) + 1);
        total += format.newline.length + format.indent.length * level;
        if (!Array.isArray(v)) for (const k of Object.keys(v)) total += k.length + 3 + format.space.length;
        for (const child of children) pending.push([child, level + 1]);
      }
    }
    if (total > limit) return Infinity;
  }
  return total;
}
