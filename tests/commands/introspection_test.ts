// COMMAND and CLIENT introspection, generated from the command table, as
// clients and GUIs read it (redis-cli builds its hints from COMMAND DOCS).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { ALL_COMMANDS } from "../../src/commands/table.ts";
import { RawClient } from "../support/raw_client.ts";
import { type RunningServer, startInProcess } from "../support/servers.ts";

let server: RunningServer;
let client: RawClient;

before(async () => {
  server = await startInProcess();
  client = await RawClient.connect(server.port);
});

after(async () => {
  client.close();
  await server.stop();
});

test("COMMAND COUNT counts every declared command", async () => {
  assert.equal(await client.call("COMMAND", "COUNT"), `:${ALL_COMMANDS.length}\r\n`);
});

test("COMMAND LIST names every command and subcommand, and FILTERBY narrows it", async () => {
  const all = await client.call("COMMAND", "LIST");
  for (const spec of ALL_COMMANDS) assert.ok(all.includes(`\r\n${spec.name}\r\n`), spec.name);
  assert.ok(all.includes("\r\nclient|setname\r\n"));
  const matching = await client.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "getr*");
  assert.equal(matching, "*1\r\n$8\r\ngetrange\r\n");
  const strings = await client.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "string");
  assert.ok(strings.includes("$4\r\nincr\r\n") && !strings.includes("$4\r\nping\r\n"));
  assert.equal(await client.call("COMMAND", "LIST", "FILTERBY", "MODULE", "json"), "*0\r\n");
  assert.equal(await client.call("COMMAND", "LIST", "FILTERBY", "NOPE", "x"), "-ERR syntax error\r\n");
});

test("COMMAND DOCS gives a map per command with summary, since, group, complexity and arguments; unknown names are skipped", async () => {
  const docs = await client.call("COMMAND", "DOCS", "set", "nosuchcommand");
  assert.match(docs, /^\*2\r\n\$3\r\nset\r\n\*\d+\r\n\$7\r\nsummary\r\n/);
  for (const field of ["since", "group", "complexity", "arguments", "token", "EXAT", "optional"]) assert.ok(docs.includes(field), field);
  await client.call("HELLO", "3");
  const resp3 = await client.call("COMMAND", "DOCS", "get");
  assert.match(resp3, /^%1\r\n\$3\r\nget\r\n%5\r\n/);
  const container = await client.call("COMMAND", "DOCS", "client");
  assert.ok(container.includes("subcommands") && container.includes("client|setname"));
  await client.call("HELLO", "2");
  const everything = await client.call("COMMAND", "DOCS");
  assert.match(everything, new RegExp(`^\\*${ALL_COMMANDS.length * 2}\\r\\n`));
});

test("COMMAND HELP and CLIENT HELP list their subcommands as status lines", async () => {
  const commandHelp = await client.call("COMMAND", "HELP");
  assert.match(commandHelp, /^\*\d+\r\n\+COMMAND <subcommand>/);
  assert.ok(commandHelp.includes("+DOCS"));
  const clientHelp = await client.call("CLIENT", "HELP");
  assert.match(clientHelp, /^\*\d+\r\n\+CLIENT <subcommand>/);
  assert.ok(clientHelp.includes("+SETINFO"));
});

test("CLIENT SETINFO records the library name and version shown by CLIENT INFO, and rejects bad input", async () => {
  assert.equal(await client.call("CLIENT", "SETINFO", "LIB-NAME", "mylib"), "+OK\r\n");
  assert.equal(await client.call("client", "setinfo", "lib-ver", "1.2.3"), "+OK\r\n");
  assert.match(await client.call("CLIENT", "INFO"), /lib-name=mylib lib-ver=1\.2\.3\n\r\n$/);
  assert.equal(await client.call("CLIENT", "SETINFO", "LIB-FOO", "x"), "-ERR Unrecognized option 'LIB-FOO'\r\n");
  assert.equal(await client.call("CLIENT", "SETINFO", "LIB-NAME", "a b"), "-ERR LIB-NAME cannot contain spaces, newlines or special characters.\r\n");
  assert.equal(await client.call("CLIENT", "SETINFO", "LIB-NAME"), "-ERR wrong number of arguments for 'client|setinfo' command\r\n");
});

test("COMMAND GETKEYS finds key positions from the declaration", async () => {
  assert.equal(await client.call("COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2"), "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
  assert.equal(await client.call("COMMAND", "GETKEYS", "GET", "k"), "*1\r\n$1\r\nk\r\n");
});

test("COMMAND GETKEYS finds movable keys (SINTERCARD numkeys key...) and dispatch checks their sizes", async () => {
  assert.equal(await client.call("COMMAND", "GETKEYS", "SINTERCARD", "2", "a", "b", "LIMIT", "1"), "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
  const longKey = "k".repeat(9000);
  assert.match(await client.call("SINTERCARD", "1", longKey), /^-ERR key is 9000 bytes/);
});

test("MODULE LIST answers an empty list (GUIs ask it on connect) and MODULE HELP lists the subcommands", async () => {
  assert.equal(await client.call("MODULE", "LIST"), "*0\r\n");
  assert.match(await client.call("MODULE", "HELP"), /^\*\d+\r\n\+MODULE <subcommand>/);
  assert.equal(await client.call("MODULE", "LOAD", "x"), "-ERR unknown subcommand 'LOAD'. Try MODULE HELP.\r\n");
});
