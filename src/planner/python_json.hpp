#pragma once
/// JSON text exactly as Python's `json.dumps` writes it (spec §13.2): `", "` and `": "`
/// separators, every non-ASCII code point as `\uXXXX`, `/` not escaped, floats as `repr`.

#include <boost/json/value.hpp>

#include <string>

namespace tascade::planner {

/// `json.dumps(v, sort_keys=True)`: keys sorted by code point at every level. The bytes hashed for
/// `contractHash` and written as the report artifact.
std::string py_dumps_sorted(const boost::json::value& v);

/// `json.dumps(v)`: keys in the order they were inserted (the DB matching text of spec §4.2).
std::string py_dumps(const boost::json::value& v);

/// Lowercase hex SHA-256 of `py_dumps_sorted(v)`.
std::string canonical_sha256(const boost::json::value& v);

}  // namespace tascade::planner
