#include "app/heap_trimmer.hpp"

#include <spdlog/spdlog.h>

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace tascade {

uint64_t resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f)
    return 0;
  unsigned long long size = 0, resident = 0;
  int got = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  return got == 2 ? uint64_t(resident) * uint64_t(sysconf(_SC_PAGESIZE)) : 0;
}

uint64_t heap_slack() {
  auto info = mallinfo2();
  auto handed_out = uint64_t(info.uordblks) + uint64_t(info.hblkhd);
  auto resident = resident_bytes();
  return resident > handed_out ? resident - handed_out : 0;
}

heap_trimmer::heap_trimmer(uint64_t growth, std::chrono::milliseconds period)
    : growth_(growth), period_(period), baseline_(heap_slack()) {
  thread_ = std::thread([this] { run(); });
}

heap_trimmer::~heap_trimmer() {
  {
    std::lock_guard lock{mutex_};
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

void heap_trimmer::run() {
  std::unique_lock lock{mutex_};
  auto wait = period_;
  while (!stopping_) {
    wake_.wait_for(lock, wait, [this] { return stopping_; });
    if (stopping_)
      break;
    lock.unlock();
    trim_if_grown();
    lock.lock();
    // mallinfo2 walks malloc's free lists holding each arena's lock in turn; on a badly
    // fragmented heap that takes tens of ms (64 ms for a million free chunks), so the thread
    // spends at most about 1 % of the time looking. (A trim, rare, is not counted.)
    wait = std::max(period_, std::chrono::duration_cast<std::chrono::milliseconds>(look_ * 100));
  }
}

bool heap_trimmer::trim_if_grown() {
  auto t0 = std::chrono::steady_clock::now();
  auto now = heap_slack();
  auto look = std::chrono::steady_clock::now() - t0;
  {
    std::lock_guard lock{mutex_};
    look_ = look;
    if (now < baseline_) {
      baseline_ = now;  // freed pages were reused, or went back by themselves: follow down
      return false;
    }
    if (now - baseline_ < growth_)
      return false;
  }
  trim();
  return true;
}

void heap_trimmer::trim() {
  auto before = resident_bytes();
  auto t0 = std::chrono::steady_clock::now();
  malloc_trim(0);
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0);
  auto after = resident_bytes();
  auto slack = heap_slack();
  std::lock_guard lock{mutex_};
  baseline_ = slack;
  ++trims_;
  spdlog::debug("heap trimmed: resident {} MB -> {} MB in {:.1f} ms", before >> 20, after >> 20,
                ms.count());
}

uint64_t heap_trimmer::trims() const {
  std::lock_guard lock{mutex_};
  return trims_;
}

}  // namespace tascade
