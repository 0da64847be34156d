// The wording of authorisation and key refusals (issue 16; shared/reference/error-messages.md):
// clients written against the reference read `message`, so these texts are the reference's.

#include "actors/access_rules.hpp"
#include "actors/keyring.hpp"
#include "actors/python_literal.hpp"
#include "tascade/errc.hpp"

#include <gtest/gtest.h>

namespace tascade {
namespace {

operation op_needing(std::vector<role> roles, scope_kind scope = scope_kind::automatic,
                     std::string name = "create_task") {
  operation op;
  op.name = std::move(name);
  op.roles = std::move(roles);
  op.scope = scope;
  return op;
}

principal key_with(std::vector<role> roles, std::string project = "*") {
  principal who;
  who.key_id = "k";
  who.name = "someone";
  who.project = std::move(project);
  who.roles = std::move(roles);
  return who;
}

TEST(PythonSortedList, IsPythonsReprOfTheSortedSet) {
  EXPECT_EQ(python_sorted_list({}), "[]");
  EXPECT_EQ(python_sorted_list({"planner", "admin", "planner"}), "['admin', 'planner']");
  EXPECT_EQ(python_sorted_list({"it's"}), "[\"it's\"]");
  EXPECT_EQ(python_sorted_list({"a'\"b"}), "['a\\'\"b']");
  EXPECT_EQ(python_sorted_list({"back\\slash", "tab\t"}), "['back\\\\slash', 'tab\\t']");
  EXPECT_EQ(python_sorted_list({std::string("\x01")}), "['\\x01']");
}

TEST(AccessMessages, InsufficientRoleListsEachAcceptedRoleOnceWithAdmin) {
  auto agent = key_with({role::agent});
  auto refused = authorize(agent, op_needing({role::planner}), {});
  ASSERT_EQ(refused, errc::insufficient_role);
  EXPECT_EQ(message_of(refused), "Requires one of: ['admin', 'planner']");
  // An operation that names admin itself still lists it once.
  refused = authorize(agent, op_needing({role::admin, role::operator_}), {});
  EXPECT_EQ(message_of(refused), "Requires one of: ['admin', 'operator']");
  refused = authorize(agent, op_needing({role::operator_, role::planner}), {});
  EXPECT_EQ(message_of(refused), "Requires one of: ['admin', 'operator', 'planner']");
}

TEST(AccessMessages, ScopeViolationsUseTheReferenceWording) {
  auto scoped = key_with({role::planner}, "11111111-1111-1111-1111-111111111111");
  boost::json::object other{{"project_id", "22222222-2222-2222-2222-222222222222"}};
  auto refused = authorize(scoped, op_needing({role::planner}), other);
  ASSERT_EQ(refused, errc::project_scope_violation);
  EXPECT_EQ(message_of(refused), "API key is not authorized for this project");

  auto create = op_needing({role::planner, role::operator_}, scope_kind::global, "create_project");
  refused = authorize(scoped, create, {});
  ASSERT_EQ(refused, errc::project_scope_violation);
  EXPECT_EQ(message_of(refused),
            "Project-scoped keys cannot create new projects; use a wildcard or admin key");
}

TEST(AuditedDenial, ScopeAndRoleRefusalsWithATargetAreRecorded) {
  auto scoped = key_with({role::agent}, "11111111-1111-1111-1111-111111111111");
  auto task = task_id::random();
  boost::json::object input{{"project_id", "22222222-2222-2222-2222-222222222222"},
                            {"task_id", task.str()}};
  auto op = op_needing({role::planner, role::operator_});
  auto scope = audited_denial(scoped, op, input, authorize(scoped, op, input));
  ASSERT_TRUE(scope);
  EXPECT_EQ(scope->reason, "project_scope_violation");
  EXPECT_EQ(scope->project, "22222222-2222-2222-2222-222222222222");
  EXPECT_EQ(scope->key_project, "11111111-1111-1111-1111-111111111111");
  EXPECT_EQ(scope->task, task);
  EXPECT_EQ(scope->endpoint, "create_task");

  input["project_id"] = "11111111-1111-1111-1111-111111111111";
  auto role_refusal = audited_denial(scoped, op, input, authorize(scoped, op, input));
  ASSERT_TRUE(role_refusal);
  EXPECT_EQ(role_refusal->reason, "insufficient_role");
  EXPECT_EQ(role_refusal->caller_roles, std::vector<std::string>{"agent"});
  EXPECT_EQ(role_refusal->required_roles,
            (std::vector<std::string>{"admin", "planner", "operator"}));
}

TEST(AuditedDenial, NothingIsRecordedWithoutATargetOrForTheWildcardRule) {
  auto agent = key_with({role::agent});
  auto op = op_needing({role::planner});
  boost::json::object none;
  EXPECT_FALSE(audited_denial(agent, op, none, authorize(agent, op, none)));
  auto scoped = key_with({role::admin}, "11111111-1111-1111-1111-111111111111");
  auto create = op_needing({role::planner}, scope_kind::global, "create_project");
  EXPECT_FALSE(audited_denial(scoped, create, none, authorize(scoped, create, none)));
  EXPECT_FALSE(audited_denial(agent, op, none, make_error(errc::identity_mismatch, "x")));
}

TEST(KeyMessages, InvalidRolesAndAlreadyRevokedUseTheReferenceWording) {
  keyring_state s;
  create_key c;
  c.project = "*";
  c.name = "k";
  c.roles = {"superuser", "agent", "root", "superuser"};
  auto refused = decide(s, c, uuid::random(), [](const project_id&) { return true; });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), errc::invalid_roles);
  EXPECT_EQ(message_of(refused.error()), "Invalid role scopes: ['root', 'superuser']");

  auto id = uuid::random();
  s.keys[id] = {"*", "k", true};
  auto again = decide(s, revoke_key{{}, id.str(), "*", "admin"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error(), errc::already_revoked);
  EXPECT_EQ(message_of(again.error()), "API key is already revoked");
}

}  // namespace
}  // namespace tascade
