#include "events/codec/envelope_codec.hpp"

#include "events/sha256.hpp"
#include "tascade/errc.hpp"
#include "tascade/finite_json.hpp"

#include <boost/json.hpp>
#include <zstd.h>

#include <cstring>

namespace tascade::events {

namespace {

constexpr uint8_t format_version = 1;
constexpr uint8_t flag_zstd = 1;
constexpr size_t header_size = 60;

void put_u16(std::string& out, uint16_t v) {
  out.push_back(char(v >> 8));
  out.push_back(char(v));
}
void put_u32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(char(v >> shift));
}
void put_u64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out.push_back(char(v >> shift));
}
void put_bytes(std::string& out, std::string_view s) {
  put_u32(out, uint32_t(s.size()));
  out.append(s);
}

struct cursor {
  std::string_view in;
  size_t pos = 0;
  bool ok = true;

  uint64_t big_endian(size_t n) {
    if (pos + n > in.size()) {
      ok = false;
      return 0;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i)
      v = (v << 8) | uint8_t(in[pos + i]);
    pos += n;
    return v;
  }
  std::string_view bytes() {
    auto n = big_endian(4);
    if (!ok || pos + n > in.size()) {
      ok = false;
      return {};
    }
    auto s = in.substr(pos, n);
    pos += n;
    return s;
  }
};

}  // namespace

std::string encode_record(const event_record& rec) {
  auto text = boost::json::serialize(rec.payload);
  uint8_t flags = 0;
  std::string body = std::move(text);
  if (body.size() > compress_threshold) {
    std::string packed(ZSTD_compressBound(body.size()), '\0');
    auto n = ZSTD_compress(packed.data(), packed.size(), body.data(), body.size(), 3);
    if (!ZSTD_isError(n)) {
      packed.resize(n);
      body = std::move(packed);
      flags |= flag_zstd;
    }
  }
  std::string out;
  out.reserve(header_size + 5 * 4 + rec.stream.size() + rec.type.size() + rec.principal.size() +
              rec.correlation.size() + rec.idempotency_key.size() + 4 + body.size());
  out.push_back(char(format_version));
  out.push_back(char(flags));
  put_u16(out, rec.schema);
  put_u64(out, rec.seq);
  put_u64(out, rec.version);
  put_u64(out, uint64_t(rec.time.micros));
  out.append(reinterpret_cast<const char*>(rec.prev_hash.data()), rec.prev_hash.size());
  put_bytes(out, rec.stream);
  put_bytes(out, rec.type);
  put_bytes(out, rec.principal);
  put_bytes(out, rec.correlation);
  put_bytes(out, rec.idempotency_key);
  put_bytes(out, body);
  return out;
}

bool zstd_content_size_possible(uint64_t content_size, size_t frame_bytes) {
  return content_size <= (uint64_t(frame_bytes) / 3 + 1) * ZSTD_BLOCKSIZE_MAX;
}

bool envelope_view::compressed() const { return (flags & flag_zstd) != 0; }

bool envelope_view::prev_hash_is(const sha256_digest& d) const {
  return std::memcmp(prev_hash.data(), d.data(), d.size()) == 0;
}

caf::expected<envelope_view> read_envelope(std::string_view bytes) {
  auto corrupt = [](const char* what) {
    return make_error(errc::storage_failure, std::string("corrupt event: ") + what);
  };
  if (bytes.size() < header_size || uint8_t(bytes[0]) != format_version)
    return corrupt("bad header");
  cursor c{bytes};
  envelope_view env;
  c.pos = 1;
  env.flags = uint8_t(c.big_endian(1));
  env.schema = uint16_t(c.big_endian(2));
  env.seq = c.big_endian(8);
  env.version = c.big_endian(8);
  env.time.micros = int64_t(c.big_endian(8));
  env.prev_hash = bytes.substr(c.pos, sizeof(sha256_digest));
  c.pos += sizeof(sha256_digest);
  env.stream = c.bytes();
  env.type = c.bytes();
  env.principal = c.bytes();
  env.correlation = c.bytes();
  env.idempotency_key = c.bytes();
  env.body = c.bytes();
  if (!c.ok || c.pos != bytes.size())
    return corrupt("truncated");
  return env;
}

caf::expected<event_record> decode_record(std::string_view bytes, bool parse_payload,
                                          bool compute_hash) {
  auto env = read_envelope(bytes);
  if (!env)
    return std::move(env.error());
  event_record rec;
  rec.schema = env->schema;
  rec.seq = env->seq;
  rec.version = env->version;
  rec.time = env->time;
  std::memcpy(rec.prev_hash.data(), env->prev_hash.data(), rec.prev_hash.size());
  rec.stream = env->stream;
  rec.type = env->type;
  rec.principal = env->principal;
  rec.correlation = env->correlation;
  rec.idempotency_key = env->idempotency_key;
  if (compute_hash)
    rec.hash = sha256(bytes);
  if (!parse_payload)
    return rec;
  auto corrupt = [](const char* what) {
    return make_error(errc::storage_failure, std::string("corrupt event: ") + what);
  };
  auto body = env->body;
  std::string unpacked;
  if (env->compressed()) {
    auto size = ZSTD_getFrameContentSize(body.data(), body.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
        !zstd_content_size_possible(size, body.size()))
      return corrupt("bad zstd frame");
    unpacked.resize(size);
    auto n = ZSTD_decompress(unpacked.data(), unpacked.size(), body.data(), body.size());
    if (ZSTD_isError(n) || n != size)
      return corrupt("bad zstd frame");
    body = unpacked;
  }
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  if (ec || !value.is_object())
    return corrupt("payload is not a JSON object");
  if (find_non_finite(value).found)  // never written (the catalogue refuses them): corruption
    return corrupt("payload holds a number out of range");
  rec.payload = std::move(value.get_object());
  return rec;
}

}  // namespace tascade::events
