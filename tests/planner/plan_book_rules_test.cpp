// The plan book's rules (issue 17): a plan's first event carries the whole plan (nodes in the
// shapes of tasks.json plus the project fields, edges, report, ingest parameters), a duplicate
// run is refused, a rerun of an applied plan proposes the changeset its contract change calls
// for, resolved against the project, and callbacks record cards for known nodes only.

#include "planner/plan_book_rules.hpp"
#include "tests/planner/planner_samples.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tascade {
namespace {

namespace json = boost::json;

const std::string prd = "# Overview\nThe service manages widgets.";

plan_source sample_source(std::string contract = planner::test::sample_contract_json) {
  return {prd, std::move(contract), "json", {}};
}

plan_state fresh() {
  plan_state s;
  s.id = uuid::random();
  return s;
}

TEST(PlanBookRules, APlanStartsWithItsWholeRecord) {
  auto s = fresh();
  auto evs = decide(s, create_plan{{}, "proj-123", "run-1", sample_source()}, false, {},
                    decide_context{});
  ASSERT_TRUE(evs) << message_of(evs.error());
  auto& e = std::get<events::plan_created>(evs->front());
  EXPECT_EQ(e.id, s.id);
  auto& plan = e.plan;
  EXPECT_EQ(plan.at("status"), json::value("Winning"));
  EXPECT_EQ(plan.at("contractHash"),
            json::value("f2bbaf33ea3308f43b38ede6f2af41b1ea841557a9520638dbf5a144c948f839"));
  ASSERT_EQ(plan.at("nodes").as_array().size(), 5u);
  auto& be = plan.at("nodes").at(2).as_object();
  EXPECT_EQ(be.at("phase"), json::value("Backend"));
  EXPECT_EQ(be.at("taskClass"), json::value("backend"));
  EXPECT_EQ(be.at("expectedTouches"), (json::array{"src/api/widgets/**"}));
  EXPECT_EQ(plan.at("edges").as_array().size(), 5u);
  EXPECT_EQ(plan.at("params").at("ingest").at("contractSource"), json::value("provided"));
  tascade::apply(s, evs->front());
  EXPECT_TRUE(s.exists);
  EXPECT_EQ(s.nodes.size(), 5u);
}

TEST(PlanBookRules, ADuplicateRunAndAnEmptyPrdAreRefused) {
  auto dup = decide(fresh(), create_plan{{}, "proj-123", "run-1", sample_source()}, true, {},
                    decide_context{});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error(), errc::duplicate_run);
  auto source = sample_source();
  source.prd_text.clear();
  auto empty = decide(fresh(), create_plan{{}, "p", "r", source}, false, {}, decide_context{});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error(), errc::bad_request);
}

TEST(PlanBookRules, ARerunOfAnAppliedPlanProposesTheChangeset) {
  auto s = fresh();
  auto first = decide(s, create_plan{{}, "p", "r", sample_source()}, false, {}, decide_context{});
  ASSERT_TRUE(first);
  auto& plan = std::get<events::plan_created>(first->front()).plan;
  // As if applied: node i → task i; one phase per stage.
  json::array tasks;
  std::vector<std::string> nodes, task_ids;
  for (auto& n : plan.at("nodes").as_array()) {
    nodes.emplace_back(n.at("id").as_string());
    task_ids.push_back(uuid::random().str());
    tasks.push_back({{"node_id", nodes.back()}, {"task_id", task_ids.back()}});
  }
  json::object phases;
  for (auto name : {"Foundation", "Data", "Backend", "Verification", "Release"})
    phases[name] = {{"phase_id", uuid::random().str()}, {"milestone_id", uuid::random().str()}};
  auto changed = json::parse(planner::test::sample_contract_json).as_object();
  changed["paths"].as_object()["/gadgets"] = {
    {"get", {{"operationId", "listGadgets"}, {"tags", json::array{"Gadgets"}}}}};
  rerun_plan c{{}, s.id, "p", "r2", sample_source(), sample_source(json::serialize(changed)),
               json::object{{"project_id", project_id::random().str()},
                            {"tasks", tasks}, {"phases", phases}},
               nodes};
  auto rerun = decide(fresh(), c, {}, decide_context{});
  ASSERT_TRUE(rerun) << message_of(rerun.error());
  auto& e = std::get<events::plan_rerun>(rerun->front());
  EXPECT_EQ(e.source, s.id);
  EXPECT_EQ(e.diff.at("addedOperations"), (json::array{"listGadgets"}));
  json::object create;
  for (auto& op : e.proposed)
    if (op.at("op") == "create_task")
      create = op.at("payload").as_object();
  ASSERT_FALSE(create.empty()) << json::serialize(e.proposed);
  EXPECT_EQ(create.at("title"), json::value("Implement backend handlers for Gadgets"));
  EXPECT_EQ(create.at("milestone_id"), phases.at("Backend").at("milestone_id"));
  // The tests task (node 3) comes after every backend task: it depends on the new one.
  EXPECT_EQ(create.at("dependent_task_ids"), (json::array{task_ids[3].c_str()}));
  // Every backend task builds on every table (spec §4.4): the Widget table.
  EXPECT_EQ(create.at("depends_on_task_ids"), (json::array{task_ids[1].c_str()}));
}

TEST(PlanBookRules, CallbacksNeedAKnownNode) {
  auto s = fresh();
  EXPECT_EQ(decide(s, record_callback{}, decide_context{}).error(), errc::plan_not_found);
  auto first = decide(s, create_plan{{}, "p", "r", sample_source()}, false, {}, decide_context{});
  tascade::apply(s, first->front());
  record_callback c;
  c.plan = s.id;
  c.node = uuid::random();
  EXPECT_EQ(decide(s, c, decide_context{}).error(), errc::task_not_found);
  c.node = *uuid::parse(*s.nodes.begin());
  c.status = "done";
  c.node_facts = {{"title", "T"}, {"domain", "BE"}, {"contractOps", json::array{"a", "b"}}};
  c.contract_hash = "h";
  auto card = decide(s, c, decide_context{});
  ASSERT_TRUE(card);
  auto& e = std::get<events::context_card_recorded>(card->front());
  EXPECT_EQ(e.card.at("summary"), json::value("T (BE) covering a, b"));
  EXPECT_EQ(e.card.at("contractSliceRef"), json::value("a,b"));
}

}  // namespace
}  // namespace tascade
