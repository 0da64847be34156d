#include "planner/prd.hpp"

#include <array>

namespace tascade::planner {

namespace {

bool contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

// The length of a Unicode whitespace code point at `s[i]` (0 when none); Python's whitespace set.
size_t space_at(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f))
    return 1;
  auto rest = s.substr(i);
  static constexpr std::array<std::string_view, 8> multi = {
    "\xC2\x85", "\xC2\xA0", "\xE1\x9A\x80", "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF",
    "\xE2\x81\x9F", "\xE3\x80\x80"};
  for (auto m : multi)
    if (rest.starts_with(m))
      return m.size();
  // U+2000..U+200A
  if (rest.size() >= 3 && c == 0xE2 && static_cast<unsigned char>(rest[1]) == 0x80 &&
      static_cast<unsigned char>(rest[2]) >= 0x80 && static_cast<unsigned char>(rest[2]) <= 0x8A)
    return 3;
  return 0;
}

// The size of the trailing whitespace code point ending at `end` (exclusive), or 0.
size_t space_before(std::string_view s, size_t end) {
  for (size_t len = 1; len <= 3 && len <= end; ++len)
    if (space_at(s, end - len) == len)
      return len;
  return 0;
}

}  // namespace

size_t py_space_at(std::string_view s, size_t i) { return space_at(s, i); }

std::vector<std::string_view> py_split_words(std::string_view s) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < s.size()) {
    size_t n;
    while (i < s.size() && (n = space_at(s, i)) != 0)
      i += n;
    size_t start = i;
    while (i < s.size() && space_at(s, i) == 0)
      ++i;
    if (i > start)
      words.push_back(s.substr(start, i - start));
  }
  return words;
}

std::vector<std::string_view> split_python_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0, i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t brk = 0;
    if (c == '\r')
      brk = (i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
    else if (c == '\n' || c == '\v' || c == '\f' || (c >= 0x1c && c <= 0x1e))
      brk = 1;
    else if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x85)
      brk = 2;
    else if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
             (static_cast<unsigned char>(text[i + 2]) == 0xA8 ||
              static_cast<unsigned char>(text[i + 2]) == 0xA9))
      brk = 3;
    if (brk) {
      lines.push_back(text.substr(start, i - start));
      i += brk;
      start = i;
    } else {
      ++i;
    }
  }
  if (start < text.size())
    lines.push_back(text.substr(start));
  return lines;
}

std::string_view py_strip(std::string_view s) {
  size_t b = 0;
  while (b < s.size()) {
    auto n = space_at(s, b);
    if (!n)
      break;
    b += n;
  }
  size_t e = s.size();
  while (e > b) {
    auto n = space_before(s, e);
    if (!n)
      break;
    e -= n;
  }
  return s.substr(b, e - b);
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return out;
}

prd_facts parse_prd(std::string_view text) {
  prd_facts facts;
  bool glossary_mode = false;
  for (auto raw : split_python_lines(text)) {
    auto s = py_strip(raw);
    if (s.empty())
      continue;
    auto lower = ascii_lower(s);
    if (lower.starts_with("glossary")) {
      glossary_mode = true;
      continue;
    }
    if (s.front() == '#') {
      auto first = s.find_first_not_of("# ");
      facts.headings.emplace_back(first == std::string_view::npos ? std::string_view{}
                                                                  : s.substr(first));
      glossary_mode = false;
    }
    if (glossary_mode && contains(s, ":"))
      facts.glossary.emplace_back(s);
    if (contains(lower, "must") || contains(lower, "shall") || contains(lower, "should"))
      facts.constraints.emplace_back(s);
    for (std::string_view k :
         {"ui", "screen", "frontend", "interface", "page", "dashboard", "button", "form"})
      if (contains(lower, k)) {
        facts.has_ui = true;
        break;
      }
  }
  return facts;
}

}  // namespace tascade::planner
