#include "events/codec/governance_codec.hpp"

#include "events/codec/field_reader.hpp"

#include <boost/json.hpp>

namespace tascade::events {

namespace json = boost::json;

json::object encode(const gate_rule_created& e) {
  return {{"id", e.id.str()},
          {"project_id", e.project.str()},
          {"name", e.name},
          {"scope", e.scope},
          {"conditions", e.conditions},
          {"required_evidence", e.required_evidence},
          {"required_reviewer_roles", to_array(e.required_reviewer_roles)},
          {"is_active", e.is_active}};
}
json::object encode(const gate_decision_recorded& e) {
  return {{"id", e.id.str()},
          {"project_id", e.project.str()},
          {"gate_rule_id", e.gate_rule.str()},
          {"task_id", optional_id(e.task)},
          {"phase_id", optional_id(e.phase)},
          {"outcome", e.outcome},
          {"actor_id", e.actor},
          {"reason", e.reason},
          {"evidence_refs", to_array(e.evidence_refs)}};
}
json::object encode(const changeset_created& e) {
  return {{"id", e.id.str()},
          {"project_id", e.project.str()},
          {"base_plan_version", e.base_plan_version},
          {"target_plan_version", e.target_plan_version},
          {"operations", e.operations},
          {"created_by", e.created_by}};
}
json::object encode(const changeset_applied& e) {
  return {{"changeset_id", e.changeset.str()},
          {"project_id", e.project.str()},
          {"plan_version_id", e.plan_version.str()},
          {"version_number", e.version_number},
          {"base_plan_version", e.base_plan_version},
          {"rebased", e.rebased},
          {"updates", e.updates},
          {"material_task_ids", id_array(e.material)}};
}
json::object encode(const gate_policies_evaluated& e) {
  return {{"project_id", e.project.str()},
          {"actor_id", e.actor},
          {"policy", e.policy},
          {"evaluated", e.evaluated},
          {"created_task_ids", id_array(e.created)}};
}
json::object encode(const lease_invalidated& e) {
  return {{"task_id", e.task.str()},
          {"project_id", e.project.str()},
          {"lease_id", e.lease.str()},
          {"fencing_counter", e.fencing},
          {"agent_id", e.agent},
          {"from_state", to_string(e.from)},
          {"changeset_id", e.changeset.str()},
          {"plan_version", e.plan_version}};
}
json::object encode(const reservation_invalidated& e) {
  return {{"task_id", e.task.str()},
          {"project_id", e.project.str()},
          {"reservation_id", e.reservation.str()},
          {"assignee_agent_id", e.assignee},
          {"changeset_id", e.changeset.str()},
          {"plan_version", e.plan_version}};
}
json::object encode(const scope_drift_detected& e) {
  return {{"task_id", e.task.str()},
          {"project_id", e.project.str()},
          {"artifact_id", e.artifact.str()},
          {"outside_expected", to_array(e.outside)},
          {"expected_touches", to_array(e.expected)}};
}

event decode_gate_rule_created(const json::object& o, std::string& problem) {
  field_reader f{o, problem};
  return gate_rule_created{f.raw_id("id"),
                           f.id<project_id>("project_id"),
                           f.str("name"),
                           f.object("scope"),
                           f.object("conditions"),
                           f.object("required_evidence"),
                           f.strings("required_reviewer_roles"),
                           f.boolean("is_active")};
}
event decode_gate_decision_recorded(const json::object& o, std::string& problem) {
  field_reader f{o, problem};
  return gate_decision_recorded{f.raw_id("id"),
                                f.id<project_id>("project_id"),
                                f.raw_id("gate_rule_id"),
                                f.opt_id<task_id>("task_id"),
                                f.opt_id<phase_id>("phase_id"),
                                f.str("outcome"),
                                f.str("actor_id"),
                                f.str("reason"),
                                f.strings("evidence_refs")};
}
event decode_changeset_created(const json::object& o, std::string& problem) {
  field_reader f{o, problem};
  return changeset_created{f.raw_id("id"),
                           f.id<project_id>("project_id"),
                           f.int64("base_plan_version"),
                           f.int64("target_plan_version"),
                           f.array("operations"),
                           f.str("created_by")};
}
event decode_changeset_applied(const json::object& o, std::string& problem) {
  field_reader f{o, problem};
  return changeset_applied{f.raw_id("changeset_id"),
                           f.id<project_id>("project_id"),
                           f.id<plan_version_id>("plan_version_id"),
                           f.int64("version_number"),
                           f.int64("base_plan_version"),
                           f.boolean("rebased"),
                           f.array("updates"),
                           f.ids<task_id>("material_task_ids")};
}
event decode_gate_policies_evaluated(const json::object& o, std::string& problem) {
  field_reader f{o, problem};
  return gate_policies_evaluated{f.id<project_id>("project_id"), f.str("actor_id"),
                                 f.object("policy"), f.array("evaluated"),
                                 f.ids<task_id>("created_task_ids")};
}
event decode_lease_invalidated(const json::object& o, std::string& problem) {
  field_reader f{o, problem};
  return lease_invalidated{f.id<task_id>("task_id"),
                           f.id<project_id>("project_id"),
                           f.raw_id("lease_id"),
                           f.uint("fencing_counter"),
                           f.str("agent_id"),
                           f.enumeration<task_state>("from_state", task_state_names),
                           f.raw_id("changeset_id"),
                           f.int64("plan_version")};
}
event decode_reservation_invalidated(const json::object& o, std::string& problem) {
  field_reader f{o, problem};
  return reservation_invalidated{f.id<task_id>("task_id"),    f.id<project_id>("project_id"),
                                 f.raw_id("reservation_id"),     f.str("assignee_agent_id"),
                                 f.raw_id("changeset_id"),       f.int64("plan_version")};
}
event decode_scope_drift_detected(const json::object& o, std::string& problem) {
  field_reader f{o, problem};
  return scope_drift_detected{f.id<task_id>("task_id"), f.id<project_id>("project_id"),
                              f.raw_id("artifact_id"), f.strings("outside_expected"),
                              f.strings("expected_touches")};
}

}  // namespace tascade::events
