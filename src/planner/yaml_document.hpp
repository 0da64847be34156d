#pragma once
/// YAML contracts (spec §1.13 [PROPOSAL]): one YAML 1.2 document into the JSON value model,
/// keeping key order, through libyaml's event parser (no intermediate node tree). libyaml, the
/// C reference parser, reads about ten times faster than yaml-cpp's (BENCHMARKS.md).

#include <boost/json/value.hpp>
#include <caf/expected.hpp>

#include <string_view>

namespace tascade::planner {

/// The first document of `text` as JSON. Plain scalars resolve by the YAML 1.2 core schema
/// (null, true/false, integers in decimal, 0o and 0x, floats, .inf/.nan); quoted scalars stay
/// strings; aliases copy their anchor's value. A syntax error, or a key that is not a scalar, is
/// `contract_invalid("line L, column C", …)` (1-based).
caf::expected<boost::json::value> parse_yaml_document(std::string_view text);

}  // namespace tascade::planner
