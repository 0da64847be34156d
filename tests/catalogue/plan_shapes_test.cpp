// The planner's REST shapes and errors (issue 17; PLANNER-SPEC §1.3–§1.7, §9.5): the seed's
// time form, tasks.json without the project fields, the sorted report, T37 (a plan without a
// report), and the seed's `detail` beside Tascade's envelope.

#include "actors/plan_commands.hpp"
#include "catalogue/error_mapping.hpp"
#include "catalogue/json/plan_shapes.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tascade::catalogue {
namespace {

namespace json = boost::json;

plan_view sample_plan() {
  plan_view p;
  p.id = uuid::random();
  p.project_ref = "proj-123";
  p.run_id = "run-1";
  p.plan = {{"status", "Winning"},
            {"reportRef", "sha256:abc"},
            {"report", {{"summary", {{"b", 1}, {"a", 2}}}, {"planId", p.id.str()}}},
            {"coverage", {{"missingOperations", json::array{}}, {"totalOperations", 2}}},
            {"nodes", json::array{{{"id", "n1"},
                                   {"title", "T"},
                                   {"domain", "BE"},
                                   {"key", "be:default:0"},
                                   {"workSpec", json::object{}},
                                   {"contextBudgetTokens", 2000},
                                   {"order", 0}}}},
            {"edges", json::array{}}};
  p.created_at = timestamp{1'763'000'000'000'000};
  p.updated_at = timestamp{1'763'000'000'123'456};
  return p;
}

TEST(PlanShapes, TimesAreTheSeedsIsoFormWithoutZone) {
  EXPECT_EQ(seed_time(timestamp{1'763'000'000'000'000}), "2025-11-13T02:13:20");
  EXPECT_EQ(seed_time(timestamp{1'763'000'000'123'456}), "2025-11-13T02:13:20.123456");
}

TEST(PlanShapes, SummaryKeysComeInTheSeedsOrder) {
  auto s = plan_summary_json(sample_plan());
  std::vector<std::string> keys;
  for (auto& [k, v] : s)
    keys.emplace_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "projectId", "runId", "status", "reportRef",
                                            "coverage", "createdAt", "updatedAt", "applied"}));
  EXPECT_TRUE(s.at("applied").is_null());
}

TEST(PlanShapes, TasksJsonLeavesTheProjectFieldsOut) {
  auto tasks = plan_tasks_json(sample_plan());
  ASSERT_EQ(tasks.size(), 1u);
  auto& t = tasks[0].as_object();
  EXPECT_FALSE(t.contains("key"));
  EXPECT_FALSE(t.contains("workSpec"));
  EXPECT_FALSE(t.contains("order"));
  EXPECT_EQ(t.at("contextBudgetTokens"), json::value(2000));
  auto graph = plan_graph_json(sample_plan());
  EXPECT_EQ(graph.at("nodes").at(0).at("tokenBudget"), json::value(2000));
}

TEST(PlanShapes, ReportKeysAreSortedAtEveryLevel) {
  auto r = plan_report_json(sample_plan());
  ASSERT_TRUE(r);
  EXPECT_EQ(json::serialize(r->at("summary")), R"({"a":2,"b":1})");
  EXPECT_EQ(r->as_object().begin()->key(), "planId");
}

TEST(PlanShapes, T37APlanWithoutAReportIsReportNotGenerated) {
  auto p = sample_plan();
  p.plan.erase("report");
  auto r = plan_report_json(p);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::report_not_found);
  auto mapped = map_error(r.error());
  EXPECT_EQ(mapped.status, 404);
  EXPECT_EQ(mapped.body.at("detail"), json::value("Report not generated"));
  EXPECT_TRUE(plan_summary_json(p).at("reportRef").is_null());
}

TEST(PlanShapes, PlanErrorsCarryTheSeedsDetail) {
  auto missing = map_error(plan_not_found("p-1"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body.at("detail"), json::value("Plan p-1 not found"));
  EXPECT_EQ(missing.body.at("error").at("code"), json::value("PLAN_NOT_FOUND"));
  auto task = map_error(plan_task_not_found());
  EXPECT_EQ(task.body.at("detail"), json::value("Task not found"));
  // Tascade's own errors keep their envelope alone.
  auto other = map_error(make_error(errc::task_not_found, "Task not found"));
  EXPECT_FALSE(other.body.contains("detail"));
}

}  // namespace
}  // namespace tascade::catalogue
