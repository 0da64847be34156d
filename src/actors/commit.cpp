#include "actors/commit.hpp"

namespace tascade {

std::vector<new_event> envelopes(const std::string& stream, uint64_t version,
                                 const std::vector<events::event>& evs, const command_meta& meta,
                                 timestamp now) {
  std::vector<new_event> out;
  out.reserve(evs.size());
  for (auto& ev : evs) {
    new_event e;
    e.stream = stream;
    e.version = ++version;
    e.type = std::string(events::type_of(ev));
    e.schema = events::schema_of(ev);
    e.time = now;
    e.principal = meta.principal;
    e.correlation = meta.correlation;
    e.idempotency_key = meta.idempotency_key;
    e.idempotency_scope = meta.idempotency_scope;
    e.payload = events::encode_payload(ev);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace tascade
