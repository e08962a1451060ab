// Issue 12 item 10 (output part): a client that pipelines commands and never
// reads made the server encode every reply before the output limit was
// checked (760 MB with the 256 MB limit). Now the limit is checked before a
// command runs and before a reply is encoded: past the soft limit the
// client's commands wait (closed after the soft seconds), at the hard limit
// it is closed, and the server's memory stays near the limit.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { signalServer } from "../support/processes.ts";
import { encodeCommand } from "../support/raw_client.ts";
import { runtimeName } from "../support/runtime.ts";
import { spawnServer, type ServerProcess } from "../support/servers.ts";
import { PipelinedClient } from "../robustness/pipelined_client.ts";
import { mib, rssOf, sampleRss } from "../robustness/rss.ts";

const started: ServerProcess[] = [];
after(async () => {
  for (const server of started) await signalServer(server, "SIGKILL");
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MiB = 2 ** 20;

async function serve(outputLimit: string): Promise<{ server: ServerProcess; probe: PipelinedClient }> {
  const server = await spawnServer(["--no-auth", "--engine", "memory", "--client-output-buffer-limit", outputLimit]);
  started.push(server);
  const probe = await PipelinedClient.open(server.port);
  assert.equal(await probe.call("SET", "big", "x".repeat(MiB)), "+OK\r\n");
  return { server, probe };
}

/** Opens a client that sends `command` `times` times in one write and reads none of the replies. */
async function hog(port: number, command: readonly string[], times: number): Promise<Socket> {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect({ port, host: "127.0.0.1" }, () => resolve(s));
    s.once("error", reject);
  });
  socket.on("error", () => {});
  socket.pause();
  const one = encodeCommand(command);
  const name = encodeCommand(["CLIENT", "SETNAME", "hog"]);
  const burst = new Uint8Array(name.length + one.length * times);
  burst.set(name, 0);
  for (let i = 0; i < times; i++) burst.set(one, name.length + i * one.length);
  socket.write(burst);
  return socket;
}

/** The hog's `omem` (unsent output) in CLIENT LIST, or undefined when it is gone. */
async function hogOutput(probe: PipelinedClient): Promise<number | undefined> {
  const line = (await probe.call("CLIENT", "LIST")).split("\n").find((l) => l.includes(" name=hog "));
  return line === undefined ? undefined : Number(/ omem=(\d+) /.exec(line)![1]);
}

describe("output buffer bound", () => {
  test("at the hard limit a client that never reads is closed before more replies are encoded: RSS grows by about the limit, not by what it asked for", async () => {
    const { server, probe } = await serve("16mb 0 0");
    const before = rssOf(server.child.pid!);
    const memory = sampleRss(server.child.pid!, 5);
    // COMMAND DOCS answers at once, without the engine: the old code ran all 2,000 and encoded every reply (500 MB of RSS) before checking the limit.
    const socket = await hog(server.port, ["COMMAND", "DOCS"], 2_000);
    try {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && !/closed for overcoming of output buffer limits/.test(server.output())) await sleep(20);
      await sleep(200);
      const peak = memory.stop();
      console.log(`output bound, hard 16 MiB [${runtimeName}]: 2,000 COMMAND DOCS unread; RSS ${mib(before)} before, peak ${mib(peak)}`);
      assert.match(server.output(), /closed for overcoming of output buffer limits/);
      assert.equal(await hogOutput(probe), undefined, "the hog is disconnected");
      assert.ok(peak - before < 128 * MiB, `RSS grew by ${mib(peak - before)} for a 16 MiB limit`);
    } finally {
      socket.destroy();
      probe.destroy();
    }
  });

  test("over the soft limit a client's commands wait instead of filling memory, and it is closed after the soft seconds", async () => {
    const { server, probe } = await serve("256mb 8mb 2");
    const before = rssOf(server.child.pid!);
    const memory = sampleRss(server.child.pid!, 5);
    // 600 MiB of replies asked for; the old code let them reach the 256 MiB hard limit.
    const socket = await hog(server.port, ["GET", "big"], 600);
    try {
      await sleep(1_000);
      const waiting = await hogOutput(probe);
      assert.ok(waiting !== undefined, "within the soft seconds the hog is still connected");
      // Its unsent output stops near the soft limit: a reply or two more at most (plus what the kernel holds, not counted).
      assert.ok(waiting <= 10 * MiB, `the hog's unsent output is ${waiting} bytes for an 8 MiB soft limit`);
      assert.equal(await probe.call("PING"), "+PONG\r\n");
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && (await hogOutput(probe)) !== undefined) await sleep(50);
      const peak = memory.stop();
      console.log(`output bound, soft 8 MiB [${runtimeName}]: 600 GETs of 1 MiB unread; hog omem ${mib(waiting)} while waiting; RSS ${mib(before)} before, peak ${mib(peak)}`);
      assert.equal(await hogOutput(probe), undefined, "closed once over the soft limit for its seconds");
      assert.match(server.output(), /closed for overcoming of output buffer limits/);
      assert.ok(peak - before < 80 * MiB, `RSS grew by ${mib(peak - before)} for an 8 MiB soft limit`);
    } finally {
      socket.destroy();
      probe.destroy();
    }
  });
});
