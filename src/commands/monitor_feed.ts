// MONITOR's lines, as Redis 7.0 prints them (replicationFeedMonitors):
//   +1700000000.123456 [0 127.0.0.1:50000] "SET" "k" "v"
// `[db lua]` for a command run by a script. Arguments are quoted the way
// Redis's sdscatrepr quotes them, and those a command declares secret
// (`redactedArguments`: AUTH's password...) are shown as "(redacted)".
// Every function here runs only while some client monitors
// (`server.monitors.active`), so the command path pays one check otherwise.
import { SimpleString } from "../resp/reply.ts";
import type { CommandSpec, ServerServices, Session } from "./spec.ts";

const REDACTED = "(redacted)";

/** How a command shows in MONITOR, read once per declaration. */
type MonitorTrait =
  /** Administrative commands (CONFIG, SLOWLOG, MONITOR...) are never shown, as Redis judges them too sensitive. */
  | "hidden"
  /**
   * `skip_monitor` (EVAL, FCALL): shown when they start, so that the
   * commands of their script come after them (Redis feeds them itself, first).
   */
  | "before"
  /** Shown once they have run, with the database they left selected. */
  | "after";

const traits = new WeakMap<CommandSpec, MonitorTrait>();

export function monitorTraitOf(spec: CommandSpec): MonitorTrait {
  let trait = traits.get(spec);
  if (trait === undefined) {
    trait = spec.flags.includes("admin") ? "hidden" : spec.flags.includes("skip_monitor") ? "before" : "after";
    traits.set(spec, trait);
  }
  return trait;
}

/**
 * Redis refuses, to a connection in MONITOR mode (a replica to Redis), every
 * command that reads or writes the keyspace or may be replicated (PUBLISH,
 * scripts): here, those that run in a transaction, run commands, or need the
 * write right.
 */
export function touchesKeyspace(spec: CommandSpec): boolean {
  return spec.access !== "none" || spec.runsCommands === true || spec.needsRights?.includes("write") === true ||
    spec.flags.includes("write") || spec.flags.includes("readonly") || spec.flags.includes("may_replicate");
}

/** Microseconds since the epoch, for the line's time stamp. */
function nowMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

/** One line (without the leading `+`), for the client at `address` ("ip:port", or "lua" for a script's command). */
export function monitorLine(options: { db: number; address: string; argv: readonly Uint8Array[]; redacted?: readonly number[]; micros?: number }): string {
  const micros = options.micros ?? nowMicros();
  const seconds = Math.floor(micros / 1e6);
  const fraction = String(micros - seconds * 1e6).padStart(6, "0");
  const parts: string[] = [];
  const redacted = options.redacted ?? [];
  options.argv.forEach((arg, i) => parts.push(redacted.includes(i) ? `"${REDACTED}"` : quoted(arg)));
  return `${seconds}.${fraction} [${options.db} ${options.address}] ${parts.join(" ")}`;
}

/** Redis's sdscatrepr: printable ASCII as is, `\\` `\"` `\n` `\r` `\t` `\a` `\b` escaped, other bytes as `\xhh`. */
export function quoted(bytes: Uint8Array): string {
  let out = '"';
  for (const byte of bytes) {
    switch (byte) {
      case 0x5c: out += "\\\\"; break;
      case 0x22: out += '\\"'; break;
      case 0x0a: out += "\\n"; break;
      case 0x0d: out += "\\r"; break;
      case 0x09: out += "\\t"; break;
      case 0x07: out += "\\a"; break;
      case 0x08: out += "\\b"; break;
      default:
        out += byte >= 0x20 && byte <= 0x7e ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, "0")}`;
    }
  }
  return out + '"';
}

/** Shows a command run by `session` to the monitors of its tenant (and the operator's). */
export function feedMonitors(server: ServerServices, session: Session, command: { readonly spec: CommandSpec; readonly argv: readonly Uint8Array[] }, db = session.db): void {
  if (monitorTraitOf(command.spec) === "hidden") return;
  const line = monitorLine({ db, address: session.addr, argv: command.argv, redacted: command.spec.redactedArguments?.(command.argv) });
  server.monitors.deliver(session.keyspace.tenant, new SimpleString(line));
}

/** The line of a command a script of `session` runs: built now, delivered by `deliver` (once the script's transaction commits). */
export function scriptCommandLine(session: Session, command: { readonly spec: CommandSpec; readonly argv: readonly Uint8Array[] }): SimpleString | undefined {
  if (monitorTraitOf(command.spec) === "hidden") return undefined;
  return new SimpleString(monitorLine({ db: session.db, address: "lua", argv: command.argv, redacted: command.spec.redactedArguments?.(command.argv) }));
}
