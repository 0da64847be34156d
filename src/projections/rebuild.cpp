#include "projections/rebuild.hpp"

#include "events/codec/envelope_codec.hpp"
#include "projections/projection_hub.hpp"
#include "tascade/errc.hpp"

namespace tascade {

caf::expected<uint64_t> rebuild_projections(
  const event_log& log, projection_hub& hub,
  const std::function<void(uint64_t, uint64_t)>& progress) {
  uint64_t applied = 0;
  caf::error failure;
  auto from = hub.read([](const read_model& m) { return m.checkpoint(); }) + 1;
  auto total = log.head();
  auto scanned = log.scan(from, total, [&](global_seq, std::string_view bytes) {
    auto rec = events::decode_record(bytes, true, false);  // projections never read the hash
    if (!rec) {
      failure = std::move(rec.error());
      return false;
    }
    hub.apply(*rec);
    ++applied;
    if (progress && (applied & 0xffff) == 0)
      progress(applied, total);
    return true;
  });
  if (!scanned)
    return std::move(scanned.error());
  if (failure)
    return failure;
  if (progress)
    progress(applied, total);
  return applied;
}

}  // namespace tascade
