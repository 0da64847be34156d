// The bench tools' latency histogram: exact below 128 µs, within 1/64 above, and percentiles
// taken from counts.

#include "tools/bench/histogram.hpp"

#include <gtest/gtest.h>

namespace tascade::bench {
namespace {

TEST(BenchHistogram, SmallValuesAreExact) {
  histogram h;
  for (uint64_t v = 0; v < 100; ++v)
    h.record(v);
  EXPECT_EQ(h.count(), 100u);
  EXPECT_EQ(h.percentile(0.5), 49u);
  EXPECT_EQ(h.percentile(0.99), 98u);
  EXPECT_EQ(h.max(), 99u);
}

TEST(BenchHistogram, LargeValuesStayWithinOneStep) {
  for (uint64_t v : {128ull, 1000ull, 12345ull, 987654ull, 5000000000ull}) {
    histogram h;
    h.record(v);
    auto p = h.percentile(0.5);
    EXPECT_LE(p, v);  // capped by the maximum seen
    histogram wide;
    wide.record(v);
    wide.record(v * 4);  // the median bucket's upper bound is now not capped by the maximum
    auto upper = wide.percentile(0.0);
    EXPECT_GE(upper, v);
    EXPECT_LE(double(upper - v), double(v) / 64.0) << v;
  }
}

TEST(BenchHistogram, PercentilesFollowCountsAndMergeAddsThem) {
  histogram fast, slow;
  for (int i = 0; i < 990; ++i)
    fast.record(100);
  for (int i = 0; i < 10; ++i)
    slow.record(50000);
  fast.merge(slow);
  EXPECT_EQ(fast.count(), 1000u);
  EXPECT_EQ(fast.percentile(0.5), 100u);
  EXPECT_EQ(fast.percentile(0.99), 100u);
  EXPECT_GE(fast.percentile(0.999), 49000u);
  EXPECT_EQ(fast.max(), 50000u);
}

}  // namespace
}  // namespace tascade::bench
