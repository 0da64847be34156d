#include "catalogue/json/api_shapes.hpp"

#include <boost/json.hpp>

namespace tascade::catalogue {

namespace json = boost::json;

namespace {

json::array strings(const std::vector<std::string>& items) {
  return json::array(items.begin(), items.end());
}

json::value optional_string(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

json::object task_fields(const task_view& t, json::object work_spec) {
  return {{"id", t.id.str()},
          {"short_id", t.short_id},
          {"project_id", t.project.str()},
          {"phase_id", t.phase.str()},
          {"milestone_id", t.milestone.str()},
          {"title", t.title},
          {"description", t.description ? json::value(*t.description) : json::value(nullptr)},
          {"state", to_string(t.state)},
          {"priority", t.priority},
          {"work_spec", std::move(work_spec)},
          {"task_class", to_string(t.klass)},
          {"capability_tags", strings(t.capability_tags)},
          {"expected_touches", strings(t.expected_touches)},
          {"exclusive_paths", strings(t.exclusive_paths)},
          {"shared_paths", strings(t.shared_paths)},
          {"introduced_in_plan_version", nullptr},
          {"deprecated_in_plan_version", nullptr},
          {"version", 0},
          {"created_at", t.created_at.iso()},
          {"updated_at", t.updated_at.iso()}};
}

}  // namespace

json::object to_json(const project_view& p) {
  return {{"id", p.id.str()},
          {"name", p.name},
          {"status", "active"},
          {"created_at", p.created_at.iso()},
          {"updated_at", p.created_at.iso()}};
}

json::object to_json(const phase_view& p) {
  return {{"id", p.id.str()},           {"short_id", p.short_id},
          {"project_id", p.project.str()}, {"name", p.name},
          {"sequence", p.sequence},       {"created_at", p.created_at.iso()},
          {"updated_at", p.created_at.iso()}};
}

json::object to_json(const milestone_view& m) {
  return {{"id", m.id.str()},
          {"short_id", m.short_id},
          {"project_id", m.project.str()},
          {"phase_id", m.phase.str()},
          {"name", m.name},
          {"sequence", m.sequence},
          {"created_at", m.created_at.iso()},
          {"updated_at", m.created_at.iso()}};
}

json::object work_spec_out(const json::object& stored) {
  auto list = [&](std::string_view key) -> json::value {
    auto* v = stored.if_contains(key);
    return v && v->is_array() ? *v : json::array{};
  };
  auto* objective = stored.if_contains("objective");
  return {{"objective", objective && objective->is_string() ? *objective : json::value("")},
          {"constraints", list("constraints")},
          {"acceptance_criteria", list("acceptance_criteria")},
          {"interfaces", list("interfaces")},
          {"path_hints", list("path_hints")}};
}

json::object to_json(const task_view& t) { return task_fields(t, work_spec_out(t.work_spec.object())); }

json::object task_summary(const task_view& t) {
  auto o = to_json(t);
  o["score"] = nullptr;
  return o;
}

json::object graph_task(const task_view& t) { return task_fields(t, t.work_spec.object()); }

json::value seconds(int64_t micros) {
  if (micros % 1'000'000 == 0)
    return micros / 1'000'000;
  return double(micros) / 1e6;
}

namespace {

json::value optional_time(const std::optional<timestamp>& t) {
  return t ? json::value(t->iso()) : json::value(nullptr);
}

}  // namespace

json::object to_json(const task_view& t, const lease_view& l) {
  return {{"id", l.id.str()},
          {"project_id", t.project.str()},
          {"task_id", t.id.str()},
          {"agent_id", l.agent},
          {"token", l.token},
          {"status", l.status},
          {"expires_at", l.expires_at.iso()},
          {"heartbeat_at", l.heartbeat_at.iso()},
          {"fencing_counter", l.fencing},
          {"created_at", l.created_at.iso()},
          {"released_at", optional_time(l.released_at)}};
}

json::object to_json(const task_view& t, const reservation_view& r) {
  return {{"id", r.id.str()},
          {"project_id", t.project.str()},
          {"task_id", t.id.str()},
          {"assignee_agent_id", r.assignee},
          {"mode", "hard"},
          {"status", r.status},
          {"ttl_seconds", seconds(r.ttl_micros)},
          {"created_by", r.created_by},
          {"created_at", r.created_at.iso()},
          {"expires_at", r.expires_at.iso()},
          {"released_at", optional_time(r.released_at)}};
}

json::object to_json(const task_view& t, const snapshot_view& s) {
  return {{"id", s.id.str()},
          {"project_id", t.project.str()},
          {"task_id", t.id.str()},
          {"lease_id", s.lease.str()},
          {"captured_plan_version", s.plan_version},
          {"work_spec_hash", s.work_spec_hash},
          {"work_spec_payload", work_spec_out(s.work_spec)},
          {"captured_by", s.captured_by},
          {"captured_at", s.captured_at.iso()}};
}

json::object to_json(const task_view& t, const artifact_view& a) {
  return {{"id", a.id.str()},
          {"short_id", a.short_id},
          {"project_id", t.project.str()},
          {"task_id", t.id.str()},
          {"agent_id", a.agent},
          {"branch", optional_string(a.branch)},
          {"commit_sha", optional_string(a.commit_sha)},
          {"check_suite_ref", optional_string(a.check_suite_ref)},
          {"check_status", a.check_status},
          {"touched_files", strings(a.touched_files)},
          {"created_at", a.created_at.iso()}};
}

json::object to_json(const attempt_view& a) {
  return {{"id", a.id.str()},
          {"short_id", a.short_id},
          {"project_id", a.project.str()},
          {"task_id", a.task.str()},
          {"base_sha", optional_string(a.base_sha)},
          {"head_sha", optional_string(a.head_sha)},
          {"result", a.result},
          {"diagnostics", a.diagnostics},
          {"started_at", a.started_at.iso()},
          {"ended_at", optional_time(a.ended_at)}};
}

json::object to_json(const edge_view& e) {
  return {{"id", e.id.str()},
          {"project_id", e.project.str()},
          {"from_task_id", e.from.str()},
          {"to_task_id", e.to.str()},
          {"unlock_on", to_string(e.unlock)},
          {"created_at", e.created_at.iso()}};
}

}  // namespace tascade::catalogue
