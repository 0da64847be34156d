#include "tests/support/actor_fixture.hpp"

namespace tascade {
namespace {

// The registry, project actors and the log writer on CAF's deterministic scheduler.
struct ProjectActorTest : test::actor_fixture {
  ProjectActorTest() { registry = start_registry(); }

  caf::actor start_registry() {
    actor_deps deps;
    deps.snapshot_every = 3;
    deps.clock = [] { return timestamp{1'700'000'000'000'000}; };
    deps.known.locate = [this](const task_id& id) -> std::optional<project_id> {
      auto it = task_projects.find(id);
      return it == task_projects.end() ? std::nullopt : std::optional<project_id>(it->second);
    };
    return actor_fixture::start_registry(deps);
  }

  std::string created_id(const caf::expected<command_done>& done) {
    EXPECT_TRUE(done) << (done ? "" : message_of(done.error()));
    return done ? std::string(done->records.at(0).payload.at("id").as_string()) : "";
  }

  std::unordered_map<task_id, project_id> task_projects;
};

TEST_F(ProjectActorTest, CommandsAreDecidedStoredAndApplied) {
  auto project = created_id(send(create_project{{"alice", "corr-1"}, "Alpha"}));
  auto phase = created_id(send(create_phase{{}, project, "Phase 1", 0}));
  auto second = send(create_phase{{}, project, "Again", 0});
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error(), errc::sequence_conflict);
  auto milestone = created_id(send(create_milestone{{}, project, phase, "M1", 0}));
  create_task t;
  t.project = project;
  t.milestone = milestone;
  t.title = "first";
  auto done = send(t);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->records.at(0).payload.at("short_id").as_string(), "P1.M1.T1");
  EXPECT_EQ(done->records.at(0).stream, project_stream(project));
  EXPECT_EQ(done->records.at(0).version, 4u);
  // The envelope keeps who asked and the correlation id.
  auto first = log->read(1);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->principal, "alice");
  EXPECT_EQ(first->correlation, "corr-1");
  EXPECT_EQ(log->head(), 4u);  // the refused phase wrote nothing
}

TEST_F(ProjectActorTest, UnknownProjectIsNotFoundAndWritesNothing) {
  auto r = send(create_phase{{}, project_id::random().str(), "P", 0});
  EXPECT_EQ(r.error(), errc::project_not_found);
  auto bad = send(create_phase{{}, "not-a-uuid", "P", 0});
  EXPECT_EQ(bad.error(), errc::project_not_found);
  EXPECT_EQ(log->head(), 0u);
}

TEST_F(ProjectActorTest, EdgesIntoAMissingProjectAreJudgedByTheirTasks) {
  auto self_edge = send(add_dependency{{}, project_id::random().str(), "x", "x"});
  EXPECT_EQ(self_edge.error(), errc::cycle_detected);
  auto unknown = send(add_dependency{{}, project_id::random().str(), task_id::random().str(),
                                     task_id::random().str()});
  EXPECT_EQ(unknown.error(), errc::task_not_found);
}

TEST_F(ProjectActorTest, RestartedActorsRehydrateFromSnapshotAndEvents) {
  auto project = created_id(send(create_project{{}, "Alpha"}));
  auto phase = created_id(send(create_phase{{}, project, "Phase 1", 0}));
  auto milestone = created_id(send(create_milestone{{}, project, phase, "M1", 0}));
  for (int i = 0; i < 4; ++i) {  // versions 4..7: snapshots at 3 and 6
    create_task t;
    t.project = project;
    t.milestone = milestone;
    t.title = "t" + std::to_string(i);
    created_id(send(t));
  }
  auto snap = log->latest_snapshot(project_stream(project));
  ASSERT_TRUE(snap && *snap);
  EXPECT_EQ((*snap)->version, 6u);

  // A new registry starts a fresh project actor, which must continue the counters.
  stop_registry();
  registry = start_registry();
  EXPECT_EQ(send(create_phase{{}, project, "dup", 0}).error(), errc::sequence_conflict);
  create_task t;
  t.project = project;
  t.milestone = milestone;
  t.title = "after restart";
  auto done = send(t);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->records.at(0).payload.at("short_id").as_string(), "P1.M1.T5");
  EXPECT_EQ(done->records.at(0).version, 8u);

  // Snapshot + tail and a full replay give the same state.
  auto from_snapshot = rehydrate_project(*log, *project_id::parse(project));
  ASSERT_TRUE(from_snapshot);
  EXPECT_EQ(from_snapshot->version, 8u);
  EXPECT_EQ(from_snapshot->tasks.size(), 5u);
}

}  // namespace
}  // namespace tascade
