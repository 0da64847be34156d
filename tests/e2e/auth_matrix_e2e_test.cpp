// End-to-end: the authorisation matrix (issue 5; spec §4.4-4.6). The operations come from the
// catalogue itself, so a new operation is covered without touching this file: each one is sent,
// over real HTTP to one server with API keys, by a key of each role scoped to project A (own
// project and other project B), by a global operator, with no key and with a revoked key, and
// each answer is checked against what its declaration (roles, scope kind) demands.
//
// Requests are generated from the operations' field specs so that they pass validation (a 422
// would hide the authorisation answer): ids of the target project, the caller's own name in
// identity fields, defaults for the rest. An allowed request may still fail in the domain
// (409, 404): the check is only that authorisation let it through.

#include "actors/access_rules.hpp"
#include "catalogue/catalogue.hpp"
#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace tascade::test {
namespace {

namespace json = boost::json;

// ---- the catalogue, read as a table ------------------------------------------------------------

// Built without a running system: only the table is read, no handler is called.
const std::vector<operation>& catalogue() {
  static projection_hub hub;
  static const auto ops = catalogue::make_catalogue({nullptr, caf::actor{}, &hub});
  return ops;
}

bool has_field(const operation& op, std::string_view name) {
  return std::any_of(op.input.begin(), op.input.end(),
                     [&](const field_spec& f) { return f.name == name; });
}

// Whether a key holding `held` passes the role check of `op` (admin is accepted everywhere).
bool accepts(const operation& op, const std::vector<role>& held) {
  if (op.roles->empty())
    return true;
  for (auto r : held)
    if (r == role::admin || std::find(op.roles->begin(), op.roles->end(), r) != op.roles->end())
      return true;
  return false;
}

// ---- the world the matrix runs in ---------------------------------------------------------------

// One project's ids, as the generated requests use them.
struct project_ids {
  std::string project, phase, milestone, task, other_task, attempt, revoked_key;
  std::vector<std::string> all() const {
    return {project, phase, milestone, task, other_task, attempt, revoked_key};
  }
};

// A caller of the matrix.
struct caller {
  std::string label;     // column title
  std::string name;      // the key's name, used in identity fields
  std::string project;   // project UUID, or "*"
  std::vector<role> roles;
  std::unique_ptr<http_client> client;
};

struct matrix_world {
  temp_dir data;
  std::unique_ptr<server_process> server;
  project_ids a, b;
  std::string b_only_short_id;  // a short id that only a task of B has
  std::string b_only_task;
  std::vector<caller> callers;  // five roles scoped to A, then the global operator
  std::unique_ptr<http_client> anonymous, revoked;
};

// A key created by the global admin; returns {id, raw_key}.
std::pair<std::string, std::string> make_key(http_client& admin, const std::string& project,
                                             const std::string& name, json::array roles) {
  auto r = admin.post("/v1/api-keys", json::object{{"project_id", project},
                                                   {"name", name},
                                                   {"role_scopes", std::move(roles)},
                                                   {"created_by", "admin"}});
  auto created = expect_object(r, 201, "create key " + name);
  return {id_of(created), str(created, "raw_key")};
}

void revoke(http_client& admin, const std::string& project, const std::string& key) {
  expect_object(admin.post("/v1/api-keys/" + key + "/revoke?project_id=" + project, json::object{}),
                200, "revoke key");
}

std::unique_ptr<http_client> client_with(uint16_t port, const std::string& raw_key) {
  auto c = std::make_unique<http_client>(port);
  if (!raw_key.empty())
    c->default_headers({{"Authorization", "Bearer " + raw_key}});
  return c;
}

project_ids build_project(http_client& admin, const std::string& name) {
  project_ids p;
  auto h = setup_h(admin, name);
  p.project = h.project;
  p.phase = h.phase;
  p.milestone = h.milestone;
  p.task = id_of(create_task(admin, h.project, h.milestone, name + " task 1"));
  p.other_task = id_of(create_task(admin, h.project, h.milestone, name + " task 2"));
  auto attempt = admin.post("/v1/tasks/" + p.task + "/integration-attempts",
                            json::object{{"project_id", p.project}});
  p.attempt = id_of(expect_object(attempt, 201, "enqueue attempt"));
  // Revoking an already revoked key is ALREADY_REVOKED (409): the matrix's allowed revokes
  // change nothing.
  p.revoked_key = make_key(admin, p.project, name + "-revoked", json::array{"admin"}).first;
  revoke(admin, p.project, p.revoked_key);
  return p;
}

std::unique_ptr<matrix_world> build_world() {
  auto w = std::make_unique<matrix_world>();
  w->server = std::make_unique<server_process>(w->data.str(), std::vector<std::string>{},
                                               auth_setting::required);
  if (w->server->admin_key().empty())
    throw std::runtime_error("the first start printed no admin key:\n" + w->server->output());
  auto admin = w->server->client();
  w->a = build_project(admin, "Matrix A");
  w->b = build_project(admin, "Matrix B");
  // A task of B in a second phase: A never gets a phase with sequence 1 (the matrix creates
  // phases with sequence 0, which conflict), so its short id exists in B only.
  auto phase2 = id_of(create_phase(admin, w->b.project, "Phase 2", 1));
  auto milestone2 = id_of(create_milestone(admin, w->b.project, phase2, "Milestone 2", 1));
  auto only = create_task(admin, w->b.project, milestone2, "B only");
  w->b_only_task = id_of(only);
  w->b_only_short_id = str(only, "short_id");

  auto port = w->server->port();
  const std::vector<std::pair<std::string, role>> roles{{"planner", role::planner},
                                                        {"agent", role::agent},
                                                        {"reviewer", role::reviewer},
                                                        {"operator", role::operator_},
                                                        {"admin", role::admin}};
  for (auto& [label, r] : roles) {
    auto name = label + "-key";
    auto [id, raw] = make_key(admin, w->a.project, name, json::array{json::string(label)});
    w->callers.push_back({label, name, w->a.project, {r}, client_with(port, raw)});
  }
  auto [id, raw] = make_key(admin, "*", "global-operator", json::array{"operator"});
  w->callers.push_back(
    {"g-oper", "global-operator", "*", {role::operator_}, client_with(port, raw)});
  auto [revoked_id, revoked_raw] = make_key(admin, w->a.project, "revoked-key",
                                            json::array{"admin"});
  revoke(admin, w->a.project, revoked_id);
  w->revoked = client_with(port, revoked_raw);
  w->anonymous = client_with(port, "");
  return w;
}

// ---- generated requests -------------------------------------------------------------------------

// Fields that name the caller: the key's own name passes the identity check.
bool names_the_caller(const operation& op, const field_spec& f) {
  if (std::find(op.identity_fields.begin(), op.identity_fields.end(), f.name) !=
      op.identity_fields.end())
    return true;
  for (auto name : {"agent_id", "actor_id", "created_by", "assignee_agent_id"})
    if (f.name == name)
      return true;
  return false;
}

// Optional fields worth sending: references the operation checks when present.
bool worth_sending(const operation& op, const field_spec& f) {
  return f.required || names_the_caller(op, f) || f.name == "phase_id" ||
         f.name == "milestone_id";
}

// Bodies that need more than their field types say.
json::object overrides(const operation& op) {
  if (op.name == "create_task")
    return {{"work_spec", json::object{{"objective", "matrix"},
                                       {"acceptance_criteria", json::array{"done"}}}}};
  if (op.name == "create_plan")  // the seed's two spellings make both optional
    return {{"projectId", "matrix"}, {"runId", "matrix"}};
  return {};
}

json::value value_for(const operation& op, const field_spec& f, const project_ids& t,
                      const std::string& who) {
  static const std::map<std::string, std::string project_ids::*> references{
    {"project_id", &project_ids::project},  {"task_id", &project_ids::task},
    {"from_task_id", &project_ids::task},   {"to_task_id", &project_ids::other_task},
    {"phase_id", &project_ids::phase},      {"milestone_id", &project_ids::milestone},
    {"attempt_id", &project_ids::attempt},  {"key_id", &project_ids::revoked_key}};
  if (auto it = references.find(f.name); it != references.end())
    return json::string(t.*(it->second));
  if (names_the_caller(op, f))
    return json::string(who);
  switch (f.type) {
    case field_type::string:
      if (!f.enum_values.empty())
        return json::string(f.enum_values.front());
      return json::string("matrix " + f.name);
    case field_type::integer:
      return f.minimum ? json::value(int64_t(*f.minimum)) : json::value(0);
    case field_type::number: {
      double v = 60;
      if (f.minimum)
        v = std::max(v, *f.minimum);
      if (f.maximum)
        v = std::min(v, *f.maximum);
      return v;
    }
    case field_type::boolean:
      return false;
    case field_type::object:
      return json::object{};
    case field_type::string_array:
    case field_type::array:
    case field_type::string_list:
      return json::array{};
  }
  return nullptr;
}

// Percent-encodes what is not unreserved (RFC 3986), for path segments and query values.
std::string encoded(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '*') {
      out.push_back(char(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

std::string query_text(const json::value& v) {
  if (v.is_string())
    return encoded(v.get_string());
  if (v.is_bool())
    return v.get_bool() ? "true" : "false";
  return json::serialize(v);
}

struct generated_request {
  std::string method, target;
  json::object body;
};

generated_request make_request(const operation& op, const project_ids& t, const std::string& who) {
  generated_request req{op.method, op.path, {}};
  std::string query;
  auto extra = overrides(op);
  for (auto& f : op.input) {
    if (!worth_sending(op, f) && !extra.contains(f.name))
      continue;
    auto v = extra.contains(f.name) ? extra.at(f.name) : value_for(op, f, t, who);
    switch (f.in) {
      case param_in::path: {
        auto placeholder = "{" + f.name + "}";
        auto pos = req.target.find(placeholder);
        if (pos != std::string::npos)
          req.target.replace(pos, placeholder.size(), query_text(v));
        break;
      }
      case param_in::query:
        query += (query.empty() ? "?" : "&") + f.name + "=" + query_text(v);
        break;
      case param_in::body:
        req.body[f.name] = v;
        break;
    }
  }
  req.target += query;
  return req;
}

http_response send(http_client& c, const generated_request& req) {
  if (req.method == "GET")
    return c.get(req.target);
  return c.post(req.target, json::value(req.body));
}

// ---- expectations -------------------------------------------------------------------------------

enum class expected_answer {
  allowed,         // anything but 401, 403, 422 or 5xx
  hidden,          // allowed, but the other project's data does not show
  role_denied,     // 403 INSUFFICIENT_ROLE
  scope_denied,    // 403 PROJECT_SCOPE_VIOLATION
  auth_missing,    // 401 AUTH_MISSING
  auth_invalid,    // 401 AUTH_INVALID
  crossing,        // own project named, other project's ids: refused by the store, no leak
};

const char* describe(expected_answer e) {
  switch (e) {
    case expected_answer::allowed: return "allowed";
    case expected_answer::hidden: return "allowed, other project invisible";
    case expected_answer::role_denied: return "403 INSUFFICIENT_ROLE";
    case expected_answer::scope_denied: return "403 PROJECT_SCOPE_VIOLATION";
    case expected_answer::auth_missing: return "401 AUTH_MISSING";
    case expected_answer::auth_invalid: return "401 AUTH_INVALID";
    case expected_answer::crossing: return "no write, nothing of the other project";
  }
  return "?";
}

// What `op` must answer to `who` addressing the project `target` (its own or another).
expected_answer expect_for(const operation& op, const caller& who, const std::string& target) {
  if (op.public_route)
    return expected_answer::allowed;
  bool scoped = who.project != "*";
  switch (op.scope) {
    case scope_kind::global:  // the role first, then the wildcard project
      if (!accepts(op, who.roles))
        return expected_answer::role_denied;
      return scoped ? expected_answer::scope_denied : expected_answer::allowed;
    case scope_kind::filtered:
      if (!accepts(op, who.roles))
        return expected_answer::role_denied;
      return scoped && target != who.project ? expected_answer::hidden : expected_answer::allowed;
    case scope_kind::automatic:  // the scope first, then the role
      if (has_field(op, "project_id") && scoped && target != who.project)
        return expected_answer::scope_denied;
      return accepts(op, who.roles) ? expected_answer::allowed : expected_answer::role_denied;
  }
  return expected_answer::allowed;
}

// What `op` must answer to `who` naming its own project with ids of another project.
expected_answer expect_crossing(const operation& op, const caller& who) {
  return accepts(op, who.roles) ? expected_answer::crossing : expected_answer::role_denied;
}

// The auth layer's envelope: code, a message, not retryable.
void expect_auth_envelope(const http_response& r, const std::string& code,
                          const std::string& where) {
  EXPECT_EQ(error_code(r), code) << where << ": " << r.body;
  auto v = r.json();
  auto* error = v.is_object() ? v.get_object().if_contains("error") : nullptr;
  ASSERT_TRUE(error && error->is_object()) << where << ": " << r.body;
  auto& e = error->get_object();
  EXPECT_TRUE(e.contains("message") && e.at("message").is_string()) << where << ": " << r.body;
  EXPECT_EQ(e.if_contains("retryable") ? *e.if_contains("retryable") : json::value(nullptr),
            json::value(false))
    << where << ": " << r.body;
  if (r.status == 401) {
    EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer") << where;
  }
}

// An id of project `p` that `body` mentions although the request did not send it; "" if none.
std::string leaked_id(const std::string& body, const project_ids& p, const std::string& sent) {
  for (auto& id : p.all())
    if (!id.empty() && body.find(id) != std::string::npos && sent.find(id) == std::string::npos)
      return id;
  return {};
}

void check(const http_response& r, expected_answer e, const operation& op, const caller* who,
           const project_ids& other, const generated_request& req, const std::string& where) {
  switch (e) {
    case expected_answer::auth_missing:
      EXPECT_EQ(r.status, 401) << where << ": " << r.body;
      expect_auth_envelope(r, "AUTH_MISSING", where);
      return;
    case expected_answer::auth_invalid:
      EXPECT_EQ(r.status, 401) << where << ": " << r.body;
      expect_auth_envelope(r, "AUTH_INVALID", where);
      return;
    case expected_answer::role_denied: {
      EXPECT_EQ(r.status, 403) << where << ": " << r.body;
      expect_auth_envelope(r, "INSUFFICIENT_ROLE", where);
      // The message names the accepted roles, admin included (spec §3.2).
      std::vector<std::string> accepted{"admin"};
      for (auto role : *op.roles)
        accepted.emplace_back(to_string(role));
      for (auto& name : accepted)
        EXPECT_NE(r.body.find(name), std::string::npos) << where << ": " << name << " unnamed";
      return;
    }
    case expected_answer::scope_denied:
      EXPECT_EQ(r.status, 403) << where << ": " << r.body;
      expect_auth_envelope(r, "PROJECT_SCOPE_VIOLATION", where);
      return;
    case expected_answer::allowed:
    case expected_answer::hidden:
    case expected_answer::crossing:
      break;
  }
  // Naming another project's key under one's own project is the store's 403 PROJECT_MISMATCH.
  bool store_refusal = e == expected_answer::crossing && error_code(r) == "PROJECT_MISMATCH";
  EXPECT_TRUE(r.status != 401 && (r.status != 403 || store_refusal))
    << where << ": refused, " << r.body;
  // A 422 means the generated request was not valid: authorisation was not what answered.
  EXPECT_NE(r.status, 422) << where << ": the generated request is invalid, " << r.body;
  EXPECT_LT(r.status, 500) << where << ": " << r.body;
  EXPECT_NE(r.status, 0) << where << ": no answer";
  if (e == expected_answer::hidden && op.name == "get_task") {
    EXPECT_EQ(r.status, 404) << where << ": " << r.body;
    EXPECT_EQ(error_code(r), "TASK_NOT_FOUND") << where << ": " << r.body;
  }
  // A write naming one project never changes another project's entity.
  if (e == expected_answer::crossing && op.method == "POST") {
    EXPECT_FALSE(r.status >= 200 && r.status < 300)
      << where << ": wrote across projects, " << r.body;
  }
  // A project key never sees the other project, whatever it asked for.
  if (who && who->project != "*") {
    auto id = leaked_id(r.body, other, req.target + json::serialize(req.body));
    EXPECT_TRUE(id.empty()) << where << ": the other project's " << id << " shows in " << r.body;
  }
}

// ---- the summary table --------------------------------------------------------------------------

// "403r" role, "403s" scope, "403p" project mismatch, "403i" identity, "401m" missing key,
// "401v" invalid key; else the status.
std::string cell(const http_response& r) {
  static const std::map<std::string, std::string> suffixes{
    {"INSUFFICIENT_ROLE", "r"}, {"PROJECT_SCOPE_VIOLATION", "s"}, {"PROJECT_MISMATCH", "p"},
    {"IDENTITY_MISMATCH", "i"}, {"AUTH_MISSING", "m"},            {"AUTH_INVALID", "v"}};
  auto it = r.status == 401 || r.status == 403 ? suffixes.find(error_code(r)) : suffixes.end();
  return std::to_string(r.status) + (it == suffixes.end() ? "" : it->second);
}

// One row per operation; per caller one column "A/B/AB" (own project, other project, own
// project with the other project's ids), then the keyless cases.
struct summary {
  std::vector<std::string> columns;
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> rows;

  void add(const std::string& row, const std::string& column, const std::string& value) {
    if (std::find(columns.begin(), columns.end(), column) == columns.end())
      columns.push_back(column);
    if (rows.empty() || rows.back().first != row)
      rows.push_back({row, {}});
    auto& text = rows.back().second[column];
    text += (text.empty() ? "" : "/") + value;
  }

  std::string render() const {
    std::ostringstream out;
    out << std::left << std::setw(34) << "operation";
    for (auto& c : columns)
      out << std::setw(16) << c;
    out << "\n";
    for (auto& [row, cells] : rows) {
      out << std::setw(34) << row;
      for (auto& c : columns) {
        auto it = cells.find(c);
        out << std::setw(16) << (it == cells.end() ? "-" : it->second);
      }
      out << "\n";
    }
    out << "(per key: own project A / other project B / A with B's ids, when the operation "
           "takes ids; 403r role, 403s scope, 403p project mismatch, 401m no key, "
           "401v invalid key)\n";
    return out.str();
  }
};

// ---- the suite ----------------------------------------------------------------------------------

class AuthMatrixE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      world_ = build_world().release();
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }
  static void TearDownTestSuite() {
    delete world_;
    world_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(world_, nullptr) << "set-up failed: " << setup_error_; }

  static matrix_world* world_;
  static std::string setup_error_;
};

matrix_world* AuthMatrixE2e::world_ = nullptr;
std::string AuthMatrixE2e::setup_error_;

TEST(AuthCatalogue, EveryOperationDeclaresItsRoles) {
  ASSERT_FALSE(catalogue().empty());
  for (auto& op : catalogue())
    EXPECT_TRUE(op.roles.has_value()) << op.name << " declares no role";
}

// An operation whose scope comes from its input must name a project there; otherwise a
// project key could reach any project through it.
TEST(AuthCatalogue, EveryProjectScopedOperationNamesItsProject) {
  for (auto& op : catalogue()) {
    if (op.public_route || op.scope != scope_kind::automatic)
      continue;
    EXPECT_TRUE(has_field(op, "project_id"))
      << op.name << " has no project_id input: declare it filtered or global, or add one";
  }
}

TEST_F(AuthMatrixE2e, EveryOperationRoleAndProjectGetsItsExpectedAnswer) {
  auto& w = *world_;
  summary table;
  size_t cells = 0, crossings = 0;
  for (auto& op : catalogue()) {
    ASSERT_TRUE(op.roles.has_value()) << op.name;
    if (op.mcp_only)
      continue;  // no REST route (MCP calls go through the same authorize())
    for (auto& who : w.callers) {
      for (auto* target : {&w.a, &w.b}) {
        auto label = who.label + (target == &w.a ? " A" : " B");
        auto req = make_request(op, *target, who.name);
        auto r = send(*who.client, req);
        auto expected = expect_for(op, who, target->project);
        auto where = op.name + " as " + label + " (" + req.method + " " + req.target +
                     ", expected " + describe(expected) + ")";
        check(r, expected, op, &who, w.b, req, where);
        table.add(op.name, who.label + " A/B/AB", cell(r));
        ++cells;
      }
      // The key's own project with the other project's ids, for operations that take both.
      auto crossing_ids = w.b;
      crossing_ids.project = who.project == "*" ? w.a.project : who.project;
      auto req = make_request(op, crossing_ids, who.name);
      auto own = make_request(op, w.a, who.name), other = make_request(op, w.b, who.name);
      auto same = [&](const generated_request& x) {
        return x.target == req.target && x.body == req.body;
      };
      if (op.public_route || op.scope != scope_kind::automatic || same(own) || same(other))
        continue;
      auto r = send(*who.client, req);
      auto expected = expect_crossing(op, who);
      check(r, expected, op, &who, w.b, req,
            op.name + " as " + who.label + " A with B's ids (" + req.method + " " + req.target +
              ", expected " + describe(expected) + ")");
      table.add(op.name, who.label + " A/B/AB", cell(r));
      ++crossings;
    }
    auto req = make_request(op, w.a, "nobody");
    auto none = send(*w.anonymous, req);
    check(none, op.public_route ? expected_answer::allowed : expected_answer::auth_missing, op,
          nullptr, w.b, req, op.name + " without a key");
    table.add(op.name, "no key", cell(none));
    auto revoked_req = make_request(op, w.a, "revoked-key");
    auto revoked = send(*w.revoked, revoked_req);
    check(revoked, op.public_route ? expected_answer::allowed : expected_answer::auth_invalid, op,
          nullptr, w.b, revoked_req, op.name + " with a revoked key");
    table.add(op.name, "revoked", cell(revoked));
    cells += 2;
  }
  // Five scoped roles and the global operator, two projects each, plus the two keyless cases.
  auto routed = std::count_if(catalogue().begin(), catalogue().end(),
                              [](const operation& op) { return !op.mcp_only; });
  EXPECT_EQ(cells, size_t(routed) * (w.callers.size() * 2 + 2));
  EXPECT_GT(crossings, 0u);
  std::cout << table.render() << std::flush;
}

// The server routes nothing the matrix does not see: every route of its OpenAPI document is a
// catalogue operation, except the document itself, which is public, and the routes served
// beside the catalogue (MCP, whose tools are the catalogue's, and the event streams, whose
// authorisation EventsE2e and McpE2e check).
TEST_F(AuthMatrixE2e, TheServerServesOnlyCatalogueRoutes) {
  auto& w = *world_;
  auto r = w.anonymous->get("/openapi.json");
  ASSERT_EQ(r.status, 200) << "the OpenAPI document is public: " << r.body;
  std::set<std::string> known{"GET /openapi.json", "POST /mcp", "DELETE /mcp", "GET /v1/events",
                              "GET /v1/events/ws"};
  for (auto& op : catalogue())
    known.insert(op.method + " " + op.path);
  size_t routes = 0;
  auto document = r.json();
  for (auto& [path, methods] : document.at("paths").as_object())
    for (auto& [method, entry] : methods.as_object()) {
      std::string upper(method);
      std::transform(upper.begin(), upper.end(), upper.begin(),
                     [](unsigned char c) { return char(std::toupper(c)); });
      EXPECT_TRUE(known.count(upper + " " + std::string(path)))
        << upper << " " << path << " is served but not in the catalogue the matrix reads";
      ++routes;
    }
  EXPECT_GE(routes, catalogue().size());
}

TEST_F(AuthMatrixE2e, AnotherProjectsTaskIsNotFoundByIdAndByShortId) {
  auto& w = *world_;
  for (auto& who : w.callers) {
    if (who.project == "*")
      continue;
    auto by_id = who.client->get("/v1/tasks/" + w.b.task);
    EXPECT_EQ(by_id.status, 404) << who.label << ": " << by_id.body;
    EXPECT_EQ(error_code(by_id), "TASK_NOT_FOUND") << who.label << ": " << by_id.body;
    auto by_short = who.client->get("/v1/tasks/" + w.b_only_short_id);
    EXPECT_EQ(by_short.status, 404) << who.label << ": " << by_short.body;
    EXPECT_EQ(error_code(by_short), "TASK_NOT_FOUND") << who.label << ": " << by_short.body;
    // The same answer as for a task that does not exist at all.
    auto missing = who.client->get("/v1/tasks/P9.M9.T9");
    EXPECT_EQ(by_short.body, missing.body) << who.label;
    // A short id both projects have resolves to the key's own project's task, not ambiguously.
    auto shared = who.client->get("/v1/tasks/P1.M1.T1");
    EXPECT_EQ(shared.status, 200) << who.label << ": " << shared.body;
    EXPECT_EQ(str(shared.json().as_object(), "project_id"), w.a.project) << shared.body;
    // Its own project's task is there.
    auto own = who.client->get("/v1/tasks/" + w.a.task);
    EXPECT_EQ(own.status, 200) << who.label << ": " << own.body;
  }
  // A global key sees every project: the short id is B's task, and P1.M1.T1 is ambiguous.
  auto& global = *w.callers.back().client;
  ASSERT_EQ(w.callers.back().project, "*");
  auto by_short = global.get("/v1/tasks/" + w.b_only_short_id);
  ASSERT_EQ(by_short.status, 200) << by_short.body;
  EXPECT_EQ(str(by_short.json().as_object(), "id"), w.b_only_task);
  auto ambiguous = global.get("/v1/tasks/P1.M1.T1");
  EXPECT_EQ(ambiguous.status, 409) << ambiguous.body;
  EXPECT_EQ(error_code(ambiguous), "TASK_REF_AMBIGUOUS") << ambiguous.body;
}

TEST_F(AuthMatrixE2e, ProjectListShowsAProjectKeyOnlyItsProject) {
  auto& w = *world_;
  for (auto& who : w.callers) {
    auto r = who.client->get("/v1/projects");
    auto items = expect_object(r, 200, who.label + " lists projects").at("items").as_array();
    std::vector<std::string> ids;
    for (auto& item : items)
      ids.emplace_back(item.at("id").as_string());
    if (who.project == "*") {
      EXPECT_NE(std::find(ids.begin(), ids.end(), w.a.project), ids.end()) << r.body;
      EXPECT_NE(std::find(ids.begin(), ids.end(), w.b.project), ids.end()) << r.body;
    } else {
      EXPECT_EQ(ids, std::vector<std::string>{w.a.project}) << who.label << ": " << r.body;
    }
  }
}

TEST_F(AuthMatrixE2e, GlobalOperationsNeedAGlobalKey) {
  auto& w = *world_;
  for (auto& who : w.callers) {
    auto digest = who.client->get("/v1/admin/digest");
    auto project = who.client->post("/v1/projects", json::object{{"name", "By " + who.label}});
    if (who.project == "*") {
      EXPECT_EQ(digest.status, 200) << digest.body;
      EXPECT_EQ(project.status, 201) << project.body;
      continue;
    }
    // Scoped keys: the role is checked first, then the missing wildcard.
    bool may_digest = who.label == "operator" || who.label == "admin";
    bool may_create = who.label == "planner" || who.label == "operator" || who.label == "admin";
    EXPECT_EQ(digest.status, 403) << who.label << ": " << digest.body;
    EXPECT_EQ(error_code(digest), may_digest ? "PROJECT_SCOPE_VIOLATION" : "INSUFFICIENT_ROLE")
      << who.label << ": " << digest.body;
    EXPECT_EQ(project.status, 403) << who.label << ": " << project.body;
    EXPECT_EQ(error_code(project), may_create ? "PROJECT_SCOPE_VIOLATION" : "INSUFFICIENT_ROLE")
      << who.label << ": " << project.body;
  }
}

}  // namespace
}  // namespace tascade::test
