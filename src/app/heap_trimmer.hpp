#pragma once
/// Gives freed heap memory back to the system. glibc's malloc keeps what a thread frees in
/// that thread's arena, resident, for reuse; a server whose big transient work runs on a few
/// threads (a project actor's rehydration and snapshots, read-model checkpoints, large
/// replies) keeps hundreds of MB of such free pages after the work is done. A thread looks
/// now and then at the slack — resident bytes minus the bytes malloc has handed out — and,
/// once it grew by `growth` bytes since the last trim, calls malloc_trim(0), which returns
/// every whole free page of every arena. (Resident growth alone is no trigger: the big work
/// grows it while it runs, and the trim that matters is after it frees.) A look costs one
/// read of /proc/self/statm and a mallinfo2() (a walk of malloc's free lists, under each
/// arena's lock in turn); when looks get slow, the thread looks less often (≤ 1 % of the time).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace tascade {

class heap_trimmer {
 public:
  heap_trimmer(uint64_t growth = uint64_t{16} << 20,
               std::chrono::milliseconds period = std::chrono::milliseconds{1000});
  ~heap_trimmer();
  heap_trimmer(const heap_trimmer&) = delete;
  heap_trimmer& operator=(const heap_trimmer&) = delete;

  /// Trims if the slack grew by the threshold since the last trim; returns whether it
  /// trimmed. The thread calls it every period; callers may after known transient work.
  bool trim_if_grown();
  /// Trims now and takes the slack after it as the new baseline.
  void trim();
  /// Trims done so far (for tests and logs).
  uint64_t trims() const;

 private:
  void run();

  const uint64_t growth_;
  const std::chrono::milliseconds period_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  uint64_t baseline_ = 0;  ///< slack right after the last trim
  uint64_t trims_ = 0;
  std::chrono::steady_clock::duration look_{};  ///< how long the last look took
  std::thread thread_;
};

/// Resident bytes of this process (VmRSS), 0 when /proc cannot be read.
uint64_t resident_bytes();
/// Resident bytes not handed out by malloc: free heap pages still resident, plus everything
/// resident that is not heap (code, stacks), which stays about the same.
uint64_t heap_slack();

}  // namespace tascade
