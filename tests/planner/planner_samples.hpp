#pragma once
/// The spec's sample contract (PLANNER-SPEC §11) and small helpers shared by the planner tests.

#include "planner/contract_input.hpp"
#include "planner/planner.hpp"
#include "tascade/errc.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>

namespace tascade::planner::test {

inline constexpr const char* sample_contract_json =
  R"({"openapi":"3.1.0","info":{"title":"Sample API","version":"1.0.0"},)"
  R"("paths":{"/widgets":{"get":{"operationId":"listWidgets","summary":"List widgets"},)"
  R"("post":{"operationId":"createWidget","summary":"Create widget"}}},)"
  R"("components":{"schemas":{"Widget":{"type":"object","properties":{"id":{"type":"string"},)"
  R"("name":{"type":"string"}}}}}})";

inline boost::json::value sample_document() { return boost::json::parse(sample_contract_json); }

inline contract sample_contract() {
  auto c = load_contract_document(sample_document());
  if (!c)
    throw std::runtime_error("the sample contract does not load: " + message_of(c.error()));
  return std::move(*c);
}

/// Plans `prd` (against the sample contract unless `given` says otherwise); fails the test on
/// an error.
inline plan_result plan_or_fail(const std::string& prd, std::optional<contract> given,
                                const planner_settings& settings = {}) {
  auto r = make_plan(prd, std::move(given), settings);
  if (!r)
    throw std::runtime_error("planning failed: " + message_of(r.error()));
  return std::move(*r);
}

inline std::vector<std::string> titles(const plan_result& r) {
  std::vector<std::string> out;
  for (auto& n : r.plan.graph.nodes)
    out.push_back(n.title);
  return out;
}

inline std::vector<double> ccs_values(const plan_result& r) {
  std::vector<double> out;
  for (auto& s : r.scores)
    out.push_back(s.ccs);
  return out;
}

/// Edges as "from→to description".
inline std::vector<std::string> edge_lines(const plan_graph& g) {
  std::vector<std::string> out;
  for (auto& e : g.edges)
    out.push_back(std::to_string(e.from) + "→" + std::to_string(e.to) + " " + e.description);
  return out;
}

}  // namespace tascade::planner::test
