#include "planner/complexity.hpp"

#include "planner/prd.hpp"
#include "planner/python_numbers.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace tascade::planner {

node_complexity score_node(const complexity_inputs& in, const planner_settings& settings) {
  auto c = static_cast<double>(in.contract_ops);
  auto t = static_cast<double>(in.tasks.size());
  auto k = static_cast<double>(in.acceptance_criteria);
  auto q = static_cast<double>(in.requirement_refs);
  std::unordered_set<std::string_view> distinct(in.tasks.begin(), in.tasks.end());
  auto u = static_cast<double>(distinct.size());
  bool research = std::any_of(in.tasks.begin(), in.tasks.end(), [](const std::string& s) {
    return ascii_lower(s).find("research") != std::string::npos;
  });

  double D = std::min(1.0, (static_cast<double>(in.in_degree + in.out_degree) + c) / 6.0);
  double S = std::min(1.0, (t + k) / 8.0);
  double N = u > 0 ? std::min(1.0, u / 6.0) : 0.1;
  double A = std::min(1.0, (c + q) / 6.0);
  double R = research ? 0.4 : 0.1;
  auto& w = settings.weights;
  // Left to right, as spec §6.3 fixes the evaluation order.
  double sum = w.dependency * D + w.surface * S + w.novelty * N + w.ambiguity * A + w.research * R;

  node_complexity out;
  out.ccs = py_round(100.0 * sum, 2);
  out.d = py_round(100.0 * D, 2);
  out.s = py_round(100.0 * S, 2);
  out.n = py_round(100.0 * N, 2);
  out.a = py_round(100.0 * A, 2);
  out.r = py_round(100.0 * R, 2);
  out.score_1_10 = py_round(out.ccs / 10.0, 1);
  out.recommended_subtasks = std::max<long>(1, static_cast<long>(std::ceil(out.ccs / 15.0)));
  out.confidence = std::max(0.5, py_round(1.0 - out.ccs / 200.0, 2));
  out.model_class = (out.ccs >= 81 && !settings.optional_model_class.empty())
                      ? settings.optional_model_class
                      : settings.default_model_class;
  return out;
}

std::vector<node_complexity> score_graph(const plan_graph& g, const planner_settings& settings) {
  auto in = g.in_degrees();
  auto out = g.out_degrees();
  std::vector<node_complexity> scores;
  scores.reserve(g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    auto& n = g.nodes[i];
    complexity_inputs ci{in[i], out[i], n.contract_ops.size(), n.tasks,
                         n.acceptance_criteria.size(), 0};
    scores.push_back(score_node(ci, settings));
  }
  return scores;
}

}  // namespace tascade::planner
