// Every differential case of the suite, for scripts/record_differential.ts and
// the coverage meta-test: each command family's cases (tests/commands/<family>_cases.ts,
// run by <family>_test.ts) with its generated error cases, then the protocol's
// (protocol_cases.ts, run by protocol_test.ts). The tests themselves import
// their own cases, so each case runs once.
import { existsSync } from "node:fs";
import { FAMILIES } from "../commands/families.ts";
import type { DifferentialCase, FamilyCases } from "./case_types.ts";
import * as protocol from "./protocol_cases.ts";
import type { Scenario } from "./scenario.ts";
import { suiteCases } from "./suite.ts";

export interface CaseSource {
  /** A family's name, or "protocol". */
  readonly title: string;
  /** Hand-written and generated cases, by command. */
  readonly cases: Readonly<Record<string, readonly DifferentialCase[]>>;
  readonly metadata: readonly string[];
  /** Multi-client scenarios (scenario.ts), from the family's SCENARIOS export. */
  readonly scenarios: readonly Scenario[];
}

async function sources(): Promise<CaseSource[]> {
  const out: CaseSource[] = [];
  for (const family of FAMILIES) {
    const url = new URL(`../commands/${family.name}_cases.ts`, import.meta.url);
    const module: (FamilyCases & { SCENARIOS?: readonly Scenario[] }) | undefined = existsSync(url) ? await import(url.href) : undefined;
    out.push({
      title: family.name,
      cases: suiteCases({ cases: module?.CASES ?? {}, specs: family.specs }),
      metadata: module?.METADATA_COMMANDS ?? [],
      scenarios: module?.SCENARIOS ?? [],
    });
  }
  out.push({ title: "protocol", cases: protocol.CASES, metadata: [], scenarios: [] });
  return out;
}

export const CASE_SOURCES: readonly CaseSource[] = await sources();
export const ALL_CASES: readonly DifferentialCase[] = CASE_SOURCES.flatMap((source) => Object.values(source.cases).flat());
export const ALL_METADATA_COMMANDS: readonly string[] = CASE_SOURCES.flatMap((source) => source.metadata);
export const ALL_SCENARIOS: readonly Scenario[] = CASE_SOURCES.flatMap((source) => source.scenarios);
