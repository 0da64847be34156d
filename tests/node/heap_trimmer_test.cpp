// The heap trimmer gives freed arena pages back to the system once they add up, and leaves
// memory in use alone.

#include "app/heap_trimmer.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <thread>
#include <vector>

namespace tascade {
namespace {

constexpr uint64_t MiB = uint64_t{1} << 20;

/// 64 MiB in small blocks (below any mmap threshold, so they come from the heap), touched,
/// then freed except a block allocated last, which keeps the freed range from being the top
/// of the heap (glibc would shrink the top by itself): the freed pages stay resident.
struct freed_heap {
  std::unique_ptr<char[]> pin;
  freed_heap() {
    std::vector<std::unique_ptr<char[]>> blocks;
    for (int i = 0; i < 64 * 1024; ++i) {
      blocks.emplace_back(new char[1000]);
      std::memset(blocks.back().get(), i & 0xff, 1000);
    }
    pin.reset(new char[1000]);
    std::memset(pin.get(), 1, 1000);
  }
};

TEST(HeapTrimmer, ReturnsFreedPagesOnceTheyAddUp) {
  heap_trimmer trimmer(16 * MiB, std::chrono::hours(1));  // its own thread stays asleep
  ASSERT_GT(resident_bytes(), 0u);
  EXPECT_FALSE(trimmer.trim_if_grown());  // nothing grew yet
  freed_heap garbage;
  auto before = resident_bytes();
  EXPECT_TRUE(trimmer.trim_if_grown());
  auto after = resident_bytes();
  EXPECT_LT(after + 32 * MiB, before) << "before " << before << " after " << after;
  EXPECT_EQ(trimmer.trims(), 1u);
  EXPECT_FALSE(trimmer.trim_if_grown());  // the baseline moved down with the trim
}

TEST(HeapTrimmer, MemoryInUseIsNoReasonToTrim) {
  heap_trimmer trimmer(16 * MiB, std::chrono::hours(1));
  std::vector<std::unique_ptr<char[]>> held;
  for (int i = 0; i < 64 * 1024; ++i) {
    held.emplace_back(new char[1000]);
    std::memset(held.back().get(), i & 0xff, 1000);
  }
  EXPECT_FALSE(trimmer.trim_if_grown());  // resident grew by 64 MiB, but all of it is held
  EXPECT_EQ(trimmer.trims(), 0u);
}

TEST(HeapTrimmer, ItsThreadTrimsOnItsOwn) {
  heap_trimmer trimmer(16 * MiB, std::chrono::milliseconds(20));
  freed_heap garbage;
  for (int i = 0; i < 250 && trimmer.trims() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_GE(trimmer.trims(), 1u);
}

}  // namespace
}  // namespace tascade
