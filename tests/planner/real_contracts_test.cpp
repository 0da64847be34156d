// Real contracts no one here wrote, installed from npm as pinned fixtures
// (tests/planner/fixtures/package-lock.json, `npm ci` by the ctest fixture
// planner_fixtures.install): GitHub's REST description, Rclone's RC API in YAML and JSON, and
// GitHub's GraphQL schema. Each plan: full coverage, an acyclic DAG, no budget over capacity, and
// the same content hash when planned twice.
#include "planner/contract_input.hpp"
#include "planner/plan_report.hpp"
#include "planner/planner.hpp"
#include "tascade/errc.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <sstream>

namespace tascade::planner {
namespace {

std::string read_fixture(const std::string& relative) {
  std::string path = std::string(TASCADE_PLANNER_FIXTURES) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("missing fixture " + path +
                             " (run `npm ci` in tests/planner/fixtures, or ctest -R planner)");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

const char* prd = "# Service\nThe service exposes the contract to API clients.\n";  // no UI signal

plan_result plan_text(const std::string& text, contract_syntax syntax,
                      const planner_settings& settings = {}) {
  auto c = load_contract_text(text, syntax);
  if (!c)
    throw std::runtime_error("contract rejected: " + message_of(c.error()));
  auto r = make_plan(prd, std::move(*c), settings);
  if (!r)
    throw std::runtime_error("planning failed: " + message_of(r.error()));
  return std::move(*r);
}

void expect_sound(const plan_result& r, const char* name) {
  EXPECT_TRUE(r.coverage.missing_operations.empty()) << name;
  EXPECT_TRUE(r.coverage.missing_entities.empty()) << name;
  EXPECT_TRUE(topological_order(r.plan.graph).has_value()) << name;
  EXPECT_TRUE(r.plan.violations.empty()) << name;
  for (auto b : r.plan.budgets)
    ASSERT_LE(b, r.plan.capacity) << name;
  std::cout << name << ": " << r.source.operations.size() << " operations ("
            << r.coverage.total_operations << " distinct), " << r.source.entities.size()
            << " entities, " << r.plan.graph.nodes.size() << " nodes, "
            << r.plan.graph.edges.size() << " edges, longest path " << r.longest_path
            << ", content hash " << r.content_hash << "\n";
}

TEST(PlannerRealContracts, GithubRestIsCoveredAcyclicAndDeterministic) {
  auto text = read_fixture("@octokit/openapi/generated/api.github.com.json");
  auto a = plan_text(text, contract_syntax::json);
  EXPECT_GT(a.source.operations.size(), 900u);
  EXPECT_EQ(a.coverage.total_operations, a.source.operations.size());
  expect_sound(a, "api.github.com.json");
  auto b = plan_text(text, contract_syntax::json);
  EXPECT_EQ(a.content_hash, b.content_hash);
  EXPECT_EQ(report_hash(plan_report(a, "fixed", 0, 0.1)),
            report_hash(plan_report(b, "fixed", 0, 0.1)));
  EXPECT_EQ(a.source.hash, b.source.hash);
}

TEST(PlannerRealContracts, GithubRestWithUiAndSearch) {
  auto text = read_fixture("@octokit/openapi/generated/api.github.com.json");
  auto c = load_contract_text(text, contract_syntax::json);
  ASSERT_TRUE(c);
  planner_settings s;
  s.mode = search_mode::ucb1;
  auto r = make_plan("# Console\nAn admin dashboard for every endpoint.", std::move(*c), s);
  ASSERT_TRUE(r) << message_of(r.error());
  EXPECT_TRUE(r->fe_generated);
  expect_sound(*r, "api.github.com.json (UI, ucb1)");
  EXPECT_EQ(r->candidates.size(), 3u);
}

TEST(PlannerRealContracts, RcloneYamlAndJsonGiveTheSamePlan) {
  auto yaml = plan_text(read_fixture("rclone-openapi/openapi.yaml"), contract_syntax::yaml);
  auto json = plan_text(read_fixture("rclone-openapi/openapi.json"), contract_syntax::json);
  expect_sound(yaml, "rclone openapi.yaml");
  expect_sound(json, "rclone openapi.json");
  EXPECT_GT(yaml.source.operations.size(), 10u);
  EXPECT_EQ(yaml.source.hash, json.source.hash);
  EXPECT_EQ(yaml.content_hash, json.content_hash);
  EXPECT_EQ(plan_text(read_fixture("rclone-openapi/openapi.yaml"), contract_syntax::yaml)
              .content_hash,
            yaml.content_hash);
}

TEST(PlannerRealContracts, GithubGraphqlSchema) {
  auto text = read_fixture("@octokit/graphql-schema/schema.graphql");
  auto a = plan_text(text, contract_syntax::graphql);
  EXPECT_GT(a.source.operations.size(), 100u);
  EXPECT_GT(a.source.entities.size(), 1000u);
  expect_sound(a, "schema.graphql");
  EXPECT_EQ(plan_text(text, contract_syntax::graphql).content_hash, a.content_hash);
  EXPECT_EQ(detect_contract_syntax(text), contract_syntax::graphql);
}

}  // namespace
}  // namespace tascade::planner
