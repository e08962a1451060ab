// The process figures INFO shows, read through node's `process`, which Bun
// and Deno both provide: the one place below which nothing reads them.
import type { ProcessHost } from "../commands/spec.ts";

export function nodeProcessHost(runtime: string): ProcessHost {
  return {
    os: `${runtime} on ${process.platform} ${process.arch}`,
    metrics() {
      const memory = process.memoryUsage();
      const cpu = process.cpuUsage();
      return { heapUsedBytes: memory.heapUsed, rssBytes: memory.rss, cpuUserMicros: cpu.user, cpuSystemMicros: cpu.system };
    },
  };
}
