#include "events/codec/replay_decoder.hpp"

#include "events/codec/envelope_codec.hpp"
#include "tascade/errc.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>
#include <zstd.h>

#include <cstring>
#include <memory>

namespace tascade::events {

namespace json = boost::json;

namespace {

// A record's payload keeps the storage it was made with: assignment would copy into the old
// storage, so the member is re-created instead.
void set_payload(event_record& rec, json::object&& o) {
  std::destroy_at(&rec.payload);
  std::construct_at(&rec.payload, std::move(o));
}

caf::error corrupt(const char* what) {
  return make_error(errc::storage_failure, std::string("corrupt event: ") + what);
}

}  // namespace

struct replay_decoder::state {
  // Most payloads' trees fit the first block; bigger ones take more, returned at the next event.
  static constexpr size_t first_block = 16 * 1024;
  alignas(std::max_align_t) unsigned char block[first_block];
  json::monotonic_resource arena{block, first_block};
  json::parser parser;
  ZSTD_DCtx* zstd = ZSTD_createDCtx();
  std::string unpacked;
  event_record rec;  // destroyed before the arena its payload lives in

  ~state() {
    set_payload(rec, json::object());
    ZSTD_freeDCtx(zstd);
  }
};

replay_decoder::replay_decoder() : state_(std::make_unique<state>()) {}
replay_decoder::~replay_decoder() = default;

caf::expected<const event_record*> replay_decoder::decode(std::string_view bytes) {
  auto& s = *state_;
  set_payload(s.rec, json::object());  // before its arena is recycled
  s.arena.release();
  if (auto failure = decode_into(bytes, s.rec, &s.arena))
    return failure;
  return &s.rec;
}

caf::error replay_decoder::decode_into(std::string_view bytes, event_record& rec,
                                       const json::storage_ptr& payload_storage) {
  auto env = read_envelope(bytes);
  if (!env)
    return std::move(env.error());
  auto& s = *state_;
  rec.seq = env->seq;
  rec.version = env->version;
  rec.schema = env->schema;
  rec.time = env->time;
  std::memcpy(rec.prev_hash.data(), env->prev_hash.data(), rec.prev_hash.size());
  rec.stream.assign(env->stream);
  rec.type.assign(env->type);
  rec.principal.assign(env->principal);
  rec.correlation.assign(env->correlation);
  rec.idempotency_key.assign(env->idempotency_key);
  auto body = env->body;
  if (env->compressed()) {
    auto size = ZSTD_getFrameContentSize(body.data(), body.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
        !zstd_content_size_possible(size, body.size()))
      return corrupt("bad zstd frame");
    s.unpacked.resize(size);
    auto n = ZSTD_decompressDCtx(s.zstd, s.unpacked.data(), size, body.data(), body.size());
    if (ZSTD_isError(n) || n != size)
      return corrupt("bad zstd frame");
    body = s.unpacked;
  }
  s.parser.reset(payload_storage);
  boost::system::error_code ec;
  s.parser.write(body.data(), body.size(), ec);
  if (ec)
    return corrupt("payload is not a JSON object");
  auto value = s.parser.release();
  if (!value.is_object())
    return corrupt("payload is not a JSON object");
  set_payload(rec, std::move(value.get_object()));
  return {};
}

}  // namespace tascade::events
