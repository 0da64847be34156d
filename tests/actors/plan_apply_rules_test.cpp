// The pure rules of plans reaching a project (issue 17): applying a whole plan as one
// changeset, a rerun's create_task and cancel_task operations, and the task-side cancel.

#include "actors/plan_apply_rules.hpp"
#include "actors/plan_rules.hpp"
#include "actors/task_rules.hpp"
#include "tascade/errc.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>

namespace tascade {
namespace {

namespace json = boost::json;

project_state empty_project() {
  project_state s;
  s.id = project_id::random();
  tascade::apply(s, events::project_created{s.id, "P", plan_version_id{uuid::random()}});
  return s;
}

json::object spec(std::string title, std::string phase) {
  return {{"node_id", uuid::random().str()},
          {"title", std::move(title)},
          {"description", "d"},
          {"phase", std::move(phase)},
          {"priority", 110},
          {"task_class", "backend"},
          {"capability_tags", json::array{"be"}},
          {"expected_touches", json::array{"src/api/widgets/**"}},
          {"work_spec", {{"objective", "o"}}}};
}

apply_plan two_task_plan() {
  apply_plan c;
  c.plan = uuid::random();
  c.phases = {"Data", "Backend"};
  c.tasks = {spec("Table", "Data"), spec("Handlers", "Backend")};
  c.dependencies = {json::object{{"from", 0}, {"to", 1}}};
  return c;
}

template <class Event>
size_t count(const std::vector<events::event>& evs) {
  return size_t(std::count_if(evs.begin(), evs.end(), [](const events::event& e) {
    return std::holds_alternative<Event>(e);
  }));
}

TEST(PlanApplyRules, APlanBecomesOneChangesetWithTheNextPlanVersion) {
  auto s = empty_project();
  auto c = two_task_plan();
  c.project = s.id.str();
  auto evs = decide(s, c, decide_context{});
  ASSERT_TRUE(evs) << message_of(evs.error());
  EXPECT_EQ(count<events::changeset_created>(*evs), 1u);
  EXPECT_EQ(count<events::phase_created>(*evs), 2u);
  EXPECT_EQ(count<events::milestone_created>(*evs), 2u);
  EXPECT_EQ(count<events::task_created>(*evs), 2u);
  EXPECT_EQ(count<events::dependency_added>(*evs), 1u);
  auto& applied = std::get<events::changeset_applied>((*evs)[evs->size() - 2]);
  EXPECT_EQ(applied.version_number, 2);
  auto& done = std::get<events::plan_applied>(evs->back());
  EXPECT_EQ(done.plan, c.plan);
  ASSERT_EQ(done.tasks.size(), 2u);
  EXPECT_EQ(done.tasks[0].at("node_id"), c.tasks[0].at("node_id"));
  auto& task = std::get<events::task_created>((*evs)[6]);
  EXPECT_EQ(task.short_id, "P2.M1.T1");
  EXPECT_EQ(task.klass, task_class::backend);
  EXPECT_EQ(task.expected_touches, (std::vector<std::string>{"src/api/widgets/**"}));
  for (auto& e : *evs)
    tascade::apply(s, e);
  EXPECT_EQ(s.plan_version, 2);
  EXPECT_EQ(s.tasks.size(), 2u);
  auto again = decide(s, c, decide_context{});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error(), errc::plan_already_applied);
}

TEST(PlanApplyRules, AMalformedPlanIsRefusedWhole) {
  auto s = empty_project();
  auto c = two_task_plan();
  c.dependencies = {json::object{{"from", 0}, {"to", 7}}};
  auto evs = decide(s, c, decide_context{});
  ASSERT_FALSE(evs);
  EXPECT_EQ(evs.error(), errc::validation_failed);
  c = two_task_plan();
  c.tasks[1].as_object()["phase"] = "Nowhere";
  EXPECT_EQ(decide(s, c, decide_context{}).error(), errc::validation_failed);
  EXPECT_EQ(decide(project_state{}, two_task_plan(), decide_context{}).error(),
            errc::project_not_found);
}

TEST(PlanApplyRules, ARerunChangesetCreatesWiredTasksAndCancelsOthers) {
  auto s = empty_project();
  auto c = two_task_plan();
  auto evs = decide(s, c, decide_context{});
  ASSERT_TRUE(evs);
  for (auto& e : *evs)
    tascade::apply(s, e);
  auto& made = std::get<events::plan_applied>(evs->back());
  auto table = std::string(made.tasks[0].at("task_id").as_string());
  auto handlers = std::string(made.tasks[1].at("task_id").as_string());
  auto milestone = std::string(made.phases.at("Data").at("milestone_id").as_string());
  auto gadget = spec("Gadget table", "Data");
  gadget["milestone_id"] = milestone;
  gadget["key"] = "db:Gadget:0";
  gadget["depends_on"] = json::array{};
  gadget["depends_on_task_ids"] = json::array{};
  gadget["dependent_task_ids"] = json::array{handlers.c_str()};
  auto ops = json::array{
    *normalise_operation(json::object{{"op", "create_task"}, {"payload", gadget}}, 0),
    *normalise_operation(json::object{{"op", "cancel_task"}, {"task_id", table}}, 1)};
  auto changes = compute_plan_changes(ops, [&](const task_id& t) { return s.tasks.count(t) > 0; });
  ASSERT_TRUE(changes);
  EXPECT_EQ(changes->creates.size(), 1u);
  ASSERT_EQ(changes->cancels.size(), 1u);
  EXPECT_EQ(changes->cancels[0].str(), table);
  auto cs = uuid::random();
  s.changesets[cs] = {s.plan_version, s.plan_version + 1, ops};
  auto applied = decide(s, apply_changeset{{}, cs.str(), false, s.id.str()}, decide_context{});
  ASSERT_TRUE(applied) << message_of(applied.error());
  ASSERT_EQ(applied->size(), 3u);
  auto& task = std::get<events::task_created>((*applied)[0]);
  EXPECT_EQ(task.short_id, "P1.M1.T2");
  auto& edge = std::get<events::dependency_added>((*applied)[1]);
  EXPECT_EQ(edge.from, task.id);
  EXPECT_EQ(edge.to.str(), handlers);
  auto& e = std::get<events::changeset_applied>((*applied)[2]);
  EXPECT_EQ(e.updates.at(0).at("fields"), (json::value{{"cancel", true}}));

  // An edge that would close a cycle refuses the whole changeset.
  gadget["depends_on_task_ids"] = json::array{handlers.c_str()};
  gadget["dependent_task_ids"] = json::array{table.c_str()};
  s.changesets[cs].operations = json::array{
    *normalise_operation(json::object{{"op", "create_task"}, {"payload", gadget}}, 0)};
  auto cyclic = decide(s, apply_changeset{{}, cs.str(), false, s.id.str()}, decide_context{});
  ASSERT_FALSE(cyclic);
  EXPECT_EQ(cyclic.error(), errc::cycle_detected);
}

TEST(PlanApplyRules, ACancelTakesTheTaskToCancelledAndReleasesItsLease) {
  task_aggregate t;
  t.exists = true;
  t.id = task_id::random();
  t.project = project_id::random();
  t.state = task_state::ready;
  plan_task_changed c{{}, t.project.str(), t.id.str(), uuid::random(), 3, {{"cancel", true}},
                      false};
  auto evs = decide(t, c, task_context{});
  ASSERT_TRUE(evs);
  ASSERT_EQ(evs->size(), 1u);
  auto& e = std::get<events::task_state_transitioned>(evs->front());
  EXPECT_EQ(e.to, task_state::cancelled);
  t.state = task_state::implemented;  // implemented work is not thrown away
  EXPECT_TRUE(decide(t, c, task_context{})->empty());
}

}  // namespace
}  // namespace tascade
