#pragma once
/// Events of API keys, on the `keyring` stream. Only the key's SHA-256 is ever recorded.

#include "tascade/ids.hpp"

#include <string>
#include <vector>

namespace tascade::events {

/// A key was issued. `project` is a project UUID, or "*" for a global key.
struct key_created {
  static constexpr std::string_view type = "key_created";
  static constexpr uint16_t schema = 1;
  uuid id;
  std::string project;
  std::string name;
  std::vector<std::string> roles;
  std::string hash;  ///< lowercase hex SHA-256 of the raw key
  std::string created_by;
};

struct key_revoked {
  static constexpr std::string_view type = "key_revoked";
  static constexpr uint16_t schema = 1;
  uuid id;
  std::string project;
  std::string revoked_by;
};

}  // namespace tascade::events
