// The API-key operations of the catalogue (issue 5): create (the raw key is shown once), list,
// revoke. Keys live on the keyring's stream; only their SHA-256 is recorded.

#include "actors/keyring.hpp"
#include "events/sha256.hpp"
#include "catalogue/operation_support.hpp"

namespace tascade::catalogue {

namespace {

json::object key_info(const key_view& k, std::optional<timestamp> last_used) {
  auto time = [](const std::optional<timestamp>& t) {
    return t ? json::value(t->iso()) : json::value(nullptr);
  };
  return {{"id", k.id.str()},
          {"project_id", k.project},
          {"name", k.name},
          {"role_scopes", json::array(k.roles.begin(), k.roles.end())},
          {"status", k.status},
          {"created_by", k.created_by},
          {"created_at", k.created_at.iso()},
          {"last_used_at", time(last_used)},
          {"revoked_at", time(k.revoked_at)}};
}

operation create_key_op(const services& s) {
  auto op = acting_as(
    {"create_api_key",
     "Issue an API key for one project, or a global key (project_id \"*\"), with role_scopes "
     "among planner, agent, reviewer, operator, admin. The raw key (tsk_…) is in this "
     "response only; the server keeps its SHA-256.",
     "POST", "/v1/api-keys", std::vector<role>{role::admin}, false, 201, "ApiKeyCreated",
     {body("project_id", field_type::string, true, "Project UUID, or \"*\" for a global key."),
      text("name", "The principal's name: the identity the key acts as."),
      body("role_scopes", field_type::string_array, true, "Roles of the key (may be empty)."),
      text("created_by", "Who issues it.")},
     [s](call_context ctx, json::object in) {
       auto project = str(in, "project_id");
       auto raw = generate_api_key();
       create_key cmd{meta_of(ctx),          project, str(in, "name"), strings(in, "role_scopes"),
                      sha256_hex(raw), str(in, "created_by")};
       run_command(s, ctx, std::move(cmd), 201,
                   [raw](const read_model& m, const command_done& d) -> json::value {
                     auto* k = m.key(*uuid::parse(created_id(d)));
                     if (!k)
                       return nullptr;
                     return json::object{{"id", k->id.str()},
                                         {"project_id", k->project},
                                         {"name", k->name},
                                         {"role_scopes", json::array(k->roles.begin(),
                                                                     k->roles.end())},
                                         {"raw_key", raw},
                                         {"created_at", k->created_at.iso()}};
                   });
     }},
    {"created_by"});
  op.secret_result = true;
  return op;
}

operation list_keys_op(const services& s) {
  return {"list_api_keys",
          "A project's API keys (\"*\": every key), newest first, without secrets.", "GET",
          "/v1/api-keys", std::vector<role>{role::admin, role::operator_}, false, 200,
          "ApiKeyList",
          {query("project_id", field_type::string, true, nullptr,
                 "Project UUID, or \"*\" for every key.")},
          [s](call_context ctx, json::object in) {
            run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
              json::array items;
              for (auto* k : m.keys(str(in, "project_id")))
                items.push_back(key_info(*k, s.last_used ? s.last_used(k->id.str()) : std::nullopt));
              return json::object{{"items", items}};
            });
          }};
}

operation revoke_key_op(const services& s) {
  return {"revoke_api_key",
          "Revoke an API key: its next request gets 401 AUTH_INVALID. A key may revoke itself.",
          "POST", "/v1/api-keys/{key_id}/revoke", std::vector<role>{role::admin}, false, 200,
          "ApiKeyRevoked",
          {path_param("key_id", "API key id."),
           query("project_id", field_type::string, true, nullptr,
                 "The key's project (\"*\" reaches every key, for global admins).")},
          [s](call_context ctx, json::object in) {
            revoke_key cmd{meta_of(ctx), str(in, "key_id"), str(in, "project_id"), ctx.who.name};
            run_command(s, ctx, std::move(cmd), 200,
                        [](const read_model& m, const command_done& d) -> json::value {
                          auto* k = m.key(*uuid::parse(created_id(d)));
                          if (!k || !k->revoked_at)
                            return nullptr;
                          return json::object{{"id", k->id.str()},
                                              {"status", k->status},
                                              {"revoked_at", k->revoked_at->iso()}};
                        });
          }};
}

}  // namespace

std::vector<operation> key_operations(const services& s) {
  return {create_key_op(s), list_keys_op(s), revoke_key_op(s)};
}

}  // namespace tascade::catalogue
