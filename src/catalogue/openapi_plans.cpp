// OpenAPI components of the planner's operations (issue 17), merged by openapi.cpp.

#include "catalogue/openapi_schemas.hpp"

#include <boost/json.hpp>

namespace tascade::catalogue {

namespace json = boost::json;

using namespace schemas;

namespace {

json::object number() { return {{"type", "number"}}; }
json::object nullable_object() { return {{"type", json::array{"object", "null"}}}; }

}  // namespace

json::object plan_components() {
  auto complexity = object_with({{"score_0_100", number()},
                                 {"score_1_10", number()},
                                 {"recommendedSubtasks", integer()},
                                 {"confidence", number()}});
  auto task = object_with({{"id", str()},
                           {"title", str()},
                           {"domain", str()},
                           {"description", str()},
                           {"requirementsRefs", strings()},
                           {"dependencies", strings()},
                           {"acceptanceCriteria", strings()},
                           {"artifactsIn", array_of(object())},
                           {"artifactsOut", array_of(object())},
                           {"contextBudgetTokens", integer()},
                           {"complexity", complexity},
                           {"modelClass", str()},
                           {"citations", strings()},
                           {"riskClass", str()}});
  auto summary = object_with({{"id", str()},
                              {"projectId", str()},
                              {"runId", str()},
                              {"status", {{"type", "string"},
                                          {"enum", {"Draft", "Winning", "Fallback"}}}},
                              {"reportRef", nullable_str()},
                              {"coverage", object_with({{"missingOperations", strings()},
                                                        {"totalOperations", integer()}})},
                              {"createdAt", nullable_str()},
                              {"updatedAt", nullable_str()},
                              {"applied", nullable_object()}});
  summary["properties"].as_object()["rerunOf"] = str();
  summary["properties"].as_object()["contractDiff"] = object();
  summary["properties"].as_object()["proposedOperations"] = integer();
  summary["properties"].as_object()["proposedChangesetId"] = nullable_str();
  return {
    {"PlanSummary", summary},
    {"PlannerHealth", object_with({{"status", str()}, {"environment", str()}})},
    {"PlanTask", task},
    {"PlanTaskList", array_of(ref("PlanTask"))},
    {"PlanGraph",
     object_with({{"nodes", array_of(object_with({{"id", str()},
                                                   {"label", str()},
                                                   {"domain", str()},
                                                   {"tokenBudget", integer()},
                                                   {"order", integer()}}))},
                  {"edges", array_of(object_with({{"from", str()},
                                                   {"to", str()},
                                                   {"description", str()}}))}})},
    {"PlanReport", object_with({{"planId", str()},
                                {"summary", object()},
                                {"ccs", object()},
                                {"window", object()},
                                {"coverageDetail", strings()}})},
    {"ExecutorCallbackResult", object_with({{"status", str()}, {"contextCardId", str()}})},
    {"PlanApplied", object_with({{"planId", str()},
                                 {"projectId", str()},
                                 {"changesetId", str()},
                                 {"planVersion", integer()},
                                 {"phases", object()},
                                 {"tasks", array_of(object())}})},
  };
}

}  // namespace tascade::catalogue
