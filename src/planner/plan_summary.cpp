#include "planner/plan_summary.hpp"

#include "planner/python_numbers.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <sstream>

namespace tascade::planner {

namespace json = boost::json;

json::object plan_summary(const plan_result& r, size_t top) {
  auto& g = r.plan.graph;
  std::map<std::string, int64_t> by_domain;
  for (auto& n : g.nodes)
    ++by_domain[n.domain];
  json::object domains;
  for (auto& [d, c] : by_domain)
    domains[d] = c;

  std::vector<double> ccs;
  for (auto& s : r.scores)
    ccs.push_back(s.ccs);
  std::sort(ccs.begin(), ccs.end());
  int64_t low = 0, mid = 0, high = 0;
  for (double c : ccs)
    (c <= 40 ? low : c <= 80 ? mid : high)++;
  double mean = ccs.empty()
                  ? 0
                  : std::accumulate(ccs.begin(), ccs.end(), 0.0) / static_cast<double>(ccs.size());
  double p90 = 0;
  if (!ccs.empty()) {
    long idx = static_cast<long>(std::floor(0.9 * static_cast<double>(ccs.size()))) - 1;
    p90 = idx < 0 ? ccs.back() : ccs[static_cast<size_t>(idx)];
  }

  std::vector<size_t> order(g.nodes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return r.plan.budgets[a] > r.plan.budgets[b]; });
  json::array largest;
  for (size_t i = 0; i < order.size() && i < top; ++i)
    largest.push_back(json::object{{"order", order[i]},
                                   {"title", g.nodes[order[i]].title},
                                   {"tokens", r.plan.budgets[order[i]]}});

  auto ops = r.coverage.total_operations, entities = r.coverage.total_entities;
  auto covered =
    (ops - r.coverage.missing_operations.size()) + (entities - r.coverage.missing_entities.size());
  double percent =
    ops + entities == 0
      ? 100.0
      : py_round(100.0 * static_cast<double>(covered) / static_cast<double>(ops + entities), 2);
  return json::object{
    {"tasks", g.nodes.size()},
    {"edges", g.edges.size()},
    {"nodesByDomain", std::move(domains)},
    {"coverage", json::object{{"operations", ops},
                              {"missingOperations", r.coverage.missing_operations.size()},
                              {"entities", entities},
                              {"missingEntities", r.coverage.missing_entities.size()},
                              {"percent", percent}}},
    {"ccs", json::object{{"min", ccs.empty() ? 0.0 : ccs.front()},
                         {"mean", py_round(mean, 2)},
                         {"p90", p90},
                         {"max", ccs.empty() ? 0.0 : ccs.back()},
                         {"bands", json::object{{"0_40", low}, {"41_80", mid}, {"81_100", high}}}}},
    {"largestBudgets", std::move(largest)},
    {"tokensPlanned", r.token_cost},
    {"capacity", r.plan.capacity},
    {"longestPath", r.longest_path},
    {"feGenerated", r.fe_generated},
    {"variant", to_string(r.variant)},
    {"contractFormat", to_string(r.source.syntax)},
    {"contractHash", r.source.hash},
    {"contentHash", r.content_hash}};
}

namespace {

// A number as Python prints it; a string without quotes.
std::string text(const json::value& v) {
  if (v.is_double())
    return py_float_repr(v.get_double());
  if (v.is_string())
    return std::string(v.get_string());
  return json::serialize(v);
}

}  // namespace

std::string plan_summary_text(const json::object& s) {
  std::ostringstream out;
  auto& cov = s.at("coverage").as_object();
  auto& ccs = s.at("ccs").as_object();
  out << "plan: " << s.at("tasks").as_uint64() << " tasks, " << s.at("edges").as_uint64()
      << " edges, longest path " << s.at("longestPath").as_uint64() << " ("
      << text(s.at("contractFormat")) << " contract, BE " << text(s.at("variant"))
      << (s.at("feGenerated").as_bool() ? ", with FE" : ", no FE") << ")\n";
  out << "by domain:";
  for (auto& kv : s.at("nodesByDomain").as_object())
    out << " " << kv.key() << "=" << kv.value().as_int64();
  out << "\ncoverage: "
      << cov.at("operations").as_uint64() - cov.at("missingOperations").as_uint64() << "/"
      << cov.at("operations").as_uint64() << " operations, "
      << cov.at("entities").as_uint64() - cov.at("missingEntities").as_uint64() << "/"
      << cov.at("entities").as_uint64() << " entities (" << text(cov.at("percent")) << "%)\n";
  auto& bands = ccs.at("bands").as_object();
  out << "CCS: min " << text(ccs.at("min")) << ", mean " << text(ccs.at("mean")) << ", p90 "
      << text(ccs.at("p90")) << ", max " << text(ccs.at("max"))
      << "; bands 0-40: " << bands.at("0_40").as_int64()
      << ", 41-80: " << bands.at("41_80").as_int64()
      << ", 81-100: " << bands.at("81_100").as_int64() << "\n";
  out << "tokens: " << s.at("tokensPlanned").as_int64() << " planned, capacity "
      << s.at("capacity").as_int64() << " per task; largest budgets:\n";
  for (auto& b : s.at("largestBudgets").as_array())
    out << "  " << b.at("tokens").as_int64() << "  #" << b.at("order").as_uint64() << " "
        << text(b.at("title")) << "\n";
  out << "contract " << text(s.at("contractHash")) << "\ncontent  " << text(s.at("contentHash"))
      << "\n";
  return out.str();
}

}  // namespace tascade::planner
