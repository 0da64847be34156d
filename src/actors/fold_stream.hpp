#pragma once
/// Rehydration's common step: decode a stream's events after a version and fold each into an
/// actor's state with its `apply`.

#include "events/codec/payload_codec.hpp"
#include "events/event_log.hpp"

#include <caf/expected.hpp>

#include <utility>

namespace tascade {

// `fold(const events::event&)` is the caller's `tascade::apply` on its state. (Called here
// unqualified, `apply` would find std::apply through the variant's namespace.)

/// Decodes `rec` and folds its event. Errors: `errc::storage_failure` for an undecodable event.
template <class Fold>
caf::expected<void> fold_record(const event_record& rec, Fold&& fold) {
  auto ev = events::decode_payload(rec.type, rec.schema, rec.payload);
  if (!ev)
    return std::move(ev.error());
  fold(std::as_const(*ev));
  return {};
}

/// Folds the events of `stream` with version > `after`, in stream order.
template <class Fold>
caf::expected<void> fold_stream(const event_log& log, const std::string& stream,
                                stream_version after, Fold&& fold) {
  auto records = log.read_stream(stream, after);
  if (!records)
    return std::move(records.error());
  for (auto& rec : *records)
    if (auto ok = fold_record(rec, fold); !ok)
      return ok;
  return {};
}

}  // namespace tascade
