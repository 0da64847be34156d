#pragma once
/// The canonical JSON rendering the reference hashes work specs with (spec §8.2): keys sorted
/// recursively, ", " between items, ": " between key and value, non-ASCII as \uXXXX.

#include <boost/json/value.hpp>

#include <string>

namespace tascade {

std::string canonical_json(const boost::json::value& v);

/// Lowercase hex SHA-256 of `canonical_json(v)`: the execution snapshot's `work_spec_hash`.
std::string canonical_hash(const boost::json::value& v);

}  // namespace tascade
