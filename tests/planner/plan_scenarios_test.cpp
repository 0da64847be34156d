// The spec's plan scenarios at the library level: T01–T05 (tasks, graph, report), T06–T07
// (context cards), T18 (BE grouping), T20 (DB matching), T26 (candidates), T29 (PRD missing),
// T36 (options recorded, not planned with).
#include "planner/context_card.hpp"
#include "planner/dag_builder.hpp"
#include "planner/plan_report.hpp"
#include "planner/plan_summary.hpp"
#include "planner/python_json.hpp"
#include "tests/planner/planner_samples.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tascade::planner {
namespace {

namespace json = boost::json;
using test::ccs_values;
using test::edge_lines;
using test::plan_or_fail;
using test::sample_contract;
using test::titles;
using strings = std::vector<std::string>;

const std::string t01_prd = "# Overview\nThe service manages widgets.";

TEST(PlannerScenarios, T01CoverageIsCompleteWithoutUi) {
  auto r = plan_or_fail(t01_prd, sample_contract());
  EXPECT_FALSE(r.has_ui);
  EXPECT_TRUE(r.coverage.missing_operations.empty());
  EXPECT_EQ(r.coverage.total_operations, 2u);
  EXPECT_TRUE(r.coverage.missing_entities.empty());
}

TEST(PlannerScenarios, T02TasksComplexityAndDependencies) {
  auto r = plan_or_fail(t01_prd, sample_contract());
  EXPECT_EQ(titles(r),
            (strings{"Request: provision repository scaffold", "Design and migrate Widget table",
                     "Implement backend handlers for default",
                     "Construct integration and contract tests", "Finalize deployment package"}));
  strings domains;
  for (auto& n : r.plan.graph.nodes)
    domains.push_back(n.domain);
  EXPECT_EQ(domains, (strings{"Package", "DB", "BE", "Test", "Package"}));
  for (auto b : r.plan.budgets)
    EXPECT_EQ(b, 2000);
  const double score_1_10[] = {3.1, 5.7, 5.2, 5.7, 3.1};
  const long subtasks[] = {3, 4, 4, 4, 3};
  const double confidence[] = {0.84, 0.72, 0.74, 0.72, 0.84};
  EXPECT_EQ(ccs_values(r), (std::vector<double>{31.5, 56.5, 51.5, 56.5, 31.5}));
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(r.scores[i].score_1_10, score_1_10[i]) << i;
    EXPECT_EQ(r.scores[i].recommended_subtasks, subtasks[i]) << i;
    EXPECT_EQ(r.scores[i].confidence, confidence[i]) << i;
    EXPECT_EQ(r.scores[i].model_class, "Class-200K");
  }
  auto preds = r.plan.graph.predecessors();
  EXPECT_EQ(preds[0], (std::vector<size_t>{}));
  EXPECT_EQ(preds[1], (std::vector<size_t>{0}));
  EXPECT_EQ(preds[2], (std::vector<size_t>{1}));
  EXPECT_EQ(preds[3], (std::vector<size_t>{2, 1}));
  EXPECT_EQ(preds[4], (std::vector<size_t>{3}));
  EXPECT_EQ(r.plan.graph.nodes[0].artifacts_out.size(), 1u);
}

TEST(PlannerScenarios, T03GraphEdgesInCreationOrder) {
  auto r = plan_or_fail(t01_prd, sample_contract());
  EXPECT_EQ(edge_lines(r.plan.graph),
            (strings{"0→1 Repo ready", "1→2 DB schema available", "2→3 Backend complete",
                     "1→3 DB migrations ready", "3→4 Tests green"}));
}

TEST(PlannerScenarios, T04Report) {
  auto r = plan_or_fail(t01_prd, sample_contract());
  auto report = plan_report(r, "p-1", 7, 0.1);
  auto& summary = report.at("summary").as_object();
  EXPECT_EQ(py_dumps_sorted(summary.at("nodesByDomain")),
            R"({"BE": 1, "DB": 1, "Package": 2, "Test": 1})");
  EXPECT_EQ(py_dumps_sorted(summary.at("dag")), R"({"acyclic": true, "depth": 5, "widthP95": 1})");
  EXPECT_EQ(py_dumps_sorted(summary.at("coverage")), R"({"missingEntities": 0, "missingOps": 0})");
  EXPECT_EQ(summary.at("tokens").at("planned"), 10000);
  EXPECT_EQ(py_dumps_sorted(summary.at("search")),
            R"({"candidates": 3, "fallbackRank": 2, "winnerRank": 1})");
  EXPECT_EQ(py_dumps_sorted(report.at("ccs")),
            R"({"bands": {"0_40": 2, "41_80": 3, "81_100": 0}, "confidenceMean": 0.77, )"
            R"("mean": 45.5, "p90": 56.5})");
  EXPECT_EQ(py_dumps_sorted(report.at("window")),
            R"({"compliant": true, "headroomPct": 0.1, "violations": []})");
  EXPECT_EQ(py_dumps_sorted(report.at("coverageDetail")), "[]");
  EXPECT_EQ(summary.at("runtimeMs"), 7);
  EXPECT_EQ(report_hash(report).size(), 64u);
  EXPECT_EQ(r.score, 45.5);
  EXPECT_EQ(r.token_cost, 10000);
}

TEST(PlannerScenarios, T05NoUiStillGatesFrontEndIn) {
  auto r = plan_or_fail("# Overview\nNo UI.", sample_contract());
  EXPECT_TRUE(r.fe_generated);
  EXPECT_EQ(titles(r),
            (strings{"Request: provision repository scaffold", "Design and migrate Widget table",
                     "Implement backend handlers for default", "Create shared frontend foundation",
                     "Build UI flow for listWidgets", "Build UI flow for createWidget",
                     "Construct integration and contract tests", "Finalize deployment package"}));
  EXPECT_EQ(r.plan.graph.nodes[4].description, "Implement UI to surface List widgets");
  EXPECT_EQ(r.plan.graph.edges.size(), 11u);
  EXPECT_EQ(r.plan.graph.predecessors()[6], (std::vector<size_t>{2, 3, 4, 5, 1}));
  EXPECT_EQ(ccs_values(r), (std::vector<double>{31.5, 56.5, 61.5, 51.5, 44.0, 44.0, 61.5, 31.5}));
  auto report = plan_report(r, "p", 0, 0.1);
  EXPECT_EQ(report.at("summary").at("dag").at("depth"), 8);
  EXPECT_EQ(report.at("summary").at("dag").at("widthP95"), 2);
  EXPECT_EQ(report.at("summary").at("tokens").at("planned"), 16000);
  EXPECT_EQ(report.at("ccs").at("mean").as_double(), 47.75);
  EXPECT_EQ(report.at("ccs").at("p90").as_double(), 61.5);
  EXPECT_EQ(report.at("ccs").at("confidenceMean").as_double(), 0.76);
}

TEST(PlannerScenarios, T06ScaffoldCardUsesTheContractHash) {
  auto r = plan_or_fail("# Overview\nNo UI.", sample_contract());
  auto card = make_context_card(r.plan.graph.nodes[0], r.source.hash, {});
  EXPECT_EQ(card.summary, "Request: provision repository scaffold (Package) covering ");
  EXPECT_EQ(card.contract_slice_ref, r.source.hash);
  EXPECT_EQ(json::serialize(card.interfaces), R"({"domain":"Package"})");
  EXPECT_EQ(card.schema_hashes.at("contract").as_string(), r.source.hash);
  EXPECT_EQ(card.embedding.size(), 256u);
}

TEST(PlannerScenarios, T07BackendCardSummary) {
  auto r = plan_or_fail(t01_prd, sample_contract());
  auto card = make_context_card(r.plan.graph.nodes[2], r.source.hash, {"doc"});
  EXPECT_EQ(card.summary,
            "Implement backend handlers for default (BE) covering listWidgets, createWidget");
  EXPECT_EQ(card.contract_slice_ref, "listWidgets,createWidget");
  EXPECT_EQ(card.citations, (strings{"doc"}));
}

TEST(PlannerScenarios, T18BackendGroupsByFirstTag) {
  auto c = load_contract_text(R"({"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{
    "/a":{"get":{"operationId":"a1","tags":["Alpha","Beta"]},"post":{"operationId":"a2"}},
    "/b":{"get":{"operationId":"b1","tags":["Beta"]},"delete":{"operationId":"b2","tags":["Alpha"]}}}})");
  ASSERT_TRUE(c);
  auto r = plan_or_fail(t01_prd, std::move(*c));
  EXPECT_EQ(
    titles(r),
    (strings{"Request: provision repository scaffold", "Implement backend handlers for Alpha",
             "Implement backend handlers for default", "Implement backend handlers for Beta",
             "Construct integration and contract tests", "Finalize deployment package"}));
  EXPECT_EQ(r.plan.graph.nodes[1].contract_ops, (strings{"a1", "b2"}));
  EXPECT_EQ(r.plan.graph.nodes[2].contract_ops, (strings{"a2"}));
  EXPECT_EQ(r.plan.graph.nodes[3].contract_ops, (strings{"b1"}));
  EXPECT_EQ(edge_lines(r.plan.graph), (strings{"1→4 Backend complete", "2→4 Backend complete",
                                               "3→4 Backend complete", "4→5 Tests green"}));
  EXPECT_EQ(r.scores[0].ccs, 26.5);  // the isolated scaffold (Q10)
}

TEST(PlannerScenarios, Q10LinkScaffoldRootsIsOptIn) {
  auto c = load_contract_text(R"({"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{
    "/a":{"get":{"operationId":"a1"}}}})");
  ASSERT_TRUE(c);
  planner_settings s;
  s.link_scaffold_roots = true;
  auto r = plan_or_fail(t01_prd, std::move(*c), s);
  EXPECT_EQ(edge_lines(r.plan.graph)[0], "0→1 Repo ready");
}

TEST(PlannerScenarios, T20DbMatchingLooksInsideKeyNames) {
  auto c = load_contract_text(R"({"openapi":"3.1.0","info":{"title":"t","version":"1"},
    "paths":{"/orders":{"get":{"operationId":"listOrders","summary":"List orders"}},
             "/users":{"get":{"operationId":"listUsers"}}},
    "components":{"schemas":{"Order":{},"Path":{},"Account":{}}}})");
  ASSERT_TRUE(c);
  EXPECT_EQ(db_matching_ops(*c, "Order"), (strings{"listOrders"}));
  EXPECT_EQ(db_matching_ops(*c, "Path"), (strings{"listOrders", "listUsers"}));
  EXPECT_EQ(db_matching_ops(*c, "Account"), (strings{}));
  auto r = plan_or_fail(t01_prd, std::move(*c));
  EXPECT_EQ(r.plan.graph.nodes[2].contract_ops, (strings{"listOrders", "listUsers"}));
}

TEST(PlannerScenarios, T26ParityCandidates) {
  auto r = plan_or_fail(t01_prd, sample_contract());
  ASSERT_EQ(r.candidates.size(), 3u);
  const double values[] = {45.5, 43.225, 40.95};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(r.candidates[i].rank, i + 1);
    EXPECT_EQ(r.candidates[i].value, values[i]);
    EXPECT_EQ(py_dumps_sorted(r.candidates[i].trace),
              "{\"expansions\": " + std::to_string(4 + i) + ", \"nodes\": 5}");
    EXPECT_EQ(py_dumps_sorted(r.candidates[i].params),
              R"({"iterations": 128, "ucb1_c": 1.4142135623730951})");
  }
}

TEST(PlannerScenarios, T29EmptyPrdIsRefused) {
  auto r = make_plan("", sample_contract(), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(message_of(r.error()), "PRD text or accessible ref required");
}

TEST(PlannerScenarios, T36RequestOptionsDoNotChangeThePlan) {
  // Options are recorded by the caller, never passed to the planner: the same settings give the
  // same content hash whatever the request carried.
  auto a = plan_or_fail(t01_prd, sample_contract());
  auto b = plan_or_fail(t01_prd, sample_contract());
  EXPECT_EQ(a.content_hash, b.content_hash);
  EXPECT_EQ(report_hash(plan_report(a, "x", 0, 0.1)), report_hash(plan_report(b, "x", 0, 0.1)));
}

TEST(PlannerScenarios, Ucb1SearchIsSeededAndRanksThreeVariants) {
  planner_settings s;
  s.mode = search_mode::ucb1;
  auto a = plan_or_fail("# Overview\nNo UI.", sample_contract(), s);
  auto b = plan_or_fail("# Overview\nNo UI.", sample_contract(), s);
  ASSERT_EQ(a.candidates.size(), 3u);
  EXPECT_EQ(a.content_hash, b.content_hash);
  long visits = 0;
  std::set<std::string> variants;
  for (auto& c : a.candidates) {
    visits += c.trace.at("visits").as_int64();
    variants.insert(std::string(c.trace.at("variant").as_string()));
    EXPECT_EQ(c.trace.at("iterations"), 128);
  }
  EXPECT_EQ(visits, 128);
  EXPECT_EQ(variants.size(), 3u);
  EXPECT_GE(a.candidates[0].value, a.candidates[1].value);
  EXPECT_EQ(a.candidates[0].params.at("seed").as_string(),
            std::to_string(seed_from_hash(a.source.hash)));
  EXPECT_TRUE(a.coverage.complete());
  s.seed = 42;
  auto c = plan_or_fail("# Overview\nNo UI.", sample_contract(), s);
  EXPECT_EQ(c.candidates[0].params.at("seed"), "42");
}

TEST(PlannerScenarios, ContextSelectionStopsAtAQuarterOfTheBudget) {
  // Each summary of 8 words costs max(32, 12 + 128) = 140 tokens; a quarter of 600 is 150.
  std::vector<std::string> summaries(3, "one two three four five six seven eight");
  auto sel = select_context_cards(summaries, 600);
  EXPECT_EQ(sel.taken, 1u);
  EXPECT_TRUE(sel.truncated);
  sel = select_context_cards(summaries, 2000);
  EXPECT_EQ(sel.taken, 3u);
  EXPECT_FALSE(sel.truncated);
}

TEST(PlannerScenarios, SummaryCountsCoverageAndLargestBudgets) {
  auto r = plan_or_fail("# Overview\nNo UI.", sample_contract());
  auto s = plan_summary(r, 2);
  EXPECT_EQ(s.at("tasks"), 8);
  EXPECT_EQ(s.at("edges"), 11);
  EXPECT_EQ(py_dumps_sorted(s.at("coverage")),
            R"({"entities": 1, "missingEntities": 0, "missingOperations": 0, "operations": 2, )"
            R"("percent": 100.0})");
  EXPECT_EQ(py_dumps_sorted(s.at("ccs")),
            R"({"bands": {"0_40": 2, "41_80": 6, "81_100": 0}, "max": 61.5, "mean": 47.75, )"
            R"("min": 31.5, "p90": 61.5})");
  EXPECT_EQ(s.at("largestBudgets").as_array().size(), 2u);
  EXPECT_EQ(s.at("largestBudgets").at(0).at("order"), 0);
  EXPECT_EQ(s.at("tokensPlanned"), 16000);
  auto text = plan_summary_text(s);
  EXPECT_NE(text.find("plan: 8 tasks, 11 edges"), std::string::npos) << text;
  EXPECT_NE(text.find("2/2 operations, 1/1 entities (100.0%)"), std::string::npos) << text;
}

}  // namespace
}  // namespace tascade::planner
