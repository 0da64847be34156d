#include "planner/python_json.hpp"

#include "events/sha256.hpp"
#include "planner/python_numbers.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <vector>

namespace tascade::planner {

namespace json = boost::json;

namespace {

void put_u(std::string& out, unsigned cp) {
  static constexpr char hex[] = "0123456789abcdef";
  out += "\\u";
  out.push_back(hex[(cp >> 12) & 0xf]);
  out.push_back(hex[(cp >> 8) & 0xf]);
  out.push_back(hex[(cp >> 4) & 0xf]);
  out.push_back(hex[cp & 0xf]);
}

void append_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (c < 0x20)
            put_u(out, c);
          else
            out.push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    // Boost.JSON and our parsers only produce valid UTF-8.
    size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    unsigned cp = c & (0xffu >> (len + 1));
    for (size_t k = 1; k < len && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3fu);
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put_u(out, 0xd800 + (cp >> 10));
      put_u(out, 0xdc00 + (cp & 0x3ff));
    } else {
      put_u(out, cp);
    }
  }
  out.push_back('"');
}

void render(std::string& out, const json::value& v, bool sorted) {
  switch (v.kind()) {
    case json::kind::null: out += "null"; break;
    case json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
    case json::kind::int64: out += std::to_string(v.get_int64()); break;
    case json::kind::uint64: out += std::to_string(v.get_uint64()); break;
    case json::kind::double_: out += py_float_repr(v.get_double()); break;
    case json::kind::string: append_string(out, v.get_string()); break;
    case json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (auto& item : v.get_array()) {
        if (!first)
          out += ", ";
        first = false;
        render(out, item, sorted);
      }
      out.push_back(']');
      break;
    }
    case json::kind::object: {
      std::vector<const json::key_value_pair*> entries;
      entries.reserve(v.get_object().size());
      for (auto& kv : v.get_object())
        entries.push_back(&kv);
      // UTF-8 byte order is code point order.
      if (sorted)
        std::sort(entries.begin(), entries.end(),
                  [](auto* a, auto* b) { return a->key() < b->key(); });
      out.push_back('{');
      bool first = true;
      for (auto* kv : entries) {
        if (!first)
          out += ", ";
        first = false;
        append_string(out, kv->key());
        out += ": ";
        render(out, kv->value(), sorted);
      }
      out.push_back('}');
      break;
    }
  }
}

}  // namespace

std::string py_dumps_sorted(const json::value& v) {
  std::string out;
  render(out, v, true);
  return out;
}

std::string py_dumps(const json::value& v) {
  std::string out;
  render(out, v, false);
  return out;
}

std::string canonical_sha256(const json::value& v) { return sha256_hex(py_dumps_sorted(v)); }

}  // namespace tascade::planner
