// Differential scenarios with several clients: what one client's command does
// to another's (a push that serves a blocked BLPOP, CLIENT UNBLOCK, a
// disconnect), which the one-connection cases of case_types.ts cannot say.
// A scenario runs on fresh connections after FLUSHALL, its steps in order,
// against redis-server and against Materia; the replies (and timing
// verdicts) must be byte-identical. Recorded like the other cases
// (scripts/record_differential.ts), so the scenarios also run without
// redis-server.
//
// Steps, each for client `c` (0, 1, ...) unless it says otherwise:
//   { c, call }            send a command and read its reply (compared)
//   { c, send }            send a command and read nothing yet (a blocking one)
//   { c, read }            read the reply of an earlier `send` (compared);
//                          `within: [min, max]` also checks the ms since that send
//   { c, silent: ms }      no reply arrives within ms (the client stays blocked)
//   { blocked: n }         wait until INFO clients says n blocked clients, so
//                          that the order clients block in is the order sent
//   { c, close: true }     close the client's connection
//   { sleep: ms }
// An argument may be a function of the values saved so far (`save` on a
// call: CLIENT ID, whose value differs between servers and is masked).
import { encodeCommand, RawClient } from "../support/raw_client.ts";
import { maskInteger, show } from "./compare.ts";
import type { Observation } from "./observe.ts";

export type ScenarioArg = string | ((saved: Readonly<Record<string, string>>) => string);

export type ScenarioStep =
  | { readonly c: number; readonly call: readonly ScenarioArg[]; readonly save?: string }
  | { readonly c: number; readonly send: readonly ScenarioArg[] }
  | { readonly c: number; readonly read: true; readonly within?: readonly [number, number] }
  | { readonly c: number; readonly silent: number }
  | { readonly c: number; readonly close: true }
  | { readonly blocked: number }
  | { readonly sleep: number };

export interface Scenario {
  readonly name: string;
  /** How many clients it uses. */
  readonly clients: number;
  /** Clients that switch to RESP3 (HELLO 3, not compared) before the steps. */
  readonly resp3?: readonly number[];
  readonly steps: readonly ScenarioStep[];
}

/** Step builders, shared by the families' scenarios. */
export const call = (c: number, ...argv: string[]): ScenarioStep => ({ c, call: argv });
export const send = (c: number, ...argv: string[]): ScenarioStep => ({ c, send: argv });
export const read = (c: number, within?: readonly [number, number]): ScenarioStep => (within ? { c, read: true, within } : { c, read: true });
export const silent = (c: number, ms = 150): ScenarioStep => ({ c, silent: ms });
export const blocked = (n: number): ScenarioStep => ({ blocked: n });

/** A scenario's key in the recording (recorded/, beside the one-connection cases). */
export function scenarioKey(scenario: Scenario): string {
  return `scenario: ${scenario.name}`;
}

const REPLY_TIMEOUT_MS = 3_000;
const BLOCKED_TIMEOUT_MS = 3_000;

function argText(arg: ScenarioArg): string {
  return typeof arg === "function" ? "<saved>" : arg.length > 40 ? `<${arg.length} chars>` : JSON.stringify(arg);
}

function describe(argv: readonly ScenarioArg[]): string {
  return argv.map(argText).join(" ");
}

/** The number of blocked clients INFO reports on `control`. */
async function blockedClients(control: RawClient): Promise<number> {
  const reply = await control.call("INFO", "clients");
  const match = /blocked_clients:(\d+)/.exec(reply);
  return match ? Number(match[1]) : -1;
}

/** Runs a scenario on the server at `port`: one observation per compared step. */
export async function runScenario(port: number, scenario: Scenario): Promise<Observation[]> {
  const control = await RawClient.connect(port);
  const clients: RawClient[] = [];
  try {
    const flushed = await control.call("FLUSHALL");
    if (flushed !== "+OK\r\n") throw new Error(`FLUSHALL on port ${port} answered ${show(flushed)}`);
    for (let i = 0; i < scenario.clients; i++) {
      const client = await RawClient.connect(port);
      if (scenario.resp3?.includes(i)) await client.call("HELLO", "3");
      clients.push(client);
    }
    const saved: Record<string, string> = {};
    const sentAt: number[] = [];
    const observations: Observation[] = [];
    const args = (argv: readonly ScenarioArg[]) => argv.map((arg) => (typeof arg === "function" ? arg(saved) : arg));
    for (const step of scenario.steps) {
      if ("sleep" in step) {
        await new Promise((resolve) => setTimeout(resolve, step.sleep));
        continue;
      }
      if ("blocked" in step) {
        const deadline = Date.now() + BLOCKED_TIMEOUT_MS;
        let now = await blockedClients(control);
        while (now !== step.blocked && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          now = await blockedClients(control);
        }
        // Observed only when it failed, so that a scenario's labels do not depend on it.
        if (now !== step.blocked) observations.push({ label: `blocked clients: ${step.blocked}`, bytes: `<${now} after ${BLOCKED_TIMEOUT_MS} ms>` });
        continue;
      }
      const client = clients[step.c]!;
      if ("close" in step) {
        client.close();
        continue;
      }
      if ("send" in step) {
        sentAt[step.c] = Date.now();
        client.writeRaw(encodeCommand(args(step.send)));
        continue;
      }
      if ("call" in step) {
        const label = `c${step.c} ${describe(step.call)}`;
        let bytes: string;
        try {
          bytes = await client.call(...args(step.call));
          if (step.save !== undefined) {
            saved[step.save] = /^:(-?\d+)\r\n$/.exec(bytes)?.[1] ?? "";
            bytes = maskInteger(bytes);
          }
        } catch (error) {
          bytes = `<${(error as Error).message}>`;
        }
        observations.push({ label, bytes });
        continue;
      }
      if ("read" in step) {
        const range = step.within;
        const label = `c${step.c} reply${range ? ` within ${range[0]}-${range[1]} ms` : ""}`;
        let bytes: string;
        try {
          bytes = await client.readReply(REPLY_TIMEOUT_MS);
          if (range) {
            const elapsed = Date.now() - sentAt[step.c]!;
            bytes += elapsed >= range[0] && elapsed <= range[1] ? " <in time>" : ` <after ${elapsed} ms>`;
          }
        } catch (error) {
          bytes = `<${(error as Error).message}>`;
        }
        observations.push({ label, bytes });
        continue;
      }
      const label = `c${step.c} no reply for ${step.silent} ms`;
      let bytes = "<none>";
      try {
        bytes = await client.readReply(step.silent);
      } catch {
        // Nothing came: what the step expects.
      }
      observations.push({ label, bytes });
    }
    return observations;
  } finally {
    for (const client of clients) client.close();
    control.close();
  }
}
