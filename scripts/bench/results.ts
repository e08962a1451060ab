// What a benchmark run produces: medians per row, the printed table, and the
// JSON written to bench-results/.
import type { Sample } from "./load.ts";

/** One line of the table: a workload on one pair, Materia against Redis. */
export interface Row {
  /** "memory" or "sqlite". */
  readonly pair: string;
  /** Stable id: "<workload>:<redis-benchmark test>", e.g. "p1:SET". */
  readonly id: string;
  readonly label: string;
  /** Least acceptable Materia/Redis ops/s ratio, when the issue sets one. */
  readonly target?: number;
  readonly materia: Sample[];
  readonly redis: Sample[];
  /** Why the row has no figures, when a side failed or was skipped. */
  note?: string;
}

export interface Summary {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly runs: number;
}

export interface MemoryPoint {
  readonly pair: string;
  readonly keys: number;
  readonly materiaRssBytes: number;
  readonly redisRssBytes: number;
  readonly materiaDiskBytes: number;
  readonly redisDiskBytes: number;
}

export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Medians of each figure on its own (the median run for ops/s need not be the median run for p99). */
export function summarize(samples: readonly Sample[]): Summary {
  return {
    rps: median(samples.map((s) => s.rps)),
    p50: median(samples.map((s) => s.p50)),
    p99: median(samples.map((s) => s.p99)),
    runs: samples.length,
  };
}

export function ratioOf(row: Row): number {
  return summarize(row.materia).rps / summarize(row.redis).rps;
}

export function formatRate(rps: number): string {
  if (!Number.isFinite(rps)) return "-";
  return rps >= 100_000 ? `${(rps / 1000).toFixed(0)}k` : rps >= 1000 ? `${(rps / 1000).toFixed(1)}k` : rps.toFixed(0);
}

function formatMs(ms: number): string {
  return Number.isFinite(ms) ? ms.toFixed(ms < 10 ? 2 : 1) : "-";
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "-";
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GiB` : `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
}

function verdict(ratio: number, target: number | undefined): string {
  if (target === undefined) return "";
  if (!Number.isFinite(ratio)) return `≥${target.toFixed(2)} ?`;
  return `≥${target.toFixed(2)} ${ratio >= target ? "ok" : "MISS"}`;
}

/** Plain-text table, one row per line, columns padded. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function comparisonTable(rows: readonly Row[]): string {
  const header = ["pair", "workload", "Materia ops/s", "p50 ms", "p99 ms", "Redis ops/s", "p50 ms", "p99 ms", "ratio", "target"];
  const cells = rows.map((row) => {
    const m = summarize(row.materia);
    const r = summarize(row.redis);
    const ratio = m.rps / r.rps;
    return [
      row.pair, row.label,
      formatRate(m.rps), formatMs(m.p50), formatMs(m.p99),
      formatRate(r.rps), formatMs(r.p50), formatMs(r.p99),
      Number.isFinite(ratio) ? ratio.toFixed(2) : "-", row.note === undefined ? verdict(ratio, row.target) : row.note.slice(0, 48),
    ];
  });
  return renderTable(header, cells, new Set([2, 3, 4, 5, 6, 7, 8]));
}

export function memoryTable(points: readonly MemoryPoint[]): string {
  const header = ["pair", "keys", "Materia RSS", "Redis RSS", "Materia on disk", "Redis on disk"];
  const cells = points.map((p) => [
    p.pair, p.keys.toLocaleString("en-US"), formatBytes(p.materiaRssBytes), formatBytes(p.redisRssBytes),
    formatBytes(p.materiaDiskBytes), formatBytes(p.redisDiskBytes),
  ]);
  return renderTable(header, cells, new Set([1, 2, 3, 4, 5]));
}
