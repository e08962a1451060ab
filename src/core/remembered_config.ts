// The CONFIG parameters Materia accepts without acting on them (encoding
// thresholds, persistence and replication knobs: commands/config_parameters.ts
// "remembered"), as each tenant set them. A tenant's values live in the
// engine beside its other settings, outside its databases (FLUSHALL keeps
// them), one row per parameter, so that every server sharing the engine
// reports the same and one tenant's CONFIG SET is never seen by another. The
// operator's CONFIG SET changes the defaults every tenant sees until it sets
// its own; they last until the server stops, as Redis's CONFIG SET does
// without CONFIG REWRITE. CONFIG GET and SET are rare: nothing is cached.
import type { Engine, Txn } from "../engine/contract.ts";
import { tenantSettingKey } from "../model/keyspace.ts";

/** Rows are named "config <parameter>": the range between "config " and "config!" holds them all. */
const ROW_PREFIX = "config ";
const ROWS_END = "config!";

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();

export class RememberedConfig {
  private readonly defaults = new Map<string, string>();

  constructor(private readonly engine: Engine) {}

  /** The values `tenant` sees: its own over the operator's defaults (parameters never set are absent). */
  async valuesFor(tenant: string): Promise<ReadonlyMap<string, string>> {
    const rows = await this.engine.read((tx: Txn) =>
      tx.getRange({ start: tenantSettingKey(tenant, ROW_PREFIX), end: tenantSettingKey(tenant, ROWS_END) })
    );
    const values = new Map(this.defaults);
    for (const row of rows) {
      const [name, value] = JSON.parse(DECODER.decode(row.value)) as [string, string];
      values.set(name, value);
    }
    return values;
  }

  /** The operator's CONFIG SET: the value of every tenant that set none, on this server. */
  setDefaults(changes: ReadonlyMap<string, string>): void {
    for (const [name, value] of changes) this.defaults.set(name, value);
  }

  /** A tenant's CONFIG SET: its own values, all in one transaction; resolves once durable. */
  async set(tenant: string, changes: ReadonlyMap<string, string>): Promise<void> {
    if (changes.size === 0) return;
    await this.engine.write((tx: Txn) => {
      for (const [name, value] of changes) tx.set(tenantSettingKey(tenant, ROW_PREFIX + name), ENCODER.encode(JSON.stringify([name, value])));
    });
  }
}
