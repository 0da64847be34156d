#pragma once
/// `Idempotency-Key` for mutating requests: the first request with a key runs; a repeat with
/// the same request gets the first success again (status and body) and writes nothing; a
/// repeat with a different request under the same key is refused (IDEMPOTENCY_KEY_REUSED).
/// Repeats that arrive while the first still runs wait for it. Only successes are kept: a
/// refused request may be retried with the same key once the situation changed.
///
/// Crashes: the log writes a "committed" marker under the key in the same WriteBatch as the
/// request's events. A retry that finds the marker but no stored answer (the server stopped
/// between the two) is refused with IDEMPOTENCY_KEY_REUSED and `details.committed_seq`: the
/// request is never run twice. Records older than `max_age` count as absent.

#include <boost/json/value.hpp>

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tascade::catalogue {

/// Where results are kept (the log's `idempotency` column family).
struct idempotency_store {
  std::function<std::optional<std::string>(const std::string& key)> load;
  std::function<void(const std::string& key, const std::string& record)> save;
  std::chrono::microseconds max_age{0};  ///< older records are ignored (0: kept forever)
};

class idempotency_guard {
 public:
  /// `status, body, replayed`: called exactly once per request, from any thread.
  using respond_fn = std::function<void(int, boost::json::value, bool)>;
  /// Runs the request; it must call its argument exactly once with the outcome.
  using execute_fn = std::function<void(respond_fn)>;

  explicit idempotency_guard(idempotency_store store) : store_(std::move(store)) {}

  /// `fingerprint` identifies the request (method, target, body), so a key reused for another
  /// request is caught.
  void run(const std::string& key, const std::string& fingerprint, const execute_fn& execute,
           respond_fn respond);

 private:
  struct waiter {
    std::string fingerprint;
    respond_fn respond;
  };
  void finish(const std::string& key, const std::string& fingerprint, int status,
              const boost::json::value& body);

  idempotency_store store_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::vector<waiter>> in_flight_;
};

}  // namespace tascade::catalogue
