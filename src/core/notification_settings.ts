// Each tenant's `notify-keyspace-events`. A tenant that sets its own (CONFIG
// SET with the write right) keeps it in the engine, outside its databases;
// every other tenant follows the server's default (the serve flag, or the
// operator's CONFIG SET, which lasts until the server stops, as Redis's
// CONFIG SET does without a REWRITE).
//
// Settings are read on every command (is anybody listening?), so they are
// cached. A server that owns its engine sees every change, since it makes
// them; servers sharing a FoundationDB cluster re-read a tenant's setting at
// most once a second, so a change made through one server reaches the
// others within about a second.
import type { Engine } from "../engine/contract.ts";
import { isPromise } from "../engine/maybe_promise.ts";
import { tenantSettingKey } from "../model/keyspace.ts";
import { NOTIFY_NONE, type NotifyFlags, publishesAny } from "./notify_keyspace_events.ts";

const SETTING_NAME = "notify-keyspace-events";

/** How long a shared engine's cached setting is trusted. */
export const SHARED_REFRESH_MS = 1_000;

interface Cached {
  /** The tenant's own flags; undefined: it follows the default. */
  own: NotifyFlags | undefined;
  readAtMs: number;
  reading: boolean;
}

export interface NotificationSettingsOptions {
  readonly engine: Engine;
  readonly clock: () => number;
  /** The server's default, for tenants without their own (serve flag; NOTIFY_NONE when absent). */
  readonly defaultFlags?: NotifyFlags;
}

export class NotificationSettings {
  private defaultFlags: NotifyFlags;
  private readonly cache = new Map<string, Cached>();
  private readonly engine: Engine;
  private readonly clock: () => number;
  /** Other servers may change a tenant's setting: re-read it now and then. */
  private readonly shared: boolean;

  constructor(options: NotificationSettingsOptions) {
    this.engine = options.engine;
    this.clock = options.clock;
    this.defaultFlags = options.defaultFlags ?? NOTIFY_NONE;
    this.shared = options.engine.eventLog !== undefined;
  }

  /** The flags in force for `tenant`: its own, else the server's default. */
  effectiveFor(tenant: string): NotifyFlags {
    return this.ownOf(tenant) ?? this.defaultFlags;
  }

  /** Whether `tenant`'s operations should record keyspace events at all (the executor asks before every operation). */
  notifying(tenant: string): boolean {
    return publishesAny(this.effectiveFor(tenant));
  }

  /** The operator's CONFIG SET: the default of every tenant without its own setting, on this server. */
  setDefault(flags: NotifyFlags): void {
    this.defaultFlags = flags;
  }

  /** A tenant's CONFIG SET: its own setting, kept in the engine; resolves once durable. */
  async set(tenant: string, flags: NotifyFlags): Promise<void> {
    await this.engine.write((tx) => tx.set(tenantSettingKey(tenant, SETTING_NAME), ASCII.encode(String(flags))));
    this.cache.set(tenant, { own: flags, readAtMs: this.clock(), reading: false });
  }

  /**
   * The tenant's own flags as cached. A tenant not seen yet is read from the
   * engine: at once on in-process engines, whose reads are synchronous; on a
   * shared engine the default applies until the read lands.
   */
  private ownOf(tenant: string): NotifyFlags | undefined {
    const cached = this.cache.get(tenant);
    if (cached === undefined) {
      const entry: Cached = { own: undefined, readAtMs: this.clock(), reading: false };
      this.cache.set(tenant, entry);
      this.refresh(tenant, entry);
      return entry.own;
    }
    if (this.shared && !cached.reading && this.clock() - cached.readAtMs >= SHARED_REFRESH_MS) this.refresh(tenant, cached);
    return cached.own;
  }

  private refresh(tenant: string, entry: Cached): void {
    entry.reading = true;
    const apply = (bytes: Uint8Array | undefined) => {
      entry.reading = false;
      entry.readAtMs = this.clock();
      entry.own = bytes === undefined ? undefined : Number(TEXT.decode(bytes));
    };
    const failed = (error: unknown) => {
      // Forgotten, so that the next command of the tenant reads it again; meanwhile the default applies.
      if (this.cache.get(tenant) === entry) this.cache.delete(tenant);
      console.error(`notify-keyspace-events: reading a tenant's setting failed tenant=${tenant} error=${error instanceof Error ? error.message : error}`);
    };
    try {
      const stored = this.engine.read((tx) => tx.get(tenantSettingKey(tenant, SETTING_NAME)));
      if (isPromise(stored)) stored.then(apply, failed);
      else apply(stored);
    } catch (error) {
      failed(error);
    }
  }
}

const ASCII = new TextEncoder();
const TEXT = new TextDecoder();
