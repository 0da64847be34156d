#pragma once
/// Events of one task's lifecycle, recorded on the task's own stream `task:<uuid>`.
/// Times inside payloads (deadlines) are UTC microseconds; the envelope's time is "now".

#include "tascade/ids.hpp"
#include "tascade/time.hpp"
#include "tascade/vocabulary.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

namespace tascade::events {

/// An agent took the task: a new lease with the next fencing counter, and the execution
/// snapshot of what the agent was given.
struct task_claimed {
  static constexpr std::string_view type = "task_claimed";
  static constexpr uint16_t schema = 1;
  task_id task;
  project_id project;
  uuid lease;
  std::string token;
  std::string agent;
  uint64_t fencing = 0;
  int64_t ttl_micros = 0;
  timestamp expires_at;
  bool reservation_consumed = false;
  uuid snapshot;
  int64_t plan_version = 1;
  std::string work_spec_hash;
};

/// A heartbeat moved the lease's deadline.
struct lease_renewed {
  static constexpr std::string_view type = "lease_renewed";
  static constexpr uint16_t schema = 1;
  task_id task;
  project_id project;
  uuid lease;
  uint64_t fencing = 0;
  timestamp expires_at;
};

/// The lease's deadline passed without a heartbeat: the task is ready again, and the former
/// holder is fenced off.
struct lease_expired {
  static constexpr std::string_view type = "lease_expired";
  static constexpr uint16_t schema = 1;
  task_id task;
  project_id project;
  uuid lease;
  uint64_t fencing = 0;
  std::string agent;
  task_state from = task_state::claimed;
};

/// A hard reservation for one agent (state → reserved).
struct task_assigned {
  static constexpr std::string_view type = "task_assigned";
  static constexpr uint16_t schema = 1;
  task_id task;
  project_id project;
  uuid reservation;
  std::string assignee;
  std::string created_by;
  int64_t ttl_micros = 0;
  timestamp expires_at;
  /// The plan version the reservation was made on (0: not recorded, before issue 16). A start
  /// after a crash compares it with the task's last material change.
  int64_t plan_version = 0;
};

/// A reservation ended without a claim (state → ready). `reason`: "unassigned" or "expired".
struct reservation_released {
  static constexpr std::string_view type = "reservation_released";
  static constexpr uint16_t schema = 1;
  task_id task;
  project_id project;
  uuid reservation;
  std::string assignee;
  std::string reason;
};

/// The state-transition operation (spec §14 payload, plus what it ended).
struct task_state_transitioned {
  static constexpr std::string_view type = "task_state_transitioned";
  static constexpr uint16_t schema = 1;
  task_id task;
  project_id project;
  task_state from = task_state::ready;
  task_state to = task_state::ready;
  std::string actor;
  std::string reason;
  std::optional<std::string> reviewed_by;
  std::vector<std::string> review_evidence_refs;
  bool force = false;
  bool lease_released = false;
  bool reservation_released = false;
};

struct artifact_recorded {
  static constexpr std::string_view type = "artifact_recorded";
  static constexpr uint16_t schema = 1;
  uuid id;
  task_id task;
  project_id project;
  int64_t number = 0;
  std::string short_id;
  std::string agent;
  std::optional<std::string> branch;
  std::optional<std::string> commit_sha;
  std::optional<std::string> check_suite_ref;
  std::string check_status = "pending";
  std::vector<std::string> touched_files;
};

struct integration_attempt_enqueued {
  static constexpr std::string_view type = "integration_attempt_enqueued";
  static constexpr uint16_t schema = 1;
  uuid id;
  task_id task;
  project_id project;
  int64_t number = 0;
  std::string short_id;
  std::optional<std::string> base_sha;
  std::optional<std::string> head_sha;
  boost::json::object diagnostics;
};

struct integration_result_recorded {
  static constexpr std::string_view type = "integration_result_recorded";
  static constexpr uint16_t schema = 1;
  uuid id;
  task_id task;
  project_id project;
  std::string result;
  boost::json::object diagnostics;
};

/// Recorded on the project's stream: `by` reached `state`, which left `unlocked` with every
/// dependency satisfied, so they became claimable.
struct tasks_unlocked {
  static constexpr std::string_view type = "tasks_unlocked";
  static constexpr uint16_t schema = 1;
  project_id project;
  task_id by;
  task_state state = task_state::implemented;
  std::vector<task_id> unlocked;
};

}  // namespace tascade::events
