#pragma once
/// The stored bytes of one event (the value in the `events` column family).
///
///   offset  size  field
///   ------  ----  -----------------------------------------------------------
///        0     1  format version (1)
///        1     1  flags: bit 0 = payload is a zstd frame
///        2     2  payload schema version              (big-endian)
///        4     8  global sequence                     (big-endian)
///       12     8  stream version                      (big-endian)
///       20     8  timestamp, UTC microseconds         (big-endian, two's complement)
///       28    32  SHA-256 of the previous event's bytes (zeros before the first event)
///       60     …  stream, type, principal, correlation, idempotency key:
///                 each a u32 big-endian length followed by that many bytes
///        …     …  payload: u32 big-endian length, then JSON text or its zstd frame
///
/// The hash of an event is SHA-256 over exactly these bytes, so each event seals its
/// predecessor: changing or removing any event breaks every later link.

#include "tascade/event_record.hpp"

#include <caf/expected.hpp>

#include <string>
#include <string_view>

namespace tascade::events {

/// Payloads whose JSON text is longer than this are stored zstd-compressed.
inline constexpr size_t compress_threshold = 1024;

/// The envelope of stored bytes, read in place: the views point into those bytes. For readers
/// that need a few fields of every event (verification, replay) without copying any.
struct envelope_view {
  uint8_t flags = 0;
  uint16_t schema = 0;
  global_seq seq = 0;
  stream_version version = 0;
  timestamp time;
  std::string_view prev_hash;  ///< 32 bytes
  std::string_view stream;
  std::string_view type;
  std::string_view principal;
  std::string_view correlation;
  std::string_view idempotency_key;
  std::string_view body;  ///< the payload as stored (JSON text, or its zstd frame)

  bool compressed() const;
  bool prev_hash_is(const sha256_digest& d) const;
};

/// Whether a zstd frame of `frame_bytes` bytes can decompress to the `content_size` its header
/// claims: each block yields at most 128 KiB (ZSTD_BLOCKSIZE_MAX) and costs at least a 3-byte
/// header, so a larger claim is corruption, refused before anything is allocated for it.
bool zstd_content_size_possible(uint64_t content_size, size_t frame_bytes);

/// Reads the envelope of stored bytes. Errors: `errc::storage_failure` for malformed bytes.
caf::expected<envelope_view> read_envelope(std::string_view bytes);

/// Encodes `rec` (its `hash` field is ignored) into the stored bytes.
std::string encode_record(const event_record& rec);

/// Decodes stored bytes, computing `hash`. With `parse_payload` false the payload stays empty
/// (cheap path for chain verification); with `compute_hash` false `hash` stays zero (cheap path
/// for projections, which never read it). Errors: `errc::storage_failure` for malformed bytes.
caf::expected<event_record> decode_record(std::string_view bytes, bool parse_payload = true,
                                          bool compute_hash = true);

}  // namespace tascade::events
