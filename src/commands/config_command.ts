// CONFIG GET and CONFIG SET over every parameter of config_parameters.ts, in
// Redis 7.0's manner (config.c configGetCommand, configSetCommand): names in
// any letter case, aliases listed beside their parameter, glob patterns that
// skip hidden parameters, and a SET that checks every name, then every value,
// and changes all the parameters or none.
import { MapReply, OK, type Reply } from "../resp/reply.ts";
import type { RememberedConfig } from "../core/remembered_config.ts";
import { compileGlob } from "../model/glob.ts";
import { bytesOf, text } from "./args.ts";
import { type ConfigParameter, lookupParameter, parameterNames, type ServerFacts } from "./config_parameters.ts";
import { appliedParameter, appliedValue, type Change, type ConfigSetTarget, InvalidValue, isOperator } from "./config_set.ts";
import { InvalidConfigValue } from "./config_values.ts";
import { configSetFailed, configSetUnknownOption, noPermission, SYNTAX } from "./errors.ts";

/** A remembered value is kept in the engine: one value at most this long (Redis sets no limit). */
export const MAX_REMEMBERED_VALUE_BYTES = 4096;

export interface ConfigContext {
  /** The caller and what the applied parameters change. */
  readonly target: ConfigSetTarget;
  readonly remembered: RememberedConfig;
  readonly facts: ServerFacts;
}

/** The value CONFIG GET answers for `parameter`; undefined when hidden from this caller. */
function valueOf(parameter: ConfigParameter, context: ConfigContext, remembered: ReadonlyMap<string, string>): string | undefined {
  switch (parameter.effect) {
    case "reported":
      return parameter.reported!.value(context.facts);
    case "applied":
      // An applied parameter that config_set.ts does not declare yet is remembered meanwhile.
      return appliedValue(parameter.name, context.target) ?? remembered.get(parameter.name) ?? parameter.redisDefault;
    case "remembered":
      return remembered.get(parameter.name) ?? parameter.redisDefault;
  }
}

const GLOB_CHARACTERS = /[[*?]/;

/** CONFIG GET pattern [pattern ...]: each parameter once, under the first name that matched it. */
export async function configGet(context: ConfigContext, patterns: readonly Uint8Array[]): Promise<Reply> {
  const remembered = await context.remembered.valuesFor(context.target.tenant);
  // Keyed by the lower-case name, as Redis's case-insensitive dictionary of matches.
  const found = new Map<string, [name: string, value: string]>();
  const add = (name: string, parameter: ConfigParameter) => {
    if (found.has(name.toLowerCase())) return;
    const value = valueOf(parameter, context, remembered);
    if (value !== undefined) found.set(name.toLowerCase(), [name, value]);
  };
  for (const pattern of patterns) {
    const wanted = text(pattern);
    if (!GLOB_CHARACTERS.test(wanted)) {
      // An exact name is answered as the client spelled it, as Redis does.
      const entry = lookupParameter(wanted);
      if (entry) add(wanted, entry.parameter);
      continue;
    }
    const glob = compileGlob(bytesOf(wanted.toLowerCase()));
    for (const [name, entry] of parameterNames()) {
      if (!entry.parameter.hidden && glob.matches(bytesOf(name))) add(name, entry.parameter);
    }
  }
  return new MapReply([...found.values()]);
}

/** Who may set a parameter: an applied one says; the others are each tenant's own. */
function maySet(parameter: ConfigParameter, context: ConfigContext): boolean {
  const principal = context.target.principal;
  if (isOperator(principal)) return true;
  const setBy = parameter.effect === "applied" ? appliedParameter(parameter.name)?.setBy ?? "tenant" : "tenant";
  return setBy === "tenant" && principal?.canWrite === true;
}

/** CONFIG SET parameter value [parameter value ...]: all applied, or none. */
export async function configSet(context: ConfigContext, args: readonly Uint8Array[]): Promise<Reply> {
  if (args.length % 2 !== 0) return SYNTAX;
  const pairs: { parameter: ConfigParameter; name: string; value: string }[] = [];
  const seen = new Set<string>();
  // Names first, as Redis: the first unknown, immutable, protected or repeated one is the error.
  for (let i = 0; i < args.length; i += 2) {
    const typed = text(args[i]!);
    const entry = lookupParameter(typed);
    if (entry === undefined) return configSetUnknownOption(typed);
    const { parameter, name } = entry;
    if (parameter.immutable) return configSetFailed(typed, "can't set immutable config");
    if (parameter.protected) return configSetFailed(typed, "can't set protected config");
    if (!maySet(parameter, context)) return noPermission("config|set");
    if (seen.has(name)) return configSetFailed(typed, "duplicate parameter");
    seen.add(name);
    pairs.push({ parameter, name, value: text(args[i + 1]!) });
  }
  // Then values, in order; nothing changes until all are valid.
  const applied: Change[] = [];
  const remembered = new Map<string, string>();
  for (const { parameter, name, value } of pairs) {
    const own = parameter.effect === "applied" ? appliedParameter(parameter.name) : undefined;
    try {
      if (own !== undefined) {
        applied.push(own.change(value, context.target));
        continue;
      }
      const canonical = parameter.type.parse(value);
      if (parameter.effect === "reported") {
        if (canonical !== parameter.reported!.value(context.facts)) return configSetFailed(name, parameter.reported!.refusal);
        continue;
      }
      if (bytesOf(canonical).length > MAX_REMEMBERED_VALUE_BYTES) {
        return configSetFailed(name, `Materia remembers values of at most ${MAX_REMEMBERED_VALUE_BYTES} bytes`);
      }
      remembered.set(parameter.name, canonical);
    } catch (error) {
      if (error instanceof InvalidValue || error instanceof InvalidConfigValue) return configSetFailed(name, error.message);
      throw error;
    }
  }
  for (const change of applied) await change();
  if (isOperator(context.target.principal)) context.remembered.setDefaults(remembered);
  else await context.remembered.set(context.target.tenant, remembered);
  return OK;
}
