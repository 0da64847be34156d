#pragma once
/// Aggregation of refused requests into `auth_denied` events (spec §4.4, §14; issue 16), so a
/// flood of refusals cannot fill the log: per key, endpoint and reason, the first refusal of a
/// one-minute window is recorded at once (count 1) and the rest as one event with their count
/// when the window closes. Pure: time is passed in. Runs inside the keyring actor.

#include "events/key_events.hpp"
#include "tascade/ids.hpp"
#include "tascade/time.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace tascade {

/// One refusal by the authorization check, as the catalogue saw it.
struct denial {
  std::string key_id;
  std::string key_name;
  std::string key_project;  ///< the key's project, or "*"
  std::string reason;       ///< "project_scope_violation" or "insufficient_role"
  std::string endpoint;     ///< the operation's name
  std::vector<std::string> caller_roles;
  std::vector<std::string> required_roles;  ///< the accepted roles and admin
  std::string project;      ///< the target project
  std::optional<task_id> task;
};

class denial_window {
 public:
  /// Windows of `length_micros`, aligned to multiples of it (one minute by default).
  explicit denial_window(int64_t length_micros = 60'000'000) : length_(length_micros) {}

  /// Counts `d` at `now`. Returns the events to record now: for the first refusal of its kind
  /// in the current window, the rest of that kind's closed window (if it counted any) and the
  /// new window's first event (count 1); later refusals in the window are only counted.
  std::vector<events::auth_denied> add(const denial& d, timestamp now);

  /// The events of windows closed by `now` (all of them when `everything`): one per kind that
  /// counted refusals beyond its first, with that count. Forgets the closed windows.
  std::vector<events::auth_denied> close(timestamp now, bool everything = false);

  /// When the earliest open window with uncounted refusals closes; nullopt when none.
  std::optional<timestamp> next_close() const;

 private:
  using kind = std::tuple<std::string, std::string, std::string>;  // key, endpoint, reason
  struct open_window {
    int64_t start = 0;
    events::auth_denied first;  ///< as recorded; `count` there is 1
    int64_t more = 0;           ///< refusals after the first, not yet recorded
  };
  events::auth_denied rest_of(const open_window& w) const;

  int64_t length_;
  std::map<kind, open_window> open_;
};

}  // namespace tascade
