#pragma once
/// Printing the log as JSON lines, for auditors and `tascade replay dump`.

#include "events/event_log.hpp"

#include <caf/expected.hpp>

#include <boost/json/object.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace tascade {

struct dump_filter {
  std::optional<std::string> project;  ///< project UUID: its stream and its tasks' events
  std::vector<std::string> types;      ///< event types to keep (empty = all)
  std::optional<timestamp> since;      ///< inclusive
  std::optional<timestamp> until;      ///< exclusive
  global_seq after = 0;                ///< start after this global sequence
};

/// The JSON-line form of one event (envelope fields plus payload).
boost::json::object to_json_line(const event_record& rec);

/// Writes the matching events, one JSON object per line. Returns how many were written.
/// Errors: `errc::storage_failure`.
caf::expected<uint64_t> dump_events(const event_log& log, const dump_filter& filter,
                                    std::ostream& out);

}  // namespace tascade
