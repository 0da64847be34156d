#pragma once
/// Python's `repr` of a sorted list of strings, as the reference writes it into error messages
/// (`Requires one of: ['admin', 'planner']`, `Invalid role scopes: ['superuser']`).

#include <string>
#include <vector>

namespace tascade {

/// `repr(sorted(set(items)))`: each string once, sorted by byte, quoted as Python quotes it
/// ('…' unless the text holds a ' and no ", escapes for backslash and control characters).
std::string python_sorted_list(std::vector<std::string> items);

}  // namespace tascade
