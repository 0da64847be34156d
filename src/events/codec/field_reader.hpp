#pragma once
/// Payload codec helpers shared by every event family: a reader that records the first missing
/// or malformed field instead of throwing (a decode failure names it), and the writing-side
/// conversions of lists and optional ids.

#include "tascade/ids.hpp"
#include "tascade/time.hpp"
#include "tascade/vocabulary.hpp"

#include <boost/json.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tascade::events {

// Decoded events own their data: strings are copied, and objects and arrays are copied into the
// default storage, because a payload may live in a short-lived arena (replay decodes every event
// into one, see replay_decoder.hpp).
struct field_reader {
  const boost::json::object& obj;
  std::string& problem;  ///< empty while every field read so far was good
  size_t next = 0;       ///< where the next field probably is: readers mostly follow write order

  field_reader(const boost::json::object& o, std::string& p) : obj(o), problem(p) {}

  void fail(std::string_view key) {
    if (problem.empty())
      problem = "bad or missing field '" + std::string(key) + "'";
  }
  const boost::json::value* find(std::string_view key) {
    if (next < obj.size()) {
      auto& guess = obj.begin()[next];
      if (std::string_view(guess.key().data(), guess.key().size()) == key) {
        ++next;
        return &guess.value();
      }
    }
    auto it = obj.find(key);
    if (it == obj.end())
      return nullptr;
    next = size_t(it - obj.begin()) + 1;
    return &it->value();
  }
  const boost::json::value* field(std::string_view key) {
    auto* v = find(key);
    if (!v)
      fail(key);
    return v;
  }
  static std::string_view view(const boost::json::value& v) {
    auto& s = v.get_string();
    return {s.data(), s.size()};
  }
  // The string at `key`, still in the payload (empty and failed when absent or not a string).
  std::string_view text(std::string_view key) {
    auto* v = field(key);
    if (v && v->is_string())
      return view(*v);
    fail(key);
    return {};
  }
  std::string str(std::string_view key) { return std::string(text(key)); }
  std::optional<std::string> opt_str(std::string_view key) {
    auto* v = find(key);
    if (!v || v->is_null())
      return std::nullopt;
    if (v->is_string())
      return std::string(view(*v));
    fail(key);
    return std::nullopt;
  }
  int64_t int64(std::string_view key) {
    auto* v = field(key);
    if (v && v->is_int64())
      return v->get_int64();
    fail(key);
    return 0;
  }
  uint64_t uint(std::string_view key) {
    auto* v = field(key);
    if (v && v->is_int64() && v->get_int64() >= 0)
      return uint64_t(v->get_int64());
    if (v && v->is_uint64())
      return v->get_uint64();
    fail(key);
    return 0;
  }
  bool boolean(std::string_view key) {
    auto* v = field(key);
    if (v && v->is_bool())
      return v->get_bool();
    fail(key);
    return false;
  }
  timestamp time(std::string_view key) { return timestamp{int64(key)}; }
  boost::json::object object(std::string_view key) {
    auto* v = field(key);
    if (v && v->is_object())
      return boost::json::object(v->get_object(), boost::json::storage_ptr());
    fail(key);
    return {};
  }
  boost::json::array array(std::string_view key) {
    auto* v = field(key);
    if (v && v->is_array())
      return boost::json::array(v->get_array(), boost::json::storage_ptr());
    fail(key);
    return {};
  }
  std::vector<std::string> strings(std::string_view key) {
    return items<std::string>(key, [](const boost::json::value& item) {
      return item.is_string() ? std::optional<std::string>(view(item)) : std::nullopt;
    });
  }
  uuid raw_id(std::string_view key) { return id<uuid>(key); }
  template <class Id>
  Id id(std::string_view key) {
    auto parsed = Id::parse(text(key));
    if (!parsed)
      fail(key);
    return parsed.value_or(Id{});
  }
  template <class Id>
  std::optional<Id> opt_id(std::string_view key) {
    auto* v = find(key);
    if (!v || v->is_null())
      return std::nullopt;
    auto parsed = v->is_string() ? Id::parse(view(*v)) : std::nullopt;
    if (!parsed)
      fail(key);
    return parsed;
  }
  template <class Id>
  std::vector<Id> ids(std::string_view key) {
    return items<Id>(key, [](const boost::json::value& item) {
      return item.is_string() ? Id::parse(view(item)) : std::nullopt;
    });
  }
  // The array `key`, each item read by `take` (nullopt: not readable); a missing array or an
  // unreadable item fails the key.
  template <class T, class Take>
  std::vector<T> items(std::string_view key, Take take) {
    std::vector<T> out;
    auto* v = field(key);
    if (!v || !v->is_array()) {
      fail(key);
      return out;
    }
    out.reserve(v->get_array().size());
    for (auto& item : v->get_array()) {
      auto got = take(item);
      if (!got) {
        fail(key);
        return out;
      }
      out.push_back(std::move(*got));
    }
    return out;
  }
  template <class Enum, size_t N>
  Enum enumeration(std::string_view key, const std::array<std::string_view, N>& names) {
    auto parsed = parse_enum<Enum>(text(key), names);
    if (!parsed)
      fail(key);
    return parsed.value_or(Enum{});
  }
};

inline boost::json::array to_array(const std::vector<std::string>& items) {
  return boost::json::array(items.begin(), items.end());
}

template <class Id>
boost::json::array id_array(const std::vector<Id>& ids) {
  boost::json::array out;
  out.reserve(ids.size());
  for (auto& id : ids)
    out.emplace_back(id.str());
  return out;
}

template <class Id>
boost::json::value optional_id(const std::optional<Id>& id) {
  return id ? boost::json::value(id->str()) : boost::json::value(nullptr);
}

}  // namespace tascade::events
