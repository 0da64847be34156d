#pragma once
/// Validation of an operation's input against its field specs, and the JSON Schema that
/// describes the same fields (for OpenAPI and MCP tool listings). One description, two uses.

#include "tascade/operation.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>
#include <unordered_map>
#include <vector>

namespace tascade::catalogue {

/// One problem with the input, in the shape of the reference's 422 `detail` items.
struct input_problem {
  std::string type;  ///< "missing", "string_type", "int_parsing", "enum", "extra_forbidden", ...
  std::string location;  ///< "body", "query" or "path"
  std::string field;
  std::string message;
  boost::json::value input;
};

/// Checks `input` against `fields`: required fields present, types right, strings long
/// enough, enums respected. Unknown fields are removed, as the reference ignores them; with
/// `strict` (development, `--strict-fields`) each is an `extra_forbidden` problem instead.
/// Fills defaults into `input`.
std::vector<input_problem> validate_input(const std::vector<field_spec>& fields,
                                          boost::json::object& input, bool strict = false);

/// A REST body's fields that name a path or query parameter of the operation. A path
/// parameter repeated with the path's value is accepted, with another value refused
/// (`path_mismatch`); a query parameter in the body is removed (ignored) unless `strict`, which
/// refuses it. The path's values are put into `body` afterwards by the caller.
std::vector<input_problem> reconcile_body(
  const std::vector<field_spec>& fields, boost::json::object& body,
  const std::unordered_map<std::string, std::string>& path_params, bool strict = false);

/// The reference's 422 body: `{"detail": [...]}`, plus our error envelope beside it.
boost::json::object validation_body(const std::vector<input_problem>& problems);

/// JSON Schema (draft 2020-12) of one field, and of an object with all `fields`; the object
/// allows other properties (they are ignored) unless `strict`.
boost::json::object field_schema(const field_spec& field);
boost::json::object input_schema(const std::vector<field_spec>& fields, bool strict = false);

/// Converts a query-string or path value to the field's type (spec §2.1 booleans).
/// Returns false when it does not parse.
bool convert_text(const field_spec& field, std::string_view text, boost::json::value& out);

}  // namespace tascade::catalogue
