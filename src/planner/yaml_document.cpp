#include "planner/yaml_document.hpp"

#include "planner/planner_errors.hpp"

#include <boost/json.hpp>
#include <yaml.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <vector>

namespace tascade::planner {

namespace json = boost::json;

namespace {

std::string where(const yaml_mark_t& m) {
  return "line " + std::to_string(m.line + 1) + ", column " + std::to_string(m.column + 1);
}

bool all_of(std::string_view s, bool (*pred)(char)) {
  if (s.empty())
    return false;
  for (char c : s)
    if (!pred(c))
      return false;
  return true;
}

bool is_dec(char c) { return c >= '0' && c <= '9'; }
bool is_oct(char c) { return c >= '0' && c <= '7'; }
bool is_hex(char c) { return is_dec(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

json::value integer(std::string_view digits, int base, bool negative) {
  uint64_t u = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), u, base);
  if (ec != std::errc{} || p != digits.data() + digits.size())
    return json::value(std::strtod(std::string(digits).c_str(), nullptr) * (negative ? -1 : 1));
  if (!negative)
    return u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())
             ? json::value(static_cast<int64_t>(u))
             : json::value(u);
  if (u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1)
    return json::value(static_cast<int64_t>(0 - u));
  return json::value(-static_cast<double>(u));
}

bool is_float_text(std::string_view s) {
  // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-'))
    ++i;
  size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && is_dec(s[i]))
    ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_dec(s[i]))
      ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0)
    return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-'))
      ++i;
    size_t exp_digits = 0;
    while (i < s.size() && is_dec(s[i]))
      ++i, ++exp_digits;
    if (exp_digits == 0)
      return false;
  }
  return i == s.size();
}

// YAML 1.2 core schema resolution of a plain scalar.
json::value resolve_plain(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
    return nullptr;
  if (s == "true" || s == "True" || s == "TRUE")
    return true;
  if (s == "false" || s == "False" || s == "FALSE")
    return false;
  std::string_view v(s);
  bool negative = false;
  std::string_view body = v;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (all_of(body, is_dec))
    return integer(body, 10, negative);
  if (v.size() > 2 && v.substr(0, 2) == "0o" && all_of(v.substr(2), is_oct))
    return integer(v.substr(2), 8, false);
  if (v.size() > 2 && v.substr(0, 2) == "0x" && all_of(v.substr(2), is_hex))
    return integer(v.substr(2), 16, false);
  if (is_float_text(v))
    return std::strtod(s.c_str(), nullptr);
  if (body == ".inf" || body == ".Inf" || body == ".INF")
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  if (v == ".nan" || v == ".NaN" || v == ".NAN")
    return std::numeric_limits<double>::quiet_NaN();
  return json::value(s);
}

json::value resolve_tagged(const std::string& tag, const std::string& s) {
  if (tag == "?")
    return resolve_plain(s);
  if (tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" ||
      tag == "tag:yaml.org,2002:bool" || tag == "tag:yaml.org,2002:null")
    return resolve_plain(s);
  return json::value(s);  // "!" (quoted or block scalars), !!str and unknown tags
}

// Builds the JSON value from libyaml's events: a stack of open mappings and sequences.
class json_builder {
 public:
  json::value result;
  std::string error_part, error_message;
  bool failed() const { return !error_part.empty(); }

  void scalar(const yaml_event_t& ev) {
    auto& sc = ev.data.scalar;
    std::string value(reinterpret_cast<const char*>(sc.value), sc.length);
    if (!stack_.empty() && stack_.back().is_map && !stack_.back().have_key) {
      stack_.back().key = std::move(value);
      stack_.back().have_key = true;
      return;
    }
    std::string tag = sc.tag ? reinterpret_cast<const char*>(sc.tag) : "";
    json::value v = sc.style == YAML_PLAIN_SCALAR_STYLE && (tag.empty() || sc.plain_implicit)
                      ? resolve_plain(value)
                      : resolve_tagged(tag.empty() ? "!" : tag, value);
    put(ev.start_mark, std::move(v), anchor_of(sc.anchor));
  }

  void alias(const yaml_event_t& ev) {
    auto it = anchors_.find(reinterpret_cast<const char*>(ev.data.alias.anchor));
    if (it == anchors_.end())
      return fail(ev.start_mark, "an alias names an unknown anchor");
    if (!stack_.empty() && stack_.back().is_map && !stack_.back().have_key) {
      if (!it->second.is_string())
        return fail(ev.start_mark, "a mapping key must be a scalar");
      stack_.back().key = std::string(it->second.get_string());
      stack_.back().have_key = true;
      return;
    }
    put(ev.start_mark, it->second, {});
  }

  void open(const yaml_event_t& ev, bool is_map, const yaml_char_t* anchor) {
    if (!stack_.empty() && stack_.back().is_map && !stack_.back().have_key)
      return fail(ev.start_mark, "a mapping key must be a scalar");
    frame f;
    f.value = is_map ? json::value(json::object()) : json::value(json::array());
    f.is_map = is_map;
    f.anchor = anchor_of(anchor);
    stack_.push_back(std::move(f));
  }

  void close(const yaml_event_t& ev) {
    if (stack_.empty())
      return;
    frame f = std::move(stack_.back());
    stack_.pop_back();
    put(ev.start_mark, std::move(f.value), f.anchor);
  }

  void fail(const yaml_mark_t& m, std::string why) {
    if (!failed()) {
      error_part = where(m);
      error_message = std::move(why);
    }
  }

 private:
  struct frame {
    json::value value;
    bool is_map = false;
    std::string anchor;
    std::string key;
    bool have_key = false;
  };

  static std::string anchor_of(const yaml_char_t* a) {
    return a ? reinterpret_cast<const char*>(a) : "";
  }

  void put(const yaml_mark_t& m, json::value v, const std::string& anchor) {
    if (!anchor.empty())
      anchors_[anchor] = v;
    if (stack_.empty()) {
      result = std::move(v);
      return;
    }
    auto& top = stack_.back();
    if (top.is_map) {
      if (!top.have_key)
        return fail(m, "a mapping key must be a scalar");
      top.value.get_object()[top.key] = std::move(v);
      top.have_key = false;
    } else {
      top.value.get_array().push_back(std::move(v));
    }
  }

  std::vector<frame> stack_;
  std::unordered_map<std::string, json::value> anchors_;
};

}  // namespace

caf::expected<json::value> parse_yaml_document(std::string_view text) {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser))
    return contract_invalid("document", "the YAML parser could not start");
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  json_builder builder;
  bool document_seen = false, done = false;
  while (!done && !builder.failed()) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      builder.fail(parser.problem_mark,
                   parser.problem ? parser.problem : "the YAML text is malformed");
      break;
    }
    switch (ev.type) {
      case YAML_SCALAR_EVENT: builder.scalar(ev); break;
      case YAML_ALIAS_EVENT: builder.alias(ev); break;
      case YAML_SEQUENCE_START_EVENT:
        builder.open(ev, false, ev.data.sequence_start.anchor);
        break;
      case YAML_MAPPING_START_EVENT: builder.open(ev, true, ev.data.mapping_start.anchor); break;
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: builder.close(ev); break;
      case YAML_DOCUMENT_START_EVENT: document_seen = true; break;
      // Only the first document is read.
      case YAML_DOCUMENT_END_EVENT:
      case YAML_STREAM_END_EVENT: done = true; break;
      default: break;
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&parser);
  if (builder.failed())
    return contract_invalid(builder.error_part, builder.error_message);
  if (!document_seen)
    return contract_invalid("document", "the YAML text holds no document");
  return std::move(builder.result);
}

}  // namespace tascade::planner
