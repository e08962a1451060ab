// The CONFIG parameters that take effect in Materia ("applied" in
// config_parameters.ts): the per-client limits (`timeout`, `tcp-keepalive`,
// `client-output-buffer-limit`, `tracking-table-max-keys`) and the script
// busy threshold, the operator's, and `notify-keyspace-events`, each
// tenant's own; with Redis's value syntax and error texts, and their values
// as CONFIG GET answers them. config_command.ts runs CONFIG GET and SET over
// every parameter and hands these here.
import type { NotificationSettings } from "../core/notification_settings.ts";
import { formatNotifyFlags, INVALID_EVENT_CLASS, parseNotifyFlags } from "../core/notify_keyspace_events.ts";
import type { ClientLimits, OutputBufferClass, OutputBufferLimit, Principal } from "./spec.ts";

export const SETTABLE_PARAMETERS = [
  "timeout", "tcp-keepalive", "client-output-buffer-limit", "tracking-table-max-keys", "notify-keyspace-events", "busy-reply-threshold", "lua-time-limit",
  "slowlog-log-slower-than", "slowlog-max-len", "latency-monitor-threshold",
] as const;

const INT32_MAX = 2147483647;

/** Redis's names of the output buffer classes; `slave` is the old name of `replica`. */
const CLASSES: Readonly<Record<string, OutputBufferClass>> = { normal: "normal", slave: "replica", replica: "replica", pubsub: "pubsub" };

/** `client-output-buffer-limit` as CONFIG GET shows it (Redis still prints `slave`). */
export function formatOutputBufferLimits(limits: ClientLimits["outputBuffer"]): string {
  const one = (name: string, l: OutputBufferLimit) => `${name} ${l.hardBytes} ${l.softBytes} ${l.softSeconds}`;
  return [one("normal", limits.normal), one("slave", limits.replica), one("pubsub", limits.pubsub)].join(" ");
}

export class InvalidValue extends Error {}

/** Redis's memtoull: digits with an optional unit (b, k=1000, kb=1024, m, mb, g, gb), case-insensitive. */
function parseMemory(value: string): number {
  const match = /^(\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(value);
  const unit = { b: 1, k: 1e3, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 }[(match?.[2] ?? "b").toLowerCase() as "b"];
  const bytes = match ? Number(match[1]) * unit : NaN;
  if (!Number.isSafeInteger(bytes)) throw new InvalidValue("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
  return bytes;
}

function parseSeconds(value: string): number {
  if (!/^(0|-?[1-9]\d*)$/.test(value) || !Number.isSafeInteger(Number(value))) throw new InvalidValue("argument couldn't be parsed into an integer");
  const seconds = Number(value);
  if (seconds < 0 || seconds > INT32_MAX) throw new InvalidValue(`argument must be between 0 and ${INT32_MAX} inclusive`);
  return seconds;
}

/** Redis's range for `tracking-table-max-keys`: 0 (no limit of its own) to LONG_MAX. */
function parseKeyCount(value: string): number {
  if (!/^-?\d+$/.test(value) || BigInt(value) > 9223372036854775807n || BigInt(value) < -9223372036854775808n) {
    throw new InvalidValue("argument couldn't be parsed into an integer");
  }
  if (BigInt(value) < 0n) throw new InvalidValue("argument must be between 0 and 9223372036854775807 inclusive");
  return Number(value);
}

/** An integer from `min` to LLONG_MAX, with Redis's texts for numeric parameters. */
function parseIntegerFrom(value: string, min: bigint): number {
  if (!/^-?\d+$/.test(value) || BigInt(value) > 9223372036854775807n || BigInt(value) < -9223372036854775808n) {
    throw new InvalidValue("argument couldn't be parsed into an integer");
  }
  if (BigInt(value) < min) throw new InvalidValue(`argument must be between ${min} and 9223372036854775807 inclusive`);
  return Number(value);
}

/** `normal 1mb 512kb 10 pubsub 0 0 0`: only the classes named change. */
export function parseOutputBufferLimits(value: string, current: ClientLimits["outputBuffer"]): ClientLimits["outputBuffer"] {
  const words = value.split(" ").filter((w) => w !== "");
  if (words.length === 0 || words.length % 4 !== 0) throw new InvalidValue("Wrong number of arguments in buffer limit configuration.");
  const next = { ...current };
  for (let i = 0; i < words.length; i += 4) {
    const limitClass = CLASSES[words[i]!.toLowerCase()];
    if (limitClass === undefined) throw new InvalidValue("Invalid client class specified in buffer limit configuration.");
    const seconds = words[i + 3]!;
    if (!/^\d+$/.test(seconds)) throw new InvalidValue("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
    next[limitClass] = { hardBytes: parseMemory(words[i + 1]!), softBytes: parseMemory(words[i + 2]!), softSeconds: Number(seconds) };
  }
  return next;
}

/** What CONFIG SET changes, and who asks. */
export interface ConfigSetTarget {
  readonly limits: ClientLimits;
  /** The scripts running now: busy-reply-threshold. */
  readonly scripts: { busyThresholdMs: number };
  /** SLOWLOG's settings (server-wide: they bound the server's memory). */
  readonly slowLog: { logSlowerThanMicros: number; maxLength: number };
  /** LATENCY's threshold (server-wide). */
  readonly latency: { thresholdMs: number };
  readonly notifications: NotificationSettings;
  /** The caller's rights (auth off: the operator's). */
  readonly principal: Principal | undefined;
  /** The caller's tenant. */
  readonly tenant: string;
}

/** A change parsed and validated, applied once every parameter of the command is valid. */
export type Change = () => void | Promise<void>;

/**
 * A parameter CONFIG SET may change, and who may. "operator": it is the
 * server's (the limits of every connection), so only the operator sets it.
 * "tenant": each tenant has its own value, which a principal with the write
 * right sets for its tenant; the operator's value is the default of tenants
 * that set none.
 */
export interface SettableParameter {
  readonly setBy: "operator" | "tenant";
  /** The change `value` asks for; throws InvalidValue. */
  change(value: string, target: ConfigSetTarget): Change;
  /** Its value now, as CONFIG GET answers it (else CURRENT_VALUES below has it). */
  current?(target: ConfigSetTarget): string;
}

const PARAMETERS: Readonly<Record<(typeof SETTABLE_PARAMETERS)[number], SettableParameter>> = {
  "timeout": {
    setBy: "operator",
    change(value, { limits }) {
      const seconds = parseSeconds(value);
      return () => void (limits.idleTimeoutSeconds = seconds);
    },
  },
  "tcp-keepalive": {
    setBy: "operator",
    change(value, { limits }) {
      const seconds = parseSeconds(value);
      return () => void (limits.tcpKeepAliveSeconds = seconds);
    },
  },
  "client-output-buffer-limit": {
    setBy: "operator",
    change(value, { limits }) {
      const outputBuffer = parseOutputBufferLimits(value, limits.outputBuffer);
      return () => void (limits.outputBuffer = outputBuffer);
    },
  },
  "tracking-table-max-keys": {
    setBy: "operator",
    change(value, { limits }) {
      const keys = parseKeyCount(value);
      return () => void (limits.trackingTableMaxKeys = keys);
    },
  },
  // How long a script runs before other clients of its tenant are answered BUSY; lua-time-limit is its old name.
  "busy-reply-threshold": busyReplyThreshold(),
  "lua-time-limit": busyReplyThreshold(),
  // Server-wide, the operator's: each tenant's entries are its own, but what is logged and how much is kept is the server's.
  "slowlog-log-slower-than": {
    setBy: "operator",
    change(value, { slowLog }) {
      const micros = parseIntegerFrom(value, -1n);
      return () => void (slowLog.logSlowerThanMicros = micros);
    },
  },
  "slowlog-max-len": {
    setBy: "operator",
    change(value, { slowLog }) {
      const length = parseIntegerFrom(value, 0n);
      return () => void (slowLog.maxLength = length);
    },
  },
  "latency-monitor-threshold": {
    setBy: "operator",
    change(value, { latency }) {
      const ms = parseIntegerFrom(value, 0n);
      return () => void (latency.thresholdMs = ms);
    },
  },
  "notify-keyspace-events": {
    setBy: "tenant",
    change(value, { notifications, principal, tenant }) {
      const flags = parseNotifyFlags(value);
      if (flags === undefined) throw new InvalidValue(INVALID_EVENT_CLASS);
      if (isOperator(principal)) return () => notifications.setDefault(flags);
      return () => notifications.set(tenant, flags);
    },
  },
};

function busyReplyThreshold(): SettableParameter {
  return {
    setBy: "operator",
    change(value, { scripts }) {
      const ms = parseKeyCount(value);
      return () => void (scripts.busyThresholdMs = ms);
    },
  };
}

/** What CONFIG GET answers for the parameters above. */
const CURRENT_VALUES: Readonly<Record<string, (target: ConfigSetTarget) => string>> = {
  "timeout": ({ limits }) => String(limits.idleTimeoutSeconds),
  "tcp-keepalive": ({ limits }) => String(limits.tcpKeepAliveSeconds),
  "client-output-buffer-limit": ({ limits }) => formatOutputBufferLimits(limits.outputBuffer),
  "tracking-table-max-keys": ({ limits }) => String(limits.trackingTableMaxKeys),
  "busy-reply-threshold": ({ scripts }) => String(scripts.busyThresholdMs),
  "lua-time-limit": ({ scripts }) => String(scripts.busyThresholdMs),
  "slowlog-log-slower-than": ({ slowLog }) => String(slowLog.logSlowerThanMicros),
  "slowlog-max-len": ({ slowLog }) => String(slowLog.maxLength),
  "latency-monitor-threshold": ({ latency }) => String(latency.thresholdMs),
  // The caller's own setting, else the server's default.
  "notify-keyspace-events": ({ notifications, tenant }) => formatNotifyFlags(notifications.effectiveFor(tenant)),
};

/** The parameter `name` (lower case) when Materia applies it; undefined otherwise. */
export function appliedParameter(name: string): SettableParameter | undefined {
  return Object.hasOwn(PARAMETERS, name) ? PARAMETERS[name as keyof typeof PARAMETERS] : undefined;
}

/** The value of an applied parameter now, if this module knows it. */
export function appliedValue(name: string, target: ConfigSetTarget): string | undefined {
  const parameter = appliedParameter(name);
  if (parameter === undefined) return undefined;
  return (parameter.current ?? CURRENT_VALUES[name])?.(target);
}

export function isOperator(principal: Principal | undefined): boolean {
  return principal?.operator === true;
}
