// Definitions of the shared primitives declared in include/tascade/: ids, timestamps, errors.

#include "tascade/errc.hpp"
#include "tascade/ids.hpp"
#include "tascade/time.hpp"

#include <caf/make_message.hpp>
#include <caf/message.hpp>

#include <boost/json.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <random>

namespace tascade {

// ---- uuid -------------------------------------------------------------------------------------

uuid uuid::random() {
  thread_local std::mt19937_64 gen{[] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64{seq};
  }()};
  uuid u;
  uint64_t a = gen(), b = gen();
  for (int i = 0; i < 8; ++i) {
    u.bytes[i] = uint8_t(a >> (8 * i));
    u.bytes[8 + i] = uint8_t(b >> (8 * i));
  }
  u.bytes[6] = uint8_t((u.bytes[6] & 0x0f) | 0x40);  // version 4
  u.bytes[8] = uint8_t((u.bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return u;
}

namespace {

// Each hex digit's value; 16 for every other byte. Replay parses several uuids per event.
constexpr std::array<uint8_t, 256> hex_values = [] {
  std::array<uint8_t, 256> t{};
  t.fill(16);
  for (int c = 0; c < 10; ++c)
    t['0' + c] = uint8_t(c);
  for (int c = 0; c < 6; ++c)
    t['a' + c] = t['A' + c] = uint8_t(10 + c);
  return t;
}();

}  // namespace

std::optional<uuid> uuid::parse(std::string_view text) {
  if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' ||
      text[23] != '-')
    return std::nullopt;
  // Where each byte's two digits start: 8-4-4-4-12 digits between the dashes.
  static constexpr uint8_t at[16] = {0,  2,  4,  6,  9,  11, 14, 16,
                                     19, 21, 24, 26, 28, 30, 32, 34};
  uuid u;
  unsigned bad = 0;
  for (size_t i = 0; i < 16; ++i) {
    auto hi = hex_values[uint8_t(text[at[i]])], lo = hex_values[uint8_t(text[at[i] + 1])];
    bad |= hi | lo;
    u.bytes[i] = uint8_t(hi << 4 | lo);
  }
  if (bad & 16)
    return std::nullopt;
  return u;
}

std::string uuid::str() const {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      out.push_back('-');
    out.push_back(digits[bytes[i] >> 4]);
    out.push_back(digits[bytes[i] & 15]);
  }
  return out;
}

bool uuid::is_nil() const {
  for (auto b : bytes)
    if (b)
      return false;
  return true;
}

// ---- timestamp --------------------------------------------------------------------------------

timestamp system_now() {
  using namespace std::chrono;
  return {duration_cast<microseconds>(system_clock::now().time_since_epoch()).count()};
}

namespace {

// Days from 1970-01-01 to a civil date, and back (proleptic Gregorian; H. Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + int64_t(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = unsigned(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = int64_t(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

}  // namespace

std::string timestamp::iso() const {
  constexpr int64_t per_day = 86'400'000'000LL;
  int64_t days = micros / per_day, rem = micros % per_day;
  if (rem < 0) {
    rem += per_day;
    --days;
  }
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  int64_t secs = rem / 1'000'000, frac = rem % 1'000'000;
  if (y < 0 || y > 9999) {  // outside what four digits hold: the general (slow) path
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06lld+00:00",
                  static_cast<long long>(y), m, d, static_cast<long long>(secs / 3600),
                  static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60),
                  static_cast<long long>(frac));
    return buf;
  }
  // Written digit by digit: snprintf's format parsing cost more than the rest of a heartbeat's
  // response rendering.
  std::string out(32, '0');
  auto put = [&out](size_t at, int64_t value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10)
      out[at + size_t(i)] = char('0' + value % 10);
  };
  put(0, y, 4);
  out[4] = '-';
  put(5, m, 2);
  out[7] = '-';
  put(8, d, 2);
  out[10] = 'T';
  put(11, secs / 3600, 2);
  out[13] = ':';
  put(14, secs / 60 % 60, 2);
  out[16] = ':';
  put(17, secs % 60, 2);
  out[19] = '.';
  put(20, frac, 6);
  out.replace(26, 6, "+00:00");
  return out;
}

std::optional<timestamp> timestamp::parse(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.ffffff](Z|±HH:MM)
  auto digits = [&](size_t pos, size_t n, int64_t& out) {
    if (pos + n > s.size())
      return false;
    out = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9')
        return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int64_t y, mo, d, h, mi, se;
  if (!digits(0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(5, 2, mo) || s[7] != '-' ||
      !digits(8, 2, d) || (s[10] != 'T' && s[10] != ' ') || !digits(11, 2, h) || s[13] != ':' ||
      !digits(14, 2, mi) || s[16] != ':' || !digits(17, 2, se))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
    return std::nullopt;
  size_t pos = 19;
  int64_t frac = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int scale = 100000;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      frac += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start)
      return std::nullopt;
  }
  int64_t offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int64_t oh, om;
    if (!digits(pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(pos + 4, 2, om))
      return std::nullopt;
    offset = (oh * 60 + om) * 60 * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else if (pos != s.size()) {
    return std::nullopt;
  }
  if (pos != s.size())
    return std::nullopt;
  int64_t secs = days_from_civil(y, unsigned(mo), unsigned(d)) * 86400 + h * 3600 + mi * 60 + se -
                 offset;
  return timestamp{secs * 1'000'000 + frac};
}

// ---- errors -----------------------------------------------------------------------------------

std::string_view to_string(errc code) {
  switch (code) {
    case errc::none:
      return "NONE";
#define TASCADE_ERRC_CASE(name, wire) \
  case errc::name:                    \
    return wire;
      TASCADE_ERRC_LIST(TASCADE_ERRC_CASE)
#undef TASCADE_ERRC_CASE
  }
  return "UNKNOWN";
}

caf::error make_error(errc code) {
  return caf::error(static_cast<uint8_t>(code), error_category);
}

caf::error make_error(errc code, std::string message) {
  return caf::error(static_cast<uint8_t>(code), error_category,
                    caf::make_message(std::move(message)));
}

caf::error make_error(errc code, std::string message, const boost::json::object& details) {
  return caf::error(static_cast<uint8_t>(code), error_category,
                    caf::make_message(std::move(message), boost::json::serialize(details)));
}

errc code_of(const caf::error& err) {
  if (err.category() != error_category)
    return errc::none;
  return static_cast<errc>(err.code());
}

std::string message_of(const caf::error& err) {
  const auto& ctx = err.context();
  if (err.category() == error_category && ctx.size() >= 1 && ctx.match_element<std::string>(0))
    return ctx.get_as<std::string>(0);
  if (err.category() == error_category)
    return std::string(to_string(code_of(err)));
  return "internal error";
}

boost::json::value details_of(const caf::error& err) {
  const auto& ctx = err.context();
  if (err.category() != error_category || ctx.size() < 2 || !ctx.match_element<std::string>(1))
    return nullptr;
  boost::system::error_code ec;
  auto value = boost::json::parse(ctx.get_as<std::string>(1), ec);
  return ec ? boost::json::value(nullptr) : value;
}

std::string render_error(uint8_t code, caf::atom_value, const caf::message& context) {
  std::string out(to_string(static_cast<errc>(code)));
  if (context.size() >= 1 && context.match_element<std::string>(0))
    out += ": " + context.get_as<std::string>(0);
  return out;
}

}  // namespace tascade
