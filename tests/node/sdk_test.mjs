// @aws-sdk/client-sfn (JavaScript v3) against `sfn serve`: versions, aliases, TestState, redrive and
// ValidateStateMachineDefinition. Usage: node tests/node/sdk_test.mjs SFN_BINARY
import { spawn } from "node:child_process";
import assert from "node:assert/strict";
import { createInterface } from "node:readline";
import {
  SFNClient, CreateStateMachineCommand, UpdateStateMachineCommand, ListStateMachineVersionsCommand,
  CreateStateMachineAliasCommand, DescribeStateMachineAliasCommand, UpdateStateMachineAliasCommand,
  StartExecutionCommand, DescribeExecutionCommand, TestStateCommand, RedriveExecutionCommand,
  ValidateStateMachineDefinitionCommand, GetExecutionHistoryCommand, DeleteStateMachineAliasCommand,
  PublishStateMachineVersionCommand,
} from "@aws-sdk/client-sfn";

const binary = process.argv[2] ?? "build/bin/sfn";
const role = "arn:aws:iam::123456789012:role/test";
const server = spawn(binary, ["serve", "--port", "0", "--in-memory", "--clock", "virtual"], { stdio: ["ignore", "pipe", "inherit"] });
const port = await new Promise((resolve, reject) => {
  const lines = createInterface({ input: server.stdout });
  lines.once("line", (line) => {
    const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
    m ? resolve(Number(m[1])) : reject(new Error("no address printed: " + line));
  });
  server.once("exit", (code) => reject(new Error("sfn serve exited with " + code)));
});

const client = new SFNClient({
  endpoint: `http://127.0.0.1:${port}`, region: "us-east-1", disableHostPrefix: true, maxAttempts: 1,
  credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local" },
});
const send = (command) => client.send(command);
const definition = (who) => JSON.stringify({ StartAt: "Greet", States: { Greet: { Type: "Pass", Result: { message: `Hello ${who}` }, End: true } } });
const flaky = JSON.stringify({ StartAt: "Try", States: {
  Try: { Type: "Pass", Next: "Check" },
  Check: { Type: "Choice", Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Done" }], Default: "Broken" },
  Broken: { Type: "Fail", Error: "NotYet", Cause: "input says not ok" },
  Done: { Type: "Succeed" } } });

async function finished(executionArn) {
  for (let i = 0; i < 500; i++) {
    const d = await send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== "RUNNING") return d;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("still running: " + executionArn);
}

let failures = 0;
async function check(name, body) {
  try {
    await body();
    console.log("ok -", name);
  } catch (e) {
    failures++;
    console.log("not ok -", name, "\n", e);
  }
}

try {
  await check("versions and aliases route executions", async () => {
    const created = await send(new CreateStateMachineCommand({ name: "js", definition: definition("A"), roleArn: role, publish: true }));
    const v1 = created.stateMachineVersionArn;
    assert.equal(v1, created.stateMachineArn + ":1");
    await send(new UpdateStateMachineCommand({ stateMachineArn: created.stateMachineArn, definition: definition("B") }));
    const v2 = (await send(new PublishStateMachineVersionCommand({ stateMachineArn: created.stateMachineArn, description: "B" }))).stateMachineVersionArn;
    const versions = await send(new ListStateMachineVersionsCommand({ stateMachineArn: created.stateMachineArn }));
    assert.deepEqual(versions.stateMachineVersions.map((v) => v.stateMachineVersionArn), [v2, v1]);
    const { stateMachineAliasArn } = await send(new CreateStateMachineAliasCommand({
      name: "live", routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }] }));
    const alias = await send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn }));
    assert.equal(alias.routingConfiguration[0].weight, 100);
    assert.ok(alias.creationDate instanceof Date);
    let d = await finished((await send(new StartExecutionCommand({ stateMachineArn: stateMachineAliasArn }))).executionArn);
    assert.deepEqual(JSON.parse(d.output), { message: "Hello A" });
    assert.equal(d.stateMachineVersionArn, v1);
    await send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn, routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }] }));
    d = await finished((await send(new StartExecutionCommand({ stateMachineArn: stateMachineAliasArn }))).executionArn);
    assert.deepEqual(JSON.parse(d.output), { message: "Hello B" });
    d = await finished((await send(new StartExecutionCommand({ stateMachineArn: v1 }))).executionArn);
    assert.deepEqual(JSON.parse(d.output), { message: "Hello A" });
    await send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn }));
  });

  await check("TestState runs one state", async () => {
    const out = await send(new TestStateCommand({
      definition: JSON.stringify({ Type: "Pass", Parameters: { "v.$": "$.x" }, Next: "Later" }),
      roleArn: role, input: JSON.stringify({ x: 42 }), inspectionLevel: "DEBUG" }));
    assert.equal(out.status, "SUCCEEDED");
    assert.equal(out.nextState, "Later");
    assert.deepEqual(JSON.parse(out.output), { v: 42 });
    assert.ok(out.inspectionData);
    const choice = await send(new TestStateCommand({ definition: JSON.stringify({ Type: "Choice",
      Choices: [{ Variable: "$.n", NumericGreaterThan: 1, Next: "Big" }], Default: "Small" }), roleArn: role, input: '{"n":5}' }));
    assert.equal(choice.nextState, "Big");
  });

  await check("a failed execution is redriven", async () => {
    const { stateMachineArn } = await send(new CreateStateMachineCommand({ name: "flaky", definition: flaky, roleArn: role }));
    const { executionArn } = await send(new StartExecutionCommand({ stateMachineArn, input: '{"ok":false}' }));
    let d = await finished(executionArn);
    assert.equal(d.status, "FAILED");
    assert.equal(d.error, "NotYet");
    assert.equal(d.redriveStatus, "REDRIVABLE");
    const { redriveDate } = await send(new RedriveExecutionCommand({ executionArn }));
    assert.ok(redriveDate instanceof Date);
    d = await finished(executionArn);
    assert.equal(d.redriveCount, 1);
    const { events } = await send(new GetExecutionHistoryCommand({ executionArn }));
    assert.ok(events.some((e) => e.type === "ExecutionRedriven" && e.executionRedrivenEventDetails.redriveCount === 1));
    assert.deepEqual(events.map((e) => e.id), events.map((_, i) => i + 1));
  });

  await check("ValidateStateMachineDefinition reports OK and FAIL", async () => {
    const ok = await send(new ValidateStateMachineDefinitionCommand({ definition: definition("x") }));
    assert.equal(ok.result, "OK");
    assert.deepEqual(ok.diagnostics, []);
    const bad = await send(new ValidateStateMachineDefinitionCommand({ definition: '{"StartAt":"Missing","States":{}}' }));
    assert.equal(bad.result, "FAIL");
    assert.equal(bad.diagnostics[0].severity, "ERROR");
    assert.ok(bad.diagnostics[0].message.length > 0);
  });

  await check("errors carry AWS names", async () => {
    await assert.rejects(send(new DescribeExecutionCommand({ executionArn: "arn:aws:states:us-east-1:123456789012:execution:none:x" })),
      (e) => e.name === "ExecutionDoesNotExist");
    await assert.rejects(send(new CreateStateMachineAliasCommand({ name: "123", routingConfiguration: [] })),
      (e) => e.name === "ValidationException");
  });
} finally {
  server.kill("SIGTERM");
}
console.log(failures === 0 ? "all node SDK checks passed" : `${failures} node SDK check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
