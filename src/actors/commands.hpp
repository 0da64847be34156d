#pragma once
/// The commands actors accept (imperative names) and their replies. References that arrive as
/// strings stay strings here: deciding that a malformed id means "not found" is a domain rule.

#include "events/events.hpp"
#include "tascade/event_record.hpp"
#include "tascade/ids.hpp"

#include <caf/allowed_unsafe_message_type.hpp>

#include <optional>
#include <string>
#include <vector>

namespace tascade {

/// Who sent a command, for the envelope's principal and correlation id.
struct command_meta {
  std::string principal = "anonymous";
  std::string correlation;
  std::string idempotency_key{};  ///< the client's Idempotency-Key, kept in the envelope
  std::string idempotency_scope{};  ///< where its result is filed (see `new_event`)
};

struct create_project {
  command_meta meta;
  std::string name;
};

struct create_phase {
  command_meta meta;
  std::string project;
  std::string name;
  int64_t sequence = 0;
};

struct create_milestone {
  command_meta meta;
  std::string project;
  std::optional<std::string> phase;
  std::string name;
  int64_t sequence = 0;
};

struct create_task {
  command_meta meta;
  std::string project;
  std::optional<std::string> phase;
  std::optional<std::string> milestone;
  std::string title;
  std::optional<std::string> description;
  int64_t priority = 100;
  boost::json::object work_spec;
  task_class klass = task_class::other;
  std::vector<std::string> capability_tags;
  std::vector<std::string> expected_touches;
  std::vector<std::string> exclusive_paths;
  std::vector<std::string> shared_paths;
};

struct add_dependency {
  command_meta meta;
  std::string project;
  std::string from;
  std::string to;
  unlock_on unlock = unlock_on::implemented;
};

/// The reply to a successful command: the records the log stored for it.
struct command_done {
  std::vector<event_record> records;
};

}  // namespace tascade

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::create_project)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::create_phase)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::create_milestone)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::create_task)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::add_dependency)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::command_done)
