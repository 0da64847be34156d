#include "planner/graphql_sdl.hpp"

#include "planner/planner_errors.hpp"

#include <unordered_map>

namespace tascade::planner {

namespace {

enum class tok : uint8_t { end, punct, name, number, string, block_string };

struct token {
  tok kind = tok::end;
  std::string_view text;  // the punctuator, name or number; strings keep their raw body
  size_t offset = 0;
};

bool name_start(char c) {
  return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool name_char(char c) {
  return name_start(c) || (c >= '0' && c <= '9');
}

class lexer {
 public:
  explicit lexer(std::string_view src) : src_(src) {
    if (src_.substr(0, 3) == "\xEF\xBB\xBF")
      pos_ = 3;
  }

  // The next token, or an error message (with `error_at` set).
  bool next(token& t) {
    skip_ignored();
    t.offset = pos_;
    if (pos_ >= src_.size()) {
      t.kind = tok::end;
      t.text = {};
      return true;
    }
    char c = src_[pos_];
    if (c == '.') {
      if (src_.substr(pos_, 3) != "...")
        return fail("expected '...'");
      t.kind = tok::punct;
      t.text = src_.substr(pos_, 3);
      pos_ += 3;
      return true;
    }
    if (std::string_view("!$&()=:@[]{}|").find(c) != std::string_view::npos) {
      t.kind = tok::punct;
      t.text = src_.substr(pos_, 1);
      ++pos_;
      return true;
    }
    if (name_start(c)) {
      size_t start = pos_;
      while (pos_ < src_.size() && name_char(src_[pos_]))
        ++pos_;
      t.kind = tok::name;
      t.text = src_.substr(start, pos_ - start);
      return true;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      size_t start = pos_++;
      while (pos_ < src_.size() &&
             (name_char(src_[pos_]) || src_[pos_] == '.' || src_[pos_] == '+' || src_[pos_] == '-'))
        ++pos_;
      t.kind = tok::number;
      t.text = src_.substr(start, pos_ - start);
      return true;
    }
    if (c == '"') {
      if (src_.substr(pos_, 3) == "\"\"\"") {
        size_t start = pos_ + 3;
        size_t i = start;
        while (true) {
          i = src_.find("\"\"\"", i);
          if (i == std::string_view::npos)
            return fail("unterminated block string");
          if (src_[i - 1] == '\\') {  // \""" is an escaped triple quote
            i += 3;
            continue;
          }
          break;
        }
        t.kind = tok::block_string;
        t.text = src_.substr(start, i - start);
        pos_ = i + 3;
        return true;
      }
      size_t start = ++pos_;
      while (pos_ < src_.size() && src_[pos_] != '"') {
        if (src_[pos_] == '\n' || src_[pos_] == '\r')
          return fail("unterminated string");
        if (src_[pos_] == '\\')
          ++pos_;
        ++pos_;
      }
      if (pos_ >= src_.size())
        return fail("unterminated string");
      t.kind = tok::string;
      t.text = src_.substr(start, pos_ - start);
      ++pos_;
      return true;
    }
    return fail(std::string("unexpected character '") + c + "'");
  }

  size_t error_at = 0;
  std::string error;

 private:
  void skip_ignored() {
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',') {
        ++pos_;
      } else if (c == '#') {
        while (pos_ < src_.size() && src_[pos_] != '\n' && src_[pos_] != '\r')
          ++pos_;
      } else {
        break;
      }
    }
  }

  bool fail(std::string why) {
    error_at = pos_;
    error = std::move(why);
    return false;
  }

  std::string_view src_;
  size_t pos_ = 0;
};

void append_utf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

std::string string_value(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\' || i + 1 >= raw.size()) {
      out.push_back(raw[i]);
      continue;
    }
    char e = raw[++i];
    switch (e) {
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'u': {
        unsigned cp = 0;
        size_t k = 0;
        for (; k < 4 && i + 1 < raw.size(); ++k) {
          char h = raw[++i];
          cp = cp * 16 + static_cast<unsigned>(h >= 'a'   ? h - 'a' + 10
                                               : h >= 'A' ? h - 'A' + 10
                                                          : h - '0');
        }
        append_utf8(out, cp);
        break;
      }
      default: out.push_back(e);  // \" \\ \/
    }
  }
  return out;
}

bool blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

// BlockStringValue(): common indentation removed, leading and trailing blank lines dropped.
std::string block_string_value(std::string_view raw) {
  std::string text;
  text.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw.substr(i, 4) == "\\\"\"\"") {
      text += "\"\"\"";
      i += 3;
    } else {
      text.push_back(raw[i]);
    }
  }
  std::vector<std::string_view> lines;
  std::string_view rest(text);
  while (true) {
    auto nl = rest.find_first_of("\r\n");
    if (nl == std::string_view::npos) {
      lines.push_back(rest);
      break;
    }
    lines.push_back(rest.substr(0, nl));
    size_t skip = (rest[nl] == '\r' && nl + 1 < rest.size() && rest[nl + 1] == '\n') ? 2 : 1;
    rest.remove_prefix(nl + skip);
  }
  size_t common = std::string_view::npos;
  for (size_t i = 1; i < lines.size(); ++i) {
    auto indent = lines[i].find_first_not_of(" \t");
    if (indent != std::string_view::npos && indent < common)
      common = indent;
  }
  if (common != std::string_view::npos)
    for (size_t i = 1; i < lines.size(); ++i)
      lines[i].remove_prefix(std::min(common, lines[i].size()));
  size_t first = 0, last = lines.size();
  while (first < last && blank(lines[first]))
    ++first;
  while (last > first && blank(lines[last - 1]))
    --last;
  std::string out;
  for (size_t i = first; i < last; ++i) {
    if (i > first)
      out.push_back('\n');
    out += lines[i];
  }
  return out;
}

class parser {
 public:
  explicit parser(std::string_view src) : src_(src), lex_(src) {}

  caf::expected<sdl_schema> run() {
    if (!advance())
      return error();
    while (cur_.kind != tok::end) {
      if (!definition())
        return error();
    }
    return std::move(schema_);
  }

 private:
  caf::error error() {
    size_t at = lex_.error.empty() ? err_at_ : lex_.error_at;
    std::string why = lex_.error.empty() ? err_ : lex_.error;
    size_t line = 1, col = 1;
    for (size_t i = 0; i < at && i < src_.size(); ++i) {
      if (src_[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    return contract_invalid("line " + std::to_string(line) + ", column " + std::to_string(col),
                            why);
  }

  bool advance() { return lex_.next(cur_); }

  std::string describe(const token& t) const {
    switch (t.kind) {
      case tok::end: return "end of document";
      case tok::string:
      case tok::block_string: return "a string";
      default: return "'" + std::string(t.text) + "'";
    }
  }

  bool fail(const std::string& expected) {
    err_at_ = cur_.offset;
    err_ = "expected " + expected + ", found " + describe(cur_);
    return false;
  }

  bool is_punct(char c) const {
    return cur_.kind == tok::punct && cur_.text.size() == 1 && cur_.text[0] == c;
  }
  bool is_name(std::string_view n) const { return cur_.kind == tok::name && cur_.text == n; }

  bool expect_punct(char c) {
    if (!is_punct(c))
      return fail(std::string("'") + c + "'");
    return advance();
  }

  bool expect_name(std::string& out) {
    if (cur_.kind != tok::name)
      return fail("a name");
    out = std::string(cur_.text);
    return advance();
  }

  bool skip_name() {
    std::string ignored;
    return expect_name(ignored);
  }

  bool optional_description(std::string& out) {
    out.clear();
    if (cur_.kind == tok::string) {
      out = string_value(cur_.text);
      return advance();
    }
    if (cur_.kind == tok::block_string) {
      out = block_string_value(cur_.text);
      return advance();
    }
    return true;
  }

  // Type: Name | [Type] | Type!
  bool type_ref() {
    if (is_punct('[')) {
      if (!advance() || !type_ref() || !expect_punct(']'))
        return false;
    } else if (!skip_name()) {
      return fail("a type");
    }
    if (is_punct('!'))
      return advance();
    return true;
  }

  bool value() {
    switch (cur_.kind) {
      case tok::name:
      case tok::number:
      case tok::string:
      case tok::block_string: return advance();
      case tok::punct:
        if (is_punct('$'))
          return advance() && skip_name();
        if (is_punct('[')) {
          if (!advance())
            return false;
          while (!is_punct(']'))
            if (cur_.kind == tok::end || !value())
              return cur_.kind == tok::end ? fail("']'") : false;
          return advance();
        }
        if (is_punct('{')) {
          if (!advance())
            return false;
          while (!is_punct('}')) {
            if (!skip_name() || !expect_punct(':') || !value())
              return false;
          }
          return advance();
        }
        return fail("a value");
      case tok::end: return fail("a value");
    }
    return fail("a value");
  }

  bool directives() {
    while (is_punct('@')) {
      if (!advance() || !skip_name())
        return false;
      if (is_punct('(')) {
        if (!advance())
          return false;
        while (!is_punct(')'))
          if (!skip_name() || !expect_punct(':') || !value())
            return false;
        if (!advance())
          return false;
      }
    }
    return true;
  }

  // InputValueDefinition: Description? Name : Type DefaultValue? Directives?
  bool input_value(sdl_field* out) {
    sdl_field f;
    if (!optional_description(f.description) || !expect_name(f.name) || !expect_punct(':') ||
        !type_ref())
      return false;
    if (is_punct('=') && (!advance() || !value()))
      return false;
    if (!directives())
      return false;
    if (out)
      *out = std::move(f);
    return true;
  }

  bool arguments_definition() {
    if (!is_punct('('))
      return true;
    if (!advance())
      return false;
    while (!is_punct(')'))
      if (!input_value(nullptr))
        return false;
    return advance();
  }

  bool implements() {
    if (!is_name("implements"))
      return true;
    if (!advance())
      return false;
    if (is_punct('&') && !advance())
      return false;
    if (!skip_name())
      return false;
    while (is_punct('&'))
      if (!advance() || !skip_name())
        return false;
    return true;
  }

  sdl_type& type_named(const std::string& kind, const std::string& name, bool extend) {
    auto it = index_.find(name);
    if (it != index_.end() && extend)
      return schema_.types[it->second];
    schema_.types.push_back({kind, name, {}, {}});
    if (it == index_.end())
      index_.emplace(name, schema_.types.size() - 1);
    return schema_.types.back();
  }

  bool fields_block(sdl_type& t, bool input_fields) {
    if (!is_punct('{'))
      return true;
    if (!advance())
      return false;
    while (!is_punct('}')) {
      sdl_field f;
      if (input_fields) {
        if (!input_value(&f))
          return false;
      } else {
        if (!optional_description(f.description) || !expect_name(f.name) ||
            !arguments_definition() || !expect_punct(':') || !type_ref() || !directives())
          return false;
      }
      t.fields.push_back(std::move(f));
    }
    return advance();
  }

  bool enum_values(sdl_type& t) {
    if (!is_punct('{'))
      return true;
    if (!advance())
      return false;
    while (!is_punct('}')) {
      sdl_field f;
      if (!optional_description(f.description) || !expect_name(f.name) || !directives())
        return false;
      t.fields.push_back(std::move(f));
    }
    return advance();
  }

  bool schema_block() {
    if (!directives())
      return false;
    if (!is_punct('{'))
      return true;  // `extend schema @directive`
    if (!advance())
      return false;
    while (!is_punct('}')) {
      std::string op, root;
      if (!expect_name(op) || !expect_punct(':') || !expect_name(root))
        return false;
      if (op == "query")
        schema_.query_root = root;
      else if (op == "mutation")
        schema_.mutation_root = root;
      else if (op == "subscription")
        schema_.subscription_root = root;
      else
        return fail("query, mutation or subscription");
    }
    return advance();
  }

  bool definition() {
    std::string description;
    if (!optional_description(description))
      return false;
    bool extend = false;
    if (is_name("extend")) {
      extend = true;
      if (!advance())
        return false;
    }
    if (cur_.kind != tok::name)
      return fail("a definition");
    std::string keyword(cur_.text);
    if (!advance())
      return false;
    if (keyword == "schema")
      return schema_block();
    if (keyword == "directive") {
      if (!expect_punct('@') || !skip_name() || !arguments_definition())
        return false;
      if (is_name("repeatable") && !advance())
        return false;
      if (!is_name("on"))
        return fail("'on'");
      if (!advance())
        return false;
      if (is_punct('|') && !advance())
        return false;
      if (!skip_name())
        return false;
      while (is_punct('|'))
        if (!advance() || !skip_name())
          return false;
      return true;
    }
    std::string name;
    if (keyword == "type" || keyword == "interface") {
      if (!expect_name(name))
        return false;
      auto& t = type_named(keyword, name, extend);
      if (!extend)
        t.description = description;
      size_t index = static_cast<size_t>(&t - schema_.types.data());
      if (!implements() || !directives())
        return false;
      return fields_block(schema_.types[index], false);
    }
    if (keyword == "input") {
      if (!expect_name(name))
        return false;
      auto& t = type_named(keyword, name, extend);
      if (!extend)
        t.description = description;
      size_t index = static_cast<size_t>(&t - schema_.types.data());
      if (!directives())
        return false;
      return fields_block(schema_.types[index], true);
    }
    if (keyword == "enum") {
      if (!expect_name(name))
        return false;
      auto& t = type_named(keyword, name, extend);
      if (!extend)
        t.description = description;
      size_t index = static_cast<size_t>(&t - schema_.types.data());
      if (!directives())
        return false;
      return enum_values(schema_.types[index]);
    }
    if (keyword == "union") {
      if (!expect_name(name))
        return false;
      auto& t = type_named(keyword, name, extend);
      if (!extend)
        t.description = description;
      if (!directives())
        return false;
      if (is_punct('=')) {
        if (!advance())
          return false;
        if (is_punct('|') && !advance())
          return false;
        if (!skip_name())
          return false;
        while (is_punct('|'))
          if (!advance() || !skip_name())
            return false;
      }
      return true;
    }
    if (keyword == "scalar") {
      if (!expect_name(name))
        return false;
      auto& t = type_named(keyword, name, extend);
      if (!extend)
        t.description = description;
      return directives();
    }
    err_at_ = cur_.offset;
    err_ = "unknown definition '" + keyword + "'";
    return false;
  }

  std::string_view src_;
  lexer lex_;
  token cur_;
  sdl_schema schema_;
  std::unordered_map<std::string, size_t> index_;
  size_t err_at_ = 0;
  std::string err_;
};

}  // namespace

caf::expected<sdl_schema> parse_graphql_sdl(std::string_view text) {
  return parser(text).run();
}

bool looks_like_graphql_sdl(std::string_view text) {
  lexer lex(text);
  token t;
  if (!lex.next(t))
    return false;
  if (t.kind == tok::block_string || t.kind == tok::string)
    return true;
  if (t.kind != tok::name)
    return false;
  for (std::string_view k :
       {"type", "schema", "input", "enum", "interface", "union", "scalar", "directive", "extend"})
    if (t.text == k)
      return true;
  return false;
}

}  // namespace tascade::planner
