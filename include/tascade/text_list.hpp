#pragma once
/// Comma-separated lists (flags, query parameters, headers), split one way everywhere.

#include <string>
#include <string_view>
#include <vector>

namespace tascade {

/// The items of `text` separated by `sep`, trimmed of spaces and tabs; empty items are dropped.
inline std::vector<std::string> split_list(std::string_view text, char sep = ',') {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(sep, start);
    if (end == std::string_view::npos)
      end = text.size();
    auto item = text.substr(start, end - start);
    auto first = item.find_first_not_of(" \t");
    if (first != std::string_view::npos)
      out.emplace_back(item.substr(first, item.find_last_not_of(" \t") - first + 1));
    start = end + 1;
  }
  return out;
}

}  // namespace tascade
