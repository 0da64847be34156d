#include "catalogue/openapi.hpp"

#include "catalogue/openapi_schemas.hpp"
#include "catalogue/schema.hpp"

#include <boost/json.hpp>

#include <cctype>
#include <map>

namespace tascade::catalogue {

namespace json = boost::json;

using namespace schemas;

json::object governance_components();  // openapi_governance.cpp
json::object metrics_components();     // openapi_metrics.cpp
json::object stream_paths();           // openapi_streams.cpp
json::object plan_components();        // openapi_plans.cpp

namespace {

json::object components() {
  auto task_props = json::object{
    {"id", str()},
    {"short_id", nullable_str()},
    {"project_id", str()},
    {"phase_id", nullable_str()},
    {"milestone_id", nullable_str()},
    {"title", str()},
    {"description", nullable_str()},
    {"state", str()},
    {"priority", integer()},
    {"work_spec", ref("WorkSpecOut")},
    {"task_class", str()},
    {"capability_tags", strings()},
    {"expected_touches", strings()},
    {"exclusive_paths", strings()},
    {"shared_paths", strings()},
    {"introduced_in_plan_version", {{"type", json::array{"integer", "null"}}}},
    {"deprecated_in_plan_version", {{"type", json::array{"integer", "null"}}}},
    {"version", integer()},
    {"created_at", str()},
    {"updated_at", str()}};
  auto summary_props = task_props;
  summary_props["score"] = {{"type", json::array{"number", "null"}}};
  auto graph_props = task_props;
  graph_props["work_spec"] = {{"type", "object"}};
  auto page = [](std::string_view item) {
    return object_with({{"items", {{"type", "array"}, {"items", ref(item)}}},
                        {"total", integer()},
                        {"limit", integer()},
                        {"offset", integer()}});
  };
  return {
    {"Health", object_with({{"status", str()}})},
    {"Project", object_with({{"id", str()},
                             {"name", str()},
                             {"status", str()},
                             {"created_at", str()},
                             {"updated_at", str()}})},
    {"ProjectList", list_of("Project")},
    {"Phase", object_with({{"id", str()},
                           {"short_id", nullable_str()},
                           {"project_id", str()},
                           {"name", str()},
                           {"sequence", integer()},
                           {"created_at", str()},
                           {"updated_at", str()}})},
    {"PhaseList", list_of("Phase")},
    {"Milestone", object_with({{"id", str()},
                               {"short_id", nullable_str()},
                               {"project_id", str()},
                               {"phase_id", nullable_str()},
                               {"name", str()},
                               {"sequence", integer()},
                               {"created_at", str()},
                               {"updated_at", str()}})},
    {"MilestoneList", list_of("Milestone")},
    {"WorkSpecOut", object_with({{"objective", str()},
                                 {"constraints", strings()},
                                 {"acceptance_criteria", strings()},
                                 {"interfaces", strings()},
                                 {"path_hints", strings()}})},
    {"Task", object_with(task_props)},
    {"TaskSummary", object_with(summary_props)},
    {"GraphTask", object_with(graph_props)},
    {"TaskList", page("TaskSummary")},
    {"DependencyEdge", object_with({{"id", str()},
                                    {"project_id", str()},
                                    {"from_task_id", str()},
                                    {"to_task_id", str()},
                                    {"unlock_on", str()},
                                    {"created_at", str()}})},
    {"ProjectGraph",
     object_with({{"project", ref("Project")},
                  {"phases", {{"type", "array"}, {"items", ref("Phase")}}},
                  {"milestones", {{"type", "array"}, {"items", ref("Milestone")}}},
                  {"tasks", {{"type", "array"}, {"items", ref("GraphTask")}}},
                  {"dependencies", {{"type", "array"}, {"items", ref("DependencyEdge")}}}})},
    {"Lease", object_with({{"id", str()},
                           {"project_id", str()},
                           {"task_id", str()},
                           {"agent_id", str()},
                           {"token", str()},
                           {"status", str()},
                           {"expires_at", str()},
                           {"heartbeat_at", str()},
                           {"fencing_counter", integer()},
                           {"created_at", str()},
                           {"released_at", nullable_str()}})},
    {"TaskExecutionSnapshot", object_with({{"id", str()},
                                           {"project_id", str()},
                                           {"task_id", str()},
                                           {"lease_id", str()},
                                           {"captured_plan_version", integer()},
                                           {"work_spec_hash", str()},
                                           {"work_spec_payload", ref("WorkSpecOut")},
                                           {"captured_by", str()},
                                           {"captured_at", str()}})},
    {"SnapshotList", list_of("TaskExecutionSnapshot")},
    {"Claim", object_with({{"task", ref("Task")},
                           {"lease", ref("Lease")},
                           {"execution_snapshot", ref("TaskExecutionSnapshot")}})},
    {"Heartbeat", object_with({{"lease_expires_at", str()},
                               {"plan_version", integer()},
                               {"stale", {{"type", "boolean"}}},
                               {"stale_action", nullable_str()}})},
    {"TaskReservation", object_with({{"id", str()},
                                     {"project_id", str()},
                                     {"task_id", str()},
                                     {"assignee_agent_id", str()},
                                     {"mode", str()},
                                     {"status", str()},
                                     {"ttl_seconds", {{"type", "number"}}},
                                     {"created_by", str()},
                                     {"created_at", str()},
                                     {"expires_at", str()},
                                     {"released_at", nullable_str()}})},
    {"Unassigned", object_with({{"task", ref("Task")}, {"reservation", ref("TaskReservation")}})},
    {"TaskEnvelope", object_with({{"task", ref("Task")}})},
    {"Artifact", object_with({{"id", str()},
                              {"short_id", nullable_str()},
                              {"project_id", str()},
                              {"task_id", str()},
                              {"agent_id", str()},
                              {"branch", nullable_str()},
                              {"commit_sha", nullable_str()},
                              {"check_suite_ref", nullable_str()},
                              {"check_status", str()},
                              {"touched_files", strings()},
                              {"created_at", str()}})},
    {"ArtifactList", list_of("Artifact")},
    {"IntegrationAttempt", object_with({{"id", str()},
                                        {"short_id", nullable_str()},
                                        {"project_id", str()},
                                        {"task_id", str()},
                                        {"base_sha", nullable_str()},
                                        {"head_sha", nullable_str()},
                                        {"result", str()},
                                        {"diagnostics", {{"type", "object"}}},
                                        {"started_at", str()},
                                        {"ended_at", nullable_str()}})},
    {"IntegrationAttemptList", list_of("IntegrationAttempt")},
    {"RelatedTask", object_with({{"id", str()},
                                 {"short_id", nullable_str()},
                                 {"title", str()},
                                 {"state", str()},
                                 {"depth", integer()}})},
    {"TaskContext",
     object_with({{"task", ref("Task")},
                  {"ancestors", {{"type", "array"}, {"items", ref("RelatedTask")}}},
                  {"dependents", {{"type", "array"}, {"items", ref("RelatedTask")}}}})},
    {"Event", object_with({{"seq", integer()},
                           {"stream", str()},
                           {"version", integer()},
                           {"type", str()},
                           {"schema", integer()},
                           {"time", str()},
                           {"principal", str()},
                           {"correlation_id", nullable_str()},
                           {"idempotency_key", nullable_str()},
                           {"payload", {{"type", "object"}}},
                           {"prev_hash", str()},
                           {"hash", str()}})},
    {"EventList", list_of("Event")},
    {"ApiKeyCreated", object_with({{"id", str()},
                                   {"project_id", str()},
                                   {"name", str()},
                                   {"role_scopes", strings()},
                                   {"raw_key", str()},
                                   {"created_at", str()}})},
    {"ApiKeyInfo", object_with({{"id", str()},
                                {"project_id", str()},
                                {"name", str()},
                                {"role_scopes", strings()},
                                {"status", str()},
                                {"created_by", str()},
                                {"created_at", str()},
                                {"last_used_at", nullable_str()},
                                {"revoked_at", nullable_str()}})},
    {"ApiKeyList", list_of("ApiKeyInfo")},
    {"ApiKeyRevoked", object_with({{"id", str()}, {"status", str()}, {"revoked_at", str()}})},
    {"Digest", object_with({{"digest", str()}, {"checkpoint", integer()}})},
    {"ErrorEnvelope",
     object_with({{"error", object_with({{"code", str()},
                                         {"message", str()},
                                         {"retryable", {{"type", "boolean"}}},
                                         {"details", {{"type", json::array{"object", "null"}}}}})}})},
    {"ValidationError",
     {{"type", "object"},
      {"properties",
       {{"detail", {{"type", "array"}, {"items", {{"type", "object"}}}}},
        {"error", {{"type", "object"}}}}}}}};
}

std::string lower(std::string s) {
  for (auto& c : s)
    c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

json::object all_components() {
  auto out = components();
  for (auto& [name, schema] : governance_components())
    out[name] = schema;
  for (auto& [name, schema] : metrics_components())
    out[name] = schema;
  for (auto& [name, schema] : plan_components())
    out[name] = schema;
  return out;
}

json::object response(std::string_view description, std::string_view schema) {
  return {{"description", description},
          {"content", {{"application/json", {{"schema", ref(schema)}}}}}};
}

}  // namespace

json::object openapi_document(const std::vector<operation>& ops) {
  std::map<std::string, json::object> paths;
  for (auto& op : ops) {
    if (op.mcp_only)
      continue;  // no REST route
    json::array parameters;
    std::vector<field_spec> body_fields;
    for (auto& f : op.input) {
      if (f.in == param_in::body) {
        body_fields.push_back(f);
        continue;
      }
      parameters.push_back({{"name", f.name},
                            {"in", f.in == param_in::path ? "path" : "query"},
                            {"required", f.required || f.in == param_in::path},
                            {"description", f.description},
                            {"schema", field_schema(f)}});
    }
    json::object responses{
      {std::to_string(op.success_status), response("Success", op.response_schema)},
      {"422", response("Invalid input", "ValidationError")}};
    if (!op.public_route)
      responses["4XX"] = response("Domain error (see the error code)", "ErrorEnvelope");
    json::object entry{{"operationId", op.name},
                       {"summary", op.summary},
                       {"parameters", parameters},
                       {"responses", responses}};
    if (op.roles && !op.roles->empty()) {
      json::array roles;
      for (auto r : *op.roles) {
        static constexpr std::string_view role_names[] = {"planner", "agent", "reviewer",
                                                          "operator", "admin"};
        roles.emplace_back(role_names[size_t(r)]);
      }
      roles.emplace_back("admin");
      entry["x-tascade-roles"] = roles;
    }
    if (!op.public_route)
      entry["security"] = json::array{{{"bearer", json::array{}}}};
    if (!body_fields.empty()) {
      auto schema = input_schema(body_fields, op.strict_fields);
      entry["requestBody"] = {{"required", true},
                              {"content", {{"application/json", {{"schema", schema}}}}}};
    }
    paths[op.path][lower(op.method)] = std::move(entry);
  }
  json::object path_object;
  for (auto& [path, methods] : paths)
    path_object[path] = std::move(methods);
  // The routes served beside the catalogue, described all the same.
  for (auto& [path, methods] : stream_paths())
    path_object[path] = methods;
  return {{"openapi", "3.1.0"},
          {"info",
           {{"title", "Tascade"},
            {"version", "0.1.0"},
            {"description", "Coordination server for many coding agents on one codebase."}}},
          {"paths", path_object},
          {"components",
           {{"schemas", all_components()},
            {"securitySchemes",
             {{"bearer", {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "tsk_…"}}}}}}}};
}

}  // namespace tascade::catalogue
