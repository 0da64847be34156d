#pragma once
/// Events of API keys, on the `keyring` stream. Only the key's SHA-256 is ever recorded.

#include "tascade/ids.hpp"
#include "tascade/time.hpp"

#include <optional>
#include <string>
#include <vector>

namespace tascade::events {

/// A key was issued. `project` is a project UUID, or "*" for a global key.
struct key_created {
  static constexpr std::string_view type = "key_created";
  static constexpr uint16_t schema = 1;
  uuid id;
  std::string project;
  std::string name;
  std::vector<std::string> roles;
  std::string hash;  ///< lowercase hex SHA-256 of the raw key
  std::string created_by;
};

struct key_revoked {
  static constexpr std::string_view type = "key_revoked";
  static constexpr uint16_t schema = 1;
  uuid id;
  std::string project;
  std::string revoked_by;
};

/// Requests of one key refused by the authorization check (spec §4.4, §14), aggregated so a
/// flood cannot fill the log: `count` refusals of `key_id` on `endpoint` for `reason` within
/// [window_start, window_end). The first refusal of a window is recorded at once (count 1), the
/// rest in one more event when the window closes. `project` and `task` are the target of the
/// window's first refusal; `task` puts the event on that task's timeline.
struct auth_denied {
  static constexpr std::string_view type = "auth_denied";
  static constexpr uint16_t schema = 1;
  std::string project;      ///< the target project (the event's project_id)
  std::string key_id;
  std::string key_name;     ///< the reference's caused_by
  std::string key_project;  ///< the key's project UUID, or "*"
  std::string reason;       ///< "project_scope_violation" or "insufficient_role"
  std::string endpoint;     ///< the operation's name (the spec's internal endpoint name)
  std::vector<std::string> caller_roles;    ///< sorted
  std::vector<std::string> required_roles;  ///< sorted, with "admin"
  std::optional<task_id> task;
  int64_t count = 1;
  timestamp window_start;
  timestamp window_end;
};

}  // namespace tascade::events
