#include "actors/changeset_fanout.hpp"

#include "events/codec/payload_codec.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

namespace tascade {

namespace {

// After a changeset is durable: hands each changed task its new plan fields, one task after
// the other, and answers with the changeset's records followed by the tasks' (the invalidated
// leases and reservations).
void tell_tasks(caf::event_based_actor* self, caf::actor registry,
                std::shared_ptr<std::vector<plan_task_changed>> changes, size_t next,
                std::shared_ptr<command_done> done, caf::typed_response_promise<command_done> rp) {
  if (next == changes->size()) {
    rp.deliver(std::move(*done));
    return self->quit();
  }
  self->request(registry, caf::infinite, (*changes)[next])
    .then(
      [=](command_done& more) mutable {
        for (auto& r : more.records)
          done->records.push_back(std::move(r));
        tell_tasks(self, registry, changes, next + 1, done, rp);
      },
      [=](caf::error& err) mutable {
        // The plan advanced; the task keeps its claim until the change reaches it. Say so.
        spdlog::error("plan change of task {} not recorded: {}", (*changes)[next].task,
                      caf::to_string(err));
        rp.deliver(std::move(err));
        self->quit();
      });
}

// The per-task messages of an applied changeset: each changed task once, fields merged in
// operation order, material if any of its updates was.
std::vector<plan_task_changed> task_changes(const command_done& done, const command_meta& meta) {
  std::vector<plan_task_changed> out;
  for (auto& rec : done.records) {
    if (rec.type != events::changeset_applied::type)
      continue;
    auto ev = events::decode_payload(rec.type, rec.schema, rec.payload);
    if (!ev)
      continue;
    auto& e = std::get<events::changeset_applied>(*ev);
    for (auto& u : e.updates) {
      auto& update = u.as_object();
      auto task = std::string(update.at("task_id").as_string());
      auto it = std::find_if(out.begin(), out.end(),
                             [&](const plan_task_changed& c) { return c.task == task; });
      if (it == out.end()) {
        out.push_back({meta, e.project.str(), task, e.changeset, e.version_number, {}, false});
        it = std::prev(out.end());
      }
      for (auto& [key, value] : update.at("fields").as_object())
        it->fields[key] = value;
    }
    for (auto& t : e.material)
      for (auto& c : out)
        if (c.task == t.str())
          c.material = true;
  }
  return out;
}

}  // namespace

void apply_changeset_and_tell_tasks(caf::event_based_actor* self, caf::actor registry,
                                    caf::actor project, apply_changeset c,
                                    caf::typed_response_promise<command_done> rp) {
  auto meta = c.meta;
  self->request(project, caf::infinite, std::move(c))
    .then(
      [=](command_done& done) mutable {
        auto changes =
          std::make_shared<std::vector<plan_task_changed>>(task_changes(done, meta));
        tell_tasks(self, registry, changes, 0, std::make_shared<command_done>(std::move(done)),
                   rp);
      },
      [=](caf::error& err) mutable {
        rp.deliver(std::move(err));
        self->quit();
      });
}

}  // namespace tascade
