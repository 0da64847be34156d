#pragma once
/// The one path every transport runs an operation through: validate the input (filling in
/// defaults), authorize the caller, replay or run the handler, and map what went wrong. REST,
/// MCP and anything later call `invoke` and only render its `outcome` in their own shape.
///
/// Authentication is the transport's (it reads a header or a session); `invoke` receives the
/// principal it established.

#include "actors/denial_window.hpp"
#include "catalogue/idempotency.hpp"
#include "catalogue/schema.hpp"
#include "tascade/operation.hpp"

#include <caf/error.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <string>
#include <vector>

namespace tascade::catalogue {

/// Receives a refusal to record as `auth_denied`; must not block (it sends to an actor).
using denial_fn = std::function<void(denial)>;

/// What the transport knows about a call besides its principal and input.
struct invocation {
  std::string correlation;      ///< the client's request id (REST `X-Request-Id`), or empty
  std::string idempotency_key;  ///< handed on to commands; empty = none
  /// Problems the transport found while assembling the input (REST: a field in the wrong
  /// place, a query value that does not parse); reported before validation's own.
  std::vector<input_problem> problems{};
  /// Set to keep and replay results under `idempotency_key` (REST `Idempotency-Key` on a
  /// POST). Results holding a secret are never kept, whatever this says.
  idempotency_guard* idempotency = nullptr;
  /// Identifies the request for the guard, so a key reused for another request is refused.
  std::string fingerprint{};
  /// Where refusals of the authorization check are recorded (empty: not recorded).
  denial_fn record_denial{};
};

/// How an invocation ended.
struct outcome {
  enum class kind : uint8_t {
    done,     ///< the handler's result (or a replay of a kept one)
    invalid,  ///< the input failed validation: `problems`, and `body` is the 422 body
    failed,   ///< refused or failed: `error` (empty for a replay), `body` its envelope
  };
  kind what = kind::done;
  int status = 200;         ///< the HTTP status of the result or of the mapped error
  boost::json::value body{};  ///< the result, the validation body or the error envelope
  std::vector<input_problem> problems{};
  caf::error error{};
  bool replayed = false;  ///< answered from the idempotency store
};

/// Receives the outcome exactly once, possibly on an actor's thread.
using outcome_fn = std::function<void(outcome)>;

/// Runs `op` for `who` with `input`: validates (transport problems first), authorizes
/// (roles, project scope, identity fields), then runs the handler, through the idempotency
/// guard when the invocation asks for it. An exception from a handler becomes a 500
/// INVARIANT_VIOLATION "internal error". `op` must outlive the call.
void invoke(const operation& op, principal who, boost::json::object input, invocation context,
            outcome_fn done);

}  // namespace tascade::catalogue
