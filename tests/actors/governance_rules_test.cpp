// The pure rules of governance (issue 4): plan changesets (operations, materiality, staleness,
// versions), gate decisions, gate policies, task-side invalidation and scope drift.

#include "actors/gate_rules.hpp"
#include "actors/plan_rules.hpp"
#include "actors/task_rules.hpp"
#include "actors/touch_conflicts.hpp"
#include "tascade/errc.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tascade {
namespace {

namespace json = boost::json;

json::array ops(std::initializer_list<json::value> items) {
  json::array out;
  size_t i = 0;
  for (auto& item : items)
    out.push_back(*normalise_operation(item, i++));
  return out;
}

TEST(PlanRules, OperationsAreNormalisedWithNullTaskAndEmptyPayload) {
  auto op = normalise_operation(json::object{{"op", "noop"}}, 0);
  ASSERT_TRUE(op);
  EXPECT_EQ(json::serialize(*op), R"({"op":"noop","task_id":null,"payload":{}})");
  EXPECT_FALSE(normalise_operation(json::object{{"task_id", "x"}}, 3));
  auto extra = normalise_operation(json::object{{"op", "x"}, {"bogus", 1}}, 0);
  ASSERT_FALSE(extra);
  EXPECT_EQ(extra.error(), errc::validation_failed);
}

TEST(PlanRules, MaterialityFollowsKeyPresence) {
  auto a = task_id::random(), b = task_id::random();
  auto known = [&](const task_id& t) { return t == a || t == b; };
  auto changes = compute_plan_changes(
    ops({json::object{{"op", "update_task"}, {"task_id", a.str()},
                      {"payload", {{"title", "renamed"}, {"priority", 3}}}},
         json::object{{"op", "update_task"}, {"task_id", b.str()},
                      {"payload", {{"expected_touches", json::array{"src/**"}}}}},
         json::object{{"op", "reprioritize_task"}, {"task_id", a.str()},
                      {"payload", {{"priority", 1}}}},
         json::object{{"op", "unknown_op"}, {"task_id", a.str()}}}),
    known);
  ASSERT_TRUE(changes) << to_string(code_of(changes.error()));
  ASSERT_EQ(changes->material.size(), 1u);
  EXPECT_EQ(changes->material[0], b);
  EXPECT_EQ(changes->updates.size(), 3u);
  EXPECT_EQ(changes->skipped.size(), 1u);
}

TEST(PlanRules, UpdateOfAMissingTaskFailsTheWholeChangeset) {
  auto missing = task_id::random();
  auto changes = compute_plan_changes(
    ops({json::object{{"op", "update_task"}, {"task_id", missing.str()},
                      {"payload", {{"title", "x"}}}}}),
    [](const task_id&) { return false; });
  ASSERT_FALSE(changes);
  EXPECT_EQ(changes.error(), errc::changeset_not_found);
  EXPECT_EQ(details_of(changes.error()).at("task_id"), json::value(missing.str()));
}

TEST(PlanRules, ReprioritizeOfAMissingTaskIsSkipped) {
  auto changes = compute_plan_changes(
    ops({json::object{{"op", "reprioritize_task"}, {"task_id", task_id::random().str()},
                      {"payload", {{"priority", 1}}}}}),
    [](const task_id&) { return false; });
  ASSERT_TRUE(changes);
  EXPECT_TRUE(changes->updates.empty());
  EXPECT_EQ(changes->skipped.size(), 1u);
}

TEST(PlanRules, BadFieldTypesAreValidationErrors) {
  auto t = task_id::random();
  for (auto payload : {json::object{{"task_class", "nonsense"}},
                       json::object{{"capability_tags", "not-a-list"}},
                       json::object{{"priority", "high"}},
                       json::object{{"priority", json::value(uint64_t(1) << 63)}},
                       json::object{{"work_spec", 3}}}) {
    auto changes = compute_plan_changes(
      ops({json::object{{"op", "update_task"}, {"task_id", t.str()}, {"payload", payload}}}),
      [](const task_id&) { return true; });
    ASSERT_FALSE(changes) << json::serialize(payload);
    EXPECT_EQ(changes.error(), errc::validation_failed) << json::serialize(payload);
  }
}

TEST(PlanRules, StalenessAndVersions) {
  EXPECT_FALSE(stale_base(1, 1, false));
  auto behind = stale_base(1, 2, false);
  ASSERT_TRUE(behind);
  EXPECT_EQ(*behind, errc::plan_stale);
  EXPECT_TRUE(stale_base(3, 2, false));  // ahead is stale too
  EXPECT_FALSE(stale_base(1, 2, true));
  EXPECT_EQ(next_plan_version(2, 1), 2);
  EXPECT_EQ(next_plan_version(1, 4), 5);
  EXPECT_EQ(next_plan_version(9, 4), 9);
}

project_state project_with_task(task_id t) {
  project_state s;
  s.id = project_id::random();
  s.exists = true;
  s.tasks[t] = task_state::ready;
  return s;
}

TEST(PlanRules, ApplyRefusesAStaleBaseAndAdvancesTheVersion) {
  auto t = task_id::random();
  auto s = project_with_task(t);
  auto cs = uuid::random();
  s.changesets[cs] = {1, 2, ops({json::object{{"op", "update_task"}, {"task_id", t.str()},
                                              {"payload", {{"work_spec", json::object{}}}}}})};
  decide_context ctx{timestamp{1}, uuid::random};
  auto evs = decide(s, apply_changeset{{}, cs.str(), false, s.id.str()}, ctx);
  ASSERT_TRUE(evs);
  auto& e = std::get<events::changeset_applied>(evs->front());
  EXPECT_EQ(e.version_number, 2);
  ASSERT_EQ(e.material.size(), 1u);
  tascade::apply(s, evs->front());
  EXPECT_EQ(s.plan_version, 2);
  auto again = decide(s, apply_changeset{{}, cs.str(), false, s.id.str()}, ctx);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error(), errc::plan_stale);
  EXPECT_EQ(message_of(again.error()), "Base plan version is stale");
  auto rebased = decide(s, apply_changeset{{}, cs.str(), true, s.id.str()}, ctx);
  ASSERT_TRUE(rebased);
  EXPECT_EQ(std::get<events::changeset_applied>(rebased->front()).version_number, 3);
  EXPECT_TRUE(std::get<events::changeset_applied>(rebased->front()).rebased);
  auto unknown = decide(s, apply_changeset{{}, uuid::random().str(), false, s.id.str()}, ctx);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error(), errc::changeset_not_found);
}

TEST(GateRules, DecisionChecksComeInTheReferenceOrder) {
  auto t = task_id::random();
  auto s = project_with_task(t);
  auto rule = uuid::random();
  s.gate_rules.insert(rule);
  auto other = project_id::random();
  auto foreign_task = task_id::random();
  task_locator tasks = [&](const task_id& id) -> std::optional<project_id> {
    if (id == foreign_task)
      return other;
    return std::nullopt;
  };
  phase_locator phases = [](const phase_id&) -> std::optional<project_id> {
    return std::nullopt;
  };
  decide_context ctx{timestamp{1}, uuid::random};
  auto decision = [&](std::string r, std::optional<std::string> task,
                      std::optional<std::string> phase) {
    return decide(s, record_gate_decision{{}, s.id.str(), r, task, phase, "approved", "rev",
                                          "ok", {}},
                  tasks, phases, ctx);
  };
  EXPECT_EQ(decision(uuid::random().str(), t.str(), std::nullopt).error(),
            errc::gate_rule_not_found);
  EXPECT_EQ(decision(rule.str(), task_id::random().str(), std::nullopt).error(),
            errc::task_not_found);
  EXPECT_EQ(decision(rule.str(), foreign_task.str(), std::nullopt).error(),
            errc::project_mismatch);
  EXPECT_EQ(decision(rule.str(), std::nullopt, phase_id::random().str()).error(),
            errc::phase_not_found);
  EXPECT_EQ(decision(rule.str(), std::nullopt, std::nullopt).error(),
            errc::gate_scope_required);
  EXPECT_EQ(message_of(decision(rule.str(), foreign_task.str(), std::nullopt).error()),
            "Gate decision references an entity in another project");
  EXPECT_EQ(message_of(decision(rule.str(), std::nullopt, std::nullopt).error()),
            "Gate decision must reference task_id or phase_id");
  EXPECT_TRUE(decision(rule.str(), t.str(), std::nullopt));
}

TEST(GateRules, PolicyThresholdsBelowOneAreRefused) {
  EXPECT_EQ(parse_gate_policy({{"risk_threshold", 0}}).error(), errc::policy_config_invalid);
  EXPECT_EQ(parse_gate_policy({{"implemented_age_hours", "x"}}).error(),
            errc::policy_config_invalid);
  EXPECT_EQ(parse_gate_policy({{"implemented_age_hours", 1e300}}).error(),
            errc::policy_config_invalid);
  EXPECT_EQ(parse_gate_policy({{"risk_task_classes", json::array{"nope"}}}).error(),
            errc::policy_config_invalid);
  auto ok = parse_gate_policy({{"risk_threshold", 2}, {"scope_drift_review", false}});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->risk_threshold, 2);
  EXPECT_FALSE(ok->scope_drift_review);
}

TEST(GateRules, PoliciesCreateEachGateOnceWhileItIsOpen) {
  auto m = milestone_id::random();
  policy_milestone ms{m, phase_id::random(), "P1.M1", {}};
  timestamp now{100LL * 3'600'000'000LL};
  auto add = [&](task_class k, task_state st, int64_t hours_ago, bool drift = false) {
    policy_task t{task_id::random(), k, st, timestamp{now.micros - hours_ago * 3'600'000'000LL},
                  timestamp{now.micros - hours_ago * 3'600'000'000LL}, "", drift};
    ms.tasks.push_back(t);
    return t.id;
  };
  add(task_class::backend, task_state::implemented, 30);
  add(task_class::backend, task_state::implemented, 1);
  add(task_class::security, task_state::in_progress, 1);
  add(task_class::architecture, task_state::ready, 1, true);
  gate_policy policy;
  policy.implemented_backlog_threshold = 2;
  policy.risk_threshold = 2;
  auto outcome = evaluate_policies({ms}, policy, now);
  std::set<std::string> triggers;
  for (auto& g : outcome.gates)
    triggers.insert(g.trigger);
  EXPECT_EQ(triggers, (std::set<std::string>{"implemented_backlog", "risk_overlap",
                                             "implemented_age_sla", "scope_drift"}));
  ASSERT_EQ(outcome.evaluated.size(), 1u);
  EXPECT_EQ(outcome.evaluated[0].at("implemented_backlog_count"), json::value(2));
  // An open gate with the same trigger suppresses a second one.
  ms.tasks.push_back({task_id::random(), task_class::review_gate, task_state::ready, now, now,
                      "risk_overlap", false});
  auto again = evaluate_policies({ms}, policy, now);
  for (auto& g : again.gates)
    EXPECT_NE(g.trigger, "risk_overlap");
}

task_aggregate claimed_task() {
  task_aggregate t;
  t.exists = true;
  t.id = task_id::random();
  t.project = project_id::random();
  t.short_id = "P1.M1.T1";
  t.state = task_state::claimed;
  t.lease =
    lease_state{uuid::random(), "tok", "agent-a", 1, 1'000'000, timestamp{10'000'000}, 1};
  t.fencing = 1;
  t.expected_touches = {"src/api/**"};
  return t;
}

TEST(TaskPlanRules, MaterialChangeInvalidatesTheClaimAndHeartbeatSaysWhy) {
  auto t = claimed_task();
  auto cs = uuid::random();
  task_context ctx;
  ctx.now = timestamp{1};
  plan_task_changed change{{}, t.project.str(), t.id.str(), cs, 2, {}, true};
  auto evs = decide(t, change, ctx);
  ASSERT_TRUE(evs);
  ASSERT_EQ(evs->size(), 1u);
  ASSERT_TRUE(std::holds_alternative<events::lease_invalidated>(evs->front()));
  tascade::apply(t, evs->front());
  EXPECT_EQ(t.state, task_state::ready);
  EXPECT_FALSE(t.lease);
  heartbeat_task beat;
  beat.project = t.project.str();
  beat.task = t.id.str();
  beat.agent = "agent-a";
  beat.token = "tok";
  auto hb = decide(t, beat, ctx);
  ASSERT_FALSE(hb);
  EXPECT_EQ(hb.error(), errc::lease_invalidated);
  EXPECT_EQ(details_of(hb.error()).at("changeset_id"), json::value(cs.str()));
  // Not material: nothing happens.
  auto quiet = claimed_task();
  change.material = false;
  EXPECT_TRUE(decide(quiet, change, ctx)->empty());
  // A claim made on the new plan (it raced ahead of the change reaching the task) stays.
  auto fresh = claimed_task();
  fresh.lease->plan_version = 2;
  change.material = true;
  EXPECT_TRUE(decide(fresh, change, ctx)->empty());
}

TEST(TaskPlanRules, ArtifactsBeyondExpectedTouchesRecordScopeDrift) {
  auto t = claimed_task();
  task_context ctx;
  record_artifact a;
  a.project = t.project.str();
  a.task = t.id.str();
  a.agent = "agent-a";
  a.touched_files = {"src/api/x.cpp", "docs/y.md"};
  auto evs = decide(t, a, ctx);
  ASSERT_TRUE(evs);
  ASSERT_EQ(evs->size(), 2u);
  auto& drift = std::get<events::scope_drift_detected>(evs->back());
  EXPECT_EQ(drift.outside, std::vector<std::string>{"docs/y.md"});
  a.touched_files = {"src/api/x.cpp"};
  EXPECT_EQ(decide(t, a, ctx)->size(), 1u);
}

TEST(TaskPlanRules, ClaimOverlappingAHeldTaskIsRefusedUnlessAllowed) {
  task_aggregate t = claimed_task();
  t.state = task_state::ready;
  t.lease.reset();
  task_context ctx;
  ctx.touch_conflicts = touch_conflicts(
    t.id, t.expected_touches,
    {held_touches{task_id::random(), "P1.M1.T2", "agent-b", task_state::in_progress,
                  {"src/**/*.cpp"}}},
    "agent-a");
  ASSERT_EQ(ctx.touch_conflicts.size(), 1u);
  claim_task c;
  c.project = t.project.str();
  c.task = t.id.str();
  c.agent = "agent-a";
  auto refused = decide(t, c, ctx);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), errc::touch_conflict);
  EXPECT_NE(message_of(refused.error()).find("P1.M1.T2"), std::string::npos);
  c.allow_conflict = true;
  EXPECT_TRUE(decide(t, c, ctx));
  // The holder's own tasks never conflict with it.
  EXPECT_TRUE(touch_conflicts(t.id, t.expected_touches,
                              {held_touches{task_id::random(), "x", "agent-a",
                                            task_state::claimed, {"src/**"}}},
                              "agent-a")
                .empty());
}

}  // namespace
}  // namespace tascade

namespace tascade {
namespace {

TEST(GovernanceSnapshot, ProjectStateKeepsPlanRulesAndChangesetsAcrossASnapshot) {
  project_state s;
  s.id = project_id::random();
  s.exists = true;
  s.name = "p";
  s.plan_version = 3;
  auto rule = uuid::random(), cs = uuid::random();
  s.gate_rules.insert(rule);
  s.changesets[cs] = {2, 4, boost::json::array{boost::json::object{{"op", "x"}}}};
  project_state back;
  ASSERT_TRUE(project_state::from_snapshot(s.to_snapshot(), back));
  EXPECT_EQ(back.plan_version, 3);
  EXPECT_EQ(back.gate_rules.count(rule), 1u);
  ASSERT_EQ(back.changesets.count(cs), 1u);
  EXPECT_EQ(back.changesets[cs].base, 2);
  EXPECT_EQ(back.changesets[cs].target, 4);
  EXPECT_EQ(back.changesets[cs].operations, s.changesets[cs].operations);
  EXPECT_EQ(boost::json::serialize(back.to_snapshot()), boost::json::serialize(s.to_snapshot()));
  // A snapshot written before governance existed reads as plan version 1 with nothing else.
  auto old = s.to_snapshot();
  old.erase("governance");
  project_state legacy;
  ASSERT_TRUE(project_state::from_snapshot(old, legacy));
  EXPECT_EQ(legacy.plan_version, 1);
  EXPECT_TRUE(legacy.changesets.empty());
}

}  // namespace
}  // namespace tascade
