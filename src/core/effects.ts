// What an operation changes outside the engine, collected while it runs and
// applied exactly once after its transaction commits: never for an attempt
// that failed or is retried (a fresh Effects is made for every attempt), so a
// retried body cannot touch a WATCH, count usage, wake a waiter or publish
// a message twice.
import type { Keyspace } from "../model/keyspace.ts";
import type { ChannelMessage, EventClass, KeyspaceEvent } from "./messages.ts";

/** Keys written by one committed operation, for WATCH and waiting clients. */
export interface WrittenKeys {
  readonly ks: Keyspace;
  readonly keys: readonly Uint8Array[];
  /** The write only took elements away (a pop): WATCH hears of it, waiting clients do not, as nothing was added for them. */
  readonly removedOnly?: true;
}

/** Who hears of an operation's effects once it commits (the executor builds one). */
export interface EffectsSink {
  /** `origin`: the id of the client whose operation wrote (see Client.id). */
  wrote(written: WrittenKeys, origin: number | undefined): void;
  /** Every key of database `db` of `tenant` may have changed (SWAPDB): as a FLUSHDB of it is announced. */
  changedDatabase(tenant: string, db: number): void;
  published(tenant: string, messages: readonly ChannelMessage[]): void;
  keyspaceEvents(events: readonly KeyspaceEvent[]): void;
}

export class Effects {
  /** Keys written outside the operation's declared keys (another database: MOVE, COPY ... DB). */
  private extraWrites: WrittenKeys[] | null = null;
  private callbacks: (() => void)[] | null = null;
  private messages: ChannelMessage[] | null = null;
  private messagesTenant = "";
  private events: KeyspaceEvent[] | null = null;
  private changedDatabases: { readonly tenant: string; readonly db: number }[] | null = null;

  /**
   * Announces a write to keys the operation did not declare (its declared
   * keys are announced by the executor). `removedOnly`: the write only took
   * elements away (a blocking pop), so it wakes no waiting client.
   */
  wrote(ks: Keyspace, keys: readonly Uint8Array[], options?: { readonly removedOnly?: boolean }): void {
    (this.extraWrites ??= []).push(options?.removedOnly === true ? { ks, keys, removedOnly: true } : { ks, keys });
  }

  /**
   * Announces that every key of database `db` may have changed (SWAPDB):
   * WATCHes of its keys are touched, its waiting clients run again and
   * tracking clients are told to flush, as after a FLUSHDB of it. Applied
   * after the afterCommit callbacks, so that woken clients see their state.
   */
  changedDatabase(tenant: string, db: number): void {
    (this.changedDatabases ??= []).push({ tenant, db });
  }

  /** Runs `callback` once the transaction has committed (cursors, connection state). */
  afterCommit(callback: () => void): void {
    (this.callbacks ??= []).push(callback);
  }

  /** A pub/sub message of `tenant`, delivered once the transaction commits (PUBLISH inside MULTI or a script). */
  publish(tenant: string, message: ChannelMessage): void {
    this.messagesTenant = tenant;
    (this.messages ??= []).push(message);
  }

  /**
   * A keyspace event (Redis's notifyKeyspaceEvent), in the order Redis emits
   * it; sent to `__keyspace@<db>__:` / `__keyevent@<db>__:` channels after
   * the commit if the tenant's `notify-keyspace-events` includes its class.
   */
  notify(ks: Keyspace, type: EventClass, event: string, key: Uint8Array): void {
    (this.events ??= []).push({ ks, type, event, key });
  }

  /** @internal Called by the executor, once, when the commit is applied; `origin` is the id of the client that ran the operation. */
  apply(sink: EffectsSink, origin?: number): void {
    if (this.extraWrites !== null) for (const written of this.extraWrites) sink.wrote(written, origin);
    if (this.events !== null) sink.keyspaceEvents(this.events);
    if (this.messages !== null) sink.published(this.messagesTenant, this.messages);
    if (this.callbacks !== null) for (const callback of this.callbacks) callback();
    if (this.changedDatabases !== null) for (const { tenant, db } of this.changedDatabases) sink.changedDatabase(tenant, db);
  }
}
