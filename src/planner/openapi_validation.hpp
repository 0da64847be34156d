#pragma once
/// The checks an OpenAPI 3.1, 3.0 or Swagger 2.0 document must pass before it is planned
/// (spec §2.2, checks 1 to 8), each failure naming the part of the document that is wrong.

#include <boost/json/value.hpp>
#include <caf/error.hpp>

namespace tascade::planner {

/// The HTTP methods that count as operations (spec §2.3), lower case.
bool is_operation_key(std::string_view key);

/// An empty error when `document` is a valid contract, otherwise `contract_invalid(part, why)`.
/// Checks: version string; info.title and info.version; paths (or components/webhooks for 3.1);
/// path keys start with "/"; responses on 3.0 and 2.0 operations; unique operationIds; every
/// `{param}` of a path template declared `in: path`; every `$ref` resolves inside the document.
caf::error validate_openapi(const boost::json::value& document);

}  // namespace tascade::planner
