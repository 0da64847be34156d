#pragma once
/// Resolving local `$ref` values ("#/components/schemas/Widget") inside one JSON document.

#include <boost/json/value.hpp>

#include <string_view>

namespace tascade::planner {

/// The value `ref` points at inside `root`, or nullptr. Only local references ("#" followed by a
/// JSON pointer, RFC 6901, percent-decoded as a URI fragment) resolve.
const boost::json::value* resolve_local_ref(const boost::json::value& root, std::string_view ref);

/// `key` escaped as one JSON pointer token ("~" → "~0", "/" → "~1"), for naming a part in errors.
std::string pointer_token(std::string_view key);

}  // namespace tascade::planner
