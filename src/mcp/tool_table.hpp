#pragma once
/// The MCP tools, generated from the operation catalogue: one tool per operation, named like
/// it, described by its summary, roles and REST route, with its input fields as JSON Schema.

#include "tascade/operation.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tascade::mcp {

class tool_table {
 public:
  /// `ops` must outlive the table.
  explicit tool_table(const std::vector<operation>& ops);

  /// The operation behind tool `name`, or null.
  const operation* find(std::string_view name) const;

  /// One page of tool descriptors, in catalogue order. `cursor` is the opaque value of a
  /// previous page's `nextCursor` (empty = first page). Nullopt when the cursor is not ours.
  struct page {
    boost::json::array tools;
    std::optional<std::string> next_cursor;
  };
  std::optional<page> list(std::string_view cursor, size_t page_size) const;

  size_t size() const { return tools_.size(); }

 private:
  std::vector<boost::json::object> tools_;
  std::unordered_map<std::string, const operation*> by_name_;
};

/// The descriptor of one operation as an MCP Tool.
boost::json::object describe_tool(const operation& op);

}  // namespace tascade::mcp
