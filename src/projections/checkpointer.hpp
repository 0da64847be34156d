#pragma once
/// Writes read-model checkpoints in the background: a thread looks now and then at how far the
/// projections got and, once `every` events have been applied since the last checkpoint,
/// writes a new one (encoding holds the projections' shared lock; compression and storage
/// do not). The final checkpoint of an orderly stop is written by the node.

#include "events/event_log.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace tascade {

class projection_hub;

class checkpointer {
 public:
  /// `written`: the sequence of the newest stored checkpoint (0 when none). Writes one at once
  /// if `every` events were replayed since it.
  checkpointer(event_log& log, const projection_hub& hub, uint64_t every, global_seq written,
               std::chrono::milliseconds poll = std::chrono::milliseconds{1000});
  ~checkpointer();

  checkpointer(const checkpointer&) = delete;
  checkpointer& operator=(const checkpointer&) = delete;

  /// Stops the thread (waiting for a checkpoint being written), then writes one more if the
  /// projections moved since the last; idempotent.
  void finish();
  /// The sequence of the newest checkpoint written or loaded.
  global_seq written() const;

 private:
  void run();
  void write_if_due(uint64_t every);

  event_log& log_;
  const projection_hub& hub_;
  uint64_t every_;
  std::chrono::milliseconds poll_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool finished_ = false;
  global_seq written_;
  std::thread thread_;
};

}  // namespace tascade
