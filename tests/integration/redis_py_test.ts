// redis-py (Debian's python3-redis) against Materia: pub/sub with its
// PubSub object (subscribe, psubscribe, get_message, unsubscribe) and
// publish; blocking pops (blpop, brpoplpush, bzpopmin) served by a push
// from another thread. The Python program prints one JSON line of what it observed;
// the test compares it with what Redis's documented behaviour gives.
// Skipped when /usr/bin/python3 cannot import redis (apt-get install python3-redis).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { startInProcess, type RunningServer } from "../support/servers.ts";

const PYTHON = "/usr/bin/python3";
const available = spawnSync(PYTHON, ["-c", "import redis"], { stdio: "ignore" }).status === 0;

/** Runs `program` with the server's port as argv[1]; answers its last stdout line, parsed. */
async function runPython(program: string, port: number): Promise<unknown> {
  const { spawn } = await import("node:child_process");
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ["-c", program, String(port)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`python exited with ${code}: ${err}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").pop()!));
      } catch (error) {
        reject(new Error(`python printed ${JSON.stringify(out)}: ${String(error)}`));
      }
    });
  });
}

const PUBSUB_PROGRAM = `
import json, sys, time, redis
r = redis.Redis(host="127.0.0.1", port=int(sys.argv[1]))
p = r.pubsub()
p.subscribe("news")
p.psubscribe("sport.*")
# redis-py sends SUBSCRIBE without waiting: read both confirmations before counting subscribers.
confirmed = []
deadline = time.time() + 3
while len(confirmed) < 2 and time.time() < deadline:
    m = p.get_message(timeout=0.2)
    if m is not None:
        confirmed.append(m["type"])
def next_message():
    deadline = time.time() + 3
    while time.time() < deadline:
        m = p.get_message(timeout=0.2)
        if m is not None:
            return [m["type"], (m["pattern"] or b"").decode(), m["channel"].decode(), m["data"].decode()]
    return None
out = {"confirmed": confirmed}
out["numsub"] = [[c.decode(), n] for c, n in r.pubsub_numsub("news")]
out["numpat"] = r.pubsub_numpat()
out["published"] = [r.publish("news", "hello"), r.publish("sport.tennis", "ace"), r.publish("weather", "rain")]
out["received"] = [next_message(), next_message()]
p.unsubscribe("news")
p.punsubscribe("sport.*")
time.sleep(0.2)
out["after"] = r.publish("news", "again")
p.close()
print(json.dumps(out))
`;

const BLOCKING_PROGRAM = `
import json, sys, threading, time, redis
port = int(sys.argv[1])
r = redis.Redis(host="127.0.0.1", port=port)
pusher = redis.Redis(host="127.0.0.1", port=port)
def push_later():
    time.sleep(0.2)
    pusher.rpush("jobs", "j1")
    time.sleep(0.2)
    pusher.rpush("queue", "task")
    time.sleep(0.2)
    pusher.zadd("ranked", {"low": 1, "high": 2})
threading.Thread(target=push_later).start()
out = {}
started = time.time()
out["blpop"] = [x.decode() for x in r.blpop(["missing", "jobs"], timeout=5)]
out["brpoplpush"] = r.brpoplpush("queue", "processing", timeout=5).decode()
out["processing"] = [x.decode() for x in r.lrange("processing", 0, -1)]
key, member, score = r.bzpopmin("ranked", timeout=5)
out["bzpopmin"] = [key.decode(), member.decode(), score]
out["waited"] = time.time() - started > 0.5
t0 = time.time()
out["timeout"] = r.blpop("never", timeout=0.3)
out["timed_out_after_0_3"] = 0.25 < time.time() - t0 < 1.5
print(json.dumps(out))
`;

describe("redis-py", { skip: available ? false : `${PYTHON} cannot import redis (apt-get install python3-redis)` }, () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess();
  });
  after(() => server.stop());

  test("blocking pops: blpop, brpoplpush and bzpopmin served by another thread's pushes; a timeout answers None", async () => {
    const observed = await runPython(BLOCKING_PROGRAM, server.port);
    assert.deepEqual(observed, {
      blpop: ["jobs", "j1"],
      brpoplpush: "task",
      processing: ["task"],
      bzpopmin: ["ranked", "low", 1],
      waited: true,
      timeout: null,
      timed_out_after_0_3: true,
    });
  });

  test("pub/sub: subscribe, psubscribe, publish, get_message, unsubscribe", async () => {
    const observed = await runPython(PUBSUB_PROGRAM, server.port);
    assert.deepEqual(observed, {
      confirmed: ["subscribe", "psubscribe"],
      numsub: [["news", 1]],
      numpat: 1,
      published: [1, 1, 0],
      received: [["message", "", "news", "hello"], ["pmessage", "sport.*", "sport.tennis", "ace"]],
      after: 0,
    });
  });
});
