// A scenario run through the published `foundationdb` npm addon (compiled
// against FoundationDB's real fdb_c.h, API 720) over the test double. Run by
// abi_addon_test.ts as a child `deno run` with LD_LIBRARY_PATH pointing at
// tests/fdb-sim/build, so the addon's NEEDED libfdb_c.so is the double.
// Usage: deno run -A tests/fdb-sim/abi_addon_scenario.ts CLUSTER_FILE
// Prints one line "ABI OK {...figures}" on success; any failed check throws.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createRequire } from "node:module";
import process from "node:process";

// Loaded through require with a variable name: the package is optional, and
// its types must not be required by the type checkers.
const packageName = "foundationdb";
const fdb: any = createRequire(import.meta.url)(packageName);

const clusterFile = process.argv[2];
assert.ok(clusterFile, "usage: abi_addon_scenario.ts CLUSTER_FILE");

fdb.setAPIVersion(720);
const db = fdb.open(clusterFile);
const buf = (s: string) => Buffer.from(s);
const text = (b: Buffer | undefined) => (b === undefined ? undefined : b.toString());
const le64 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(BigInt(n));
  return b;
};

try {
  // set / get / missing keys
  await db.set("abi/hello", "world");
  assert.equal(text(await db.get("abi/hello")), "world");
  assert.equal(await db.get("abi/missing"), undefined);

  // range reads with limit and reverse, over committed data (FDBKeyValue stride 24)
  await db.doTn(async (tn: any) => {
    for (let i = 0; i < 10; i++) tn.set(`abi/r/${i}`, `v${i}`);
  });
  const all = await db.getRangeAll("abi/r/", "abi/r0");
  assert.deepEqual(all.map(([k, v]: [Buffer, Buffer]) => `${k}=${v}`), Array.from({ length: 10 }, (_, i) => `abi/r/${i}=v${i}`));
  const lastTwo = await db.getRangeAll("abi/r/", "abi/r0", { limit: 2, reverse: true });
  assert.deepEqual(lastTwo.map(([k]: [Buffer]) => k.toString()), ["abi/r/9", "abi/r/8"]);
  const batch = await db.doTn((tn: any) =>
    tn.getRangeRaw(fdb.keySelector.firstGreaterOrEqual("abi/r/"), fdb.keySelector.firstGreaterOrEqual("abi/r0"), 3, 0, fdb.StreamingMode.Exact, 1, false)
  );
  assert.equal(batch.results.length, 3);
  assert.equal(batch.more, true);

  // many rows in several batches (iterator mode grows with the iteration number)
  const big = "x".repeat(200);
  await db.doTn(async (tn: any) => {
    for (let i = 0; i < 300; i++) tn.set(`abi/big/${String(i).padStart(4, "0")}`, big);
  });
  const bigRows = await db.getRangeAll("abi/big/", "abi/big0");
  assert.equal(bigRows.length, 300);

  // key selectors
  const ks = fdb.keySelector;
  assert.equal(text(await db.getKey(ks.firstGreaterOrEqual("abi/r/5"))), "abi/r/5");
  assert.equal(text(await db.getKey(ks.firstGreaterThan("abi/r/5"))), "abi/r/6");
  assert.equal(text(await db.getKey(ks.lastLessThan("abi/r/5"))), "abi/r/4");
  assert.equal(text(await db.getKey(ks.lastLessOrEqual("abi/r/5"))), "abi/r/5");
  assert.equal(text(await db.getKey(ks.add(ks.firstGreaterOrEqual("abi/r/2"), 3))), "abi/r/5");

  // read-your-writes inside a transaction, over a clearRange and a pending set
  const ryw = await db.doTn(async (tn: any) => {
    tn.clearRange("abi/r/3", "abi/r/7");
    tn.set("abi/r/4", "mine");
    return (await tn.getRangeAll("abi/r/2", "abi/r/8")).map(([k, v]: [Buffer, Buffer]) => `${k}=${v}`);
  });
  assert.deepEqual(ryw, ["abi/r/2=v2", "abi/r/4=mine", "abi/r/7=v7"]);

  // atomic add (little-endian), several transactions
  for (let i = 0; i < 5; i++) await db.doTn(async (tn: any) => tn.atomicOpKB(fdb.MutationType.Add, "abi/counter", le64(3)));
  const counter = (await db.get("abi/counter")) as Buffer;
  assert.equal(counter.readBigInt64LE(), 15n);
  await db.doTn(async (tn: any) => tn.atomicOpKB(fdb.MutationType.Max, "abi/max", le64(7)));
  await db.doTn(async (tn: any) => tn.atomicOpKB(fdb.MutationType.Max, "abi/max", le64(4)));
  assert.equal(((await db.get("abi/max")) as Buffer).readBigInt64LE(), 7n);

  // conflict: the first attempt reads a key another transaction then changes; doTransaction retries once
  await db.set("abi/conflict", "0");
  let attempts = 0;
  await db.doTransaction(async (tn: any) => {
    attempts++;
    const v = text(await tn.get("abi/conflict"));
    if (attempts === 1) await db.set("abi/conflict", "changed elsewhere");
    tn.set("abi/conflict", `${v}+1`);
  });
  assert.equal(attempts, 2);
  assert.equal(text(await db.get("abi/conflict")), "changed elsewhere+1");

  // the raw error path: commit reports 1020, on_error retries it, refuses 2101
  const raw = db.rawCreateTransaction();
  await raw.get("abi/conflict");
  await db.set("abi/conflict", "again");
  raw.set("abi/other", "x");
  const conflict = await raw.rawCommit().then(() => undefined, (e: any) => e);
  assert.ok(conflict instanceof fdb.FDBError, "commit should fail with an FDBError");
  assert.equal(conflict.code, 1020);
  await raw.rawOnError(1020);
  const fatal = await raw.rawOnError(2101).then(() => undefined, (e: any) => e);
  assert.equal(fatal?.code, 2101);

  // limits come back as FDB errors
  const tooLarge = await db.set(Buffer.alloc(10_001, 1), "v").then(() => undefined, (e: any) => e);
  assert.equal(tooLarge?.code, 2102);
  const valueTooLarge = await db.set("abi/v", Buffer.alloc(100_001)).then(() => undefined, (e: any) => e);
  assert.equal(valueTooLarge?.code, 2103);

  // versionstamps: resolved after commit, 10 bytes, equal to the key written
  const stamped = await db.doTn(async (tn: any) => {
    tn.setVersionstampSuffixedKey("abi/vs/", buf("payload"));
    tn.setVersionstampPrefixedValue("abi/vsv", buf("tail"));
    return tn.getVersionstamp();
  });
  const stamp: Buffer = await stamped.promise;
  assert.equal(stamp.length, 10);
  const vsRows = await db.getRangeAll("abi/vs/", "abi/vs0");
  assert.equal(vsRows.length, 1);
  assert.ok(vsRows[0][0].subarray("abi/vs/".length).equals(stamp));
  const prefixed = await db.getVersionstampPrefixedValue("abi/vsv");
  assert.ok(Buffer.from(prefixed.stamp).equals(stamp));
  assert.equal(text(prefixed.value), "tail");

  // watches: fire on another transaction's change; a cancelled one resolves false.
  // (Buffer keys: the addon's watch() never releases a string key's conversion
  // buffer, and asserts on the second watch given a string.)
  await db.set("abi/watched", "1");
  const watch = await db.doTn(async (tn: any) => tn.watch(buf("abi/watched")));
  const cancelled = await db.doTn(async (tn: any) => tn.watch(buf("abi/watched-too")));
  await db.set("abi/watched", "2");
  assert.equal(await watch.promise, true);
  cancelled.cancel();
  assert.equal(await cancelled.promise, false);

  // clearRange, then the range is empty
  await db.clearRange("abi/r/", "abi/r0");
  assert.equal((await db.getRangeAll("abi/r/", "abi/r0")).length, 0);

  // sizes, split points (FDBKey stride 12), addresses (string arrays), versions
  const estimated = await db.getEstimatedRangeSizeBytes("abi/big/", "abi/big0");
  assert.equal(typeof estimated, "number");
  assert.ok(estimated >= 300 * 200, `estimated range size ${estimated}`);
  const splits = await db.getRangeSplitPoints("abi/big/", "abi/big0", 10_000);
  assert.ok(splits.length >= 3, `split points ${splits.length}`);
  assert.equal(text(splits[0]), "abi/big/");
  assert.equal(text(splits[splits.length - 1]), "abi/big0");
  const approx = await db.doTn(async (tn: any) => {
    tn.set("abi/size", "0123456789");
    return tn.getApproximateSize();
  });
  assert.ok(approx >= 10, `approximate size ${approx}`);
  const [addresses, readVersion] = await db.doTn(async (tn: any) => [await tn.getAddressesForKey("abi/hello"), await tn.getReadVersion()]);
  assert.ok(Array.isArray(addresses) && addresses.length > 0 && String(addresses[0]).includes(":"));
  assert.equal(readVersion.length, 8);

  // error texts and predicates come from the library
  assert.match(new fdb.FDBError("x", 1020).message ?? "", /.*/);
  process.stdout.write(`ABI OK ${JSON.stringify({ attempts, rows: bigRows.length, estimated, splits: splits.length })}\n`);
} finally {
  fdb.stopNetworkSync();
}
