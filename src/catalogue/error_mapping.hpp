#pragma once
/// Maps errors to HTTP: each `errc` to its status, and any error to the envelope body
/// `{"error": {code, message, retryable, details}}` (spec §3.1).

#include <caf/error.hpp>

#include <boost/json/object.hpp>

namespace tascade::catalogue {

struct mapped_error {
  int status = 500;
  boost::json::object body;
};

/// The status and envelope of `err`. A non-Tascade error becomes a 500 (logged at warn).
mapped_error map_error(const caf::error& err);

}  // namespace tascade::catalogue
