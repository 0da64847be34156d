#pragma once
/// Whether every number in a JSON value is finite. Boost.JSON reads an out-of-range number
/// (`1e400`) as an infinity and writes it back as `Infinity`, which is not JSON: such a value must
/// never reach the event log, or the log would hold a payload no reader can parse.

#include <boost/json/value.hpp>

#include <cmath>
#include <string>

namespace tascade {

/// The first non-finite number of a value: whether there is one, and its dotted path.
struct non_finite_number {
  bool found = false;
  std::string path;
};

/// Looks for a non-finite number in `v`, whose own path is `path`.
inline non_finite_number find_non_finite(const boost::json::value& v, std::string path = {}) {
  switch (v.kind()) {
    case boost::json::kind::double_:
      return std::isfinite(v.get_double()) ? non_finite_number{} : non_finite_number{true, path};
    case boost::json::kind::array: {
      size_t i = 0;
      for (auto& item : v.get_array()) {
        auto found = find_non_finite(item, path + "[" + std::to_string(i++) + "]");
        if (found.found)
          return found;
      }
      return {};
    }
    case boost::json::kind::object:
      for (auto& [key, item] : v.get_object()) {
        auto found = find_non_finite(
          item, path.empty() ? std::string(key) : path + "." + std::string(key));
        if (found.found)
          return found;
      }
      return {};
    default:
      return {};
  }
}

}  // namespace tascade
