#include "events/canonical_json.hpp"

#include "events/sha256.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>

namespace tascade {

namespace {

void append_escaped(std::string& out, std::string_view s) {
  out.push_back('"');
  auto put_u = [&](unsigned cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "\\u%04x", cp);
    out += buf;
  };
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
            put_u(c);
          else
            out.push_back(char(c));
      }
      ++i;
      continue;
    }
    // Decode one UTF-8 sequence; Boost.JSON only hands us valid UTF-8.
    unsigned cp = 0;
    size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    cp = c & (0xff >> (len + 1));
    for (size_t k = 1; k < len && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put_u(0xd800 + (cp >> 10));
      put_u(0xdc00 + (cp & 0x3ff));
    } else {
      put_u(cp);
    }
  }
  out.push_back('"');
}

void render(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      out += "null";
      break;
    case boost::json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      break;
    case boost::json::kind::int64:
      out += std::to_string(v.get_int64());
      break;
    case boost::json::kind::uint64:
      out += std::to_string(v.get_uint64());
      break;
    case boost::json::kind::double_:
      out += boost::json::serialize(v);
      break;
    case boost::json::kind::string:
      append_escaped(out, v.get_string());
      break;
    case boost::json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (auto& item : v.get_array()) {
        if (!first)
          out += ", ";
        first = false;
        render(out, item);
      }
      out.push_back(']');
      break;
    }
    case boost::json::kind::object: {
      std::vector<const boost::json::key_value_pair*> entries;
      for (auto& kv : v.get_object())
        entries.push_back(&kv);
      std::sort(entries.begin(), entries.end(),
                [](auto* a, auto* b) { return a->key() < b->key(); });
      out.push_back('{');
      bool first = true;
      for (auto* kv : entries) {
        if (!first)
          out += ", ";
        first = false;
        append_escaped(out, kv->key());
        out += ": ";
        render(out, kv->value());
      }
      out.push_back('}');
      break;
    }
  }
}

}  // namespace

std::string canonical_json(const boost::json::value& v) {
  std::string out;
  render(out, v);
  return out;
}

std::string canonical_hash(const boost::json::value& v) { return sha256_hex(canonical_json(v)); }

}  // namespace tascade
