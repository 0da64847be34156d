#include "events/codec/payload_codec.hpp"
#include "tests/support/actor_fixture.hpp"

namespace tascade {
namespace {

// A task actor on CAF's deterministic scheduler, with a clock the test moves: timers fire
// through `trigger_timeouts`, and the clock decides whether they are due.
struct TaskActorTest : test::actor_fixture {
  TaskActorTest() {
    // The task exists: its creation event is in the project's stream.
    events::task_created created;
    created.id = task;
    created.project = project;
    created.short_id = "P1.M1.T1";
    created.klass = task_class::backend;
    new_event e;
    e.stream = project_stream(project.str());
    e.version = 1;
    e.type = "task_created";
    e.payload = events::encode_payload(created);
    creation = (*log->append({{e}})[0])[0].seq;
    registry = start_registry();
  }

  caf::actor start_registry() {
    actor_deps deps;
    deps.clock = [this] { return now; };
    deps.known.locate = [this](const task_id& id) -> std::optional<project_id> {
      return id == task ? std::optional<project_id>(project) : std::nullopt;
    };
    deps.known.creation = [this](const task_id&) -> std::optional<global_seq> {
      return creation;
    };
    deps.known.unmet = [](const task_id&) { return std::vector<unmet_dependency>{}; };
    deps.known.unlocked_dependents = [](const task_id&, task_state) {
      return std::vector<task_id>{};
    };
    deps.known.plan_version = [](const project_id&) { return int64_t{1}; };
    deps.known.project_exists = [](const std::string&) { return true; };
    deps.known.material_change = [this](const task_id&) { return material; };
    return actor_fixture::start_registry(deps);
  }

  std::string claim(const std::string& agent, double ttl) {
    auto done = send(claim_task{{}, project.str(), task.str(), agent, std::nullopt, ttl, {}});
    EXPECT_TRUE(done) << (done ? "" : message_of(done.error()));
    return done ? std::string(done->records.at(0).payload.at("token").as_string()) : "";
  }
  errc heartbeat(const std::string& agent, const std::string& token) {
    auto done = send(heartbeat_task{{}, project.str(), task.str(), agent, token, {}, {}});
    return done ? errc::none : code_of(done.error());
  }
  // Fires every pending timer, as if the clock had moved to `now`.
  void fire_timers() {
    sched->trigger_timeouts();
    sched->run();
  }
  std::vector<std::string> types() {
    std::vector<std::string> out;
    auto records = log->read_stream(task_stream(task.str()));
    for (auto& rec : *records)
      out.push_back(rec.type);
    return out;
  }

  project_id project = project_id::random();
  task_id task = task_id::random();
  global_seq creation = 0;
  timestamp now{1'700'000'000'000'000};
  std::optional<std::pair<uuid, int64_t>> material;  ///< the projections' last material change
};

TEST_F(TaskActorTest, ALeaseExpiresWhenItsTimerFindsTheDeadlinePassed) {
  auto token = claim("agent-a", 30);
  now.micros += 10'000'000;
  fire_timers();  // early: re-armed, nothing written
  EXPECT_EQ(types(), std::vector<std::string>{"task_claimed"});
  now.micros += 21'000'000;
  fire_timers();
  EXPECT_EQ(types(), (std::vector<std::string>{"task_claimed", "lease_expired"}));
  EXPECT_EQ(heartbeat("agent-a", token), errc::lease_fenced);
  EXPECT_FALSE(claim("agent-b", 30).empty());
}

TEST_F(TaskActorTest, HeartbeatsPushTheDeadlineAndStaleTimersAreIgnored) {
  auto token = claim("agent-a", 30);
  now.micros += 20'000'000;
  EXPECT_EQ(heartbeat("agent-a", token), errc::none);  // deadline now +50 s
  now.micros += 15'000'000;                            // past the first deadline
  fire_timers();
  EXPECT_EQ(types(), (std::vector<std::string>{"task_claimed", "lease_renewed"}));
  now.micros += 20'000'000;
  fire_timers();
  EXPECT_EQ(types().back(), "lease_expired");
}

// A heartbeat moves the deadline later: the timer already armed fires early, finds the
// deadline ahead and arms the next. Heartbeats arm nothing, so a busy lease holds one timer,
// not one per heartbeat until its end.
TEST_F(TaskActorTest, HeartbeatsKeepOneTimerPendingAndTheLeaseStillExpires) {
  auto token = claim("agent-a", 30);
  for (int i = 0; i < 50; ++i) {
    now.micros += 1'000'000;
    ASSERT_EQ(heartbeat("agent-a", token), errc::none);
  }
  EXPECT_EQ(sched->clock().schedule().size(), 1u);
  now.micros += 29'000'000;  // past the first deadline, before the last one (t0 + 80 s)
  fire_timers();
  EXPECT_EQ(types().back(), "lease_renewed");
  EXPECT_EQ(sched->clock().schedule().size(), 1u);  // re-armed for the last deadline
  now.micros += 2'000'000;
  fire_timers();
  EXPECT_EQ(types().back(), "lease_expired");
  EXPECT_EQ(heartbeat("agent-a", token), errc::lease_fenced);
}

// A later claim with a shorter lease than the timer still pending arms an earlier timer.
TEST_F(TaskActorTest, AShorterLeaseThanThePendingTimerArmsAnEarlierOne) {
  auto first = claim("agent-a", 600);
  for (auto to : {task_state::blocked, task_state::ready}) {  // blocked releases the lease
    transition_task move{{},    project.str(), task.str(), to, "agent-a",
                         "release", {},          {},         false, {}};
    move.proof.token = first;
    auto moved = send(move);
    ASSERT_TRUE(moved) << message_of(moved.error());
  }
  claim("agent-b", 10);
  now.micros += 11'000'000;
  fire_timers();
  EXPECT_EQ(types().back(), "lease_expired");
}

TEST_F(TaskActorTest, ARestartedActorReArmsTheLeaseFromTheLog) {
  auto token = claim("agent-a", 30);
  // A new registry (as after a restart) starts a fresh task actor on the next message.
  stop_registry();
  registry = start_registry();
  caf::anon_send(registry, wake_task{task});
  sched->run();
  now.micros += 31'000'000;
  fire_timers();
  EXPECT_EQ(types().back(), "lease_expired");
  EXPECT_EQ(heartbeat("agent-a", token), errc::lease_fenced);
}

// A material plan change whose message never reached the task (the server stopped between the
// changeset and the task's event) is recorded when the task's actor starts again.
TEST_F(TaskActorTest, ARestartedActorRecordsAnInvalidationItMissed) {
  auto token = claim("agent-a", 300);
  stop_registry();
  auto changeset = uuid::random();
  material = std::pair{changeset, int64_t{2}};
  registry = start_registry();
  caf::anon_send(registry, wake_task{task});
  sched->run();
  EXPECT_EQ(types().back(), "lease_invalidated");
  EXPECT_EQ(heartbeat("agent-a", token), errc::lease_invalidated);
  // Only once: a later start finds no live lease to end.
  stop_registry();
  registry = start_registry();
  caf::anon_send(registry, wake_task{task});
  sched->run();
  EXPECT_EQ(types().size(), 2u);
}

// Issue 16: the same for a reservation, which records the plan version it was made on.
TEST_F(TaskActorTest, ARestartedActorCompletesAReservationInvalidationItMissed) {
  auto done = send(assign_task{{}, project.str(), task.str(), "agent-a", "lead", 600, {}});
  ASSERT_TRUE(done);
  EXPECT_EQ(done->records.at(0).payload.at("plan_version").as_int64(), 1);
  stop_registry();
  material = std::pair{uuid::random(), int64_t{2}};
  registry = start_registry();
  caf::anon_send(registry, wake_task{task});
  sched->run();
  EXPECT_EQ(types().back(), "reservation_invalidated");
  // Only once: a later start finds no reservation to end.
  stop_registry();
  registry = start_registry();
  caf::anon_send(registry, wake_task{task});
  sched->run();
  EXPECT_EQ(types(), (std::vector<std::string>{"task_assigned", "reservation_invalidated"}));
}

// A reservation made on the plan the change created (after it) is not the change's to end.
TEST_F(TaskActorTest, AReservationMadeOnTheChangedPlanSurvivesARestart) {
  material = std::pair{uuid::random(), int64_t{1}};
  ASSERT_TRUE(send(assign_task{{}, project.str(), task.str(), "agent-a", "lead", 600, {}}));
  stop_registry();
  registry = start_registry();
  caf::anon_send(registry, wake_task{task});
  sched->run();
  EXPECT_EQ(types(), std::vector<std::string>{"task_assigned"});
}

TEST_F(TaskActorTest, AReservationExpiresToo) {
  auto done = send(assign_task{{}, project.str(), task.str(), "agent-a", "lead", 60, {}});
  ASSERT_TRUE(done);
  now.micros += 61'000'000;
  fire_timers();
  EXPECT_EQ(types().back(), "reservation_released");
  EXPECT_FALSE(claim("agent-b", 30).empty());
}

TEST_F(TaskActorTest, UnknownTasksAreNotFound) {
  auto done = send(claim_task{{}, project.str(), task_id::random().str(), "a", {}, 30, {}});
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error(), errc::task_not_found);
  auto beat = send(heartbeat_task{{}, project.str(), task_id::random().str(), "a", "t", {}, {}});
  EXPECT_EQ(beat.error(), errc::lease_invalid);
}

}  // namespace
}  // namespace tascade
