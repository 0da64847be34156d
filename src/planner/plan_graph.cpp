#include "planner/plan_graph.hpp"

#include <queue>

namespace tascade::planner {

std::string_view to_string(node_kind k) {
  switch (k) {
    case node_kind::scaffold: return "scaffold";
    case node_kind::db: return "db";
    case node_kind::be: return "be";
    case node_kind::fe_foundation: return "fe-foundation";
    case node_kind::fe_flow: return "fe-flow";
    case node_kind::test: return "test";
    case node_kind::package: return "package";
    case node_kind::custom: return "custom";
  }
  return "custom";
}

std::vector<size_t> plan_graph::in_degrees() const {
  std::vector<size_t> d(nodes.size(), 0);
  for (auto& e : edges)
    ++d[e.to];
  return d;
}

std::vector<size_t> plan_graph::out_degrees() const {
  std::vector<size_t> d(nodes.size(), 0);
  for (auto& e : edges)
    ++d[e.from];
  return d;
}

std::vector<std::vector<size_t>> plan_graph::predecessors() const {
  std::vector<std::vector<size_t>> p(nodes.size());
  for (auto& e : edges)
    p[e.to].push_back(e.from);
  return p;
}

std::optional<std::vector<size_t>> topological_order(const plan_graph& g) {
  auto n = g.nodes.size();
  std::vector<std::vector<size_t>> out(n);
  std::vector<size_t> indeg(n, 0);
  for (auto& e : g.edges) {
    if (e.from >= n || e.to >= n || e.from == e.to)
      return std::nullopt;
    out[e.from].push_back(e.to);
    ++indeg[e.to];
  }
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t i = 0; i < n; ++i)
    if (indeg[i] == 0)
      ready.push(i);
  std::vector<size_t> order;
  order.reserve(n);
  while (!ready.empty()) {
    auto v = ready.top();
    ready.pop();
    order.push_back(v);
    for (auto w : out[v])
      if (--indeg[w] == 0)
        ready.push(w);
  }
  if (order.size() != n)
    return std::nullopt;
  return order;
}

size_t longest_path(const plan_graph& g) {
  auto order = topological_order(g);
  if (!order)
    return 0;
  std::vector<std::vector<size_t>> out(g.nodes.size());
  for (auto& e : g.edges)
    out[e.from].push_back(e.to);
  std::vector<size_t> len(g.nodes.size(), 1);
  size_t best = g.nodes.empty() ? 0 : 1;
  for (auto v : *order)
    for (auto w : out[v]) {
      len[w] = std::max(len[w], len[v] + 1);
      best = std::max(best, len[w]);
    }
  return best;
}

}  // namespace tascade::planner
