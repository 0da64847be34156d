#include "actors/alert_desk.hpp"

#include "actors/fold_stream.hpp"
#include "tascade/errc.hpp"

#include <spdlog/spdlog.h>

namespace tascade {

caf::expected<alert_desk_state> rehydrate_alert_desk(const event_log& log) {
  alert_desk_state s;
  if (auto ok = fold_stream(log, alert_stream, 0,
                            [&](const events::event& ev) { tascade::apply(s, ev); });
      !ok)
    return std::move(ok.error());
  return s;
}

caf::behavior alert_desk_behavior(caf::stateful_actor<alert_desk_actor_state>* self,
                                  actor_deps deps, readings_fn readings) {
  if (auto s = rehydrate_alert_desk(*deps.log)) {
    self->state.domain = std::move(*s);
  } else {
    spdlog::error("alert desk cannot be rehydrated: {}", message_of(s.error()));
    self->state.broken = s.error();
  }
  auto commit_alerts = [self, deps](caf::expected<std::vector<events::event>> decided,
                                    const command_meta& meta) {
    return commit(self, deps.log_writer, alert_stream, self->state.domain, self->state.pipe,
                  std::move(decided), meta, deps.clock(), [](auto&, auto&) {},
                  [self, deps] {
                    auto fresh = rehydrate_alert_desk(*deps.log);
                    if (fresh)
                      return void(self->state.domain = std::move(*fresh));
                    self->state.broken = fresh.error();
                  });
  };
  return {
    [self, deps, readings, commit_alerts](const check_alerts& c) {
      if (self->state.broken)
        return;
      evaluate_alerts eval{c.project, readings(c.project, deps.clock())};
      auto decided = decide(self->state.domain, eval, [] { return uuid::random(); });
      if (!decided.empty())
        commit_alerts(std::move(decided), command_meta{"metrics", ""});
    },
    [self, commit_alerts](const acknowledge_alert& c) -> caf::result<command_done> {
      if (self->state.broken)
        return self->state.broken;
      return commit_alerts(decide(self->state.domain, c), c.meta);
    },
    [self, deps, commit_alerts](const set_alert_thresholds& c) -> caf::result<command_done> {
      if (self->state.broken)
        return self->state.broken;
      auto exists = [&deps](const project_id& id) { return deps.known.project_exists(id.str()); };
      return commit_alerts(decide(self->state.domain, c, exists), c.meta);
    },
  };
}

}  // namespace tascade
