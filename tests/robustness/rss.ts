// A process's resident memory, for the robustness tests' memory bounds.
import { readFileSync } from "node:fs";

/** Resident set size of a process in bytes, from /proc (Linux); 0 when unknown. */
export function rssOf(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples a process's RSS every `everyMs` until `stop()`, which returns the peak. */
export function sampleRss(pid: number, everyMs = 25): { stop(): number; readonly peak: number } {
  let peak = rssOf(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(pid))), everyMs);
  return {
    get peak() {
      return peak;
    },
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, rssOf(pid));
      return peak;
    },
  };
}

export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
