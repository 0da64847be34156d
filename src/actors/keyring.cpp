#include "actors/keyring.hpp"

#include "actors/commit.hpp"
#include "actors/fold_stream.hpp"
#include "actors/python_literal.hpp"
#include "events/sha256.hpp"
#include "tascade/errc.hpp"

#include <spdlog/spdlog.h>
#include <sys/random.h>

#include <algorithm>

namespace tascade {

using key_events = caf::expected<std::vector<events::event>>;

key_events decide(const keyring_state&, const create_key& c, const uuid& new_id,
                  const std::function<bool(const project_id&)>& project_exists) {
  std::string project = c.project;
  if (project != "*") {
    auto id = project_id::parse(project);
    if (!id || !project_exists(*id))
      return make_error(errc::project_not_found, "Project not found");
    project = id->str();  // canonical lowercase, as every comparison expects
  }
  std::vector<std::string> unknown;
  for (auto& r : c.roles)
    if (std::find(role_names.begin(), role_names.end(), r) == role_names.end())
      unknown.push_back(r);
  if (!unknown.empty())
    return make_error(errc::invalid_roles, "Invalid role scopes: " + python_sorted_list(unknown),
                      {{"valid_roles", boost::json::array(role_names.begin(), role_names.end())}});
  if (c.name.empty())
    return make_error(errc::validation_failed, "name must not be empty");
  return std::vector<events::event>{
    events::key_created{new_id, project, c.name, c.roles, c.hash, c.created_by}};
}

key_events decide(const keyring_state& s, const revoke_key& c) {
  auto id = uuid::parse(c.key);
  auto it = id ? s.keys.find(*id) : s.keys.end();
  if (it == s.keys.end())
    return make_error(errc::api_key_not_found, "API key not found");
  if (c.project != "*" && it->second.project != c.project)
    return make_error(errc::key_project_mismatch, "the key belongs to another project");
  if (it->second.revoked)
    return make_error(errc::already_revoked, "API key is already revoked");
  return std::vector<events::event>{events::key_revoked{*id, it->second.project, c.revoked_by}};
}

void apply(keyring_state& s, const events::event& ev) {
  if (auto* created = std::get_if<events::key_created>(&ev))
    s.keys[created->id] = {created->project, created->name, false};
  else if (auto* revoked = std::get_if<events::key_revoked>(&ev))
    s.keys[revoked->id].revoked = true;
  ++s.version;
}

std::string generate_api_key() {
  std::array<uint8_t, 32> bytes;
  size_t filled = 0;
  while (filled < bytes.size()) {
    auto n = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (n > 0)
      filled += size_t(n);
  }
  static constexpr char digits[] = "0123456789abcdef";
  std::string key = "tsk_";
  for (auto b : bytes) {
    key.push_back(digits[b >> 4]);
    key.push_back(digits[b & 15]);
  }
  return key;
}

caf::expected<keyring_state> rehydrate_keyring(const event_log& log) {
  keyring_state s;
  if (auto ok = fold_stream(log, keyring_stream, 0,
                                [&](const events::event& ev) { tascade::apply(s, ev); }); !ok)
    return std::move(ok.error());
  return s;
}

caf::expected<std::string> issue_key_offline(event_log& log, const std::string& project,
                                             const std::string& name,
                                             const std::vector<std::string>& roles,
                                             const std::string& created_by, timestamp now) {
  auto state = rehydrate_keyring(log);
  if (!state)
    return std::move(state.error());
  auto raw = generate_api_key();
  auto exists = [&log](const project_id& id) {
    auto head = log.stream_head(project_stream(id.str()));
    return head && *head > 0;
  };
  auto decided = decide(*state, create_key{{created_by, ""}, project, name, roles,
                                           sha256_hex(raw), created_by},
                        uuid::random(), exists);
  if (!decided)
    return std::move(decided.error());
  auto results =
    log.append({envelopes(keyring_stream, state->version, *decided, {created_by, ""}, now)});
  if (!results[0])
    return std::move(results[0].error());
  return raw;
}

caf::behavior keyring_behavior(caf::stateful_actor<keyring_actor_state>* self, actor_deps deps) {
  if (auto s = rehydrate_keyring(*deps.log)) {
    self->state.domain = std::move(*s);
  } else {
    spdlog::error("keyring cannot be rehydrated: {}", message_of(s.error()));
    self->state.broken = s.error();
    self->quit(std::move(s.error()));  // the registry forgets it; the next command retries
  }
  auto commit_keys = [self, deps](key_events decided, const command_meta& meta) {
    return commit(self, deps.log_writer, keyring_stream, self->state.domain, self->state.pipe,
                  std::move(decided), meta, deps.clock(), [](auto&, auto&) {},
                  [self, deps] {
                    auto fresh = rehydrate_keyring(*deps.log);
                    if (fresh)
                      return void(self->state.domain = std::move(*fresh));
                    self->state.broken = fresh.error();
                    self->quit(std::move(fresh.error()));
                  });
  };
  // Records what the denial window hands back, and wakes up when its next window closes.
  auto record = [self, deps, commit_keys](std::vector<events::event> evs) {
    if (!evs.empty())
      commit_keys(std::move(evs), command_meta{"auth", ""});
    auto next = self->state.denials.next_close();
    if (next && !self->state.close_scheduled) {
      self->state.close_scheduled = true;
      auto wait = std::max<int64_t>(next->micros - deps.clock().micros, 0) + 1000;
      self->delayed_anon_send(self, std::chrono::microseconds(wait), close_denials{});
    }
  };
  auto as_events = [](std::vector<events::auth_denied> denied) {
    return std::vector<events::event>(std::make_move_iterator(denied.begin()),
                                      std::make_move_iterator(denied.end()));
  };
  return {
    [self, deps, record, as_events](const record_denial& r) {
      if (self->state.broken)
        return;
      // The reference's audit write fails silently for a project that does not exist.
      if (!deps.known.project_exists(r.what.project))
        return;
      record(as_events(self->state.denials.add(r.what, deps.clock())));
    },
    [self, deps, record, as_events](close_denials) {
      self->state.close_scheduled = false;
      if (!self->state.broken)
        record(as_events(self->state.denials.close(deps.clock())));
    },
    [self, deps, commit_keys](const create_key& c) -> caf::result<command_done> {
      if (self->state.broken)
        return self->state.broken;
      auto exists = [&deps](const project_id& id) {
        return deps.known.project_exists(id.str());
      };
      return commit_keys(decide(self->state.domain, c, uuid::random(), exists), c.meta);
    },
    [self, commit_keys](const revoke_key& c) -> caf::result<command_done> {
      if (self->state.broken)
        return self->state.broken;
      return commit_keys(decide(self->state.domain, c), c.meta);
    },
  };
}

}  // namespace tascade
