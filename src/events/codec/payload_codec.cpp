#include "events/codec/payload_codec.hpp"

#include "events/codec/field_reader.hpp"
#include "events/codec/governance_codec.hpp"
#include "events/codec/metric_codec.hpp"
#include "events/codec/plan_codec.hpp"

#include "tascade/errc.hpp"

#include <boost/json.hpp>

namespace tascade::events {

namespace json = boost::json;

namespace {

json::value optional(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

json::object encode(const project_created& e) {
  return {{"id", e.id.str()}, {"name", e.name},
          {"initial_plan_version", e.initial_plan_version.str()}};
}
json::object encode(const phase_created& e) {
  return {{"id", e.id.str()},       {"project_id", e.project.str()}, {"name", e.name},
          {"sequence", e.sequence}, {"number", e.number},            {"short_id", e.short_id}};
}
json::object encode(const milestone_created& e) {
  return {{"id", e.id.str()},       {"project_id", e.project.str()}, {"phase_id", e.phase.str()},
          {"name", e.name},         {"sequence", e.sequence},        {"number", e.number},
          {"short_id", e.short_id}};
}
json::object encode(const task_created& e) {
  json::object o{{"id", e.id.str()},
                 {"project_id", e.project.str()},
                 {"phase_id", e.phase.str()},
                 {"milestone_id", e.milestone.str()},
                 {"number", e.number},
                 {"short_id", e.short_id},
                 {"title", e.title},
                 {"priority", e.priority},
                 {"work_spec", e.work_spec},
                 {"task_class", to_string(e.klass)},
                 {"capability_tags", to_array(e.capability_tags)},
                 {"expected_touches", to_array(e.expected_touches)},
                 {"exclusive_paths", to_array(e.exclusive_paths)},
                 {"shared_paths", to_array(e.shared_paths)}};
  if (e.description)
    o["description"] = *e.description;
  else
    o["description"] = nullptr;
  return o;
}
json::object encode(const dependency_added& e) {
  return {{"id", e.id.str()},           {"project_id", e.project.str()},
          {"from_task_id", e.from.str()}, {"to_task_id", e.to.str()},
          {"unlock_on", to_string(e.unlock)}};
}

json::object encode(const tasks_unlocked& e) {
  json::array unlocked;
  for (auto& t : e.unlocked)
    unlocked.emplace_back(t.str());
  return {{"project_id", e.project.str()}, {"by_task_id", e.by.str()},
          {"state", to_string(e.state)}, {"unlocked_task_ids", unlocked}};
}
json::object encode(const task_claimed& e) {
  return {{"task_id", e.task.str()},
          {"project_id", e.project.str()},
          {"lease_id", e.lease.str()},
          {"token", e.token},
          {"agent_id", e.agent},
          {"fencing_counter", e.fencing},
          {"ttl_micros", e.ttl_micros},
          {"expires_at", e.expires_at.micros},
          {"reservation_consumed", e.reservation_consumed},
          {"snapshot_id", e.snapshot.str()},
          {"plan_version", e.plan_version},
          {"work_spec_hash", e.work_spec_hash}};
}
json::object encode(const lease_renewed& e) {
  return {{"task_id", e.task.str()},      {"project_id", e.project.str()},
          {"lease_id", e.lease.str()},    {"fencing_counter", e.fencing},
          {"expires_at", e.expires_at.micros}};
}
json::object encode(const lease_expired& e) {
  return {{"task_id", e.task.str()},   {"project_id", e.project.str()},
          {"lease_id", e.lease.str()}, {"fencing_counter", e.fencing},
          {"agent_id", e.agent},       {"from_state", to_string(e.from)}};
}
json::object encode(const task_assigned& e) {
  json::object out{{"task_id", e.task.str()},           {"project_id", e.project.str()},
                   {"reservation_id", e.reservation.str()}, {"assignee_agent_id", e.assignee},
                   {"created_by", e.created_by},        {"ttl_micros", e.ttl_micros},
                   {"expires_at", e.expires_at.micros}};
  if (e.plan_version > 0)
    out["plan_version"] = e.plan_version;
  return out;
}
json::object encode(const reservation_released& e) {
  return {{"task_id", e.task.str()},
          {"project_id", e.project.str()},
          {"reservation_id", e.reservation.str()},
          {"assignee_agent_id", e.assignee},
          {"reason", e.reason}};
}
json::object encode(const task_state_transitioned& e) {
  return {{"task_id", e.task.str()},
          {"project_id", e.project.str()},
          {"from_state", to_string(e.from)},
          {"to_state", to_string(e.to)},
          {"actor_id", e.actor},
          {"reason", e.reason},
          {"reviewed_by", optional(e.reviewed_by)},
          {"review_evidence_refs", to_array(e.review_evidence_refs)},
          {"force", e.force},
          {"lease_released", e.lease_released},
          {"reservation_released", e.reservation_released}};
}
json::object encode(const artifact_recorded& e) {
  return {{"id", e.id.str()},
          {"task_id", e.task.str()},
          {"project_id", e.project.str()},
          {"number", e.number},
          {"short_id", e.short_id},
          {"agent_id", e.agent},
          {"branch", optional(e.branch)},
          {"commit_sha", optional(e.commit_sha)},
          {"check_suite_ref", optional(e.check_suite_ref)},
          {"check_status", e.check_status},
          {"touched_files", to_array(e.touched_files)}};
}
json::object encode(const integration_attempt_enqueued& e) {
  return {{"id", e.id.str()},
          {"task_id", e.task.str()},
          {"project_id", e.project.str()},
          {"number", e.number},
          {"short_id", e.short_id},
          {"base_sha", optional(e.base_sha)},
          {"head_sha", optional(e.head_sha)},
          {"diagnostics", e.diagnostics}};
}
json::object encode(const integration_result_recorded& e) {
  return {{"id", e.id.str()},
          {"task_id", e.task.str()},
          {"project_id", e.project.str()},
          {"result", e.result},
          {"diagnostics", e.diagnostics}};
}

json::object encode(const key_created& e) {
  return {{"id", e.id.str()},     {"project_id", e.project},        {"name", e.name},
          {"role_scopes", to_array(e.roles)}, {"hash", e.hash}, {"created_by", e.created_by}};
}
json::object encode(const key_revoked& e) {
  return {{"id", e.id.str()}, {"project_id", e.project}, {"revoked_by", e.revoked_by}};
}

json::object encode(const auth_denied& e) {
  return {{"project_id", e.project},
          {"key_id", e.key_id},
          {"key_name", e.key_name},
          {"key_project_id", e.key_project},
          {"target_project_id", e.project},
          {"reason", e.reason},
          {"endpoint", e.endpoint},
          {"caller_roles", to_array(e.caller_roles)},
          {"required_roles", to_array(e.required_roles)},
          {"task_id", e.task ? json::value(e.task->str()) : json::value(nullptr)},
          {"count", e.count},
          {"window_start", e.window_start.micros},
          {"window_end", e.window_end.micros}};
}

event decode_project_created(field_reader& r) {
  return project_created{r.id<project_id>("id"), r.str("name"),
                         r.id<plan_version_id>("initial_plan_version")};
}
event decode_phase_created(field_reader& r) {
  return phase_created{r.id<phase_id>("id"),   r.id<project_id>("project_id"), r.str("name"),
                       r.int64("sequence"),    r.int64("number"),              r.str("short_id")};
}
event decode_milestone_created(field_reader& r) {
  return milestone_created{r.id<milestone_id>("id"), r.id<project_id>("project_id"),
                           r.id<phase_id>("phase_id"), r.str("name"),
                           r.int64("sequence"),       r.int64("number"),
                           r.str("short_id")};
}
event decode_task_created(field_reader& r) {
  task_created e;
  e.id = r.id<task_id>("id");
  e.project = r.id<project_id>("project_id");
  e.phase = r.id<phase_id>("phase_id");
  e.milestone = r.id<milestone_id>("milestone_id");
  e.number = r.int64("number");
  e.short_id = r.str("short_id");
  e.title = r.str("title");
  e.description = r.opt_str("description");
  e.priority = r.int64("priority");
  e.work_spec = r.object("work_spec");
  e.klass = r.enumeration<task_class>("task_class", task_class_names);
  e.capability_tags = r.strings("capability_tags");
  e.expected_touches = r.strings("expected_touches");
  e.exclusive_paths = r.strings("exclusive_paths");
  e.shared_paths = r.strings("shared_paths");
  return e;
}
event decode_dependency_added(field_reader& r) {
  return dependency_added{r.id<edge_id>("id"), r.id<project_id>("project_id"),
                          r.id<task_id>("from_task_id"), r.id<task_id>("to_task_id"),
                          r.enumeration<unlock_on>("unlock_on", unlock_on_names)};
}

event decode_tasks_unlocked(field_reader& r) {
  return tasks_unlocked{r.id<project_id>("project_id"), r.id<task_id>("by_task_id"),
                        r.enumeration<task_state>("state", task_state_names),
                        r.ids<task_id>("unlocked_task_ids")};
}
event decode_task_claimed(field_reader& r) {
  task_claimed e;
  e.task = r.id<task_id>("task_id");
  e.project = r.id<project_id>("project_id");
  e.lease = r.raw_id("lease_id");
  e.token = r.str("token");
  e.agent = r.str("agent_id");
  e.fencing = r.uint("fencing_counter");
  e.ttl_micros = r.int64("ttl_micros");
  e.expires_at = r.time("expires_at");
  e.reservation_consumed = r.boolean("reservation_consumed");
  e.snapshot = r.raw_id("snapshot_id");
  e.plan_version = r.int64("plan_version");
  e.work_spec_hash = r.str("work_spec_hash");
  return e;
}
event decode_lease_renewed(field_reader& r) {
  return lease_renewed{r.id<task_id>("task_id"), r.id<project_id>("project_id"),
                       r.raw_id("lease_id"), r.uint("fencing_counter"), r.time("expires_at")};
}
event decode_lease_expired(field_reader& r) {
  return lease_expired{r.id<task_id>("task_id"),      r.id<project_id>("project_id"),
                       r.raw_id("lease_id"),          r.uint("fencing_counter"),
                       r.str("agent_id"),
                       r.enumeration<task_state>("from_state", task_state_names)};
}
event decode_task_assigned(field_reader& r) {
  task_assigned e{r.id<task_id>("task_id"),    r.id<project_id>("project_id"),
                  r.raw_id("reservation_id"),  r.str("assignee_agent_id"),
                  r.str("created_by"),         r.int64("ttl_micros"),
                  r.time("expires_at")};
  // Optional: reservations written before issue 16 did not record their plan version.
  if (auto* v = r.find("plan_version"); v && v->is_int64())
    e.plan_version = v->get_int64();
  return e;
}
event decode_reservation_released(field_reader& r) {
  return reservation_released{r.id<task_id>("task_id"), r.id<project_id>("project_id"),
                              r.raw_id("reservation_id"), r.str("assignee_agent_id"),
                              r.str("reason")};
}
event decode_task_state_transitioned(field_reader& r) {
  task_state_transitioned e;
  e.task = r.id<task_id>("task_id");
  e.project = r.id<project_id>("project_id");
  e.from = r.enumeration<task_state>("from_state", task_state_names);
  e.to = r.enumeration<task_state>("to_state", task_state_names);
  e.actor = r.str("actor_id");
  e.reason = r.str("reason");
  e.reviewed_by = r.opt_str("reviewed_by");
  e.review_evidence_refs = r.strings("review_evidence_refs");
  e.force = r.boolean("force");
  e.lease_released = r.boolean("lease_released");
  e.reservation_released = r.boolean("reservation_released");
  return e;
}
event decode_artifact_recorded(field_reader& r) {
  artifact_recorded e;
  e.id = r.raw_id("id");
  e.task = r.id<task_id>("task_id");
  e.project = r.id<project_id>("project_id");
  e.number = r.int64("number");
  e.short_id = r.str("short_id");
  e.agent = r.str("agent_id");
  e.branch = r.opt_str("branch");
  e.commit_sha = r.opt_str("commit_sha");
  e.check_suite_ref = r.opt_str("check_suite_ref");
  e.check_status = r.str("check_status");
  e.touched_files = r.strings("touched_files");
  return e;
}
event decode_integration_attempt_enqueued(field_reader& r) {
  integration_attempt_enqueued e;
  e.id = r.raw_id("id");
  e.task = r.id<task_id>("task_id");
  e.project = r.id<project_id>("project_id");
  e.number = r.int64("number");
  e.short_id = r.str("short_id");
  e.base_sha = r.opt_str("base_sha");
  e.head_sha = r.opt_str("head_sha");
  e.diagnostics = r.object("diagnostics");
  return e;
}
event decode_integration_result_recorded(field_reader& r) {
  return integration_result_recorded{r.raw_id("id"), r.id<task_id>("task_id"),
                                     r.id<project_id>("project_id"), r.str("result"),
                                     r.object("diagnostics")};
}

event decode_key_created(field_reader& r) {
  return key_created{r.raw_id("id"), r.str("project_id"), r.str("name"), r.strings("role_scopes"),
                     r.str("hash"), r.str("created_by")};
}
event decode_key_revoked(field_reader& r) {
  return key_revoked{r.raw_id("id"), r.str("project_id"), r.str("revoked_by")};
}

event decode_auth_denied(field_reader& r) {
  auth_denied e;
  e.project = r.str("project_id");
  e.key_id = r.str("key_id");
  e.key_name = r.str("key_name");
  e.key_project = r.str("key_project_id");
  e.reason = r.str("reason");
  e.endpoint = r.str("endpoint");
  e.caller_roles = r.strings("caller_roles");
  e.required_roles = r.strings("required_roles");
  e.task = r.opt_id<task_id>("task_id");
  e.count = r.int64("count");
  e.window_start = r.time("window_start");
  e.window_end = r.time("window_end");
  return e;
}

// The governance events' decoders (governance_codec.cpp) take the payload and a problem slot.
template <event (*Decode)(const json::object&, std::string&)>
event governance(field_reader& r) {
  return Decode(r.obj, r.problem);
}

// One row per event type: its decoder for the current schema. An older schema gets an
// upcaster here that rewrites the payload before decoding; none exists yet (all are v1).
struct decoder_row {
  std::string_view type;
  uint16_t schema;
  event (*decode)(field_reader&);
};
constexpr decoder_row decoders[] = {
  {project_created::type, project_created::schema, decode_project_created},
  {phase_created::type, phase_created::schema, decode_phase_created},
  {milestone_created::type, milestone_created::schema, decode_milestone_created},
  {task_created::type, task_created::schema, decode_task_created},
  {dependency_added::type, dependency_added::schema, decode_dependency_added},
  {tasks_unlocked::type, tasks_unlocked::schema, decode_tasks_unlocked},
  {task_claimed::type, task_claimed::schema, decode_task_claimed},
  {lease_renewed::type, lease_renewed::schema, decode_lease_renewed},
  {lease_expired::type, lease_expired::schema, decode_lease_expired},
  {task_assigned::type, task_assigned::schema, decode_task_assigned},
  {reservation_released::type, reservation_released::schema, decode_reservation_released},
  {task_state_transitioned::type, task_state_transitioned::schema,
   decode_task_state_transitioned},
  {artifact_recorded::type, artifact_recorded::schema, decode_artifact_recorded},
  {integration_attempt_enqueued::type, integration_attempt_enqueued::schema,
   decode_integration_attempt_enqueued},
  {integration_result_recorded::type, integration_result_recorded::schema,
   decode_integration_result_recorded},
  {key_created::type, key_created::schema, decode_key_created},
  {key_revoked::type, key_revoked::schema, decode_key_revoked},
  {auth_denied::type, auth_denied::schema, decode_auth_denied},
  {gate_rule_created::type, gate_rule_created::schema, governance<decode_gate_rule_created>},
  {gate_decision_recorded::type, gate_decision_recorded::schema,
   governance<decode_gate_decision_recorded>},
  {changeset_created::type, changeset_created::schema, governance<decode_changeset_created>},
  {changeset_applied::type, changeset_applied::schema, governance<decode_changeset_applied>},
  {gate_policies_evaluated::type, gate_policies_evaluated::schema,
   governance<decode_gate_policies_evaluated>},
  {lease_invalidated::type, lease_invalidated::schema, governance<decode_lease_invalidated>},
  {reservation_invalidated::type, reservation_invalidated::schema,
   governance<decode_reservation_invalidated>},
  {scope_drift_detected::type, scope_drift_detected::schema,
   governance<decode_scope_drift_detected>},
  {alert_raised::type, alert_raised::schema, governance<decode_alert_raised>},
  {alert_resolved::type, alert_resolved::schema, governance<decode_alert_resolved>},
  {alert_acknowledged::type, alert_acknowledged::schema, governance<decode_alert_acknowledged>},
  {alert_thresholds_set::type, alert_thresholds_set::schema,
   governance<decode_alert_thresholds_set>},
  {plan_created::type, plan_created::schema, governance<decode_plan_created>},
  {plan_rerun::type, plan_rerun::schema, governance<decode_plan_rerun>},
  {context_card_recorded::type, context_card_recorded::schema,
   governance<decode_context_card_recorded>},
  {plan_applied::type, plan_applied::schema, governance<decode_plan_applied>},
};

}  // namespace

json::object encode_payload(const event& ev) {
  return std::visit([](const auto& e) { return encode(e); }, ev);
}

std::string_view type_of(const event& ev) {
  return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::type; }, ev);
}

uint16_t schema_of(const event& ev) {
  return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::schema; }, ev);
}

caf::expected<event> decode_payload(std::string_view type, uint16_t schema,
                                    const json::object& payload) {
  for (auto& row : decoders) {
    if (row.type != type)
      continue;
    if (schema > row.schema)
      return make_error(errc::storage_failure,
                        "event " + std::string(type) + " has future schema " +
                          std::to_string(schema));
    std::string problem;
    field_reader r{payload, problem};
    auto ev = row.decode(r);
    if (!problem.empty())
      return make_error(errc::storage_failure, "event " + std::string(type) + ": " + problem);
    return ev;
  }
  return make_error(errc::storage_failure, "unknown event type " + std::string(type));
}

}  // namespace tascade::events
