// Aggregation of refusals into auth_denied events (issue 16): a flood cannot fill the log.

#include "actors/denial_window.hpp"

#include <gtest/gtest.h>

namespace tascade {
namespace {

constexpr int64_t minute = 60'000'000;

denial refusal(std::string key = "k1", std::string endpoint = "assign_task") {
  denial d;
  d.key_id = std::move(key);
  d.key_name = "agent-a";
  d.key_project = "p";
  d.reason = "insufficient_role";
  d.endpoint = std::move(endpoint);
  d.caller_roles = {"reviewer", "agent"};
  d.required_roles = {"planner", "admin", "operator"};
  d.project = "p";
  return d;
}

TEST(DenialWindow, TheFirstRefusalIsRecordedAtOnceTheRestWhenTheWindowCloses) {
  denial_window w;
  auto first = w.add(refusal(), timestamp{10 * minute + 5});
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].count, 1);
  EXPECT_EQ(first[0].window_start, timestamp{10 * minute});
  EXPECT_EQ(first[0].window_end, timestamp{11 * minute});
  EXPECT_EQ(first[0].caller_roles, (std::vector<std::string>{"agent", "reviewer"}));
  EXPECT_EQ(first[0].required_roles, (std::vector<std::string>{"admin", "operator", "planner"}));
  for (int i = 0; i < 1000; ++i)
    EXPECT_TRUE(w.add(refusal(), timestamp{10 * minute + 100 + i}).empty());
  EXPECT_EQ(w.next_close(), timestamp{11 * minute});
  EXPECT_TRUE(w.close(timestamp{11 * minute - 1}).empty());  // still open
  auto rest = w.close(timestamp{11 * minute});
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].count, 1000);
  EXPECT_EQ(rest[0].window_start, timestamp{10 * minute});
  EXPECT_FALSE(w.next_close());
  EXPECT_TRUE(w.close(timestamp{20 * minute}).empty());
}

TEST(DenialWindow, KindsAreCountedApart) {
  denial_window w;
  timestamp now{3 * minute};
  EXPECT_EQ(w.add(refusal("k1"), now).size(), 1u);
  EXPECT_EQ(w.add(refusal("k2"), now).size(), 1u);
  EXPECT_EQ(w.add(refusal("k1", "create_task"), now).size(), 1u);
  auto scope = refusal("k1");
  scope.reason = "project_scope_violation";
  EXPECT_EQ(w.add(scope, now).size(), 1u);
  EXPECT_TRUE(w.add(refusal("k1"), now).empty());
  // Kinds with nothing beyond their first refusal write nothing more.
  auto rest = w.close(timestamp{4 * minute});
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].key_id, "k1");
  EXPECT_EQ(rest[0].endpoint, "assign_task");
  EXPECT_EQ(rest[0].count, 1);
}

TEST(DenialWindow, ANewWindowRecordsWhatTheClosedOneCounted) {
  denial_window w;
  w.add(refusal(), timestamp{minute});
  w.add(refusal(), timestamp{minute + 1});
  w.add(refusal(), timestamp{minute + 2});
  auto next = w.add(refusal(), timestamp{2 * minute + 7});
  ASSERT_EQ(next.size(), 2u);
  EXPECT_EQ(next[0].count, 2);  // the closed window's rest
  EXPECT_EQ(next[0].window_start, timestamp{minute});
  EXPECT_EQ(next[1].count, 1);  // the new window's first
  EXPECT_EQ(next[1].window_start, timestamp{2 * minute});
  // Closing everything (an orderly stop) hands back every count.
  w.add(refusal(), timestamp{2 * minute + 8});
  auto all = w.close(timestamp{2 * minute + 9}, true);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].count, 1);
}

}  // namespace
}  // namespace tascade
