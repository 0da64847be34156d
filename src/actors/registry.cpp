#include "actors/registry.hpp"

#include "tascade/errc.hpp"

namespace tascade {

namespace {

using actor_ptr = caf::stateful_actor<registry_state>*;

caf::actor spawn_project(actor_ptr self, const project_id& id, const project_deps& deps) {
  auto actor = self->spawn(project_behavior, id, deps);
  self->state.projects.emplace(id, actor);
  return actor;
}

// The actor of an existing project, started on first use; nullopt when there is none.
std::optional<caf::actor> find_project(actor_ptr self, std::string_view ref,
                                       const project_deps& deps) {
  auto id = project_id::parse(ref);
  if (!id)
    return std::nullopt;
  if (auto it = self->state.projects.find(*id); it != self->state.projects.end())
    return it->second;
  auto head = deps.log->stream_head(project_stream(id->str()));
  if (!head || *head == 0)
    return std::nullopt;
  return spawn_project(self, *id, deps);
}

template <class Command>
auto forward_to_project(actor_ptr self, const project_deps& deps) {
  return [self, deps](Command& c) -> caf::result<command_done> {
    auto actor = find_project(self, c.project, deps);
    if (!actor) {
      if constexpr (std::is_same_v<Command, add_dependency>) {
        // The reference reports edges into a missing project by their tasks, not the project.
        auto refused = decide(project_state{}, c, deps.locate, {deps.clock(), uuid::random});
        return refused ? make_error(errc::project_mismatch, "both tasks must belong to project_id")
                       : std::move(refused.error());
      } else {
        return make_error(errc::project_not_found, "Project not found");
      }
    }
    self->delegate(*actor, std::move(c));
    return caf::delegated<command_done>{};
  };
}

}  // namespace

caf::behavior registry_behavior(actor_ptr self, project_deps deps) {
  return {
    [self, deps](create_project& c) -> caf::result<command_done> {
      auto actor = spawn_project(self, project_id::random(), deps);
      self->delegate(actor, std::move(c));
      return caf::delegated<command_done>{};
    },
    forward_to_project<create_phase>(self, deps),
    forward_to_project<create_milestone>(self, deps),
    forward_to_project<create_task>(self, deps),
    forward_to_project<add_dependency>(self, deps),
  };
}

}  // namespace tascade
