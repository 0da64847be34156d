#include "catalogue/idempotency.hpp"

#include "catalogue/error_mapping.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>

namespace tascade::catalogue {

namespace json = boost::json;

namespace {

void refuse_reuse(const idempotency_guard::respond_fn& respond) {
  auto mapped = map_error(make_error(errc::idempotency_key_reused,
                                   "this Idempotency-Key was used for a different request"));
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
      if (!ec && record.is_object()) {
        auto& r = record.as_object();
        if (r.at("fingerprint").as_string() != fingerprint)
          return refuse_reuse(respond);
        return respond(int(r.at("status").to_number<int64_t>()), r.at("body"), true);
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
    store_.save(key, json::serialize(json::object{
                       {"fingerprint", fingerprint}, {"status", status}, {"body", body}}));
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
