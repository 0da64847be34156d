// The glob rules of file-touch conflicts (issue 4): matching a path, and overlap of two
// patterns, on the edge cases the header documents.

#include "actors/path_glob.hpp"

#include <gtest/gtest.h>

namespace tascade {
namespace {

struct match_case {
  const char* pattern;
  const char* path;
  bool expected;
};

TEST(PathGlob, MatchesPathsByTheDocumentedRules) {
  const match_case cases[] = {
    {"src/main.cpp", "src/main.cpp", true},
    {"src/main.cpp", "src/main.hpp", false},
    {"src/*.cpp", "src/main.cpp", true},
    {"src/*.cpp", "src/sub/main.cpp", false},  // * stays within a segment
    {"src/*", "src", false},
    {"*", "a", true},
    {"*", "a/b", false},
    {"src/?.cpp", "src/a.cpp", true},
    {"src/?.cpp", "src/ab.cpp", false},
    {"src/**", "src", true},  // ** matches zero segments
    {"src/**", "src/a/b/c.txt", true},
    {"src/**", "srcx/a", false},
    {"**/x.cpp", "x.cpp", true},  // ** at the start
    {"**/x.cpp", "a/b/x.cpp", true},
    {"**/x.cpp", "a/b/y.cpp", false},
    {"a/**/z", "a/z", true},  // ** in the middle
    {"a/**/z", "a/b/c/z", true},
    {"a/**/z", "a/b/c/y", false},
    {"**", "anything/at/all", true},
    {"a**b", "axxb", true},  // ** inside a segment is two *
    {"a**b", "ax/xb", false},
    {"docs/", "docs/guide/intro.md", true},  // a trailing slash names a directory
    {"docs/", "docsx/intro.md", false},
    {"./src//main.cpp", "src/main.cpp", true},  // . and empty segments drop out
    {"/src/main.cpp", "src/main.cpp", true},     // a leading slash means the root
    {"src/main.cpp", "./src/main.cpp", true},
    {"*.md", ".hidden.md", true},
    {"", "a", false},  // an empty pattern matches nothing
    {"a", "", false},
  };
  for (auto& c : cases)
    EXPECT_EQ(glob_matches(c.pattern, c.path), c.expected)
      << "pattern '" << c.pattern << "' path '" << c.path << "'";
}

TEST(PathGlob, OverlapOfTwoPatternsIsExactAndSymmetric) {
  const match_case cases[] = {
    {"src/a.cpp", "src/a.cpp", true},
    {"src/a.cpp", "src/b.cpp", false},
    {"src/*.cpp", "src/a.cpp", true},
    {"src/*.cpp", "src/*.hpp", false},  // no segment ends in both .cpp and .hpp
    {"src/*.cpp", "src/a*", true},      // src/a.cpp
    {"src/a*", "src/*b", true},         // src/ab
    {"src/a*c", "src/*b*", true},       // src/abc
    {"src/a?", "src/?b", true},         // src/ab
    {"src/??", "src/???", false},       // lengths differ
    {"src/**", "src/x/y.cpp", true},
    {"src/**", "docs/**", false},
    {"**/*.md", "docs/guide/intro.md", true},
    {"**/*.md", "src/**", true},  // src/x.md
    {"**/test_*.py", "src/**/*_test.py", true},  // src/test__test.py
    {"a/**/z", "a/b/**", true},                  // a/b/z
    {"a/**/z", "b/**", false},
    {"**", "x", true},
    {"src/", "src/deep/file", true},
    {"src/*/x", "src/**", true},
    {"src/*/x", "src/x", false},  // * needs exactly one segment between
    {"", "src/**", false},
  };
  for (auto& c : cases) {
    EXPECT_EQ(globs_overlap(c.pattern, c.path), c.expected)
      << "'" << c.pattern << "' vs '" << c.path << "'";
    EXPECT_EQ(globs_overlap(c.path, c.pattern), c.expected)
      << "'" << c.path << "' vs '" << c.pattern << "' (swapped)";
  }
}

TEST(PathGlob, OverlappingPatternsAreListedPairwise) {
  auto pairs = overlapping_patterns({"src/api/**", "README.md"}, {"src/**/*.cpp", "docs/**"});
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].first, "src/api/**");
  EXPECT_EQ(pairs[0].second, "src/**/*.cpp");
  EXPECT_TRUE(overlapping_patterns({}, {"**"}).empty());
}

TEST(PathGlob, FilesOutsideTheExpectedTouchesAreScopeDrift) {
  auto outside = files_outside({"src/a.cpp", "src/b/c.cpp", "docs/x.md", "README.md"},
                               {"src/**", "README.md"});
  ASSERT_EQ(outside.size(), 1u);
  EXPECT_EQ(outside[0], "docs/x.md");
  EXPECT_EQ(files_outside({"a"}, {}).size(), 1u);
}

}  // namespace
}  // namespace tascade
