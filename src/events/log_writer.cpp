#include "events/log_writer.hpp"

#include "telemetry/server_metrics.hpp"

#include <chrono>

#include <caf/response_promise.hpp>

#include <algorithm>
#include <iterator>
#include <memory>

namespace tascade {

namespace {

struct pending_append {
  std::vector<new_event> events;
  caf::typed_response_promise<std::vector<event_record>> promise;
};

}  // namespace

caf::behavior log_writer_behavior(caf::event_based_actor* self, event_log* log,
                                  commit_listener on_commit) {
  auto pending = std::make_shared<std::vector<pending_append>>();
  return {
    [=](append_atom, std::vector<new_event>& events) -> caf::result<std::vector<event_record>> {
      auto promise = self->make_response_promise<std::vector<event_record>>();
      pending->push_back({std::move(events), promise});
      // The flush lands behind every append already queued: they all share one batch.
      if (pending->size() == 1)
        self->send(self, flush_atom::value);
      return promise;
    },
    [=](flush_atom) {
      auto batch = std::move(*pending);
      pending->clear();
      std::vector<std::vector<new_event>> commands;
      commands.reserve(batch.size());
      for (auto& p : batch)
        commands.push_back(std::move(p.events));
      auto started = std::chrono::steady_clock::now();
      auto results = log->append(std::move(commands));
      std::chrono::duration<double> synced = std::chrono::steady_clock::now() - started;
      // The listener sees the whole batch at once; the records are moved into it and back out
      // to their appends afterwards rather than copied (payloads are most of an event's bytes).
      std::vector<event_record> committed;
      for (auto& r : results)
        if (r)
          std::move(r->begin(), r->end(), std::back_inserter(committed));
      server_metrics::global().batch(committed.size(), synced.count());
      if (!committed.empty() && on_commit)
        on_commit(committed);
      auto next = committed.begin();
      for (size_t i = 0; i < batch.size(); ++i) {
        if (!results[i]) {
          batch[i].promise.deliver(std::move(results[i].error()));
          continue;
        }
        auto& records = *results[i];
        std::move(next, next + std::ptrdiff_t(records.size()), records.begin());
        next += std::ptrdiff_t(records.size());
        batch[i].promise.deliver(std::move(records));
      }
    },
  };
}

}  // namespace tascade
