#pragma once
/// `json_text`: a JSON object kept as its serialised text. A task's work spec is read rarely
/// (rendering a task, a claim's snapshot) but held for every task; as a `boost::json::object`
/// it costs a table and an allocation per key, nested value and long string (≈ 220 B for the
/// smallest spec), as text one allocation of its length. The text is always what
/// `boost::json::serialize` made of the object, so renderings, digests and checkpoints see
/// exactly what they saw when the object itself was held.

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace tascade {

class json_text {
 public:
  json_text() = default;
  json_text(const boost::json::object& o) { *this = o; }
  json_text& operator=(const boost::json::object& o) {
    text_ = o.empty() ? std::string() : boost::json::serialize(o);
    text_.shrink_to_fit();
    return *this;
  }

  /// The object (parsed anew on every call: callers keep it if they need it twice).
  boost::json::object object() const {
    if (text_.empty())
      return {};
    return boost::json::parse(text_).as_object();
  }
  /// The serialised form ("" for an empty object).
  const std::string& text() const { return text_; }

  /// A top-level string member, without parsing when the key does not occur in the text.
  std::optional<std::string> string_member(std::string_view key) const {
    std::string quoted;
    quoted.reserve(key.size() + 2);
    quoted.append("\"").append(key).append("\"");
    if (text_.find(quoted) == std::string::npos)
      return std::nullopt;
    auto o = object();
    auto* v = o.if_contains(key);
    if (!v || !v->is_string())
      return std::nullopt;
    return std::string(v->get_string());
  }

  friend bool operator==(const json_text&, const json_text&) = default;

 private:
  std::string text_;
};

}  // namespace tascade
