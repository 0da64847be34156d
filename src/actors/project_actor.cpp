#include "actors/project_actor.hpp"

#include "events/codec/payload_codec.hpp"
#include "events/log_writer.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

namespace tascade {

caf::expected<project_state> rehydrate_project(const event_log& log, const project_id& id) {
  project_state state;
  state.id = id;
  auto stream = project_stream(id.str());
  auto snap = log.latest_snapshot(stream);
  if (!snap)
    return std::move(snap.error());
  if (*snap) {
    boost::system::error_code ec;
    auto value = boost::json::parse((*snap)->state, ec);
    if (ec || !value.is_object() || !project_state::from_snapshot(value.get_object(), state) ||
        state.version != (*snap)->version)
      return make_error(errc::storage_failure, "corrupt snapshot of " + stream);
  }
  auto records = log.read_stream(stream, state.version);
  if (!records)
    return std::move(records.error());
  for (auto& rec : *records) {
    auto ev = events::decode_payload(rec.type, rec.schema, rec.payload);
    if (!ev)
      return std::move(ev.error());
    tascade::apply(state, *ev);
  }
  return state;
}

namespace {

using actor_ptr = caf::stateful_actor<project_actor_state>*;

// Turns decided events into envelopes that continue the project's stream.
std::vector<new_event> envelopes(const project_state& s, const std::vector<events::event>& evs,
                                 const command_meta& meta, timestamp now) {
  std::vector<new_event> out;
  out.reserve(evs.size());
  auto stream = project_stream(s.id.str());
  auto version = s.version;
  for (auto& ev : evs) {
    new_event e;
    e.stream = stream;
    e.version = ++version;
    e.type = std::string(events::type_of(ev));
    e.schema = events::schema_of(ev);
    e.time = now;
    e.principal = meta.principal;
    e.correlation = meta.correlation;
    e.payload = events::encode_payload(ev);
    out.push_back(std::move(e));
  }
  return out;
}

// Appends the decided events, then applies them and replies. `await` keeps later commands in
// the mailbox until this one is durable, so every decision sees all earlier ones.
caf::result<command_done> commit(actor_ptr self, const project_deps& deps,
                                 caf::expected<std::vector<events::event>> decided,
                                 const command_meta& meta) {
  if (!decided)
    return std::move(decided.error());
  auto evs = std::make_shared<std::vector<events::event>>(std::move(*decided));
  auto batch = envelopes(self->state.domain, *evs, meta, deps.clock());
  auto rp = self->make_response_promise<command_done>();
  self->request(deps.log_writer, caf::infinite, append_atom::value, std::move(batch))
    .await(
      [self, deps, evs, rp](std::vector<event_record>& records) mutable {
        auto& domain = self->state.domain;
        auto before = domain.version;
        for (auto& ev : *evs)
          tascade::apply(domain, ev);
        if (deps.snapshot_every && domain.version / deps.snapshot_every !=
                                     before / deps.snapshot_every) {
          auto snap = boost::json::serialize(domain.to_snapshot());
          if (auto ok = deps.log->put_snapshot(project_stream(domain.id.str()), domain.version,
                                               snap);
              !ok)
            spdlog::warn("snapshot of project {} failed: {}", domain.id.str(),
                         message_of(ok.error()));
        }
        rp.deliver(command_done{std::move(records)});
      },
      [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

// Every command goes through the same path; only add_dependency needs the task locator.
template <class Command>
auto decide_with(const project_state& s, const Command& c, const project_deps& deps) {
  decide_context ctx{deps.clock(), uuid::random};
  if constexpr (std::is_same_v<Command, add_dependency>)
    return decide(s, c, deps.locate, ctx);
  else
    return decide(s, c, ctx);
}

template <class Command>
auto handler(actor_ptr self, const project_deps& deps) {
  return [self, deps](const Command& c) -> caf::result<command_done> {
    if (self->state.broken)
      return self->state.broken;
    return commit(self, deps, decide_with(self->state.domain, c, deps), c.meta);
  };
}

}  // namespace

caf::behavior project_behavior(actor_ptr self, project_id id, project_deps deps) {
  if (auto state = rehydrate_project(*deps.log, id)) {
    self->state.domain = std::move(*state);
  } else {
    spdlog::error("project {} cannot be rehydrated: {}", id.str(), message_of(state.error()));
    self->state.broken = std::move(state.error());
  }
  return {
    handler<create_project>(self, deps),
    handler<create_phase>(self, deps),
    handler<create_milestone>(self, deps),
    handler<create_task>(self, deps),
    handler<add_dependency>(self, deps),
  };
}

}  // namespace tascade
