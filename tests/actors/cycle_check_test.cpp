#include "actors/cycle_check.hpp"

#include <gtest/gtest.h>

#include <random>

namespace tascade {
namespace {

using graph = std::unordered_map<task_id, std::vector<task_id>>;

std::vector<task_id> make_ids(size_t n) {
  std::vector<task_id> ids(n);
  for (auto& id : ids)
    id = task_id::random();
  return ids;
}

TEST(CycleCheck, SelfEdgeAndDirectBackEdgeCloseCycles) {
  auto ids = make_ids(3);
  graph g{{ids[0], {ids[1]}}};
  EXPECT_TRUE(closes_cycle(g, ids[2], ids[2]));
  EXPECT_TRUE(closes_cycle(g, ids[1], ids[0]));
  EXPECT_FALSE(closes_cycle(g, ids[0], ids[2]));
  EXPECT_FALSE(closes_cycle(g, ids[1], ids[2]));
}

TEST(CycleCheck, LongChainRejectsTheClosingEdgeOnly) {
  constexpr size_t n = 100'000;
  auto ids = make_ids(n);
  graph g;
  for (size_t i = 0; i + 1 < n; ++i)
    g[ids[i]].push_back(ids[i + 1]);
  EXPECT_TRUE(closes_cycle(g, ids[n - 1], ids[0]));
  EXPECT_TRUE(closes_cycle(g, ids[n / 2], ids[n / 4]));
  EXPECT_FALSE(closes_cycle(g, ids[0], ids[n - 1]));  // a shortcut forward is fine
}

TEST(CycleCheck, RandomDagAgreesWithTopologicalOrder) {
  // Edges only go from lower to higher index, so the graph is a DAG; an edge from a higher to a
  // lower index closes a cycle exactly when the lower one reaches the higher one.
  constexpr size_t n = 2'000;
  auto ids = make_ids(n);
  std::mt19937 rng{12345};
  graph g;
  std::vector<std::vector<bool>> reach(n, std::vector<bool>(n, false));
  for (size_t i = 0; i < n; ++i)
    reach[i][i] = true;
  for (int k = 0; k < 6'000; ++k) {
    size_t a = rng() % n, b = rng() % n;
    if (a == b)
      continue;
    if (a > b)
      std::swap(a, b);
    g[ids[a]].push_back(ids[b]);
  }
  // Reachability by dynamic programming from the highest index down.
  for (size_t i = n; i-- > 0;)
    for (auto& next : g[ids[i]]) {
      size_t j = size_t(std::find(ids.begin(), ids.end(), next) - ids.begin());
      for (size_t x = 0; x < n; ++x)
        if (reach[j][x])
          reach[i][x] = true;
    }
  for (int k = 0; k < 500; ++k) {
    size_t lo = rng() % n, hi = rng() % n;
    if (lo >= hi)
      continue;
    EXPECT_EQ(closes_cycle(g, ids[hi], ids[lo]), bool(reach[lo][hi])) << lo << " -> " << hi;
    EXPECT_FALSE(closes_cycle(g, ids[lo], ids[hi]));
  }
}

}  // namespace
}  // namespace tascade
