// The boxed members of task_view and its work spec as text: optional-like and vector-like,
// deep copies, and the same checkpoint bytes as the std::optional, std::vector and JSON
// object they replace (so checkpoints written before the change still load).

#include "projections/boxed.hpp"
#include "projections/boxed_vector.hpp"
#include "projections/checkpoint_codec.hpp"
#include "projections/read_model.hpp"

#include <gtest/gtest.h>

namespace tascade {
namespace {

namespace codec = checkpoint_codec;

lease_view some_lease() {
  lease_view l;
  l.id = uuid::random();
  l.agent = "agent-a";
  l.token = "token-with-more-than-fifteen-characters";
  l.expires_at = timestamp{42};
  l.fencing = 7;
  l.released_at = timestamp{99};
  return l;
}

TEST(Boxed, CostsOnePointerAndActsLikeAnOptional) {
  static_assert(sizeof(boxed<lease_view>) == sizeof(void*));
  boxed<lease_view> b;
  EXPECT_FALSE(b);
  EXPECT_FALSE(b.has_value());
  EXPECT_THROW((void)b.value(), std::bad_optional_access);
  b = some_lease();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->agent, "agent-a");
  b->status = "released";
  EXPECT_EQ((*b).status, "released");
  b.reset();
  EXPECT_FALSE(b);
  b.emplace(some_lease());
  EXPECT_EQ(b->fencing, 7u);
  b = std::nullopt;
  EXPECT_FALSE(b);
}

TEST(Boxed, CopiesAreDeep) {
  boxed<lease_view> a = some_lease();
  boxed<lease_view> b = a;
  b->agent = "agent-b";
  EXPECT_EQ(a->agent, "agent-a");
  boxed<lease_view> c;
  c = a;
  a.reset();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->agent, "agent-a");
  boxed<lease_view> moved = std::move(c);
  EXPECT_TRUE(moved);
}

TEST(BoxedVector, AllocatesOnlyWhenFilled) {
  static_assert(sizeof(boxed_vector<std::string>) == sizeof(void*));
  boxed_vector<std::string> v;
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(v.size(), 0u);
  EXPECT_EQ(v.begin(), v.end());
  const std::vector<std::string>& as_vector = v;
  EXPECT_TRUE(as_vector.empty());
  v.push_back("a");
  v.emplace_back("b");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v.front(), "a");
  EXPECT_EQ(v.back(), "b");
  EXPECT_EQ(*v.rbegin(), "b");
  EXPECT_EQ(v, (std::vector<std::string>{"a", "b"}));
  boxed_vector<std::string> copy = v;
  copy[0] = "changed";
  EXPECT_EQ(v[0], "a");
  v = std::vector<std::string>{};
  EXPECT_TRUE(v.empty());
  copy.clear();
  EXPECT_TRUE(copy.empty());
}

template <class T>
std::string bytes_of(const T& v) {
  codec::writer w;
  w.put(v);
  return w.bytes();
}

TEST(BoxedCheckpoint, EncodesLikeTheStandardTypesAndRoundTrips) {
  auto l = some_lease();
  EXPECT_EQ(bytes_of(boxed<lease_view>{l}), bytes_of(std::optional<lease_view>{l}));
  EXPECT_EQ(bytes_of(boxed<lease_view>{}), bytes_of(std::optional<lease_view>{}));
  std::vector<std::string> paths{"src/a.cpp", "a much longer path/to/some/file.hpp"};
  EXPECT_EQ(bytes_of(boxed_vector<std::string>{paths}), bytes_of(paths));
  EXPECT_EQ(bytes_of(boxed_vector<std::string>{}), bytes_of(std::vector<std::string>{}));

  boost::json::object spec{{"objective", "o"}, {"n", 3}, {"x", 1.5}, {"list", {"a", "b"}}};
  EXPECT_EQ(bytes_of(json_text{spec}), bytes_of(spec));
  EXPECT_EQ(bytes_of(json_text{}), bytes_of(boost::json::object{}));
  EXPECT_EQ(json_text{spec}.object(), spec);
  EXPECT_EQ(json_text{spec}.string_member("objective"), "o");
  EXPECT_FALSE(json_text{spec}.string_member("n"));        // present, not a string
  EXPECT_FALSE(json_text{spec}.string_member("missing"));

  task_view t;
  t.id = task_id::random();
  t.work_spec = spec;
  t.title = "a task";
  t.lease = l;
  t.shared_paths = paths;
  t.attempts.push_back(uuid::random());
  auto bytes = bytes_of(t);
  task_view back;
  back.reservation = reservation_view{};  // overwritten: absent in the encoded task
  codec::reader r{bytes};
  r.get(back);
  EXPECT_TRUE(r.done());
  ASSERT_TRUE(back.lease);
  EXPECT_EQ(back.lease->token, l.token);
  EXPECT_EQ(back.lease->released_at->micros, 99);
  EXPECT_FALSE(back.reservation);
  EXPECT_EQ(back.shared_paths, paths);
  EXPECT_TRUE(back.exclusive_paths.empty());
  EXPECT_EQ(back.attempts, t.attempts);
  EXPECT_EQ(back.work_spec, t.work_spec);
  EXPECT_EQ(bytes_of(back), bytes);
}

}  // namespace
}  // namespace tascade
