// The bystander of scripts/security_freezes.ts, in a worker of its own so
// that the attacking script's CPU does not count as the server's stall:
// PINGs every 5 ms and reports the worst wait when told to stop.
import { RawClient } from "../tests/support/raw_client.ts";

declare const self: { onmessage: ((event: MessageEvent) => void) | null; postMessage(message: unknown): void };

self.onmessage = async (event: MessageEvent) => {
  const { port, token } = event.data as { port: number; token: string };
  const client = await RawClient.connect(port);
  await client.call("AUTH", token);
  let worst = 0;
  let running = true;
  self.onmessage = () => (running = false);
  self.postMessage({ ready: true });
  while (running) {
    const started = performance.now();
    await client.call("PING");
    worst = Math.max(worst, performance.now() - started);
    await new Promise((r) => setTimeout(r, 5));
  }
  client.close();
  self.postMessage({ worst });
};
