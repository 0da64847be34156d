#pragma once
/// `get_instructions` (spec §15.4): the protocol guide an agent reads once, before any other
/// tool. An MCP-only operation: it has no REST route.

#include "tascade/operation.hpp"

#include <string>

namespace tascade::catalogue {

/// The guide itself (Markdown).
const std::string& instructions_text();

/// The catalogue row of `get_instructions`.
operation get_instructions_operation();

}  // namespace tascade::catalogue
