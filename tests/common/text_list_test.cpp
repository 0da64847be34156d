#include "tascade/text_list.hpp"

#include <gtest/gtest.h>

namespace tascade {
namespace {

using list = std::vector<std::string>;

TEST(SplitList, TrimsItemsAndDropsEmptyOnes) {
  EXPECT_EQ(split_list(" a, b ,,\tc ,"), (list{"a", "b", "c"}));
  EXPECT_EQ(split_list(""), list{});
  EXPECT_EQ(split_list(" , "), list{});
  EXPECT_EQ(split_list("one"), list{"one"});
}

TEST(SplitList, TakesAnotherSeparator) {
  EXPECT_EQ(split_list("x;y, z", ';'), (list{"x", "y, z"}));
}

}  // namespace
}  // namespace tascade
