#pragma once
/// Identifiers: random v4 UUIDs wrapped in one distinct type per entity, plus the log's counters.

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace tascade {

/// A 128-bit UUID, rendered as the lowercase canonical 36-character string.
struct uuid {
  std::array<uint8_t, 16> bytes{};

  /// A fresh random version-4 UUID (thread-safe; a per-thread generator seeded by the OS).
  static uuid random();
  /// Parses the canonical 8-4-4-4-12 form (either case); nullopt for anything else.
  static std::optional<uuid> parse(std::string_view text);
  /// The lowercase canonical form.
  std::string str() const;
  bool is_nil() const;

  friend bool operator==(const uuid&, const uuid&) = default;
  friend auto operator<=>(const uuid&, const uuid&) = default;
};

/// A UUID that names one kind of entity, so a task id cannot be passed where a project id goes.
template <class Tag>
struct typed_id {
  uuid value;

  static typed_id random() { return {uuid::random()}; }
  static std::optional<typed_id> parse(std::string_view text) {
    if (auto u = uuid::parse(text))
      return typed_id{*u};
    return std::nullopt;
  }
  std::string str() const { return value.str(); }

  friend bool operator==(const typed_id&, const typed_id&) = default;
  friend auto operator<=>(const typed_id&, const typed_id&) = default;
};

using project_id = typed_id<struct project_tag>;
using phase_id = typed_id<struct phase_tag>;
using milestone_id = typed_id<struct milestone_tag>;
using task_id = typed_id<struct task_tag>;
using edge_id = typed_id<struct edge_tag>;
using plan_version_id = typed_id<struct plan_version_tag>;

/// Position of an event in the whole log: 1, 2, 3, ... without gaps.
using global_seq = uint64_t;
/// Position of an event in its stream: 1, 2, 3, ... without gaps.
using stream_version = uint64_t;

struct uuid_hash {
  size_t operator()(const uuid& u) const noexcept {
    uint64_t a, b;
    static_assert(sizeof(u.bytes) == sizeof(a) + sizeof(b));
    __builtin_memcpy(&a, u.bytes.data(), 8);
    __builtin_memcpy(&b, u.bytes.data() + 8, 8);
    return a ^ (b * 0x9e3779b97f4a7c15ULL);
  }
};

}  // namespace tascade

template <class Tag>
struct std::hash<tascade::typed_id<Tag>> {
  size_t operator()(const tascade::typed_id<Tag>& id) const noexcept {
    return tascade::uuid_hash{}(id.value);
  }
};
