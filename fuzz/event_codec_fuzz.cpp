// Stored event bytes through the event codec's decoders: the envelope, the full decode with
// hash, the replay decoder and the payload codec. What decodes must encode and decode again.

#include "events/codec/envelope_codec.hpp"
#include "events/codec/payload_codec.hpp"
#include "events/codec/replay_decoder.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tascade;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)events::read_envelope(bytes);
  static events::replay_decoder replay;
  (void)replay.decode(bytes);
  auto rec = events::decode_record(bytes);
  if (!rec)
    return 0;
  if (auto ev = events::decode_payload(rec->type, rec->schema, rec->payload))
    (void)events::encode_payload(*ev);
  if (!events::decode_record(events::encode_record(*rec)))
    std::abort();  // a decoded record always encodes to bytes that decode
  return 0;
}
