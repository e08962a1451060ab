// notify-keyspace-events: its letters read and written back as Redis 7.0's
// notify.c does (facts checked against redis-server 7.0.15, events.md §1.1),
// and the channel messages a committed operation's events publish.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { keyspaceEventRouter, keyspaceMessages } from "../../src/core/keyspace_channels.ts";
import type { KeyspaceEvent } from "../../src/core/messages.ts";
import { formatNotifyFlags, INVALID_EVENT_CLASS, NOTIFY_NONE, parseNotifyFlags, publishesAny } from "../../src/core/notify_keyspace_events.ts";
import type { EventClass } from "../../src/model/keyspace.ts";
import { Keyspace } from "../../src/model/keyspace.ts";

const enc = (text: string) => new TextEncoder().encode(text);
const dec = (bytes: Uint8Array) => new TextDecoder("latin1").decode(bytes);

function flags(text: string): number {
  const parsed = parseNotifyFlags(text);
  assert.ok(parsed !== undefined, `'${text}' should parse`);
  return parsed;
}

/** What CONFIG GET shows after CONFIG SET `text`. */
const shown = (text: string) => formatNotifyFlags(flags(text));

describe("notify-keyspace-events: letters", () => {
  test("the empty setting turns notifications off", () => {
    assert.equal(flags(""), NOTIFY_NONE);
    assert.equal(shown(""), "");
  });

  test("CONFIG GET writes the letters in Redis's order: KEA reads back as AKE", () => {
    assert.equal(shown("KEA"), "AKE");
    assert.equal(shown("EK$g"), "g$KE");
    assert.equal(shown("zlhsx$g"), "g$lshzx");
    assert.equal(shown("mKd"), "dKm");
    assert.equal(shown("tKe"), "etK");
  });

  test("beside A, n is not written back (Redis 7.0's quirk) although it stays set", () => {
    assert.equal(shown("Kg$lshzxetdnmE"), "AKEm");
    assert.equal(shown("AnK"), "AK");
    assert.ok((flags("AnK") & flags("n")) !== 0);
    // Without every class of A, n shows.
    assert.equal(shown("gnK"), "gnK");
  });

  test("the classes of A: every one but m and n", () => {
    assert.equal(flags("A"), flags("g$lshzxetd"));
    assert.equal(shown("g$lshzxetdK"), "AK");
  });

  test("a letter that names no class is refused, whatever else the text holds", () => {
    for (const text of ["a", "KEA ", "Kz!", "G", "é", "KE\u0000"]) assert.equal(parseNotifyFlags(text), undefined, text);
    assert.equal(INVALID_EVENT_CLASS, "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
  });

  test("nothing is published without a channel kind and a class", () => {
    for (const text of ["", "A", "KE", "K", "E", "g$"]) assert.equal(publishesAny(flags(text)), false, text);
    for (const text of ["Kg", "E$", "Km", "En", "KEA"]) assert.equal(publishesAny(flags(text)), true, text);
  });
});

describe("keyspace events as channel messages", () => {
  const ks = new Keyspace("t1", 3);
  const event = (type: EventClass, name: string, key: string, on = ks): KeyspaceEvent => ({ ks: on, type, event: name, key: enc(key) });
  const lines = (setting: string, events: KeyspaceEvent[]) =>
    keyspaceMessages(flags(setting), events).map((m) => `${dec(m.channel)} ${dec(m.message)}${m.shard ? " (shard)" : ""}`);

  test("each event: the keyspace message, then the keyevent message, in the events' order", () => {
    assert.deepEqual(lines("KEA", [event("n", "new", "k"), event("$", "set", "k"), event("g", "expire", "k")]), [
      "__keyspace@3__:k set",
      "__keyevent@3__:set k",
      "__keyspace@3__:k expire",
      "__keyevent@3__:expire k",
    ]);
  });

  test("K alone or E alone publishes on its channels only", () => {
    assert.deepEqual(lines("K$", [event("$", "set", "k")]), ["__keyspace@3__:k set"]);
    assert.deepEqual(lines("E$", [event("$", "set", "k")]), ["__keyevent@3__:set k"]);
  });

  test("events of a class not in the setting are left out", () => {
    const events = [event("n", "new", "a"), event("l", "rpush", "a"), event("m", "keymiss", "b"), event("x", "expired", "c"), event("d", "json.set", "j")];
    assert.deepEqual(lines("El", events), ["__keyevent@3__:rpush a"]);
    assert.deepEqual(lines("Enm", events), ["__keyevent@3__:new a", "__keyevent@3__:keymiss b"]);
    assert.deepEqual(lines("Exd", events), ["__keyevent@3__:expired c", "__keyevent@3__:json.set j"]);
    assert.deepEqual(lines("KE", events), []);
    assert.deepEqual(lines("", events), []);
  });

  test("a key's bytes are kept as they are, in the channel and in the message", () => {
    const key = new Uint8Array([0x00, 0xff, 0x0a, 0x41]);
    const [space, keyevent] = keyspaceMessages(flags("KEg"), [{ ks, type: "g", event: "del", key }]);
    assert.deepEqual([...space!.channel.subarray(-4)], [...key]);
    assert.deepEqual([...keyevent!.message], [...key]);
  });

  test("the message bus's router keeps the events' order across tenants and skips tenants without notifications", () => {
    const other = new Keyspace("t2", 0);
    const third = new Keyspace("t3", 1);
    const settings: Record<string, string> = { t1: "Ex", t2: "", t3: "Kx" };
    const route = keyspaceEventRouter((tenant) => flags(settings[tenant]!));
    const events = [event("x", "expired", "a"), event("x", "expired", "b", other), event("x", "expired", "c", third), event("x", "expired", "d")];
    assert.deepEqual([...route(events)].map(({ tenant, message }) => `${tenant} ${dec(message.channel)} ${dec(message.message)}`), [
      "t1 __keyevent@3__:expired a",
      "t3 __keyspace@1__:c expired",
      "t1 __keyevent@3__:expired d",
    ]);
  });
});
