#include "events/log_writer.hpp"
#include "tascade/errc.hpp"
#include "tests/support/temp_dir.hpp"

#include <caf/all.hpp>
#include <gtest/gtest.h>

namespace tascade {
namespace {

new_event make_event(const std::string& stream, stream_version version) {
  new_event e;
  e.stream = stream;
  e.version = version;
  e.type = "test_happened";
  e.payload = {{"stream", stream}};
  return e;
}

// The writer runs on CAF's deterministic scheduler: requests queue up, then one `run()`
// delivers them all before the flush, which must commit them as one batch.
struct LogWriterTest : ::testing::Test {
  LogWriterTest() : log(std::move(*event_log::open(dir.str()))) {
    cfg.set("scheduler.policy", caf::atom("testing"));
    cfg.add_error_category(error_category, render_error);
    sys.emplace(cfg);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
    self.emplace(*sys, true);
  }
  ~LogWriterTest() override {
    self.reset();
    sys.reset();
  }

  test::temp_dir dir;
  std::unique_ptr<event_log> log;
  caf::actor_system_config cfg;
  std::optional<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  std::optional<caf::scoped_actor> self;
  std::vector<size_t> batch_sizes;
  std::vector<global_seq> applied;
};

TEST_F(LogWriterTest, QueuedAppendsShareOneBatchAndListenersSeeThemBeforeReplies) {
  auto writer = sys->spawn(log_writer_behavior, log.get(),
                           commit_listener{[this](const std::vector<event_record>& batch) {
                             batch_sizes.push_back(batch.size());
                             for (auto& r : batch)
                               applied.push_back(r.seq);
                           }});
  std::vector<std::vector<event_record>> replies(3);
  std::vector<size_t> applied_at_reply(3);
  for (int i = 0; i < 3; ++i) {
    sys->spawn([&, i, writer](caf::event_based_actor* client) {
      client->request(writer, caf::infinite, append_atom::value,
                      std::vector<new_event>{make_event("s" + std::to_string(i), 1)})
        .then([&, i](std::vector<event_record>& records) {
          replies[size_t(i)] = records;
          applied_at_reply[size_t(i)] = applied.size();
        });
    });
  }
  sched->run();
  EXPECT_EQ(batch_sizes, std::vector<size_t>{3});
  EXPECT_EQ(applied, (std::vector<global_seq>{1, 2, 3}));
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(replies[size_t(i)].size(), 1u);
    EXPECT_EQ(applied_at_reply[size_t(i)], 3u);  // read-your-writes: applied before the reply
  }
  EXPECT_EQ(log->head(), 3u);
}

TEST_F(LogWriterTest, ARefusedCommandFailsAloneAndTheOthersCommit) {
  auto writer = sys->spawn(log_writer_behavior, log.get(), commit_listener{});
  caf::error refused;
  size_t committed = 0;
  sys->spawn([&, writer](caf::event_based_actor* client) {
    client->request(writer, caf::infinite, append_atom::value,
                    std::vector<new_event>{make_event("s", 2)})
      .then([](std::vector<event_record>&) {}, [&](caf::error& e) { refused = e; });
    client->request(writer, caf::infinite, append_atom::value,
                    std::vector<new_event>{make_event("s", 1)})
      .then([&](std::vector<event_record>& r) { committed = r.size(); });
  });
  sched->run();
  EXPECT_EQ(refused, errc::invariant_violation);
  EXPECT_EQ(committed, 1u);
  EXPECT_EQ(log->head(), 1u);
}

}  // namespace
}  // namespace tascade
