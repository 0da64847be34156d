#include "actors/project_actor.hpp"

#include "events/codec/payload_codec.hpp"
#include "actors/commit.hpp"
#include "actors/fold_stream.hpp"
#include "actors/gate_rules.hpp"
#include "actors/plan_apply_rules.hpp"
#include "actors/plan_rules.hpp"
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
  if (auto ok = fold_stream(log, stream, state.version,
                                [&](const events::event& ev) { tascade::apply(state, ev); }); !ok)
    return std::move(ok.error());
  return state;
}

namespace {

using actor_ptr = caf::stateful_actor<project_actor_state>*;

caf::result<command_done> commit_project(actor_ptr self, const shared_deps& shared,
                                         caf::expected<std::vector<events::event>> decided,
                                         const command_meta& meta) {
  const auto& deps = *shared;
  auto& st = self->state;
  auto before = st.domain.version;
  auto stream = project_stream(st.domain.id.str());
  // Crossing a snapshot boundary: the state right after the decision is the log's state once
  // this command is durable, so it is serialised then and stored only when the command is.
  auto snapshot = std::make_shared<std::string>();
  auto answer = commit(
    self, deps.log_writer, stream, st.domain, st.pipe, std::move(decided), meta, deps.clock(),
    [log = deps.log, stream, snapshot](std::vector<event_record>& records, const auto&) {
      if (snapshot->empty() || records.empty())
        return;
      if (auto ok = log->put_snapshot(stream, records.back().version, *snapshot); !ok)
        spdlog::warn("snapshot of {} failed: {}", stream, message_of(ok.error()));
    },
    [self, log = deps.log] {
      auto fresh = rehydrate_project(*log, self->state.domain.id);
      if (fresh)
        return void(self->state.domain = std::move(*fresh));
      spdlog::error("project {} cannot be reloaded: {}", self->state.domain.id.str(),
                    message_of(fresh.error()));
      self->state.broken = fresh.error();
      self->quit(std::move(fresh.error()));
    });
  auto after = st.domain.version;
  if (deps.snapshot_every && after / deps.snapshot_every != before / deps.snapshot_every)
    *snapshot = boost::json::serialize(st.domain.to_snapshot());
  return answer;
}

// Every command goes through the same path; only add_dependency needs the task locator.
template <class Command>
auto decide_with(const project_state& s, const Command& c, const actor_deps& deps) {
  decide_context ctx{deps.clock(), uuid::random};
  if constexpr (std::is_same_v<Command, add_dependency>)
    return decide(s, c, deps.known.locate, ctx);
  else if constexpr (std::is_same_v<Command, record_gate_decision>)
    return decide(s, c, deps.known.locate, deps.known.locate_phase, ctx);
  else if constexpr (std::is_same_v<Command, evaluate_gate_policies>)
    return decide(s, c, deps.known.policy_milestones(s.id), ctx);
  else
    return decide(s, c, ctx);
}

template <class Command>
auto handler(actor_ptr self, const shared_deps& deps) {
  return [self, deps](const Command& c) -> caf::result<command_done> {
    if (self->state.broken)
      return self->state.broken;
    return commit_project(self, deps, decide_with(self->state.domain, c, *deps), c.meta);
  };
}

}  // namespace

caf::behavior project_behavior(actor_ptr self, project_id id, shared_deps deps) {
  // Replies to internal notices (record_unlocked) have nowhere to go; never quit over one.
  self->set_default_handler(
    [](caf::scheduled_actor*, caf::message_view&) -> caf::result<caf::message> {
      return caf::message{};
    });
  if (auto state = rehydrate_project(*deps->log, id)) {
    self->state.domain = std::move(*state);
  } else {
    spdlog::error("project {} cannot be rehydrated: {}", id.str(), message_of(state.error()));
    self->state.broken = state.error();
    self->quit(std::move(state.error()));  // the registry forgets it; the next command retries
  }
  return {
    handler<create_project>(self, deps),
    handler<create_phase>(self, deps),
    handler<create_milestone>(self, deps),
    handler<create_task>(self, deps),
    handler<add_dependency>(self, deps),
    handler<record_unlocked>(self, deps),
    handler<create_gate_rule>(self, deps),
    handler<record_gate_decision>(self, deps),
    handler<evaluate_gate_policies>(self, deps),
    handler<create_changeset>(self, deps),
    handler<apply_changeset>(self, deps),
    handler<apply_plan>(self, deps),
  };
}

}  // namespace tascade
