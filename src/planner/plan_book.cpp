#include "planner/plan_book.hpp"

#include "actors/fold_stream.hpp"
#include "tascade/errc.hpp"

#include <spdlog/spdlog.h>

namespace tascade {

namespace {

using actor_ptr = caf::stateful_actor<plan_book_actor_state>*;

// The plan's state, folded from its stream on first use (an unknown plan has version 0).
caf::expected<plan_state*> load(actor_ptr self, const actor_deps& deps, const uuid& id) {
  auto& plans = self->state.plans;
  if (auto it = plans.find(id); it != plans.end())
    return &it->second;
  plan_state s;
  s.id = id;
  if (auto ok = fold_stream(*deps.log, plan_stream(id.str()), 0,
                            [&](const events::event& ev) { tascade::apply(s, ev); });
      !ok)
    return std::move(ok.error());
  return &plans.emplace(id, std::move(s)).first->second;
}

}  // namespace

caf::behavior plan_book_behavior(
  actor_ptr self, actor_deps deps, planner::planner_settings settings,
  std::function<bool(const std::string&, const std::string&)> run_exists) {
  // Appends on a plan's stream; a failed one drops what is cached, to be folded again.
  auto commit_plan = [self, deps](plan_state& s, caf::expected<std::vector<events::event>> d,
                                  const command_meta& meta) {
    return commit(self, deps.log_writer, plan_stream(s.id.str()), s, self->state.pipe,
                  std::move(d), meta, deps.clock(), [](auto&, auto&) {},
                  [self] {
                    self->state.plans.clear();
                    self->state.runs.clear();
                  });
  };
  // A new plan's state, with a fresh id that no stream holds yet.
  auto fresh = [self]() -> plan_state& {
    auto id = uuid::random();
    auto& s = self->state.plans[id];
    s.id = id;
    return s;
  };
  return {
    [=](const create_plan& c) -> caf::result<command_done> {
      auto run = std::make_pair(c.project_ref, c.run_id);
      bool taken = self->state.runs.count(run) || (run_exists && run_exists(c.project_ref,
                                                                             c.run_id));
      auto& s = fresh();
      decide_context ctx{deps.clock(), uuid::random};
      auto decided = decide(s, c, taken, settings, ctx);
      if (!decided) {
        auto id = s.id;
        auto refused = commit_plan(s, std::move(decided), c.meta);
        self->state.plans.erase(id);
        return refused;
      }
      self->state.runs.insert(run);
      return commit_plan(s, std::move(decided), c.meta);
    },
    [=](const rerun_plan& c) -> caf::result<command_done> {
      auto& s = fresh();
      decide_context ctx{deps.clock(), uuid::random};
      auto decided = decide(s, c, settings, ctx);
      if (!decided) {
        auto id = s.id;
        auto refused = commit_plan(s, std::move(decided), c.meta);
        self->state.plans.erase(id);
        return refused;
      }
      self->state.runs.insert({c.project_ref, c.run_id});
      return commit_plan(s, std::move(decided), c.meta);
    },
    [=](const record_callback& c) -> caf::result<command_done> {
      auto s = load(self, deps, c.plan);
      if (!s)
        return std::move(s.error());
      decide_context ctx{deps.clock(), uuid::random};
      return commit_plan(**s, decide(**s, c, ctx), c.meta);
    },
  };
}

}  // namespace tascade
