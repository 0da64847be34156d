#include "events/codec/payload_codec.hpp"
#include "tests/support/actor_fixture.hpp"

namespace tascade {
namespace {

using namespace std::chrono_literals;

// Idle task actors stop and come back from the log, on CAF's deterministic scheduler with a
// clock the test moves. Timers fire through `trigger_timeouts`; the idle check compares the
// test's clock with the actor's last command.
struct TaskPassivationTest : test::actor_fixture {
  TaskPassivationTest() {
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

    actor_deps deps;
    deps.clock = [this] { return now; };
    deps.idle_after = 30s;
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
    registry = start_registry(deps);
  }

  registry_state& registry_view() {
    auto* self = caf::actor_cast<caf::abstract_actor*>(registry);
    return dynamic_cast<caf::stateful_actor<registry_state>*>(self)->state;
  }
  // The task's running actor, or an invalid handle when the registry has none.
  caf::actor task_actor() {
    auto& tasks = registry_view().tasks;
    auto it = tasks.find(task);
    return it == tasks.end() ? caf::actor{} : it->second.actor;
  }

  claim_task claim_of(const std::string& agent, double ttl) {
    return claim_task{{}, project.str(), task.str(), agent, std::nullopt, ttl, {}};
  }
  // Claims and returns the lease's {token, fencing counter}.
  std::pair<std::string, uint64_t> claim(const std::string& agent, double ttl) {
    auto done = send(claim_of(agent, ttl));
    EXPECT_TRUE(done) << (done ? "" : message_of(done.error()));
    if (!done)
      return {};
    auto& p = done->records.at(0).payload;
    return {std::string(p.at("token").as_string()), uint64_t(p.at("fencing_counter").to_number<int64_t>())};
  }
  // Gives the task back: claimed → blocked ends the lease, blocked → ready frees the task.
  errc release(const std::string& agent, const std::string& token) {
    for (auto to : {task_state::blocked, task_state::ready}) {
      transition_task t;
      t.project = project.str();
      t.task = task.str();
      t.to = to;
      t.actor = agent;
      t.reason = "done for now";
      t.proof.token = token;
      auto done = send(t);
      if (!done)
        return code_of(done.error());
    }
    return errc::none;
  }
  errc heartbeat(const std::string& agent, const std::string& token) {
    auto done = send(heartbeat_task{{}, project.str(), task.str(), agent, token, {}, {}});
    return done ? errc::none : code_of(done.error());
  }
  void fire_timers() {
    sched->trigger_timeouts();
    sched->run();
  }
  // A client that asks the registry for `cmd` once it runs; its answer lands in `out`.
  caf::actor client_for(claim_task cmd, std::optional<caf::expected<command_done>>& out) {
    return sys->spawn([&out, cmd, r = registry](caf::event_based_actor* client) {
      client->request(r, caf::infinite, cmd)
        .then([&out](command_done& d) { out = std::move(d); },
              [&out](caf::error& e) { out = e; });
    });
  }

  project_id project = project_id::random();
  task_id task = task_id::random();
  global_seq creation = 0;
  timestamp now{1'700'000'000'000'000};
};

TEST_F(TaskPassivationTest, AnIdleActorStopsAfterThePeriodAndTheTaskKeepsItsState) {
  auto [token, fencing] = claim("agent-a", 60);
  EXPECT_EQ(fencing, 1u);
  ASSERT_EQ(release("agent-a", token), errc::none);
  auto first = task_actor();
  ASSERT_TRUE(first);
  now.micros += 20'000'000;  // idle, but not for the whole period
  fire_timers();
  EXPECT_EQ(task_actor(), first);
  now.micros += 11'000'000;
  fire_timers();
  EXPECT_FALSE(task_actor()) << "the registry still holds the idle actor";
  EXPECT_TRUE(registry_view().tasks.empty());
  // The next command rehydrates a fresh actor from the log: the fencing counter continues, and
  // the old token is refused while agent-b holds the task.
  auto [again, next_fencing] = claim("agent-b", 60);
  EXPECT_EQ(next_fencing, 2u);
  EXPECT_TRUE(task_actor());
  EXPECT_NE(task_actor(), first);
  EXPECT_EQ(heartbeat("agent-a", token), errc::lease_invalid);  // agent-b holds it now
  EXPECT_EQ(heartbeat("agent-b", again), errc::none);
}

TEST_F(TaskPassivationTest, AnActorHoldingALeaseStays) {
  auto [token, fencing] = claim("agent-a", 600);
  auto actor = task_actor();
  now.micros += 120'000'000;  // long idle, the lease still running
  fire_timers();
  EXPECT_EQ(task_actor(), actor);
  EXPECT_EQ(heartbeat("agent-a", token), errc::none);
}

TEST_F(TaskPassivationTest, AnActorHoldingAReservationStays) {
  ASSERT_TRUE(send(assign_task{{}, project.str(), task.str(), "agent-a", "lead", 600, {}}));
  auto actor = task_actor();
  now.micros += 120'000'000;
  fire_timers();
  EXPECT_EQ(task_actor(), actor);
  // Once the reservation ends, the actor may go.
  ASSERT_TRUE(send(unassign_task{{}, project.str(), task.str()}));
  now.micros += 31'000'000;
  fire_timers();
  EXPECT_FALSE(task_actor());
}

// The registry forwards a claim, then receives the actor's request to stop: it refuses (the
// actor has not handled the claim when it asked), and the same actor answers the claim.
TEST_F(TaskPassivationTest, ACommandForwardedBeforeTheRequestKeepsTheActor) {
  auto [token, fencing] = claim("agent-a", 60);
  ASSERT_EQ(release("agent-a", token), errc::none);
  fire_timers();  // the released lease's stale timer; only the idle check stays armed
  auto actor = task_actor();
  now.micros += 31'000'000;
  std::optional<caf::expected<command_done>> out;
  auto client = client_for(claim_of("agent-b", 60), out);
  ASSERT_TRUE(sched->prioritize(client));
  sched->run_once();  // the claim waits in the registry's mailbox
  sched->trigger_timeouts();
  ASSERT_TRUE(sched->prioritize(actor));
  sched->run_once();  // the actor finds itself idle and asks; the request queues behind the claim
  sched->run();
  ASSERT_TRUE(out.has_value());
  ASSERT_TRUE(*out) << message_of(out->error());
  EXPECT_EQ((*out)->records.at(0).payload.at("fencing_counter").to_number<int64_t>(), 2);
  EXPECT_EQ(task_actor(), actor);
}

// The actor asks first and is let go; a claim that arrives right after starts a fresh actor,
// which rehydrates from the log and answers it.
TEST_F(TaskPassivationTest, ACommandArrivingAfterTheLeaveStartsAFreshActor) {
  auto [token, fencing] = claim("agent-a", 60);
  ASSERT_EQ(release("agent-a", token), errc::none);
  fire_timers();  // the released lease's stale timer; only the idle check stays armed
  auto actor = task_actor();
  now.micros += 31'000'000;
  sched->trigger_timeouts();
  ASSERT_TRUE(sched->prioritize(actor));
  sched->run_once();  // the request to stop waits in the registry's mailbox
  std::optional<caf::expected<command_done>> out;
  auto client = client_for(claim_of("agent-b", 60), out);
  ASSERT_TRUE(sched->prioritize(client));
  sched->run_once();  // the claim queues behind it
  sched->run();
  ASSERT_TRUE(out.has_value());
  ASSERT_TRUE(*out) << message_of(out->error());
  EXPECT_EQ((*out)->records.at(0).payload.at("fencing_counter").to_number<int64_t>(), 2);
  EXPECT_TRUE(task_actor());
  EXPECT_NE(task_actor(), actor);
  EXPECT_EQ(heartbeat("agent-a", token), errc::lease_invalid);  // agent-b holds it now
}

}  // namespace
}  // namespace tascade
