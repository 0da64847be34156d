#pragma once
/// Decodes stored events one after another, as replay reads the log, without allocating per
/// event: the envelope's strings reuse the record's buffers, compressed payloads one zstd
/// context and buffer, and the payload JSON is parsed by one reused parser into an arena that
/// the next event recycles.

#include "tascade/event_record.hpp"

#include <boost/json/storage_ptr.hpp>
#include <caf/expected.hpp>

#include <memory>
#include <string_view>

namespace tascade::events {

class replay_decoder {
 public:
  replay_decoder();
  ~replay_decoder();
  replay_decoder(const replay_decoder&) = delete;
  replay_decoder& operator=(const replay_decoder&) = delete;

  /// Decodes `bytes` like `decode_record(bytes, true, false)` (no hash: replay never reads it).
  /// The record, payload included, is valid until the next call. Whatever is kept of it must be
  /// copied; the payload codec copies (see field_reader.hpp). Errors: as `decode_record`.
  caf::expected<const event_record*> decode(std::string_view bytes);

  /// Decodes `bytes` into `rec` (reusing its strings' buffers), with the payload allocated from
  /// `payload_storage`, which must outlive the payload; so must the storage of `rec`'s previous
  /// payload, which is destroyed here. Errors: as `decode_record`.
  caf::error decode_into(std::string_view bytes, event_record& rec,
                         const boost::json::storage_ptr& payload_storage);

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace tascade::events
