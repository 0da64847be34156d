// A plan in project terms (phases, tasks, priorities, touches, dependencies) and the changeset a
// rerun against a changed contract proposes.
#include "planner/project_tasks.hpp"
#include "tests/planner/planner_samples.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tascade::planner {
namespace {

namespace json = boost::json;
using strings = std::vector<std::string>;

const std::string prd = "# Overview\nThe service manages widgets.";

TEST(PlannerProjectTasks, T01AsProjectTasks) {
  auto r = test::plan_or_fail(prd, test::sample_contract());
  auto p = to_project_plan(r);
  EXPECT_EQ(p.phases, (strings{"Foundation", "Data", "Backend", "Verification", "Release"}));
  ASSERT_EQ(p.tasks.size(), 5u);
  const int64_t priorities[] = {140, 130, 120, 110, 100};
  const char* classes[] = {"architecture", "db_schema", "backend", "cross_cutting",
                           "cross_cutting"};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(p.tasks[i].priority, priorities[i]) << i;
    EXPECT_EQ(p.tasks[i].task_class, classes[i]) << i;
  }
  auto& be = p.tasks[2];
  EXPECT_EQ(be.key, "be:default:0");
  EXPECT_EQ(be.expected_touches, strings{"src/api/widgets/**"});
  EXPECT_EQ(be.capability_tags, strings{"be"});
  EXPECT_EQ(be.work_spec.at("token_budget"), 2000);
  EXPECT_EQ(be.work_spec.at("complexity").at("score_0_100").as_double(), 51.5);
  EXPECT_EQ(be.work_spec.at("plan").at("contract_hash").as_string(), r.source.hash);
  EXPECT_EQ(p.tasks[1].expected_touches, strings{"db/migrations/widget*"});
  EXPECT_EQ(p.dependencies.size(), 5u);
}

TEST(PlannerProjectTasks, RerunProposesCreateCancelAndMaterialUpdates) {
  auto doc = test::sample_document();
  auto& paths = doc.as_object()["paths"].as_object();
  paths["/widgets"].as_object()["post"].as_object()["summary"] = "Create a widget";
  paths["/gadgets"] = json::parse(R"({"get":{"operationId":"listGadgets","tags":["Gadgets"]}})");
  auto before = test::plan_or_fail(prd, test::sample_contract());
  auto changed = load_contract_document(doc);
  ASSERT_TRUE(changed);
  auto after = test::plan_or_fail(prd, std::move(*changed));
  strings ids{"t0", "t1", "t2", "t3", "t4"};
  auto ops = rerun_operations(diff_plans(before, after), before, after, ids);
  ASSERT_EQ(ops.size(), 4u);
  EXPECT_EQ(ops[0].at("op"), "create_task");
  EXPECT_EQ(ops[0].at("payload").at("title"), "Implement backend handlers for Gadgets");
  EXPECT_EQ(json::serialize(ops[0].at("payload").at("depends_on")), R"(["db:Widget:0"])");
  EXPECT_EQ(json::serialize(ops[0].at("payload").at("expected_touches")),
            R"(["src/api/gadgets/**"])");
  strings updated;
  for (size_t i = 1; i < ops.size(); ++i) {
    EXPECT_EQ(ops[i].at("op"), "update_task");
    updated.emplace_back(ops[i].at("task_id").as_string());
    EXPECT_TRUE(ops[i].at("payload").as_object().contains("work_spec"));
  }
  EXPECT_EQ(updated, (strings{"t1", "t2", "t3"}));
}

}  // namespace
}  // namespace tascade::planner
