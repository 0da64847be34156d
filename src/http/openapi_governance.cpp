// OpenAPI components of the governance operations (issue 4), merged by openapi.cpp.

#include <boost/json.hpp>

namespace tascade::http {

namespace json = boost::json;

namespace {

json::object ref(std::string_view name) {
  return {{"$ref", "#/components/schemas/" + std::string(name)}};
}
json::object str() { return {{"type", "string"}}; }
json::object nullable_str() { return {{"type", json::array{"string", "null"}}}; }
json::object integer() { return {{"type", "integer"}}; }
json::object boolean() { return {{"type", "boolean"}}; }
json::object object() { return {{"type", "object"}}; }
json::object strings() { return {{"type", "array"}, {"items", str()}}; }
json::object array_of(json::object item) { return {{"type", "array"}, {"items", std::move(item)}}; }
json::object object_with(json::object props) {
  json::array required;
  for (auto& [k, v] : props)
    required.emplace_back(k);
  return {{"type", "object"}, {"required", required}, {"properties", std::move(props)}};
}

}  // namespace

json::object governance_components() {
  auto plan_version = object_with({{"id", str()},
                                   {"project_id", str()},
                                   {"version_number", integer()},
                                   {"change_set_id", nullable_str()},
                                   {"summary", nullable_str()},
                                   {"created_by", str()},
                                   {"created_at", str()}});
  return {
    {"GateRule", object_with({{"id", str()},
                              {"project_id", str()},
                              {"name", str()},
                              {"scope", object()},
                              {"conditions", object()},
                              {"required_evidence", object()},
                              {"required_reviewer_roles", strings()},
                              {"is_active", boolean()},
                              {"created_at", str()},
                              {"updated_at", str()}})},
    {"GateDecision", object_with({{"id", str()},
                                  {"project_id", str()},
                                  {"gate_rule_id", str()},
                                  {"task_id", nullable_str()},
                                  {"phase_id", nullable_str()},
                                  {"outcome", str()},
                                  {"actor_id", str()},
                                  {"reason", str()},
                                  {"evidence_refs", strings()},
                                  {"created_at", str()}})},
    {"GateDecisionList", object_with({{"items", array_of(ref("GateDecision"))}})},
    {"GateCheckpoint",
     object_with({{"task_id", str()},
                  {"task_short_id", nullable_str()},
                  {"title", str()},
                  {"gate_type", str()},
                  {"state", str()},
                  {"scope", object_with({{"phase_id", nullable_str()},
                                         {"phase_short_id", nullable_str()},
                                         {"milestone_id", nullable_str()},
                                         {"milestone_short_id", nullable_str()}})},
                  {"age_hours", {{"type", "number"}}},
                  {"risk_summary", object_with({{"policy_trigger", nullable_str()},
                                                {"candidate_total", integer()},
                                                {"candidate_ready", integer()},
                                                {"candidate_blocked", integer()},
                                                {"blocked_candidate_ids", strings()}})},
                  {"created_at", str()},
                  {"updated_at", str()}})},
    {"GateCheckpointList", object_with({{"items", array_of(ref("GateCheckpoint"))},
                                        {"total", integer()},
                                        {"limit", integer()},
                                        {"offset", integer()}})},
    {"PolicyEvaluation",
     object_with({{"created", array_of(ref("GraphTask"))}, {"evaluated", array_of(object())}})},
    {"PlanOperation", object_with({{"op", str()}, {"task_id", nullable_str()},
                                   {"payload", object()}})},
    {"PlanChangeset", object_with({{"id", str()},
                                   {"project_id", str()},
                                   {"base_plan_version", integer()},
                                   {"target_plan_version", integer()},
                                   {"status", str()},
                                   {"operations", array_of(ref("PlanOperation"))},
                                   {"impact_preview", object()},
                                   {"created_at", str()},
                                   {"created_by", str()},
                                   {"applied_at", nullable_str()}})},
    {"PlanVersion", plan_version},
    {"ApplyPlanChangesetResponse",
     object_with({{"changeset", ref("PlanChangeset")},
                  {"plan_version", ref("PlanVersion")},
                  {"invalidated_claim_task_ids", strings()},
                  {"invalidated_reservation_task_ids", strings()},
                  {"material_task_ids", strings()},
                  {"rebased", boolean()}})},
    {"ChangesetValidation",
     {{"type", "object"},
      {"required", {"changeset", "valid", "error", "current_plan_version", "stale"}},
      {"properties",
       {{"changeset", ref("PlanChangeset")},
        {"valid", boolean()},
        {"error", {{"type", json::array{"object", "null"}}}},
        {"current_plan_version", integer()},
        {"stale", boolean()},
        {"would_create_plan_version", integer()},
        {"updates", array_of(object())},
        {"skipped_operations", array_of(object())},
        {"material_task_ids", strings()},
        {"would_invalidate_claim_task_ids", strings()},
        {"would_invalidate_reservation_task_ids", strings()}}}}},
    {"CurrentPlan", object_with({{"project_id", str()},
                                 {"current_version_number", integer()},
                                 {"plan_version", ref("PlanVersion")},
                                 {"history", array_of(ref("PlanVersion"))}})},
  };
}

}  // namespace tascade::http
