// A bystander client in a worker of its own, for the benchmarks that measure
// how one client's work stalls another's (scripts/security_freezes.ts,
// scripts/fairness_bench.ts): PINGs every 5 ms over its own connection and,
// when told to stop, reports every wait it measured. In a worker, the
// measuring script's own CPU does not count as the server's stall.
import { RawClient } from "../tests/support/raw_client.ts";

declare const self: { onmessage: ((event: MessageEvent) => void) | null; postMessage(message: unknown): void };

self.onmessage = async (event: MessageEvent) => {
  const { port, token } = event.data as { port: number; token?: string };
  const client = await RawClient.connect(port);
  if (token !== undefined) await client.call("AUTH", token);
  const waits: number[] = [];
  let running = true;
  self.onmessage = () => (running = false);
  self.postMessage({ ready: true });
  while (running) {
    const started = performance.now();
    await client.call("PING");
    waits.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 5));
  }
  client.close();
  self.postMessage({ waits });
};
