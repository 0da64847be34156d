#pragma once
/// The enumerations of the domain, with their exact wire spellings (spec §2.2).

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tascade {

enum class task_state : uint8_t {
  backlog, ready, reserved, claimed, in_progress, implemented, integrated, conflict, blocked,
  abandoned, cancelled
};
inline constexpr std::array<std::string_view, 11> task_state_names{
  "backlog",     "ready",      "reserved", "claimed", "in_progress", "implemented",
  "integrated",  "conflict",   "blocked",  "abandoned", "cancelled"};

enum class task_class : uint8_t {
  architecture, db_schema, security, cross_cutting, review_gate, merge_gate, frontend, backend,
  crud, other
};
inline constexpr std::array<std::string_view, 10> task_class_names{
  "architecture", "db_schema", "security", "cross_cutting", "review_gate",
  "merge_gate",   "frontend",  "backend",  "crud",          "other"};

enum class unlock_on : uint8_t { implemented, integrated };
inline constexpr std::array<std::string_view, 2> unlock_on_names{"implemented", "integrated"};

/// The wire name of an enumerator.
template <class Enum, size_t N>
constexpr std::string_view name_of(Enum value, const std::array<std::string_view, N>& names) {
  return names[static_cast<size_t>(value)];
}
inline std::string_view to_string(task_state s) { return name_of(s, task_state_names); }
inline std::string_view to_string(task_class c) { return name_of(c, task_class_names); }
inline std::string_view to_string(unlock_on u) { return name_of(u, unlock_on_names); }

/// Parses a wire name exactly (case-sensitive); nullopt when unknown.
template <class Enum, size_t N>
constexpr std::optional<Enum> parse_enum(std::string_view text,
                                         const std::array<std::string_view, N>& names) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == text)
      return static_cast<Enum>(i);
  return std::nullopt;
}

/// Terminal states: no normal outgoing transitions; hidden by graph include_completed=false.
constexpr bool is_terminal(task_state s) {
  return s == task_state::integrated || s == task_state::cancelled || s == task_state::abandoned;
}

/// Whether a prerequisite in state `s` satisfies an edge that unlocks on `u` (spec §7.1).
constexpr bool satisfies(task_state s, unlock_on u) {
  if (u == unlock_on::integrated)
    return s == task_state::integrated;
  return s == task_state::implemented || s == task_state::integrated;
}

}  // namespace tascade
