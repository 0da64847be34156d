#include "catalogue/idempotency.hpp"

#include "catalogue/error_mapping.hpp"
#include "tascade/errc.hpp"
#include "tascade/time.hpp"

#include <boost/json.hpp>

namespace tascade::catalogue {

namespace json = boost::json;

namespace {

void refuse_reuse(const idempotency_guard::respond_fn& respond) {
  auto mapped = map_error(make_error(errc::idempotency_key_reused,
                                   "this Idempotency-Key was used for a different request"));
  respond(mapped.status, mapped.body, false);
}

void refuse_committed(const idempotency_guard::respond_fn& respond, int64_t seq) {
  auto mapped = to_http(make_error(
    errc::idempotency_key_reused,
    "A request with this Idempotency-Key was committed (from event " + std::to_string(seq) +
      ") but the server stopped before storing its answer; it is not run again: read the "
      "current state instead",
    json::object{{"committed_seq", seq}}));
  respond(mapped.status, mapped.body, false);
}

}  // namespace

void idempotency_guard::run(const std::string& key, const std::string& fingerprint,
                            const execute_fn& execute, respond_fn respond) {
  {
    std::lock_guard lock{mutex_};
    if (auto it = in_flight_.find(key); it != in_flight_.end()) {
      it->second.push_back({fingerprint, std::move(respond)});
      return;
    }
    if (auto stored = store_.load(key)) {
      boost::system::error_code ec;
      auto record = json::parse(*stored, ec);
      auto* r = !ec ? record.if_object() : nullptr;
      auto* at = r ? r->if_contains("at") : nullptr;
      bool expired = at && at->is_int64() && store_.max_age.count() > 0 &&
                     at->as_int64() < system_now().micros - int64_t(store_.max_age.count());
      if (r && !expired) {
        if (auto* seq = r->if_contains("committed_seq"); seq && !r->contains("status"))
          return refuse_committed(respond, seq->to_number<int64_t>());
        if (r->at("fingerprint").as_string() != fingerprint)
          return refuse_reuse(respond);
        return respond(int(r->at("status").to_number<int64_t>()), r->at("body"), true);
      }
    }
    in_flight_.emplace(key, std::vector<waiter>{});
  }
  execute([this, key, fingerprint, respond](int status, json::value body, bool) {
    finish(key, fingerprint, status, body);
    respond(status, std::move(body), false);
  });
}

void idempotency_guard::finish(const std::string& key, const std::string& fingerprint,
                               int status, const json::value& body) {
  bool success = status >= 200 && status < 300;
  if (success)
    // "at" comes last: the log's expiry reads the last "at" of the record.
    store_.save(key, json::serialize(json::object{{"fingerprint", fingerprint},
                                                  {"status", status},
                                                  {"body", body},
                                                  {"at", system_now().micros}}));
  std::vector<waiter> waiters;
  {
    std::lock_guard lock{mutex_};
    auto it = in_flight_.find(key);
    waiters = std::move(it->second);
    in_flight_.erase(it);
  }
  for (auto& w : waiters) {
    if (w.fingerprint != fingerprint)
      refuse_reuse(w.respond);
    else
      w.respond(status, body, success);
  }
}

}  // namespace tascade::catalogue
