#pragma once
/// Shared set-up for the end-to-end suites: a server on a fresh data directory, and helpers that
/// build the spec's "setup H" (a project with phase P1 and milestone P1.M1) over REST.
///
/// The helpers throw `std::runtime_error` (quoting the response) when the server does not answer
/// as expected, so a broken set-up fails the test at the step that broke.

#include "tests/support/http_client.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace tascade::test {

/// Runs the `tascade` tool and parses the JSON object it prints; throws (quoting its output)
/// when it fails or prints something else.
inline boost::json::object run_tool_json(const std::vector<std::string>& args) {
  auto r = run_program(TASCADE_TOOL_PATH, args);
  if (r.exit_code != 0)
    throw std::runtime_error("tascade exited " + std::to_string(r.exit_code) +
                             "\nstdout: " + r.out + "\nstderr: " + r.err);
  boost::system::error_code ec;
  auto v = boost::json::parse(r.out, ec);
  if (ec || !v.is_object())
    throw std::runtime_error("tascade printed no JSON object: " + r.out + "\nstderr: " + r.err);
  return std::move(v.get_object());
}

/// Events a fresh data directory holds before the first request: the admin key a server makes
/// on its first start when the suites run with keys.
inline uint64_t bootstrap_events() { return auth_mode() ? 1 : 0; }

/// A server on its own temporary data directory, with one keep-alive client.
struct running_server {
  explicit running_server(std::vector<std::string> extra_args = {})
      : server(data.str(), std::move(extra_args)), client(server.client()) {}

  temp_dir data;          ///< removed after the server is gone
  server_process server;  ///< killed when the test ends
  http_client client;     ///< one keep-alive connection to `server`
};

/// The body of `r` as a JSON object when its status is `status`; throws otherwise.
inline boost::json::object expect_object(const http_response& r, int status,
                                         std::string_view what) {
  if (r.status != status)
    throw std::runtime_error(std::string(what) + ": expected HTTP " + std::to_string(status) +
                             ", got " + std::to_string(r.status) + " " + r.body);
  auto v = r.json();
  if (!v.is_object())
    throw std::runtime_error(std::string(what) + ": body is not an object: " + r.body);
  return std::move(v.get_object());
}

/// The `error.code` of an error envelope, or "" when the body has none.
inline std::string error_code(const http_response& r) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  if (ec || !v.is_object())
    return {};
  auto* error = v.get_object().if_contains("error");
  if (!error || !error->is_object())
    return {};
  auto* code = error->get_object().if_contains("code");
  return code && code->is_string() ? std::string(code->get_string()) : std::string{};
}

/// A string member of `o`, or "" when it is missing or not a string.
inline std::string str(const boost::json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string{};
}

/// A UUID no test creates, and the nil UUID: for "not found" answers.
inline constexpr const char* unknown_uuid = "3f2b8c1e-9d4a-4b6e-8f1a-2c3d4e5f6a7b";
inline constexpr const char* nil_uuid = "00000000-0000-0000-0000-000000000000";

/// The `id` member of an object.
inline std::string id_of(const boost::json::object& o) { return str(o, "id"); }

/// The `key` member of each object of an array, in order.
inline std::vector<std::string> ids_of(const boost::json::value& items,
                                       std::string_view key = "id") {
  std::vector<std::string> out;
  for (auto& item : items.as_array())
    out.emplace_back(item.at(key).as_string());
  return out;
}

/// The ids of an array of objects, as a set.
inline std::set<std::string> id_set(const boost::json::value& items) {
  auto ids = ids_of(items);
  return {ids.begin(), ids.end()};
}

/// An array of strings.
inline std::vector<std::string> strings_of(const boost::json::value& v) {
  std::vector<std::string> out;
  for (auto& item : v.as_array())
    out.emplace_back(item.as_string());
  return out;
}

/// Whether the spec's transition table (§6.2) allows `from` → `to`, written out as the spec
/// states it, independently of the server's rules.
inline bool spec_transition_allowed(const std::string& from, const std::string& to) {
  static const std::map<std::string, std::set<std::string>> table{
    {"backlog", {"ready", "abandoned", "cancelled"}},
    {"ready", {"in_progress", "blocked", "abandoned", "cancelled"}},
    {"reserved", {"ready", "blocked", "abandoned", "cancelled"}},
    {"claimed", {"in_progress", "blocked", "abandoned", "cancelled"}},
    {"in_progress", {"implemented", "blocked", "abandoned", "cancelled"}},
    {"implemented", {"integrated", "conflict", "blocked"}},
    {"conflict", {"in_progress", "blocked", "abandoned"}},
    {"blocked", {"ready", "in_progress", "abandoned", "cancelled"}},
  };
  auto it = table.find(from);
  return it != table.end() && it->second.count(to) > 0;
}

/// POST /v1/projects; the new project's id.
inline std::string create_project(http_client& c, std::string_view name) {
  auto r = c.post("/v1/projects", boost::json::object{{"name", name}});
  return str(expect_object(r, 201, "create project"), "id");
}

/// POST /v1/projects/{project}/phases; the Phase.
inline boost::json::object create_phase(http_client& c, std::string_view project,
                                        std::string_view name, int64_t sequence) {
  auto r = c.post("/v1/projects/" + std::string(project) + "/phases",
                  boost::json::object{{"name", name}, {"sequence", sequence}});
  return expect_object(r, 201, "create phase");
}

/// POST /v1/projects/{project}/milestones; the Milestone.
inline boost::json::object create_milestone(http_client& c, std::string_view project,
                                            std::string_view phase, std::string_view name,
                                            int64_t sequence) {
  auto r = c.post("/v1/projects/" + std::string(project) + "/milestones",
                  boost::json::object{{"name", name}, {"sequence", sequence}, {"phase_id", phase}});
  return expect_object(r, 201, "create milestone");
}

/// A valid task body (class backend, objective plus one acceptance criterion); `extra` fields
/// are added or replace the defaults.
inline boost::json::object task_body(std::string_view project, std::string_view milestone,
                                     std::string_view title, boost::json::object extra = {}) {
  boost::json::object body{
    {"project_id", project},
    {"milestone_id", milestone},
    {"title", title},
    {"task_class", "backend"},
    {"work_spec", boost::json::object{{"objective", "Do " + std::string(title)},
                                      {"acceptance_criteria", boost::json::array{"done"}}}}};
  for (auto& [key, value] : extra)
    body[key] = value;
  return body;
}

/// POST /v1/tasks with `task_body(...)`; the Task.
inline boost::json::object create_task(http_client& c, std::string_view project,
                                       std::string_view milestone, std::string_view title,
                                       boost::json::object extra = {}) {
  auto r = c.post("/v1/tasks", task_body(project, milestone, title, std::move(extra)));
  return expect_object(r, 201, "create task");
}

/// POST /v1/dependencies `from -> to`; the raw response, for tests of refusals.
inline http_response post_edge(http_client& c, std::string_view project, std::string_view from,
                               std::string_view to, std::string_view unlock_on = "implemented") {
  return c.post("/v1/dependencies", boost::json::object{{"project_id", project},
                                                         {"from_task_id", from},
                                                         {"to_task_id", to},
                                                         {"unlock_on", unlock_on}});
}

/// POST /v1/dependencies `from -> to`; the DependencyEdge.
inline boost::json::object create_edge(http_client& c, std::string_view project,
                                       std::string_view from, std::string_view to,
                                       std::string_view unlock_on = "implemented") {
  return expect_object(post_edge(c, project, from, to, unlock_on), 201, "create dependency");
}

/// The spec's "setup H": a project with phase "Phase 1" (sequence 0, P1) and milestone
/// "Milestone 1" (sequence 0, P1.M1).
struct hierarchy {
  std::string project;
  std::string phase;
  std::string milestone;
};

/// Builds "setup H" in a new project named `project_name`.
inline hierarchy setup_h(http_client& c, std::string_view project_name = "Project H") {
  hierarchy h;
  h.project = create_project(c, project_name);
  h.phase = str(create_phase(c, h.project, "Phase 1", 0), "id");
  h.milestone = str(create_milestone(c, h.project, h.phase, "Milestone 1", 0), "id");
  return h;
}

/// GET /v1/projects/{project}/graph`query` (query starts with '?' when given).
inline boost::json::object get_graph(http_client& c, std::string_view project,
                                     std::string_view query = "") {
  auto r = c.get("/v1/projects/" + std::string(project) + "/graph" + std::string(query));
  return expect_object(r, 200, "get graph");
}

/// GET /v1/admin/digest: `{digest, checkpoint}`.
inline boost::json::object get_digest(http_client& c) {
  return expect_object(c.get("/v1/admin/digest"), 200, "get digest");
}

// ---- execution (issue 3) -----------------------------------------------------------------------

/// POST /v1/tasks/{task}/claim by `agent`; `extra` fields (ttl_seconds, seen_plan_version,
/// capabilities) are added to the body. The raw response, for tests of refusals.
inline http_response post_claim(http_client& c, std::string_view project, std::string_view task,
                                 std::string_view agent, boost::json::object extra = {}) {
  boost::json::object body{{"project_id", project}, {"agent_id", agent}};
  for (auto& [key, value] : extra)
    body[key] = value;
  return c.post("/v1/tasks/" + std::string(task) + "/claim", body);
}

/// A successful claim: `{task, lease, execution_snapshot}`.
inline boost::json::object claim(http_client& c, std::string_view project, std::string_view task,
                                 std::string_view agent, boost::json::object extra = {}) {
  return expect_object(post_claim(c, project, task, agent, std::move(extra)), 200, "claim");
}

/// The lease token of a claim response.
inline std::string lease_token(const boost::json::object& claimed) {
  return str(claimed.at("lease").as_object(), "token");
}

/// POST /v1/tasks/{task}/heartbeat; `extra` fields are added to the body.
inline http_response post_heartbeat(http_client& c, std::string_view project,
                                    std::string_view task, std::string_view agent,
                                    std::string_view token, boost::json::object extra = {}) {
  boost::json::object body{{"project_id", project}, {"agent_id", agent}, {"lease_token", token}};
  for (auto& [key, value] : extra)
    body[key] = value;
  return c.post("/v1/tasks/" + std::string(task) + "/heartbeat", body);
}

/// POST /v1/tasks/{task}/state to `new_state` by `actor` (reason "test"); `extra` fields
/// (force, reviewed_by, review_evidence_refs, lease_token, ...) are added to the body.
inline http_response post_transition(http_client& c, std::string_view project,
                                     std::string_view task, std::string_view new_state,
                                     std::string_view actor, boost::json::object extra = {}) {
  boost::json::object body{{"project_id", project},
                           {"new_state", new_state},
                           {"actor_id", actor},
                           {"reason", "test"}};
  for (auto& [key, value] : extra)
    body[key] = value;
  return c.post("/v1/tasks/" + std::string(task) + "/state", body);
}

/// A successful transition: the Task it returns.
inline boost::json::object transition(http_client& c, std::string_view project,
                                      std::string_view task, std::string_view new_state,
                                      std::string_view actor, boost::json::object extra = {}) {
  auto r = post_transition(c, project, task, new_state, actor, std::move(extra));
  auto body = expect_object(r, 200, "transition to " + std::string(new_state));
  return body.at("task").as_object();
}

/// POST /v1/tasks/{task}/assign to `assignee` (created_by "planner"); `extra` fields are added.
inline http_response post_assign(http_client& c, std::string_view project, std::string_view task,
                                 std::string_view assignee, boost::json::object extra = {}) {
  boost::json::object body{
    {"project_id", project}, {"assignee_agent_id", assignee}, {"created_by", "planner"}};
  for (auto& [key, value] : extra)
    body[key] = value;
  return c.post("/v1/tasks/" + std::string(task) + "/assign", body);
}

/// GET /v1/tasks/{task}: the Task.
inline boost::json::object get_task(http_client& c, std::string_view task) {
  return expect_object(c.get("/v1/tasks/" + std::string(task)), 200, "get task");
}

/// GET /v1/tasks/{task}/events?project_id=...: the items of the task's timeline.
inline boost::json::array task_timeline(http_client& c, std::string_view project,
                                      std::string_view task) {
  auto r = c.get("/v1/tasks/" + std::string(task) + "/events?project_id=" + std::string(project));
  return expect_object(r, 200, "task events").at("items").as_array();
}

/// The event types of a timeline, in order.
inline std::vector<std::string> event_types(const boost::json::array& items) {
  std::vector<std::string> out;
  for (auto& item : items)
    out.emplace_back(item.at("type").as_string());
  return out;
}

/// Calls `probe` every `interval` until it returns true or `limit` has passed; whether it did.
/// For waiting on the server's own timers: bounded polling, never a fixed sleep.
template <class Probe>
bool eventually(Probe probe, std::chrono::milliseconds limit = std::chrono::seconds(10),
                std::chrono::milliseconds interval = std::chrono::milliseconds(20)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    if (probe())
      return true;
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(interval);
  }
}

/// Polls GET /v1/tasks/{task} (every 20 ms, up to 10 s) until its state is `state`.
inline bool wait_for_state(http_client& c, std::string_view task, std::string_view state) {
  return eventually([&] { return str(get_task(c, task), "state") == state; });
}

}  // namespace tascade::test
