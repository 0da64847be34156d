#include "planner/planner.hpp"

#include "planner/contract_synthesis.hpp"
#include "planner/dag_builder.hpp"
#include "planner/openapi_contract.hpp"
#include "planner/planner_errors.hpp"
#include "planner/python_json.hpp"
#include "planner/python_numbers.hpp"

#include <boost/json.hpp>

namespace tascade::planner {

namespace json = boost::json;

namespace {

struct built_candidate {
  budgeted_plan plan;
  std::vector<node_complexity> scores;
  coverage_report coverage;
  bool acyclic = false;
};

built_candidate build_candidate(const contract& c, bool with_fe, be_grouping grouping,
                                const planner_settings& settings) {
  built_candidate b;
  b.plan = apply_budgets(build_dag(c, with_fe, grouping, settings.link_scaffold_roots), settings);
  b.acyclic = topological_order(b.plan.graph).has_value();
  b.scores = score_graph(b.plan.graph, settings);
  b.coverage = measure_coverage(c, b.plan.graph);
  return b;
}

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  a.reserve(v.size());
  for (auto& s : v)
    a.emplace_back(s);
  return a;
}

}  // namespace

caf::expected<plan_result> make_plan(std::string_view prd_text, std::optional<contract> given,
                                     const planner_settings& settings) {
  if (prd_text.empty())
    return prd_missing();
  plan_result r;
  r.prd = parse_prd(prd_text);
  r.has_ui = settings.strict_ui_detection ? prd_has_ui_strict(prd_text) : r.prd.has_ui;
  if (given) {
    r.source = std::move(*given);
  } else {
    auto synthesized =
      contract_from_openapi(synthesize_contract(r.prd), contract_syntax::synthesized);
    if (!synthesized)
      return std::move(synthesized.error());
    r.source = std::move(*synthesized);
  }
  r.fe_generated = r.has_ui && !r.source.operations.empty();

  built_candidate winner;
  if (settings.mode == search_mode::parity) {
    winner = build_candidate(r.source, r.fe_generated, be_grouping::by_tag, settings);
  } else {
    const be_grouping variants[] = {be_grouping::by_tag, be_grouping::by_path_root,
                                    be_grouping::per_operation};
    std::vector<built_candidate> built;
    std::vector<candidate_eval> evals;
    for (auto v : variants) {
      built.push_back(build_candidate(r.source, r.fe_generated, v, settings));
      auto& b = built.back();
      evals.push_back({v, b.plan.graph.nodes.size(),
                       static_value(b.plan, b.scores, b.coverage.complete(), b.acyclic)});
    }
    auto seed = settings.seed ? *settings.seed : seed_from_hash(r.source.hash);
    r.candidates = ucb1_search(evals, seed, settings);
    r.variant = evals[r.candidates.front().index].variant;
    winner = std::move(built[r.candidates.front().index]);
  }
  if (!winner.acyclic)
    return make_error(errc::cycle_detected, "CycleDetected: the plan's DAG holds a cycle");
  if (winner.plan.graph.nodes.size() > settings.abort_if_nodes_gt)
    return plan_too_large(winner.plan.graph.nodes.size(), settings.abort_if_nodes_gt);
  if (auto err = require_coverage(winner.coverage))
    return err;

  r.plan = std::move(winner.plan);
  r.scores = std::move(winner.scores);
  r.coverage = std::move(winner.coverage);
  double sum = 0;
  for (auto& s : r.scores)
    sum += s.ccs;
  r.score = r.scores.empty() ? 0.0 : py_round(sum / static_cast<double>(r.scores.size()), 2);
  if (settings.mode == search_mode::parity)
    r.candidates = parity_candidates(r.score, r.plan.graph.nodes.size(), settings);
  for (auto b : r.plan.budgets)
    r.token_cost += b;
  r.longest_path = longest_path(r.plan.graph);
  r.content_hash = canonical_sha256(plan_content_json(r));
  return r;
}

json::value plan_content_json(const plan_result& r) {
  json::array nodes;
  auto& g = r.plan.graph;
  nodes.reserve(g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    auto& n = g.nodes[i];
    auto& s = r.scores[i];
    nodes.push_back(json::object{{"order", i},
                                 {"kind", to_string(n.kind)},
                                 {"anchor", n.anchor},
                                 {"title", n.title},
                                 {"domain", n.domain},
                                 {"description", n.description},
                                 {"tasks", strings(n.tasks)},
                                 {"acceptanceCriteria", strings(n.acceptance_criteria)},
                                 {"contractOps", strings(n.contract_ops)},
                                 {"artifactsOut", n.artifacts_out},
                                 {"tokenBudget", r.plan.budgets[i]},
                                 {"ccs", s.ccs},
                                 {"recommendedSubtasks", s.recommended_subtasks},
                                 {"confidence", s.confidence},
                                 {"modelClass", s.model_class}});
  }
  json::array edges;
  edges.reserve(g.edges.size());
  for (auto& e : g.edges)
    edges.push_back(json::array{e.from, e.to, json::value(e.description)});
  json::array candidates;
  for (auto& c : r.candidates)
    candidates.push_back(
      json::object{{"rank", c.rank}, {"value", c.value}, {"params", c.params}, {"trace", c.trace}});
  return json::object{{"contractHash", r.source.hash}, {"variant", to_string(r.variant)},
                      {"feGenerated", r.fe_generated}, {"nodes", std::move(nodes)},
                      {"edges", std::move(edges)},     {"candidates", std::move(candidates)}};
}

}  // namespace tascade::planner
