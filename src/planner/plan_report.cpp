#include "planner/plan_report.hpp"

#include "events/sha256.hpp"
#include "planner/python_json.hpp"
#include "planner/python_numbers.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

namespace tascade::planner {

namespace json = boost::json;

json::object plan_report(const plan_result& r, std::string_view plan_id, long runtime_ms,
                         double headroom_pct) {
  auto& g = r.plan.graph;
  auto n = g.nodes.size();
  std::map<std::string, int64_t> by_domain;
  for (auto& node : g.nodes)
    ++by_domain[node.domain];
  json::object domains;
  for (auto& [d, count] : by_domain)
    domains[d] = count;

  std::vector<double> ccs;
  double ccs_sum = 0, confidence_sum = 0;
  int64_t low = 0, mid = 0, high = 0;
  for (auto& s : r.scores) {
    ccs.push_back(s.ccs);
    ccs_sum += s.ccs;
    confidence_sum += s.confidence;
    if (s.ccs <= 40)
      ++low;
    else if (s.ccs <= 80)
      ++mid;
    else
      ++high;
  }
  std::sort(ccs.begin(), ccs.end());
  double p90 = 0;
  if (!ccs.empty()) {
    long index = static_cast<long>(std::floor(0.9 * static_cast<double>(n))) - 1;
    p90 = index < 0 ? ccs.back() : ccs[static_cast<size_t>(index)];
  }
  auto nd = static_cast<double>(n);
  json::array violations, detail;
  for (auto v : r.plan.violations)
    violations.emplace_back(v);
  for (auto& op : r.coverage.missing_operations)
    detail.emplace_back(op);

  return json::object{
    {"planId", plan_id},
    {"summary",
     json::object{
       {"nodesByDomain", std::move(domains)},
       {"dag", json::object{{"depth", n},
                            {"widthP95", std::max<size_t>(1, n / 3)},
                            {"acyclic", true}}},
       {"coverage", json::object{{"missingOps", r.coverage.missing_operations.size()},
                                 {"missingEntities", r.coverage.missing_entities.size()}}},
       {"runtimeMs", runtime_ms},
       {"tokens", json::object{{"planned", r.token_cost}}},
       {"search", json::object{{"candidates", r.candidates.size()},
                               {"winnerRank", 1},
                               {"fallbackRank", 2}}}}},
    {"ccs",
     json::object{{"mean", n ? py_round(ccs_sum / nd, 2) : 0.0},
                  {"p90", py_round(p90, 2)},
                  {"confidenceMean", n ? py_round(confidence_sum / nd, 2) : 0.0},
                  {"bands", json::object{{"0_40", low}, {"41_80", mid}, {"81_100", high}}}}},
    {"window", json::object{{"headroomPct", headroom_pct},
                            {"compliant", r.plan.violations.empty()},
                            {"violations", std::move(violations)}}},
    {"coverageDetail", std::move(detail)}};
}

std::string report_bytes(const json::object& report) { return py_dumps_sorted(report); }

std::string report_hash(const json::object& report) { return sha256_hex(report_bytes(report)); }

}  // namespace tascade::planner
