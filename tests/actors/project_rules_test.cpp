#include "actors/project_rules.hpp"
#include "tascade/errc.hpp"

#include <gtest/gtest.h>

namespace tascade {
namespace {

// Builds project state by applying the rules' own events, as the actor does.
struct ProjectRules : ::testing::Test {
  project_state s;
  decide_context ctx{timestamp{1}, uuid::random};
  std::unordered_map<task_id, project_id> everywhere;  // the task locator's world
  task_locator locate = [this](const task_id& id) -> std::optional<project_id> {
    auto it = everywhere.find(id);
    return it == everywhere.end() ? std::nullopt : std::optional<project_id>(it->second);
  };

  ProjectRules() {
    s.id = project_id::random();
    commit(decide(s, create_project{{}, "Alpha"}, ctx));
  }

  std::vector<events::event> commit(caf::expected<std::vector<events::event>> evs) {
    EXPECT_TRUE(evs) << (evs ? "" : message_of(evs.error()));
    if (!evs)
      return {};
    for (auto& ev : *evs) {
      tascade::apply(s, ev);
      if (auto* t = std::get_if<events::task_created>(&ev))
        everywhere[t->id] = t->project;
    }
    return *evs;
  }
  template <class Event>
  Event only(std::vector<events::event> evs) {
    EXPECT_EQ(evs.size(), 1u);
    return std::get<Event>(evs.at(0));
  }
  phase_id phase(int64_t sequence) {
    return only<events::phase_created>(commit(decide(s, create_phase{{}, "", "P", sequence}, ctx)))
      .id;
  }
  milestone_id milestone(phase_id p, int64_t sequence) {
    return only<events::milestone_created>(
             commit(decide(s, create_milestone{{}, "", p.str(), "M", sequence}, ctx)))
      .id;
  }
  create_task task_in(milestone_id m) {
    create_task c;
    c.title = "T";
    c.milestone = m.str();
    return c;
  }
  task_id task(milestone_id m) {
    return only<events::task_created>(commit(decide(s, task_in(m), ctx))).id;
  }
  errc edge_error(const std::string& from, const std::string& to) {
    auto r = decide(s, add_dependency{{}, "", from, to, unlock_on::implemented}, locate, ctx);
    return r ? errc::none : code_of(r.error());
  }
  std::string edge_message(const std::string& from, const std::string& to) {
    auto r = decide(s, add_dependency{{}, "", from, to, unlock_on::implemented}, locate, ctx);
    return r ? std::string() : message_of(r.error());
  }
};

TEST_F(ProjectRules, ShortIdsCountPerParentAndIgnoreSequence) {
  auto p1 = phase(5);
  auto p2 = phase(0);
  auto m1 = milestone(p1, 0);
  auto m2 = milestone(p2, 1);
  auto m3 = milestone(p2, 2);
  EXPECT_EQ(s.phases.at(p1).short_id, "P1");
  EXPECT_EQ(s.phases.at(p2).short_id, "P2");
  EXPECT_EQ(s.milestones.at(m1).short_id, "P1.M1");
  EXPECT_EQ(s.milestones.at(m2).short_id, "P2.M1");
  EXPECT_EQ(s.milestones.at(m3).short_id, "P2.M2");
  auto t1 = only<events::task_created>(commit(decide(s, task_in(m3), ctx)));
  auto t2 = only<events::task_created>(commit(decide(s, task_in(m3), ctx)));
  EXPECT_EQ(t1.short_id, "P2.M2.T1");
  EXPECT_EQ(t2.short_id, "P2.M2.T2");
  EXPECT_EQ(t2.phase, p2);  // inferred from the milestone
}

TEST_F(ProjectRules, HierarchyErrorsFollowTheSpec) {
  auto p = phase(0);
  auto m = milestone(p, 0);
  auto phase_err = [&](create_phase c) { return code_of(decide(s, c, ctx).error()); };
  auto milestone_err = [&](create_milestone c) { return code_of(decide(s, c, ctx).error()); };
  auto task_err = [&](create_task c) { return code_of(decide(s, c, ctx).error()); };

  EXPECT_EQ(phase_err({{}, "", "dup", 0}), errc::sequence_conflict);
  EXPECT_EQ(phase_err({{}, "", "neg", -1}), errc::validation_failed);
  EXPECT_EQ(milestone_err({{}, "", std::nullopt, "M", 5}), errc::identifier_parent_required);
  EXPECT_EQ(milestone_err({{}, "", "not-a-uuid", "M", 5}), errc::phase_not_found);
  EXPECT_EQ(milestone_err({{}, "", phase_id::random().str(), "M", 5}), errc::phase_not_found);
  // Milestone sequences are unique per project, across phases.
  auto other = phase(1);
  EXPECT_EQ(milestone_err({{}, "", other.str(), "M", 0}), errc::sequence_conflict);

  create_task no_milestone;
  EXPECT_EQ(task_err(no_milestone), errc::identifier_parent_required);
  auto unknown = task_in(milestone_id::random());
  EXPECT_EQ(task_err(unknown), errc::milestone_not_found);
  auto mismatch = task_in(m);
  mismatch.phase = other.str();
  EXPECT_EQ(task_err(mismatch), errc::phase_milestone_mismatch);
  // The reference's wording (shared/reference/error-messages.md).
  EXPECT_EQ(message_of(decide(s, create_milestone{{}, "", std::nullopt, "M", 5}, ctx).error()),
            "Milestone hierarchy is required for short-id generation");
  EXPECT_EQ(message_of(decide(s, no_milestone, ctx).error()),
            "Milestone hierarchy is required for short-id generation");
  EXPECT_EQ(message_of(decide(s, mismatch, ctx).error()),
            "Task phase_id must match milestone phase_id");
  auto matching = task_in(m);
  matching.phase = p.str();
  EXPECT_TRUE(decide(s, matching, ctx));

  project_state missing;
  EXPECT_EQ(code_of(decide(missing, create_phase{{}, "", "P", 0}, ctx).error()),
            errc::project_not_found);
}

TEST_F(ProjectRules, DependencyErrorsComeInTheReferenceOrder) {
  auto m = milestone(phase(0), 0);
  auto a = task(m), b = task(m), c = task(m);
  auto foreign = task_id::random();
  everywhere[foreign] = project_id::random();

  EXPECT_EQ(edge_error("same", "same"), errc::cycle_detected);  // before any lookup
  EXPECT_EQ(edge_error(a.str(), task_id::random().str()), errc::task_not_found);
  EXPECT_EQ(edge_error("P1.M1.T1", b.str()), errc::task_not_found);  // short ids are not ids
  EXPECT_EQ(edge_error(a.str(), foreign.str()), errc::project_mismatch);
  EXPECT_EQ(edge_error(a.str(), b.str()), errc::none);
  commit(decide(s, add_dependency{{}, "", a.str(), b.str(), unlock_on::integrated}, locate, ctx));
  commit(decide(s, add_dependency{{}, "", b.str(), c.str(), unlock_on::integrated}, locate, ctx));
  EXPECT_EQ(edge_error(a.str(), b.str()), errc::dependency_exists);
  EXPECT_EQ(edge_error(b.str(), a.str()), errc::cycle_detected);
  EXPECT_EQ(edge_error(c.str(), a.str()), errc::cycle_detected);
  EXPECT_EQ(edge_error(a.str(), c.str()), errc::none);  // a shortcut is no cycle

  // The reference's wording for each refusal.
  EXPECT_EQ(edge_message("same", "same"), "Self dependency creates cycle");
  EXPECT_EQ(edge_message(a.str(), task_id::random().str()), "From/to task missing");
  EXPECT_EQ(edge_message(a.str(), foreign.str()), "Dependency endpoints must belong to one project");
  EXPECT_EQ(edge_message(c.str(), a.str()), "Dependency introduces graph cycle");
}

TEST_F(ProjectRules, SnapshotRoundTripsTheState) {
  auto m = milestone(phase(3), 4);
  auto a = task(m), b = task(m);
  commit(decide(s, add_dependency{{}, "", a.str(), b.str(), unlock_on::implemented}, locate, ctx));
  project_state back;
  ASSERT_TRUE(project_state::from_snapshot(s.to_snapshot(), back));
  EXPECT_EQ(back.to_snapshot(), s.to_snapshot());
  EXPECT_EQ(back.version, s.version);
  EXPECT_EQ(back.milestones.at(m).task_counter, 2);
  EXPECT_TRUE(back.has_edge(a, b));
  EXPECT_FALSE(back.has_edge(b, a));
  auto broken = s.to_snapshot();
  broken.erase("phases");
  EXPECT_FALSE(project_state::from_snapshot(broken, back));
}

}  // namespace
}  // namespace tascade
