#include "planner/plan_record.hpp"

#include "planner/contract_input.hpp"
#include "planner/plan_report.hpp"
#include "planner/project_tasks.hpp"

#include <boost/json.hpp>

namespace tascade::planner {

namespace json = boost::json;

namespace {

json::array strings(const std::vector<std::string>& v) { return json::array(v.begin(), v.end()); }

contract_syntax syntax_named(std::string_view name, std::string_view text) {
  if (name == "json")
    return contract_syntax::json;
  if (name == "yaml")
    return contract_syntax::yaml;
  if (name == "graphql")
    return contract_syntax::graphql;
  return detect_contract_syntax(text);
}

}  // namespace

caf::expected<plan_result> plan_from(const plan_source& source,
                                     const planner_settings& settings) {
  std::optional<contract> given;
  if (!source.contract_text.empty()) {
    auto c = load_contract_text(source.contract_text,
                                syntax_named(source.contract_syntax, source.contract_text));
    if (!c)
      return std::move(c.error());
    given = std::move(*c);
  }
  return make_plan(source.prd_text, std::move(given), settings);
}

json::object plan_record(const plan_result& r, const uuid& plan_id, const plan_source& source,
                         long runtime_ms, const planner_settings& settings,
                         const std::function<uuid()>& new_id) {
  auto& g = r.plan.graph;
  auto tasks = to_project_plan(r);
  std::vector<std::string> ids;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    ids.push_back(new_id().str());
  auto preds = g.predecessors();
  json::array nodes;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    auto& n = g.nodes[i];
    auto& s = r.scores[i];
    auto& t = tasks.tasks[i];
    json::array deps;
    for (auto p : preds[i])
      deps.emplace_back(ids[p]);
    nodes.push_back(json::object{
      {"id", ids[i]},
      {"key", t.key},
      {"order", i},
      {"title", n.title},
      {"domain", n.domain},
      {"description", n.description.empty() ? n.title : n.description},
      {"requirementsRefs", json::array{}},
      {"dependencies", std::move(deps)},
      {"acceptanceCriteria", strings(n.acceptance_criteria)},
      {"artifactsIn", json::array{}},
      {"artifactsOut", n.artifacts_out},
      {"contextBudgetTokens", r.plan.budgets[i]},
      {"complexity", {{"score_0_100", s.ccs},
                      {"score_1_10", s.score_1_10},
                      {"recommendedSubtasks", s.recommended_subtasks},
                      {"confidence", s.confidence}}},
      {"modelClass", s.model_class},
      {"citations", json::array{}},
      {"riskClass", "Medium"},
      {"contractOps", strings(n.contract_ops)},
      {"phase", t.phase},
      {"priority", t.priority},
      {"taskClass", t.task_class},
      {"capabilityTags", strings(t.capability_tags)},
      {"expectedTouches", strings(t.expected_touches)},
      {"workSpec", t.work_spec}});
  }
  json::array edges;
  for (auto& e : g.edges)
    edges.push_back({{"id", new_id().str()},
                     {"from", ids[e.from]},
                     {"to", ids[e.to]},
                     {"description", e.description}});
  auto report = plan_report(r, plan_id.str(), runtime_ms, settings.headroom_pct);
  auto source_kind = source.contract_text.empty() ? "synthesized" : "provided";
  json::object options{{"headroomPct", nullptr}, {"allowResearch", nullptr},
                       {"modelClass", nullptr}};
  for (auto& [k, v] : source.options)
    if (options.contains(k))
      options[k] = v;
  return {{"status", "Winning"},
          {"contractHash", r.source.hash},
          {"contentHash", r.content_hash},
          {"reportRef", "sha256:" + report_hash(report)},
          {"report", std::move(report)},
          {"score", r.score},
          {"tokenCost", r.token_cost},
          {"longestPath", r.longest_path},
          {"coverage", {{"missingOperations", strings(r.coverage.missing_operations)},
                        {"totalOperations", r.coverage.total_operations}}},
          {"params", {{"headroomPct", settings.headroom_pct},
                      {"contractOperations", r.source.operations.size()},
                      {"ingest", {{"prdText", source.prd_text},
                                  {"contractText", source.contract_text},
                                  {"contractSyntax", to_string(r.source.syntax)},
                                  {"contractSource", source_kind}}},
                      {"requestOptions", source.options.empty() ? json::object{} : options}}},
          {"nodes", std::move(nodes)},
          {"edges", std::move(edges)}};
}

}  // namespace tascade::planner
