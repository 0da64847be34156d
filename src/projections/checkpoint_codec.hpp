#pragma once
/// A compact binary encoding of the read model's plain structs for checkpoints: fields in
/// declaration order (Boost.PFR walks the aggregates), numbers little-endian as in memory,
/// containers as a count then their elements, JSON values as their serialised text. The
/// encoding is private to one build's checkpoint format version: never a wire format.

#include "tascade/ids.hpp"
#include "tascade/time.hpp"
#include "projections/boxed.hpp"
#include "projections/boxed_vector.hpp"
#include "projections/json_text.hpp"

#include <boost/json.hpp>
#include <boost/pfr.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tascade::checkpoint_codec {

/// Specialise with `static void each(T& v, Fn fn)` calling `fn` on every member, for structs
/// Boost.PFR cannot walk (those holding C arrays or std::arrays of non-trivial types).
template <class T> struct field_list;
template <class T>
concept listed = requires { sizeof(field_list<T>); };

template <class T> struct is_typed_id : std::false_type {};
template <class Tag> struct is_typed_id<typed_id<Tag>> : std::true_type {};
template <class T> struct is_vector : std::false_type {};
template <class T, class A> struct is_vector<std::vector<T, A>> : std::true_type {};
template <class T> struct is_vector<boxed_vector<T>> : std::true_type {};
template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type {};
template <class T> struct is_optional<boxed<T>> : std::true_type {};
template <class T> struct is_std_array : std::false_type {};
template <class T, size_t N> struct is_std_array<std::array<T, N>> : std::true_type {};
template <class T> struct is_tuple_like : std::false_type {};
template <class... T> struct is_tuple_like<std::tuple<T...>> : std::true_type {};
template <class A, class B> struct is_tuple_like<std::pair<A, B>> : std::true_type {};
// Sorted and hashed containers: their elements are inserted back one by one.
template <class T> struct is_keyed : std::false_type {};
template <class K, class C, class A> struct is_keyed<std::set<K, C, A>> : std::true_type {};
template <class K, class V, class C, class A>
struct is_keyed<std::map<K, V, C, A>> : std::true_type {};
template <class K, class V, class H, class E, class A>
struct is_keyed<std::unordered_map<K, V, H, E, A>> : std::true_type {};
template <class K, class V, class H, class E, class A>
struct is_keyed<std::unordered_multimap<K, V, H, E, A>> : std::true_type {};

class writer {
 public:
  std::string& bytes() { return out_; }

  void raw(const void* p, size_t n) { out_.append(static_cast<const char*>(p), n); }

  template <class T>
  void put(const T& v) {
    if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) {
      raw(&v, sizeof v);
    } else if constexpr (std::is_same_v<T, uuid>) {
      raw(v.bytes.data(), v.bytes.size());
    } else if constexpr (is_typed_id<T>::value) {
      put(v.value);
    } else if constexpr (std::is_same_v<T, timestamp>) {
      put(v.micros);
    } else if constexpr (std::is_same_v<T, std::string>) {
      put(uint64_t(v.size()));
      raw(v.data(), v.size());
    } else if constexpr (std::is_same_v<T, boost::json::object> ||
                         std::is_same_v<T, boost::json::array>) {
      put(boost::json::serialize(v));
    } else if constexpr (std::is_same_v<T, json_text>) {
      put(v.text().empty() ? std::string("{}") : v.text());  // as the object it replaces
    } else if constexpr (is_optional<T>::value) {
      put(bool(v));
      if (v)
        put(*v);
    } else if constexpr (is_std_array<T>::value) {
      if constexpr (std::is_arithmetic_v<typename T::value_type>)
        raw(v.data(), sizeof v);
      else
        for (auto& e : v)
          put(e);
    } else if constexpr (is_vector<T>::value || is_keyed<T>::value) {
      put(uint64_t(v.size()));
      for (auto& e : v)
        put(e);
    } else if constexpr (is_tuple_like<T>::value) {
      std::apply([&](const auto&... e) { (put(e), ...); }, v);
    } else if constexpr (listed<T>) {
      field_list<T>::each(v, [&](const auto& f) { put(f); });
    } else {
      static_assert(std::is_aggregate_v<T>, "checkpoint_codec: unsupported type");
      boost::pfr::for_each_field(v, [&](const auto& f) { put(f); });
    }
  }

 private:
  std::string out_;
};

/// Reads what `writer` wrote; throws std::runtime_error on truncated or malformed input.
class reader {
 public:
  explicit reader(std::string_view in) : in_(in) {}
  bool done() const { return pos_ == in_.size(); }
  size_t position() const { return pos_; }

  void raw(void* p, size_t n) {
    if (in_.size() - pos_ < n)
      throw std::runtime_error("checkpoint truncated");
    std::memcpy(p, in_.data() + pos_, n);
    pos_ += n;
  }

  uint64_t count() {
    uint64_t n = 0;
    get(n);
    if (n > in_.size() - pos_)  // every element takes at least one byte
      throw std::runtime_error("checkpoint count out of range");
    return n;
  }

  template <class T>
  void get(T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      uint8_t b = 0;
      raw(&b, 1);
      if (b > 1)
        throw std::runtime_error("checkpoint bool out of range");
      v = b;
    } else if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) {
      raw(&v, sizeof v);
    } else if constexpr (std::is_same_v<T, uuid>) {
      raw(v.bytes.data(), v.bytes.size());
    } else if constexpr (is_typed_id<T>::value) {
      get(v.value);
    } else if constexpr (std::is_same_v<T, timestamp>) {
      get(v.micros);
    } else if constexpr (std::is_same_v<T, std::string>) {
      auto n = count();
      if (n > in_.size() - pos_)
        throw std::runtime_error("checkpoint truncated");
      v.assign(in_.data() + pos_, n);
      pos_ += n;
    } else if constexpr (std::is_same_v<T, boost::json::object> ||
                         std::is_same_v<T, boost::json::array>) {
      std::string text;
      get(text);
      boost::system::error_code ec;
      auto parsed = boost::json::parse(text, ec);
      if (ec)
        throw std::runtime_error("checkpoint holds malformed JSON");
      if constexpr (std::is_same_v<T, boost::json::object>) {
        if (!parsed.is_object())
          throw std::runtime_error("checkpoint holds malformed JSON");
        v = std::move(parsed.get_object());
      } else {
        if (!parsed.is_array())
          throw std::runtime_error("checkpoint holds malformed JSON");
        v = std::move(parsed.get_array());
      }
    } else if constexpr (std::is_same_v<T, json_text>) {
      boost::json::object o;
      get(o);  // checked like any JSON of a checkpoint, then kept as its text
      v = o;
    } else if constexpr (is_optional<T>::value) {
      bool has = false;
      get(has);
      if (has) {
        typename T::value_type e{};
        get(e);
        v = std::move(e);
      } else {
        v.reset();
      }
    } else if constexpr (is_std_array<T>::value) {
      if constexpr (std::is_arithmetic_v<typename T::value_type> &&
                    !std::is_same_v<typename T::value_type, bool>)
        raw(v.data(), sizeof v);
      else
        for (auto& e : v)
          get(e);
    } else if constexpr (is_vector<T>::value) {
      auto n = count();
      v.clear();
      v.reserve(n);
      for (uint64_t i = 0; i < n; ++i) {
        typename T::value_type e{};
        get(e);
        v.push_back(std::move(e));
      }
    } else if constexpr (is_keyed<T>::value) {
      auto n = count();
      v.clear();
      if constexpr (requires { v.reserve(n); })
        v.reserve(n);
      for (uint64_t i = 0; i < n; ++i) {
        if constexpr (requires { typename T::mapped_type; }) {
          std::pair<typename T::key_type, typename T::mapped_type> e{};
          get(e.first);
          get(e.second);
          v.emplace_hint(v.end(), std::move(e.first), std::move(e.second));
        } else {
          typename T::value_type e{};
          get(e);
          v.emplace_hint(v.end(), std::move(e));  // written in order: the hint is right
        }
      }
    } else if constexpr (is_tuple_like<T>::value) {
      std::apply([&](auto&... e) { (get(e), ...); }, v);
    } else if constexpr (listed<T>) {
      field_list<T>::each(v, [&](auto& f) { get(f); });
    } else {
      static_assert(std::is_aggregate_v<T>, "checkpoint_codec: unsupported type");
      boost::pfr::for_each_field(v, [&](auto& f) { get(f); });
    }
  }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace tascade::checkpoint_codec
