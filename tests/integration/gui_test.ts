// A real Redis GUI against Materia: redis-commander (from npm, run by Node on
// loopback) connected with a password to `materia serve --engine sqlite`,
// driven by playwright-core in Debian's headless chromium. It lists keys of
// every type, opens a hash and a list, edits a string and sets a TTL, and
// ioredis checks that Materia holds what the GUI wrote. A screenshot goes to
// test-artifacts/.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { Redis } from "ioredis";
import type { Page } from "playwright-core";
import { guiSkipReason, launchChromium, startRedisCommander, type Browser, type RedisCommander } from "../support/chromium.ts";
import { signalServer, TempDirs } from "../support/processes.ts";
import { projectRoot } from "../support/runtime.ts";
import { spawnServer, type ServerProcess } from "../support/servers.ts";

const PASSWORD = "gui-secret";
const UI_TIMEOUT_MS = 5_000;
const ARTIFACTS = `${projectRoot}test-artifacts`;

const KEYS = {
  string: "greeting",
  hash: "profile",
  list: "queue",
  set: "tags",
  ttl: "session",
} as const;

describe("redis-commander in headless chromium against materia serve --engine sqlite with a password", { skip: guiSkipReason() }, () => {
  const dirs = new TempDirs();
  let server: ServerProcess | undefined;
  let client: Redis | undefined;
  let commander: RedisCommander | undefined;
  let browser: Browser | undefined;
  let page: Page;

  /** The key's node in the tree: its name, and for lists, sets and hashes their size, as in `queue (3)`. */
  function keyNode(key: string) {
    return page.locator("#keyTree a.jstree-anchor", { hasText: new RegExp(`^${key}( \\(\\d+\\))?$`) });
  }

  /** Clicks the key's node in redis-commander's tree and waits until its editor shows the key. */
  async function openKey(key: string): Promise<string> {
    await keyNode(key).click();
    const data = page.locator("#itemData");
    await data.getByText(key, { exact: true }).waitFor({ timeout: UI_TIMEOUT_MS });
    return await data.innerText();
  }

  before(async () => {
    server = await spawnServer(["--engine", "sqlite", "--data", dirs.make("gui")], { env: { MATERIA_PASSWORD: PASSWORD } });
    client = new Redis({ host: "127.0.0.1", port: server.port, password: PASSWORD, lazyConnect: true, retryStrategy: () => null });
    client.on("error", () => {});
    await client.connect();
    await client.set(KEYS.string, "hello from ioredis");
    await client.hset(KEYS.hash, "name", "Ada Lovelace", "city", "London");
    await client.rpush(KEYS.list, "first-item", "second-item", "third-item");
    await client.sadd(KEYS.set, "red", "green");
    await client.set(KEYS.ttl, "token", "EX", 3600);

    commander = await startRedisCommander({ port: server.port, password: PASSWORD });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await page.goto(commander.url);
  });

  after(async () => {
    if (browser !== undefined) {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page?.screenshot({ path: `${ARTIFACTS}/redis-commander.png`, fullPage: true }).catch(() => {});
      await browser.close();
    }
    await commander?.stop();
    client?.disconnect();
    if (server !== undefined) await signalServer(server, "SIGTERM");
    dirs.removeAll();
  });

  test("the server node opens Materia's server information, without an error", async () => {
    // The tree says "Loading ..." until redis-commander has connected and scanned.
    const root = page.locator("#keyTree a.jstree-anchor", { hasText: `127.0.0.1:${server!.port}` });
    await root.waitFor();
    await root.click();
    const body = page.locator("#body");
    await body.getByText("Redis version").waitFor();
    assert.doesNotMatch(await body.innerText(), /ERROR/);
  });

  test("the key tree lists a string, a hash, a list, a set and a key with a TTL", async () => {
    for (const key of Object.values(KEYS)) {
      await keyNode(key).waitFor();
      assert.equal(await keyNode(key).count(), 1, `${key} is in the tree once: ${await page.locator("#keyTree").innerText()}`);
    }
  });

  test("opening the hash shows its fields and values", async () => {
    const text = await openKey(KEYS.hash);
    assert.match(text, /Type: hash/i);
    for (const part of ["name", "Ada Lovelace", "city", "London"]) assert.ok(text.includes(part), `${part} is shown: ${text}`);
  });

  test("opening the list shows its items in order", async () => {
    const text = await openKey(KEYS.list);
    assert.match(text, /Type: list/i);
    const positions = ["first-item", "second-item", "third-item"].map((item) => text.indexOf(item));
    assert.ok(positions.every((at) => at >= 0), `every item is shown: ${text}`);
    assert.deepEqual([...positions].sort((a, b) => a - b), positions);
  });

  test("the key with a TTL shows a positive TTL", async () => {
    const text = await openKey(KEYS.ttl);
    const ttl = Number(/TTL: (-?\d+)/.exec(text)?.[1]);
    assert.ok(ttl > 0 && ttl <= 3600, `TTL shown: ${text}`);
  });

  test("editing the string in the GUI stores the new value in Materia", async () => {
    const text = await openKey(KEYS.string);
    assert.match(text, /Type: string/i);
    const value = page.locator("#stringValue");
    assert.equal(await value.inputValue(), "hello from ioredis");
    await value.fill("edited in redis-commander");
    await page.locator("#editStringForm #saveKeyButton").click();
    const deadline = Date.now() + UI_TIMEOUT_MS;
    while ((await client!.get(KEYS.string)) !== "edited in redis-commander" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(await client!.get(KEYS.string), "edited in redis-commander");
  });

  // redis-commander's key views show the TTL but have no control to change
  // it: its command line panel is how a user sets one.
  test("EXPIRE typed in the GUI's command line sets a TTL in Materia", async () => {
    assert.equal(await client!.ttl(KEYS.string), -1);
    await page.locator("#commandLine").click();
    const input = page.locator("#_readline_cliForm input");
    await input.fill(`EXPIRE ${KEYS.string} 100`);
    await input.press("Enter");
    await page.locator("#commandLineOutput .commandLineCommand", { hasText: `EXPIRE ${KEYS.string} 100` }).waitFor({ state: "attached" });
    const deadline = Date.now() + UI_TIMEOUT_MS;
    while ((await client!.ttl(KEYS.string)) < 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const ttl = await client!.ttl(KEYS.string);
    assert.ok(ttl > 0 && ttl <= 100, `TTL is ${ttl}`);
    // The panel prints the command (spaces as &nbsp;), a line break, then the reply.
    const replyLine = async () => {
      const html = await page.locator("#commandLineOutput").innerHTML();
      return /EXPIRE(?:&nbsp;| )greeting(?:&nbsp;| )100<\/span><br>([^<]*)/.exec(html)?.[1];
    };
    const shownBy = Date.now() + UI_TIMEOUT_MS;
    while ((await replyLine()) === undefined && Date.now() < shownBy) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await replyLine(), "1", await page.locator("#commandLineOutput").innerHTML());
  });
});
