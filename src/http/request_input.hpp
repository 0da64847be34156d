#pragma once
/// A routed REST request's input for the catalogue: the JSON body's fields, then the query
/// parameters typed by the operation's schema, then the path parameters. Pure (no session), so
/// the HTTP fuzz target runs the same code as the server.

#include "catalogue/schema.hpp"
#include "http/router.hpp"
#include "tascade/operation.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string_view>
#include <vector>

namespace tascade::http {

struct request_input {
  boost::json::object input;
  /// Problems found while assembling (a field in the wrong place, a query value that does not
  /// parse), reported with validation's own.
  std::vector<catalogue::input_problem> problems;
  /// Set when the body is refused before validation (not JSON, not an object): the 422 body.
  std::optional<boost::json::object> refusal;
};

/// Assembles the input of `match.op` from the request `target` (path and query string) and
/// `body`. Unknown query parameters are ignored; a repeated query key keeps its first value.
request_input assemble_input(const route_match& match, std::string_view target,
                             std::string_view body);

}  // namespace tascade::http
