#pragma once
/// The server's own OpenAPI 3.1 document, generated from the operation catalogue.

#include "tascade/operation.hpp"

#include <boost/json/object.hpp>

#include <vector>

namespace tascade::catalogue {

/// Paths and parameters come from each operation's fields; response shapes are components.
boost::json::object openapi_document(const std::vector<operation>& ops);

}  // namespace tascade::catalogue
