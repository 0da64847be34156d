#include "events/log_dump.hpp"

#include "events/codec/envelope_codec.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace tascade {

boost::json::object to_json_line(const event_record& rec) {
  return {{"seq", rec.seq},
          {"stream", rec.stream},
          {"version", rec.version},
          {"type", rec.type},
          {"schema", rec.schema},
          {"time", rec.time.iso()},
          {"principal", rec.principal},
          {"correlation_id", rec.correlation.empty() ? boost::json::value(nullptr)
                                                     : boost::json::value(rec.correlation)},
          {"idempotency_key", rec.idempotency_key.empty()
                                ? boost::json::value(nullptr)
                                : boost::json::value(rec.idempotency_key)},
          {"payload", rec.payload},
          {"prev_hash", to_hex(rec.prev_hash)},
          {"hash", to_hex(rec.hash)}};
}

caf::expected<uint64_t> dump_events(const event_log& log, const dump_filter& filter,
                                    std::ostream& out) {
  uint64_t written = 0;
  caf::error failure;
  auto scanned = log.scan(filter.after + 1, UINT64_MAX, [&](global_seq, std::string_view bytes) {
    auto rec = events::decode_record(bytes);
    if (!rec) {
      failure = std::move(rec.error());
      return false;
    }
    if (!filter.types.empty() &&
        std::find(filter.types.begin(), filter.types.end(), rec->type) == filter.types.end())
      return true;
    if (filter.since && rec->time < *filter.since)
      return true;
    if (filter.until && rec->time >= *filter.until)
      return true;
    if (filter.project) {
      // Every event of a project carries its id: the project stream, or project_id in payload.
      auto* pid = rec->payload.if_contains("project_id");
      bool mine = rec->stream == project_stream(*filter.project) ||
                  (pid && pid->is_string() && pid->get_string() == *filter.project);
      if (!mine)
        return true;
    }
    out << boost::json::serialize(to_json_line(*rec)) << '\n';
    ++written;
    return true;
  });
  if (!scanned)
    return std::move(scanned.error());
  if (failure)
    return failure;
  return written;
}

}  // namespace tascade
