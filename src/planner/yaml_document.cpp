#include "planner/yaml_document.hpp"

#include "planner/planner_errors.hpp"

#include <boost/json.hpp>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>
#include <unordered_map>
#include <vector>

namespace tascade::planner {

namespace json = boost::json;

namespace {

std::string where(const YAML::Mark& m) {
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

class json_builder final : public YAML::EventHandler {
 public:
  json::value result;
  std::string error_part, error_message;

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override { done_ = true; }

  void OnNull(const YAML::Mark& m, YAML::anchor_t anchor) override { put(m, nullptr, anchor); }

  void OnAlias(const YAML::Mark& m, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end())
      return fail(m, "an alias names an unknown anchor");
    put(m, it->second, 0);
  }

  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    if (!stack_.empty() && stack_.back().is_map && !stack_.back().have_key) {
      stack_.back().key = value;
      stack_.back().have_key = true;
      stack_.back().key_mark = m;
      return;
    }
    put(m, resolve_tagged(tag, value), anchor);
  }

  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(m, json::array(), anchor, false);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(m, json::object(), anchor, true);
  }
  void OnMapEnd() override { close(); }

  bool failed() const { return !error_part.empty(); }

 private:
  struct frame {
    json::value value;
    bool is_map = false;
    YAML::anchor_t anchor = 0;
    std::string key;
    bool have_key = false;
    YAML::Mark key_mark;
  };

  void fail(const YAML::Mark& m, std::string why) {
    if (!failed()) {
      error_part = where(m);
      error_message = std::move(why);
    }
  }

  void open(const YAML::Mark& m, json::value v, YAML::anchor_t anchor, bool is_map) {
    if (!stack_.empty() && stack_.back().is_map && !stack_.back().have_key)
      return fail(m, "a mapping key must be a scalar");
    frame f;
    f.value = std::move(v);
    f.is_map = is_map;
    f.anchor = anchor;
    stack_.push_back(std::move(f));
  }

  void close() {
    if (stack_.empty())
      return;
    frame f = std::move(stack_.back());
    stack_.pop_back();
    put(YAML::Mark{}, std::move(f.value), f.anchor);
  }

  void put(const YAML::Mark& m, json::value v, YAML::anchor_t anchor) {
    if (anchor != 0)
      anchors_[anchor] = v;
    if (stack_.empty()) {
      result = std::move(v);
      return;
    }
    auto& top = stack_.back();
    if (top.is_map) {
      if (!top.have_key) {
        if (v.is_null())  // a null key ("? " with nothing): JSON has none
          return fail(m, "a mapping key must not be null");
        return fail(m, "a mapping key must be a scalar");
      }
      top.value.get_object()[top.key] = std::move(v);
      top.have_key = false;
    } else {
      top.value.get_array().push_back(std::move(v));
    }
  }

  std::vector<frame> stack_;
  std::unordered_map<YAML::anchor_t, json::value> anchors_;
  bool done_ = false;
};

}  // namespace

caf::expected<json::value> parse_yaml_document(std::string_view text) {
  std::istringstream in{std::string(text)};
  json_builder builder;
  try {
    YAML::Parser parser(in);
    if (!parser.HandleNextDocument(builder))
      return contract_invalid("document", "the YAML text holds no document");
  } catch (const YAML::Exception& e) {
    return contract_invalid(where(e.mark), e.msg);
  }
  if (builder.failed())
    return contract_invalid(builder.error_part, builder.error_message);
  return std::move(builder.result);
}

}  // namespace tascade::planner
