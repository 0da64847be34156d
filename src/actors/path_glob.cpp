#include "actors/path_glob.hpp"

#include <vector>

namespace tascade {

namespace {

// A pattern as segments; "**" stays a segment of its own. A trailing '/' adds "**".
std::vector<std::string> segments(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('/', start);
    if (end == std::string_view::npos)
      end = text.size();
    auto seg = text.substr(start, end - start);
    if (!seg.empty() && seg != ".")
      out.emplace_back(seg);
    start = end + 1;
  }
  if (!text.empty() && text.back() == '/' && (out.empty() || out.back() != "**"))
    out.emplace_back("**");
  return out;
}

bool is_globstar(const std::string& seg) { return seg == "**"; }

// Whether two sequences share a word, where `star(x)` items match any run of items and
// `compatible(x, y)` says whether two single items can stand for the same item. Reachability
// over (i, j): a star may match nothing, or swallow one item the other side produces.
template <class Item, class Star, class Compatible>
bool sequences_meet(const std::vector<Item>& a, const std::vector<Item>& b, Star star,
                    Compatible compatible) {
  const size_t n = a.size(), m = b.size();
  std::vector<char> reach((n + 1) * (m + 1), 0);
  auto at = [&](size_t i, size_t j) -> char& { return reach[i * (m + 1) + j]; };
  at(0, 0) = 1;
  for (size_t i = 0; i <= n; ++i)
    for (size_t j = 0; j <= m; ++j) {
      if (!at(i, j))
        continue;
      bool a_star = i < n && star(a[i]), b_star = j < m && star(b[j]);
      if (a_star)
        at(i + 1, j) = 1;  // a's star matches nothing more
      if (b_star)
        at(i, j + 1) = 1;
      if (i < n && j < m) {
        if (a_star && !b_star)
          at(i, j + 1) = 1;  // a's star swallows b's item
        else if (b_star && !a_star)
          at(i + 1, j) = 1;
        else if (!a_star && !b_star && compatible(a[i], b[j]))
          at(i + 1, j + 1) = 1;
      }
    }
  return at(n, m) != 0;
}

// Two segment patterns (characters, '*' and '?') match a common segment.
bool segments_meet(const std::string& a, const std::string& b) {
  return sequences_meet(
    std::vector<char>(a.begin(), a.end()), std::vector<char>(b.begin(), b.end()),
    [](char c) { return c == '*'; },
    [](char x, char y) { return x == '?' || y == '?' || x == y; });
}

// A literal segment ('*' and '?' are ordinary characters in a path) matched by a pattern.
bool segment_matches(const std::string& pattern, const std::string& literal) {
  const size_t n = pattern.size(), m = literal.size();
  // Classic wildcard matching with one backtrack point.
  size_t p = 0, s = 0, star_p = std::string::npos, star_s = 0;
  while (s < m) {
    if (p < n && (pattern[p] == '?' || (pattern[p] != '*' && pattern[p] == literal[s]))) {
      ++p;
      ++s;
    } else if (p < n && pattern[p] == '*') {
      star_p = p++;
      star_s = s;
    } else if (star_p != std::string::npos) {
      p = star_p + 1;
      s = ++star_s;
    } else {
      return false;
    }
  }
  while (p < n && pattern[p] == '*')
    ++p;
  return p == n;
}

}  // namespace

bool glob_matches(std::string_view pattern, std::string_view path) {
  auto pat = segments(pattern);
  auto lit = segments(path);
  if (pat.empty() || lit.empty())
    return false;
  // The path's segments are literal: only the pattern's globstars are stars.
  std::vector<std::pair<std::string, bool>> a, b;
  for (auto& s : pat)
    a.push_back({s, true});
  for (auto& s : lit)
    b.push_back({s, false});
  return sequences_meet(
    a, b, [](const std::pair<std::string, bool>& s) { return s.second && is_globstar(s.first); },
    [](const std::pair<std::string, bool>& x, const std::pair<std::string, bool>& y) {
      return segment_matches(x.first, y.first);
    });
}

bool globs_overlap(std::string_view a, std::string_view b) {
  auto x = segments(a);
  auto y = segments(b);
  if (x.empty() || y.empty())
    return false;
  return sequences_meet(x, y, is_globstar, segments_meet);
}

std::vector<std::pair<std::string, std::string>> overlapping_patterns(
  const std::vector<std::string>& mine, const std::vector<std::string>& theirs) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& m : mine)
    for (auto& t : theirs)
      if (globs_overlap(m, t))
        out.emplace_back(m, t);
  return out;
}

std::vector<std::string> files_outside(const std::vector<std::string>& touched,
                                       const std::vector<std::string>& expected) {
  std::vector<std::string> out;
  for (auto& file : touched) {
    bool covered = false;
    for (auto& pattern : expected)
      if (glob_matches(pattern, file)) {
        covered = true;
        break;
      }
    if (!covered)
      out.push_back(file);
  }
  return out;
}

}  // namespace tascade
