#pragma once
/// Writes a realistic event log straight into an event_log, without a server: commands are
/// decided and applied by the same pure project and task rules the actors use, so every event
/// is one the server could have written, and the log replays and rebuilds like a real one. It
/// only skips the actors, HTTP and the per-command fsync (commands are appended in large
/// batches), so a million events take seconds instead of hours.

#include "events/event_log.hpp"
#include "tascade/ids.hpp"

#include <cstdint>
#include <functional>
#include <vector>

namespace tascade::bench {

struct log_shape {
  int projects = 1;
  int tasks_per_project = 1000;
  int deps = 1;          ///< dependencies per task, at most (to earlier tasks within `window`)
  int window = 64;
  /// When > 0, replaces the random edges: task i waits for task i - chain, so only `chain`
  /// tasks are claimable at once however large the project is.
  int chain = 0;
  /// Tasks (from the first of each project) that go through claim, `heartbeats` renewals,
  /// in_progress, implemented and integrated; the rest stay ready.
  int completed_per_project = 0;
  int heartbeats = 5;
};

struct generated_log {
  std::vector<project_id> projects;
  std::vector<std::vector<task_id>> tasks;  ///< per project, in creation order
  uint64_t events = 0;
};

/// Throws std::runtime_error when a rule refuses a generated command or the log fails.
/// `progress(events_so_far)` is called after each batch.
generated_log generate_log(event_log& log, const log_shape& shape,
                           const std::function<void(uint64_t)>& progress = {});

}  // namespace tascade::bench
