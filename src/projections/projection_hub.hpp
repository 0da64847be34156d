#pragma once
/// Owns the read models and guards them: the log writer applies committed batches under an
/// exclusive lock; queries read under a shared lock from any thread.

#include "projections/read_model.hpp"

#include <shared_mutex>
#include <vector>

namespace tascade {

class projection_hub {
 public:
  /// Applies a durable batch in global order. Log writer thread (or replay) only.
  void apply(const std::vector<event_record>& batch);
  void apply(const event_record& rec);
  /// Replaces the model wholesale (a checkpoint loaded at start, before any writer runs).
  void restore(read_model&& model);

  /// Runs `fn(const read_model&)` under the shared lock and returns its result. Keep `fn`
  /// short: it holds writers back while it runs.
  template <class Fn>
  auto read(Fn&& fn) const {
    std::shared_lock lock{mutex_};
    return fn(model_);
  }

 private:
  mutable std::shared_mutex mutex_;
  read_model model_;
};

}  // namespace tascade
