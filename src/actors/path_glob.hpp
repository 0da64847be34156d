#pragma once
/// Path globs for file-touch conflicts (issue 4). Pure functions, no I/O.
///
/// The rules, as in most tools:
/// - paths and patterns are split on '/'; empty segments and "." are dropped, so "./a//b" is
///   "a/b", and a leading '/' means nothing (every path is relative to the repository root);
/// - `*` matches any run of characters within one segment (never a '/'), `?` one character;
/// - a segment that is exactly `**` matches zero or more whole segments, so `src/**` matches
///   `src` itself and everything below it, and `**/x.cpp` matches `x.cpp` at any depth;
///   `**` inside a longer segment (`a**b`) is just two `*`;
/// - a trailing '/' names a directory and everything in it: `docs/` is `docs/**`;
/// - anything else is a literal character (no character classes, no escapes).
/// A path without glob characters is a pattern that matches exactly itself.

#include <string>
#include <string_view>
#include <vector>

namespace tascade {

/// Whether `path` (taken literally) is matched by `pattern`.
bool glob_matches(std::string_view pattern, std::string_view path);

/// Whether some path is matched by both patterns: the test for two tasks' expected touches.
/// Exact for the rules above: it answers true iff such a path exists.
bool globs_overlap(std::string_view a, std::string_view b);

/// The pairs (mine, theirs) of patterns that overlap, in the order of `mine` then `theirs`.
std::vector<std::pair<std::string, std::string>> overlapping_patterns(
  const std::vector<std::string>& mine, const std::vector<std::string>& theirs);

/// The files of `touched` that no pattern of `expected` matches (scope drift), in order.
std::vector<std::string> files_outside(const std::vector<std::string>& touched,
                                       const std::vector<std::string>& expected);

}  // namespace tascade
