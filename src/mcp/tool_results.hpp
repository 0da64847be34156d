#pragma once
/// What a tool call returns: successes as text (and structured) content, failures as `isError`
/// results carrying the normalised envelope `{"error": {code, message, retryable}}` (spec §15.2).

#include <caf/error.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>

namespace tascade::mcp {

/// The normalised `{code, message, retryable}` of an error: storage failures become DB_ERROR
/// with no driver detail, errors from outside Tascade INVARIANT_VIOLATION, and the codes whose
/// wording the reference asserts get exactly that wording.
boost::json::object normalise(const caf::error& err);

/// A successful result: a string body is the text itself; anything else is its JSON text, and
/// an object is also `structuredContent`.
boost::json::object success_result(const boost::json::value& body);

/// `isError` result: text `Error executing tool <tool>: {"error":{...}}`, and the same envelope
/// (with `details` when the error has any) as `structuredContent`.
boost::json::object error_result(const std::string& tool, const boost::json::object& normalised,
                                  const boost::json::value& details = nullptr);

/// The same for an error value (normalises it first, keeps its details).
boost::json::object error_result(const std::string& tool, const caf::error& err);

}  // namespace tascade::mcp
