// The event stream's core without sockets: the hub's bounded fan-out and the feed's switch from
// the log to live events, with no gap and no duplicate.

#include "events/event_feed.hpp"
#include "events/event_log.hpp"
#include "tascade/errc.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <atomic>

namespace tascade {
namespace {

const std::string project_a = "11111111-1111-4111-8111-111111111111";
const std::string project_b = "22222222-2222-4222-8222-222222222222";

struct log_fixture {
  test::temp_dir dir;
  std::unique_ptr<event_log> log = std::move(*event_log::open(dir.str()));
  subscription_hub hub{5};
  std::map<std::string, stream_version> versions;

  // Appends one event of `project` and publishes it, as the log writer does.
  global_seq write(const std::string& project, std::string type = "task_created") {
    new_event e;
    e.stream = "task:" + project + "-" + std::to_string(versions.size() % 3);
    e.version = ++versions[e.stream];
    e.type = std::move(type);
    e.time = timestamp{1'000'000};
    e.principal = "tester";
    e.payload = {{"project_id", project}};
    auto stored = log->append({{e}});
    EXPECT_TRUE(stored[0]);
    hub.publish(*stored[0]);
    return (*stored[0])[0].seq;
  }
};

std::vector<global_seq> seqs(const std::vector<event_ptr>& events) {
  std::vector<global_seq> out;
  for (auto& e : events)
    out.push_back(e->seq);
  return out;
}

TEST(EventFeed, CatchesUpFromTheCursorThenGoesLiveWithoutGapOrDuplicate) {
  log_fixture f;
  for (int i = 0; i < 6; ++i)
    f.write(project_a);
  std::atomic<int> wakes{0};
  event_feed feed(*f.log, f.hub, {}, 2, [&] { ++wakes; });
  f.write(project_a);  // published after subscribing, before the catch-up read: seq 7
  std::vector<event_ptr> out;
  ASSERT_EQ(feed.next(out, 3), event_feed::status::events);
  EXPECT_EQ(seqs(out), (std::vector<global_seq>{3, 4, 5}));
  ASSERT_EQ(feed.next(out, 100), event_feed::status::events);
  EXPECT_EQ(seqs(out), (std::vector<global_seq>{6}));
  ASSERT_EQ(feed.next(out, 100), event_feed::status::events);
  EXPECT_EQ(seqs(out), (std::vector<global_seq>{7}));
  EXPECT_EQ(feed.next(out, 100), event_feed::status::idle);
  EXPECT_GE(wakes.load(), 1);
  f.write(project_a);
  ASSERT_EQ(feed.next(out, 100), event_feed::status::events);
  EXPECT_EQ(seqs(out), (std::vector<global_seq>{8}));
  EXPECT_EQ(feed.cursor(), 8u);
}

TEST(EventFeed, FiltersByProjectAndType) {
  log_fixture f;
  f.write(project_a);
  f.write(project_b);
  f.write(project_a, "task_claimed");
  event_feed feed(*f.log, f.hub, {project_a, {"task_claimed"}}, 0, [] {});
  f.write(project_b, "task_claimed");
  f.write(project_a, "task_claimed");
  std::vector<event_ptr> out, all;
  while (feed.next(out, 100) == event_feed::status::events)
    all.insert(all.end(), out.begin(), out.end());
  EXPECT_EQ(seqs(all), (std::vector<global_seq>{3, 5}));
  for (auto& e : all) {
    EXPECT_EQ(e->project, project_a);
    EXPECT_NE(e->json.find("\"seq\":" + std::to_string(e->seq)), std::string::npos);
  }
}

TEST(EventFeed, ASubscriberThatFallsBehindIsCutOffWithItsCursorAndWritersGoOn) {
  log_fixture f;  // queue limit 5
  event_feed feed(*f.log, f.hub, {}, 0, [] {});
  f.write(project_a);
  std::vector<event_ptr> out;
  ASSERT_EQ(feed.next(out, 100), event_feed::status::events);
  EXPECT_EQ(feed.cursor(), 1u);
  for (int i = 0; i < 20; ++i)
    f.write(project_a);  // never waits: the queue overflows and is dropped
  EXPECT_EQ(feed.next(out, 100), event_feed::status::cut_off);
  EXPECT_EQ(feed.cursor(), 1u);
  // Resuming from the cursor gives the rest, from the log.
  event_feed resumed(*f.log, f.hub, {}, feed.cursor(), [] {});
  std::vector<event_ptr> all;
  while (resumed.next(out, 7) == event_feed::status::events)
    all.insert(all.end(), out.begin(), out.end());
  ASSERT_EQ(all.size(), 20u);
  EXPECT_EQ(all.front()->seq, 2u);
  EXPECT_EQ(all.back()->seq, 21u);
}

TEST(SubscriptionHub, ForgetsSubscribersThatLeave) {
  log_fixture f;
  {
    event_feed feed(*f.log, f.hub, {}, 0, [] {});
    EXPECT_EQ(f.hub.subscribers(), 1u);
  }
  EXPECT_EQ(f.hub.subscribers(), 0u);
  f.write(project_a);  // nobody to serve: nothing happens
}

}  // namespace
}  // namespace tascade
