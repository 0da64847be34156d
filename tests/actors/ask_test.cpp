#include "actors/ask.hpp"

#include <caf/all.hpp>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace tascade::test {
namespace {

// The bridges on CAF's deterministic scheduler: messages run on `sched->run()`.
struct AskTest : ::testing::Test {
  AskTest() {
    cfg.set("scheduler.policy", caf::atom("testing"));
    sys.emplace(cfg);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
    bridges.emplace(*sys, 2);
  }
  ~AskTest() override {
    bridges.reset();
    sched->run();
    sys.reset();
  }

  // Outcomes of one request: exactly one of the two should ever be filled, once.
  struct outcome {
    std::vector<int> replies;
    std::vector<caf::error> errors;
  };
  void ask(const caf::actor& dest, int n, outcome& out) {
    bridges->ask<int>(
      dest, n, [&out](int& r) { out.replies.push_back(r); },
      [&out](caf::error& e) { out.errors.push_back(std::move(e)); });  // takes the error
  }

  caf::actor_system_config cfg;
  std::optional<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  std::optional<asker> bridges;
};

caf::behavior doubler() {
  return {[](int n) -> caf::result<int> {
    if (n < 0)
      return caf::make_error(caf::sec::invalid_argument);
    return n * 2;
  }};
}

// Takes requests and never answers them until told to stop.
caf::behavior hoarder(caf::event_based_actor* self) {
  auto kept = std::make_shared<std::vector<caf::response_promise>>();
  return {[self, kept](int) -> caf::result<int> {
    kept->push_back(self->make_response_promise());
    return caf::delegated<int>{};
  }};
}

TEST_F(AskTest, EveryReplyReachesItsOwnCallbackOnce) {
  auto dest = sys->spawn(doubler);
  std::vector<outcome> outs(10);
  for (int i = 0; i < 10; ++i)
    ask(dest, i, outs[i]);
  sched->run();
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(outs[i].replies.size(), 1u) << i;
    EXPECT_EQ(outs[i].replies[0], 2 * i);
    EXPECT_TRUE(outs[i].errors.empty());
  }
  caf::anon_send_exit(dest, caf::exit_reason::user_shutdown);
}

TEST_F(AskTest, AnErrorReplyReachesTheErrorCallback) {
  auto dest = sys->spawn(doubler);
  outcome out;
  ask(dest, -1, out);
  sched->run();
  EXPECT_TRUE(out.replies.empty());
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_EQ(out.errors[0], caf::sec::invalid_argument);
  caf::anon_send_exit(dest, caf::exit_reason::user_shutdown);
}

TEST_F(AskTest, ADestinationThatStopsFailsWhatItStillOwes) {
  auto dest = sys->spawn(hoarder);
  std::vector<outcome> outs(3);
  for (auto& out : outs)
    ask(dest, 1, out);
  sched->run();
  for (auto& out : outs)
    EXPECT_TRUE(out.replies.empty() && out.errors.empty()) << "nothing answered yet";
  caf::anon_send_exit(dest, caf::exit_reason::user_shutdown);
  sched->run();
  for (auto& out : outs) {
    EXPECT_TRUE(out.replies.empty());
    ASSERT_EQ(out.errors.size(), 1u);
    EXPECT_EQ(out.errors[0], caf::sec::request_receiver_down);
  }
}

TEST_F(AskTest, StoppingTheBridgesFailsEveryPendingRequestWithItsOwnError) {
  auto dest = sys->spawn(hoarder);
  std::vector<outcome> outs(4);  // several per bridge: each callback takes its error
  for (auto& out : outs)
    ask(dest, 1, out);
  sched->run();
  bridges->stop();
  sched->run();
  for (auto& out : outs) {
    ASSERT_EQ(out.errors.size(), 1u);
    EXPECT_EQ(out.errors[0], caf::sec::request_receiver_down);
  }
  caf::anon_send_exit(dest, caf::exit_reason::user_shutdown);
}

}  // namespace
}  // namespace tascade::test
