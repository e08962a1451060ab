// MEMORY STATS, DOCTOR, MALLOC-STATS and PURGE (the MEMORY container lives in
// families/keys.ts beside MEMORY USAGE). Materia's data is in its storage
// engine, not in its heap, so what Redis reports of its allocator has no
// counterpart; these answer what is meaningful, with Redis's names:
// - STATS: the keys and stored bytes of the caller's tenant (per database and
//   in all), and as total.allocated what INFO's used_memory shows: the
//   process heap for the operator, the stored bytes for a tenant;
// - DOCTOR: a report of the tenant's storage against its quota;
// - MALLOC-STATS: Redis's answer for an allocator without statistics (the
//   JavaScript runtime's own);
// - PURGE: nothing to release: OK.
import { keyCounts } from "../model/keys.ts";
import { DATABASE_COUNT } from "../model/limits.ts";
import { readUsage } from "../model/storage_usage.ts";
import { DoubleReply, MapReply, OK, VerbatimReply, type Reply } from "../resp/reply.ts";
import { bytesToHuman } from "./info_sections.ts";
import { defineCommand, type CommandSpec, type TxContext } from "./spec.ts";

interface TenantMemory {
  readonly keys: number;
  readonly bytes: number;
  /** Databases holding keys, with their key and expiring-key counts. */
  readonly databases: readonly { db: number; keys: number; expires: number }[];
}

async function tenantMemory(ctx: TxContext): Promise<TenantMemory> {
  const tenant = ctx.session.keyspace.tenant;
  const keyspaceOf = (db: number) => ctx.server.keyspaceOf(tenant, db);
  const counts = await Promise.all(Array.from({ length: DATABASE_COUNT }, (_, db) => keyCounts(ctx.tx, keyspaceOf(db))));
  const usage = await readUsage(ctx.tx, tenant);
  return {
    keys: counts.reduce((sum, c) => sum + c.keys, 0),
    bytes: usage.reduce((a, b) => a + b, 0),
    databases: counts.flatMap((c, db) => (c.keys > 0 ? [{ db, keys: c.keys, expires: c.expires }] : [])),
  };
}

const stats = defineCommand({
  name: "stats",
  arity: 2,
  flags: [],
  group: "server",
  summary: "Returns memory figures with Redis's names: the tenant's keys and stored bytes (dataset.bytes), and total.allocated as INFO's used_memory.",
  since: "4.0.0",
  complexity: "O(1)",
  access: "read",
  parse: () => undefined,
  async exec(ctx): Promise<Reply> {
    const own = await tenantMemory(ctx);
    const operator = ctx.session.principal?.operator === true;
    const total = operator ? ctx.server.processMetrics().heapUsedBytes : own.bytes;
    const entries: Array<[Reply, Reply]> = [["total.allocated", total]];
    for (const { db, keys, expires } of own.databases) {
      entries.push([`db.${db}`, new MapReply([["keys", keys], ["expires", expires]])]);
    }
    entries.push(
      ["keys.count", own.keys],
      ["keys.bytes-per-key", own.keys === 0 ? 0 : Math.floor(own.bytes / own.keys)],
      ["dataset.bytes", own.bytes],
      ["dataset.percentage", new DoubleReply(total === 0 ? 0 : Math.min(100, (own.bytes / total) * 100))],
      ["storage.quota", ctx.server.usage.quotaBytes],
    );
    if (operator) entries.push(["allocator.resident", ctx.server.processMetrics().rssBytes]);
    return new MapReply(entries);
  },
});

const doctor = defineCommand({
  name: "doctor",
  arity: 2,
  flags: [],
  group: "server",
  summary: "Returns a short report of the tenant's storage against its quota: Materia keeps data in its storage engine, so it has no memory fragmentation to diagnose.",
  since: "4.0.0",
  complexity: "O(1)",
  access: "read",
  parse: () => undefined,
  async exec(ctx): Promise<Reply> {
    const own = await tenantMemory(ctx);
    const quota = ctx.server.usage.quotaBytes;
    const share = quota > 0 ? ` (${((own.bytes / quota) * 100).toFixed(1)}% of its quota of ${bytesToHuman(quota)})` : "";
    const advice = quota > 0 && own.bytes > quota * 0.9
      ? "Storage is close to the quota: writes that grow it will fail with OOM; delete keys or ask for a larger quota."
      : "Nothing to report: Materia keeps data in its storage engine, not in memory, so there is no fragmentation, eviction or allocator issue to diagnose.";
    return new VerbatimReply(`This tenant stores ${own.keys} keys in ${bytesToHuman(own.bytes)}${share}.\n${advice}\n`);
  },
});

const mallocStats = defineCommand({
  name: "malloc-stats",
  arity: 2,
  flags: [],
  group: "server",
  summary: "Answers, as Redis built without jemalloc, that the allocator keeps no statistics (Materia's memory is the JavaScript runtime's).",
  since: "4.0.0",
  complexity: "Depends on how much memory is allocated, could be slow",
  access: "none",
  parse: () => undefined,
  exec: (): Reply => new VerbatimReply("Stats not supported for the current allocator"),
});

const purge = defineCommand({
  name: "purge",
  arity: 2,
  flags: [],
  group: "server",
  summary: "Succeeds: the JavaScript runtime releases memory itself, there is nothing to purge.",
  since: "4.0.0",
  complexity: "Depends on how much memory is allocated, could be slow",
  access: "none",
  parse: () => undefined,
  exec: (): Reply => OK,
});

export const MEMORY_INTROSPECTION_SUBCOMMANDS: readonly CommandSpec[] = [stats, doctor, mallocStats, purge];

export const MEMORY_INTROSPECTION_HELP: readonly string[] = [
  "DOCTOR",
  "    Return a report of the tenant's storage.",
  "MALLOC-STATS",
  "    Return allocator statistics (Materia's allocator keeps none).",
  "PURGE",
  "    Ask the allocator to release memory (nothing to do).",
  "STATS",
  "    Return the tenant's keys and stored bytes.",
];
