#include "actors/task_rules.hpp"
#include "tascade/errc.hpp"

#include <gtest/gtest.h>

namespace tascade {
namespace {

using ts = task_state;

// A task folded from its own events, as the actor keeps it.
struct TaskRules : ::testing::Test {
  task_aggregate t;
  task_context ctx;
  std::string project;

  TaskRules() {
    events::task_created created;
    created.id = task_id::random();
    created.project = project_id::random();
    created.short_id = "P1.M1.T1";
    created.klass = task_class::backend;
    created.capability_tags = {"backend"};
    created.work_spec = {{"objective", "x"}, {"acceptance_criteria", {"y"}}};
    tascade::apply(t, created);
    project = created.project.str();
    ctx.now = timestamp{1'000'000'000};
  }

  std::vector<events::event> ok(task_events evs) {
    EXPECT_TRUE(evs) << (evs ? "" : message_of(evs.error()));
    if (!evs)
      return {};
    for (auto& ev : *evs)
      tascade::apply(t, ev);
    return *evs;
  }
  errc refused(task_events evs) { return evs ? errc::none : code_of(evs.error()); }

  claim_task claim(std::string agent, double ttl = 30) {
    return {{}, project, t.id.str(), std::move(agent), std::nullopt, ttl, std::nullopt};
  }
  transition_task to(ts state, std::string actor = "planner", bool force = false) {
    transition_task c;
    c.project = project;
    c.task = t.id.str();
    c.to = state;
    c.actor = std::move(actor);
    c.reason = "because";
    c.force = force;
    return c;
  }
  events::task_claimed claimed(std::string agent, double ttl = 30) {
    return std::get<events::task_claimed>(ok(decide(t, claim(std::move(agent), ttl), ctx)).at(0));
  }
};

// Spec §6.2 as data: every (from, to) pair, allowed or not.
TEST(TransitionTable, MatchesTheSpecExactly) {
  const std::map<ts, std::set<ts>> allowed{
    {ts::backlog, {ts::ready, ts::abandoned, ts::cancelled}},
    {ts::ready, {ts::in_progress, ts::blocked, ts::abandoned, ts::cancelled}},
    {ts::reserved, {ts::ready, ts::blocked, ts::abandoned, ts::cancelled}},
    {ts::claimed, {ts::in_progress, ts::blocked, ts::abandoned, ts::cancelled}},
    {ts::in_progress, {ts::implemented, ts::blocked, ts::abandoned, ts::cancelled}},
    {ts::implemented, {ts::integrated, ts::conflict, ts::blocked}},
    {ts::conflict, {ts::in_progress, ts::blocked, ts::abandoned}},
    {ts::blocked, {ts::ready, ts::in_progress, ts::abandoned, ts::cancelled}},
    {ts::integrated, {}},
    {ts::abandoned, {}},
    {ts::cancelled, {}}};
  for (auto& [from, targets] : allowed)
    for (size_t i = 0; i < task_state_names.size(); ++i) {
      auto target = ts(i);
      EXPECT_EQ(transition_allowed(from, target), targets.count(target) > 0)
        << to_string(from) << " -> " << to_string(target);
    }
}

TEST_F(TaskRules, ClaimIssuesALeaseWithTheNextFencingCounter) {
  auto first = claimed("agent-a", 30);
  EXPECT_EQ(first.fencing, 1u);
  EXPECT_EQ(first.expires_at.micros, ctx.now.micros + 30'000'000);
  EXPECT_EQ(first.work_spec_hash.size(), 64u);
  EXPECT_EQ(t.state, ts::claimed);
  EXPECT_EQ(refused(decide(t, claim("agent-b"), ctx)), errc::task_not_claimable);
  ok(decide(t, to(ts::blocked), ctx));
  ok(decide(t, to(ts::ready), ctx));
  EXPECT_EQ(claimed("agent-b").fencing, 2u);
}

TEST_F(TaskRules, ClaimChecksComeInOrder) {
  auto stale = claim("a");
  stale.seen_plan_version = 0;
  EXPECT_EQ(refused(decide(task_aggregate{}, stale, ctx)), errc::plan_stale);  // before lookup
  EXPECT_EQ(refused(decide(task_aggregate{}, claim("a"), ctx)), errc::task_not_found);
  auto other_project = claim("a");
  other_project.project = project_id::random().str();
  EXPECT_EQ(refused(decide(t, other_project, ctx)), errc::task_not_found);
  EXPECT_EQ(refused(decide(t, claim("a", 0), ctx)), errc::validation_failed);
  auto no_match = claim("a");
  no_match.capabilities = std::vector<std::string>{"frontend"};
  EXPECT_EQ(refused(decide(t, no_match, ctx)), errc::capability_mismatch);
  auto match = claim("a");
  match.capabilities = std::vector<std::string>{"frontend", "backend"};
  EXPECT_EQ(refused(decide(t, match, ctx)), errc::none);
  auto waiting = ctx;
  waiting.unmet.push_back({task_id::random(), "P1.M1.T9", ts::in_progress, unlock_on::integrated});
  auto err = decide(t, claim("a"), waiting);
  ASSERT_FALSE(err);
  EXPECT_EQ(err.error(), errc::dependencies_unmet);
  EXPECT_EQ(details_of(err.error()).at("waiting_on").as_array().size(), 1u);
}

TEST_F(TaskRules, ReservationsBindTheClaimToTheAssignee) {
  ok(decide(t, assign_task{{}, project, t.id.str(), "agent-a", "lead", 60, std::nullopt}, ctx));
  EXPECT_EQ(t.state, ts::reserved);
  EXPECT_EQ(refused(decide(t, assign_task{{}, project, t.id.str(), "agent-a", "lead", 60,
                                          std::nullopt},
                           ctx)),
            errc::reservation_exists);
  EXPECT_EQ(refused(decide(t, claim("agent-b"), ctx)), errc::reservation_conflict);
  EXPECT_TRUE(claimed("agent-a").reservation_consumed);
  EXPECT_FALSE(t.reservation);
  EXPECT_EQ(refused(decide(t, assign_task{{}, project, t.id.str(), "agent-b", "lead", 60,
                                          std::nullopt},
                           ctx)),
            errc::task_not_assignable);
}

TEST_F(TaskRules, UnassignNeedsAReservation) {
  EXPECT_EQ(refused(decide(t, unassign_task{{}, project, t.id.str()}, ctx)),
            errc::reservation_not_found);
  ok(decide(t, assign_task{{}, project, t.id.str(), "agent-a", "lead", 60, std::nullopt}, ctx));
  ok(decide(t, unassign_task{{}, project, t.id.str()}, ctx));
  EXPECT_EQ(t.state, ts::ready);
}

TEST_F(TaskRules, TheLeaseCoversTheWorkAndEndsWhenItLeavesTheAgentsHands) {
  auto lease = claimed("agent-a");
  ok(decide(t, to(ts::in_progress, "agent-a"), ctx));
  ASSERT_TRUE(t.lease);  // the reference would have released it here
  auto beat = heartbeat_task{{}, project, t.id.str(), "agent-a", lease.token, 1, std::nullopt};
  ctx.now.micros += 10'000'000;
  auto renewed = std::get<events::lease_renewed>(ok(decide(t, beat, ctx)).at(0));
  EXPECT_EQ(renewed.expires_at.micros, ctx.now.micros + 30'000'000);
  auto done = ok(decide(t, to(ts::implemented, "agent-a"), ctx));
  EXPECT_TRUE(std::get<events::task_state_transitioned>(done.at(0)).lease_released);
  EXPECT_FALSE(t.lease);
  EXPECT_EQ(refused(decide(t, beat, ctx)), errc::lease_invalid);
  EXPECT_EQ(t.implemented_by, "agent-a");
}

TEST_F(TaskRules, HeartbeatsNeedTheRightTokenAgentAndPlan) {
  auto lease = claimed("agent-a");
  auto beat = heartbeat_task{{}, project, t.id.str(), "agent-a", lease.token, 1, std::nullopt};
  EXPECT_EQ(refused(decide(t, beat, ctx)), errc::none);
  auto wrong_agent = beat;
  wrong_agent.agent = "agent-b";
  EXPECT_EQ(refused(decide(t, wrong_agent, ctx)), errc::lease_invalid);
  auto wrong_token = beat;
  wrong_token.token = uuid::random().str();
  EXPECT_EQ(refused(decide(t, wrong_token, ctx)), errc::lease_invalid);
  EXPECT_EQ(message_of(decide(t, wrong_token, ctx).error()), "Invalid lease token");
  auto stale = beat;
  stale.seen_plan_version = 0;
  auto err = decide(t, stale, ctx);
  ASSERT_FALSE(err);
  EXPECT_EQ(message_of(err.error()), "Seen plan version is stale");
  EXPECT_EQ(details_of(err.error()).at("stale_action").as_string(), "refresh");
}

TEST_F(TaskRules, ExpiryFencesTheFormerHolderUntilItClaimsAgain) {
  auto lease = claimed("agent-a", 30);
  lease_timer timer{lease.fencing, 0};
  EXPECT_TRUE(decide(t, timer, ctx)->empty());  // not due yet
  ctx.now.micros += 31'000'000;
  auto expired = std::get<events::lease_expired>(ok(decide(t, timer, ctx)).at(0));
  EXPECT_EQ(expired.agent, "agent-a");
  EXPECT_EQ(t.state, ts::ready);
  auto beat = heartbeat_task{{}, project, t.id.str(), "agent-a", lease.token, 1, std::nullopt};
  EXPECT_EQ(refused(decide(t, beat, ctx)), errc::lease_fenced);
  EXPECT_EQ(refused(decide(t, to(ts::in_progress, "agent-a"), ctx)), errc::lease_fenced);
  record_artifact artifact;
  artifact.project = project;
  artifact.task = t.id.str();
  artifact.agent = "agent-a";
  EXPECT_EQ(refused(decide(t, artifact, ctx)), errc::lease_fenced);
  // A stale timer of the old lease changes nothing once another agent holds the task.
  auto second = claimed("agent-b");
  EXPECT_TRUE(decide(t, timer, ctx)->empty());
  EXPECT_EQ(second.fencing, 2u);
  // A proof naming the old lease is refused, the live one accepted.
  auto zombie = to(ts::in_progress, "agent-b");
  zombie.proof.token = lease.token;
  EXPECT_EQ(refused(decide(t, zombie, ctx)), errc::lease_fenced);
  zombie.proof.token = second.token;
  EXPECT_EQ(refused(decide(t, zombie, ctx)), errc::none);
  auto counter = to(ts::in_progress, "agent-b");
  counter.proof.fencing = 1;
  EXPECT_EQ(refused(decide(t, counter, ctx)), errc::lease_fenced);
}

TEST_F(TaskRules, ReviewRulesComeInOrder) {
  claimed("dev");
  ok(decide(t, to(ts::in_progress, "dev"), ctx));
  ok(decide(t, to(ts::implemented, "dev"), ctx));
  auto integrate = to(ts::integrated, "lead");
  EXPECT_EQ(refused(decide(t, integrate, ctx)), errc::review_required_for_integration);
  integrate.reviewed_by = "  ";
  EXPECT_EQ(refused(decide(t, integrate, ctx)), errc::review_required_for_integration);
  integrate.reviewed_by = "senior";
  integrate.review_evidence_refs = {" ", ""};
  EXPECT_EQ(refused(decide(t, integrate, ctx)), errc::review_evidence_required);
  integrate.review_evidence_refs = {"review://thread/1"};
  integrate.actor = "senior";
  EXPECT_EQ(refused(decide(t, integrate, ctx)), errc::self_review_not_allowed);
  integrate.actor = "lead";
  integrate.reviewed_by = "dev";  // the implementer, even through another actor
  EXPECT_EQ(refused(decide(t, integrate, ctx)), errc::self_review_not_allowed);
  integrate.reviewed_by = "senior";
  ok(decide(t, integrate, ctx));
  EXPECT_EQ(t.state, ts::integrated);
}

TEST_F(TaskRules, GatesNeedAnApprovalAndForceSkipsEverything) {
  t.klass = task_class::review_gate;
  ok(decide(t, to(ts::in_progress), ctx));
  ok(decide(t, to(ts::implemented), ctx));
  auto integrate = to(ts::integrated, "lead");
  integrate.reviewed_by = "senior";
  integrate.review_evidence_refs = {"r://1"};
  EXPECT_EQ(refused(decide(t, integrate, ctx)), errc::gate_decision_required);
  auto approved = ctx;
  approved.gate_approved = true;
  EXPECT_EQ(refused(decide(t, integrate, approved)), errc::none);
  EXPECT_EQ(refused(decide(t, to(ts::integrated, "planner", true), ctx)), errc::none);
}

TEST_F(TaskRules, ClaimedAndReservedAreNeverTargetsAndSameStateIsANoOp) {
  EXPECT_EQ(refused(decide(t, to(ts::claimed, "p", true), ctx)), errc::state_not_allowed);
  EXPECT_EQ(refused(decide(t, to(ts::reserved, "p", true), ctx)), errc::state_not_allowed);
  auto same = decide(t, to(ts::ready), ctx);
  ASSERT_TRUE(same);
  EXPECT_TRUE(same->empty());
  EXPECT_EQ(refused(decide(t, to(ts::integrated), ctx)), errc::invalid_state_transition);
}

TEST_F(TaskRules, ArtifactsAndAttemptsNumberTheirShortIds) {
  record_artifact a;
  a.project = project;
  a.task = t.id.str();
  a.agent = "dev";
  EXPECT_EQ(std::get<events::artifact_recorded>(ok(decide(t, a, ctx)).at(0)).short_id,
            "P1.M1.T1.A1");
  EXPECT_EQ(std::get<events::artifact_recorded>(ok(decide(t, a, ctx)).at(0)).short_id,
            "P1.M1.T1.A2");
  a.project = project_id::random().str();
  EXPECT_EQ(refused(decide(t, a, ctx)), errc::project_mismatch);
  EXPECT_EQ(message_of(decide(t, a, ctx).error()), "Task and artifact project mismatch");
  EXPECT_EQ(message_of(decide(t, enqueue_attempt{{}, a.project, t.id.str(), "b", "h", {}}, ctx)
                         .error()),
            "Task and integration attempt project mismatch");
  auto attempt = std::get<events::integration_attempt_enqueued>(
    ok(decide(t, enqueue_attempt{{}, project, t.id.str(), "base", "head", {}}, ctx)).at(0));
  EXPECT_EQ(attempt.short_id, "P1.M1.T1.I1");
  auto result = record_attempt_result{{}, project, attempt.id.str(), "success", {}};
  EXPECT_EQ(refused(decide(t, result, ctx)), errc::none);
  result.result = "queued";
  EXPECT_EQ(refused(decide(t, result, ctx)), errc::validation_failed);
  result.attempt = uuid::random().str();
  EXPECT_EQ(refused(decide(t, result, ctx)), errc::integration_attempt_not_found);
}

TEST_F(TaskRules, ReservationsExpireOnTheirTimer) {
  ok(decide(t, assign_task{{}, project, t.id.str(), "agent-a", "lead", 1, std::nullopt}, ctx));
  reservation_timer timer{t.reservation->id, 0};
  EXPECT_TRUE(decide(t, timer, ctx)->empty());
  ctx.now.micros += 2'000'000;
  auto released = std::get<events::reservation_released>(ok(decide(t, timer, ctx)).at(0));
  EXPECT_EQ(released.reason, "expired");
  EXPECT_EQ(t.state, ts::ready);
}

}  // namespace
}  // namespace tascade
