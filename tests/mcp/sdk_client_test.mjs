// Tascade's MCP surface through the official MCP TypeScript SDK (@modelcontextprotocol/sdk),
// over one transport per run: `ws` (WebSocket at /mcp), `http` (Streamable HTTP at /mcp) or
// `stdio` (the `tascade mcp` bridge). It starts its own tascaded with API keys required, then:
// initialize, list every tool (names and schemas checked against the REST catalogue), and a
// whole agent loop with three identities (planner/admin, agent, reviewer), asserting each result.
//
// usage: node sdk_client_test.mjs --transport ws|http|stdio --tascaded PATH --tascade PATH

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

// Node 20 has no global WebSocket; the SDK's WebSocket transport uses the global one.
globalThis.WebSocket ??= WebSocket;

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const transportKind = args.transport;
assert.ok(['ws', 'http', 'stdio'].includes(transportKind), '--transport ws|http|stdio');
assert.ok(args.tascaded && args.tascade, '--tascaded PATH --tascade PATH');

// The reference's tools (spec §15.3) that this build offers. The governance tools
// (gates, changesets) join this list when the governance operations are in the catalogue.
const referenceTools = [
  'create_project', 'get_project', 'list_projects', 'create_phase', 'create_milestone',
  'create_task', 'get_task', 'transition_task_state', 'create_dependency', 'list_tasks',
  'create_task_artifact', 'list_task_artifacts', 'enqueue_integration_attempt',
  'update_integration_attempt_result', 'list_integration_attempts', 'list_ready_tasks',
  'claim_task', 'heartbeat_task', 'assign_task', 'get_task_context', 'get_project_graph',
  'get_instructions', 'create_gate_rule', 'create_gate_decision', 'list_gate_decisions',
  'evaluate_gate_policies', 'create_plan_changeset', 'apply_plan_changeset'];

function startServer() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tascade-mcp-'));
  const child = spawn(args.tascaded, ['--port', '0', '--data', dataDir, '--log-level', 'info'],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tascaded did not start:\n${output}`)), 20000);
    const onData = (chunk) => {
      output += chunk;
      const key = output.match(/admin key \(shown once, keep it\): (\S+)/);
      const port = output.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (key && port) {
        clearTimeout(timer);
        resolve({ child, dataDir, adminKey: key[1], port: Number(port[1]) });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`tascaded exited (${code}):\n${output}`)));
  });
}

function transportFor(server, key) {
  const base = `127.0.0.1:${server.port}`;
  if (transportKind === 'ws')  // browser-style WebSocket cannot set headers: the key rides in the URL
    return new WebSocketClientTransport(new URL(`ws://${base}/mcp?access_token=${encodeURIComponent(key)}`));
  if (transportKind === 'http')
    return new StreamableHTTPClientTransport(new URL(`http://${base}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${key}` } } });
  return new StdioClientTransport({
    command: args.tascade, args: ['mcp', '--url', `ws://${base}/mcp`],
    env: { PATH: process.env.PATH ?? '', TASCADE_API_KEY: key }, stderr: 'inherit' });
}

async function connect(server, key, name) {
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(transportFor(server, key));
  return client;
}

// Calls a tool and returns its JSON result; fails the test on an error result.
async function call(client, name, input) {
  const result = await client.callTool({ name, arguments: input });
  const text = result.content?.[0]?.text ?? '';
  assert.notEqual(result.isError, true, `${name} failed: ${text}`);
  return name === 'get_instructions' ? text : JSON.parse(text);
}

// Calls a tool that must fail, and returns the normalised error object.
async function refused(client, name, input) {
  const result = await client.callTool({ name, arguments: input });
  assert.equal(result.isError, true, `${name} should have failed: ${JSON.stringify(result)}`);
  const text = result.content[0].text;
  const prefix = `Error executing tool ${name}: `;
  assert.ok(text.startsWith(prefix), text);
  return JSON.parse(text.slice(prefix.length)).error;
}

async function listAllTools(client) {
  const tools = [];
  let cursor;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}

async function checkTools(client, server) {
  const tools = await listAllTools(client);
  const byName = new Map(tools.map((t) => [t.name, t]));
  assert.equal(byName.size, tools.length, 'tool names are unique');
  for (const name of referenceTools)
    assert.ok(byName.has(name), `reference tool ${name} is listed`);
  // Every REST operation is a tool too (the catalogue is the one source); the transports
  // themselves (MCP, the event streams) are marked x-tascade-transport.
  const doc = await (await fetch(`http://127.0.0.1:${server.port}/openapi.json`)).json();
  for (const methods of Object.values(doc.paths))
    for (const op of Object.values(methods))
      if (!op['x-tascade-transport']) assert.ok(byName.has(op.operationId), `REST operation ${op.operationId} is a tool`);
  for (const tool of tools) {
    assert.match(tool.name, /^[A-Za-z0-9_.-]{1,128}$/);
    assert.ok(tool.description && tool.description.length > 10, `${tool.name} has a description`);
    assert.equal(tool.inputSchema.type, 'object', `${tool.name} input is an object schema`);
    for (const field of tool.inputSchema.required ?? [])
      assert.ok(field in tool.inputSchema.properties, `${tool.name}: required ${field} is described`);
  }
  const createTask = byName.get('create_task').inputSchema;
  for (const field of ['project_id', 'title', 'task_class', 'work_spec'])
    assert.ok(createTask.required.includes(field), `create_task requires ${field}`);
  assert.ok('milestone_id' in createTask.properties, 'create_task takes milestone_id');
  assert.ok(createTask.properties.task_class.enum.includes('backend'));
  const claim = byName.get('claim_task').inputSchema;
  assert.deepEqual(['agent_id', 'project_id', 'task_id'].filter((f) => claim.required.includes(f)),
                   ['agent_id', 'project_id', 'task_id']);
  return tools.length;
}

async function agentLoop(server, admin) {
  const guide = await call(admin, 'get_instructions', {});
  for (const needle of ['Project Setup', 'task_class', 'work_spec', 'reviewed_by', 'create_task_artifact'])
    assert.ok(guide.includes(needle), `the guide mentions ${needle}`);

  // The planner's part (the admin key): project, phase, milestone, two tasks, a dependency.
  const project = await call(admin, 'create_project', { name: `mcp-${transportKind}` });
  assert.equal(project.name, `mcp-${transportKind}`);
  const phase = await call(admin, 'create_phase', { project_id: project.id, name: 'Build', sequence: 0 });
  assert.equal(phase.short_id, 'P1');
  const milestone = await call(admin, 'create_milestone',
                               { project_id: project.id, phase_id: phase.id, name: 'First', sequence: 0 });
  assert.equal(milestone.short_id, 'P1.M1');
  const spec = { objective: 'Do it', acceptance_criteria: ['done'] };
  const first = await call(admin, 'create_task', { project_id: project.id, milestone_id: milestone.id,
    title: 'Schema', task_class: 'backend', work_spec: spec, capability_tags: ['db'] });
  const second = await call(admin, 'create_task', { project_id: project.id, milestone_id: milestone.id,
    title: 'API', task_class: 'backend', work_spec: spec });
  assert.equal(first.state, 'ready');
  assert.equal(first.short_id, 'P1.M1.T1');
  const edge = await call(admin, 'create_dependency', { project_id: project.id,
    from_task_id: first.id, to_task_id: second.id, unlock_on: 'implemented' });
  assert.equal(edge.from_task_id, first.id);
  const cycle = await refused(admin, 'create_dependency', { project_id: project.id,
    from_task_id: second.id, to_task_id: first.id, unlock_on: 'implemented' });
  assert.equal(cycle.code, 'CYCLE_DETECTED');
  assert.equal(cycle.retryable, false);
  const missing = await refused(admin, 'get_project', { project_id: '00000000-0000-4000-8000-000000000000' });
  assert.deepEqual(missing, { code: 'PROJECT_NOT_FOUND', message: 'Project not found', retryable: false });
  const invalid = await refused(admin, 'create_phase', { project_id: project.id, name: 'x', sequence: 'one' });
  assert.equal(invalid.code, 'VALIDATION_ERROR');

  // Keys for the agent and the reviewer, made through MCP as well.
  const agentKey = await call(admin, 'create_api_key', { project_id: project.id, name: 'agent-1',
    role_scopes: ['agent'], created_by: 'admin' });
  const reviewerKey = await call(admin, 'create_api_key', { project_id: project.id, name: 'reviewer-1',
    role_scopes: ['reviewer'], created_by: 'admin' });
  const agent = await connect(server, agentKey.raw_key, 'agent-1');
  const reviewer = await connect(server, reviewerKey.raw_key, 'reviewer-1');
  try {
    // The agent's part: ready work, claim, heartbeat, artifact, implemented.
    let ready = await call(agent, 'list_ready_tasks', { project_id: project.id, agent_id: 'agent-1' });
    assert.deepEqual(ready.items.map((t) => t.id), [first.id], 'only the prerequisite is ready');
    const denied = await refused(agent, 'create_project', { name: 'not mine' });
    assert.equal(denied.code, 'INSUFFICIENT_ROLE');
    const impostor = await refused(agent, 'claim_task', { task_id: first.id, project_id: project.id,
      agent_id: 'someone-else' });
    assert.equal(impostor.code, 'IDENTITY_MISMATCH');
    const claim = await call(agent, 'claim_task', { task_id: first.id, project_id: project.id, agent_id: 'agent-1' });
    assert.equal(claim.task.state, 'claimed');
    assert.ok(claim.lease.token, 'the claim hands out a lease token');
    const beat = await call(agent, 'heartbeat_task', { task_id: first.id, project_id: project.id,
      agent_id: 'agent-1', lease_token: claim.lease.token });
    assert.equal(beat.stale, false);
    assert.ok(Date.parse(beat.lease_expires_at) > Date.now());
    await call(agent, 'transition_task_state', { task_id: first.id, project_id: project.id,
      new_state: 'in_progress', actor_id: 'agent-1', reason: 'started' });
    const artifact = await call(agent, 'create_task_artifact', { project_id: project.id, task_id: first.id,
      agent_id: 'agent-1', branch: 'feat/schema', commit_sha: 'abc123', check_status: 'passed',
      touched_files: ['schema.sql'] });
    assert.equal(artifact.check_status, 'passed');
    const implemented = await call(agent, 'transition_task_state', { task_id: first.id, project_id: project.id,
      new_state: 'implemented', actor_id: 'agent-1', reason: 'done' });
    assert.equal(implemented.task.state, 'implemented');
    ready = await call(agent, 'list_ready_tasks', { project_id: project.id, agent_id: 'agent-1' });
    assert.deepEqual(ready.items.map((t) => t.id), [second.id], 'the dependent unlocked');
    const notYours = await refused(agent, 'transition_task_state', { task_id: first.id, project_id: project.id,
      new_state: 'integrated', actor_id: 'agent-1', reason: 'self', reviewed_by: 'agent-1',
      review_evidence_refs: ['review://1'] });
    assert.equal(notYours.code, 'SELF_REVIEW_NOT_ALLOWED');

    // The reviewer's part: integrate with review evidence.
    const integrated = await call(reviewer, 'transition_task_state', { task_id: first.id, project_id: project.id,
      new_state: 'integrated', actor_id: 'reviewer-1', reason: 'reviewed', reviewed_by: 'review-board',
      review_evidence_refs: ['review://thread/1'] });
    assert.equal(integrated.task.state, 'integrated');
    const context = await call(reviewer, 'get_task_context', { project_id: project.id, task_id: second.id });
    assert.deepEqual(context.ancestors.map((a) => [a.id, a.state, a.depth]), [[first.id, 'integrated', 1]]);
    const graph = await call(reviewer, 'get_project_graph', { project_id: project.id, include_completed: false });
    assert.deepEqual(graph.tasks.map((t) => t.id), [second.id]);
  } finally {
    await agent.close();
    await reviewer.close();
  }
}

async function main() {
  const server = await startServer();
  let failed = false;
  try {
    const admin = await connect(server, server.adminKey, 'tascade-test-admin');
    const version = admin.getServerVersion();
    assert.equal(version.name, 'tascade');
    assert.ok(admin.getServerCapabilities().tools, 'the server declares tools');
    await admin.ping();
    const count = await checkTools(admin, server);
    await agentLoop(server, admin);
    await admin.close();
    console.log(`ok: ${transportKind}: ${count} tools listed, agent loop passed`);
  } catch (err) {
    failed = true;
    console.error(`FAILED (${transportKind}):`, err);
  } finally {
    server.child.removeAllListeners('exit');
    // Wait for the server to finish stopping (it writes a last checkpoint) before removing
    // its directory, or the removal races its last files.
    const running = server.child.exitCode === null && server.child.signalCode === null;
    const exited = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGTERM');
    if (running)
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10000))]);
    rmSync(server.dataDir, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

main();
