// Starts a bystander worker (bystander_worker.ts) against a server and
// summarises what it waited: worst, p50 and p99 of its PINGs.
export interface BystanderReport {
  readonly pings: number;
  readonly p50: number;
  readonly p99: number;
  readonly worst: number;
}

export interface Bystander {
  stop(): Promise<BystanderReport>;
}

export async function startBystander(port: number, token?: string): Promise<Bystander> {
  const worker = new Worker(new URL("./bystander_worker.ts", import.meta.url), { type: "module" });
  const next = (): Promise<{ ready?: boolean; waits?: number[] }> => new Promise((resolve) => (worker.onmessage = (event) => resolve(event.data)));
  const ready = next();
  worker.postMessage({ port, token });
  await ready;
  return {
    async stop() {
      const done = next();
      worker.postMessage({ stop: true });
      const waits = ((await done).waits ?? []).sort((a, b) => a - b);
      worker.terminate();
      const at = (q: number) => waits[Math.min(waits.length - 1, Math.floor(q * waits.length))] ?? Number.NaN;
      return { pings: waits.length, p50: at(0.5), p99: at(0.99), worst: waits.at(-1) ?? Number.NaN };
    },
  };
}
