#!/usr/bin/env python3
"""Records the REST and MCP answers of a fixed scenario, normalised, so a refactor can prove
the answers did not change: run it before and after, then diff the two files.

Usage: record-answers.py TASCADED OUTPUT

Starts TASCADED twice on a fresh data directory (authentication disabled, then enabled with
the bootstrap admin key), runs the scenario against each, and writes every answer (status,
the headers that matter, the body) with UUIDs, timestamps, hashes, keys and timings replaced by
stable placeholders (numbered in order of first appearance).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?")
KEY = re.compile(r"tsk_[A-Za-z0-9_\-]+")
HASH = re.compile(r"\b[0-9a-f]{64}\b")  # hash chain links and digests depend on times and ids
MICROS = re.compile(r"\b1\d{15}\b")     # microsecond timestamps (lease expiries)
KEPT_HEADERS = ("content-type", "www-authenticate", "idempotent-replayed", "allow",
                "mcp-protocol-version")


class normaliser:
    def __init__(self):
        self.names = {}

    def _name(self, kind, value):
        key = (kind, value)
        if key not in self.names:
            self.names[key] = "<%s-%d>" % (kind, sum(1 for k in self.names if k[0] == kind) + 1)
        return self.names[key]

    def text(self, s):
        s = UUID.sub(lambda m: self._name("uuid", m.group(0)), s)
        s = KEY.sub(lambda m: self._name("key", m.group(0)), s)
        s = TIME.sub("<time>", s)
        s = HASH.sub("<hash>", s)
        s = MICROS.sub("<micros>", s)
        return s


class client:
    def __init__(self, port, out, norm):
        self.base = "http://127.0.0.1:%d" % port
        self.out = out
        self.norm = norm
        self.key = None
        self.session = None

    def call(self, label, method, target, body=None, headers=None, raw=None):
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        req = urllib.request.Request(self.base + target, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if self.key:
            req.add_header("Authorization", "Bearer " + self.key)
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                status, hdrs, text = res.status, res.headers, res.read().decode()
        except urllib.error.HTTPError as e:
            status, hdrs, text = e.code, e.headers, e.read().decode()
        kept = ["%s: %s" % (h, hdrs[h]) for h in KEPT_HEADERS if hdrs.get(h) is not None]
        if hdrs.get("mcp-session-id"):
            kept.append("mcp-session-id: <present>")
        self.out.write("### %s\n%s %s\n%d\n%s\n%s\n\n" % (
            label, method, self.norm.text(target), status, "\n".join(kept), self.norm.text(text)))
        try:
            return status, json.loads(text), hdrs
        except ValueError:
            return status, text, hdrs

    def rpc(self, label, message, extra_headers=None):
        headers = {"Accept": "application/json, text/event-stream"}
        if self.session:
            headers["Mcp-Session-Id"] = self.session
        headers.update(extra_headers or {})
        status, body, hdrs = self.call(label, "POST", "/mcp", message, headers)
        if hdrs.get("mcp-session-id"):
            self.session = hdrs.get("mcp-session-id")
        return body


def tool(c, label, name, arguments, id_=None):
    body = c.rpc("mcp " + label, {"jsonrpc": "2.0", "id": id_ or label, "method": "tools/call",
                                 "params": {"name": name, "arguments": arguments}})
    try:
        return json.loads(body["result"]["content"][0]["text"])
    except (KeyError, TypeError, ValueError):
        return None


def scenario(c, with_keys):
    c.call("health", "GET", "/health")
    c.call("openapi", "GET", "/openapi.json")
    c.call("not found", "GET", "/v1/nothing")
    c.call("method mismatch", "DELETE", "/v1/projects")
    c.call("bad json", "POST", "/v1/projects", raw=b"{not json")
    c.call("body not object", "POST", "/v1/projects", raw=b"[1,2]")
    c.call("project missing name", "POST", "/v1/projects", {})
    c.call("project unknown field", "POST", "/v1/projects", {"name": "x", "colour": "red"})
    _, p, _ = c.call("create project", "POST", "/v1/projects", {"name": "Recorder"})
    project = p["id"]
    c.call("get project", "GET", "/v1/projects/" + project)
    c.call("get project bad id", "GET", "/v1/projects/not-a-uuid")
    c.call("get project unknown", "GET", "/v1/projects/00000000-0000-4000-8000-000000000000")
    _, ph, _ = c.call("create phase", "POST", "/v1/projects/%s/phases" % project,
                      {"name": "P1", "sequence": 1})
    c.call("phase sequence conflict", "POST", "/v1/projects/%s/phases" % project,
           {"name": "P1b", "sequence": 1})
    _, ms, _ = c.call("create milestone", "POST", "/v1/projects/%s/milestones" % project,
                      {"name": "M1", "sequence": 1, "phase_id": ph["id"]})
    milestone = ms["id"]

    def task(title, extra=None):
        body = {"project_id": project, "milestone_id": milestone, "title": title,
                "task_class": "backend",
                "work_spec": {"objective": "Do " + title, "acceptance_criteria": ["done"]}}
        body.update(extra or {})
        _, t, _ = c.call("create task " + title, "POST", "/v1/tasks", body)
        return t["id"] if isinstance(t, dict) and "id" in t else None

    a = task("A", {"capability_tags": ["backend"]})
    b = task("B")
    g = task("G", {"task_class": "review_gate"})
    c.call("task bad work_spec", "POST", "/v1/tasks",
           {"project_id": project, "milestone_id": milestone, "title": "bad",
            "task_class": "backend", "work_spec": {"objective": 3}})
    c.call("edge", "POST", "/v1/dependencies",
           {"project_id": project, "from_task_id": a, "to_task_id": b, "unlock_on": "implemented"})
    c.call("edge cycle", "POST", "/v1/dependencies",
           {"project_id": project, "from_task_id": b, "to_task_id": a, "unlock_on": "implemented"})
    c.call("list tasks", "GET", "/v1/tasks?project_id=" + project)
    c.call("list tasks paged", "GET", "/v1/tasks?project_id=%s&limit=1&offset=1" % project)
    c.call("list tasks bad limit", "GET", "/v1/tasks?project_id=%s&limit=x" % project)
    c.call("graph", "GET", "/v1/projects/%s/graph" % project)
    c.call("ready", "GET", "/v1/tasks/ready?project_id=%s&agent_id=agent-a" % project)
    c.call("ready caps", "GET",
           "/v1/tasks/ready?project_id=%s&agent_id=agent-a&capabilities=backend,%%20x" % project)
    c.call("ready missing agent", "GET", "/v1/tasks/ready?project_id=" + project)
    c.call("claim", "POST", "/v1/tasks/%s/claim" % a,
           {"project_id": project, "agent_id": "agent-a", "ttl_seconds": 3600})
    c.call("claim again", "POST", "/v1/tasks/%s/claim" % a,
           {"project_id": project, "agent_id": "agent-b", "ttl_seconds": 3600})
    c.call("heartbeat", "POST", "/v1/tasks/%s/heartbeat" % a,
           {"project_id": project, "agent_id": "agent-a", "ttl_seconds": 3600})
    c.call("state in_progress", "POST", "/v1/tasks/%s/state" % a,
           {"project_id": project, "new_state": "in_progress", "actor_id": "agent-a"})
    c.call("artifact", "POST", "/v1/tasks/%s/artifacts" % a,
           {"project_id": project, "agent_id": "agent-a", "branch": "b", "commit_sha": "abc",
            "check_status": "passed", "touched_files": ["src/a.cpp"]})
    c.call("artifact bad status", "POST", "/v1/tasks/%s/artifacts" % a,
           {"project_id": project, "agent_id": "agent-a", "check_status": "unknown"})
    c.call("state implemented", "POST", "/v1/tasks/%s/state" % a,
           {"project_id": project, "new_state": "implemented", "actor_id": "agent-a"})
    c.call("context", "GET", "/v1/tasks/%s/context?project_id=%s" % (a, project))
    c.call("events", "GET", "/v1/tasks/%s/events?project_id=%s" % (a, project))
    c.call("claim-next", "POST", "/v1/tasks/claim-next",
           {"project_id": project, "agent_id": "agent-b", "ttl_seconds": 3600})
    c.call("claim-next nothing", "POST", "/v1/tasks/claim-next",
           {"project_id": project, "agent_id": "agent-c", "ttl_seconds": 3600})
    c.call("gate rule", "POST", "/v1/gate-rules", {"project_id": project, "name": "rule"})
    c.call("checkpoints", "GET", "/v1/gates/checkpoints?project_id=" + project)
    c.call("evaluate", "POST", "/v1/gates/evaluate", {"project_id": project})
    c.call("changeset", "POST", "/v1/plans/changesets",
           {"project_id": project, "base_plan_version": 0, "operations": []})
    c.call("plan current", "GET", "/v1/plans/current?project_id=" + project)
    c.call("digest", "GET", "/v1/admin/digest")
    idem = {"Idempotency-Key": "k-1"}
    c.call("idempotent first", "POST", "/v1/projects", {"name": "Idem"}, idem)
    c.call("idempotent replay", "POST", "/v1/projects", {"name": "Idem"}, idem)
    c.call("idempotent reuse", "POST", "/v1/projects", {"name": "Other"}, idem)

    # MCP over Streamable HTTP
    c.rpc("mcp initialize", {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                             "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                                        "clientInfo": {"name": "rec", "version": "1"}}})
    c.rpc("mcp initialized", {"jsonrpc": "2.0", "method": "notifications/initialized"},
          {"MCP-Protocol-Version": "2025-06-18"})
    c.rpc("mcp ping", {"jsonrpc": "2.0", "id": 2, "method": "ping"})
    cursor, page = None, 0
    while True:
        params = {} if cursor is None else {"cursor": cursor}
        body = c.rpc("mcp tools/list %d" % page,
                     {"jsonrpc": "2.0", "id": 3, "method": "tools/list", "params": params})
        cursor = body.get("result", {}).get("nextCursor") if isinstance(body, dict) else None
        page += 1
        if not cursor or page > 20:
            break
    c.rpc("mcp bad cursor", {"jsonrpc": "2.0", "id": 4, "method": "tools/list",
                             "params": {"cursor": "zzz"}})
    c.rpc("mcp unknown method", {"jsonrpc": "2.0", "id": 5, "method": "nope"})
    c.rpc("mcp unknown tool", {"jsonrpc": "2.0", "id": 6, "method": "tools/call",
                               "params": {"name": "nope", "arguments": {}}})
    tool(c, "instructions", "get_instructions", {})
    tool(c, "health", "health", {})
    tool(c, "create project invalid", "create_project", {})
    tool(c, "create project extra", "create_project", {"name": "x", "colour": 1})
    mp = tool(c, "create project", "create_project", {"name": "ViaMcp"})
    tool(c, "get project", "get_project", {"project_id": project})
    tool(c, "get project unknown", "get_project",
         {"project_id": "00000000-0000-4000-8000-000000000000"})
    tool(c, "list tasks", "list_tasks", {"project_id": project})
    tool(c, "ready", "get_ready_tasks", {"project_id": project, "agent_id": "agent-a"})
    tool(c, "claim conflict", "claim_task",
         {"project_id": project, "task_id": a, "agent_id": "agent-z", "ttl_seconds": 60})
    tool(c, "claim-next", "claim_next_task",
         {"project_id": project, "agent_id": "agent-d", "ttl_seconds": 60})
    c.rpc("mcp stateless list", {"jsonrpc": "2.0", "id": 7, "method": "server/discover",
                                 "params": {"_meta": {
                                     "io.modelcontextprotocol/protocolVersion": "2026-07-28"}}})
    c.rpc("mcp stateless bad version", {"jsonrpc": "2.0", "id": 8, "method": "ping",
                                        "params": {"_meta": {
                                            "io.modelcontextprotocol/protocolVersion": "1999"}}})
    c.call("mcp bad json", "POST", "/mcp", raw=b"{x",
           headers={"Accept": "application/json, text/event-stream"})
    c.call("mcp get", "GET", "/mcp", headers={"Accept": "text/event-stream"})
    c.call("mcp bad origin", "POST", "/mcp", {"jsonrpc": "2.0", "id": 9, "method": "ping"},
           headers={"Origin": "http://evil.example", "Accept": "application/json"})

    if with_keys:
        admin = c.key
        _, k, _ = c.call("issue agent key", "POST", "/v1/api-keys",
                         {"project_id": project, "name": "agent-a", "role_scopes": ["agent"],
                          "created_by": "rec"})
        _, r, _ = c.call("issue reviewer key", "POST", "/v1/api-keys",
                         {"project_id": project, "name": "rev", "role_scopes": ["reviewer"],
                          "created_by": "rec"})
        c.call("list keys", "GET", "/v1/api-keys?project_id=" + project)
        c.key = None
        c.call("no key", "GET", "/v1/tasks?project_id=" + project)
        c.call("no key health", "GET", "/health")
        c.key = "tsk_bogus"
        c.call("bad key", "GET", "/v1/tasks?project_id=" + project)
        c.key = k["key"] if isinstance(k, dict) and "key" in k else k.get("raw_key") if isinstance(k, dict) else None
        c.call("agent lists tasks", "GET", "/v1/tasks?project_id=" + project)
        c.call("agent creates project", "POST", "/v1/projects", {"name": "no"})
        c.call("agent claims as other", "POST", "/v1/tasks/%s/claim" % g,
               {"project_id": project, "agent_id": "agent-b", "ttl_seconds": 60})
        c.call("agent digest", "GET", "/v1/admin/digest")
        c.call("agent other project", "GET", "/v1/tasks?project_id=" + (mp or {}).get("id", project))
        c.session = None
        c.rpc("mcp agent initialize", {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                       "params": {"protocolVersion": "2025-06-18",
                                                  "capabilities": {},
                                                  "clientInfo": {"name": "rec", "version": "1"}}})
        tool(c, "agent create project", "create_project", {"name": "no"})
        tool(c, "agent list", "list_tasks", {"project_id": project})
        c.key = None
        c.rpc("mcp no key", {"jsonrpc": "2.0", "id": 1, "method": "ping"})
        c.key = admin
        c.call("revoke", "POST", "/v1/api-keys/%s/revoke?project_id=%s" % (
            r.get("id") if isinstance(r, dict) else "x", project), {})


def run(binary, out, with_keys):
    data = tempfile.mkdtemp(prefix="tascade-record-")
    args = [binary, "--data", os.path.join(data, "db"), "--port", "0", "--log-level", "info"]
    if not with_keys:
        args.append("--auth-disabled")
    log = open(os.path.join(data, "server.log"), "w")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, text=True)
    port, key = None, None
    try:
        deadline = time.time() + 60
        while time.time() < deadline and port is None and proc.poll() is None:
            time.sleep(0.1)
            text = open(os.path.join(data, "server.log")).read()
            m = re.search(r"admin key \(shown once, keep it\): (\S+)", text)
            if m:
                key = m.group(1)
            m = re.search(r"listening on http://[^ ]*:(\d+)", text)
            if m:
                port = int(m.group(1))
        if port is None:
            raise SystemExit("the server did not say its port")
        norm = normaliser()
        c = client(port, out, norm)
        c.key = key if with_keys else None
        out.write("======== %s ========\n\n" % ("with keys" if with_keys else "auth disabled"))
        scenario(c, with_keys)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)


def main():
    binary, output = sys.argv[1], sys.argv[2]
    with open(output, "w") as out:
        run(binary, out, False)
        run(binary, out, True)


if __name__ == "__main__":
    main()
